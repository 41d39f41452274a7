"""EXIF tags through exifread: date taken, camera, orientation, GPS, lens, exposure."""

from __future__ import annotations

import io
import logging
import re
import struct
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, BinaryIO

import exifread

# exifread logs "File format not recognized" and makernote warnings; they are not ours.
logging.getLogger("exifread").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class ExifData:
    """What the archive keeps from a file's EXIF; None where the file says nothing."""

    taken_at: str | None = None
    camera_make: str | None = None
    camera_model: str | None = None
    orientation: int | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    lens: str | None = None
    exposure_time: float | None = None
    f_number: float | None = None
    iso: int | None = None
    focal_length: float | None = None
    width: int | None = None
    height: int | None = None
    # Windows XP tags (written by Windows Explorer), UTF-16LE in the file.
    xp_title: str | None = None
    xp_comment: str | None = None
    xp_author: str | None = None
    xp_keywords: str | None = None
    xp_subject: str | None = None

    @property
    def is_empty(self) -> bool:
        return all(v is None for v in self.__dict__.values())


EMPTY = ExifData()


def read_exif(path: Path) -> ExifData:
    """Read EXIF from a file that exifread understands (JPEG, TIFF, HEIC, AVIF, PNG…)."""
    with open(path, "rb") as handle:
        return _read(handle)


def read_exif_bytes(data: bytes) -> ExifData:
    """Read EXIF from a raw block (TIFF header first, with or without ``Exif\\0\\0``)."""
    if data.startswith(b"Exif\x00\x00"):
        data = data[6:]
    if data[:4] not in (b"II*\x00", b"MM\x00*"):
        return EMPTY
    return _read(io.BytesIO(data))


def read_exif_image(data: bytes) -> ExifData:
    """Read EXIF from a whole image held in memory (a RAW's embedded JPEG, say)."""
    return _read(io.BytesIO(data))


def read_exif_parts(ifd0: bytes | None, exif_ifd: bytes | None, gps_ifd: bytes | None) -> ExifData:
    """Read EXIF kept as separate TIFF blocks, one directory each (a Canon CR3's CMT1, CMT2
    and CMT4): each block's first directory is read as what it is (IFD0, EXIF or GPS)."""
    tags: dict[str, Any] = {}
    for block, pointer in ((ifd0, None), (exif_ifd, 0x8769), (gps_ifd, 0x8825)):
        if not block or block[:4] not in (b"II*\x00", b"MM\x00*"):
            continue
        tags.update(_tags(io.BytesIO(block if pointer is None else _pointing_to(block, pointer))))
    return parse_tags(tags) if tags else EMPTY


def _pointing_to(block: bytes, pointer_tag: int) -> bytes:
    """The block with a new IFD0 holding one entry, ``pointer_tag``, that points at the
    block's own first directory: so exifread reads that directory as EXIF or GPS."""
    order = "<" if block[:2] == b"II" else ">"
    first = struct.unpack(order + "I", block[4:8])[0]
    padded = block + b"\x00" * (len(block) % 2)
    ifd = struct.pack(order + "HHHII", 1, pointer_tag, 4, 1, first) + struct.pack(order + "I", 0)
    return padded[:4] + struct.pack(order + "I", len(padded)) + padded[8:] + ifd


def _read(handle: BinaryIO) -> ExifData:
    tags = _tags(handle)
    if not tags:
        return EMPTY
    return parse_tags(tags)


def _tags(handle: BinaryIO) -> dict[str, Any]:
    try:
        return exifread.process_file(handle, details=False, extract_thumbnail=False) or {}
    except Exception:  # exifread raises anything on a broken file; no EXIF then.
        return {}


def parse_tags(tags: dict[str, Any]) -> ExifData:
    """Turn exifread's tag dictionary into ExifData, ignoring values that make no sense."""
    taken = None
    for name, offset_name in (
        ("EXIF DateTimeOriginal", "EXIF OffsetTimeOriginal"),
        ("EXIF DateTimeDigitized", "EXIF OffsetTimeDigitized"),
        ("Image DateTime", "EXIF OffsetTime"),
    ):
        taken = parse_exif_datetime(_text(tags.get(name)), _text(tags.get(offset_name)))
        if taken:
            break
    lat = _gps_coordinate(tags, "GPS GPSLatitude", "GPS GPSLatitudeRef", "S")
    lon = _gps_coordinate(tags, "GPS GPSLongitude", "GPS GPSLongitudeRef", "W")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None
    alt = _number(tags.get("GPS GPSAltitude"))
    if alt is not None and lat is not None:
        ref = _first(tags.get("GPS GPSAltitudeRef"))
        if ref in (1, "1"):
            alt = -alt
    elif lat is None:
        alt = None
    iso = _number(tags.get("EXIF ISOSpeedRatings")) or _number(
        tags.get("EXIF PhotographicSensitivity")
    )
    return ExifData(
        taken_at=taken,
        camera_make=_clean(_text(tags.get("Image Make"))),
        camera_model=_clean(_text(tags.get("Image Model"))),
        orientation=_orientation(tags.get("Image Orientation")),
        gps_lat=round(lat, 7) if lat is not None else None,
        gps_lon=round(lon, 7) if lon is not None else None,
        gps_alt=round(alt, 3) if alt is not None else None,
        lens=_clean(_text(tags.get("EXIF LensModel"))),
        exposure_time=_number(tags.get("EXIF ExposureTime")),
        f_number=_number(tags.get("EXIF FNumber")),
        iso=int(iso) if iso else None,
        focal_length=_number(tags.get("EXIF FocalLength")),
        width=_int(tags.get("EXIF ExifImageWidth")),
        height=_int(tags.get("EXIF ExifImageLength")),
        xp_title=_xp(tags.get("Image XPTitle")),
        xp_comment=_xp(tags.get("Image XPComment")),
        xp_author=_xp(tags.get("Image XPAuthor")),
        xp_keywords=_xp(tags.get("Image XPKeywords")),
        xp_subject=_xp(tags.get("Image XPSubject")),
    )


def _xp(tag: Any) -> str | None:
    """A Windows XP tag: bytes of UTF-16LE text, ending in a NUL."""
    values = _values(tag)
    if not values:
        return None
    try:
        raw = bytes(int(v) & 0xFF for v in values)
    except (TypeError, ValueError):
        return None
    if len(raw) % 2:
        raw = raw[:-1]
    text = raw.decode("utf-16-le", "replace").split("\x00", 1)[0].strip()
    return text or None


_DATE = re.compile(
    r"^\s*(\d{4})[:\-](\d{2})[:\-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*"
    r"(Z|[+\-]\d{2}:?\d{2})?"
)


def parse_exif_datetime(value: str | None, offset: str | None = None) -> str | None:
    """``2015:08:14 10:30:00`` (+ ``+05:00``) → ``2015-08-14T10:30:00+05:00``; None if invalid."""
    if not value:
        return None
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    if not (1800 <= year <= 2200 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    if not (hour <= 24 and minute <= 59 and second <= 60):
        return None
    text = (
        f"{year:04d}-{month:02d}-{day:02d}T{min(hour, 23):02d}:{minute:02d}:{min(second, 59):02d}"
    )
    zone = match.group(7) or (offset or "").strip()
    if zone == "Z":
        return text + "Z"
    zone_match = re.fullmatch(r"([+\-])(\d{2}):?(\d{2})", zone)
    if zone_match:
        sign, hh, mm = zone_match.groups()
        if int(hh) <= 14 and int(mm) < 60:
            text += f"{sign}{hh}:{mm}"
    return text


def _values(tag: Any) -> list[Any]:
    if tag is None:
        return []
    values = getattr(tag, "values", tag)
    if isinstance(values, (list, tuple)):
        return list(values)
    return [values]


def _first(tag: Any) -> Any:
    values = _values(tag)
    return values[0] if values else None


def _to_float(value: Any) -> float | None:
    try:
        if hasattr(value, "num") and hasattr(value, "den"):
            if value.den == 0:
                return None
            return float(Fraction(value.num, value.den))
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return number


def _number(tag: Any) -> float | None:
    first = _first(tag)
    return _to_float(first) if first is not None else None


def _int(tag: Any) -> int | None:
    number = _number(tag)
    return int(number) if number is not None and number > 0 else None


def _text(tag: Any) -> str | None:
    if tag is None:
        return None
    values = getattr(tag, "values", tag)
    if isinstance(values, bytes):
        values = values.decode("utf-8", "replace")
    if isinstance(values, (list, tuple)):
        return None
    return str(values)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.replace("\x00", " ").strip()
    return text or None


_ORIENTATION_WORDS = {
    "top-left": 1,
    "top-right": 2,
    "bottom-right": 3,
    "bottom-left": 4,
    "left-top": 5,
    "right-top": 6,
    "right-bottom": 7,
    "left-bottom": 8,
}


def _orientation(tag: Any) -> int | None:
    first = _first(tag)
    if isinstance(first, int) and 1 <= first <= 8:
        return first
    if isinstance(first, str):
        return _ORIENTATION_WORDS.get(first.strip().lower())
    return None


def _gps_coordinate(tags: dict[str, Any], name: str, ref_name: str, negative: str) -> float | None:
    parts = [_to_float(v) for v in _values(tags.get(name))]
    if not parts or any(p is None for p in parts):
        return None
    degrees = (
        parts[0]
        + (parts[1] / 60 if len(parts) > 1 else 0)
        + (parts[2] / 3600 if len(parts) > 2 else 0)
    )
    ref = _text(tags.get(ref_name)) or ""
    if ref.strip().upper().startswith(negative):
        degrees = -degrees
    return degrees
