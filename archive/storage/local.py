"""Originals in a local folder: the archive's own originals/ or a replica on a USB disk."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from archive.storage import PartCallback, PutResult, StoredObject, StoreError
from media.hashing import copy_verified, sha256_file
from media.temporary import is_temporary, temporary_path


class LocalStore:
    """A folder of files named by key; they keep no checksum, so fixity reads them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.location = str(root)

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*key.split("/"))

    def put_original(
        self, key: str, source: Path, sha256: str, on_part: PartCallback | None = None
    ) -> PutResult:
        target = self._path(key)
        if target.is_file():
            # As ingest always did: a file of the same size under the same SHA-256 name is
            # that original (hashing it again would read every duplicate twice).
            # A file of another size is not that original: the verified copy replaces it.
            if target.stat().st_size == source.stat().st_size:
                return PutResult(created=False)
        copy_verified(source, target, sha256)
        return PutResult(created=True)

    def put(
        self, key: str, source: Path, *, content_type: str | None = None, cache: str | None = None
    ) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = temporary_path(target)
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)

    def get(self, key: str, target: Path) -> None:
        source = self._path(key)
        if not source.is_file():
            raise StoreError(f"{source} is missing")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = temporary_path(target)
        try:
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)

    def stat(self, key: str) -> StoredObject | None:
        path = self._path(key)
        try:
            return StoredObject(key, path.stat().st_size) if path.is_file() else None
        except OSError:
            return None

    def hash(self, key: str) -> str:
        return sha256_file(self._path(key))

    def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            os.chmod(path, 0o644)
            path.unlink()
        except FileNotFoundError:
            return
        try:
            path.parent.rmdir()  # an emptied ab/ folder goes too
        except OSError:
            pass

    def objects(self) -> Iterator[StoredObject]:
        for dirpath, _dirs, names in os.walk(self.root):
            for name in sorted(names):
                if name.startswith(".") or is_temporary(name):
                    continue
                path = Path(dirpath) / name
                key = path.relative_to(self.root).as_posix()
                yield StoredObject(key, path.stat().st_size)

    def probe(self) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"{self.root} is not a folder")
