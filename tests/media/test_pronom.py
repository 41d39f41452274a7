"""PRONOM identifiers: every committed sample file gets its format's PUID (or, for the formats
whose PUID no stored source confirmed, none), and versions come from the bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from media.kinds import sniff_bytes
from media.pronom import format_id, identify

# file in tests/data -> (PUID, name, version)
EXPECTED = {
    "camera-canon-40d.jpg": ("fmt/43", "JPEG File Interchange Format", "1.01"),
    "gps-htc-desire.jpg": ("fmt/43", "JPEG File Interchange Format", "1.01"),
    "no-exif-progressive.jpg": ("fmt/43", "JPEG File Interchange Format", "1.01"),
    "orientation-6.jpg": ("fmt/43", "JPEG File Interchange Format", "1.01"),
    "animated.gif": ("fmt/4", "GIF", "89a"),
    "bigtiff-exif-orientation-6.tif": ("fmt/1917", "BigTIFF", None),
    "gps-iphone.heic": ("fmt/1101", "HEIF", None),
    "jpeg-2000-exif-gps.jp2": ("x-fmt/392", "JP2 (JPEG 2000 part 1)", None),
    "rotated-90-gps.mov": ("x-fmt/384", "Quicktime", None),
}
# Known misses: formats whose PUID no stored source confirmed (listed in media/pronom.py).
UNCONFIRMED = {
    "cmyk.jpg": "JPEG",  # Exif (APP1) first, no JFIF header
    "motion-photo-orientation-6.jpg": "JPEG",
    "png-with-exif.png": "Portable Network Graphics",
    "jpeg-xl-exif-gps.jxl": "JPEG XL",
    "jpeg-xl-recompressed-jpeg-orientation-6.jxl": "JPEG XL",
    "raw-nikon-z9-jxl-compressed.dng": "DNG",
    "no-audio-vp9.webm": "WebM",
    "amr-audio.3gp": "3GPP",
}


def test_every_committed_sample_is_covered(data_dir: Path):
    committed = {p.name for p in data_dir.iterdir() if p.suffix != ".tsv"}
    assert committed == set(EXPECTED) | set(UNCONFIRMED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_committed_file_gets_its_puid_name_and_version(data_dir: Path, name: str):
    found = identify(data_dir / name)
    assert (found.puid, found.name, found.version) == EXPECTED[name]
    assert found.to_dict() == {
        "registry": "PRONOM",
        "puid": EXPECTED[name][0],
        "name": EXPECTED[name][1],
        "version": EXPECTED[name][2],
    }


@pytest.mark.parametrize("name", sorted(UNCONFIRMED))
def test_unconfirmed_format_has_a_name_but_no_puid(data_dir: Path, name: str):
    found = identify(data_dir / name)
    assert (found.puid, found.name) == (None, UNCONFIRMED[name])


def _told(head: bytes) -> tuple[str | None, str, str | None]:
    found = format_id(sniff_bytes(head), head)
    return found.puid, found.name, found.version


def _jfif(major: int, minor: int) -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes([major, minor]) + b"\x00" * 64


@pytest.mark.parametrize(
    ("major", "minor", "puid", "version"),
    [(1, 0, "fmt/42", "1.00"), (1, 1, "fmt/43", "1.01"), (1, 2, "fmt/44", "1.02")],
)
def test_jfif_version_decides_the_puid(major, minor, puid, version):
    assert _told(_jfif(major, minor)) == (puid, "JPEG File Interchange Format", version)


def test_unknown_jfif_version_and_exif_jpeg_get_no_puid():
    assert _told(_jfif(2, 0)) == (None, "JPEG", None)
    exif = b"\xff\xd8\xff\xe1\x00\x20Exif\x00\x00MM\x00*" + b"\x00" * 64
    assert _told(exif) == (None, "JPEG", None)


def test_gif_87a_and_89a():
    assert _told(b"GIF87a" + b"\x00" * 32) == ("fmt/3", "GIF", "87a")
    assert _told(b"GIF89a" + b"\x00" * 32) == ("fmt/4", "GIF", "89a")


@pytest.mark.parametrize(
    ("chunk", "puid", "version"),
    [(b"VP8 ", "fmt/566", "Lossy"), (b"VP8L", "fmt/567", "Lossless"),
     (b"VP8X", "fmt/568", "Extended")],
)  # fmt: skip
def test_webp_chunk_decides_lossy_lossless_or_extended(chunk, puid, version):
    assert _told(b"RIFF\x24\x00\x00\x00WEBP" + chunk + b"\x00" * 32) == (puid, "WebP", version)


def test_plain_tiff_and_a_jpeg_2000_codestream():
    assert _told(b"II*\x00\x08\x00\x00\x00\x00\x00" + b"\x00" * 32)[:2] == ("fmt/353", "TIFF")
    assert _told(b"\xff\x4f\xff\x51" + b"\x00" * 32) == (None, "JPEG 2000", None)
