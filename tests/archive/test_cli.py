"""The command line as other tools rely on it: options, JSON shapes, exit codes, help."""

from __future__ import annotations

import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from archive.cli import main
from tests.archive.conftest import Cli

LIST_KEYS = {
    "key",
    "sha256",
    "kind",
    "mime",
    "size",
    "width",
    "height",
    "orientation",
    "duration",
    "taken_at",
    "camera_make",
    "camera_model",
    "gps_lat",
    "gps_lon",
    "gps_alt",
    "title",
    "description",
    "keywords",
    "consent",
    "source_paths",
}


def test_ingest_json_has_outcomes_and_counts(cli: Cli, photos: Path):
    data = cli.json("ingest", str(photos), "--jobs", "1")
    assert set(data) >= {"outcomes", "counts"}
    assert data["counts"]["added"] == 2
    for outcome in data["outcomes"]:
        assert set(outcome) == {"path", "outcome", "key", "reason"}
        assert outcome["outcome"] == "added" and len(outcome["key"]) == 16


def test_ingest_exits_3_when_some_files_failed(cli: Cli, photos: Path):
    (photos / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    result = cli("ingest", str(photos), "--jobs", "1", code=3)
    assert "broken.jpg" in result.stderr and "1 files failed" in result.stderr
    assert "added" in result.stderr


def test_list_json_contract(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    items = cli.json("list")
    assert isinstance(items, list) and len(items) == 2
    for item in items:
        assert LIST_KEYS <= set(item)
        assert isinstance(item["keywords"], list) and isinstance(item["source_paths"], list)
        assert item["duration"] is None  # photos: missing values are null
        assert item["consent"] == "internal"  # the default: nothing is public by accident


def test_show_json_has_derivatives_and_events_and_takes_a_prefix(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    data = cli.json("show", key[:6])
    assert data["key"] == key
    assert set(data["derivatives"]) == {"thumb", "mid", "display"}
    assert data["events"][0]["action"] == "ingested"


def test_show_an_unknown_key_is_one_clear_line(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    result = cli("show", "ffffff", code=1)
    assert result.stderr.strip() == "Error: no item has a key starting with 'ffffff'"


def test_search_json_finds_by_camera_and_title(cli: Cli, photos: Path):
    (photos / "IMG_0002.jpg.toml").write_text('title = "Knitted jurab socks"\n')
    cli("ingest", str(photos), "--jobs", "1")
    canon = cli.json("search", "canon")
    assert canon["total"] == 2
    socks = cli.json("search", "jurab")
    assert socks["total"] == 1
    hit = socks["hits"][0]
    assert {"key", "score", "title"} <= set(hit) and hit["title"] == "Knitted jurab socks"


def test_edit_set_records_old_and_new_values(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    report = cli.json("edit", key, "--set", "consent=public", "--set", "title=Felt")
    assert {(c["field"], c["old"], c["new"]) for c in report["changes"]} == {
        ("consent", "internal", "public"),
        ("title_en", None, "Felt"),  # a plain title goes to the column of its language
    }
    events = cli.json("show", key)["events"]
    assert [e["field"] for e in events if e["action"] == "edited"] == ["consent", "title_en"]
    assert cli.json("search", "felt")["hits"][0]["key"] == key  # the index follows edits


def test_edit_by_query_and_list_fields(cli: Cli, photos: Path, samples: Path):
    cli("ingest", str(samples), "--jobs", "2")
    report = cli.json("edit", "--query", "kind:video", "--add", "keywords=wool")
    videos = [i for i in cli.json("list") if i["kind"] == "video"]
    assert len(videos) == 2 and len(report["items"]) == 2
    assert all("wool" in v["keywords"] for v in videos)
    cli.json("edit", videos[0]["key"], "--remove", "keywords=wool")
    assert "wool" not in cli.json("show", videos[0]["key"])["keywords"]


def test_edit_rejects_unknown_fields_and_bad_consent(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    assert "cannot be edited" in cli("edit", key, "--set", "sha256=00", code=2).stderr
    assert "consent must be one of" in cli("edit", key, "--set", "consent=yes", code=2).stderr
    assert cli.json("show", key)["consent"] == "internal"


def test_export_publishes_only_public_items(cli: Cli, samples: Path, tmp_path: Path):
    cli("ingest", str(samples), "--jobs", "2")
    site = tmp_path / "site"
    report = cli.json("export", str(site))
    public = [i for i in cli.json("list") if i["consent"] == "public"]
    assert report["items"] == len(public) == 6
    hidden = [i for i in cli.json("list") if i["consent"] != "public"]
    assert hidden, "the samples must have items that are not public"
    text = b"".join(p.read_bytes() for p in site.rglob("*") if p.is_file())
    for item in hidden:
        assert item["key"].encode() not in text
        assert item["title"].encode() not in text
    again = cli.json("export", str(site))
    assert again["written"] == [] and again["removed"] == []


def test_check_is_clean_after_ingest_and_exit_3_when_an_original_is_missing(cli: Cli, photos):
    cli("ingest", str(photos), "--jobs", "1")
    assert cli.json("check")["problems"] == []
    item = cli.json("list")[0]
    original = cli.archive / cli.json("show", item["key"])["original"]
    os.chmod(original, 0o644)
    original.unlink()
    data = cli.json("check", code=3)
    assert [p["kind"] for p in data["problems"]] == ["missing-original"]


def test_archive_comes_from_the_environment_then_the_current_folder(tmp_path, photos, monkeypatch):
    runner = CliRunner()
    monkeypatch.setenv("PAMIR_ARCHIVE", str(tmp_path / "from-env"))
    assert runner.invoke(main, ["ingest", str(photos), "-j", "1"]).exit_code == 0
    assert (tmp_path / "from-env" / "archive.toml").is_file()
    monkeypatch.delenv("PAMIR_ARCHIVE")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["ingest", str(photos), "-j", "1"]).exit_code == 0
    assert (tmp_path / "archive" / "archive.toml").is_file()


def test_commands_on_a_missing_archive_say_how_to_make_one(tmp_path):
    result = CliRunner().invoke(main, ["-a", str(tmp_path / "nope"), "list"])
    assert result.exit_code == 1
    assert "is not an archive" in result.stderr and "archive ingest" in result.stderr


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command under ``group``, groups and their subcommands too, as argument paths."""
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*path, name))
        if isinstance(command, click.Group):
            found += _commands(command, (*path, name))
    return found


COMMANDS = _commands(main)


def test_the_help_walk_finds_the_nested_commands() -> None:
    names = {" ".join(path) for path in COMMANDS}
    assert {"ingest", "export", "rebuild", "metadata import", "collection add"} <= names
    assert len(names) >= 20


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    """Every command, nested ones too, however `archive.cli` is laid out."""
    command = main
    for name in path:
        command = command.commands[name]
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert (command.help or "").strip(), f"`archive {' '.join(path)}` has no help text"
    assert "Example" in result.stdout, result.stdout
    example = result.stdout.split("Example", 1)[1].split("Options:", 1)[0]
    assert f"archive {' '.join(path)}" in example, example  # it shows the command itself
    if not isinstance(command, click.Group):  # a group only lists its commands
        assert "--archive" in result.stdout and "--json" in result.stdout, result.stdout


def test_two_ingests_at_once_stop_with_a_clear_message(cli: Cli, photos: Path):
    from archive.layout import Layout
    from archive.lock import archive_lock

    cli("ingest", str(photos), "--jobs", "1")
    with archive_lock(Layout(cli.archive), "ingest"):
        result = cli("ingest", str(photos), code=1)
    assert "is in use by `archive ingest`" in result.stderr
