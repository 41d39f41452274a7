"""Where originals live: one interface over a local folder and an S3-compatible bucket."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from archive.errors import ArchiveError, UsageProblem

if TYPE_CHECKING:
    from archive.storage.settings import StorageSettings

MiB = 1024 * 1024
ORIGINALS = "originals/"  # the catalogue's paths of originals start with it


class StoreError(ArchiveError):
    """The store refused or failed an operation; the message says which and why."""


class StoreUnreachable(StoreError):
    """The store cannot be reached (network, server down) even after the retries."""


class StoreMissing(StoreError):
    """No object under the key."""


class NotWriteOnce(StoreError):
    """A different object already sits under the key of an original: nothing was written."""


@dataclass(frozen=True)
class StoreConfig:
    """What opens a store, as plain values a worker process can be given."""

    location: str  # "s3://bucket/prefix", or an absolute folder path
    endpoint: str | None = None
    region: str | None = None
    profile: str | None = None
    multipart_threshold: int = 64 * MiB
    part_size: int = 16 * MiB
    attempts: int = 4  # tries of each request, with exponential back-off between them
    connect_timeout: float = 5.0

    @property
    def is_s3(self) -> bool:
        return self.location.startswith("s3://")


@dataclass(frozen=True)
class StoredObject:
    """One object as the store describes it, without its bytes."""

    key: str
    size: int
    checksum: str | None = None  # the store's own SHA-256 (base64; "…-N" when multipart)
    claimed_sha256: str | None = None  # the hex SHA-256 written beside it at upload
    claimed_parts: str | None = None  # the multipart checksum expected at upload

    @property
    def verified_sha256(self) -> str | None:
        """The SHA-256 the store itself vouches for, or None when it keeps none.

        A single upload's checksum is the file's SHA-256. A multipart upload's is the hash
        of its parts' hashes; when it equals the one computed from the same bytes at upload,
        the SHA-256 computed then still holds."""
        if not self.checksum:
            return None
        if "-" in self.checksum:
            if self.claimed_parts == self.checksum and self.claimed_sha256:
                return self.claimed_sha256
            return None
        try:
            return base64.b64decode(self.checksum).hex()
        except (binascii.Error, ValueError):
            return None


@dataclass(frozen=True)
class PutResult:
    created: bool  # False: the same original was there already
    parts: int = 0  # parts of a multipart upload (0: one request)
    parts_reused: int = 0  # parts an interrupted upload had already sent


PartCallback = Callable[[int, int], None]  # (parts done, parts in all)


class Store(Protocol):
    location: str

    def put_original(
        self, key: str, source: Path, sha256: str, on_part: PartCallback | None = None
    ) -> PutResult:
        """Store ``source`` under ``key`` once: verified against ``sha256``; an object
        already there with the same hash is left; a different one raises NotWriteOnce."""
        ...

    def put(
        self, key: str, source: Path, *, content_type: str | None = None, cache: str | None = None
    ) -> None:
        """Write or replace ``key`` (site files, not originals)."""
        ...

    def get(self, key: str, target: Path) -> None:
        """Copy the object to ``target`` (written aside, then renamed)."""
        ...

    def stat(self, key: str) -> StoredObject | None: ...

    def hash(self, key: str) -> str:
        """The SHA-256 of the object's bytes, read in full."""
        ...

    def delete(self, key: str) -> None: ...

    def objects(self) -> Iterator[StoredObject]: ...

    def probe(self) -> None:
        """Raise StoreUnreachable (or StoreError) when the store cannot be used."""
        ...


def open_store(config: StoreConfig) -> Store:
    """The store at ``config.location`` (a bucket's client is made once per process)."""
    if config.is_s3:
        from archive.storage.s3 import S3Store

        return S3Store.open(config)
    from archive.storage.local import LocalStore

    return LocalStore(Path(config.location))


def original_key(relative: str) -> str:
    """The store key of an original from its catalogue path (``originals/ab/ab….jpg``)."""
    return relative[len(ORIGINALS) :] if relative.startswith(ORIGINALS) else relative


def check_location(location: str) -> str:
    """``location`` if it names a bucket (s3://bucket[/prefix]) or a folder, else UsageProblem."""
    if location.startswith("s3://"):
        bucket = location[5:].split("/", 1)[0]
        if not bucket:
            raise UsageProblem(f"{location!r} names no bucket; write s3://BUCKET/PREFIX")
        return location.rstrip("/") + "/"
    if "://" in location:
        raise UsageProblem(f"{location!r}: only s3:// locations and folders are supported")
    return str(Path(location).expanduser().absolute())


def originals_config(root: Path, storage: StorageSettings) -> StoreConfig:
    """How to open the originals of the archive at ``root`` ([storage] originals, else the
    archive's own originals/ folder)."""
    return storage.config(storage.originals or str(root / "originals"))
