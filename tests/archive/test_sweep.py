"""archive.sweep: what dead runs left half-written goes before the next run starts, and
nothing else ever does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.check import find_problems as check
from archive.check import regenerate as rebuild
from archive.ingest import ingest
from archive.layout import Layout
from archive.spreadsheet import write_table
from archive.sweep import is_alive, sweep, sweep_beside
from catalog.store import Catalog
from media.temporary import frame_folder_prefix, is_temporary, temporary_path


@pytest.fixture
def dead_pid() -> int:
    """The pid of a process that has finished."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def live_pid() -> Iterator[int]:
    """The pid of a process that is running (not this one)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    yield proc.pid
    proc.kill()
    proc.wait()


def put(path: Path, data: bytes = b"half") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_the_name_helper_and_the_pattern_agree(tmp_path: Path) -> None:
    made = temporary_path(tmp_path / "abcd.webp")
    assert made.name == f".abcd.webp.{os.getpid()}.tmp" and is_temporary(made.name)
    assert is_temporary(".abcd.123.tmp.mp4")  # an earlier version's web preview
    for name in ("abcd.webp", ".DS_Store", ".abcd.tmp", ".abcd.webp.12x.tmp", "x.123.tmp"):
        assert not is_temporary(name), name


def test_is_alive(live_pid: int, dead_pid: int) -> None:
    assert is_alive(live_pid)
    assert not is_alive(dead_pid)
    assert not is_alive(os.getpid())  # this run has nothing in flight when it sweeps


@pytest.mark.skipif(sys.platform == "win32", reason="a live pid is not checked there")
def test_sweep_removes_dead_runs_temporaries_and_nothing_else(
    tmp_path: Path, dead_pid: int, live_pid: int
) -> None:
    layout = Layout(tmp_path / "archive")
    layout.create()
    sha = "ab" + "0" * 62
    dead = [
        put(layout.originals / "ab" / f".{sha}.jpg.{dead_pid}.tmp"),
        put(layout.derivatives / "thumb" / "ab" / f".{sha}.webp.{dead_pid}.tmp"),
        put(layout.derivatives / "preview" / "ab" / f".{sha}.{dead_pid}.tmp.mp4"),
        put(layout.root / "cache" / "originals" / "ab" / f".{sha}.jpg.{dead_pid}.tmp"),
        put(layout.root / "cache" / "site" / "0123" / "files" / f".index.html.{dead_pid}.tmp"),
    ]
    dead[0].chmod(0o444)  # a stored original's copy is read-only before its rename
    kept = [
        put(layout.derivatives / "poster" / "ab" / f".{sha}.webp.{live_pid}.tmp"),
        put(layout.derivatives / "thumb" / "ab" / f"{sha}.webp"),
        put(layout.derivatives / "thumb" / "ab" / ".DS_Store"),
        put(layout.derivatives / "thumb" / "ab" / f"notes.{dead_pid}.tmp"),
        put(layout.originals / "ab" / f".{sha}.jpg.tmp"),
        put(layout.root / "cache" / "originals" / "ab" / f".{sha}.jpg.{live_pid}.tmp"),
        put(layout.root / "cache" / "originals" / "ab" / f"{sha}.jpg"),  # a cached original
        put(layout.root / f".catalog.sqlite.{dead_pid}.tmp"),  # not in originals/derivatives
    ]
    outside = put(tmp_path / "precious.jpg", b"keep me")
    link = layout.derivatives / "display" / "ab" / f".{sha}.webp.{dead_pid}.tmp"
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    folder = layout.derivatives / "display" / "ab" / f".{sha}.x.{dead_pid}.tmp"
    folder.mkdir()

    removed = sweep(layout)

    assert removed == sorted(layout.relative(p) for p in dead)
    assert not any(p.exists() for p in dead)
    assert all(p.exists() for p in kept)
    assert link.is_symlink() and outside.read_bytes() == b"keep me" and folder.is_dir()


@pytest.mark.skipif(sys.platform == "win32", reason="a live pid is not checked there")
def test_sweep_removes_the_frame_folders_of_dead_runs(
    tmp_path: Path, dead_pid: int, live_pid: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "system-temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    dead = put(temp / f"pamir-frame-{dead_pid}-k1ll3d" / "frame.png").parent
    live = put(temp / f"pamir-frame-{live_pid}-w0rk1ng" / "frame.png").parent
    other = put(temp / "pamir-frame-notapid" / "frame.png").parent
    layout = Layout(tmp_path / "archive")
    layout.create()
    sweep(layout)
    assert not dead.exists()
    assert live.exists() and other.exists()
    assert frame_folder_prefix() == f"pamir-frame-{os.getpid()}-"


def test_ingest_sweeps_first_and_says_so_in_its_run_log(
    tmp_path: Path, photos: Path, dead_pid: int
) -> None:
    layout = Layout(tmp_path / "archive")
    ingest(layout, [photos], jobs=1)
    sha = next(layout.originals.rglob("*.jpg")).stem
    left = put(layout.derivatives / "thumb" / sha[:2] / f".{sha}.webp.{dead_pid}.tmp")
    with Catalog(layout.catalog) as catalog:
        assert [p.kind for p in check(layout, catalog).problems] == ["temporary-file"]
    report = ingest(layout, [photos], jobs=1)
    assert report.counts["skipped"] == 2
    assert not left.exists()
    log = [json.loads(line) for line in (layout.root / report.run_log).read_text().splitlines()]
    assert {"event": "swept", "paths": [layout.relative(left)]} in log
    with Catalog(layout.catalog) as catalog:
        assert check(layout, catalog).problems == ()


def test_rebuild_of_the_index_alone_sweeps_too(tmp_path: Path, photos: Path, dead_pid: int):
    layout = Layout(tmp_path / "archive")
    ingest(layout, [photos], jobs=1)
    sha = next(layout.originals.rglob("*.jpg")).name
    left = put(layout.originals / sha[:2] / f".{sha}.{dead_pid}.tmp")
    with Catalog(layout.catalog) as catalog:
        report = rebuild(layout, catalog, index=True, derivatives=False)
        assert report.removed == (layout.relative(left),)
        assert check(layout, catalog).problems == ()


@pytest.mark.skipif(sys.platform == "win32", reason="a live pid is not checked there")
def test_a_spreadsheet_export_removes_what_a_killed_one_left(
    tmp_path: Path, dead_pid: int, live_pid: int
) -> None:
    target = tmp_path / "items.csv"
    dead = put(tmp_path / f".items.csv.{dead_pid}.tmp")
    live = put(tmp_path / f".items.csv.{live_pid}.tmp")
    other = put(tmp_path / f".other.csv.{dead_pid}.tmp")
    write_table(target, ["key", "title_en"], [["abc", "Felt"]])
    assert target.read_text(encoding="utf-8-sig").splitlines() == ["key,title_en", "abc,Felt"]
    assert not dead.exists() and live.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [target.name, live.name, other.name]
    )
    sweep_beside(tmp_path / "other.csv")
    assert not other.exists()


def test_ingest_removes_a_download_a_killed_run_left_in_the_cache(
    tmp_path: Path, photos: Path, dead_pid: int
) -> None:
    layout = Layout(tmp_path / "archive")
    ingest(layout, [photos], jobs=1)
    sha = next(layout.originals.rglob("*.jpg")).name
    cached = put(layout.root / "cache" / "originals" / sha[:2] / sha, b"a cached copy")
    left = put(layout.root / "cache" / "originals" / sha[:2] / f".{sha}.{dead_pid}.tmp")
    report = ingest(layout, [photos], jobs=1)
    assert not left.exists()
    assert cached.read_bytes() == b"a cached copy"
    log = [json.loads(line) for line in (layout.root / report.run_log).read_text().splitlines()]
    assert {"event": "swept", "paths": [layout.relative(left)]} in log
