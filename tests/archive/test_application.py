"""The application layer: one lock policy, layout versions, usage errors, advice that works."""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import click
import pytest

from archive.cli import main
from archive.cli.reference import DOC, render, walk
from archive.layout import Layout
from archive.lock import archive_lock
from catalog.store import Catalog
from tests.archive.conftest import REPO, Cli


def _retitle_behind_the_index(archive: Path, key: str, title: str) -> None:
    """Change the catalogue the way a running writer does before it updates the index."""
    with Catalog(Layout(archive).catalog) as catalog:
        catalog.update(key, {"title_en": title}, via="test")


def test_search_beside_a_writer_searches_the_stale_index_and_says_so(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    _retitle_behind_the_index(cli.archive, key, "Zebrafelt")
    with archive_lock(Layout(cli.archive), "ingest"):
        during = cli.json("search", "zebrafelt")
        text = cli("search", "zebrafelt")
    assert during["index_behind"] is True
    assert during["total"] == 0  # the index was not rebuilt under the writer's feet
    assert "behind the catalogue" in text.stderr
    after = cli.json("search", "zebrafelt")  # the lock is free: the index catches up
    assert after["index_behind"] is False
    assert [hit["key"] for hit in after["hits"]] == [key]


def test_readers_run_beside_a_writer_and_writers_are_refused(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    with archive_lock(Layout(cli.archive), "ingest"):
        assert len(cli.json("list")) == 2
        assert cli.json("show", key)["key"] == key
        assert cli.json("check")["ok"] is True
        assert cli.json("vocab")["technique"] > 0
        assert cli.json("history", key)["key"] == key
        assert cli.json("collection", "list") == []
        busy = [
            cli("edit", key, "--set", "title=Felt", code=1),
            cli("check", "--fixity", code=1),
            cli("rebuild", "--index", code=1),
            cli("export", str(cli.archive.parent / "site"), code=1),
        ]
    for result in busy:
        assert "is in use by `archive ingest`" in result.stderr
        assert "--wait SECONDS" in result.stderr
    assert cli.json("show", key)["title"] is None  # the refused edit changed nothing


def test_check_fixity_records_its_events_under_the_lock(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    assert cli.json("check", "--fixity")["fixity_checked"] == 2
    assert [e["new"] for e in cli.json("show", key)["events"] if e["action"] == "fixity"] == ["ok"]


def test_an_archive_of_a_newer_layout_is_refused(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    config = Layout(cli.archive).config
    config.write_text(config.read_text().replace("layout_version = 1", "layout_version = 7"))
    for args in (("list",), ("search", "felt"), ("ingest", str(photos)), ("upgrade",)):
        result = cli(*args, code=1)
        assert "written by a newer version" in result.stderr
        assert "layout 7" in result.stderr


def test_an_older_archive_is_refused_with_the_command_that_upgrades_it(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    config = Layout(cli.archive).config
    config.write_text(re.sub(r"(?m)^layout_version = 1\n", "", config.read_text()))
    refused = cli("list", code=1).stderr
    advice = re.search(r"`archive (.+?)`", refused)
    assert advice, refused
    words = shlex.split(advice.group(1))
    assert words == ["-a", str(cli.archive), "upgrade"]
    upgraded = cli.runner.invoke(main, [*words, "--json"], catch_exceptions=False)
    assert upgraded.exit_code == 0, upgraded.stderr
    assert '"before": 0' in upgraded.stdout and '"after": 1' in upgraded.stdout
    assert "layout_version = 1" in config.read_text()
    assert "[site]" in config.read_text()  # the rest of the settings are kept
    assert len(cli.json("list")) == 2


@pytest.mark.parametrize(
    "args",
    [
        ("edit",),
        ("edit", "abc", "--set", "colour=red"),
        ("edit", "abc", "--set", "no equals sign"),
        ("edit", "abc"),
        ("search", "--limit", "0", "felt"),
        ("search", "colour:red"),
        ("ingest",),
        ("list", "--frobnicate"),
        ("vocab", "colour"),
        ("chapters",),
        ("nonsense",),
    ],
)
def test_usage_mistakes_exit_2(cli: Cli, photos: Path, args: tuple[str, ...]):
    cli("ingest", str(photos), "--jobs", "1")
    result = cli(*args, code=2)
    assert result.stderr.strip(), "a usage mistake says what is wrong"


def test_a_negated_word_alone_is_explained_and_the_documented_ways_work(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    keys = [item["key"] for item in cli.json("list")]
    cli("edit", keys[0], "--add", "keywords=felt")
    refused = cli("search", "-felt", code=2).stderr
    assert "archive search -- -felt" in refused and 'archive search "NOT felt"' in refused
    for args in (("--", "-felt"), ("NOT felt",)):
        result = cli("search", "--json", *args)
        assert f'"key": "{keys[1]}"' in result.stdout
        assert f'"key": "{keys[0]}"' not in result.stdout


def test_list_query_filters_like_search(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    keys = [item["key"] for item in cli.json("list")]
    cli("edit", keys[1], "--add", "technique=felting")
    assert [i["key"] for i in cli.json("list", "--query", "technique:felting")] == [keys[1]]
    assert cli.json("list", "--query", "technique:felting", "--public") == []


def _advice_in_source() -> list[tuple[str, str]]:
    """Every `archive …` command line that the application's messages advise."""
    found = []
    for path in sorted((REPO / "archive").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for advice in re.findall(r"`archive ([^`]+)`", node.value):
                    found.append((path.relative_to(REPO).as_posix(), advice))
    return found


def test_every_command_that_a_message_advises_exists_with_its_options():
    advice = _advice_in_source()
    assert len(advice) >= 5, "the scan found the advice it is meant to check"
    bad = []
    for where, line in advice:
        words = [w for w in shlex.split(line.replace("{", "").replace("}", "")) if w]
        command: click.Command = main
        path = ["archive"]
        options: set[str] = {"-h", "--help"}
        for word in words:
            options |= {o for p in command.params for o in getattr(p, "opts", [])}
            if word.startswith("-"):
                name = word.split("=")[0]
                if name not in options and name != "--":
                    bad.append(f"{where}: `archive {line}`: no option {name} on {' '.join(path)}")
            elif isinstance(command, click.Group) and word in command.commands:
                command = command.commands[word]
                path.append(word)
        ctx_help = Cli(Path("unused")).runner.invoke(main, [*path[1:], "--help"])
        if ctx_help.exit_code != 0:
            bad.append(f"{where}: `archive {line}`: {' '.join(path)} --help failed")
        if len(path) == 1 and not all(w.startswith("-") for w in words):
            bad.append(f"{where}: `archive {line}` names no command")
    assert bad == []


def test_the_cli_reference_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/cli.md is out of date: run .venv/bin/python -m archive.cli.reference"
    )
    documented = set(re.findall(r"^#+ `(archive[^`]*)`", DOC.read_text(), re.M))
    assert documented == {" ".join(path) for path, _ in walk(main)}


def test_the_cli_offers_the_sides_a_conflict_can_be_resolved_to():
    from archive.cli.curation import SIDES as OFFERED
    from archive.conflicts import SIDES

    assert OFFERED == SIDES
