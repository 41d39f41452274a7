"""One writer at a time: an advisory lock on the archive folder."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from archive.errors import ArchiveBusy
from archive.layout import Layout


@contextmanager
def archive_lock(layout: Layout, command: str, *, wait: float = 0.0) -> Iterator[None]:
    """Hold the archive's lock for ``command``; wait up to ``wait`` seconds for it.

    The lock is released by the kernel when the process dies, so a killed run never
    leaves the archive locked.
    """
    layout.root.mkdir(parents=True, exist_ok=True)
    handle = open(layout.lock, "a+", encoding="utf-8")
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another command"
                    raise ArchiveBusy(
                        f"the archive {layout.root} is in use by {holder}; "
                        "try again when it has finished (or pass --wait SECONDS)"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"`archive {command}` (pid {os.getpid()})")
        handle.flush()
        yield
    finally:
        handle.close()
