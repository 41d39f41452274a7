"""What the app's writes are doing: running, or waiting for another command's lock."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

WRITE_WAIT = 600.0  # seconds a write from the app waits for another command's lock


class Writes(logging.Handler):
    """Counts the app's writes in progress and keeps the lock's "waiting for …" message
    (the application logs it on `archive.lock`) while one of them waits."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self._mutex = threading.Lock()
        self._running: dict[int, str | None] = {}  # thread → waiting message

    def emit(self, record: logging.LogRecord) -> None:
        with self._mutex:
            ident = threading.get_ident()
            if ident in self._running:
                self._running[ident] = record.getMessage()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._mutex:
            self._running[threading.get_ident()] = None
        try:
            yield
        finally:
            with self._mutex:
                self._running.pop(threading.get_ident(), None)

    def state(self) -> dict[str, object]:
        with self._mutex:
            waiting = [m for m in self._running.values() if m]
        return {"writes": len(self._running), "waiting": waiting[0] if waiting else None}

    def attach(self) -> None:
        logger = logging.getLogger("archive.lock")
        logger.addHandler(self)
        if logger.getEffectiveLevel() > logging.WARNING:
            logger.setLevel(logging.WARNING)

    def detach(self) -> None:
        logging.getLogger("archive.lock").removeHandler(self)
