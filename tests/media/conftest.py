"""Fixtures for the media tests: exiftool and ffprobe readers, and broken files made on the spot."""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.conftest import skip_unless_ci

# JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic...).
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}

# Where a display-oriented picture has each colour: the four quadrants.
QUADRANTS = {
    "top_left": (220, 30, 30),
    "top_right": (30, 200, 30),
    "bottom_left": (30, 30, 220),
    "bottom_right": (240, 240, 240),
}


@pytest.fixture(scope="session")
def exiftool() -> Callable[[Path], dict[str, Any]]:
    """``exiftool -j -G`` on one file, as a dict of ``Group:Tag`` to value."""
    if not shutil.which("exiftool"):
        skip_unless_ci("exiftool is not installed (apt-get install libimage-exiftool-perl)")

    def run(path: Path) -> dict[str, Any]:
        out = subprocess.run(
            ["exiftool", "-j", "-G", str(path)], capture_output=True, text=True, check=True
        )
        return json.loads(out.stdout)[0]

    return run


@pytest.fixture(scope="session")
def ffprobe() -> Callable[[Path], dict[str, Any]]:
    """``ffprobe -show_format -show_streams`` on one file, as parsed JSON."""
    if not shutil.which("ffprobe"):
        skip_unless_ci("ffprobe is not installed (apt-get install ffmpeg)")

    def run(path: Path) -> dict[str, Any]:
        out = subprocess.run(
            ["ffprobe", "-v", "error", "-of", "json", "-show_format", "-show_streams", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(out.stdout)

    return run


def set_jpeg_size(data: bytes, width: int, height: int) -> bytes:
    """Rewrite the size in the main start-of-frame segment (not the EXIF thumbnail's)."""
    out = bytearray(data)
    i = 2
    while i + 9 < len(out):
        if out[i] != 0xFF:
            raise ValueError(f"no JPEG marker at byte {i}")
        marker = out[i + 1]
        if marker in _SOF:
            out[i + 5 : i + 7] = height.to_bytes(2, "big")
            out[i + 7 : i + 9] = width.to_bytes(2, "big")
            return bytes(out)
        i += 2 + int.from_bytes(out[i + 2 : i + 4], "big")
    raise ValueError("no start-of-frame segment")


@pytest.fixture
def huge_jpeg(tmp_path: Path, data_dir: Path) -> Path:
    """A small real JPEG whose header declares 60000x60000 pixels (3.6 gigapixels)."""
    path = tmp_path / "huge-declared-size.jpg"
    path.write_bytes(set_jpeg_size((data_dir / "camera-canon-40d.jpg").read_bytes(), 60000, 60000))
    return path


@pytest.fixture
def truncated_jpeg(tmp_path: Path, data_dir: Path) -> Path:
    """The first 40% of a real camera JPEG, as when a card is pulled out during a copy."""
    data = (data_dir / "orientation-6.jpg").read_bytes()
    path = tmp_path / "truncated.jpg"
    path.write_bytes(data[: len(data) * 2 // 5])
    return path


def quadrant_image(width: int, height: int) -> Image.Image:
    """An upright picture with a different colour in each quadrant."""
    image = Image.new("RGB", (width, height))
    half_w, half_h = width // 2, height // 2
    image.paste(QUADRANTS["top_left"], (0, 0, half_w, half_h))
    image.paste(QUADRANTS["top_right"], (half_w, 0, width, half_h))
    image.paste(QUADRANTS["bottom_left"], (0, half_h, half_w, height))
    image.paste(QUADRANTS["bottom_right"], (half_w, half_h, width, height))
    return image


# How a camera stores an upright picture for each EXIF orientation (what a viewer undoes).
_STORED = {
    1: lambda im: im,
    2: lambda im: im.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
    3: lambda im: im.rotate(180),
    4: lambda im: im.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
    6: lambda im: im.rotate(90, expand=True),  # shown turned 90 degrees clockwise
    8: lambda im: im.rotate(-90, expand=True),  # shown turned 90 degrees counter-clockwise
}


@pytest.fixture
def oriented_jpeg(tmp_path: Path) -> Callable[..., Path]:
    """Make a JPEG that displays as ``quadrant_image(width, height)`` under ``orientation``."""

    def make(orientation: int, width: int = 600, height: int = 400, **exif_tags: Any) -> Path:
        stored = _STORED[orientation](quadrant_image(width, height))
        exif = Image.Exif()
        exif[0x0112] = orientation
        exif[0x010F] = exif_tags.get("make", "TestCam")
        exif[0x0110] = exif_tags.get("model", "Model 1")
        path = tmp_path / f"orientation-{orientation}-{width}x{height}.jpg"
        stored.save(path, "JPEG", quality=92, exif=exif.tobytes())
        return path

    return make


def assert_quadrants(image: Image.Image) -> None:
    """The picture shows each quadrant colour where ``quadrant_image`` put it."""
    rgb = image.convert("RGB")
    w, h = rgb.size
    where = {
        "top_left": (w // 4, h // 4),
        "top_right": (3 * w // 4, h // 4),
        "bottom_left": (w // 4, 3 * h // 4),
        "bottom_right": (3 * w // 4, 3 * h // 4),
    }
    for name, xy in where.items():
        got = rgb.getpixel(xy)
        want = QUADRANTS[name]
        assert all(abs(g - e) < 40 for g, e in zip(got, want, strict=True)), (
            f"{name}: {got} != {want}"
        )


@pytest.fixture(scope="session")
def assert_upright() -> Callable[[Image.Image], None]:
    """``assert_upright(image)``: the picture shows ``quadrant_image`` the right way up."""
    return assert_quadrants


# ---- camera RAW files made on the spot: a DNG that LibRaw really reads -----------------------

_TIFF_TYPES = {1: ("B", 1), 2: ("s", 1), 3: ("H", 2), 4: ("I", 4), 5: ("II", 8), 10: ("ii", 8)}


def _ifd(entries: list[tuple[int, int, Any]], at: int) -> bytes:
    """One little-endian TIFF directory at offset ``at``: (tag, type, values) entries, the
    values that do not fit in four bytes placed right after it."""
    body = struct.pack("<H", len(entries))
    extra = b""
    data_at = at + 2 + 12 * len(entries) + 4
    for tag, kind, values in sorted(entries):
        code, size = _TIFF_TYPES[kind]
        if kind == 2:
            raw, count = values.encode("ascii") + b"\x00", len(values) + 1
        elif kind == 1:
            raw, count = bytes(values), len(values)
        else:
            flat = [v for pair in values for v in pair] if kind in (5, 10) else list(values)
            raw, count = struct.pack("<" + code[0] * len(flat), *flat), len(values)
        if len(raw) <= 4:
            body += struct.pack("<HHI", tag, kind, count) + raw.ljust(4, b"\x00")
        else:
            body += struct.pack("<HHII", tag, kind, count, data_at + len(extra))
            extra += raw + b"\x00" * (len(raw) % 2)
    return body + struct.pack("<I", 0) + extra


def write_dng(
    path: Path,
    stored: Image.Image,
    *,
    orientation: int = 1,
    preview: Image.Image | None = None,
    compression: int = 1,
) -> Path:
    """A DNG of ``stored`` (the sensor's view, before ``orientation``) as an RGGB colour
    filter array of 12-bit values; with ``preview``, IFD0 is that picture as a JPEG and the
    raw data sits in a SubIFD, as cameras and Adobe's converter write them."""
    width, height = stored.size
    rgb = stored.convert("RGB").load()
    cfa = bytearray()
    for y in range(height):
        for x in range(width):
            channel = 0 if (y % 2, x % 2) == (0, 0) else 2 if (y % 2, x % 2) == (1, 1) else 1
            cfa += struct.pack("<H", rgb[x, y][channel] * 16)
    common = [
        (271, 2, "PamirCam"),
        (272, 2, "Field 1"),
        (274, 3, [orientation]),
        (50706, 1, [1, 4, 0, 0]),
        (50708, 2, "PamirCam Field 1"),
        (50721, 10, [(1, 1), (0, 1), (0, 1), (0, 1), (1, 1), (0, 1), (0, 1), (0, 1), (1, 1)]),
        (50728, 5, [(1, 1), (1, 1), (1, 1)]),
    ]

    def raw_entries(strip_at: int) -> list[tuple[int, int, Any]]:
        return [
            (254, 4, [0]),
            (256, 4, [width]),
            (257, 4, [height]),
            (258, 3, [16]),
            (259, 3, [compression]),
            (262, 3, [32803]),
            (273, 4, [strip_at]),
            (277, 3, [1]),
            (278, 4, [height]),
            (279, 4, [len(cfa)]),
            (33421, 3, [2, 2]),
            (33422, 1, [0, 1, 1, 2]),
            (50717, 4, [4095]),
        ]

    if preview is None:
        ifd0 = _ifd(common + raw_entries(0), 8)
        ifd0 = _ifd(common + raw_entries(8 + len(ifd0)), 8)
        path.write_bytes(b"II*\x00" + struct.pack("<I", 8) + ifd0 + bytes(cfa))
        return path
    jpeg = io.BytesIO()
    preview.convert("RGB").save(jpeg, "JPEG", quality=90)
    jpeg_bytes = jpeg.getvalue()

    def preview_entries(sub_at: int, strip_at: int) -> list[tuple[int, int, Any]]:
        return common + [
            (254, 4, [1]),
            (256, 4, [preview.width]),
            (257, 4, [preview.height]),
            (258, 3, [8, 8, 8]),
            (259, 3, [7]),
            (262, 3, [6]),
            (273, 4, [strip_at]),
            (277, 3, [3]),
            (278, 4, [preview.height]),
            (279, 4, [len(jpeg_bytes)]),
            (330, 4, [sub_at]),
        ]

    size0 = len(_ifd(preview_entries(0, 0), 8))
    size1 = len(_ifd(raw_entries(0), 8 + size0))
    jpeg_at = 8 + size0 + size1
    raw_at = jpeg_at + len(jpeg_bytes) + len(jpeg_bytes) % 2
    ifd0 = _ifd(preview_entries(8 + size0, jpeg_at), 8)
    ifd1 = _ifd(raw_entries(raw_at), 8 + size0)
    pad = b"\x00" * (len(jpeg_bytes) % 2)
    path.write_bytes(b"II*\x00" + struct.pack("<I", 8) + ifd0 + ifd1 + jpeg_bytes + pad + cfa)
    return path


@pytest.fixture
def made_dng(tmp_path: Path) -> Callable[..., Path]:
    """``made_dng(name, stored, orientation=…, preview=…, compression=…)``: a DNG in tmp_path."""

    def make(name: str, stored: Image.Image, **options: Any) -> Path:
        return write_dng(tmp_path / name, stored, **options)

    return make


def stored_as(image: Image.Image, orientation: int) -> Image.Image:
    """How a camera stores ``image`` (upright) when it writes EXIF ``orientation``."""
    return _STORED[orientation](image)


def dominant_quadrants(image: Image.Image) -> dict[str, str]:
    """Each quadrant's strongest channel ("r", "g", "b") or "white" when all are bright."""
    rgb = image.convert("RGB")
    w, h = rgb.size
    where = {
        "top_left": (w // 4, h // 4),
        "top_right": (3 * w // 4, h // 4),
        "bottom_left": (w // 4, 3 * h // 4),
        "bottom_right": (3 * w // 4, 3 * h // 4),
    }
    found = {}
    for name, xy in where.items():
        pixel = rgb.getpixel(xy)
        if min(pixel) > 150 and max(pixel) - min(pixel) < 80:
            found[name] = "white"
        else:
            found[name] = "rgb"[max(range(3), key=lambda i: pixel[i])]
    return found
