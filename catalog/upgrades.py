"""The Python steps of numbered migrations: moving data the SQL alone cannot move."""

from __future__ import annotations

import json
import sqlite3

from catalog import provenance
from catalog.models import PER_LANGUAGE_FIELDS, TEXT_LANGUAGES
from catalog.textlang import detect


def move_translations(db: sqlite3.Connection) -> None:
    """Migration 2: per-language texts from ``extra["translations"]`` (and plain titles of
    unknown language) into the new ``title_xx``/``description_xx`` columns."""
    rows = db.execute("SELECT key, title, description, extra FROM items").fetchall()
    for row in rows:
        extra = json.loads(row["extra"] or "{}")
        translations = extra.get("translations") or {}
        sets: dict[str, str] = {}
        for name in PER_LANGUAGE_FIELDS:
            texts = dict(translations.get(name) or {})
            for lang in list(texts):
                if lang in TEXT_LANGUAGES:
                    sets[f"{name}_{lang}"] = texts.pop(lang)
            plain = row[name]
            if plain and plain not in sets.values():
                sets.setdefault(f"{name}_{detect(plain)}", plain)
            if texts:
                translations[name] = texts
            else:
                translations.pop(name, None)
        if not translations:
            extra.pop("translations", None)
        assignments = ", ".join(f"{column} = ?" for column in sets)
        db.execute(
            f"UPDATE items SET {assignments + ', ' if sets else ''}extra = ? WHERE key = ?",
            [*sets.values(), json.dumps(extra, ensure_ascii=False, sort_keys=True), row["key"]],
        )


AFTER_MIGRATION = {2: move_translations, 4: provenance.backfill}
