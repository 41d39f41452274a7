"""Collections and events from the command line: create, add and remove items, show."""

from __future__ import annotations

from typing import Any

from archive import access, indexing
from archive.errors import ArchiveError
from archive.layout import Layout
from archive.terms import vocabularies
from catalog import collections as store
from catalog.collections import Collection
from catalog.errors import CatalogError
from catalog.fields import check_terms


def create(
    layout: Layout, slug: str, *, actor: str | None = None, wait: float = 0.0, **values: Any
) -> Collection:
    """A new collection or event (``kind="event"`` with dates and a place)."""
    terms = vocabularies(layout)
    with access.writing(layout, "collection", wait=wait) as catalog:
        try:
            if values.get("place"):
                values["place"] = check_terms("place", values["place"], terms)
            return store.create(catalog, slug, actor=actor, **values)
        except CatalogError as exc:
            raise ArchiveError(str(exc)) from exc


def add(
    layout: Layout,
    slug: str,
    keys: list[str],
    *,
    position: int | None = None,
    actor: str | None = None,
    wait: float = 0.0,
) -> list[str]:
    """Put items in a collection (at ``position``, 1 = first, else at the end); returns the
    collection's keys in order."""
    return _change(layout, slug, keys, adding=True, position=position, actor=actor, wait=wait)


def remove(
    layout: Layout, slug: str, keys: list[str], *, actor: str | None = None, wait: float = 0.0
) -> list[str]:
    return _change(layout, slug, keys, adding=False, position=None, actor=actor, wait=wait)


def _change(
    layout: Layout,
    slug: str,
    keys: list[str],
    *,
    adding: bool,
    position: int | None,
    actor: str | None,
    wait: float,
) -> list[str]:
    with access.writing(layout, "collection", wait=wait) as catalog:
        try:
            store.get(catalog, slug)
            items = [catalog.resolve(k) for k in keys]
            with catalog.transaction():
                for item in items:
                    names = [c for c in item.collections if c != slug]
                    if adding:
                        names.append(slug)
                    catalog.update(item.key, {"collections": names}, actor=actor, via="collection")
                order = [k for k in store.members(catalog, slug)]
                chosen = [i.key for i in items]
                rest = [k for k in order if k not in chosen]
                if adding:
                    at = len(rest) if position is None else max(0, min(position - 1, len(rest)))
                    order = rest[:at] + chosen + rest[at:]
                else:
                    order = rest
                store.set_order(catalog, slug, order, actor=actor)
        except CatalogError as exc:
            raise ArchiveError(str(exc)) from exc
        indexing.update(layout, catalog, {i.key for i in items})
        return store.members(catalog, slug)


def listing(layout: Layout) -> list[tuple[Collection, int]]:
    """Every collection with its number of items."""
    with access.reading(layout) as catalog:
        counts: dict[str, int] = {}
        for item in catalog.items():
            for name in item.collections:
                counts[name] = counts.get(name, 0) + 1
        return [(c, counts.get(c.slug, 0)) for c in store.all_collections(catalog)]


def show(layout: Layout, slug: str) -> tuple[Collection, list[str]]:
    with access.reading(layout) as catalog:
        try:
            return store.get(catalog, slug), store.members(catalog, slug)
        except CatalogError as exc:
            raise ArchiveError(str(exc)) from exc
