"""Every file of the real-media corpus, probed and compared with exiftool's and ffprobe's answers.

The corpus lives outside the repository (``$PAMIR_CORPUS``, default ``<repo>/../shared/corpus``);
these tests skip when it is absent, and fail instead when ``$CI`` is set. Every file must match
the truth but for the misses named in KNOWN_MISSES; run ``pytest -s`` to see them per field.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from media.errors import MediaError
from media.images import write_sizes
from media.probe import MediaInfo, probe

ODD_FILE_SECONDS = 10.0

# Where our probe and the truth disagree, by field: file → why. Every other file must match,
# and each of these must still miss: a fix fails the test until its line is taken out.
KNOWN_MISSES: dict[str, dict[str, str]] = {
    "taken_at": {
        "videos/sample.mkv": (
            "exiftool gives the Matroska DateUTC of the mkvmerge remux (2025); we read the"
            " CREATION_TIME tag the remux kept from the recording (2016)"
        ),
    },
}

# The odd files the probe refuses, with the MediaError it raises; the others probe.
ODD_REFUSED = {
    "8x4x8bit-Grayscale.psd": "UnsupportedFile",
    "corrupted.heic": "CorruptFile",
}

# Where exiftool keeps a date taken, in the order a reader would look.
DATE_TAGS = (
    "EXIF:DateTimeOriginal",
    "EXIF:CreateDate",
    "QuickTime:CreationDate",
    "QuickTime:CreateDate",
    "Matroska:DateTimeOriginal",
    "H264:DateTimeOriginal",
    "XMP:DateTimeOriginal",
)
UTC_DATE_TAGS = {"QuickTime:CreateDate"}


@dataclass(frozen=True)
class Probed:
    rel: str  # path inside the corpus, e.g. "photos/Canon_40D.jpg"
    source: Path
    truth: dict[str, Any]
    ffprobe: dict[str, Any] | None
    info: MediaInfo | None
    error: str | None


@dataclass(frozen=True)
class Check:
    """One field: what the truth says (None: nothing to compare) and whether ours agrees."""

    expected: Any
    ok: bool
    ours: Any


# ---- reading the truth ---------------------------------------------------------


def _seconds(value: Any) -> str | None:
    """``2019:07:24 11:25:40+03:00`` or ``2019-07-24T11:25:40Z`` → ``2019-07-24T11:25:40``."""
    if not isinstance(value, str) or len(value) < 19:
        return None
    text = value[:19].replace(":", "-", 2).replace(" ", "T", 1)
    if text.startswith("0000") or not text[:4].isdigit():
        return None
    return text


def _as_utc(ours: str) -> str | None:
    """Our date moved to UTC, when it carries an offset."""
    try:
        moment = datetime.fromisoformat(ours.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def check_date(item: Probed) -> Check:
    candidates = {tag: _seconds(item.truth.get(tag)) for tag in DATE_TAGS}
    candidates = {tag: value for tag, value in candidates.items() if value}
    ours = item.info.taken_at if item.info else None
    if not candidates:
        return Check(None, True, ours)
    ok = False
    if ours:
        local, utc = ours[:19], _as_utc(ours)
        ok = any(
            value == local or (tag in UTC_DATE_TAGS and value == utc)
            for tag, value in candidates.items()
        )
    return Check(" | ".join(sorted(set(candidates.values()))), ok, ours)


def _text_check(item: Probed, tags: tuple[str, ...], ours: str | None) -> Check:
    expected = next(
        (str(item.truth[t]).strip() for t in tags if str(item.truth.get(t, "")).strip()), None
    )
    if expected is None:
        return Check(None, True, ours)
    return Check(expected, (ours or "").strip() == expected, ours)


def check_make(item: Probed) -> Check:
    ours = item.info.camera_make if item.info else None
    return _text_check(item, ("EXIF:Make", "QuickTime:Make"), ours)


def check_model(item: Probed) -> Check:
    ours = item.info.camera_model if item.info else None
    return _text_check(item, ("EXIF:Model", "QuickTime:Model", "H264:Model"), ours)


def check_gps(item: Probed) -> Check:
    lat, lon = item.truth.get("Composite:GPSLatitude"), item.truth.get("Composite:GPSLongitude")
    if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
        return Check(None, True, None)
    ours = (item.info.gps_lat, item.info.gps_lon) if item.info else (None, None)
    ok = None not in ours and abs(ours[0] - lat) <= 1e-5 and abs(ours[1] - lon) <= 1e-5
    return Check(f"{lat:.5f},{lon:.5f}", ok, ours)


def displayed_size(rel: str, truth: dict[str, Any]) -> tuple[int, int] | None:
    """exiftool's stored size, turned as a viewer shows it."""
    size = str(truth.get("Composite:ImageSize") or "").replace("x", " ").split()
    if len(size) != 2:
        return None
    width, height = int(float(size[0])), int(float(size[1]))
    if rel.startswith("videos/") or str(truth.get("File:MIMEType", "")).startswith("video/"):
        turned = truth.get("Composite:Rotation") in (90, 270)
    elif truth.get("File:FileType") in ("HEIC", "HEIF"):
        turned = truth.get("QuickTime:Rotation") in (90, 270)
    else:
        turned = truth.get("EXIF:Orientation") in (5, 6, 7, 8)
    return (height, width) if turned else (width, height)


def check_size(item: Probed) -> Check:
    expected = displayed_size(item.rel, item.truth)
    ours = (item.info.width, item.info.height) if item.info else None
    if expected is None:
        return Check(None, True, ours)
    return Check(expected, ours == expected, ours)


def _ffprobe_video(item: Probed) -> dict[str, Any] | None:
    if not item.ffprobe:
        return None
    videos = [
        s
        for s in item.ffprobe.get("streams", [])
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    return max(videos, key=lambda s: (s.get("width") or 0) * (s.get("height") or 0), default=None)


def check_video_codec(item: Probed) -> Check:
    video = _ffprobe_video(item)
    ours = item.info.video_codec if item.info else None
    if not video:
        return Check(None, True, ours)
    return Check(video.get("codec_name"), ours == video.get("codec_name"), ours)


def check_duration(item: Probed) -> Check:
    ours = item.info.duration if item.info else None
    try:
        expected = float((item.ffprobe or {}).get("format", {}).get("duration"))
    except (TypeError, ValueError):
        return Check(None, True, ours)
    ok = ours is not None and abs(ours - expected) <= max(0.05, expected * 0.01)
    return Check(round(expected, 3), ok, ours)


FIELDS: dict[str, Callable[[Probed], Check]] = {
    "taken_at": check_date,
    "make": check_make,
    "model": check_model,
    "gps": check_gps,
    "size": check_size,
    "video_codec": check_video_codec,
    "duration": check_duration,
}


# ---- probing the corpus once ---------------------------------------------------------


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _files(corpus: Path, folder: str) -> list[Path]:
    return sorted(
        p for p in (corpus / folder).iterdir() if p.is_file() and not p.name.startswith(".")
    )


@pytest.fixture(scope="module")
def probed(corpus: Path, ffmpeg_tools: None) -> list[Probed]:
    items = []
    for path in _files(corpus, "photos") + _files(corpus, "videos"):
        rel = path.relative_to(corpus).as_posix()
        truth = (_load(corpus / "truth" / f"{rel}.json") or [{}])[0]
        ff = _load(corpus / "truth" / f"{rel}.ffprobe.json")
        try:
            info, error = probe(path), None
        except MediaError as exc:
            info, error = None, f"{type(exc).__name__}: {exc}"
        items.append(Probed(rel, path, truth, ff, info, error))
    assert items, f"no files under {corpus}/photos and {corpus}/videos"
    return items


def _table(rows: list[tuple[str, Any, Any]]) -> str:
    width = max(len(r[0]) for r in rows)
    return "\n".join(
        f"  {rel:<{width}}  truth={exp!s:<40} ours={ours!s}" for rel, exp, ours in rows
    )


def _rate(items: list[Probed], field: str) -> tuple[int, int, list[tuple[str, Any, Any]]]:
    compared = matched = 0
    mismatches = []
    for item in items:
        check = FIELDS[field](item)
        if check.expected is None:
            continue
        compared += 1
        if check.ok:
            matched += 1
        else:
            mismatches.append((item.rel, check.expected, check.ours))
    return matched, compared, mismatches


# ---- the tests -----------------------------------------------------------------------


def test_every_corpus_photo_and_video_probes(probed: list[Probed]) -> None:
    failed = [(p.rel, "-", p.error) for p in probed if p.error]
    assert not failed, "real files the probe refused:\n" + _table(failed)


def test_every_corpus_file_has_the_right_kind(probed: list[Probed]) -> None:
    wrong = [
        (p.rel, p.rel.split("/")[0].rstrip("s"), p.info.kind)
        for p in probed
        if p.info and p.info.kind != p.rel.split("/")[0].rstrip("s")
    ]
    assert not wrong, "kind differs from the corpus folder:\n" + _table(wrong)


@pytest.mark.parametrize("field", list(FIELDS))
def test_corpus_truth_matches_but_for_the_known_misses(probed: list[Probed], field: str) -> None:
    matched, compared, mismatches = _rate(probed, field)
    assert compared, f"the truth has no {field} at all"
    known = KNOWN_MISSES.get(field, {})
    report = f"{field}: {matched}/{compared} match the truth"
    if mismatches:
        report += "; mismatches:\n" + _table(mismatches)
    print("\n" + report)
    new = [row for row in mismatches if row[0] not in known]
    assert not new, f"{field} differs from the truth (not a known miss):\n" + _table(new)
    missed = {rel for rel, _, _ in mismatches}
    fixed = sorted(set(known) - missed)
    assert not fixed, (
        f"known {field} misses that match now (or were not compared): {fixed}; "
        "take them out of KNOWN_MISSES"
    )


def test_corpus_thumbnails_are_turned_as_displayed(probed: list[Probed], tmp_path: Path) -> None:
    """A thumbnail of every photo has the displayed shape (portrait stays portrait)."""
    wrong = []
    for item in probed:
        expected = displayed_size(item.rel, item.truth)
        if not item.rel.startswith("photos/") or expected is None or item.info is None:
            continue
        target = tmp_path / f"{len(wrong)}-{Path(item.rel).stem}.webp"
        try:
            (written,) = write_sizes(item.source, [(target, 160, 50, 0)])
        except MediaError as exc:
            wrong.append((item.rel, expected, f"{type(exc).__name__}: {exc}"))
            continue
        want, got = expected[0] / expected[1], written.width / written.height
        if abs(want - got) > 0.03 * want + 1 / min(written.width, written.height):
            wrong.append((item.rel, expected, (written.width, written.height)))
    assert not wrong, "thumbnails not shaped as the photo is displayed:\n" + _table(wrong)


def _probe_with_deadline(path: Path, seconds: float) -> tuple[str, float]:
    """Probe in a daemon thread so a hang fails this test instead of freezing the run."""
    outcome: dict[str, str] = {}

    def run() -> None:
        try:
            probe(path)
            outcome["result"] = "ok"
        except MediaError as exc:
            outcome["result"] = f"MediaError ({type(exc).__name__}): {exc}"
        except BaseException as exc:  # noqa: BLE001 - the point is to catch anything else
            outcome["result"] = f"UNEXPECTED {type(exc).__name__}: {exc}"

    start = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    elapsed = time.monotonic() - start
    return outcome.get("result", f"HANG: no answer after {seconds:.0f} s"), elapsed


def test_odd_files_probe_or_raise_media_error(corpus: Path, ffmpeg_tools: None) -> None:
    odd = _files(corpus, "odd")
    assert odd, f"no files under {corpus}/odd"
    outcomes = [(p.name, *_probe_with_deadline(p, ODD_FILE_SECONDS)) for p in odd]
    print(
        "\nodd files:\n"
        + "\n".join(f"  {name:<28} {secs:5.2f}s  {result}" for name, result, secs in outcomes)
    )
    bad = [
        (name, result, secs)
        for name, result, secs in outcomes
        if result.startswith(("UNEXPECTED", "HANG")) or secs > ODD_FILE_SECONDS / 2
    ]
    assert not bad, (
        f"odd files must probe or raise MediaError within {ODD_FILE_SECONDS / 2:.0f} s: {bad}"
    )


def test_odd_files_refused_are_the_known_ones_with_a_readable_reason(
    corpus: Path, ffmpeg_tools: None
) -> None:
    refused: dict[str, MediaError] = {}
    for path in _files(corpus, "odd"):
        try:
            probe(path)
        except MediaError as exc:
            refused[path.name] = exc
    assert {name: type(exc).__name__ for name, exc in refused.items()} == ODD_REFUSED
    for name, exc in refused.items():
        reason = str(exc)
        assert 10 <= len(reason) <= 300, (name, reason)
        assert "Traceback" not in reason


# ---- the comparison itself (no corpus needed) -------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019:07:24 11:25:40+03:00", "2019-07-24T11:25:40"),
        ("2010:12:12 12:41:35.00+01:00", "2010-12-12T12:41:35"),
        ("2019:04:24 22:24:00+02:00 DST", "2019-04-24T22:24:00"),
        ("0000:00:00 00:00:00", None),
        ("2020:08:28", None),
        (20200828, None),
    ],
)
def test_truth_date_to_seconds(value: Any, expected: str | None) -> None:
    assert _seconds(value) == expected


def test_our_date_in_utc() -> None:
    assert _as_utc("2019-07-24T11:25:40+03:00") == "2019-07-24T08:25:40"
    assert _as_utc("2017-02-22T08:20:28Z") == "2017-02-22T08:20:28"
    assert _as_utc("2017-02-22T08:20:28") is None


def test_quicktime_utc_date_matches_our_local_date() -> None:
    truth = {"QuickTime:CreateDate": "2021:05:25 16:21:51"}
    item = Probed(
        "videos/x.mov",
        Path("x.mov"),
        truth,
        None,
        _info(taken_at="2021-05-25T09:21:51-07:00"),
        None,
    )
    assert check_date(item).ok


def test_exif_date_does_not_match_a_shifted_date() -> None:
    truth = {"EXIF:DateTimeOriginal": "2021:05:25 16:21:51"}
    item = Probed(
        "photos/x.jpg",
        Path("x.jpg"),
        truth,
        None,
        _info(taken_at="2021-05-25T09:21:51-07:00"),
        None,
    )
    assert not check_date(item).ok


@pytest.mark.parametrize(
    ("rel", "truth", "expected"),
    [
        ("photos/a.jpg", {"Composite:ImageSize": "1200 1800", "EXIF:Orientation": 6}, (1800, 1200)),
        ("photos/a.jpg", {"Composite:ImageSize": "1800 1200", "EXIF:Orientation": 3}, (1800, 1200)),
        (
            "photos/a.heic",
            {"Composite:ImageSize": "4032 3024", "EXIF:Orientation": 6, "File:FileType": "HEIC"},
            (4032, 3024),
        ),
        (
            "photos/a.heic",
            {
                "Composite:ImageSize": "4032 3024",
                "QuickTime:Rotation": 270,
                "File:FileType": "HEIC",
            },
            (3024, 4032),
        ),
        ("videos/a.mov", {"Composite:ImageSize": "568 320", "Composite:Rotation": 90}, (320, 568)),
        ("videos/a.mov", {"Composite:ImageSize": "568x320", "Composite:Rotation": 180}, (568, 320)),
        ("photos/a.jpg", {}, None),
    ],
)
def test_truth_displayed_size(rel: str, truth: dict[str, Any], expected: Any) -> None:
    assert displayed_size(rel, truth) == expected


def _info(**fields: Any) -> MediaInfo:
    return MediaInfo(kind="photo", mime="image/jpeg", format="JPEG", extension=".jpg", **fields)
