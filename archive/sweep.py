"""Removing temporaries that dead runs left in the archive."""

from __future__ import annotations

import glob
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

from archive.layout import Layout
from media.temporary import FRAME_FOLDER, temporary_pid


def sweep(layout: Layout) -> list[str]:
    """Remove the temporary files of runs that are no longer alive: ``.NAME.PID.tmp`` in
    ``originals/``, ``derivatives/`` and ``cache/`` (downloads and staged site files cut
    off part-way), and their still-frame folders in the system's
    temporary folder. Returns the archive-relative paths of the files removed.

    Call it holding the archive's write lock, before the run writes anything: no other
    writer runs then, so every temporary is a dead run's. The process id in the name is
    still checked where that is cheap, and nothing but the archive's own temporary names
    is ever removed.
    """
    removed = []
    for folder in (layout.originals, layout.derivatives, layout.root / "cache"):
        for dirpath, _dirs, names in os.walk(folder):
            for name in names:
                pid = temporary_pid(name)
                if pid is None or is_alive(pid):
                    continue
                path = Path(dirpath) / name
                if _remove_file(path):
                    removed.append(layout.relative(path))
    _sweep_frame_folders(Path(tempfile.gettempdir()))
    return sorted(removed)


def sweep_beside(target: Path) -> None:
    """Remove the temporaries of ``target`` (``.NAME.PID.tmp`` beside it) that dead runs left;
    for files the archive writes outside itself, such as a metadata spreadsheet."""
    try:
        entries = list(target.parent.glob(f".{glob.escape(target.name)}.*.tmp"))
    except OSError:
        return
    for path in entries:
        pid = temporary_pid(path.name)
        if pid is not None and path.name == f".{target.name}.{pid}.tmp" and not is_alive(pid):
            _remove_file(path)


def is_alive(pid: int) -> bool:
    """True when process ``pid`` runs on this machine, and is not this process (which, at
    the start of a run, has no temporary in flight)."""
    if pid == os.getpid() or pid <= 0:
        return False
    if sys.platform == "win32":
        # os.kill(pid, 0) would stop the process there. The write lock already says that
        # no other writer runs; every temporary found under it is a dead run's.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OSError:
        return False
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A process that has exited but not been reaped runs nothing (Linux; False elsewhere)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2 :].split()[0] in ("Z", "X")


def _remove_file(path: Path) -> bool:
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            return False  # a link or a folder with a temporary's name is not ours
        if sys.platform == "win32" and not info.st_mode & stat.S_IWRITE:
            os.chmod(path, stat.S_IWRITE)  # a stored original is read-only
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError:
        return False  # left for `archive check` to name
    return True


def _sweep_frame_folders(temp: Path) -> None:
    """Still-frame folders of killed runs: ``pamir-frame-PID-…`` of this user, PID gone."""
    try:
        entries = list(os.scandir(temp))
    except OSError:
        return
    for entry in entries:
        match = FRAME_FOLDER.fullmatch(entry.name)
        if not match or is_alive(int(match.group("pid"))):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue
            if hasattr(os, "getuid") and entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
