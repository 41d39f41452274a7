"""Chapters of a video: a time range, a process step and a caption, each change an event."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalog.chapters import to_webvtt
from catalog.store import Catalog
from tests.archive.conftest import Cli


@pytest.fixture
def video_key(cli: Cli, tmp_path: Path, data_dir: Path) -> str:
    source = tmp_path / "videos"
    source.mkdir()
    shutil.copy(data_dir / "rotated-90-gps.mov", source / "making-felt.mov")
    cli("ingest", str(source), "--jobs", "1")
    return cli.json("list")[0]["key"]


def test_chapters_are_added_listed_removed_and_exported_as_webvtt(cli: Cli, video_key: str):
    cli("chapters", video_key, "--add", "0:00-0:01", "washing", "Washing the wool")
    cli("chapters", video_key, "--add", "0:01-0:02", "кардочесание", "Чесание шерсти")
    listed = cli.json("chapters", video_key, "--list")["chapters"]
    assert [(c["start"], c["end"], c["process_step"]) for c in listed] == [
        (0.0, 1.0, "washing"),
        (1.0, 2.0, "carding"),
    ]
    assert listed[1]["caption"] == {"ru": "Чесание шерсти"}
    with Catalog(cli.archive / "catalog.sqlite") as catalog:
        vtt = to_webvtt(catalog.get(video_key).chapters, "en")
    assert "00:00:00.000 --> 00:00:01.000\nWashing the wool" in vtt
    cli("chapters", video_key, "--remove", "1")
    assert len(cli.json("chapters", video_key)["chapters"]) == 1
    events = [e for e in cli.json("history", video_key)["events"] if e["field"] == "chapters"]
    assert len(events) == 3 and len(events[-1]["old"]) == 2


def test_an_unknown_step_or_an_overlap_is_refused(cli: Cli, video_key: str):
    cli("chapters", video_key, "--add", "0:00-0:02", "washing", "Washing")
    bad_step = cli("chapters", video_key, "--add", "0:02-0:03", "washin", "x", code=1)
    assert "washing?" in bad_step.stderr
    overlap = cli("chapters", video_key, "--add", "0:01-0:03", "", "x", code=1)
    assert "overlap" in overlap.stderr
