"""A consistent copy of the catalogue while it is in use, by SQLite's online backup."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from catalog.errors import CatalogError


def snapshot(db: sqlite3.Connection, target: Path) -> None:
    """Copy the database of ``db`` to ``target`` as of one moment (written aside, renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        copy = sqlite3.connect(tmp)
        try:
            db.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one file, whatever the source uses
        finally:
            copy.close()
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        raise CatalogError(f"cannot copy the catalogue to {target}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
