"""The preservation events of items (all, or those named), as values or as PREMIS 3 XML."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, BinaryIO

from archive import access
from archive.errors import ArchiveError
from archive.formats import with_format_id
from archive.layout import Layout
from archive.premis import PremisEvent, premis_chunks, premis_events
from catalog.errors import CatalogError
from catalog.models import Item
from catalog.store import Catalog


@dataclass(frozen=True)
class ItemEvents:
    """One item's preservation events, oldest first."""

    key: str
    events: tuple[PremisEvent, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "events": [asdict(e) for e in self.events]}


@dataclass(frozen=True)
class EventList:
    items: tuple[ItemEvents, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"items": [i.to_dict() for i in self.items]}


def preservation_events(
    layout: Layout, keys: tuple[str, ...] = (), *, public_only: bool = False
) -> EventList:
    """The preservation events of the items named by ``keys`` (or of every item)."""
    with access.reading(layout) as catalog:
        items = [with_format_id(layout, item) for item in _items(catalog, keys, public_only)]
        return EventList(
            tuple(
                ItemEvents(item.key, tuple(premis_events(item, catalog.events(item.key))))
                for item in items
            )
        )


def write_premis(
    layout: Layout, out: BinaryIO, keys: tuple[str, ...] = (), *, public_only: bool = False
) -> int:
    """Write the PREMIS 3 document of the items (or of every item) to ``out``; returns how
    many items it describes. Written a part at a time, however many items there are."""
    with access.reading(layout) as catalog:
        items = [with_format_id(layout, item) for item in _items(catalog, keys, public_only)]
        for chunk in premis_chunks(items, catalog.events):
            out.write(chunk)
    return len(items)


def _items(catalog: Catalog, keys: tuple[str, ...], public_only: bool) -> list[Item]:
    if not keys:
        found = catalog.items(public_only=public_only)
    else:
        found = []
        for key in keys:
            try:
                found.append(catalog.resolve(key))
            except CatalogError as exc:
                raise ArchiveError(str(exc)) from exc
        found = [i for i in dict.fromkeys(found) if i.is_public or not public_only]
    if not found:
        raise ArchiveError("no items to describe")
    return found
