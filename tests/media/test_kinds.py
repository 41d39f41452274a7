"""media.kinds: the kind of a file is told by its first bytes, never by its name."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from media.errors import UnsupportedFile
from media.kinds import Sniffed, sniff, sniff_bytes


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


# ---- camera RAW, JPEG XL, JPEG 2000, BigTIFF ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "mime", "fmt", "extension", "raw"),
    [
        ("raw-nikon-z9-jxl-compressed.dng", "image/x-adobe-dng", "DNG", ".dng", True),
        ("jpeg-xl-exif-gps.jxl", "image/jxl", "JPEG XL", ".jxl", False),
        ("jpeg-xl-recompressed-jpeg-orientation-6.jxl", "image/jxl", "JPEG XL", ".jxl", False),
        ("jpeg-2000-exif-gps.jp2", "image/jp2", "JPEG 2000", ".jp2", False),
        ("bigtiff-exif-orientation-6.tif", "image/tiff", "BigTIFF", ".tif", False),
    ],
)
def test_sniff_new_formats_in_real_files(
    data_dir: Path, name: str, mime: str, fmt: str, extension: str, raw: bool
) -> None:
    sniffed = sniff(data_dir / name)
    assert sniffed == Sniffed("photo", mime, fmt, extension, raw)


@pytest.mark.parametrize(
    ("head", "fmt", "extension"),
    [
        (b"FUJIFILMCCD-RAW 0201FF383501" + b"\x00" * 64, "Fujifilm RAF", ".raf"),
        (b"IIU\x00\x18\x00\x00\x00" + b"\x00" * 64, "Panasonic RW2", ".rw2"),
        (b"IIRO\x08\x00\x00\x00" + b"\x00" * 64, "Olympus ORF", ".orf"),
        (b"MMOR\x00\x00\x00\x08" + b"\x00" * 64, "Olympus ORF", ".orf"),
        (b"II\x1a\x00\x00\x00HEAPCCDR" + b"\x00" * 64, "Canon CRW", ".crw"),
        (_ftyp(b"crx ", b"crx ", b"isom"), "Canon CR3", ".cr3"),
        (b"II*\x00\x10\x00\x00\x00CR\x02\x00" + b"\x00" * 64, "Canon CR2", ".cr2"),
    ],
)
def test_raw_signatures(head: bytes, fmt: str, extension: str) -> None:
    sniffed = sniff_bytes(head)
    assert (sniffed.kind, sniffed.format, sniffed.extension, sniffed.raw) == (
        "photo",
        fmt,
        extension,
        True,
    )


@pytest.mark.parametrize(
    ("head", "fmt", "mime"),
    [
        (b"\xff\x0a\xfa\x7f" + b"\x00" * 32, "JPEG XL", "image/jxl"),
        (b"\x00\x00\x00\x0cJXL \r\n\x87\n" + b"\x00" * 32, "JPEG XL", "image/jxl"),
        (
            b"\x00\x00\x00\x0cjP  \r\n\x87\n\x00\x00\x00\x14ftypjp2 " + b"\x00" * 32,
            "JPEG 2000",
            "image/jp2",
        ),
        (b"\xff\x4f\xff\x51\x00\x2f" + b"\x00" * 32, "JPEG 2000", "image/x-jp2-codestream"),
        (b"II+\x00\x08\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00", "BigTIFF", "image/tiff"),
        (b"MM\x00+\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10", "BigTIFF", "image/tiff"),
    ],
)
def test_jxl_jp2_bigtiff_signatures(head: bytes, fmt: str, mime: str) -> None:
    sniffed = sniff_bytes(head)
    assert (sniffed.kind, sniffed.format, sniffed.mime, sniffed.raw) == ("photo", fmt, mime, False)


def test_jpeg_2000_compound_document_is_refused() -> None:
    head = b"\x00\x00\x00\x0cjP  \r\n\x87\n\x00\x00\x00\x14ftypjpm " + b"\x00" * 32
    with pytest.raises(UnsupportedFile, match="JPM"):
        sniff_bytes(head)


def _tiff(entries: list[tuple[int, int, int, bytes]], tail: bytes = b"") -> bytes:
    """A little-endian TIFF whose IFD0 holds ``entries`` (tag, type, count, 4 value bytes),
    with ``tail`` right after the directory (at 8 + 2 + 12 * n + 4)."""
    body = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        body += struct.pack("<HHI", tag, kind, count) + value
    return b"II*\x00\x08\x00\x00\x00" + body + b"\x00\x00\x00\x00" + tail


@pytest.mark.parametrize(
    ("make", "model", "fmt", "extension"),
    [
        ("NIKON CORPORATION", "NIKON D850", "Nikon NEF", ".nef"),
        ("NIKON", "COOLPIX P7800", "Nikon NRW", ".nrw"),
        ("SONY", "ILCE-7M3", "Sony ARW", ".arw"),
        ("PENTAX", "PENTAX K-1", "Pentax PEF", ".pef"),
        ("SAMSUNG", "NX1", "Samsung SRW", ".srw"),
    ],
)
def test_tiff_with_sensor_data_is_a_raw_named_by_its_make(
    make: str, model: str, fmt: str, extension: str
) -> None:
    at = 8 + 2 + 12 * 3 + 4
    text = make.encode() + b"\x00" + model.encode() + b"\x00"
    head = _tiff(
        [
            (262, 3, 1, struct.pack("<HH", 32803, 0)),  # a colour filter array
            (271, 2, len(make) + 1, struct.pack("<I", at)),
            (272, 2, len(model) + 1, struct.pack("<I", at + len(make) + 1)),
        ],
        text,
    )
    sniffed = sniff_bytes(head)
    assert (sniffed.format, sniffed.extension, sniffed.raw) == (fmt, extension, True)


def test_raw_data_in_a_subifd_beyond_the_first_bytes_is_found(tmp_path: Path) -> None:
    """A NEF keeps its sensor data in a SubIFD; the sniffer follows it through the file."""
    far = 6000  # past the 4096 bytes read first
    sub = struct.pack("<H", 1) + struct.pack("<HHI", 262, 3, 1) + struct.pack("<HH", 32803, 0)
    head = _tiff(
        [(271, 2, 6, struct.pack("<I", 64)), (330, 4, 1, struct.pack("<I", far))],
        b"\x00" * 26 + b"NIKON\x00",  # the Make at 8 + 2 + 24 + 4 + 26 = 64
    )
    path = tmp_path / "DSC_0001.nef"
    path.write_bytes(head.ljust(far, b"\x00") + sub + b"\x00" * 4)
    assert sniff(path).format == "Nikon NEF"
    assert sniff_bytes(path.read_bytes()[:4096]).format == "TIFF"  # without reading further


def test_plain_tiff_stays_a_tiff() -> None:
    head = _tiff([(262, 3, 1, struct.pack("<HH", 2, 0))])  # RGB
    assert sniff_bytes(head) == Sniffed("photo", "image/tiff", "TIFF", ".tif")


def test_raw_of_an_unnamed_make_keeps_its_own_extension(tmp_path: Path) -> None:
    head = _tiff([(262, 3, 1, struct.pack("<HH", 32803, 0))])
    assert sniff_bytes(head).extension == ".raw"
    path = tmp_path / "IMG_0001.KDC"
    path.write_bytes(head)
    assert (sniff(path).format, sniff(path).extension) == ("camera RAW", ".kdc")
    named_jpg = tmp_path / "IMG_0002.jpg"
    named_jpg.write_bytes(head)
    assert sniff(named_jpg).extension == ".raw"  # the name is not taken for a RAW's


def test_tiff_directory_loop_ends() -> None:
    """IFD0 pointing at itself as the next directory: the walk stops, no hang."""
    entries = struct.pack("<H", 1) + struct.pack("<HHI", 262, 3, 1) + struct.pack("<HH", 2, 0)
    head = b"II*\x00\x08\x00\x00\x00" + entries + struct.pack("<I", 8)
    assert sniff_bytes(head).format == "TIFF"
