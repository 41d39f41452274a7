"""Fixtures for the application tests: generated photos, sample sources, a CLI runner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from PIL import Image

from archive.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "media"


def make_photo(
    path: Path,
    *,
    size: tuple[int, int] = (640, 480),
    color: tuple[int, int, int] = (180, 90, 40),
    make: str | None = "Canon",
    model: str | None = "Canon EOS 7D",
    taken: str | None = "2015:08:14 10:30:00",
    gps: tuple[float, float] | None = None,
    orientation: int | None = None,
) -> Path:
    """A real JPEG with the EXIF tags a camera writes."""
    image = Image.new("RGB", size, color)
    for x in range(0, size[0], 16):  # some detail, so the encoder has work to do
        for y in range(0, size[1], 16):
            image.putpixel((x, y), (x % 256, y % 256, (x + y) % 256))
    exif = Image.Exif()
    if make:
        exif[0x010F] = make
    if model:
        exif[0x0110] = model
    if orientation:
        exif[0x0112] = orientation
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    if gps:
        lat, lon = gps
        exif.get_ifd(0x8825).update(
            {
                1: "N" if lat >= 0 else "S",
                2: _dms(abs(lat)),
                3: "E" if lon >= 0 else "W",
                4: _dms(abs(lon)),
            }
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=85, exif=exif.tobytes())
    return path


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


class Cli:
    """Runs `archive` in-process against one archive folder and parses --json."""

    def __init__(self, archive: Path) -> None:
        self.archive = archive
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int | None = 0) -> Result:
        result = self.runner.invoke(main, ["-a", str(self.archive), *args], catch_exceptions=False)
        if code is not None:
            assert result.exit_code == code, (
                f"exit {result.exit_code}, wanted {code}\nstdout:\n{result.stdout}"
                f"\nstderr:\n{result.stderr}"
            )
        return result

    def json(self, *args: str, code: int | None = 0) -> Any:
        return json.loads(self(*args, "--json", code=code).stdout)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "archive")


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    """A copy of the bundled sample media with their sidecars."""
    target = tmp_path / "samples"
    shutil.copytree(SAMPLES, target)
    return target


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    """A source folder with two generated camera photos, one with GPS."""
    folder = tmp_path / "DCIM"
    make_photo(folder / "IMG_0001.jpg", gps=(37.489, 71.553))
    make_photo(folder / "IMG_0002.jpg", color=(20, 120, 200), taken="2016:07:01 09:00:00")
    return folder
