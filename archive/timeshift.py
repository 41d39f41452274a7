"""Moving the dates taken of many items at once (a camera whose clock was wrong), and back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive import access, indexing
from archive.edit import targets
from archive.errors import ArchiveError, UsageProblem
from archive.history import _same_or_refuse
from archive.layout import Layout
from catalog import dates
from catalog.errors import CatalogError
from catalog.store import Catalog


@dataclass(frozen=True)
class Moved:
    key: str
    old: str | None
    new: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Skipped:
    key: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "reason": self.reason}


@dataclass(frozen=True)
class ShiftReport:
    """What a shift moved (or, with a dry run, would move), and what it left alone."""

    by: str
    moved: tuple[Moved, ...]
    skipped: tuple[Skipped, ...]
    applied: bool
    shift: int | None = None  # the number to undo it by (the id of its first event)

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "shift": self.shift,
            "applied": self.applied,
            "moved": [m.to_dict() for m in self.moved],
            "skipped": [s.to_dict() for s in self.skipped],
        }


def timeshift(
    layout: Layout,
    by: str,
    *,
    keys: list[str] = (),  # type: ignore[assignment]
    query: str | None = None,
    dry_run: bool = False,
    actor: str | None = None,
    wait: float = 0.0,
) -> ShiftReport:
    """Move the date taken of the items named by ``keys`` and/or ``query`` by ``by``
    (``+5h30m``, ``-1y2d``), each kept to its precision; one `edited` event per item, all
    with the same shift number. Undated items are skipped (date them with
    ``archive edit KEY --set taken_at=…``); the date the file gives stays in
    ``taken_at_original``."""
    try:
        shift = dates.parse_shift(by)
    except CatalogError as exc:
        raise UsageProblem(str(exc)) from exc
    if not keys and query is None:
        raise UsageProblem("name the items by KEY or --query")
    layout.require()
    if dry_run:
        with access.reading(layout) as catalog:
            moved, skipped = _plan(layout, catalog, list(keys), query, shift, locked=False)
        return ShiftReport(shift.text, tuple(moved), tuple(skipped), applied=False)
    with access.writing(layout, "timeshift", wait=wait) as catalog:
        moved, skipped = _plan(layout, catalog, list(keys), query, shift, locked=True)
        number = catalog.last_event_id() + 1 if moved else None
        detail = {"by": shift.text, "shift": number}
        with catalog.transaction():
            for m in moved:
                catalog.update(
                    m.key, {"taken_at": m.new}, actor=actor, via="timeshift", detail=detail
                )
        if moved:
            indexing.update(layout, catalog, {m.key for m in moved})
        return ShiftReport(shift.text, tuple(moved), tuple(skipped), True, number)


def _plan(
    layout: Layout,
    catalog: Catalog,
    keys: list[str],
    query: str | None,
    shift: dates.Shift,
    *,
    locked: bool,
) -> tuple[list[Moved], list[Skipped]]:
    found = targets(layout, catalog, keys, query, locked=locked)
    if not found:
        raise ArchiveError("no item matches; nothing was changed")
    moved, skipped = [], []
    for key in found:
        old = catalog.get(key).taken_at
        if not old:
            skipped.append(Skipped(key, "undated (date it with archive edit KEY --set taken_at=…)"))
            continue
        try:
            new = dates.shift(old, shift)
        except CatalogError as exc:
            skipped.append(Skipped(key, str(exc)))
            continue
        if new == old:
            precision = dates.precision_of(old)
            skipped.append(
                Skipped(key, f"known only to the {precision}: {shift.text} does not move it")
            )
            continue
        moved.append(Moved(key, old, new))
    return moved, skipped


def undo_shift(
    layout: Layout, number: int, *, actor: str | None = None, wait: float = 0.0
) -> ShiftReport:
    """Put back every date shift ``number`` moved, as new events; refused (nothing
    changes) when any of them has changed again since."""
    with access.writing(layout, "timeshift --undo", wait=wait) as catalog:
        ids = [
            row[0]
            for row in catalog.db.execute(
                "SELECT id FROM events WHERE action = 'edited' AND field = 'taken_at'"
                " AND json_extract(detail, '$.via') = 'timeshift'"
                " AND json_extract(detail, '$.shift') = ? ORDER BY id",
                (number,),
            )
        ]
        if not ids:
            raise ArchiveError(f"there is no time shift {number}")
        events, skipped, refused = [], [], []
        for event in (catalog.event(i) for i in ids):
            if catalog.get(event.key).taken_at == event.old:
                skipped.append(Skipped(event.key, "already back (undone before)"))
                continue
            try:
                _same_or_refuse(catalog.get(event.key).taken_at, event)
            except CatalogError as exc:
                refused.append(f"{event.key}: {exc}")
            events.append(event)
        if refused:
            raise ArchiveError(f"time shift {number} cannot be undone: " + "; ".join(refused))
        if not events:
            raise ArchiveError(f"time shift {number} has been undone already")
        by = str(catalog.event(ids[0]).detail.get("by") or "")
        with catalog.transaction():
            for event in events:
                catalog.update(
                    event.key,
                    {"taken_at": event.old},
                    actor=actor,
                    via="undo",
                    detail={"undoes": event.id, "shift": number},
                )
        indexing.update(layout, catalog, {e.key for e in events})
        moved = tuple(Moved(e.key, e.new, e.old) for e in events)
        back = dates.parse_shift(by).inverse().text if by else ""
        return ShiftReport(back, moved, tuple(skipped), True, number)
