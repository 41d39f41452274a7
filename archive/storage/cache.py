"""A bounded local cache of originals kept in a bucket, for work that needs their bytes."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from archive.layout import Layout
from archive.storage import (
    Store,
    StoreError,
    StoreMissing,
    open_store,
    original_key,
    originals_config,
)
from media.hashing import sha256_file
from media.temporary import is_temporary

if TYPE_CHECKING:
    from archive.config import Settings


class OriginalCache:
    """Copies of originals under ``folder``, the least recently used dropped first when they
    pass ``limit`` bytes. An original in a local folder is used where it is."""

    def __init__(self, store: Store, folder: Path, limit: int, local_root: Path | None) -> None:
        self.store = store
        self.folder = folder
        self.limit = limit
        self.local_root = local_root  # the archive's root when originals are local
        self.fetched = 0  # downloads made, for reports and tests

    def place(self, relative: str) -> Path:
        """Where the original ``relative`` is (local) or goes when fetched (a bucket)."""
        if self.local_root is not None:
            return self.local_root / relative
        return self.folder.joinpath(*original_key(relative).split("/"))

    def path(self, relative: str, sha256: str) -> Path:
        """A local file with the bytes of the original ``relative`` (verified when fetched)."""
        if self.local_root is not None:
            return self.local_root / relative
        key = original_key(relative)
        target = self.place(relative)
        if target.is_file():
            os.utime(target)  # most recently used
            return target
        fetch(self.store, key, target, sha256)
        self.fetched += 1
        self.trim(keep=target)
        return target

    def trim(self, keep: Path | None = None, protect: Collection[Path] = ()) -> list[Path]:
        """Drop the least recently used copies until the cache holds at most ``limit`` bytes
        (never ``keep`` nor those in ``protect``: files the running command still needs)."""
        files = []
        for dirpath, _dirs, names in os.walk(self.folder):
            for name in names:
                path = Path(dirpath) / name
                if is_temporary(name):
                    continue
                stat = path.stat()
                files.append((stat.st_mtime_ns, stat.st_size, path))
        total = sum(size for _, size, _ in files)
        dropped = []
        for _, size, path in sorted(files):
            if total <= self.limit:
                break
            if path == keep or path in protect:
                continue
            path.unlink(missing_ok=True)
            total -= size
            dropped.append(path)
        return dropped


def cache_for(layout: Layout, settings: Settings | None = None) -> OriginalCache:
    """The archive's cache of originals (``cache/originals/``, bounded by [storage]
    cache_size); with originals in a local folder it hands out their own paths."""
    from archive.config import load

    settings = settings or load(layout)
    config = originals_config(layout.root, settings.storage)
    return OriginalCache(
        open_store(config),
        layout.root / "cache" / "originals",
        settings.storage.cache_size,
        None if config.is_s3 else layout.root,
    )


def local_original(layout: Layout, relative: str, sha256: str) -> Path:
    """A local file with the bytes of an original, fetched into the cache when it lives in a
    bucket; a path that does not exist when the store has no such object."""
    cache = cache_for(layout)
    try:
        return cache.path(relative, sha256)
    except StoreMissing:
        return cache.folder / "missing" / original_key(relative)


def fetch(store: Store, key: str, target: Path, sha256: str) -> None:
    """Download ``key`` to ``target`` and check it against ``sha256``."""
    if store.stat(key) is None:
        raise StoreMissing(f"{store.location}{key} is missing")
    store.get(key, target)
    if sha256_file(target) != sha256:
        target.unlink(missing_ok=True)
        raise StoreError(f"{store.location}{key}: its bytes do not match its SHA-256")
