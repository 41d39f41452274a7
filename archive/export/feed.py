"""The Atom feed of the latest items in one language: what its template is given."""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.export.published import Media
from archive.export.views import Text, Views

FEED_ITEMS = 20  # the newest items a feed lists
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class FeedEntry:
    key: str
    href: str  # language-relative
    title: Text
    summary: Text | None
    updated: str  # RFC 3339
    thumb: Media | None


@dataclass(frozen=True)
class Feed:
    updated: str  # the newest entry's, so that an unchanged archive gives the same feed
    entries: tuple[FeedEntry, ...]


def atom_time(value: str | None) -> str:
    """``2016-05-04`` or ``2016-05-04T10:00:00`` as an Atom date (UTC when no offset is
    given); the epoch when there is none, never the time of the export."""
    if not value or not _DATE.match(value):
        return "1970-01-01T00:00:00Z"
    if len(value) == 10:
        return value + "T00:00:00Z"
    text = value.replace(" ", "T")
    return text if re.search(r"(Z|[+-]\d{2}:\d{2})$", text) else text + "Z"


def make_feed(views: Views) -> Feed:
    """The newest items (the home page's order), with their titles in the page language."""
    entries = []
    for entry in views.model.entries[:FEED_ITEMS]:
        tile = views.tile(entry)
        item = entry.item
        entries.append(
            FeedEntry(
                key=item.key,
                href=tile.href,
                title=tile.title or Text(tile.alt, views.lang),
                summary=views.text(item.texts("description")),
                updated=atom_time(item.taken_at or item.ingested_at),
                thumb=entry.media.thumb,
            )
        )
    updated = max((e.updated for e in entries), default=atom_time(None))
    return Feed(updated, tuple(entries))
