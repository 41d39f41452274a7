"""Crash safety: `archive ingest`, `archive export` and `archive metadata import` killed with
SIGKILL at many moments lose nothing, leave nothing that check cannot name and rebuild cannot
repair, and a re-run completes.

Each moment is a state on disk that shows the run is mid-work; the test waits for it, kills
the run there and fails unless the kill landed (the run was still going and died of it)."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
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
from tests.archive.conftest import make_photo
from tests.reliability.conftest import (
    holds_lock,
    kill_when,
    make_video,
    run,
    run_log_files,
    run_logs,
    start,
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


def run_ended(layout: Layout) -> bool:
    """True when a run log has its closing line: the run got to its end."""
    return any('"event": "end"' in log.read_text(encoding="utf-8") for log in run_logs(layout))


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
    ("seven outcomes are recorded", lambda layout: lambda: run_log_files(layout, set()) >= 7, True),
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
    kill_when(proc, ready, what=moment, group=whole_group)
    assert ready() and not run_ended(layout), f"killed at {moment}, the run must be cut short"
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
    assert len(expected) > 30 + 10, "the site is too small for the last moment to be mid-work"
    for moment, condition in moments:
        if site.exists():
            shutil.rmtree(site)
        with Catalog(layout.catalog) as catalog:
            before = check(layout, catalog).problems
        proc = start(layout.root, "export", str(site))
        kill_when(proc, condition(), what=moment)
        manifest = site / MANIFEST
        # Cut short: not complete, and no home page (it is written last).
        assert not (manifest.is_file() and json.loads(manifest.read_text())["complete"]), moment
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


def test_a_re_export_killed_midway_keeps_the_old_home_page(
    public_archive: Layout, tmp_path: Path
) -> None:
    layout = public_archive
    site = tmp_path / "site"
    assert run(layout.root, "export", str(site)).returncode == 0
    old_home = (site / "index.html").read_bytes()
    assert run(layout.root, "edit", "--query", "kind:photo", "--set", "title=Jurab").returncode == 0
    proc = start(layout.root, "export", str(site))

    def claimed() -> bool:  # the manifest says the site is being rewritten
        try:
            return json.loads((site / MANIFEST).read_text()).get("complete") is False
        except ValueError:
            return False  # being replaced at this instant

    kill_when(proc, claimed, what="the export to mark the site incomplete")
    assert claimed(), "the kill came after the export finished"
    assert (site / "index.html").read_bytes() == old_home
    assert run(layout.root, "export", str(site)).returncode == 0
    assert b"Jurab" in (site / "index.html").read_bytes()


# -- metadata import -------------------------------------------------------------------
def _titles_committed(layout: Layout) -> bool:
    """A reader of the catalogue sees a new title: the import's transaction is committed."""
    db = sqlite3.connect(f"file:{layout.catalog}?mode=ro", uri=True, timeout=5)
    try:
        return db.execute("SELECT count(*) FROM items WHERE title_en IS NOT NULL").fetchone()[0] > 0
    finally:
        db.close()


def _index_writing(layout: Layout):
    """A moment: a file the index did not have appears in it (the update is being written)."""
    before = {p.name for p in layout.index.iterdir()}
    return lambda proc: any(p.name not in before for p in layout.index.iterdir())


# (moment, condition given the layout and then the running import, are the new titles in,
#  what check finds then)
IMPORT_MOMENTS = [
    ("the lock is held", lambda layout: lambda proc: holds_lock(layout, proc), False, set()),
    ("the new titles are committed", lambda layout: lambda proc: _titles_committed(layout), True,
     {"index-stale"}),
    ("the index update is being written", _index_writing, True, {"index-stale"}),
]  # fmt: skip


@pytest.fixture(scope="module")
def titled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Layout, Path, dict[str, str]]:
    """An archive of twelve photos, and a sheet giving each a new title and keywords."""
    tmp = tmp_path_factory.mktemp("titled")
    photos = tmp / "DCIM"
    for i in range(12):
        make_photo(photos / f"IMG_{i:04d}.jpg", size=(160, 120), color=(i * 20, 90, 200 - i * 10))
    layout = Layout(tmp / "archive")
    assert run(layout.root, "ingest", "-q", str(photos)).returncode == 0
    sheet = tmp / "items.csv"
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
    return layout, sheet, {row["key"]: row["title_en"] for row in rows}


@pytest.mark.parametrize(("moment", "condition", "applied", "problems"), IMPORT_MOMENTS,
                         ids=[m[0] for m in IMPORT_MOMENTS])  # fmt: skip
def test_metadata_import_killed_leaves_each_item_old_or_new(
    titled, tmp_path: Path, moment, condition, applied, problems
) -> None:
    pristine, sheet, new = titled
    layout = Layout(tmp_path / "archive")
    shutil.copytree(pristine.root, layout.root)
    ready = condition(layout)
    proc = start(layout.root, "metadata", "import", str(sheet))
    kill_when(proc, lambda: ready(proc), what=moment)
    with Catalog(layout.catalog) as catalog:
        titles = {item.key: item.title for item in catalog.items()}
        # All or nothing: the import is one transaction.
        assert titles == (new if applied else dict.fromkeys(new)), moment
        for item in catalog.items():
            edits = [e.new for e in catalog.events(item.key) if e.field == "title_en"]
            # A changed title always has its event: the change and its history are one.
            assert edits == ([new[item.key]] if applied else []), (moment, item.key)
        assert {p.kind for p in check(layout, catalog).problems} == problems, moment
    done = run(layout.root, "metadata", "import", "--json", str(sheet))
    assert done.returncode == 0, done.stderr
    with Catalog(layout.catalog) as catalog:
        assert {item.key: item.title for item in catalog.items()} == new
    assert run(layout.root, "check").returncode == (3 if problems else 0)
    assert run(layout.root, "rebuild", "--index").returncode == 0
    assert run(layout.root, "check").returncode == 0
