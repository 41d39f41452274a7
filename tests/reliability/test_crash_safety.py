"""Crash safety: `archive ingest` and `archive export` killed with SIGKILL at many moments
lose nothing, leave nothing that check cannot name and rebuild cannot repair, and a re-run
completes."""

from __future__ import annotations

import csv
import json
import shutil
import time
from pathlib import Path

import pytest

from archive import indexing
from archive.check import find_problems as check
from archive.check import regenerate as rebuild
from archive.export.sync import MANIFEST
from archive.ingest import ingest
from archive.layout import Layout
from catalog.store import Catalog
from media.hashing import sha256_file
from tests.reliability.conftest import (
    kill,
    make_video,
    run,
    run_log_files,
    start,
    wait_until,
)

# What an interrupted ingest may leave: each is repaired by `archive rebuild`.
REPAIRABLE = {
    "orphan-original",
    "orphan-derivative",
    "temporary-file",
    "index-stale",
    "missing-derivative",
}


def assert_nothing_lost(layout: Layout) -> set[str]:
    """Every original's bytes match the hash in its name, every record has its original,
    and check names only what rebuild repairs. Returns the kinds check found."""
    for path in layout.originals.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            assert sha256_file(path) == path.name.split(".")[0], path
    with Catalog(layout.catalog) as catalog:
        for item in catalog.items():
            original = layout.absolute(item.original)
            assert original.is_file(), f"item {item.key} points at a missing original"
        found = {p.kind for p in check(layout, catalog, fixity=True).problems}
    assert found <= REPAIRABLE, found
    return found


def stored(folder: Path, count: int):
    """A moment: ``count`` files (not temporary ones) are in ``folder``."""

    def ready() -> bool:
        return sum(1 for p in folder.rglob("*.*") if not p.name.startswith(".")) >= count

    return ready


def after_seconds(seconds: float):
    deadline = time.monotonic() + seconds
    return lambda: time.monotonic() >= deadline


INGEST_MOMENTS = [
    # (moment, condition factory given the layout, kill the whole process group too)
    ("the run log is open", lambda layout: lambda: run_log_files(layout, set()) >= 0, False),
    ("the first original is stored", lambda layout: stored(layout.originals, 1), True),
    ("five originals are stored", lambda layout: stored(layout.originals, 5), False),
    ("ten derivatives are made", lambda layout: stored(layout.derivatives, 10), True),
    (
        "the first outcome is recorded",
        lambda layout: lambda: run_log_files(layout, set()) >= 1,
        False,
    ),
    ("0.6 s after the start", lambda layout: after_seconds(0.6), False),
]


@pytest.mark.parametrize(("moment", "condition", "whole_group"), INGEST_MOMENTS,
                         ids=[m[0] for m in INGEST_MOMENTS])  # fmt: skip
def test_ingest_killed_loses_nothing_and_a_re_run_completes(
    small_photos: Path, tmp_path: Path, moment, condition, whole_group
) -> None:
    make_video(small_photos / "MVI_0001.mp4", seconds=2)
    layout = Layout(tmp_path / "archive")
    ready = condition(layout)
    proc = start(layout.root, "ingest", "-q", "--jobs", "2", str(small_photos))
    wait_until(lambda: ready() or proc.poll() is not None, timeout=30, what=moment)
    kill(proc, group=whole_group)
    if layout.catalog.exists():
        assert_nothing_lost(layout)
    report = ingest(layout, [small_photos], jobs=1)
    assert not report.failed
    assert report.counts["added"] + report.counts["skipped"] + report.counts["duplicate"] == 13
    with Catalog(layout.catalog) as catalog:
        rebuild(layout, catalog)
        assert check(layout, catalog, fixity=True).problems == ()
        assert catalog.count() == 13
        assert all(item.source_paths for item in catalog.items())
        assert indexing.open_index(layout).search("kind:video").total == 1


# -- export --------------------------------------------------------------------------
@pytest.fixture
def public_archive(small_photos: Path, tmp_path: Path) -> Layout:
    (small_photos / "_folder.toml").write_text('consent = "public"\ntitle = "Felt"\n')
    layout = Layout(tmp_path / "archive")
    assert run(layout.root, "ingest", "-q", str(small_photos)).returncode == 0
    return layout


def site_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


def test_export_killed_at_many_moments_never_looks_complete(
    public_archive: Layout, tmp_path: Path
) -> None:
    layout = public_archive
    reference = tmp_path / "reference"
    assert run(layout.root, "export", str(reference)).returncode == 0
    expected = site_files(reference)
    site = tmp_path / "site"

    def files_written(count: int):
        return lambda: site.is_dir() and sum(1 for _ in site.rglob("*.*")) >= count

    moments = [
        ("the site folder exists", lambda: site.is_dir),
        ("3 files written", lambda: files_written(3)),
        ("12 files written", lambda: files_written(12)),
        ("30 files written", lambda: files_written(30)),
    ]
    killed = 0
    for moment, condition in moments:
        if site.exists():
            shutil.rmtree(site)
        with Catalog(layout.catalog) as catalog:
            before = check(layout, catalog).problems
        ready = condition()
        proc = start(layout.root, "export", str(site))
        wait_until(lambda r=ready, p=proc: r() or p.poll() is not None, timeout=30, what=moment)
        killed += kill(proc)
        manifest = site / MANIFEST
        complete = manifest.is_file() and json.loads(manifest.read_text())["complete"]
        if complete:
            assert site_files(site) == expected, moment
        else:
            # Cut short: no home page, and the manifest (when there is one) says so.
            assert not (site / "index.html").exists(), moment
        with Catalog(layout.catalog) as catalog:
            assert check(layout, catalog).problems == before  # the archive is untouched
        again = run(layout.root, "export", "--json", str(site))
        assert again.returncode == 0, again.stderr
        assert json.loads(manifest.read_text())["complete"] is True
        leftovers = sorted(
            p.relative_to(site).as_posix()
            for p in site.rglob("*")
            if p.is_file() and p.name != MANIFEST and p.relative_to(site).as_posix() not in expected
        )
        assert leftovers == [], moment
        assert site_files(site) == expected, moment
    assert killed >= 2, "most exports finished before they could be killed"


def test_a_re_export_killed_midway_keeps_the_old_home_page(
    public_archive: Layout, tmp_path: Path
) -> None:
    layout = public_archive
    site = tmp_path / "site"
    assert run(layout.root, "export", str(site)).returncode == 0
    old_home = (site / "index.html").read_bytes()
    assert run(layout.root, "edit", "--query", "kind:photo", "--set", "title=Jurab").returncode == 0
    proc = start(layout.root, "export", str(site))
    wait_until(
        lambda: (
            json.loads((site / MANIFEST).read_text()).get("complete") is False
            or proc.poll() is not None
        ),
        timeout=30,
        what="the export to start writing",
    )
    kill(proc)
    home = (site / "index.html").read_bytes()
    if not json.loads((site / MANIFEST).read_text())["complete"]:
        assert home == old_home
    assert run(layout.root, "export", str(site)).returncode == 0
    assert b"Jurab" in (site / "index.html").read_bytes()


# -- metadata import -------------------------------------------------------------------
def _wal_changed(layout: Layout):
    wal = layout.catalog.with_name(layout.catalog.name + "-wal")
    before = wal.stat().st_mtime_ns if wal.exists() else 0
    return lambda: wal.exists() and wal.stat().st_mtime_ns != before


def test_metadata_import_killed_leaves_each_item_old_or_new(
    small_photos: Path, tmp_path: Path
) -> None:
    layout = Layout(tmp_path / "archive")
    assert run(layout.root, "ingest", "-q", str(small_photos)).returncode == 0
    sheet = tmp_path / "items.csv"
    assert run(layout.root, "metadata", "export", str(sheet)).returncode == 0
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["title_en"] = f"Felt rug {row['key'][:6]}"
        row["keywords"] = "felt; rug"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    new = {row["key"]: row["title_en"] for row in rows}

    moments = [
        ("the catalogue is first written", lambda: _wal_changed(layout)),
        ("0.3 s after the start", lambda: after_seconds(0.3)),
        ("0.45 s after the start", lambda: after_seconds(0.45)),
    ]
    for moment, condition in moments:
        ready = condition()
        proc = start(layout.root, "metadata", "import", str(sheet))
        wait_until(lambda r=ready, p=proc: r() or p.poll() is not None, timeout=30, what=moment)
        kill(proc)
        with Catalog(layout.catalog) as catalog:
            for item in catalog.items():
                assert item.title in (None, new[item.key]), moment
                edits = [e.new for e in catalog.events(item.key) if e.field == "title_en"]
                # A changed title always has its event: the change and its history are one.
                assert (item.title is not None) == bool(edits), (moment, item.key)
            assert {p.kind for p in check(layout, catalog).problems} <= {"index-stale"}
    done = run(layout.root, "metadata", "import", "--json", str(sheet))
    assert done.returncode == 0, done.stderr
    with Catalog(layout.catalog) as catalog:
        assert {item.key: item.title for item in catalog.items()} == new
    assert run(layout.root, "check").returncode in (0, 3)
    assert run(layout.root, "rebuild", "--index").returncode == 0
    assert run(layout.root, "check").returncode == 0
