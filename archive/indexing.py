"""Keeping the search index in step with the catalogue (the catalogue is the truth)."""

from __future__ import annotations

from collections.abc import Iterable

from archive.layout import Layout
from catalog.search import SearchIndex
from catalog.store import Catalog
from catalog.vocabulary import Vocabularies
from catalog.vocabulary import load as load_vocabularies


def vocabularies(layout: Layout) -> Vocabularies:
    """The package's vocabularies, extended by the archive's own `vocabularies/*.toml`."""
    return load_vocabularies(layout.vocabularies if layout.vocabularies.is_dir() else None)


def open_index(layout: Layout) -> SearchIndex:
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


def is_current(layout: Layout, catalog: Catalog) -> bool:
    """True when the index holds every item of this catalogue generation, indexed with
    the archive's current vocabularies."""
    index = open_index(layout)
    return index.generation() == catalog.generation() and index.doc_count() == catalog.count()


def ensure_current(layout: Layout, catalog: Catalog) -> bool:
    """Rebuild the index if it is missing or stale; True when a rebuild was needed."""
    if is_current(layout, catalog):
        return False
    rebuild(layout, catalog)
    return True


def rebuild(layout: Layout, catalog: Catalog) -> int:
    index = open_index(layout)
    return index.rebuild(catalog.items(), catalog.generation())
