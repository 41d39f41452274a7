"""media.images.write_print_copy: sRGB JPEGs for print, upright, just large enough, clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from media.errors import MediaError
from media.images import write_print_copy


@pytest.mark.parametrize(
    ("box", "cover", "size"),
    [
        ((900, 600), True, (900, 600)),
        ((600, 600), True, (900, 600)),  # fills the box; the slot crops the sides
        ((600, 600), False, (600, 400)),  # fits inside the box
        ((5000, 5000), True, (1800, 1200)),  # never enlarged
    ],
)
def test_the_copy_is_upright_and_as_large_as_the_box_needs(
    data_dir: Path, tmp_path: Path, box: tuple[int, int], cover: bool, size: tuple[int, int]
):
    # Stored 1200x1800 with EXIF orientation 6: shown 1800x1200.
    written = write_print_copy(
        data_dir / "orientation-6.jpg", tmp_path / "p.jpg", *box, cover=cover
    )
    with Image.open(written.path) as copy:
        assert copy.format == "JPEG" and copy.mode == "RGB"
        assert copy.size == size == (written.width, written.height)


def test_the_copy_carries_no_exif_or_gps(data_dir: Path, tmp_path: Path):
    written = write_print_copy(
        data_dir / "gps-htc-desire.jpg", tmp_path / "p.jpg", 400, 400, cover=True
    )
    data = written.path.read_bytes()
    assert b"Exif" not in data and b"GPS" not in data and b"HTC" not in data
    with Image.open(written.path) as copy:
        assert len(copy.getexif()) == 0


def test_cmyk_goes_through_its_icc_profile_to_srgb(corpus: Path, tmp_path: Path):
    with Image.open(corpus / "photos" / "Multiple ICC segments.jpg") as swop:
        profile = swop.info["icc_profile"]  # U.S. Web Coated (SWOP) v2
    cyan = tmp_path / "cyan.jpg"
    Image.new("CMYK", (64, 64), (255, 0, 0, 0)).save(cyan, icc_profile=profile, quality=95)
    written = write_print_copy(cyan, tmp_path / "p.jpg", 64, 64, cover=True)
    with Image.open(written.path) as copy:
        red, green, blue = copy.convert("RGB").getpixel((32, 32))
    # Press cyan is far from screen cyan (0, 255, 255): the profile was used.
    assert red < 40 and 140 < green < 200 and blue > 200


def test_transparency_is_laid_on_white(tmp_path: Path):
    clear = tmp_path / "clear.png"
    Image.new("RGBA", (20, 20), (255, 0, 0, 0)).save(clear)
    written = write_print_copy(clear, tmp_path / "p.jpg", 20, 20, cover=True)
    with Image.open(written.path) as copy:
        assert min(copy.getpixel((10, 10))) > 245


def test_a_damaged_file_is_a_media_error(tmp_path: Path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 50)
    with pytest.raises(MediaError, match="cannot be"):
        write_print_copy(broken, tmp_path / "p.jpg", 10, 10, cover=True)
