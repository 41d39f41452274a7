"""Publishing from the app: the site export in a thread, with the stage it has reached."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from archive.errors import ArchiveError
from archive.layout import Layout
from archive.serve.waiting import WRITE_WAIT, Writes
from catalog.errors import CatalogError
from media.errors import MediaError


@dataclass(frozen=True)
class Progress:
    stage: str  # idle, running, done, failed
    message: str = ""
    report: dict[str, Any] | None = None

    def to_dict(self, writes: Writes) -> dict[str, Any]:
        waiting = writes.state()["waiting"] if self.stage == "running" else None
        return {
            "stage": self.stage,
            "message": waiting or self.message,
            "waiting": bool(waiting),
            "report": self.report,
        }


class Publisher:
    """Runs one export at a time into ``dest`` (None: publishing is not set up)."""

    def __init__(self, layout: Layout, dest: Path | None, writes: Writes) -> None:
        self.layout, self.dest, self.writes = layout, dest, writes
        self._progress = Progress("idle")
        self._mutex = threading.Lock()

    @property
    def progress(self) -> Progress:
        with self._mutex:
            return self._progress

    def _set(self, progress: Progress) -> None:
        with self._mutex:
            self._progress = progress

    def start(self) -> bool:
        """Start an export; False when one is running already or no site folder is set."""
        if self.dest is None:
            return False
        with self._mutex:
            if self._progress.stage == "running":
                return False
            self._progress = Progress("running", f"writing the site into {self.dest}")
        threading.Thread(target=self._run, name="publish", daemon=True).start()
        return True

    def _run(self) -> None:
        from archive.export import export

        try:
            with self.writes.write():
                report = export(self.layout, self.dest, wait=WRITE_WAIT)  # type: ignore[arg-type]
        except (ArchiveError, CatalogError, MediaError, OSError) as exc:
            self._set(Progress("failed", str(exc)))
            return
        data = report.to_dict()
        summary = {
            "items": data["items"],
            "written": len(data["written"]),
            "unchanged": len(data["unchanged"]),
            "removed": len(data["removed"]),
            "warnings": data["warnings"],
        }
        self._set(replace(self.progress, stage="done", message=str(self.dest), report=summary))
