"""archive.searching: the index a long-running process keeps open between searches."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from archive import searching
from archive.layout import Layout
from tests.archive.conftest import REPO, Cli


def test_a_kept_index_finds_what_another_process_wrote_since(cli: Cli, photos: Path) -> None:
    cli("ingest", str(photos), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    layout = Layout(cli.archive)
    assert searching.search(layout, "quokkafelt").result.to_dict()["total"] == 0
    kept = searching._kept[0]

    edited = subprocess.run(
        [sys.executable, "-m", "archive.cli", "-a", str(cli.archive), "edit", key,
         "--set", "title=Quokkafelt rug"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert edited.returncode == 0, edited.stderr

    found = searching.search(layout, "quokkafelt")
    assert searching._kept == [kept]  # the same open index, its searcher reopened
    assert [hit["key"] for hit in found.result.to_dict()["hits"]] == [key]
    assert found.behind is False


def test_another_archive_replaces_the_kept_index(tmp_path: Path, photos: Path) -> None:
    first, second = Cli(tmp_path / "first"), Cli(tmp_path / "second")
    for cli in (first, second):
        cli("ingest", str(photos), "--jobs", "1")
    searching.search(Layout(first.archive), "felt")
    searching.search(Layout(second.archive), "felt")
    assert [index.folder for index in searching._kept] == [Layout(second.archive).index]
