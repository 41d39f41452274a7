"""Fixity: `archive check --fixity` re-hashes every original, reports changed, missing and
extra files, and records each check so a user can tell when a file was last known good."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from archive.layout import Layout
from tests.reliability.conftest import run


@pytest.fixture
def archive(small_photos: Path, tmp_path: Path) -> Layout:
    layout = Layout(tmp_path / "archive")
    assert run(layout.root, "ingest", "-q", str(small_photos)).returncode == 0
    return layout


def items(layout: Layout) -> list[dict]:
    return json.loads(run(layout.root, "list", "--json").stdout)


def fixity_events(layout: Layout, key: str) -> list[tuple[str, str]]:
    shown = json.loads(run(layout.root, "show", key, "--json").stdout)
    return [(e["at"], e["new"]) for e in shown["events"] if e["action"] == "fixity"]


def writable(path: Path) -> Path:
    os.chmod(path, 0o644)
    return path


def test_a_clean_archive_passes_and_every_item_gets_a_dated_event(archive: Layout) -> None:
    first = run(archive.root, "check", "--fixity", "--json")
    assert first.returncode == 0, first.stdout
    report = json.loads(first.stdout)
    assert report["ok"] and report["fixity_checked"] == 12
    run(archive.root, "check", "--fixity")
    for item in items(archive):
        events = fixity_events(archive, item["key"])
        assert [new for _, new in events] == ["ok", "ok"]
        assert all(at[:4].isdigit() and "T" in at for at, _ in events)  # a date and a time


def test_changed_missing_and_extra_files_are_each_reported(archive: Layout) -> None:
    flipped, cut, gone = items(archive)[:3]
    path = writable(archive.absolute(flipped["original"]))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, same size: only re-hashing finds it
    path.write_bytes(bytes(data))
    quick = json.loads(run(archive.root, "check", "--json").stdout)
    assert flipped["key"] not in {p["key"] for p in quick["problems"]}

    short = writable(archive.absolute(cut["original"]))
    short.write_bytes(short.read_bytes()[:-100])
    archive.absolute(gone["original"]).unlink()
    extra = archive.originals / "ab" / ("ab" * 32 + ".jpg")
    extra.parent.mkdir(exist_ok=True)
    extra.write_bytes(b"\xff\xd8\xff not catalogued")

    done = run(archive.root, "check", "--fixity", "--json")
    assert done.returncode == 3
    report = json.loads(done.stdout)
    found = {(p["kind"], p["key"] or p["path"]) for p in report["problems"]}
    assert found == {
        ("changed-original", flipped["key"]),
        ("changed-original", cut["key"]),
        ("missing-original", gone["key"]),
        ("orphan-original", archive.relative(extra)),
    }
    assert all(p["repair"] for p in report["problems"])
    assert fixity_events(archive, flipped["key"])[-1][1] == "failed"
    assert fixity_events(archive, cut["key"])[-1][1] == "failed"
    assert fixity_events(archive, gone["key"])[-1][1] == "missing"
    text = run(archive.root, "check", "--fixity")
    assert "missing-original" in text.stdout and "restore it from a backup" in text.stdout


def test_the_last_good_check_stays_in_the_history(archive: Layout) -> None:
    item = items(archive)[0]
    run(archive.root, "check", "--fixity")
    writable(archive.absolute(item["original"])).write_bytes(b"overwritten by mistake")
    run(archive.root, "check", "--fixity")
    (good_at, good), (bad_at, bad) = fixity_events(archive, item["key"])
    assert (good, bad) == ("ok", "failed") and good_at <= bad_at
