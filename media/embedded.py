"""Captions and keywords embedded in files: XMP packets and IPTC-IIM, read from the bytes."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

# Photos are read whole (up to this much) to find an XMP packet outside the JPEG segments.
MAX_SCAN = 64 * 1024 * 1024

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC = "http://purl.org/dc/elements/1.1/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
IPTC_CORE = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
LIGHTROOM = "http://ns.adobe.com/lightroom/1.0/"
DIGIKAM = "http://www.digikam.org/ns/1.0/"

_XMP_APP1 = b"http://ns.adobe.com/xap/1.0/\x00"
_PHOTOSHOP_APP13 = b"Photoshop 3.0\x00"
_MP4_XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")


@dataclass(frozen=True)
class TextMeta:
    """What one metadata standard in a file says about it; empty where it says nothing."""

    title: str | None = None
    titles: tuple[tuple[str, str], ...] = ()  # (language, text): XMP lang-alt entries
    description: str | None = None
    descriptions: tuple[tuple[str, str], ...] = ()
    headline: str | None = None
    keywords: tuple[str, ...] = ()
    hierarchical: tuple[str, ...] = ()  # "Technique|felting", levels joined by "|"
    city: str | None = None
    location: str | None = None
    creator: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self == TextMeta()


NOTHING = TextMeta()


@dataclass(frozen=True)
class Embedded:
    """The descriptive metadata inside one file, per standard (XMP, IPTC-IIM, Windows XP)."""

    xmp: TextMeta = field(default=NOTHING)
    iptc: TextMeta = field(default=NOTHING)
    xp: TextMeta = field(default=NOTHING)

    @property
    def is_empty(self) -> bool:
        return self.xmp.is_empty and self.iptc.is_empty and self.xp.is_empty

    def merged(self) -> TextMeta:
        """One view, each value from the first standard that has it: XMP, IPTC, XP."""
        order = (self.xmp, self.iptc, self.xp)

        def first(name: str) -> object:
            return next((getattr(m, name) for m in order if getattr(m, name)), None)

        return TextMeta(
            title=first("title") or first("headline"),  # type: ignore[arg-type]
            titles=first("titles") or (),  # type: ignore[arg-type]
            description=first("description"),  # type: ignore[arg-type]
            descriptions=first("descriptions") or (),  # type: ignore[arg-type]
            headline=first("headline"),  # type: ignore[arg-type]
            keywords=first("keywords") or (),  # type: ignore[arg-type]
            hierarchical=first("hierarchical") or (),  # type: ignore[arg-type]
            city=first("city"),  # type: ignore[arg-type]
            location=first("location"),  # type: ignore[arg-type]
            creator=first("creator") or (),  # type: ignore[arg-type]
        )


def read_embedded(path: Path, kind: str) -> Embedded:
    """XMP and IPTC-IIM from a photo or video file; empty when it has none or is unreadable."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
            handle.seek(0)
            if head[:2] == b"\xff\xd8":
                return _from_jpeg(handle.read(MAX_SCAN))
            if kind == "video":
                return Embedded(xmp=parse_xmp(_xmp_from_boxes(path)))
            data = handle.read(MAX_SCAN)
    except OSError:
        return Embedded()
    return Embedded(xmp=parse_xmp(find_xmp(data)), iptc=parse_iptc(iptc_from_resources(data)))


def read_xmp_file(path: Path) -> TextMeta:
    """An XMP sidecar file (``IMG_1.xmp``, ``IMG_1.jpg.xmp``) as digiKam or Lightroom wrote it."""
    return parse_xmp(find_xmp(path.read_bytes()))


# -- finding the blocks ---------------------------------------------------------------


def _from_jpeg(data: bytes) -> Embedded:
    """Walk the JPEG segments up to the image data: APP1 XMP and APP13 Photoshop IRB."""
    xmp: str | None = None
    irb = b""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            break
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if marker in (0xDA, 0xD9):  # start of scan, end of image
            break
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        payload = data[pos + 4 : pos + 2 + length]
        if marker == 0xE1 and payload.startswith(_XMP_APP1) and xmp is None:
            xmp = _decode_packet(payload[len(_XMP_APP1) :])
        elif marker == 0xED and payload.startswith(_PHOTOSHOP_APP13):
            irb += payload[len(_PHOTOSHOP_APP13) :]
        pos += 2 + length
    return Embedded(xmp=parse_xmp(xmp), iptc=parse_iptc(iptc_from_resources(irb)))


_PACKET_STARTS = (b"<x:xmpmeta", b"<x:xapmeta", b"<rdf:RDF")
_PACKET_ENDS = {b"<x:xmpmeta": b"</x:xmpmeta>", b"<x:xapmeta": b"</x:xapmeta>"}
_PACKET_ENDS[b"<rdf:RDF"] = b"</rdf:RDF>"


def find_xmp(data: bytes | None) -> str | None:
    """The first XMP packet in ``data`` (UTF-8, UTF-16 or UTF-32), as text."""
    if not data:
        return None
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        for start in _PACKET_STARTS:
            marker = start.decode().encode(encoding)
            begin = data.find(marker)
            if begin < 0:
                continue
            end_marker = _PACKET_ENDS[start].decode().encode(encoding)
            end = data.find(end_marker, begin)
            if end < 0:
                continue
            raw = data[begin : end + len(end_marker)]
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                return raw.decode(encoding, "replace")
    return None


def _decode_packet(raw: bytes) -> str | None:
    return find_xmp(raw)


def _xmp_from_boxes(path: Path) -> str | None:
    """XMP in an MP4/MOV: a top-level ``uuid`` box, or ``moov/udta/XMP_``."""
    with open(path, "rb") as handle:
        size = path.stat().st_size
        for box, start, length in _boxes(handle, 0, size):
            if box == b"uuid" and length >= 16:
                handle.seek(start)
                if handle.read(16) == _MP4_XMP_UUID:
                    return find_xmp(handle.read(min(length - 16, MAX_SCAN)))
            elif box == b"moov":
                for inner, istart, ilength in _boxes(handle, start, start + length):
                    if inner != b"udta":
                        continue
                    for leaf, lstart, llength in _boxes(handle, istart, istart + ilength):
                        if leaf == b"XMP_":
                            handle.seek(lstart)
                            return find_xmp(handle.read(min(llength, MAX_SCAN)))
    return None


def _boxes(handle, start: int, end: int):  # type: ignore[no-untyped-def]
    """(type, payload start, payload length) of each ISO-BMFF box between two offsets."""
    pos = start
    while pos + 8 <= end:
        handle.seek(pos)
        header = handle.read(8)
        if len(header) < 8:
            return
        size, box = struct.unpack(">I4s", header)
        offset = 8
        if size == 1:
            large = handle.read(8)
            if len(large) < 8:
                return
            size = struct.unpack(">Q", large)[0]
            offset = 16
        elif size == 0:
            size = end - pos
        if size < offset:
            return
        yield box, pos + offset, size - offset
        pos += size


def iptc_from_resources(data: bytes) -> bytes | None:
    """The IPTC-IIM block (resource 0x0404) among Photoshop image resources (``8BIM``…)."""
    pos = data.find(b"8BIM\x04\x04")
    if pos < 0:
        return None
    name_len = data[pos + 6] if pos + 6 < len(data) else 0
    name_total = 1 + name_len + ((1 + name_len) % 2)  # Pascal string padded to even
    at = pos + 6 + name_total
    if at + 4 > len(data):
        return None
    size = struct.unpack(">I", data[at : at + 4])[0]
    return data[at + 4 : at + 4 + size]


# -- parsing --------------------------------------------------------------------------


def parse_xmp(packet: str | None) -> TextMeta:
    """Title, description, keywords, places and tags from an XMP packet.

    Packets with a DOCTYPE are refused, so no entity is ever expanded.
    """
    if not packet or "<!DOCTYPE" in packet.upper() or "<!ENTITY" in packet.upper():
        return NOTHING
    text = packet.lstrip("\ufeff")
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return NOTHING
    values: dict[str, list[tuple[str | None, str]]] = {}
    for description in root.iter(f"{{{RDF}}}Description"):
        for name, value in description.attrib.items():
            if not name.startswith(f"{{{RDF}}}"):
                values.setdefault(name, []).append((None, value))
        for child in description:
            values.setdefault(child.tag, []).extend(_items(child))

    def texts(ns: str, name: str) -> list[tuple[str | None, str]]:
        return [(lang, v.strip()) for lang, v in values.get(f"{{{ns}}}{name}", []) if v.strip()]

    def one(ns: str, name: str) -> str | None:
        found = texts(ns, name)
        return found[0][1] if found else None

    def alt(ns: str, name: str) -> tuple[str | None, tuple[tuple[str, str], ...]]:
        found = texts(ns, name)
        if not found:
            return None, ()
        default = next((v for lang, v in found if lang in (None, "x-default")), found[0][1])
        return default, tuple((lang or "x-default", v) for lang, v in found)

    title, titles = alt(DC, "title")
    description, descriptions = alt(DC, "description")
    hierarchical = [v for _, v in texts(LIGHTROOM, "hierarchicalSubject")]
    hierarchical += [v.replace("/", "|") for _, v in texts(DIGIKAM, "TagsList")]
    return TextMeta(
        title=title,
        titles=titles,
        description=description,
        descriptions=descriptions,
        headline=one(PHOTOSHOP, "Headline"),
        keywords=_distinct(v for _, v in texts(DC, "subject")),
        hierarchical=_distinct(hierarchical),
        city=one(PHOTOSHOP, "City"),
        location=one(IPTC_CORE, "Location"),
        creator=_distinct(v for _, v in texts(DC, "creator")),
    )


def _items(element: ET.Element) -> list[tuple[str | None, str]]:
    """The values of one XMP property: simple text, or the ``rdf:li`` of an Alt/Bag/Seq."""
    containers = [
        c for c in element if c.tag in (f"{{{RDF}}}Alt", f"{{{RDF}}}Bag", f"{{{RDF}}}Seq")
    ]
    if not containers:
        return [(element.get(XML_LANG), element.text or "")] if (element.text or "").strip() else []
    found = []
    for container in containers:
        for li in container.iter(f"{{{RDF}}}li"):
            value = li.text or li.get(f"{{{RDF}}}value") or ""
            if not value.strip():
                inner = li.find(f"{{{RDF}}}value")
                value = inner.text if inner is not None and inner.text else ""
            found.append((li.get(XML_LANG), value))
    return found


# IPTC-IIM datasets of record 2 that we keep.
_OBJECT_NAME, _KEYWORDS, _BYLINE, _CITY, _SUBLOCATION, _HEADLINE, _CAPTION = (
    5,
    25,
    80,
    90,
    92,
    105,
    120,
)


def parse_iptc(block: bytes | None) -> TextMeta:
    """Caption, headline, keywords, city and by-line from an IPTC-IIM block.

    Text is decoded as the block's coded character set says (ESC % G is UTF-8, ESC - A is
    ISO 8859-1); without one, as UTF-8 when it is valid UTF-8, else as Windows-1252.
    """
    if not block:
        return NOTHING
    records: list[tuple[int, int, bytes]] = []
    pos = 0
    while pos + 5 <= len(block) and block[pos] == 0x1C:
        record, dataset = block[pos + 1], block[pos + 2]
        length = struct.unpack(">H", block[pos + 3 : pos + 5])[0]
        pos += 5
        if length & 0x8000:  # extended dataset: the length is in the next N bytes
            count = length & 0x7FFF
            length = int.from_bytes(block[pos : pos + count], "big")
            pos += count
        records.append((record, dataset, block[pos : pos + length]))
        pos += length
    charset = next((v for r, d, v in records if (r, d) == (1, 90)), b"")

    def decode(raw: bytes) -> str:
        raw = raw.rstrip(b"\x00")
        if charset == b"\x1b%G":
            return raw.decode("utf-8", "replace")
        if charset in (b"\x1b-A", b"\x1b.A"):
            return raw.decode("latin-1")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("cp1252", "replace")

    def all_of(dataset: int) -> list[str]:
        return [decode(v).strip() for r, d, v in records if r == 2 and d == dataset]

    def one(dataset: int) -> str | None:
        return next((v for v in all_of(dataset) if v), None)

    return TextMeta(
        title=one(_OBJECT_NAME),
        description=one(_CAPTION),
        headline=one(_HEADLINE),
        keywords=_distinct(all_of(_KEYWORDS)),
        city=one(_CITY),
        location=one(_SUBLOCATION),
        creator=_distinct(all_of(_BYLINE)),
    )


def xp_meta(
    title: str | None, comment: str | None, keywords: str | None, author: str | None
) -> TextMeta:
    """Windows XP tags (already decoded from UTF-16) as TextMeta; keywords split on ``;``."""
    words = _distinct((keywords or "").split(";"))
    return TextMeta(
        title=(title or "").strip() or None,
        description=(comment or "").strip() or None,
        keywords=words,
        creator=_distinct((author or "").split(";")),
    )


def _distinct(values) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    seen: dict[str, None] = {}
    for value in values:
        text = str(value).strip()
        if text:
            seen.setdefault(text, None)
    return tuple(seen)
