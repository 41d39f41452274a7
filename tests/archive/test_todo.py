"""`archive todo`: what is left to describe, per item, grouped with counts, and it shrinks as
the work is done."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.archive.conftest import SAMPLES, Cli

WORKSHOP = SAMPLES / "khorog-workshop"


def _source(tmp_path: Path, corpus: Path) -> Path:
    """Three sample workshop photos (public, withheld) and a phone photo with keywords."""
    folder = tmp_path / "src"
    (folder / "workshop").mkdir(parents=True)
    for name in ("felt-drying.jpg", "pattern-layout.jpg", "artisan-portrait.jpg"):
        for file in (name, f"{name}.toml"):
            shutil.copy2(WORKSHOP / file, folder / "workshop" / file)
    shutil.copy2(WORKSHOP / "_folder.toml", folder / "workshop" / "_folder.toml")
    (folder / "phone").mkdir()
    shutil.copy2(corpus / "photos" / "Nokia Lumia 800.jpg", folder / "phone" / "lumia.jpg")
    return folder


def _groups(cli: Cli, *args: str) -> dict[str, dict[str, str]]:
    report = cli.json("todo", *args)
    assert report["open"] == sum(g["count"] for g in report["groups"])
    return {g["kind"]: {i["key"]: i["detail"] for i in g["items"]} for g in report["groups"]}


def test_todo_lists_what_is_missing_and_shrinks_as_it_is_done(
    cli: Cli, tmp_path: Path, corpus: Path
):
    source = _source(tmp_path, corpus)
    cli("ingest", str(source), "--jobs", "1")
    keys = {Path(i["source_paths"][0]).name: i["key"] for i in cli.json("list")}
    drying, layout, portrait, phone = (
        keys[n]
        for n in ("felt-drying.jpg", "pattern-layout.jpg", "artisan-portrait.jpg", "lumia.jpg")
    )
    groups = _groups(cli)
    assert set(groups["consent"]) == {phone}  # the workshop's folder decided theirs
    assert set(groups["consent-details"]) == {drying, layout}
    assert groups["title"] == {
        drying: "missing in ru",
        layout: "missing in ru",
        phone: "missing in en, ru, tg",
    }  # the withheld portrait is never published: it needs no texts
    assert set(groups["undated"]) == {drying, layout, portrait}
    # Keywords embedded by the cameras' software (the samples carry some too).
    assert set(groups["keywords"]) == {drying, portrait, phone}
    assert groups["keywords"][phone] == "2012, dublin, ireland, june, lumia"
    assert "conflict" not in groups and "not-accepted" not in groups

    # Only the site's languages count.
    config = cli.archive / "archive.toml"
    config.write_text(
        config.read_text().replace('languages = ["en", "ru", "tg"]', 'languages = ["en", "tg"]')
    )
    assert set(_groups(cli)["title"]) == {phone}

    cli("edit", phone, "--set", "consent=internal", "--set", "keywords=2012, dublin, june")
    cli("edit", drying, "--set", "consent_by=Gulnora", "--set", "consent_date=2016-06")
    cli("edit", layout, "--set", "taken_at=2016-06-12")
    groups = _groups(cli)
    assert "consent" not in groups and set(groups["keywords"]) == {drying, portrait}
    assert set(groups["consent-details"]) == {layout}
    assert set(groups["undated"]) == {drying, portrait}
    assert set(_groups(cli, "--query", "file:lumia")) == {"title", "description"}


def test_todo_names_conflicts_and_values_not_accepted(cli: Cli, tmp_path: Path, corpus: Path):
    source = _source(tmp_path, corpus)
    cli("ingest", str(source), "--jobs", "1")
    keys = {Path(i["source_paths"][0]).name: i["key"] for i in cli.json("list")}
    cli("edit", keys["felt-drying.jpg"], "--set", "title=Felt rug")
    sidecar = source / "workshop" / "felt-drying.jpg.toml"
    text = sidecar.read_text(encoding="utf-8").replace("Felt drying in the sun", "Felt, drying")
    sidecar.write_text(text.replace('["felting"]', '["feltin"]'), encoding="utf-8")
    cli("ingest", str(source), "--jobs", "1", "--quiet", code=3)
    groups = _groups(cli)
    assert groups["conflict"] == {keys["felt-drying.jpg"]: "title_en (sidecar)"}
    assert groups["not-accepted"] == {keys["felt-drying.jpg"]: "technique: feltin"}
    text = cli("todo").stdout
    assert text.startswith("conflicts to resolve (archive conflicts) (1)\n")
