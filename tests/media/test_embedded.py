"""Captions and keywords embedded in files (XMP, IPTC-IIM, Windows XP) read as exiftool does."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from media.embedded import find_xmp, parse_iptc, parse_xmp, read_embedded
from media.probe import probe

XMP = """<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
 xmlns:lr="http://ns.adobe.com/lightroom/1.0/">
 <rdf:Description rdf:about="" photoshop:City="Khorog">
  <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Felt rug</rdf:li>
   <rdf:li xml:lang="ru">Войлочный ковёр</rdf:li></rdf:Alt></dc:title>
  <dc:subject><rdf:Bag><rdf:li>felt</rdf:li><rdf:li>намад</rdf:li></rdf:Bag></dc:subject>
  <lr:hierarchicalSubject><rdf:Bag><rdf:li>Technique|felting</rdf:li></rdf:Bag>
  </lr:hierarchicalSubject>
 </rdf:Description></rdf:RDF></x:xmpmeta>"""


def test_an_xmp_packet_gives_titles_per_language_keywords_and_city():
    meta = parse_xmp(find_xmp(XMP.encode("utf-8")))
    assert meta.title == "Felt rug"
    assert dict(meta.titles) == {"x-default": "Felt rug", "ru": "Войлочный ковёр"}
    assert meta.keywords == ("felt", "намад")
    assert (meta.hierarchical, meta.city) == (("Technique|felting",), "Khorog")


def test_an_xmp_packet_in_utf16_is_decoded():
    data = b"junk" + ("\ufeff" + XMP).encode("utf-16-le") + b"junk"
    assert parse_xmp(find_xmp(data)).keywords == ("felt", "намад")


def test_a_packet_with_a_doctype_is_refused_without_expanding_entities():
    hostile = '<!DOCTYPE x [<!ENTITY e "boom">]>' + XMP.replace("Felt rug", "&e;")
    assert parse_xmp(hostile).is_empty


def _iim(*records: tuple[int, int, bytes]) -> bytes:
    return b"".join(struct.pack(">BBBH", 0x1C, r, d, len(v)) + v for r, d, v in records)


def test_iptc_text_follows_its_coded_character_set():
    latin1 = _iim((1, 90, b"\x1b-A"), (2, 120, "présentait".encode("latin-1")))
    utf8 = _iim((1, 90, b"\x1b%G"), (2, 25, "намад".encode()), (2, 25, b"felt"))
    undeclared = _iim((2, 105, "Хорог".encode()))
    assert parse_iptc(latin1).description == "présentait"
    assert parse_iptc(utf8).keywords == ("намад", "felt")
    assert parse_iptc(undeclared).headline == "Хорог"


def test_a_damaged_file_has_no_embedded_metadata(tmp_path: Path):
    broken = tmp_path / "truncated.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe1\xff\xffhttp://ns.adobe.com/xap/1.0/\x00<x:xmpmeta")
    assert read_embedded(broken, "photo").is_empty


# -- the shared corpus against exiftool's truth -------------------------------------------

_COMPARED = {
    "XMP:Title": ("xmp", "title"),
    "XMP:Description": ("xmp", "description"),
    "XMP:Subject": ("xmp", "keywords"),
    "XMP:HierarchicalSubject": ("xmp", "hierarchical"),
    "XMP:Headline": ("xmp", "headline"),
    "XMP:City": ("xmp", "city"),
    "XMP:Location": ("xmp", "location"),
    "IPTC:ObjectName": ("iptc", "title"),
    "IPTC:Caption-Abstract": ("iptc", "description"),
    "IPTC:Keywords": ("iptc", "keywords"),
    "IPTC:Headline": ("iptc", "headline"),
    "IPTC:City": ("iptc", "city"),
    "EXIF:XPTitle": ("xp", "title"),
    "EXIF:XPComment": ("xp", "description"),
    "EXIF:XPKeywords": ("xp", "keywords"),
}


def _expected(value: object) -> object:
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    text = str(value).strip()
    return text or None


def _cases(corpus: Path) -> list[tuple[str, str, object]]:
    cases = []
    for truth_file in sorted((corpus / "truth").rglob("*.json")):
        if truth_file.name.endswith(".ffprobe.json"):
            continue
        truth = json.loads(truth_file.read_text(encoding="utf-8"))[0]
        for tag, value in truth.items():
            if tag in _COMPARED:
                cases.append((truth["SourceFile"], tag, value))
    return cases


def test_embedded_captions_and_keywords_match_exiftool(corpus: Path):
    cases = _cases(corpus)
    assert len(cases) >= 40, "the corpus truth should hold many XMP, IPTC and XP tags"
    probed: dict[str, object] = {}
    wrong = []
    for source, tag, value in cases:
        if source.endswith(".psd"):  # not a format the archive takes
            continue
        if source not in probed:
            probed[source] = probe(corpus / source).embedded
        standard, name = _COMPARED[tag]
        got = getattr(getattr(probed[source], standard), name)
        wanted = _expected(value)
        if isinstance(got, tuple) and not isinstance(wanted, tuple):
            wanted = (wanted,) if wanted else ()
        if got != wanted:
            wrong.append(f"{source} {tag}: {got!r} != {wanted!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", ["windows_xp_tags.jpg"])
def test_windows_xp_tags_keep_their_emoji(corpus: Path, name: str):
    assert probe(corpus / "photos" / name).embedded.xp.description == "XP-Style Comment ⛷"
