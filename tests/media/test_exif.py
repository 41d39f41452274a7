"""media.exif: dates, camera, orientation and GPS from EXIF, and nonsense turned into None."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from media.exif import EMPTY, parse_exif_datetime, parse_tags, read_exif, read_exif_bytes


@pytest.mark.parametrize(
    ("value", "offset", "expected"),
    [
        ("2015:08:14 10:30:00", None, "2015-08-14T10:30:00"),
        ("2015:08:14 10:30:00", "+05:00", "2015-08-14T10:30:00+05:00"),
        ("2015:08:14 10:30:00", "-04:00", "2015-08-14T10:30:00-04:00"),
        ("2015:08:14 10:30:00", "+0530", "2015-08-14T10:30:00+05:30"),
        ("2015:08:14 10:30:00", "Z", "2015-08-14T10:30:00Z"),
        ("2015:08:14 10:30:00+01:00", None, "2015-08-14T10:30:00+01:00"),
        ("2015:08:14 10:30:00.25", None, "2015-08-14T10:30:00"),
        ("2014:09:21 16:00:56.000000+02:00", None, "2014-09-21T16:00:56+02:00"),
        ("2015-08-14 10:30:00", None, "2015-08-14T10:30:00"),
        ("2015-08-14T10:30:00", None, "2015-08-14T10:30:00"),
        ("2015:08:14 10:30:00\x00", None, "2015-08-14T10:30:00"),
        ("  2015:08:14 10:30:00  ", None, "2015-08-14T10:30:00"),
    ],
)
def test_parse_exif_datetime_valid(value: str, offset: str | None, expected: str) -> None:
    assert parse_exif_datetime(value, offset) == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "    :  :     :  :  ",
        "0000:00:00 00:00:00",
        "2015:00:14 10:30:00",
        "2015:13:14 10:30:00",
        "2015:08:00 10:30:00",
        "2015:08:14 25:30:00",
        "2015:08:14 10:61:00",
        "1066:10:14 10:30:00",
        "2015:08:14",
        "yesterday",
    ],
)
def test_parse_exif_datetime_nonsense_is_none(value: str | None) -> None:
    assert parse_exif_datetime(value) is None


@pytest.mark.parametrize("offset", ["+25:00", "+05:99", "local", "   "])
def test_parse_exif_datetime_ignores_a_bad_offset(offset: str) -> None:
    assert parse_exif_datetime("2015:08:14 10:30:00", offset) == "2015-08-14T10:30:00"


def test_read_exif_camera_jpeg(data_dir: Path) -> None:
    exif = read_exif(data_dir / "camera-canon-40d.jpg")
    assert exif.camera_make == "Canon"
    assert exif.camera_model == "Canon EOS 40D"
    assert exif.taken_at == "2008-05-30T15:56:01"
    assert exif.orientation == 1
    assert exif.f_number == pytest.approx(7.1)
    assert exif.iso == 100
    assert exif.gps_lat is None and exif.gps_lon is None


def test_read_exif_gps_phone_jpeg(data_dir: Path) -> None:
    exif = read_exif(data_dir / "gps-htc-desire.jpg")
    assert (exif.camera_make, exif.camera_model) == ("HTC", "HTC Desire")
    assert exif.gps_lat == pytest.approx(45.5006667, abs=1e-6)
    assert exif.gps_lon == pytest.approx(9.1103333, abs=1e-6)


def test_read_exif_heic(data_dir: Path) -> None:
    exif = read_exif(data_dir / "gps-iphone.heic")
    assert (exif.camera_make, exif.camera_model) == ("Apple", "iPhone 7")
    assert exif.taken_at == "2019-03-21T11:04:22"
    assert exif.gps_lat == pytest.approx(41.2203, abs=1e-5)
    assert exif.gps_lon == pytest.approx(-96.071625, abs=1e-5)


def test_read_exif_orientation_6(data_dir: Path) -> None:
    assert read_exif(data_dir / "orientation-6.jpg").orientation == 6


def test_read_exif_without_exif_is_empty(data_dir: Path) -> None:
    exif = read_exif(data_dir / "no-exif-progressive.jpg")
    assert exif == EMPTY
    assert exif.is_empty


def test_read_exif_of_garbage_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "garbage.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*\x00\xff\xff\xff\xff")
    assert read_exif(path) == EMPTY


@pytest.mark.parametrize("block", [b"", b"Exif\x00\x00", b"not a tiff header", b"II*\x00\x08"])
def test_read_exif_bytes_without_a_tiff_block_is_empty(block: bytes) -> None:
    assert read_exif_bytes(block) == EMPTY


def _tag(values: Any) -> SimpleNamespace:
    """A stand-in for exifread's IfdTag: only ``values`` is read."""
    return SimpleNamespace(values=values)


def _gps(lat: list[Any], lat_ref: str, lon: list[Any], lon_ref: str) -> dict[str, Any]:
    return {
        "GPS GPSLatitude": _tag(lat),
        "GPS GPSLatitudeRef": _tag(lat_ref),
        "GPS GPSLongitude": _tag(lon),
        "GPS GPSLongitudeRef": _tag(lon_ref),
    }


def test_parse_tags_south_and_west_are_negative() -> None:
    tags = _gps([37, 29, Fraction(3000, 100)], "S", [71, 30, 0], "W")
    exif = parse_tags(tags)
    assert exif.gps_lat == pytest.approx(-37.4916667, abs=1e-6)
    assert exif.gps_lon == pytest.approx(-71.5)


def test_parse_tags_gps_with_zero_denominator_is_none() -> None:
    class Ratio:
        num, den = 1, 0

    exif = parse_tags(_gps([Ratio(), 0, 0], "N", [10, 0, 0], "E"))
    assert exif.gps_lat is None and exif.gps_lon is None


def test_parse_tags_latitude_out_of_range_is_dropped() -> None:
    exif = parse_tags(_gps([137, 0, 0], "N", [10, 0, 0], "E"))
    assert (exif.gps_lat, exif.gps_lon, exif.gps_alt) == (None, None, None)


def test_parse_tags_altitude_below_sea_level() -> None:
    tags = _gps([31, 30, 0], "N", [35, 30, 0], "E")
    tags["GPS GPSAltitude"] = _tag([Fraction(4305, 10)])
    tags["GPS GPSAltitudeRef"] = _tag([1])
    assert parse_tags(tags).gps_alt == pytest.approx(-430.5)


def test_parse_tags_altitude_without_position_is_dropped() -> None:
    exif = parse_tags({"GPS GPSAltitude": _tag([Fraction(2100)])})
    assert exif.gps_alt is None


def test_parse_tags_zero_date_falls_back_to_digitized() -> None:
    tags = {
        "EXIF DateTimeOriginal": _tag("0000:00:00 00:00:00"),
        "EXIF DateTimeDigitized": _tag("2019:06:01 09:15:00"),
        "EXIF OffsetTimeDigitized": _tag("+05:00"),
    }
    assert parse_tags(tags).taken_at == "2019-06-01T09:15:00+05:00"


def test_parse_tags_original_date_wins_over_file_date() -> None:
    tags = {
        "Image DateTime": _tag("2020:01:01 00:00:00"),
        "EXIF DateTimeOriginal": _tag("2019:06:01 09:15:00"),
    }
    assert parse_tags(tags).taken_at == "2019-06-01T09:15:00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [([6], 6), ([1], 1), ([0], None), ([9], None), (["Right-top"], 6), (["nonsense"], None)],
)
def test_parse_tags_orientation(value: list[Any], expected: int | None) -> None:
    assert parse_tags({"Image Orientation": _tag(value)}).orientation == expected


def test_parse_tags_make_padding_is_stripped() -> None:
    tags = {"Image Make": _tag("NIKON CORPORATION\x00\x00  "), "Image Model": _tag("   ")}
    exif = parse_tags(tags)
    assert exif.camera_make == "NIKON CORPORATION"
    assert exif.camera_model is None
