"""Fixtures for the media tests: exiftool and ffprobe readers, and broken files made on the spot."""

from __future__ import annotations

import json
import shutil
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
