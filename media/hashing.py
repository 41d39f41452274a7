"""Streaming SHA-256 of files, and atomic copies checked against the hash."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from media.temporary import temporary_path

CHUNK = 1024 * 1024


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file, read in chunks (memory does not grow with size)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_verified(source: Path, target: Path, sha256: str) -> None:
    """Copy ``source`` to ``target`` through a temporary file and an atomic rename.

    The copy's hash is checked before the rename; a mismatch leaves nothing at
    ``target`` and raises OSError.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(target)
    digest = hashlib.sha256()
    try:
        with open(source, "rb") as src, open(tmp, "wb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        if digest.hexdigest() != sha256:
            raise OSError(f"{source} changed while it was being copied")
        os.chmod(tmp, 0o444)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
