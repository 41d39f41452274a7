"""The reference engine of bench/search.py: the same records in SQLite FTS5, and the SQL of
each query class, so whoosh's times are read against FTS5's from the same run."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from catalog.documents import document
from catalog.facets import FACETS
from catalog.folding import fold
from catalog.models import Item
from catalog.search import SearchIndex

if TYPE_CHECKING:
    from bench.search import Query


class Fts:
    """The same records in SQLite FTS5 (Porter stemming on top of unicode61, diacritics off),
    with a facet table beside it."""

    def __init__(self, path: Path, index: SearchIndex, *, create: bool = True) -> None:
        self.db = sqlite3.connect(path)
        self.index = index
        self.next = 1
        if not create:
            return
        self.db.executescript(
            """
            CREATE VIRTUAL TABLE fts USING fts5(
                title, body, labels, other, folded,
                tokenize = "porter unicode61 remove_diacritics 2");
            CREATE TABLE meta (rowid INTEGER PRIMARY KEY, key TEXT, taken TEXT);
            CREATE TABLE facet (rowid INTEGER, name TEXT, value TEXT);
            CREATE INDEX facet_value ON facet (name, value, rowid);
            CREATE INDEX meta_taken ON meta (taken);
            """
        )

    def add(self, items: list[Item]) -> None:
        with self.db:
            for item in items:
                doc = document(item, self.index.vocabularies, self.index.matcher)
                rowid = self.next
                self.next += 1
                self.db.execute(
                    "INSERT INTO fts (rowid, title, body, labels, other, folded)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        rowid,
                        _joined(doc, "title_"),
                        _joined(doc, "body_"),
                        doc.get("labels", ""),
                        " ".join(str(doc.get(k, "")) for k in ("keywords", "camera", "file")),
                        doc["folded"],
                    ),
                )
                self.db.execute(
                    "INSERT INTO meta VALUES (?, ?, ?)", (rowid, item.key, doc["taken"])
                )
                for name in FACETS:
                    for value in str(doc.get(name, "")).split():
                        self.db.execute("INSERT INTO facet VALUES (?, ?, ?)", (rowid, name, value))
                for mention in doc.get("mentions", "").split():
                    name, value = mention.split(":", 1)
                    self.db.execute(
                        "INSERT INTO facet VALUES (?, ?, ?)", (rowid, "m_" + name, value)
                    )

    def run(self, query: Query) -> int:
        sql = query.fts
        args = (query.match,) if query.match is not None else ()
        keys = self.db.execute(sql, args).fetchall()
        count_sql = "SELECT count(*) FROM (" + sql.replace("LIMIT 20", "") + ")"
        total = self.db.execute(count_sql, args).fetchone()[0]
        if query.facets:
            inner = sql.replace("LIMIT 20", "").replace("SELECT meta.key", "SELECT meta.rowid")
            self.db.execute(
                f"SELECT name, value, count(*) FROM facet WHERE rowid IN ({inner})"
                " AND name NOT LIKE 'm_%' GROUP BY name, value",
                args,
            ).fetchall()
        return total + len(keys) * 0


def _joined(doc: dict[str, object], prefix: str) -> str:
    return "\n".join(str(v) for k, v in doc.items() if k.startswith(prefix))


def fts_words(words: list[str]) -> str:
    """Each word as typed or folded, all required (what the whoosh query asks too)."""
    parts = []
    for word in words:
        forms = dict.fromkeys([word.lower(), fold(word)])
        parts.append("(" + " OR ".join(f'"{f}"' for f in forms) + ")")
    return " AND ".join(parts)


_TEXT = "SELECT meta.key FROM fts JOIN meta ON meta.rowid = fts.rowid WHERE fts MATCH ?"


def text_sql(extra: str = "") -> str:
    return f"{_TEXT}{extra} ORDER BY fts.rank LIMIT 20"


def slugs_sql(name: str, slugs: set[str]) -> str:
    values = ", ".join(f"'{s}'" for s in sorted(slugs))
    return (
        f" AND meta.rowid IN (SELECT rowid FROM facet WHERE name IN ('{name}', 'm_{name}')"
        f" AND value IN ({values}))"
    )
