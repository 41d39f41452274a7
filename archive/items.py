"""Reading items: the list of them (all, public, or what a query finds) and one in full."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive import access
from archive.conflicts import curation_of
from archive.errors import ArchiveError
from archive.formats import with_format_id
from archive.layout import Layout
from archive.searching import matching_keys
from catalog.errors import CatalogError
from catalog.models import Derivative, Event, Item
from catalog.store import Catalog


@dataclass(frozen=True)
class ItemList:
    """Items in the catalogue's order: by date taken (undated last), then key."""

    items: tuple[Item, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"items": [item.to_dict() for item in self.items]}


@dataclass(frozen=True)
class ItemDetail:
    """One item with its derivatives and its history."""

    item: Item
    derivatives: dict[str, Derivative]
    events: tuple[Event, ...]
    curation: dict[str, Any]  # provenance, values not accepted, conflicts
    version: str = ""  # changes with every change to the item (see item_version)

    def to_dict(self) -> dict[str, Any]:
        data = self.item.to_dict()
        data["version"] = self.version
        data["derivatives"] = {name: d.to_dict() for name, d in self.derivatives.items()}
        data["events"] = [e.to_dict() for e in self.events]
        data["format_id"] = self.item.extra.get("format_id")
        return {**data, **self.curation}


def list_items(layout: Layout, *, public: bool = False, query: str | None = None) -> ItemList:
    """Every item (only public ones with ``public``; only those ``query`` finds with it)."""
    with access.reading(layout) as catalog:
        keys = None if query is None else set(matching_keys(layout, catalog, query, locked=False))
        items = catalog.items(public_only=public)
    if keys is not None:
        items = [item for item in items if item.key in keys]
    return ItemList(tuple(items))


def show_item(layout: Layout, key: str) -> ItemDetail:
    """The item whose key is or starts with ``key``."""
    with access.reading(layout) as catalog:
        try:
            item = catalog.resolve(key)
        except CatalogError as exc:
            raise ArchiveError(str(exc)) from exc
        return ItemDetail(
            with_format_id(layout, item),
            catalog.derivatives(item.key),
            tuple(catalog.events(item.key)),
            curation_of(catalog, item.key),
            item_version(catalog, item.key),
        )


def item_version(catalog: Catalog, key: str) -> str:
    """A value that changes with every change to the item: the id of its latest event
    (every write to an item records an event), so no column of its own is needed."""
    row = catalog.db.execute("SELECT max(id) FROM events WHERE key = ?", (key,)).fetchone()
    return str(row[0] or 0)


def item_versions(catalog: Catalog, keys: list[str] | None = None) -> dict[str, str]:
    """item_version of many items at once (all of them without ``keys``)."""
    if keys is None:
        rows = catalog.db.execute("SELECT key, max(id) FROM events GROUP BY key")
        return {k: str(v) for k, v in rows}
    found: dict[str, str] = {}
    for start in range(0, len(keys), 500):
        part = keys[start : start + 500]
        marks = ", ".join("?" for _ in part)
        rows = catalog.db.execute(
            f"SELECT key, max(id) FROM events WHERE key IN ({marks}) GROUP BY key", part
        )
        found.update((k, str(v)) for k, v in rows)
    return {k: found.get(k, "0") for k in keys}
