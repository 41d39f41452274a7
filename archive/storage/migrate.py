"""Moving an archive's originals between its folder and a bucket, resumable, verified."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive import access
from archive.config import load
from archive.layout import Layout
from archive.storage import (
    Store,
    StoreError,
    check_location,
    open_store,
    original_key,
    originals_config,
)
from archive.storage.cache import fetch
from archive.storage.settings import set_originals
from media.temporary import temporary_path

Progress = Callable[[int, int, str], None]  # (done, total, catalogue path)


@dataclass(frozen=True)
class MigrateReport:
    source: str
    target: str
    copied: tuple[str, ...]  # catalogue paths copied and verified in this run
    already: int  # verified copies an earlier, interrupted run made
    removed: int  # copies deleted from the source once the setting was switched

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "copied": list(self.copied),
            "already": self.already,
            "removed": self.removed,
        }


def migrate(
    layout: Layout,
    to: str,
    *,
    keep_source: bool = False,
    wait: float = 0.0,
    on_file: Progress | None = None,
) -> MigrateReport:
    """Copy every original to ``to`` (s3://bucket/prefix, or ``local`` for the archive's
    originals/ folder), verify each copy against its SHA-256, then switch [storage]
    originals in archive.toml and delete the source copies (unless ``keep_source``).
    Interrupted, it starts again where it stopped: verified copies are not sent twice."""
    with access.writing(layout, "storage migrate", wait=wait) as catalog:
        settings = load(layout).storage
        local = str(layout.originals)
        target = local if to == "local" else check_location(to)
        source_config = originals_config(layout.root, settings)
        source = open_store(source_config)
        dest = open_store(settings.config(target))
        dest.probe()
        items = catalog.items()
        copied: list[str] = []
        already = 0
        moving = source_config.location != target
        for number, item in enumerate(items, 1):
            key = original_key(item.original)
            if is_copy(dest, key, item.sha256, item.size):
                already += 1
            elif not moving:
                raise StoreError(f"{target}{key} is missing or damaged; run `archive check`")
            else:
                copy_original(layout, source, dest, key, item.sha256)
                if not is_copy(dest, key, item.sha256, item.size):
                    raise StoreError(f"{dest.location}{key}: the copy does not verify")
                copied.append(item.original)
            if on_file is not None:
                on_file(number, len(items), item.original)
        set_originals(layout, None if target == local else target)
        removed = 0
        if moving and not keep_source:
            keys = {original_key(item.original) for item in items}
            for found in list(source.objects()):
                if found.key in keys:
                    source.delete(found.key)
                    removed += 1
        return MigrateReport(source_config.location, target, tuple(copied), already, removed)


def is_copy(store: Store, key: str, sha256: str, size: int) -> bool:
    """Does ``store`` hold the original ``key`` whole (its checksum, else its bytes)?"""
    found = store.stat(key)
    if found is None or found.size != size:
        return False
    return (found.verified_sha256 or store.hash(key)) == sha256


def copy_original(
    layout: Layout, source: Store, dest: Store, key: str, sha256: str, *, replace: bool = False
) -> None:
    """Copy the original ``key`` from one store to another, verified on the way; with
    ``replace``, a damaged copy at ``dest`` is deleted first (write-once allows no other)."""
    from archive.storage.local import LocalStore

    if replace:
        dest.delete(key)
    if isinstance(source, LocalStore):
        dest.put_original(key, source.root.joinpath(*key.split("/")), sha256)
        return
    staged = temporary_path(layout.root / "cache" / "migrate" / Path(key).name)
    try:
        fetch(source, key, staged, sha256)
        dest.put_original(key, staged, sha256)
    finally:
        staged.unlink(missing_ok=True)
