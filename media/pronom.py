"""PRONOM identifiers of the formats the archive tells apart, with the version the bytes give.

Every PUID below was checked, offline, against one of these (none is from memory alone):
PRONOM's own format pages and XML reports as stored copies (fmt/11, fmt/42, fmt/44,
fmt/199, fmt/566, fmt/567, x-fmt/384, x-fmt/392); The Format Registry mirror of PRONOM
(the-fr.org: fmt/44, fmt/567, x-fmt/384, x-fmt/392); siegfried's PRONOM report for fmt/199
(richardlehane/siegfried cmd/r2d2/data/pronom/fmt.199.xml); and the PRONOM PUIDs that
dexvert's format definitions match siegfried's output against (Sembiance/dexvert
src/format/image/{jpg,gif,tiff,bigTIFF,webp,heic,cr2,arw}.js and
src/format/video/{mp4,mov,mkv,avi}.js). fmt/43 (JFIF 1.01) and fmt/568 (WebP extended) are
the members of a checked set (fmt/41-44, fmt/566-568) whose other members' versions were
seen on PRONOM's pages. GIF 87a/89a are fmt/3 and fmt/4 in that set (dexvert's gif.js).

Left without a PUID (``puid`` None) because no stored source confirmed which one: PNG
(fmt/11, fmt/12 and fmt/13 are versions 1.0-1.2, which the bytes do not tell), JPEG with
Exif and no JFIF header, raw JPEG streams, AVIF, JPEG XL (fmt/1484 and fmt/1485 exist, which
is the codestream was not confirmed), the JPEG 2000 codestream, DNG (its PUIDs are per
version), Canon CR3, Nikon NEF/NRW, Fujifilm RAF, Panasonic RW2, Olympus ORF, Pentax PEF and
the other camera RAW formats, 3GPP, WebM, MPEG-TS and MPEG-PS.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from media.kinds import HEAD_BYTES, Sniffed, sniff

REGISTRY = "PRONOM"


@dataclass(frozen=True)
class FormatId:
    """A format in a registry: its identifier (None where not confirmed), name and version."""

    name: str
    puid: str | None = None
    version: str | None = None
    registry: str = REGISTRY

    def to_dict(self) -> dict[str, Any]:
        return {
            "registry": self.registry,
            "puid": self.puid,
            "name": self.name,
            "version": self.version,
        }


# The archive's format name (Sniffed.format) -> (PUID, name). The name is PRONOM's where a
# stored PRONOM page showed it, else the archive's own. Versioned formats are told below.
_BY_FORMAT: dict[str, tuple[str, str]] = {
    "TIFF": ("fmt/353", "TIFF"),
    "BigTIFF": ("fmt/1917", "BigTIFF"),
    "HEIF": ("fmt/1101", "HEIF"),
    "JPEG 2000 JP2": ("x-fmt/392", "JP2 (JPEG 2000 part 1)"),
    "Canon CR2": ("fmt/592", "Canon CR2"),
    "Canon CRW": ("fmt/593", "Canon CRW"),
    "Sony ARW": ("fmt/1127", "Sony ARW"),
    "MP4": ("fmt/199", "MPEG-4 Media File"),
    "QuickTime": ("x-fmt/384", "Quicktime"),
    "Matroska": ("fmt/569", "Matroska"),
    "AVI": ("fmt/5", "AVI"),
}
_OWN_NAMES = {"PNG": "Portable Network Graphics"}  # PRONOM's name, seen; no PUID confirmed
_JFIF = {(1, 0): "fmt/42", (1, 1): "fmt/43", (1, 2): "fmt/44"}
_GIF = {b"87a": "fmt/3", b"89a": "fmt/4"}
_WEBP = {b"VP8 ": ("fmt/566", "Lossy"), b"VP8L": ("fmt/567", "Lossless"),
         b"VP8X": ("fmt/568", "Extended")}  # fmt: skip


def format_id(sniffed: Sniffed, head: bytes) -> FormatId:
    """The PRONOM format of a file the archive has told (``sniffed``) from its first bytes."""
    name = _name(sniffed)
    if sniffed.format == "JPEG":
        return _jpeg(head)
    if sniffed.format == "GIF" and head[3:6] in _GIF:
        version = head[3:6].decode("ascii")
        return FormatId("GIF", _GIF[head[3:6]], version)
    if sniffed.format == "WebP" and head[12:16] in _WEBP:
        puid, version = _WEBP[head[12:16]]
        return FormatId("WebP", puid, version)
    if name in _BY_FORMAT:
        puid, pronom_name = _BY_FORMAT[name]
        return FormatId(pronom_name, puid)
    return FormatId(_OWN_NAMES.get(sniffed.format, sniffed.format))


def identify(path: Path) -> FormatId:
    """The PRONOM format of the file at ``path``, read from its content."""
    sniffed = sniff(path)
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    return format_id(sniffed, head)


def _name(sniffed: Sniffed) -> str:
    if sniffed.format == "JPEG 2000" and sniffed.mime == "image/jp2":
        return "JPEG 2000 JP2"  # the JP2 file format, not a bare codestream
    return sniffed.format


def _jpeg(head: bytes) -> FormatId:
    """JFIF when an APP0 'JFIF' segment opens the file, with its version; else unconfirmed."""
    if head[2:4] == b"\xff\xe0" and head[6:11] == b"JFIF\x00" and len(head) >= 13:
        version = (head[11], head[12])
        puid = _JFIF.get(version)
        if puid is not None:
            return FormatId("JPEG File Interchange Format", puid, f"{version[0]}.{version[1]:02d}")
    return FormatId("JPEG")
