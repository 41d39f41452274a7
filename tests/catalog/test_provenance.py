"""Where each field's value came from: recorded on every change, and backfilled from the
history when an older catalogue is opened."""

from __future__ import annotations

import json
import sqlite3
from importlib import resources
from pathlib import Path

from catalog import provenance
from catalog.models import Item
from catalog.store import Catalog


def _item(key: str = "a" * 16, taken_at: str | None = "2019-03-26T19:33:47") -> Item:
    return Item(
        key=key,
        sha256=key * 4,
        kind="photo",
        mime="image/jpeg",
        size=1,
        original="o.jpg",
        taken_at=taken_at,
        taken_at_original=taken_at,
    )


def _catalogue_at_version_2(path: Path) -> None:
    """A catalogue as the previous release left it: migrations 1 and 2, an item, two edits."""
    db = sqlite3.connect(path, isolation_level=None)
    folder = resources.files("catalog") / "migrations"
    for name in ("0001_initial.sql", "0002_descriptions.sql"):
        db.executescript((folder / name).read_text(encoding="utf-8"))
    db.execute(
        "INSERT INTO items (key, sha256, kind, mime, size, original, ingested_at, updated_at,"
        " taken_at, title, title_en) VALUES (?, ?, 'photo', 'image/jpeg', 1, 'o.jpg', 't', 't',"
        " '2019-03-26T19:33:47', 'Mine', 'Mine')",
        ("a" * 16, "a" * 64),
    )
    for field, new, via, at in (
        ("title_en", "From the sidecar", "sidecar", "2024-01-01T00:00:00+00:00"),
        ("title_en", "Mine", "edit", "2024-02-01T00:00:00+00:00"),
        ("place", "khorog", "xmp-sidecar", "2024-01-01T00:00:00+00:00"),
    ):
        db.execute(
            "INSERT INTO events (key, at, action, field, new, detail)"
            " VALUES (?, ?, 'edited', ?, ?, ?)",
            ("a" * 16, at, field, json.dumps(new), json.dumps({"via": via, "actor": "nigora"})),
        )
    db.execute(
        "INSERT INTO events (key, at, action, field, new) VALUES"
        " ('collection:felt', 't', 'edited', 'title', '\"x\"')"
    )
    db.execute("PRAGMA user_version = 2")
    db.close()


def test_an_older_catalogue_gets_provenance_and_what_the_sidecar_said_from_its_history(
    tmp_path: Path,
):
    path = tmp_path / "catalog.sqlite"
    _catalogue_at_version_2(path)
    with Catalog(path) as catalog:
        assert catalog.schema_version >= 4  # 0004_curation brought provenance
        origins = provenance.origins(catalog.db, "a" * 16)
        assert origins["title_en"].via == "edit" and origins["title_en"].actor == "nigora"
        assert origins["place"].via == "xmp-sidecar"
        # The base of the three-way check: what the sidecars last set, not the person's edit.
        assert provenance.seen(catalog.db, "a" * 16, "sidecar") == {
            "title_en": "From the sidecar",
            "place": "khorog",
        }
        item = catalog.get("a" * 16)
        assert item.taken_at_original == item.taken_at == "2019-03-26T19:33:47"


def test_every_change_records_how_and_a_person_settles_what_was_not_accepted(tmp_path: Path):
    with Catalog(tmp_path / "catalog.sqlite") as catalog:
        key = "b" * 16
        catalog.add_item(_item(key))
        catalog.update(key, {"title": "Felt"}, via="sidecar", detail={"file": "IMG.jpg.toml"})
        refused = provenance.NotAccepted(
            key, "technique", "feltin", "unknown", "sidecar", None, "t"
        )
        with catalog.transaction():
            provenance.replace_not_accepted(catalog.db, key, {"sidecar"}, [refused])
        origin = provenance.origins(catalog.db, key)["title_en"]
        assert (origin.via, origin.origin) == ("sidecar", "IMG.jpg.toml")
        catalog.update(key, {"technique": ["felting"]}, via="sidecar")
        assert provenance.not_accepted(catalog.db, key) != []  # a file does not settle it
        catalog.update(key, {"technique": ["felting", "weaving"]}, via="edit", actor="nigora")
        assert provenance.not_accepted(catalog.db, key) == []
        assert provenance.origins(catalog.db, key)["technique"].actor == "nigora"


def test_the_value_a_field_had_after_an_event(tmp_path: Path):
    with Catalog(tmp_path / "catalog.sqlite") as catalog:
        key = "c" * 16
        catalog.add_item(_item(key))
        catalog.update(key, {"maker": "Gulnora"}, via="edit")
        version = catalog.last_event_id()
        assert provenance.value_after(catalog.db, key, "maker", version) is provenance.MISSING
        catalog.update(key, {"maker": "Nigora"}, via="edit")
        catalog.update(key, {"maker": "Zarina"}, via="edit")
        assert provenance.value_after(catalog.db, key, "maker", version) == "Gulnora"
