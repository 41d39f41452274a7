"""`archive replica sync`: new originals, a snapshot of the catalogue, the run logs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archive import access
from archive.config import load
from archive.layout import Layout
from archive.replica import Replica, named, part_of, replica_store
from archive.storage import Store, open_store, original_key, originals_config
from archive.storage.migrate import copy_original
from catalog.models import Item
from catalog.snapshot import snapshot
from catalog.store import Catalog

Progress = Callable[[str, int, int], None]  # (replica, originals looked at, in all)


@dataclass(frozen=True)
class SyncReport:
    name: str
    location: str
    copied: int  # originals new to the replica
    present: int  # originals it had already
    runs: int  # run logs copied
    catalog: str  # where the catalogue's snapshot went

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "location": self.location,
            "copied": self.copied,
            "present": self.present,
            "runs": self.runs,
            "catalog": self.catalog,
        }


def sync(
    layout: Layout, name: str | None = None, *, on_file: Progress | None = None
) -> tuple[SyncReport, ...]:
    """Bring each replica (or the one named) up to date. It reads only: other commands run
    beside it, and the catalogue's snapshot is consistent as of one moment. Interrupted, it
    goes on where it stopped (what a replica holds is not sent again)."""
    chosen = named(layout, name)
    settings = load(layout)
    primary = open_store(originals_config(layout.root, settings.storage))
    reports = []
    with access.reading(layout) as catalog:
        items = catalog.items()
        for replica in chosen:
            reports.append(_sync_one(layout, catalog, replica, primary, items, on_file))
    return tuple(reports)


def _sync_one(
    layout: Layout,
    catalog: Catalog,
    replica: Replica,
    primary: Store,
    items: list[Item],
    on_file: Progress | None,
) -> SyncReport:
    originals = replica_store(layout, replica)
    copied = present = 0
    for number, item in enumerate(items, 1):
        key = original_key(item.original)
        found = originals.stat(key)
        if found is not None and found.size == item.size:
            present += 1
        else:
            copy_original(layout, primary, originals, key, item.sha256, replace=found is not None)
            copied += 1
        if on_file is not None:
            on_file(replica.name, number, len(items))
    meta = replica_store(layout, replica, "meta")
    staged = layout.root / "cache" / "replica" / f"{replica.name}.sqlite"
    snapshot(catalog.db, staged)
    meta.put("catalog.sqlite", staged)
    staged.unlink(missing_ok=True)
    meta.put("archive.toml", layout.config)
    runs = 0
    for log in sorted(layout.runs.glob("*.jsonl")):
        there = meta.stat(f"runs/{log.name}")
        if there is None or there.size != log.stat().st_size:
            meta.put(f"runs/{log.name}", log)
            runs += 1
    return SyncReport(
        replica.name, replica.location, copied, present, runs, part_of(replica.location, "meta")
    )
