"""One writer at a time: the archive's lock file, portable through the filelock library."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from archive.errors import ArchiveBusy
from archive.layout import Layout

log = logging.getLogger(__name__)

POLL = 0.2  # seconds between tries while waiting for another command


@contextmanager
def archive_lock(layout: Layout, command: str, *, wait: float = 0.0) -> Iterator[None]:
    """Hold the archive's lock for ``command``; wait up to ``wait`` seconds for it.

    The operating system releases the lock when the process dies (flock on Linux and
    macOS, a locked file on Windows), so a killed run never leaves the archive locked.
    Who holds it is written beside the lock, so that a refused command can say so.
    """
    import filelock  # only commands that write pay for the import

    layout.root.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(os.fspath(layout.lock), is_singleton=False)
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        if wait <= 0:
            raise _busy(layout) from None
        log.warning("waiting up to %g s for %s to finish", wait, holder(layout))
        try:
            lock.acquire(timeout=wait, poll_interval=POLL)
        except filelock.Timeout:
            raise _busy(layout) from None
    try:
        _write_holder(layout, f"`archive {command}` (pid {os.getpid()})")
        yield
    finally:
        lock.release()


def is_free(layout: Layout) -> bool:
    """True when no command holds the lock (a moment's look: it may be taken right after)."""
    try:
        with archive_lock(layout, "look"):
            return True
    except ArchiveBusy:
        return False


def holder(layout: Layout) -> str:
    """Who holds (or last held) the lock, as the holder wrote it."""
    try:
        text = layout.lock_holder.read_text(encoding="utf-8").strip()
    except OSError:
        text = ""
    return text or "another command"


def _busy(layout: Layout) -> ArchiveBusy:
    return ArchiveBusy(
        f"the archive {layout.root} is in use by {holder(layout)}; "
        "try again when it has finished (or pass --wait SECONDS)"
    )


def _write_holder(layout: Layout, text: str) -> None:
    tmp = layout.lock_holder.with_name(f"{layout.lock_holder.name}.{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, layout.lock_holder)
    except OSError:  # the name is for messages only; the lock itself is held
        tmp.unlink(missing_ok=True)
