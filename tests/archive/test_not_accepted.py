"""Nothing is dropped in silence: a value that is not accepted is reported whatever --quiet
says, the run exits 3, `archive check` lists it until it is fixed or accepted as a term."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from tests.archive.conftest import SAMPLES, Cli

PORTRAIT = SAMPLES / "khorog-workshop" / "artisan-portrait.jpg"


@pytest.fixture
def portrait(tmp_path: Path) -> Path:
    """The sample portrait with its sidecar (technique = ["felting"])."""
    folder = tmp_path / "workshop"
    folder.mkdir()
    shutil.copy2(PORTRAIT, folder / PORTRAIT.name)
    shutil.copy2(PORTRAIT.with_name(PORTRAIT.name + ".toml"), folder / (PORTRAIT.name + ".toml"))
    return folder


def _misspell(folder: Path) -> Path:
    sidecar = folder / "artisan-portrait.jpg.toml"
    text = sidecar.read_text(encoding="utf-8")
    sidecar.write_text(text.replace('["felting"]', '["feltin"]'), encoding="utf-8")
    return sidecar


def test_a_misspelt_term_is_reported_under_quiet_and_checked_until_accepted(
    cli: Cli, portrait: Path
):
    cli("ingest", str(portrait), "--jobs", "1", "--quiet")
    key = cli.json("list")[0]["key"]
    _misspell(portrait)
    result = cli("ingest", str(portrait), "--jobs", "1", "--quiet", code=3)
    assert "1 updated" in result.stderr and "1 value not accepted" in result.stderr
    assert "'feltin' is not a known term; felting?" in result.stderr
    report = cli.json("ingest", str(portrait), "--jobs", "1", code=0)  # nothing new to say
    assert report["counts"]["skipped"] == 1

    problems = cli.json("check", code=3)["problems"]
    assert [(p["kind"], p["key"]) for p in problems] == [("not-accepted", key)]
    assert problems[0]["repair"].startswith(f"archive edit {key} --as-new-term technique=feltin")
    shown = cli.json("show", key)
    assert shown["technique"] == ["felting"]  # the earlier value stays
    assert [(e["field"], e["value"]) for e in shown["not_accepted"]] == [("technique", "feltin")]

    accepted = cli.json("edit", key, "--as-new-term", "technique=feltin")
    assert accepted["new_terms"][0]["slug"] == "feltin"
    terms = tomllib.loads((cli.archive / "vocabularies" / "technique.toml").read_text("utf-8"))
    assert terms["feltin"]["en"] == "feltin"
    assert cli.json("show", key)["technique"] == ["felting", "feltin"]
    assert cli.json("check")["ok"]
    assert [h["key"] for h in cli.json("search", "technique:feltin")["hits"]] == [key]


def test_a_new_file_with_a_bad_value_is_added_with_its_warning(cli: Cli, portrait: Path):
    _misspell(portrait)
    result = cli("ingest", str(portrait), "--jobs", "1", "--json", code=3)
    outcome = json.loads(result.stdout)["outcomes"][0]
    assert outcome["outcome"] == "added"
    assert outcome["warnings"] == [
        "artisan-portrait.jpg.toml: technique: 'feltin' is not a known term; felting? (намадмолӣ)"
    ]
    assert json.loads(result.stdout)["warnings"] == 1


def test_an_unknown_key_and_a_bad_date_are_kept_until_the_sidecar_is_fixed(
    cli: Cli, portrait: Path
):
    sidecar = portrait / "artisan-portrait.jpg.toml"
    original = sidecar.read_text(encoding="utf-8")
    sidecar.write_text(original + 'colour = "red"\nconsent_date = "14 Aug"\n', encoding="utf-8")
    cli("ingest", str(portrait), "--jobs", "1", "--quiet", code=3)
    key = cli.json("list")[0]["key"]
    fields = sorted(e["field"] for e in cli.json("show", key)["not_accepted"])
    assert fields == ["colour", "consent_date"]
    assert {p["kind"] for p in cli.json("check", code=3)["problems"]} == {"not-accepted"}

    # A person setting the field settles its entry; correcting the sidecar settles the rest.
    cli("edit", key, "--set", "consent_date=2015-08-14")
    assert [e["field"] for e in cli.json("show", key)["not_accepted"]] == ["colour"]
    sidecar.write_text(original, encoding="utf-8")
    cli("ingest", str(portrait), "--jobs", "1", "--quiet")
    assert cli.json("show", key)["not_accepted"] == []
    assert cli.json("check")["ok"]


def test_as_new_term_takes_vocabulary_fields_and_never_shadows_a_term(cli: Cli, portrait: Path):
    cli("ingest", str(portrait), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    refused = cli("edit", key, "--as-new-term", "consent=maybe", code=2)
    assert "vocabulary field" in refused.stderr
    # "Felting" already names a term: nothing is written, the term is used.
    report = cli.json("edit", key, "--as-new-term", "technique=Валяние")
    assert "new_terms" not in report
    clash = cli("edit", key, "--as-new-term", "technique=Felting!", code=1)
    assert "already has a term 'felting'" in clash.stderr
    assert not (cli.archive / "vocabularies" / "technique.toml").exists()
