"""What an ingest run reports: one outcome per file, the counts, failures and warnings."""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class Outcome(enum.StrEnum):
    ADDED = "added"
    DUPLICATE = "duplicate"
    UPDATED = "updated"
    SKIPPED = "skipped"
    FAILED = "failed"
    CONFLICT = "conflict"  # a sidecar changed a field a person changed too: nothing changed


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one source file."""

    path: str
    outcome: str
    key: str | None = None
    reason: str | None = None
    warnings: tuple[str, ...] = ()  # values not accepted
    conflicts: tuple[str, ...] = ()  # fields left alone: a person changed them too

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "outcome": self.outcome,
            "key": self.key,
            "reason": self.reason,
        }
        # Only on the outcomes that have them, so that a clean outcome keeps its shape.
        if self.warnings:
            data["warnings"] = list(self.warnings)
        if self.conflicts:
            data["conflicts"] = list(self.conflicts)
        return data


@dataclass(frozen=True)
class IngestReport:
    """What a run did. Every outcome is in the run log; the report keeps the counts and the
    failures, so that memory does not grow with the number of files, and reads the other
    outcomes back from the log when asked."""

    run_log: str | None
    archive: str
    dry_run: bool = False
    tally: tuple[tuple[str, int], ...] = ()
    failures: tuple[FileOutcome, ...] = ()
    kept: tuple[FileOutcome, ...] | None = None  # a dry run has no log: it keeps them all
    noted: tuple[FileOutcome, ...] = ()  # files with values not accepted or conflicts

    @property
    def counts(self) -> dict[str, int]:
        counts = {o.value: 0 for o in Outcome}
        counts.update(dict(self.tally))
        return counts

    @property
    def failed(self) -> bool:
        return self.counts[Outcome.FAILED.value] > 0

    @property
    def warnings(self) -> int:
        """How many values were not accepted."""
        return sum(len(o.warnings) for o in self.noted)

    @property
    def conflicts(self) -> int:
        """How many fields were left alone because a person had changed them."""
        return sum(len(o.conflicts) for o in self.noted)

    def iter_outcomes(self) -> Iterator[FileOutcome]:
        """Every file's outcome, in the order they happened."""
        if self.kept is not None:
            yield from self.kept
            return
        if self.run_log is None:
            return
        with open(Path(self.archive) / self.run_log, encoding="utf-8") as log:
            for line in log:
                record = json.loads(line)
                if record.get("event") == "file":
                    yield FileOutcome(
                        record["path"],
                        record["outcome"],
                        record.get("key"),
                        record.get("reason"),
                        tuple(record.get("warnings") or ()),
                        tuple(record.get("conflicts") or ()),
                    )

    @property
    def outcomes(self) -> tuple[FileOutcome, ...]:
        return tuple(self.iter_outcomes())

    def to_dict_summary(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "archive": self.archive,
            "run_log": self.run_log,
            "dry_run": self.dry_run,
            "warnings": self.warnings,
            "conflicts": self.conflicts,
        }

    def to_dict(self) -> dict[str, Any]:
        return {"outcomes": [o.to_dict() for o in self.iter_outcomes()], **self.to_dict_summary()}
