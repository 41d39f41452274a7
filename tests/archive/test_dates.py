"""Dates can be corrected: one item with `edit --set taken_at=…`, many with `timeshift`; both
are events that can be undone, the file's own date stays beside the corrected one, and
search and the site follow the corrected date."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.archive.conftest import Cli, make_photo

CAMERAS = ("Apple iPhone 4.jpg", "Apple iPhone 5.jpg", "Canon EOS 7D.jpg")


@pytest.fixture
def cameras(tmp_path: Path, corpus: Path) -> Path:
    """Two iPhone photos (2011, 2012) and one Canon EOS 7D photo (2010) from the corpus."""
    folder = tmp_path / "trip"
    folder.mkdir()
    for name in CAMERAS:
        shutil.copy2(corpus / "photos" / name, folder / name)
    return folder


def _by_name(cli: Cli) -> dict[str, dict]:
    return {Path(i["source_paths"][0]).name: i for i in cli.json("list")}


@pytest.mark.parametrize(
    ("typed", "stored", "precision"),
    [
        ("2015-08-16T10:30", "2015-08-16T10:30", "minute"),
        ("2015-08-16", "2015-08-16", "day"),
        ("2015-08", "2015-08", "month"),
        ("2015", "2015", "year"),
    ],
)
def test_edit_corrects_the_date_keeping_its_precision_and_the_files_date(
    cli: Cli, photos: Path, typed: str, stored: str, precision: str
):
    cli("ingest", str(photos), "--jobs", "1")
    item = _by_name(cli)["IMG_0002.jpg"]
    assert (item["taken_at"], item["taken_precision"]) == ("2016-07-01T09:00:00", "second")
    cli("edit", item["key"], "--set", f"taken_at={typed}")
    shown = cli.json("show", item["key"])
    assert (shown["taken_at"], shown["taken_precision"]) == (stored, precision)
    assert shown["taken_at_original"] == "2016-07-01T09:00:00"
    assert shown["provenance"]["taken_at"]["via"] == "edit"
    assert item["key"] in {h["key"] for h in cli.json("search", "year:2015")["hits"]}
    assert cli.json("search", "year:2016")["hits"] == []


def test_an_undated_item_is_dated_and_the_edit_undone(cli: Cli, tmp_path: Path):
    make_photo(tmp_path / "src" / "undated.jpg", taken=None)
    cli("ingest", str(tmp_path / "src"), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    assert cli.json("show", key)["taken_at"] is None
    bad = cli("edit", key, "--set", "taken_at=16.08.2015", code=2)
    assert "write 2015-08-16T10:30, 2015-08-16, 2015-08 or 2015" in bad.stderr
    cli("edit", key, "--set", "taken_at=2015-08-16")
    event = next(e for e in cli.json("history", key)["events"] if e["field"] == "taken_at")
    assert (event["old"], event["new"]) == (None, "2015-08-16")
    cli("history", "--undo", str(event["id"]))
    shown = cli.json("show", key)
    assert (shown["taken_at"], shown["taken_precision"], shown["taken_at_original"]) == (
        None,
        None,
        None,
    )


def test_timeshift_moves_one_cameras_photos_and_is_undone(cli: Cli, cameras: Path):
    cli("ingest", str(cameras), "--jobs", "1", code=None)  # the Canon's embedded place: a warning
    before = {name: item["taken_at"] for name, item in _by_name(cli).items()}
    assert before["Apple iPhone 4.jpg"] == "2011-01-13T14:33:39"

    preview = cli.json("timeshift", "--query", "camera:apple", "--by", "-1y2d", "--dry-run")
    assert not preview["applied"] and preview["shift"] is None
    assert sorted(m["new"] for m in preview["moved"]) == [
        "2010-01-11T14:33:39",
        "2011-09-27T16:11:25",
    ]
    assert {n: i["taken_at"] for n, i in _by_name(cli).items()} == before  # nothing changed

    done = cli.json("timeshift", "--query", "camera:apple", "--by", "-1y2d")
    assert done["applied"] and len(done["moved"]) == 2
    after = _by_name(cli)
    assert after["Apple iPhone 4.jpg"]["taken_at"] == "2010-01-11T14:33:39"
    assert after["Apple iPhone 4.jpg"]["taken_at_original"] == "2011-01-13T14:33:39"
    assert after["Canon EOS 7D.jpg"]["taken_at"] == before["Canon EOS 7D.jpg"]
    in_2010 = {h["key"] for h in cli.json("search", "year:2010")["hits"]}
    assert after["Apple iPhone 4.jpg"]["key"] in in_2010

    # One item back through its history, then the rest of the shift at once.
    key = after["Apple iPhone 5.jpg"]["key"]
    event = [e for e in cli.json("history", key)["events"] if e["field"] == "taken_at"][-1]
    detail = {k: v for k, v in event["detail"].items() if k != "actor"}  # the login, if any
    assert detail == {"via": "timeshift", "by": "-1y2d", "shift": done["shift"]}
    cli("history", "--undo", str(event["id"]))
    undone = cli.json("timeshift", "--undo", str(done["shift"]))
    assert [m["key"] for m in undone["moved"]] == [after["Apple iPhone 4.jpg"]["key"]]
    assert [s["key"] for s in undone["skipped"]] == [key]
    assert {n: i["taken_at"] for n, i in _by_name(cli).items()} == before
    again = cli("timeshift", "--undo", str(done["shift"]), code=1)
    assert "undone already" in again.stderr


def test_timeshift_skips_undated_items_and_refuses_a_bad_duration(cli: Cli, tmp_path: Path):
    make_photo(tmp_path / "src" / "dated.jpg", taken="2019:03:26 19:33:47")
    make_photo(tmp_path / "src" / "undated.jpg", taken=None, color=(1, 2, 3))
    cli("ingest", str(tmp_path / "src"), "--jobs", "1")
    keys = [i["key"] for i in cli.json("list")]
    bad = cli("timeshift", *keys, "--by", "5 hours", code=2)
    assert "+5h30m or -1y2d" in bad.stderr
    assert cli("timeshift", *keys, code=2).exit_code == 2  # --by is needed
    report = cli.json("timeshift", *keys, "--by", "+5h30m")
    assert [m["new"] for m in report["moved"]] == ["2019-03-27T01:03:47"]
    assert [s["reason"][:7] for s in report["skipped"]] == ["undated"]


def test_the_site_timeline_follows_the_corrected_date(cli: Cli, photos: Path, tmp_path: Path):
    cli("ingest", str(photos), "--jobs", "1")
    keys = [i["key"] for i in cli.json("list")]
    cli("edit", *keys, "--set", "consent=public")
    site = tmp_path / "site"
    cli("export", str(site))
    assert (site / "timeline" / "2016" / "index.html").is_file()
    cli("timeshift", *keys, "--by", "-3y")
    cli("export", str(site))
    years = sorted(p.name for p in (site / "timeline").iterdir() if p.name.isdigit())
    assert years == ["2012", "2013"]
