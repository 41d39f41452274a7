"""Finding the files to ingest in the sources, in a stable order."""

from __future__ import annotations

import errno
import fnmatch
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from archive.sidecars import FOLDER_FILES, NOT_MEDIA_SUFFIXES


@dataclass(frozen=True)
class Found:
    """A file to ingest, with the source root it was found under."""

    path: Path
    root: Path


@dataclass(frozen=True)
class Unreadable:
    """A path that could not be walked or read, and why."""

    path: Path
    reason: str


def display_path(path: Path) -> str:
    """A path as text that SQLite and JSON can hold, even when the name is not UTF-8."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")


def discover(
    sources: list[Path], ignore: tuple[str, ...] = (), skip: Path | None = None
) -> Iterator[Found | Unreadable]:
    """Walk ``sources`` in sorted order; skip hidden files, sidecars and ignore patterns.

    ``skip`` is a folder never entered (the archive itself, when it lies inside a source).
    """
    for source in sources:
        source = source.absolute()
        if not os.path.lexists(source):
            yield Unreadable(source, "no such file or folder")
            continue
        if source.is_file():
            if not _ignored(source.name, ignore):
                yield Found(source, source.parent)
            continue
        if not source.is_dir():
            yield Unreadable(source, "not a regular file or folder")
            continue
        yield from _walk(source, source, ignore, skip)


def _walk(
    folder: Path, root: Path, ignore: tuple[str, ...], skip: Path | None
) -> Iterator[Found | Unreadable]:
    try:
        with os.scandir(folder) as handle:
            entries = sorted(handle, key=lambda e: os.fsencode(e.name))
    except FileNotFoundError:
        yield Unreadable(folder, "the folder disappeared during the run")
        return
    except OSError as exc:
        yield Unreadable(folder, f"cannot list the folder: {exc.strerror or exc}")
        return
    for entry in entries:
        name = entry.name
        if name.startswith(".") or _ignored(name, ignore):
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                if skip is not None and path.absolute() == skip:
                    continue
                yield from _walk(path, root, ignore, skip)
                continue
            if entry.is_symlink() and not path.exists():
                yield Unreadable(path, _dead_link(path))
                continue
            if not entry.is_file(follow_symlinks=True):
                if entry.is_symlink() and path.is_dir():
                    continue  # folder links are not followed (no loops)
                yield Unreadable(path, "not a regular file (a pipe, socket or device)")
                continue
        except OSError as exc:
            yield Unreadable(path, f"cannot be read: {exc.strerror or exc}")
            continue
        if name in FOLDER_FILES or path.suffix.lower() in NOT_MEDIA_SUFFIXES:
            continue
        yield Found(path, root)


def _dead_link(path: Path) -> str:
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link that loops back on itself"
    return "a broken symbolic link (what it points to does not exist)"


def _ignored(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(name, p) for p in patterns)
