"""Titles and descriptions per language, vocabulary checks, and an event for every change."""

from __future__ import annotations

import json
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from catalog.errors import InvalidValue
from catalog.models import Item
from catalog.store import Catalog
from catalog.textlang import detect
from catalog.vocabulary import load


def _item(key: str = "a1" * 8, **values: object) -> Item:
    return Item(
        key=key,
        sha256=key * 4,
        kind="photo",
        mime="image/jpeg",
        size=1,
        original=f"originals/{key}.jpg",
        **values,
    )  # type: ignore[arg-type]


@pytest.fixture
def catalog(tmp_path: Path):
    with Catalog(tmp_path / "catalog.sqlite") as opened:
        opened.add_item(_item())
        yield opened


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Felt drying in the sun", "en"),
        ("Войлочный ковёр", "ru"),
        ("Хушконидани намад дар офтоб", "tg"),
        ("Қолинбофӣ", "tg"),
        ("Vilditud vaip õues", "et"),
    ],
)
def test_the_language_of_a_plain_text_is_told_from_its_script(text: str, lang: str):
    assert detect(text) == lang


def test_a_plain_title_goes_to_its_language_and_a_table_to_each(catalog: Catalog):
    key = "a1" * 8
    catalog.update(key, {"title": "Хушконидани намад"})
    catalog.update(key, {"title": {"en": "Felt drying", "ru": "Сушка войлока"}})
    item = catalog.get(key)
    assert item.texts("title") == {
        "en": "Felt drying",
        "ru": "Сушка войлока",
        "tg": "Хушконидани намад",
    }
    assert item.title == "Felt drying" and item.text("title", "tg") == "Хушконидани намад"
    fields = [e.field for e in catalog.events(key) if e.action == "edited"]
    assert fields == ["title_tg", "title_en", "title_ru"]


def test_vocabulary_labels_in_any_language_become_slugs(catalog: Catalog):
    key = "a1" * 8
    catalog.update(key, {"technique": ["намадмолӣ", "Spinning"], "place": "Хорог"}, terms=load())
    item = catalog.get(key)
    assert (item.technique, item.place) == (("felting", "spinning"), "khorog")


def test_an_unknown_term_is_refused_with_a_suggestion_and_nothing_is_stored(catalog: Catalog):
    key = "a1" * 8
    with pytest.raises(
        InvalidValue, match=r"'feltin' is not a known term; felting\? \(намадмолӣ\)"
    ):
        catalog.update(key, {"keywords": ["wool"], "technique": ["feltin"]}, terms=load())
    assert catalog.get(key).keywords == ()
    assert not [e for e in catalog.events(key) if e.action == "edited"]


def test_consent_keeps_who_gave_it_when_and_a_note(catalog: Catalog):
    key = "a1" * 8
    consent = {"status": "public", "by": "Gulnora", "date": "2015-08-14", "note": "orally"}
    catalog.update(key, {"consent": consent})
    item = catalog.get(key)
    assert (item.consent, item.consent_by, item.consent_date, item.consent_note) == (
        "public",
        "Gulnora",
        "2015-08-14",
        "orally",
    )
    with pytest.raises(InvalidValue, match="not a date"):
        catalog.update(key, {"consent_date": "last summer"})


def test_an_old_catalogue_moves_its_translations_into_columns(tmp_path: Path):
    path = tmp_path / "catalog.sqlite"
    first = (resources.files("catalog") / "migrations" / "0001_initial.sql").read_text("utf-8")
    db = sqlite3.connect(path)
    db.executescript(first + "PRAGMA user_version = 1;")
    extra = {"translations": {"title": {"en": "Felt rug", "ru": "Войлочный ковёр"}}}
    db.execute(
        "INSERT INTO items (key, sha256, kind, mime, size, original, ingested_at, updated_at,"
        " title, description, extra) VALUES ('b2', 'b2', 'photo', 'image/jpeg', 1, 'o',"
        " 't', 't', 'Felt rug', 'Намад дар офтоб', ?)",
        (json.dumps(extra),),
    )
    db.commit()
    db.close()
    with Catalog(path) as catalog:
        item = catalog.get("b2")
    assert (item.title_en, item.title_ru, item.description_tg) == (
        "Felt rug",
        "Войлочный ковёр",
        "Намад дар офтоб",
    )
    assert "translations" not in item.extra
