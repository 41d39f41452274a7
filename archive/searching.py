"""Searching the archive: the query language over the index, kept in step with the catalogue.

A reader never waits for a writer: when the index is behind the catalogue it is brought up
to date only if the archive's lock is free at that moment; otherwise the search runs on the
index as it is and the result says that it is behind.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from archive import access, indexing, terms
from archive.errors import ArchiveBusy
from archive.layout import Layout
from archive.lock import archive_lock
from catalog.store import Catalog

if TYPE_CHECKING:
    from catalog.search import SearchIndex

BEHIND = (
    "the search index is behind the catalogue while another command writes to the archive; "
    "recent changes may be missing from these results"
)


# The index of the archive searched last, kept open between searches of this process (a
# long-running `archive serve`): its searcher and the sets of filter values stay loaded, and
# it reopens its searcher itself when another process has changed the index. One at a time:
# searches of one process take turns on it, and another archive's search replaces it.
_kept: list[SearchIndex] = []
_kept_lock = threading.Lock()


def _kept_index(layout: Layout) -> SearchIndex:
    """The open index of ``layout``: the kept one unless the archive or its vocabularies
    (read once per state of their files) changed."""
    vocabularies = terms.vocabularies(layout)
    if _kept and _kept[0].folder == layout.index and _kept[0].vocabularies is vocabularies:
        return _kept[0]
    while _kept:
        _kept.pop().close()
    index = indexing.open_index(layout)
    _kept.append(index)
    return index


@dataclass(frozen=True)
class Found:
    """One page of a search, and whether the index was behind the catalogue."""

    result: Any  # catalog.search.SearchResult
    behind: bool = False

    @property
    def note(self) -> str | None:
        return BEHIND if self.behind else None

    def to_dict(self) -> dict[str, Any]:
        return {**self.result.to_dict(), "index_behind": self.behind}


def search(
    layout: Layout,
    text: str,
    *,
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
    facets: bool = False,
) -> Found:
    """Items matching ``text`` in the query language of docs/search.md."""
    with access.reading(layout) as catalog, _kept_lock:
        index = _kept_index(layout)
        behind = not refresh_if_free(layout, catalog, index)
        result = index.search(text, limit=limit, offset=offset, sort=sort, facets=facets)
    return Found(result, behind)


def refresh_if_free(layout: Layout, catalog: Catalog, index: SearchIndex) -> bool:
    """Bring the index up to date if it is behind and no writer holds the archive.

    True when the index is current afterwards; False when a writer holds the lock (the
    index is then searched as it is).
    """
    if indexing.is_current(layout, catalog, index):
        return True
    try:
        with archive_lock(layout, "rebuild --index"):
            indexing.ensure_current(layout, catalog, index)
    except ArchiveBusy:
        return False
    return True


def matching_keys(layout: Layout, catalog: Catalog, query: str, *, locked: bool) -> list[str]:
    """Every key a query finds, best first. ``locked``: the caller holds the write lock, so
    a stale index is rebuilt at once; a reader rebuilds it only when the lock is free."""
    index = indexing.open_index(layout)
    if locked:
        indexing.ensure_current(layout, catalog, index)
    else:
        refresh_if_free(layout, catalog, index)
    found = index.search(query, limit=max(catalog.count(), 1))
    return [hit.key for hit in found.hits]
