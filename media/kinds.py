"""Which kind of file this is, told from its first bytes, never from its name."""

from __future__ import annotations

from dataclasses import dataclass
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


_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"mif2"}
_AVIF_BRANDS = {b"avif", b"avis"}
_QT_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


def sniff_bytes(head: bytes) -> Sniffed:
    """Identify a file from its first bytes; raise UnsupportedFile with the reason."""
    if not head:
        raise UnsupportedFile("empty file (0 bytes)")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("photo", "image/jpeg", "JPEG", ".jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("photo", "image/png", "PNG", ".png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("photo", "image/gif", "GIF", ".gif")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return Sniffed("photo", "image/tiff", "TIFF", ".tif")
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
    return sniff_bytes(head)


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
