"""Derivatives kept in a bucket: uploading them when made, seeing them, reading them cached."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from archive.layout import Layout
from archive.storage import Store, StoreConfig, StoreMissing, open_store
from archive.storage.cache import OriginalCache

if TYPE_CHECKING:
    from archive.config import Settings
    from media.derivatives import Made

DERIVATIVES = "derivatives/"  # the catalogue's paths of derivatives start with it
CACHE_CONTROL = "no-cache"  # a derivative is replaced when its spec changes


def derivative_key(relative: str) -> str:
    """The store key of a derivative from its catalogue path (``derivatives/thumb/ab/….webp``)."""
    return relative[len(DERIVATIVES) :] if relative.startswith(DERIVATIVES) else relative


def derivatives_config(settings: Settings) -> StoreConfig | None:
    """How to open the bucket of derivatives ([storage] derivatives); None: the archive's
    own derivatives/ folder."""
    location = settings.storage.derivatives
    return settings.storage.config(location) if location else None


def upload_made(config: StoreConfig, layout: Layout, made: Iterable[Made]) -> None:
    """Put each derivative just made into the bucket (replacing an older one), then drop the
    local file: the bucket is where derivatives live."""
    store = open_store(config)
    for m in made:
        store.put(
            derivative_key(layout.relative(m.path)),
            m.path,
            content_type=m.mime,
            cache=CACHE_CONTROL,
        )
    for m in made:
        m.path.unlink(missing_ok=True)


class DerivativeFiles:
    """The archive's derivatives, in its folder or in a bucket: whether each is there, the
    stored ones no record names, and a local file with each one's bytes (downloaded into
    ``cache/derivatives/``, bounded by [storage] cache_size, only when asked for)."""

    def __init__(self, layout: Layout, settings: Settings | None = None) -> None:
        from archive.config import load

        settings = settings or load(layout)
        self.layout = layout
        self.config = derivatives_config(settings)
        self.store: Store | None = open_store(self.config) if self.config else None
        self._keys: dict[str, int] | None = None
        self._used: set[Path] = set()  # fetched or reused by this run: never trimmed by it
        self.cache = None
        if self.store is not None:
            folder = layout.root / "cache" / "derivatives"
            self.cache = OriginalCache(self.store, folder, settings.storage.cache_size, None)

    def _listed(self) -> dict[str, int]:
        if self._keys is None:
            assert self.store is not None
            self._keys = {o.key: o.size for o in self.store.objects()}
        return self._keys

    def exists(self, relative: str) -> bool:
        """Is the derivative there (one listing of the bucket answers for all of them)."""
        if self.store is None:
            return self.layout.absolute(relative).is_file()
        return derivative_key(relative) in self._listed()

    def place(self, relative: str, fingerprint: str = "") -> Path:
        """Where the derivative is (a folder) or will be once fetched (a bucket): cached
        under its spec's fingerprint, so a copy made by an older spec is never taken for it."""
        if self.cache is None:
            return self.layout.absolute(relative)
        tag = fingerprint if re.fullmatch(r"[0-9a-f]{1,64}", fingerprint) else "_"
        folder = self.cache.folder / tag
        return folder.joinpath(*derivative_key(relative).split("/"))

    def local(self, relative: str, fingerprint: str = "") -> Path:
        """A local file with the derivative's bytes, downloaded only when not cached already."""
        if self.cache is None or self.store is None:
            return self.layout.absolute(relative)
        target = self.place(relative, fingerprint)
        size = self._listed().get(derivative_key(relative))
        if size is None:
            raise StoreMissing(f"{self.store.location}{derivative_key(relative)} is missing")
        if target.is_file() and target.stat().st_size == size:
            os.utime(target)  # most recently used
        else:
            self.store.get(derivative_key(relative), target)
            self.cache.fetched += 1
        self._used.add(target)
        self._trim()
        return target

    def _trim(self) -> None:
        assert self.cache is not None
        for path in self.cache.trim(protect=self._used):
            self._used.discard(path)

    def strays(self, referenced: set[str]) -> list[str]:
        """Catalogue-style paths of the objects in the bucket that no record names."""
        if self.store is None:
            return []
        return sorted(
            DERIVATIVES + key for key in self._listed() if DERIVATIVES + key not in referenced
        )

    def remove(self, relative: str) -> None:
        assert self.store is not None
        self.store.delete(derivative_key(relative))
        self._listed().pop(derivative_key(relative), None)
