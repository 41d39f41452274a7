"""Opening an archive for one use case: the single lock policy, written once.

- ``reading(layout)``: for commands that only read (list, show, search, check, vocab,
  history, collection list/show, chapters --list, metadata export). No lock is taken and
  nothing waits for a writer: SQLite's WAL lets readers see the last committed state while
  an ingest goes on.
- ``writing(layout, command, wait=…)``: for commands that change the archive (ingest, edit,
  export, rebuild, metadata import, collections, chapters, undo, check --fixity, upgrade).
  The lock is taken first, waiting up to ``wait`` seconds (``--wait``) for another writer,
  and held until the catalogue is closed.

Both refuse a folder that is not an archive, or whose layout this program cannot use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from archive.errors import ArchiveError
from archive.layout import Layout
from archive.lock import archive_lock
from archive.versions import require_current
from catalog.errors import CatalogError
from catalog.store import Catalog


@contextmanager
def reading(layout: Layout) -> Iterator[Catalog]:
    """The catalogue of an existing archive, for reading; never takes the lock."""
    layout.require()
    require_current(layout)
    with _open(layout) as catalog:
        yield catalog


@contextmanager
def writing(
    layout: Layout, command: str, *, wait: float = 0.0, create: bool = False
) -> Iterator[Catalog]:
    """The catalogue under the archive's lock; ``create`` makes a new archive first."""
    if create:
        layout.create()
    layout.require()
    require_current(layout)
    with archive_lock(layout, command, wait=wait), _open(layout) as catalog:
        yield catalog


@contextmanager
def _open(layout: Layout) -> Iterator[Catalog]:
    try:
        catalog = Catalog(layout.catalog)
    except CatalogError as exc:
        raise ArchiveError(str(exc)) from exc
    with catalog:
        yield catalog
