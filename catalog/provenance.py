"""Where each field's value came from, what sidecars last said, conflicts, values not accepted."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from catalog.models import PER_LANGUAGE_FIELDS, TEXT_LANGUAGES

# Ways in that read files; every other way (edit, spreadsheet, app, undo, …) is a person's.
FROM_FILES = frozenset({"sidecar", "xmp-sidecar", "embedded"})
SIDECAR, SPREADSHEET = "sidecar", "spreadsheet"


class _Missing:
    """No value known (as opposed to a known empty value)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def plain(value: Any) -> Any:
    """A value as JSON data: tuples become lists (so values from anywhere compare equal)."""
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "to_dict"):  # a video's chapters
        return value.to_dict()
    return value


def dumps(value: Any) -> str:
    return json.dumps(plain(value), ensure_ascii=False)


def base_field(column: str) -> str:
    """``title_en`` → ``title``; any other column is its own field."""
    name, _, lang = column.rpartition("_")
    return name if name in PER_LANGUAGE_FIELDS and lang in TEXT_LANGUAGES else column


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Origin:
    """How and when a field got its value."""

    via: str
    at: str
    actor: str | None = None
    origin: str | None = None  # the sidecar file, or the sheet and row

    def to_dict(self) -> dict[str, Any]:
        return {"via": self.via, "at": self.at, "actor": self.actor, "origin": self.origin}


@dataclass(frozen=True)
class Conflict:
    """A source's new value that met a value a person set: nothing was changed."""

    key: str
    field: str
    source: str  # sidecar or spreadsheet
    theirs: Any
    base: Any  # what the source said before; MISSING when unknown
    via: str
    origin: str | None
    at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "field": self.field,
            "source": self.source,
            "theirs": self.theirs,
            "base": None if self.base is MISSING else self.base,
            "has_base": self.base is not MISSING,
            "via": self.via,
            "origin": self.origin,
            "at": self.at,
        }


@dataclass(frozen=True)
class NotAccepted:
    """A value a sidecar or the file gave that was not stored, and why."""

    key: str
    field: str
    value: str
    reason: str
    via: str
    origin: str | None
    at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "field": self.field,
            "value": self.value,
            "reason": self.reason,
            "via": self.via,
            "origin": self.origin,
            "at": self.at,
        }


# -- provenance ------------------------------------------------------------------------


def describe(detail: dict[str, Any]) -> str | None:
    """``items.xlsx row 3`` or the sidecar's path, from an event's detail."""
    if not detail.get("file"):
        return None
    row = detail.get("row")
    return f"{detail['file']} row {row}" if row else str(detail["file"])


def record(
    db: sqlite3.Connection, key: str, applied: Iterable[tuple[str, Any, Any]], info: dict[str, Any]
) -> None:
    """Remember how the fields in ``applied`` got their new values. A conflict whose value
    the field now holds is settled; a person's change of a field settles what was not
    accepted for it."""
    at, via = _now(), str(info.get("via") or "edit")
    names: set[str] = set()
    for field, _old, new in applied:
        db.execute(
            "INSERT INTO provenance (key, field, via, at, actor, origin) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (key, field) DO UPDATE SET via = excluded.via, at = excluded.at,"
            " actor = excluded.actor, origin = excluded.origin",
            (key, field, via, at, info.get("actor"), describe(info)),
        )
        db.execute(
            "DELETE FROM conflicts WHERE key = ? AND field = ? AND theirs = ?",
            (key, field, dumps(new)),
        )
        names |= {field, base_field(field)}
    if via not in FROM_FILES and names:
        marks = ", ".join("?" for _ in names)
        db.execute(
            f"DELETE FROM not_accepted WHERE key = ? AND field IN ({marks})", (key, *sorted(names))
        )


def _origin(row: sqlite3.Row) -> Origin:
    return Origin(row["via"], row["at"], row["actor"], row["origin"])


def origins(db: sqlite3.Connection, key: str) -> dict[str, Origin]:
    """Field → how it got its value, for one item."""
    rows = db.execute("SELECT * FROM provenance WHERE key = ? ORDER BY field", (key,))
    return {r["field"]: _origin(r) for r in rows}


def field_origins(db: sqlite3.Connection, field: str) -> dict[str, Origin]:
    """Item key → how ``field`` got its value, for every item that has a record of it."""
    rows = db.execute("SELECT * FROM provenance WHERE field = ?", (field,))
    return {r["key"]: _origin(r) for r in rows}


# -- what a source last said -------------------------------------------------------------


def seen(db: sqlite3.Connection, key: str, source: str) -> dict[str, Any]:
    rows = db.execute("SELECT field, value FROM seen WHERE key = ? AND source = ?", (key, source))
    return {r["field"]: json.loads(r["value"]) for r in rows}


def remember(db: sqlite3.Connection, key: str, source: str, field: str, value: Any) -> None:
    db.execute(
        "INSERT INTO seen (key, source, field, value, at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (key, source, field) DO UPDATE SET value = excluded.value, at = excluded.at",
        (key, source, field, dumps(value), _now()),
    )


def value_after(db: sqlite3.Connection, key: str, field: str, event_id: int) -> Any:
    """What ``field`` held just after event ``event_id``: the old value of its first change
    since, or MISSING when it has not changed since (then it holds it still)."""
    row = db.execute(
        "SELECT old FROM events WHERE key = ? AND field = ? AND action = 'edited' AND id > ?"
        " ORDER BY id LIMIT 1",
        (key, field, event_id),
    ).fetchone()
    if row is None:
        return MISSING
    return json.loads(row["old"]) if row["old"] is not None else None


# -- conflicts -------------------------------------------------------------------------


def put_conflict(
    db: sqlite3.Connection,
    key: str,
    field: str,
    source: str,
    *,
    theirs: Any,
    base: Any,
    via: str,
    origin: str | None,
) -> None:
    db.execute(
        "INSERT INTO conflicts (key, field, source, theirs, base, via, origin, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key, field, source) DO UPDATE SET"
        " theirs = excluded.theirs, base = excluded.base, via = excluded.via,"
        " origin = excluded.origin, at = excluded.at",
        (
            key,
            field,
            source,
            dumps(theirs),
            None if base is MISSING else dumps(base),
            via,
            origin,
            _now(),
        ),
    )


def drop_conflict(db: sqlite3.Connection, key: str, field: str, source: str) -> None:
    db.execute(
        "DELETE FROM conflicts WHERE key = ? AND field = ? AND source = ?", (key, field, source)
    )


def conflicts(
    db: sqlite3.Connection,
    *,
    key: str | None = None,
    field: str | None = None,
    source: str | None = None,
) -> list[Conflict]:
    where, args = [], []
    for column, value in (("key", key), ("field", field), ("source", source)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    sql = "SELECT * FROM conflicts" + (" WHERE " + " AND ".join(where) if where else "")
    rows = db.execute(sql + " ORDER BY key, field, source", args)
    return [
        Conflict(
            key=r["key"],
            field=r["field"],
            source=r["source"],
            theirs=json.loads(r["theirs"]),
            base=MISSING if r["base"] is None else json.loads(r["base"]),
            via=r["via"],
            origin=r["origin"],
            at=r["at"],
        )
        for r in rows
    ]


# -- values not accepted -----------------------------------------------------------------


def not_accepted(db: sqlite3.Connection, key: str | None = None) -> list[NotAccepted]:
    sql, args = "SELECT * FROM not_accepted", []
    if key is not None:
        sql, args = sql + " WHERE key = ?", [key]
    rows = db.execute(sql + " ORDER BY key, field, value", args)
    return [
        NotAccepted(r["key"], r["field"], r["value"], r["reason"], r["via"], r["origin"], r["at"])
        for r in rows
    ]


def replace_not_accepted(
    db: sqlite3.Connection, key: str, vias: Iterable[str], entries: Iterable[NotAccepted]
) -> None:
    """What the sources ``vias`` did not accept for ``key`` is now ``entries`` (a source read
    again says afresh what it gives)."""
    vias = sorted(set(vias))
    marks = ", ".join("?" for _ in vias)
    db.execute(f"DELETE FROM not_accepted WHERE key = ? AND via IN ({marks})", (key, *vias))
    for e in entries:
        db.execute(
            "INSERT INTO not_accepted (key, field, value, reason, via, origin, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key, field, value) DO UPDATE SET"
            " reason = excluded.reason, via = excluded.via, origin = excluded.origin",
            (key, e.field, e.value, e.reason, e.via, e.origin, e.at or _now()),
        )


def drop_not_accepted(db: sqlite3.Connection, key: str, field: str, value: str) -> None:
    db.execute(
        "DELETE FROM not_accepted WHERE key = ? AND field = ? AND value = ?", (key, field, value)
    )


# -- migration 3 -------------------------------------------------------------------------


def backfill(db: sqlite3.Connection) -> None:
    """Migration 3: each field's provenance, and what the sidecars last said, from the
    history (every change has been an event with where it came from)."""
    rows = db.execute(
        "SELECT key, at, field, new, detail FROM events WHERE action = 'edited'"
        " AND field IS NOT NULL AND key IN (SELECT key FROM items) ORDER BY id"
    ).fetchall()
    for row in rows:
        detail = json.loads(row["detail"] or "{}")
        via = str(detail.get("via") or "edit")
        db.execute(
            "INSERT OR REPLACE INTO provenance (key, field, via, at, actor, origin)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (row["key"], row["field"], via, row["at"], detail.get("actor"), describe(detail)),
        )
        if via in ("sidecar", "xmp-sidecar"):
            db.execute(
                "INSERT OR REPLACE INTO seen (key, source, field, value, at)"
                " VALUES (?, ?, ?, ?, ?)",
                (row["key"], SIDECAR, row["field"], row["new"] or "null", row["at"]),
            )
