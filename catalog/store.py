"""The SQLite catalogue: items, sources, events and derivatives, with migrations."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields as dc_fields
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from catalog import provenance
from catalog.chapters import Chapter
from catalog.errors import CatalogError, InvalidValue, UnknownKey
from catalog.fields import (
    EDITABLE_FIELDS,
    STRUCTURED_FIELDS,
    check_terms,
    expand,
    normalise,
    preferred,
)
from catalog.models import (
    LIST_FIELDS,
    PER_LANGUAGE_FIELDS,
    TEXT_LANGUAGES,
    Derivative,
    Event,
    EventAction,
    Item,
    SourceRecord,
)
from catalog.upgrades import AFTER_MIGRATION
from catalog.vocabulary import Vocabularies

_ITEM_COLUMNS = tuple(f.name for f in dc_fields(Item) if f.name not in ("source_paths",))


def utc_now() -> str:
    """The current time as ISO 8601 UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("catalog") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)


class Catalog:
    """One archive's catalogue. The main process is its only writer."""

    def __init__(self, path: Path, *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise CatalogError(f"cannot open the catalogue {self.path}: {exc}") from exc
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._depth = 0
        self.migrate()

    # -- lifecycle -----------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Apply every numbered migration newer than the catalogue."""
        current = self.schema_version
        for number, sql in _migrations():
            if number <= current:
                continue
            with self.transaction():
                for statement in _split_sql(sql):
                    self.db.execute(statement)
                if number in AFTER_MIGRATION:
                    AFTER_MIGRATION[number](self.db)
                self.db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")
        finally:
            self._depth = 0

    # -- items ---------------------------------------------------------------
    def add_item(self, item: Item, *, detail: dict[str, Any] | None = None) -> None:
        """Insert a new item and its `ingested` event."""
        row = _item_to_row(item)
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self.transaction():
            self.db.execute(f"INSERT INTO items ({cols}) VALUES ({marks})", list(row.values()))
            self.add_event(item.key, EventAction.INGESTED, detail=detail or {})
            self._bump()

    def has_sha256(self, sha256: str) -> str | None:
        row = self.db.execute("SELECT key FROM items WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def get(self, key: str) -> Item:
        row = self.db.execute("SELECT * FROM items WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise UnknownKey(f"no item has the key {key!r}")
        return self._row_to_item(row)

    def resolve(self, key_or_prefix: str) -> Item:
        """The one item whose key starts with ``key_or_prefix``."""
        prefix = key_or_prefix.strip().lower()
        if not prefix or any(c not in "0123456789abcdef" for c in prefix):
            raise UnknownKey(f"{key_or_prefix!r} is not a key (keys are hex digits)")
        rows = self.db.execute(
            "SELECT * FROM items WHERE key >= ? AND key < ? ORDER BY key LIMIT 2",
            (prefix, prefix + "g"),
        ).fetchall()
        if not rows:
            raise UnknownKey(f"no item has a key starting with {key_or_prefix!r}")
        if len(rows) > 1:
            raise UnknownKey(f"{key_or_prefix!r} matches more than one item; give more of the key")
        return self._row_to_item(rows[0])

    def items(self, *, public_only: bool = False, keys: Iterable[str] | None = None) -> list[Item]:
        """Items ordered by date taken (undated last), then key."""
        sql = "SELECT * FROM items"
        args: list[Any] = []
        where = []
        if public_only:
            where.append("consent = 'public'")
        if keys is not None:
            keys = list(keys)
            if not keys:
                return []
            where.append(f"key IN ({', '.join('?' for _ in keys)})")
            args.extend(keys)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY taken_at IS NULL, taken_at, key"
        sources = self._source_paths()
        return [self._row_to_item(r, sources) for r in self.db.execute(sql, args)]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM items").fetchone()[0]

    def keys(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT key FROM items ORDER BY key")]

    def update(
        self,
        key: str,
        changes: dict[str, Any],
        *,
        actor: str | None = None,
        via: str = "edit",
        terms: Vocabularies | None = None,
        detail: dict[str, Any] | None = None,
    ) -> list[tuple[str, Any, Any]]:
        """Set descriptive fields; one `edited` event per field that really changes.

        ``title``/``description`` go to the column of their language (see fields.expand);
        with ``terms``, vocabulary fields are checked and stored as slugs. Every value is
        checked before any is written, so a bad one changes nothing. Returns the
        (field, old, new) triples that were applied.
        """
        current = self.get(key)
        wanted = self.check(changes, terms)
        applied: list[tuple[str, Any, Any]] = []
        info = {"via": via, **({"actor": actor} if actor else {}), **(detail or {})}
        with self.transaction():
            for name, new in wanted.items():
                old = getattr(current, name)
                if old == new:
                    continue
                self.db.execute(
                    f"UPDATE items SET {name} = ? WHERE key = ?", (_column_value(name, new), key)
                )
                self.add_event(
                    key,
                    EventAction.EDITED,
                    field=name,
                    old=plain_value(old),
                    new=plain_value(new),
                    detail=info,
                )
                applied.append((name, old, new))
            if applied:
                provenance.record(self.db, key, applied, info)
                self._refresh_preferred(key)
                self.db.execute("UPDATE items SET updated_at = ? WHERE key = ?", (utc_now(), key))
                self._bump()
        return applied

    def check(self, changes: dict[str, Any], terms: Vocabularies | None = None) -> dict[str, Any]:
        """The columns ``changes`` would set, normalised and checked; raises InvalidValue."""
        wanted: dict[str, Any] = {}
        for name, raw in changes.items():
            if name not in EDITABLE_FIELDS and name not in STRUCTURED_FIELDS:
                normalise(name, raw)  # raises with the list of fields
            for column, value in expand(name, raw).items():
                new = normalise(column, value)
                if terms is not None:
                    new = check_terms(column, new, terms)
                if column == "collections" and new:
                    missing = [s for s in new if not self.has_collection(s)]
                    if missing and terms is not None:
                        raise InvalidValue(
                            f"collections: no collection named {missing[0]!r}; create it with"
                            f" `archive collection create {missing[0]}`"
                        )
                wanted[column] = new
        return wanted

    def has_collection(self, slug: str) -> bool:
        row = self.db.execute("SELECT 1 FROM collections WHERE slug = ?", (slug,)).fetchone()
        return row is not None

    def _refresh_preferred(self, key: str) -> None:
        """Keep ``title``/``description`` the preferred text of their language columns."""
        row = self.db.execute("SELECT * FROM items WHERE key = ?", (key,)).fetchone()
        for name in PER_LANGUAGE_FIELDS:
            best = preferred({lang: row[f"{name}_{lang}"] for lang in TEXT_LANGUAGES})
            if best != row[name]:
                self.db.execute(f"UPDATE items SET {name} = ? WHERE key = ?", (best, key))

    def set_extra(self, key: str, extra: dict[str, Any]) -> None:
        """Replace an item's extra fields (rare values without a column of their own)."""
        with self.transaction():
            old = self.get(key).extra
            self.db.execute(
                "UPDATE items SET extra = ?, updated_at = ? WHERE key = ?",
                (json.dumps(extra, ensure_ascii=False, sort_keys=True), utc_now(), key),
            )
            self.add_event(key, EventAction.EDITED, field="extra", old=old, new=extra)
            self._bump()

    def _row_to_item(self, row: sqlite3.Row, sources: dict[str, list[str]] | None = None) -> Item:
        data = dict(row)
        for name in LIST_FIELDS:
            data[name] = tuple(json.loads(data[name] or "[]"))
        data["chapters"] = tuple(Chapter.from_dict(c) for c in json.loads(data["chapters"] or "[]"))
        data["extra"] = json.loads(data.get("extra") or "{}")
        if sources is None:
            paths = [
                r[0]
                for r in self.db.execute(
                    "SELECT path FROM sources WHERE key = ? ORDER BY path", (data["key"],)
                )
            ]
        else:
            paths = sources.get(data["key"], [])
        data["source_paths"] = tuple(paths)
        return Item(**data)

    def _source_paths(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for key, path in self.db.execute(
            "SELECT key, path FROM sources WHERE key IS NOT NULL ORDER BY path"
        ):
            found.setdefault(key, []).append(path)
        return found

    # -- sources -------------------------------------------------------------
    def source(self, path: str) -> SourceRecord | None:
        row = self.db.execute(
            "SELECT path, key, size, mtime_ns, sidecar_digest FROM sources WHERE path = ?",
            (path,),
        ).fetchone()
        return SourceRecord(**dict(row)) if row else None

    def sources(self) -> dict[str, SourceRecord]:
        rows = self.db.execute("SELECT path, key, size, mtime_ns, sidecar_digest FROM sources")
        return {r["path"]: SourceRecord(**dict(r)) for r in rows}

    def record_source(
        self, path: str, key: str | None, size: int, mtime_ns: int, sidecar_digest: str | None
    ) -> bool:
        """Remember a source path; returns True when the path is new for that item."""
        with self.transaction():
            before = self.source(path)
            self.db.execute(
                "INSERT INTO sources (path, key, size, mtime_ns, sidecar_digest, seen_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET"
                " key = excluded.key, size = excluded.size, mtime_ns = excluded.mtime_ns,"
                " sidecar_digest = excluded.sidecar_digest, seen_at = excluded.seen_at",
                (path, key, size, mtime_ns, sidecar_digest, utc_now()),
            )
            is_new = before is None or before.key != key
            if is_new and key is not None:
                self.add_event(key, EventAction.SOURCE_ADDED, new=path)
                self._bump()
            return is_new

    # -- events --------------------------------------------------------------
    def add_event(
        self,
        key: str,
        action: EventAction,
        *,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self.db.execute(
            "INSERT INTO events (key, at, action, field, old, new, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                utc_now(),
                action,
                field,
                json.dumps(old, ensure_ascii=False) if old is not None else None,
                json.dumps(new, ensure_ascii=False) if new is not None else None,
                json.dumps(detail or {}, ensure_ascii=False),
            ),
        )

    def events(self, key: str) -> list[Event]:
        rows = self.db.execute("SELECT * FROM events WHERE key = ? ORDER BY id", (key,))
        return [_event(r) for r in rows]

    def event(self, event_id: int) -> Event:
        row = self.db.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            raise CatalogError(f"there is no event {event_id}")
        return _event(row)

    def last_event_id(self) -> int:
        row = self.db.execute("SELECT max(id) FROM events").fetchone()
        return int(row[0] or 0)

    # -- derivatives ---------------------------------------------------------
    def set_derivative(self, derivative: Derivative) -> None:
        d = derivative
        with self.transaction():
            self.db.execute(
                "INSERT INTO derivatives (key, spec, path, fingerprint, mime, width, height,"
                " size, made_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (key, spec) DO UPDATE SET path = excluded.path,"
                " fingerprint = excluded.fingerprint, mime = excluded.mime,"
                " width = excluded.width, height = excluded.height, size = excluded.size,"
                " made_at = excluded.made_at, source = excluded.source",
                (
                    d.key,
                    d.spec,
                    d.path,
                    d.fingerprint,
                    d.mime,
                    d.width,
                    d.height,
                    d.size,
                    d.made_at,
                    d.source,
                ),
            )
            detail = {"fingerprint": d.fingerprint}
            if d.source:
                detail["source"] = d.source
            self.add_event(d.key, EventAction.DERIVATIVE, field=d.spec, new=d.path, detail=detail)

    def derivatives(self, key: str) -> dict[str, Derivative]:
        rows = self.db.execute("SELECT * FROM derivatives WHERE key = ? ORDER BY spec", (key,))
        return {r["spec"]: Derivative(**dict(r)) for r in rows}

    def all_derivatives(self) -> dict[str, dict[str, Derivative]]:
        found: dict[str, dict[str, Derivative]] = {}
        for r in self.db.execute("SELECT * FROM derivatives ORDER BY key, spec"):
            found.setdefault(r["key"], {})[r["spec"]] = Derivative(**dict(r))
        return found

    def drop_derivative(self, key: str, spec: str) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM derivatives WHERE key = ? AND spec = ?", (key, spec))

    # -- generation ----------------------------------------------------------
    def generation(self) -> int:
        """A number that grows with every change to items (the index compares it)."""
        return int(
            self.db.execute("SELECT value FROM state WHERE name = 'generation'").fetchone()[0]
        )

    def _bump(self) -> None:
        self.db.execute(
            "UPDATE state SET value = CAST(value AS INTEGER) + 1 WHERE name = 'generation'"
        )


def _event(r: sqlite3.Row) -> Event:
    return Event(
        id=r["id"],
        key=r["key"],
        at=r["at"],
        action=r["action"],
        field=r["field"],
        old=json.loads(r["old"]) if r["old"] is not None else None,
        new=json.loads(r["new"]) if r["new"] is not None else None,
        detail=json.loads(r["detail"]),
    )


def plain_value(value: Any) -> Any:
    """A field value as JSON-ready data (for events)."""
    if isinstance(value, tuple):
        return [v.to_dict() if isinstance(v, Chapter) else v for v in value]
    return value


def _column_value(name: str, value: Any) -> Any:
    if name in LIST_FIELDS or name == "chapters":
        return json.dumps(plain_value(tuple(value)), ensure_ascii=False)
    return value


def _item_to_row(item: Item) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name in _ITEM_COLUMNS:
        value = getattr(item, name)
        if name in LIST_FIELDS or name == "chapters":
            value = _column_value(name, value)
        elif name == "extra":
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        row[name] = value
    if row.get("updated_at") is None:
        row["updated_at"] = row.get("ingested_at") or utc_now()
    if row.get("ingested_at") is None:
        row["ingested_at"] = row["updated_at"]
    return row


def _split_sql(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
