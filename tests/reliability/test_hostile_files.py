"""Hostile files: every one is ingested correctly or fails with its path and a reason, and the
run goes on."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from archive.check import find_problems as check
from archive.discover import display_path
from archive.ingest import ingest
from archive.layout import Layout
from catalog.store import Catalog
from tests.archive.conftest import make_photo
from tests.reliability.conftest import (
    bomb_jpeg,
    make_audio_only_mp4,
    make_two_video_streams,
    make_video,
    plain_jpeg,
    png_declaring,
    run,
    set_track_matrix,
    tiff_block,
    u32,
    with_exif,
)

DATA = Path(__file__).resolve().parents[1] / "data"

# name -> (outcome, words the reason must hold, or None for "no reason needed").
EXPECTED: dict[str, tuple[str, str | None]] = {
    "good.jpg": ("added", None),
    "empty.jpg": ("failed", "empty file"),
    "truncated-200-bytes.jpg": ("failed", "damaged"),
    "truncated-half.jpg": ("added", None),  # the bytes are kept; the thumbnail shows what decodes
    "truncated.png": ("added", None),
    "truncated.heic": ("added", None),
    "truncated.mp4": ("failed", "cannot read the video"),
    "truncated.mov": ("failed", "cannot read the video"),
    "notes.jpg": ("failed", "a text file"),
    "photo-named.mp4": ("added", "content is JPEG"),
    "bomb.jpg": ("failed", "decompression bomb"),
    "bomb.png": ("failed", "decompression bomb"),
    "exif-wrong-offsets.jpg": ("added", None),
    "exif-loop.jpg": ("added", None),
    "exif-huge-count.jpg": ("added", None),
    "exif-zero-date-zero-gps.jpg": ("added", None),
    "audio-only.mp4": ("failed", "no video stream"),
    "two-video-streams.mp4": ("added", "2 video streams"),
    "rotation-zero-matrix.mp4": ("added", None),
    "rotation-45-degrees.mp4": ("added", None),
    "rotation-garbage.mov": ("added", None),
    "loop.jpg": ("failed", "loops back on itself"),
    "dangling.jpg": ("failed", "broken symbolic link"),
    "pipe.jpg": ("failed", "not a regular file"),
    "zero-device.jpg": ("failed", "not a regular file"),
}


def _exif_zero_date_and_zero_gps() -> bytes:
    """IFD0 → a DateTime of 0000:00:00, an EXIF IFD with the same, a GPS IFD with x/0."""
    date_at = 8 + 2 + 12 * 3 + 4
    date = b"0000:00:00 00:00:00\x00"
    exif_at = date_at + len(date)
    exif = struct.pack("<HHHI", 1, 0x9003, 2, 20) + u32(date_at) + u32(0)
    gps_at = exif_at + len(exif)
    rationals_at = gps_at + 2 + 12 * 2 + 4
    gps = (
        struct.pack("<HHHI", 2, 1, 2, 2)
        + b"N\x00\x00\x00"
        + struct.pack("<HHI", 2, 5, 3)
        + u32(rationals_at)
        + u32(0)
    )
    rationals = struct.pack("<6I", 37, 0, 30, 0, 0, 0)
    ifd0 = tiff_block([(0x0132, 2, 20, u32(date_at)), (0x8769, 4, 1, u32(exif_at)),
                       (0x8825, 4, 1, u32(gps_at))])  # fmt: skip
    return ifd0 + date + exif + gps + rationals


def make_hostile_folder(folder: Path, scratch: Path) -> Path:
    """Every kind of bad file the issue names, next to one good photo."""
    folder.mkdir(parents=True)
    good = make_photo(folder / "good.jpg", size=(320, 240))
    jpeg = good.read_bytes()
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "truncated-200-bytes.jpg").write_bytes(jpeg[:200])
    (folder / "truncated-half.jpg").write_bytes(jpeg[: len(jpeg) // 2])
    png = make_photo(scratch / "whole.png", size=(200, 100), make=None, taken=None).read_bytes()
    (folder / "truncated.png").write_bytes(png[: len(png) // 2])
    heic = (DATA / "gps-iphone.heic").read_bytes()
    (folder / "truncated.heic").write_bytes(heic[: len(heic) // 3])
    mp4 = make_video(scratch / "whole.mp4").read_bytes()
    (folder / "truncated.mp4").write_bytes(mp4[: len(mp4) // 2])
    mov = make_video(scratch / "whole.mov", fmt="mov").read_bytes()
    (folder / "truncated.mov").write_bytes(mov[: len(mov) // 3])
    (folder / "notes.jpg").write_text("shopping list: wool, madder, walnut husks\n")
    make_photo(folder / "photo-named.mp4", size=(64, 48), color=(9, 9, 9))
    bomb_jpeg(folder / "bomb.jpg")
    (folder / "bomb.png").write_bytes(png_declaring(100_000, 100_000))

    plain = plain_jpeg(scratch / "plain.jpg")
    far = u32(0x7FFFFFF0)
    blocks = {
        "exif-wrong-offsets.jpg": tiff_block(
            [(0x010F, 2, 50, u32(0xFFFFFF00)), (0x8769, 4, 1, far), (0x8825, 4, 1, u32(99999))]
        ),
        "exif-loop.jpg": tiff_block(
            [(0x010F, 2, 4, b"Cam\x00"), (0x8769, 4, 1, u32(8))], next_ifd=8
        ),
        "exif-huge-count.jpg": tiff_block(
            [(0x010F, 2, 0x7FFFFFFF, u32(8)), (0x0110, 4, 0x3FFFFFFF, u32(8))]
        ),
        "exif-zero-date-zero-gps.jpg": _exif_zero_date_and_zero_gps(),
    }
    for name, block in blocks.items():
        (folder / name).write_bytes(with_exif(plain, block))

    make_audio_only_mp4(folder / "audio-only.mp4")
    make_two_video_streams(folder / "two-video-streams.mp4")
    silent = make_video(scratch / "silent.mp4", audio=False).read_bytes()
    (folder / "rotation-zero-matrix.mp4").write_bytes(set_track_matrix(silent, (0,) * 9))
    turned = (46341, 46341, 0, -46341, 46341, 0, 0, 0, 1 << 30)  # 45 degrees
    (folder / "rotation-45-degrees.mp4").write_bytes(set_track_matrix(silent, turned))
    (folder / "rotation-garbage.mov").write_bytes(set_track_matrix(silent, (0x7FFFFFFF,) * 9))

    os.symlink("loop.jpg", folder / "loop.jpg")
    os.symlink("missing.jpg", folder / "dangling.jpg")
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "up")  # a folder loop: not followed
    os.mkfifo(folder / "pipe.jpg")  # opening it would block for ever
    os.symlink("/dev/zero", folder / "zero-device.jpg")  # reading it would never end
    return folder


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, ffmpeg_tools: None):
    base = tmp_path_factory.mktemp("hostile")
    folder = make_hostile_folder(base / "card", base / "scratch")
    layout = Layout(base / "archive")
    report = ingest(layout, [folder], jobs=2)
    return folder, layout, report


def test_each_hostile_file_is_ingested_or_fails_with_a_reason(hostile) -> None:
    folder, _layout, report = hostile
    by_name = {Path(o.path).name: o for o in report.outcomes}
    assert set(by_name) == set(EXPECTED)
    wrong = {}
    for name, (outcome, words) in EXPECTED.items():
        got = by_name[name]
        if got.outcome != outcome or (words and words not in (got.reason or "")):
            wrong[name] = (got.outcome, got.reason)
        assert got.path == display_path(folder / name)
        if got.outcome == "failed":
            assert got.reason and len(got.reason) > 10 and "Traceback" not in got.reason
    assert wrong == {}
    assert report.failed  # exit code 3 at the CLI


def test_nothing_of_a_failed_file_stays_and_the_archive_checks_clean(hostile) -> None:
    _folder, layout, report = hostile
    with Catalog(layout.catalog) as catalog:
        kept = {layout.absolute(i.original) for i in catalog.items()}
        assert len(kept) == report.counts["added"]
        assert check(layout, catalog, fixity=True).problems == ()
    assert {p for p in layout.originals.rglob("*") if p.is_file()} == kept


def test_absurd_metadata_is_dropped_not_believed(hostile) -> None:
    _folder, layout, report = hostile
    keys = {Path(o.path).name: o.key for o in report.outcomes}
    with Catalog(layout.catalog) as catalog:
        zero = catalog.get(keys["exif-zero-date-zero-gps.jpg"])
        assert (zero.taken_at, zero.gps_lat, zero.gps_lon) == (None, None, None)
        for name in ("exif-wrong-offsets.jpg", "exif-loop.jpg", "exif-huge-count.jpg"):
            item = catalog.get(keys[name])
            assert (item.width, item.height) == (64, 48), name
        for name in ("rotation-zero-matrix.mp4", "rotation-45-degrees.mp4", "rotation-garbage.mov"):
            item = catalog.get(keys[name])
            assert item.rotation == 0 and (item.width, item.height) == (96, 64), name
        two = catalog.get(keys["two-video-streams.mp4"])
        assert (two.width, two.height) == (160, 120)


def test_the_run_log_names_every_file(hostile) -> None:
    _folder, layout, report = hostile
    lines = (layout.root / report.run_log).read_text(encoding="utf-8").splitlines()
    logged = [json.loads(line) for line in lines]
    assert sorted(x["path"] for x in logged if x["event"] == "file") == sorted(
        o.path for o in report.outcomes
    )


# -- names ------------------------------------------------------------------------------
HOSTILE_NAMES = [
    os.fsdecode(b"not-utf8-\xff\xfe.jpg"),
    "two\nlines.jpg",
    "tab\tand\rcarriage.jpg",
    "escape-\x1b[2J\x1b[31mred.jpg",
    "right-to-left-\u202egpj.jpg",
    "д" * 120 + ".jpg",  # 244 bytes in UTF-8
    "x" * 251 + ".jpg",  # 255 bytes: the longest name most file systems allow
]


@pytest.fixture
def named(tmp_path: Path) -> Path:
    folder = tmp_path / "names"
    for i, name in enumerate(HOSTILE_NAMES):
        make_photo(folder / name, size=(48, 32), color=(i * 30, 60, 90))
    deep = folder
    for level in range(8):
        deep = deep / (f"{level}-" + "y" * 200)
    make_photo(deep / "deep.jpg", size=(48, 32), color=(1, 1, 1))
    return folder


def test_odd_names_are_kept_and_reported_in_json(named: Path, tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    done = run(archive, "ingest", "--json", "--jobs", "2", str(named))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["counts"]["added"] == len(HOSTILE_NAMES) + 1
    paths = {o["path"] for o in report["outcomes"]}
    assert display_path(named / HOSTILE_NAMES[0]) in paths
    assert any(p.endswith("not-utf8-\\xff\\xfe.jpg") for p in paths)
    assert str(named / "two\nlines.jpg") in paths
    listed = json.loads(run(archive, "list", "--json").stdout)
    assert {p for item in listed for p in item["source_paths"]} == paths
    again = json.loads(run(archive, "ingest", "--json", str(named)).stdout)
    assert again["counts"]["skipped"] == len(paths)  # the same names are recognised next time


def test_odd_names_never_break_or_colour_the_text_output(named: Path, tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    (named / "two\nlines-empty.jpg").write_bytes(b"")
    done = run(archive, "ingest", "--jobs", "2", str(named))
    assert done.returncode == 3
    listing = run(archive, "list")
    for output in (done.stderr, listing.stdout):
        assert "\x1b" not in output and "\r" not in output and "\u202e" not in output
    failed = [line for line in done.stderr.splitlines() if "lines-empty" in line]
    assert failed and all("empty file" in line for line in failed)
    assert "two\\nlines.jpg" in listing.stdout
    assert len(listing.stdout.splitlines()) == len(HOSTILE_NAMES) + 1  # one line per item


# -- unreadable and vanishing sources ----------------------------------------------------
def test_unreadable_files_and_folders_fail_with_a_reason(tmp_path: Path) -> None:
    """Root reads every file whatever its mode, so as root the ingest runs as `nobody`."""
    work = Path(tempfile.mkdtemp(prefix="pamir-unreadable-"))
    try:
        work.chmod(0o777)
        folder = work / "card"
        make_photo(folder / "good.jpg")
        locked = make_photo(folder / "locked.jpg", color=(1, 2, 3))
        closed = folder / "closed"
        make_photo(closed / "inside.jpg", color=(3, 2, 1))
        for path in (folder, closed, folder / "good.jpg"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        locked.chmod(0)
        closed.chmod(0)
        archive = work / "archive"
        command = [
            sys.executable,
            "-m",
            "archive.cli",
            "-a",
            str(archive),
            "ingest",
            "--json",
            "--jobs",
            "1",
            str(folder),
        ]
        if os.geteuid() == 0:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
            env={**os.environ, "HOME": str(work)},
            timeout=120,
        )
        assert done.returncode == 3, done.stderr
        report = json.loads(done.stdout)
    finally:
        subprocess.run(["chmod", "-R", "u+rwX", str(work)], check=False)
        shutil.rmtree(work, ignore_errors=True)
    by_name = {Path(o["path"]).name: (o["outcome"], o["reason"]) for o in report["outcomes"]}
    assert by_name["good.jpg"][0] == "added"
    assert by_name["locked.jpg"] == ("failed", "permission denied: the file cannot be read")
    assert by_name["closed"][0] == "failed" and "cannot list the folder" in by_name["closed"][1]


def test_a_folder_that_disappears_while_it_is_walked(tmp_path: Path) -> None:
    card = tmp_path / "card"
    (card / "a-first").mkdir(parents=True)
    (card / "a-first" / "empty.jpg").write_bytes(b"")  # reported while walking: our moment
    make_photo(card / "b-later" / "IMG_1.jpg")
    make_photo(card / "c-stays" / "IMG_2.jpg", color=(1, 2, 3))

    def pull(progress, outcome) -> None:
        if outcome.path.endswith("empty.jpg"):
            shutil.rmtree(card / "b-later")

    report = ingest(Layout(tmp_path / "archive"), [card], jobs=1, on_outcome=pull)
    by_name = {Path(o.path).name: (o.outcome, o.reason) for o in report.outcomes}
    assert by_name["b-later"] == ("failed", "the folder disappeared during the run")
    assert by_name["IMG_2.jpg"][0] == "added"


def test_a_source_that_disappears_during_ingest(tmp_path: Path) -> None:
    card = tmp_path / "card"
    for i in range(53):  # more than one batch of 50: the card is pulled after the first
        make_photo(card / f"IMG_{i:02d}.jpg", color=(i * 4, 0, 0), size=(32, 24))
    layout = Layout(tmp_path / "archive")

    def unplug(progress, outcome) -> None:
        if outcome.path.endswith(".jpg") and card.exists():
            shutil.rmtree(card)

    report = ingest(layout, [card, tmp_path / "never-there"], jobs=1, on_outcome=unplug)
    outcomes = {o.path: (o.outcome, o.reason) for o in report.outcomes}
    assert outcomes.pop(str(tmp_path / "never-there")) == ("failed", "no such file or folder")
    assert len(outcomes) == 53
    lost = [r for o, r in outcomes.values() if o == "failed"]
    assert lost == ["the file disappeared during the run"] * 3
    with Catalog(layout.catalog) as catalog:
        assert catalog.count() == 50
        assert check(layout, catalog).problems == ()
