"""Which kind of file this is, told from its first bytes, never from its name."""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from media.errors import UnsupportedFile

HEAD_BYTES = 4096


@dataclass(frozen=True)
class Sniffed:
    """What the first bytes say: kind (photo/video), MIME type, a short format name."""

    kind: str
    mime: str
    format: str
    extension: str  # the usual extension for this format, with the dot
    raw: bool = False  # a camera RAW file: LibRaw reads it, Pillow does not


_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"mif2"}
_AVIF_BRANDS = {b"avif", b"avis"}
_QT_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


# Where a TIFF-like file is read beyond its first bytes: (offset, length) -> bytes.
ReadAt = Callable[[int, int], bytes]

# Camera RAW files with a signature of their own (not a TIFF header).
_RAW_SIGNATURES: tuple[tuple[int, bytes, Sniffed], ...] = (
    (0, b"FUJIFILMCCD-RAW", Sniffed("photo", "image/x-fuji-raf", "Fujifilm RAF", ".raf", True)),
    (0, b"IIU\x00", Sniffed("photo", "image/x-panasonic-rw2", "Panasonic RW2", ".rw2", True)),
    (0, b"IIRO", Sniffed("photo", "image/x-olympus-orf", "Olympus ORF", ".orf", True)),
    (0, b"IIRS", Sniffed("photo", "image/x-olympus-orf", "Olympus ORF", ".orf", True)),
    (0, b"MMOR", Sniffed("photo", "image/x-olympus-orf", "Olympus ORF", ".orf", True)),
    (6, b"HEAPCCDR", Sniffed("photo", "image/x-canon-crw", "Canon CRW", ".crw", True)),
    (0, b"\x00MRM", Sniffed("photo", "image/x-minolta-mrw", "Minolta MRW", ".mrw", True)),
    (0, b"FOVb", Sniffed("photo", "image/x-sigma-x3f", "Sigma X3F", ".x3f", True)),
)
_JXL = Sniffed("photo", "image/jxl", "JPEG XL", ".jxl")
_JP2 = Sniffed("photo", "image/jp2", "JPEG 2000", ".jp2")


def sniff_bytes(head: bytes, read_at: ReadAt | None = None) -> Sniffed:
    """Identify a file from its first bytes; raise UnsupportedFile with the reason.

    ``read_at`` reads further into the file, for a TIFF whose directories lie beyond
    ``head`` (a camera RAW is told from a plain TIFF by what its directories hold).
    """
    if not head:
        raise UnsupportedFile("empty file (0 bytes)")
    for offset, signature, sniffed in _RAW_SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return sniffed
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("photo", "image/jpeg", "JPEG", ".jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("photo", "image/png", "PNG", ".png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("photo", "image/gif", "GIF", ".gif")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return sniff_tiff(head, read_at or _reader(head))
    if head[:4] in (b"II+\x00", b"MM\x00+"):
        return Sniffed("photo", "image/tiff", "BigTIFF", ".tif")
    if head.startswith(b"\xff\x0a") or head.startswith(b"\x00\x00\x00\x0cJXL \r\n\x87\n"):
        return _JXL
    if head.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n"):
        if head[20:24] == b"jpm ":
            raise UnsupportedFile("JPEG 2000 compound document (JPM): not a photo format")
        return _JP2
    if head.startswith(b"\xff\x4f\xff\x51"):
        return Sniffed("photo", "image/x-jp2-codestream", "JPEG 2000", ".j2k")
    if head[:4] == b"RIFF" and len(head) >= 12:
        sub = head[8:12]
        if sub == b"WEBP":
            return Sniffed("photo", "image/webp", "WebP", ".webp")
        if sub == b"AVI ":
            return Sniffed("video", "video/x-msvideo", "AVI", ".avi")
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _sniff_isobmff(head)
    if len(head) >= 8 and head[4:8] in _QT_ATOMS:
        return Sniffed("video", "video/quicktime", "QuickTime", ".mov")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        if b"webm" in head[:64]:
            return Sniffed("video", "video/webm", "WebM", ".webm")
        return Sniffed("video", "video/x-matroska", "Matroska", ".mkv")
    if _is_mpeg_ts(head):
        return Sniffed("video", "video/mp2t", "MPEG-TS", ".mts")
    if head.startswith(b"8BPS"):
        raise UnsupportedFile("Photoshop document (PSD): not a photo format the archive takes")
    if head[:4] in (b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3"):
        return Sniffed("video", "video/mpeg", "MPEG-PS", ".mpg")
    raise UnsupportedFile(_describe_unknown(head))


def sniff(path: Path) -> Sniffed:
    """Identify the file at ``path`` by its content."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)

        def read_at(offset: int, length: int) -> bytes:
            handle.seek(offset)
            return handle.read(length)

        sniffed = sniff_bytes(head, read_at)
    if sniffed.raw and sniffed.extension == ".raw" and path.suffix.lower() in RAW_EXTENSIONS:
        # A TIFF-based RAW of a make we do not name: keep the camera's own extension.
        return replace(sniffed, extension=path.suffix.lower())
    return sniffed


def _sniff_isobmff(head: bytes) -> Sniffed:
    size = int.from_bytes(head[0:4], "big")
    major = head[8:12]
    end = min(size if 16 <= size <= len(head) else 32, len(head))
    brands = {major} | {head[i : i + 4] for i in range(16, end - 3, 4)}
    if major in _AVIF_BRANDS or (
        major in (b"mif1", b"msf1") and brands & _AVIF_BRANDS and not brands & {b"heic", b"heix"}
    ):
        return Sniffed("photo", "image/avif", "AVIF", ".avif")
    if major in _HEIF_BRANDS or brands & {b"heic", b"heix"}:
        return Sniffed("photo", "image/heic", "HEIF", ".heic")
    if major == b"crx ":
        return Sniffed("photo", "image/x-canon-cr3", "Canon CR3", ".cr3", True)
    if major == b"qt  ":
        return Sniffed("video", "video/quicktime", "QuickTime", ".mov")
    if major.startswith(b"3g2"):
        return Sniffed("video", "video/3gpp2", "3GPP2", ".3g2")
    if major.startswith(b"3gp") or major.startswith(b"3ge") or major.startswith(b"3gs"):
        return Sniffed("video", "video/3gpp", "3GPP", ".3gp")
    if major in (b"M4A ", b"M4B ", b"M4P "):
        raise UnsupportedFile("audio-only MPEG-4 file (M4A): not a photo or video")
    return Sniffed("video", "video/mp4", "MP4", ".mp4")


def _is_mpeg_ts(head: bytes) -> bool:
    for offset, step in ((0, 188), (4, 192)):
        if len(head) > offset + 2 * step and all(head[offset + i * step] == 0x47 for i in range(3)):
            return True
    return False


def _describe_unknown(head: bytes) -> str:
    sample = head[:512]
    try:
        sample.decode("utf-8")
        looks_text = all(b >= 9 for b in sample)
    except UnicodeDecodeError:
        looks_text = False
    if looks_text:
        return "a text file, not a photo or video"
    return f"not a photo or video format the archive knows (starts with {head[:8].hex(' ')})"


# ---- TIFF: a plain image, or a camera RAW built on TIFF (DNG, CR2, NEF, ARW, PEF…) ----

# The extensions cameras give RAW files (LibRaw reads them all).
RAW_EXTENSIONS = frozenset(
    ".3fr .ari .arw .bay .cr2 .cr3 .crw .dcr .dng .erf .fff .iiq .k25 .kdc .mef .mos .mrw "
    ".nef .nrw .orf .pef .raf .raw .rw2 .rwl .sr2 .srf .srw .x3f".split()
)
_CFA, _LINEAR_RAW = 32803, 34892  # PhotometricInterpretation of raw sensor data
_TIFF_RAW_BY_MAKE = (  # (start of the Make tag, format, extension, MIME type)
    ("NIKON", "Nikon NEF", ".nef", "image/x-nikon-nef"),
    ("SONY", "Sony ARW", ".arw", "image/x-sony-arw"),
    ("PENTAX", "Pentax PEF", ".pef", "image/x-pentax-pef"),
    ("RICOH", "Pentax PEF", ".pef", "image/x-pentax-pef"),
    ("SAMSUNG", "Samsung SRW", ".srw", "image/x-samsung-srw"),
    ("CANON", "Canon CR2", ".cr2", "image/x-canon-cr2"),
    ("HASSELBLAD", "Hasselblad 3FR", ".3fr", "image/x-hasselblad-3fr"),
    ("PHASE ONE", "Phase One IIQ", ".iiq", "image/x-phaseone-iiq"),
    ("SEIKO EPSON", "Epson ERF", ".erf", "image/x-epson-erf"),
    ("KODAK", "Kodak DCR", ".dcr", "image/x-kodak-dcr"),
    ("EASTMAN KODAK", "Kodak DCR", ".dcr", "image/x-kodak-dcr"),
    ("MAMIYA", "Mamiya MEF", ".mef", "image/x-mamiya-mef"),
    ("LEAF", "Leaf MOS", ".mos", "image/x-leaf-mos"),
)
_MAX_IFDS = 16


def sniff_tiff(head: bytes, read_at: ReadAt) -> Sniffed:
    """A TIFF file: DNG when it says so, another camera RAW when one of its images holds
    sensor data (a colour filter array), else a plain TIFF (a scan, an export)."""
    if head[8:10] == b"CR" and head[10:11] == b"\x02":
        return Sniffed("photo", "image/x-canon-cr2", "Canon CR2", ".cr2", True)
    order = "<" if head[:2] == b"II" else ">"
    facts = _tiff_facts(order, _long(order, head[4:8]), read_at)
    if facts.dng:
        return Sniffed("photo", "image/x-adobe-dng", "DNG", ".dng", True)
    if not facts.sensor_data:
        return Sniffed("photo", "image/tiff", "TIFF", ".tif")
    make, model = facts.make.upper(), facts.model.upper()
    if make.startswith("NIKON") and model.startswith("COOLPIX"):
        return Sniffed("photo", "image/x-nikon-nrw", "Nikon NRW", ".nrw", True)
    for start, fmt, extension, mime in _TIFF_RAW_BY_MAKE:
        if make.startswith(start):
            return Sniffed("photo", mime, fmt, extension, True)
    return Sniffed("photo", "image/x-raw", "camera RAW", ".raw", True)


@dataclass(frozen=True)
class _TiffFacts:
    dng: bool = False  # IFD0 has DNGVersion
    sensor_data: bool = False  # some image is a colour filter array or linear raw
    make: str = ""
    model: str = ""


def _tiff_facts(order: str, first: int, read_at: ReadAt) -> _TiffFacts:
    """Walk IFD0, its chain and its SubIFDs, a bounded number of them (a hostile file
    cannot loop us), for what tells a camera RAW from a plain TIFF."""
    dng = sensor_data = False
    text: dict[int, str] = {}
    queue, seen = [first], set()
    while queue and len(seen) < _MAX_IFDS:
        offset = queue.pop(0)
        if offset < 8 or offset in seen:
            continue
        seen.add(offset)
        count = min(_short(order, read_at(offset, 2)), 512)
        block = read_at(offset + 2, count * 12 + 4)
        for i in range(min(count, len(block) // 12)):
            tag, kind, n = struct.unpack(order + "HHI", block[i * 12 : i * 12 + 8])
            value = block[i * 12 + 8 : i * 12 + 12]
            if tag == 262 and kind == 3 and _short(order, value) in (_CFA, _LINEAR_RAW):
                sensor_data = True
            elif tag == 330 and kind in (4, 13) and n:  # SubIFDs
                where = value if n == 1 else read_at(_long(order, value), 4 * min(n, 8))
                queue.extend(_long(order, where[j : j + 4]) for j in range(0, len(where) - 3, 4))
            elif offset == first and tag == 50706:
                dng = True
            elif offset == first and tag in (271, 272) and kind == 2 and 0 < n <= 64:
                raw = value[:n] if n <= 4 else read_at(_long(order, value), n)
                text[tag] = raw.split(b"\x00")[0].decode("latin-1").strip()
        if count and len(block) >= count * 12 + 4:
            queue.append(_long(order, block[count * 12 : count * 12 + 4]))
    return _TiffFacts(dng, sensor_data, text.get(271, ""), text.get(272, ""))


def _short(order: str, value: bytes) -> int:
    return struct.unpack(order + "H", value[:2])[0] if len(value) >= 2 else 0


def _long(order: str, value: bytes) -> int:
    return struct.unpack(order + "I", value[:4])[0] if len(value) >= 4 else 0


def _reader(head: bytes) -> ReadAt:
    return lambda offset, length: head[offset : offset + length]
