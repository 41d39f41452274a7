"""media.images: headers without decoding, and WebP copies that are upright, small and clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from media.errors import CorruptFile, MediaError, TooLarge
from media.images import is_mostly_dark, read_header, save_webp, write_sizes


@pytest.mark.parametrize(
    ("name", "fmt", "size", "frames"),
    [
        ("camera-canon-40d.jpg", "JPEG", (100, 68), 1),
        ("orientation-6.jpg", "JPEG", (1200, 1800), 1),
        ("cmyk.jpg", "JPEG", (100, 100), 1),
        ("gps-iphone.heic", "HEIF", (4032, 3024), 1),
        ("png-with-exif.png", "PNG", (100, 133), 1),
        ("animated.gif", "GIF", (320, 240), 31),
    ],
)
def test_read_header_real_files(
    data_dir: Path, name: str, fmt: str, size: tuple[int, int], frames: int
) -> None:
    header = read_header(data_dir / name)
    assert (header.format, (header.width, header.height), header.frames) == (fmt, size, frames)


def test_read_header_keeps_the_raw_exif_block(data_dir: Path) -> None:
    header = read_header(data_dir / "camera-canon-40d.jpg")
    assert header.exif is not None
    assert header.exif.startswith((b"Exif\x00\x00", b"II*\x00", b"MM\x00*"))


def test_read_header_heif_decoder_turns_the_picture_itself(data_dir: Path) -> None:
    assert read_header(data_dir / "gps-iphone.heic").decoder_applies_orientation
    assert not read_header(data_dir / "orientation-6.jpg").decoder_applies_orientation


def test_read_header_huge_declared_size_is_too_large(huge_jpeg: Path) -> None:
    with pytest.raises(TooLarge) as caught:
        read_header(huge_jpeg)
    assert "60000x60000" in str(caught.value)
    assert "limit" in str(caught.value)


def test_write_sizes_huge_declared_size_is_too_large(huge_jpeg: Path, tmp_path: Path) -> None:
    with pytest.raises(TooLarge):
        write_sizes(huge_jpeg, [(tmp_path / "t.webp", 320, 70, 0)])
    assert not (tmp_path / "t.webp").exists()


def test_read_header_of_text_is_a_media_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("not a picture\n")
    with pytest.raises(MediaError, match="cannot"):
        read_header(path)


def test_jpeg_magic_then_garbage_is_a_media_error(tmp_path: Path) -> None:
    path = tmp_path / "only-magic-bytes.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 16)
    with pytest.raises(MediaError):
        read_header(path)
    with pytest.raises(MediaError):
        write_sizes(path, [(tmp_path / "t.webp", 320, 70, 0)])


def test_truncated_jpeg_still_gives_a_thumbnail(truncated_jpeg: Path, tmp_path: Path) -> None:
    (written,) = write_sizes(truncated_jpeg, [(tmp_path / "t.webp", 320, 70, 0)])
    assert (written.width, written.height) == (320, 213)  # orientation 6 applied


@pytest.mark.parametrize("orientation", [1, 2, 3, 4, 6, 8])
def test_write_sizes_applies_exif_orientation(
    oriented_jpeg: Callable[..., Path],
    assert_upright: Callable[[Image.Image], None],
    tmp_path: Path,
    orientation: int,
) -> None:
    source = oriented_jpeg(orientation, 600, 400)
    (written,) = write_sizes(source, [(tmp_path / "t.webp", 300, 90, 0)])
    assert (written.width, written.height) == (300, 200)
    with Image.open(written.path) as image:
        assert_upright(image)


def test_write_sizes_largest_first_and_never_upscaled(data_dir: Path, tmp_path: Path) -> None:
    targets = [(tmp_path / "small.webp", 64, 70, 0), (tmp_path / "big.webp", 1600, 80, 0)]
    small, big = sorted(
        write_sizes(data_dir / "camera-canon-40d.jpg", targets), key=lambda w: w.width
    )
    assert (big.width, big.height) == (100, 68)
    assert (small.width, small.height) == (64, 44)


def test_write_sizes_cmyk_becomes_rgb(data_dir: Path, tmp_path: Path) -> None:
    (written,) = write_sizes(data_dir / "cmyk.jpg", [(tmp_path / "t.webp", 320, 80, 0)])
    with Image.open(written.path) as image:
        assert image.mode == "RGB"
        # Red letters on black; Adobe CMYK is stored inverted, and a wrong conversion
        # gives a negative: light cyan letters on white.
        assert ImageStat.Stat(image.convert("L")).mean[0] < 60
        red, green, blue = (band[1] for band in image.getextrema())
        assert red > 200 and green < 120 and blue < 120


def test_write_sizes_keeps_transparency(tmp_path: Path) -> None:
    source = tmp_path / "logo.png"
    logo = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    logo.paste((180, 40, 40, 255), (50, 25, 150, 75))
    logo.save(source)
    (written,) = write_sizes(source, [(tmp_path / "t.webp", 100, 80, 0)])
    with Image.open(written.path) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((2, 2))[3] == 0
        assert image.getpixel((50, 25))[3] == 255


def test_write_sizes_png_with_exif(data_dir: Path, tmp_path: Path) -> None:
    (written,) = write_sizes(data_dir / "png-with-exif.png", [(tmp_path / "t.webp", 320, 80, 0)])
    assert (written.width, written.height) == (100, 133)


def test_write_sizes_sixteen_bit_png(tmp_path: Path) -> None:
    source = tmp_path / "scan-16bit.png"
    Image.linear_gradient("L").resize((256, 128)).convert("I;16").save(source)
    (written,) = write_sizes(source, [(tmp_path / "t.webp", 128, 80, 0)])
    assert (written.width, written.height) == (128, 64)


def test_write_sizes_animated_gif_takes_the_first_frame(data_dir: Path, tmp_path: Path) -> None:
    (written,) = write_sizes(data_dir / "animated.gif", [(tmp_path / "t.webp", 160, 80, 0)])
    with Image.open(written.path) as image:
        assert getattr(image, "n_frames", 1) == 1
        assert image.size == (160, 120)


def test_save_webp_drops_metadata(tmp_path: Path) -> None:
    image = Image.new("RGB", (40, 30), (200, 100, 50))
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    image.info["exif"] = exif.tobytes()
    image.info["xmp"] = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"
    written = save_webp(image, tmp_path / "out.webp", quality=80, method=0)
    data = written.path.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    assert b"EXIF" not in data and b"XMP " not in data
    assert written.size == len(data)
    assert not list(tmp_path.glob(".*tmp"))


def test_is_mostly_dark(tmp_path: Path) -> None:
    Image.new("RGB", (64, 64), (5, 5, 5)).save(tmp_path / "black.png")
    Image.new("RGB", (64, 64), (120, 110, 90)).save(tmp_path / "grey.png")
    assert is_mostly_dark(tmp_path / "black.png")
    assert not is_mostly_dark(tmp_path / "grey.png")


def test_corrupt_file_is_a_media_error() -> None:
    assert issubclass(CorruptFile, MediaError)
    assert issubclass(TooLarge, MediaError)


def test_is_blank_for_black_white_and_flat_frames(tmp_path: Path) -> None:
    from PIL import Image

    from media.images import is_blank

    Image.new("RGB", (64, 48), (2, 2, 2)).save(tmp_path / "black.png")
    Image.new("RGB", (64, 48), (250, 250, 252)).save(tmp_path / "white.png")
    Image.new("RGB", (64, 48), (120, 90, 60)).save(tmp_path / "flat.png")
    detail = Image.linear_gradient("L").resize((64, 48)).convert("RGB")
    detail.save(tmp_path / "detail.png")
    assert is_blank(tmp_path / "black.png")
    assert is_blank(tmp_path / "white.png")
    assert is_blank(tmp_path / "flat.png")
    assert not is_blank(tmp_path / "detail.png")
