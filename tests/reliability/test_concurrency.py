"""Two commands on one archive at once: they wait for each other or stop with a clear message;
the catalogue and the index are never corrupted, and readers keep working."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from archive.check import find_problems as check
from archive.layout import Layout
from catalog.store import Catalog
from tests.archive.conftest import make_photo
from tests.reliability.conftest import holds_lock, make_video, run, start, wait_until

BUSY = re.compile(r"Error: the archive .* is in use by `archive (ingest|export)` \(pid \d+\)")


@pytest.fixture
def busy_source(small_photos: Path) -> Path:
    """Enough work that a second command surely finds the first one still running."""
    make_video(small_photos / "MVI_0001.mp4", seconds=4)
    for i in range(12, 24):
        make_photo(small_photos / f"IMG_{i:04d}.jpg", size=(1200, 900), color=(i * 9, 40, 80))
    return small_photos


def second_source(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    for i in range(3):
        make_photo(folder / f"usb-{i}.jpg", color=(10, i * 60, 10), size=(64, 48))
    return folder


def busy_with(proc, stderr: str) -> bool:
    """``stderr`` is the refusal of a command that found ``proc`` holding the archive."""
    return bool(BUSY.search(stderr)) and f"(pid {proc.pid})" in stderr


def run_log_events(layout: Layout, command: str) -> list[dict]:
    """The start and end lines of the runs of ``command``, oldest run first."""
    lines = []
    for log in sorted(layout.runs.glob("*.jsonl")):
        events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        if events and events[0].get("command") == command:
            lines += [e for e in events if e["event"] in ("start", "end")]
    return lines


def assert_consistent(layout: Layout, items: int) -> None:
    db = sqlite3.connect(layout.catalog)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()
    with Catalog(layout.catalog) as catalog:
        assert catalog.count() == items
        assert check(layout, catalog, fixity=True).problems == ()


def test_a_second_ingest_stops_with_a_message_naming_the_first(
    busy_source: Path, tmp_path: Path
) -> None:
    layout = Layout(tmp_path / "archive")
    first = start(layout.root, "ingest", "-q", "--jobs", "2", str(busy_source))
    wait_until(lambda: holds_lock(layout, first), timeout=60, what="the first ingest to lock")
    second = run(layout.root, "ingest", str(second_source(tmp_path)))
    assert first.wait(timeout=120) == 0
    assert second.returncode == 1
    assert busy_with(first, second.stderr), second.stderr
    assert "--wait" in second.stderr  # it says how to wait instead
    assert_consistent(layout, 25)


def test_with_wait_the_second_ingest_runs_after_the_first(busy_source: Path, tmp_path: Path):
    layout = Layout(tmp_path / "archive")
    first = start(layout.root, "ingest", "-q", "--jobs", "2", str(busy_source))
    wait_until(lambda: holds_lock(layout, first), timeout=60, what="the first ingest to lock")
    second = start(layout.root, "ingest", "--json", "--wait", "120", str(second_source(tmp_path)))
    # A command started after the waiting one finds the archive still taken: the waiting
    # one got as far as the lock while the first held it.
    probe = run(layout.root, "rebuild", "--index")
    assert probe.returncode == 1 and busy_with(first, probe.stderr), probe.stderr
    assert second.poll() is None, "the second ingest did not wait"
    assert first.wait(timeout=120) == 0
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err.decode()
    assert json.loads(out)["counts"]["added"] == 3
    first_run, second_run = (
        run_log_events(layout, "ingest")[-4:-2],
        run_log_events(layout, "ingest")[-2:],
    )
    assert [e["event"] for e in first_run + second_run] == ["start", "end", "start", "end"]
    assert second_run[0]["at"] >= first_run[1]["at"]  # it began when the first had ended
    assert_consistent(layout, 28)


def test_an_export_during_an_ingest_stops_or_waits(busy_source: Path, tmp_path: Path) -> None:
    layout = Layout(tmp_path / "archive")
    assert run(layout.root, "ingest", "-q", str(second_source(tmp_path))).returncode == 0
    first = start(layout.root, "ingest", "-q", "--jobs", "2", str(busy_source))
    wait_until(lambda: holds_lock(layout, first), timeout=60, what="the ingest to lock")
    waited = start(layout.root, "export", "--wait", "120", str(tmp_path / "site2"))
    # Started after the waiting export, this one finds the archive still taken.
    refused = run(layout.root, "export", str(tmp_path / "site"))
    assert refused.returncode == 1 and busy_with(first, refused.stderr), refused.stderr
    assert waited.poll() is None, "the waiting export did not wait"
    assert not (tmp_path / "site2").exists()  # it waits before writing anything
    assert first.wait(timeout=120) == 0
    _, err = waited.communicate(timeout=120)
    assert waited.returncode == 0, err.decode()
    assert not (tmp_path / "site").exists()  # refused before writing anything
    assert_consistent(layout, 28)


def test_two_exports_at_once_never_mix(small_photos: Path, tmp_path: Path) -> None:
    (small_photos / "_folder.toml").write_text('consent = "public"\n')
    layout = Layout(tmp_path / "archive")
    assert run(layout.root, "ingest", "-q", str(small_photos)).returncode == 0
    site = tmp_path / "site"
    procs = [start(layout.root, "export", "--wait", "60", str(site)) for _ in range(3)]
    # At once: one of them holds the lock while all three run (and any may still be
    # starting); the test fails if one finishes before another has begun.
    wait_until(lambda: any(holds_lock(layout, p) for p in procs), timeout=60,
               what="one of the exports to lock")  # fmt: skip
    assert all(p.poll() is None for p in procs), [p.poll() for p in procs]
    results = [(p.wait(timeout=120), p.communicate()[1].decode()) for p in procs]
    assert [code for code, _ in results] == [0, 0, 0], results
    manifest = json.loads((site / ".pamir-export.json").read_text())
    assert manifest["complete"] is True
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert files == set(manifest["files"]) | {".pamir-export.json"}


def test_readers_keep_working_while_an_ingest_writes(busy_source: Path, tmp_path: Path) -> None:
    layout = Layout(tmp_path / "archive")
    assert run(layout.root, "ingest", "-q", str(second_source(tmp_path))).returncode == 0
    writer = start(layout.root, "ingest", "-q", "--jobs", "2", str(busy_source))
    wait_until(lambda: holds_lock(layout, writer), timeout=60, what="the ingest to lock")
    seen = []  # (items listed, photos found, read while the writer held the lock)
    while writer.poll() is None:
        during = holds_lock(layout, writer)
        listed = run(layout.root, "list", "--json")
        found = run(layout.root, "search", "--json", "kind:photo")
        assert listed.returncode == 0, listed.stderr
        assert found.returncode == 0, found.stderr
        during = during and holds_lock(layout, writer)
        seen.append((len(json.loads(listed.stdout)), json.loads(found.stdout)["total"], during))
    assert writer.wait() == 0
    assert any(during for *_, during in seen), f"no reading while the ingest wrote: {seen}"
    assert all(3 <= n <= 28 for n, *_ in seen)
    assert [n for n, *_ in seen] == sorted(n for n, *_ in seen)  # items only ever appear
    assert_consistent(layout, 28)
