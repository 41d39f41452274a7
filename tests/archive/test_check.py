"""check finds what disagrees after an interrupted run; rebuild repairs it."""

from __future__ import annotations

import os
import shutil

from archive.check import find_problems as check
from archive.check import regenerate as rebuild
from archive.ingest import ingest
from archive.layout import Layout
from catalog.store import Catalog
from tests.archive.conftest import make_photo
from tests.reliability.conftest import kill_when, run_log_files, run_logs, start


def kinds(report) -> list[str]:
    return sorted(p.kind for p in report.problems)


def test_an_original_stored_but_not_recorded_is_adopted_by_rebuild(tmp_path, photos):
    layout = Layout(tmp_path / "archive")
    ingest(layout, [photos], jobs=1)
    # What a run killed between "store" and "record" leaves behind.
    stray = make_photo(tmp_path / "x" / "new.jpg", color=(1, 2, 3))
    from media.hashing import sha256_file

    sha = sha256_file(stray)
    target = layout.original_path(sha, ".jpg")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(stray, target)
    (target.parent / f".{target.name}.123.tmp").write_bytes(b"half")
    with Catalog(layout.catalog) as catalog:
        assert kinds(check(layout, catalog)) == ["orphan-original", "temporary-file"]
        report = rebuild(layout, catalog)
        assert report.adopted == (layout.relative(target),)
        assert check(layout, catalog).problems == ()
        assert catalog.count() == 3
    # Ingesting the file later only adds its source path.
    again = ingest(layout, [stray.parent], jobs=1)
    assert again.outcomes[0].outcome == "duplicate"


def test_missing_and_stale_derivatives_are_remade(tmp_path, photos):
    layout = Layout(tmp_path / "archive")
    ingest(layout, [photos], jobs=1)
    with Catalog(layout.catalog) as catalog:
        item = catalog.items()[0]
        thumb = layout.absolute(catalog.derivatives(item.key)["thumb"].path)
    thumb.unlink()
    config = layout.config.read_text().replace("max_size = 1600", "max_size = 1200")
    layout.config.write_text(config)
    with Catalog(layout.catalog) as catalog:
        assert kinds(check(layout, catalog)) == [
            "missing-derivative",
            "stale-derivative",
            "stale-derivative",
        ]
        report = rebuild(layout, catalog, index=False)
        assert report.derivatives_made == 3  # one thumb, two display images; nothing else
        assert check(layout, catalog).problems == ()
        display = catalog.derivatives(item.key)["display"]
        assert max(display.width, display.height) <= 1200


def test_an_orphan_derivative_is_removed(tmp_path, photos):
    layout = Layout(tmp_path / "archive")
    ingest(layout, [photos], jobs=1)
    orphan = layout.derivatives / "thumb" / "00" / ("0" * 64 + ".webp")
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"RIFF")
    with Catalog(layout.catalog) as catalog:
        assert kinds(check(layout, catalog)) == ["orphan-derivative"]
        rebuild(layout, catalog)
        assert check(layout, catalog).problems == ()
    assert not orphan.exists()


def test_a_deleted_index_is_reported_and_rebuilt(tmp_path, photos):
    layout = Layout(tmp_path / "archive")
    ingest(layout, [photos], jobs=1)
    shutil.rmtree(layout.index)
    with Catalog(layout.catalog) as catalog:
        assert kinds(check(layout, catalog)) == ["index-stale"]
        assert rebuild(layout, catalog, derivatives=False).index_items == 2
        assert check(layout, catalog).problems == ()


def test_fixity_finds_a_changed_original_and_records_each_check(tmp_path, photos):
    layout = Layout(tmp_path / "archive")
    ingest(layout, [photos], jobs=1)
    with Catalog(layout.catalog) as catalog:
        first, second = catalog.items()
        path = layout.absolute(first.original)
        os.chmod(path, 0o644)
        data = bytearray(path.read_bytes())
        data[-10] ^= 0xFF  # one flipped byte, same size
        path.write_bytes(bytes(data))
        report = check(layout, catalog, fixity=True)
        assert [(p.kind, p.key) for p in report.problems] == [("changed-original", first.key)]
        assert report.fixity_checked == 2
        fixity = [e.new for e in catalog.events(second.key) if e.action == "fixity"]
        assert fixity == ["ok"]
        assert [e.new for e in catalog.events(first.key) if e.action == "fixity"] == ["failed"]


def test_a_killed_ingest_can_be_run_again(tmp_path, photos):
    """Kill an ingest at three moments of its work; check names only what rebuild repairs,
    and a re-run completes."""
    for i in range(6):
        make_photo(photos / f"extra-{i}.jpg", color=(i * 40, 100, 50), size=(1200, 900))
    layout = Layout(tmp_path / "archive")
    fixable = {
        "orphan-original",
        "orphan-derivative",
        "temporary-file",
        "index-stale",
        "missing-derivative",
    }
    # Each moment is of the run being killed: its own run log, not an earlier run's.
    for moment, outcomes in (("its run log is open", 0), ("its first outcome", 1),
                             ("its third outcome", 3)):  # fmt: skip
        before = run_logs(layout)
        proc = start(layout.root, "ingest", "-q", "--jobs", "2", str(photos))
        kill_when(proc, lambda b=before, n=outcomes: run_log_files(layout, b) >= n, what=moment)
        with Catalog(layout.catalog) as catalog:
            assert {p.kind for p in check(layout, catalog).problems} <= fixable, moment
    report = ingest(layout, [photos], jobs=2)
    assert not report.failed
    with Catalog(layout.catalog) as catalog:
        rebuild(layout, catalog)
        assert check(layout, catalog, fixity=True).problems == ()
        assert catalog.count() == 8
