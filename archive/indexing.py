"""Keeping the search index in step with the catalogue (the catalogue is the truth)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from archive.layout import Layout
from archive.terms import vocabularies
from catalog.store import Catalog

if TYPE_CHECKING:
    from catalog.search import SearchIndex


def open_index(layout: Layout) -> SearchIndex:
    from catalog.search import SearchIndex  # whoosh loads only for commands that search

    return SearchIndex(layout.index, vocabularies=vocabularies(layout))


def update(layout: Layout, catalog: Catalog, keys: Iterable[str]) -> None:
    """Re-index the given items; rebuild everything when the index has fallen behind."""
    index = open_index(layout)
    keys = sorted(set(keys))
    generation = catalog.generation()
    if index.generation() is None:
        rebuild(layout, catalog)
        return
    items = catalog.items(keys=keys)
    present = {item.key for item in items}
    index.update(items, generation)
    gone = [k for k in keys if k not in present]
    if gone:
        index.remove(gone, generation)


def is_current(layout: Layout, catalog: Catalog, index: SearchIndex | None = None) -> bool:
    """True when the index holds every item of this catalogue generation, indexed with
    the archive's current vocabularies."""
    index = index or open_index(layout)
    return index.generation() == catalog.generation() and index.doc_count() == catalog.count()


def ensure_current(layout: Layout, catalog: Catalog, index: SearchIndex | None = None) -> bool:
    """Rebuild the index if it is missing or stale (the caller holds the lock); True when a
    rebuild was needed."""
    index = index or open_index(layout)
    if is_current(layout, catalog, index):
        return False
    rebuild(layout, catalog, index)
    return True


def rebuild(layout: Layout, catalog: Catalog, index: SearchIndex | None = None) -> int:
    index = index or open_index(layout)
    return index.rebuild(catalog.items(), catalog.generation())
