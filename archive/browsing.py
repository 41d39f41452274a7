"""One page of items for the curation app: what a query finds (or all), with versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive import access, searching
from archive.items import item_versions
from archive.layout import Layout

CARD_COLUMNS = ("key", "title", "kind", "taken_at", "consent", "place")


@dataclass(frozen=True)
class Card:
    """An item as a grid shows it: enough to recognise it and to edit it safely."""

    fields: dict[str, Any]  # CARD_COLUMNS of the item
    version: str
    thumb: bool  # a thumbnail derivative exists

    def to_dict(self) -> dict[str, Any]:
        key = self.fields["key"]
        return {
            **self.fields,
            "version": self.version,
            "thumb": f"/media/{key}/thumb" if self.thumb else None,
        }


@dataclass(frozen=True)
class BrowsePage:
    total: int
    cards: tuple[Card, ...]
    facets: dict[str, list[dict[str, Any]]]
    note: str | None = None  # the search index is behind a writer

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "total": self.total,
            "items": [c.to_dict() for c in self.cards],
            "facets": self.facets,
        }
        if self.note:
            data["note"] = self.note
        return data


def browse(
    layout: Layout, query: str | None, *, limit: int = 60, offset: int = 0, facets: bool = True
) -> BrowsePage:
    """Items ``query`` finds, best first (the query language of `archive search`), or all
    items by date taken; ``limit`` of them from ``offset``, with facet counts if asked.
    Never waits for a writer."""
    limit, offset = max(0, min(limit, 500)), max(0, offset)
    counts: dict[str, list[dict[str, Any]]] = {}
    note = None
    if query and query.strip():
        found = searching.search(layout, query, limit=limit, offset=offset, facets=facets)
        total, keys = found.result.total, [hit.key for hit in found.result.hits]
        counts = {
            name: [c.to_dict() for c in counts]
            for name, counts in (found.result.facets or {}).items()
        }
        note = found.note
    with access.reading(layout) as catalog:
        if not (query and query.strip()):
            total = catalog.count()
            keys = [
                row[0]
                for row in catalog.db.execute(
                    "SELECT key FROM items ORDER BY taken_at IS NULL, taken_at, key"
                    " LIMIT ? OFFSET ?",
                    (limit, offset),
                )
            ]
        marks = ", ".join("?" for _ in keys)
        rows = catalog.db.execute(
            f"SELECT {', '.join(CARD_COLUMNS)} FROM items WHERE key IN ({marks})", keys
        )
        by_key = {row[0]: dict(zip(CARD_COLUMNS, row, strict=True)) for row in rows}
        versions = item_versions(catalog, keys)
        thumbs = {
            row[0]
            for row in catalog.db.execute(
                f"SELECT key FROM derivatives WHERE spec = 'thumb' AND key IN ({marks})", keys
            )
        }
    cards = tuple(Card(by_key[k], versions[k], k in thumbs) for k in keys if k in by_key)
    return BrowsePage(total, cards, counts, note)
