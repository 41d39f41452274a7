"""A bounded local cache of originals kept in a bucket, for work that needs their bytes."""

from __future__ import annotations

import os
from pathlib import Path

from archive.storage import Store, StoreError, original_key
from media.hashing import sha256_file
from media.temporary import is_temporary


class OriginalCache:
    """Copies of originals under ``folder``, the least recently used dropped first when they
    pass ``limit`` bytes. An original in a local folder is used where it is."""

    def __init__(self, store: Store, folder: Path, limit: int, local_root: Path | None) -> None:
        self.store = store
        self.folder = folder
        self.limit = limit
        self.local_root = local_root  # the archive's root when originals are local
        self.fetched = 0  # downloads made, for reports and tests

    def path(self, relative: str, sha256: str) -> Path:
        """A local file with the bytes of the original ``relative`` (verified when fetched)."""
        if self.local_root is not None:
            return self.local_root / relative
        key = original_key(relative)
        target = self.folder.joinpath(*key.split("/"))
        if target.is_file():
            os.utime(target)  # most recently used
            return target
        self.store.get(key, target)
        if sha256_file(target) != sha256:
            target.unlink(missing_ok=True)
            raise StoreError(f"{self.store.location}{key}: its bytes do not match its SHA-256")
        self.fetched += 1
        self.trim(keep=target)
        return target

    def trim(self, keep: Path | None = None) -> list[Path]:
        """Drop the least recently used copies until the cache holds at most ``limit`` bytes."""
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
            if path == keep:
                continue
            path.unlink(missing_ok=True)
            total -= size
            dropped.append(path)
        return dropped
