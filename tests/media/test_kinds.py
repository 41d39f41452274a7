"""media.kinds: the kind of a file is told by its first bytes, never by its name."""

from __future__ import annotations

from pathlib import Path

import pytest

from media.errors import UnsupportedFile
from media.kinds import sniff, sniff_bytes


@pytest.mark.parametrize(
    ("name", "kind", "mime", "fmt"),
    [
        ("camera-canon-40d.jpg", "photo", "image/jpeg", "JPEG"),
        ("cmyk.jpg", "photo", "image/jpeg", "JPEG"),
        ("motion-photo-orientation-6.jpg", "photo", "image/jpeg", "JPEG"),
        ("gps-iphone.heic", "photo", "image/heic", "HEIF"),
        ("png-with-exif.png", "photo", "image/png", "PNG"),
        ("animated.gif", "photo", "image/gif", "GIF"),
        ("rotated-90-gps.mov", "video", "video/quicktime", "QuickTime"),
        ("no-audio-vp9.webm", "video", "video/webm", "WebM"),
        ("amr-audio.3gp", "video", "video/3gpp", "3GPP"),
    ],
)
def test_sniff_real_files(data_dir: Path, name: str, kind: str, mime: str, fmt: str) -> None:
    sniffed = sniff(data_dir / name)
    assert (sniffed.kind, sniffed.mime, sniffed.format) == (kind, mime, fmt)


def test_jpeg_named_mp4_is_a_photo(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "holiday.mp4"
    path.write_bytes((data_dir / "camera-canon-40d.jpg").read_bytes())
    assert sniff(path).kind == "photo"
    assert sniff(path).extension == ".jpg"


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(UnsupportedFile, match="empty"):
        sniff(path)


def test_text_named_jpg_is_refused_as_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("Khorog, June: felt making with Gulnora.\n", encoding="utf-8")
    with pytest.raises(UnsupportedFile, match="text file"):
        sniff(path)


def test_cyrillic_text_is_refused_as_text(tmp_path: Path) -> None:
    path = tmp_path / "заметки.jpg"
    path.write_text("Хорог: намадмолӣ, 2019\n", encoding="utf-8")
    with pytest.raises(UnsupportedFile, match="text file"):
        sniff(path)


def test_unknown_binary_reason_shows_first_bytes() -> None:
    with pytest.raises(UnsupportedFile, match="de ad be ef"):
        sniff_bytes(b"\xde\xad\xbe\xef" + bytes(range(256)))


def test_psd_is_refused_with_its_name() -> None:
    with pytest.raises(UnsupportedFile, match="PSD"):
        sniff_bytes(b"8BPS\x00\x01" + b"\x00" * 64)


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + b"\x00" * 64


@pytest.mark.parametrize(
    ("head", "kind", "fmt"),
    [
        (_ftyp(b"heic", b"mif1", b"heic"), "photo", "HEIF"),
        (_ftyp(b"mif1", b"mif1", b"heic"), "photo", "HEIF"),
        (_ftyp(b"avif", b"mif1", b"avif"), "photo", "AVIF"),
        (_ftyp(b"mif1", b"mif1", b"avif", b"miaf"), "photo", "AVIF"),
        (_ftyp(b"qt  ", b"qt  "), "video", "QuickTime"),
        (_ftyp(b"isom", b"isom", b"mp41"), "video", "MP4"),
        (_ftyp(b"3gp5", b"3gp5"), "video", "3GPP"),
        (_ftyp(b"3g2a", b"3g2a"), "video", "3GPP2"),
        (b"\x00\x00\x00\x08wide\x00\x00\x00\x10mdat" + b"\x00" * 32, "video", "QuickTime"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 32, "photo", "WebP"),
        (b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 32, "video", "AVI"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x82\x84webm" + b"\x00" * 32, "video", "WebM"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x82\x88matroska" + b"\x00" * 32, "video", "Matroska"),
        ((b"\x47" + b"\x00" * 187) * 4, "video", "MPEG-TS"),
        ((b"\x00\x00\x00\x00\x47" + b"\x00" * 187) * 4, "video", "MPEG-TS"),
        (b"II*\x00\x08\x00\x00\x00" + b"\x00" * 32, "photo", "TIFF"),
        (b"MM\x00*\x00\x00\x00\x08" + b"\x00" * 32, "photo", "TIFF"),
        (b"GIF87a" + b"\x00" * 32, "photo", "GIF"),
    ],
)
def test_sniff_bytes_by_signature(head: bytes, kind: str, fmt: str) -> None:
    sniffed = sniff_bytes(head)
    assert (sniffed.kind, sniffed.format) == (kind, fmt)


def test_audio_only_m4a_is_refused() -> None:
    with pytest.raises(UnsupportedFile, match="audio"):
        sniff_bytes(_ftyp(b"M4A ", b"M4A ", b"mp42"))
