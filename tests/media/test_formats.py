"""JPEG XL, JPEG 2000 and BigTIFF photos: metadata as exiftool reads it, derivatives turned as
displayed, and a format this machine cannot decode kept without a preview."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from media import images
from media.derivatives import DEFAULT_SPECS, make_derivatives
from media.probe import probe
from tests.conftest import REPO

# Each made from the same upright 388 x 455 picture (see LICENSES.tsv).
WITH_EXIF = [
    "jpeg-xl-exif-gps.jxl",
    "jpeg-2000-exif-gps.jp2",
    "bigtiff-exif-orientation-6.tif",
]


def _date(value: str) -> str:
    return value.replace(":", "-", 2).replace(" ", "T")


@pytest.mark.parametrize("name", WITH_EXIF)
def test_fields_match_exiftool(
    data_dir: Path, exiftool: Callable[[Path], dict[str, Any]], name: str
) -> None:
    path = data_dir / name
    truth = exiftool(path)
    info = probe(path)
    assert info.kind == "photo" and info.notes == ()
    assert info.camera_make == truth["EXIF:Make"]
    assert info.camera_model == truth["EXIF:Model"]
    assert info.taken_at == _date(truth["EXIF:DateTimeOriginal"])
    stored = tuple(int(v) for v in truth["Composite:ImageSize"].split("x"))
    turned = truth["EXIF:Orientation"] == "Rotate 90 CW"
    assert (info.width, info.height) == (stored[::-1] if turned else stored)
    assert info.orientation == (6 if turned else 1)
    if "Composite:GPSLatitude" in truth:  # exiftool finds no GPS in the BigTIFF
        lat = float(truth["Composite:GPSLatitude"].split()[0])
        assert info.gps_lat is not None and abs(info.gps_lat - 45.50067) < 1e-4, lat


def test_recompressed_jpeg_in_jpeg_xl_keeps_the_jpegs_exif(data_dir: Path) -> None:
    """cjxl keeps the JPEG's EXIF Brotli-compressed, which exiftool 12.57 does not open: the
    expected values are exiftool's reading of the JPEG before it was recompressed."""
    info = probe(data_dir / "jpeg-xl-recompressed-jpeg-orientation-6.jxl")
    assert (info.format, info.mime, info.extension) == ("JPEG XL", "image/jxl", ".jxl")
    assert (info.camera_make, info.camera_model) == ("HTC", "HTC Desire")
    assert info.taken_at == "2011-05-06T09:59:48"
    assert info.orientation == 6
    assert (info.width, info.height) == (388, 455)  # stored 455 x 388, shown turned
    assert info.gps_lat == pytest.approx(45.5006667, abs=1e-6)


@pytest.mark.parametrize(
    "name",
    [*WITH_EXIF, "jpeg-xl-recompressed-jpeg-orientation-6.jxl"],
)
def test_derivatives_are_portrait_as_displayed(data_dir: Path, tmp_path: Path, name: str) -> None:
    path = data_dir / name
    outputs = {s.name: tmp_path / f"{s.name}.webp" for s in DEFAULT_SPECS}
    made = {m.spec: m for m in make_derivatives(path, "photo", list(DEFAULT_SPECS), outputs)}
    shown = probe(path)
    assert made["display"].width == shown.width and made["display"].height == shown.height
    thumb = made["thumb"]
    assert thumb.width < thumb.height == min(320, shown.height)  # portrait, as displayed
    assert all(m.source is None for m in made.values())
    with Image.open(made["display"].path) as im:
        # the source picture: bright sky above a darker car park
        top = im.crop((0, 0, im.width, im.height // 8)).convert("L").resize((1, 1)).getpixel((0, 0))
        bottom = (
            im.crop((0, im.height * 7 // 8, im.width, im.height))
            .convert("L")
            .resize((1, 1))
            .getpixel((0, 0))
        )
        assert top > bottom + 40, (top, bottom)


def test_pillow_decoders_for_the_new_formats_are_here() -> None:
    assert images.JXL
    assert images.decoder_missing("JPEG XL") is None
    assert images.decoder_missing("JPEG 2000") is None
    assert images.decoder_missing("JPEG") is None


def test_without_the_jpeg_xl_plugin_a_jxl_is_known_but_has_no_decoder(
    data_dir: Path, tmp_path: Path
) -> None:
    """A machine without pillow-jxl-plugin (simulated by hiding the module from the import
    system in a fresh interpreter): the probe still says what the file is, its EXIF is read
    without decoding, and making derivatives raises NoDecoder with the reason."""
    script = """
import sys
sys.modules["pillow_jxl"] = None  # import fails as if the plugin were not installed
from pathlib import Path
from media.derivatives import DEFAULT_SPECS, make_derivatives
from media.errors import NoDecoder
from media.probe import probe
path, out = Path(sys.argv[1]), Path(sys.argv[2])
info = probe(path)
print(info.kind, info.format, info.width, info.camera_make, info.taken_at)
try:
    make_derivatives(path, "photo", list(DEFAULT_SPECS), {"display": out / "display.webp"})
except NoDecoder as exc:
    print("NoDecoder:", exc)
print(sorted(p.name for p in out.iterdir()))
"""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", script, str(data_dir / "jpeg-xl-exif-gps.jxl"), str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "photo JPEG XL None HTC 2011-05-06T09:59:48"
    assert lines[1] == "NoDecoder: no JPEG XL decoder here (pip install pillow-jxl-plugin)"
    assert lines[2] == "[]"
