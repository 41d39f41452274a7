"""The run log: one JSON line per file per run, in runs/<time>.jsonl."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


class RunLog:
    """Append-only log of one run; each line is flushed as it is written."""

    def __init__(self, folder: Path, command: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
        base = f"{stamp}-{os.getpid()}"
        for attempt in range(1, 1000):  # two runs in one second of one process get two logs
            self.id = base if attempt == 1 else f"{base}-{attempt}"
            self.path = folder / f"{self.id}.jsonl"
            try:
                self._handle = open(self.path, "x", encoding="utf-8")
                break
            except FileExistsError:
                continue
        else:  # pragma: no cover - a thousand runs in one second
            raise FileExistsError(f"cannot make a new run log in {folder}")
        self.write({"event": "start", "command": command, "at": _now()})

    def write(self, record: dict[str, Any]) -> None:
        self._handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        self._handle.flush()

    def close(self, summary: dict[str, Any]) -> None:
        self.write({"event": "end", "at": _now(), **summary})
        self._handle.close()


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
