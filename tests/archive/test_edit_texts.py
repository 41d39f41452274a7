"""Per-language text edits: `title.tg=…` names the language, a plain title goes to the language
it is written in and never clears the others, and clearing takes an explicit --unset."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.archive.conftest import Cli


@pytest.fixture
def titled(cli: Cli, photos: Path) -> tuple[Cli, str]:
    (photos / "IMG_0001.jpg.toml").write_text(
        'title = { en = "Felt rug", ru = "Войлочный ковёр" }\n'
        'description = { en = "Drying in the sun" }\n',
        encoding="utf-8",
    )
    cli("ingest", str(photos), "--jobs", "1")
    key = next(i["key"] for i in cli.json("list") if i["source_paths"][0].endswith("0001.jpg"))
    return cli, key


def _texts(cli: Cli, key: str, name: str) -> dict[str, str | None]:
    item = cli.json("show", key)
    return {lang: item[f"{name}_{lang}"] for lang in ("en", "ru", "tg", "et")}


def test_a_language_is_named_with_a_dot(titled):
    cli, key = titled
    report = cli.json(
        "edit", key, "--set", "title.tg=Қолини намадӣ", "--set", "description.ru=Сохнет"
    )
    assert sorted((c["field"], c["new"]) for c in report["changes"]) == [
        ("description_ru", "Сохнет"),
        ("title_tg", "Қолини намадӣ"),
    ]
    assert _texts(cli, key, "title") == {
        "en": "Felt rug",
        "ru": "Войлочный ковёр",
        "tg": "Қолини намадӣ",
        "et": None,
    }
    refused = cli("edit", key, "--set", "title.fr=Tapis", code=2)
    assert "languages are en, ru, tg, et" in refused.stderr


def test_a_plain_title_sets_its_own_language_and_keeps_the_others(titled):
    cli, key = titled
    cli("edit", key, "--set", "title=Войлок сохнет на солнце")
    assert _texts(cli, key, "title") == {
        "en": "Felt rug",
        "ru": "Войлок сохнет на солнце",
        "tg": None,
        "et": None,
    }
    refused = cli("edit", key, "--set", "title=", code=2)
    assert "--unset title.ru" in refused.stderr
    assert _texts(cli, key, "title")["en"] == "Felt rug"


def test_unset_clears_one_language_or_every_language(titled):
    cli, key = titled
    cli("edit", key, "--unset", "title.ru")
    assert _texts(cli, key, "title") == {"en": "Felt rug", "ru": None, "tg": None, "et": None}
    assert cli.json("show", key)["title"] == "Felt rug"
    cli("edit", key, "--unset", "description", "--unset", "keywords")
    item = cli.json("show", key)
    assert item["description"] is None and item["description_en"] is None
    assert item["keywords"] == []
    events = [e for e in cli.json("history", key)["events"] if e["detail"].get("via") == "edit"]
    assert [(e["field"], e["old"], e["new"]) for e in events] == [
        ("title_ru", "Войлочный ковёр", None),
        ("description_en", "Drying in the sun", None),
    ]
