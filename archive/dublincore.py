"""An item as Dublin Core: language-tagged values of the fifteen elements, and oai_dc XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from catalog.models import Item
from catalog.vocabulary import Term, Vocabularies

DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
ET.register_namespace("dc", DC_NS)
ET.register_namespace("oai_dc", OAI_DC_NS)
ET.register_namespace("xsi", XSI_NS)

# The DCMI Type of each kind of item.
DCMI_TYPES = {"photo": "StillImage", "video": "MovingImage"}
# Vocabulary fields that describe what an item shows: all are dc:subject.
SUBJECT_FIELDS = ("technique", "material", "object_type", "process_step")
LANGUAGES = ("en", "ru", "tg")


@dataclass(frozen=True)
class DcValue:
    """One value of one element; ``refinement`` names the DCMI term it is more exactly."""

    element: str  # one of the fifteen: title, creator, subject, …
    value: str
    lang: str | None = None  # a BCP 47 tag, None when the language is not known
    refinement: str | None = None  # dcterms name: spatial, created, isPartOf, …

    @property
    def term(self) -> str:
        """The DCMI term this value is filed under (``spatial`` rather than ``coverage``)."""
        return self.refinement or self.element

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "lang": self.lang, "term": self.term}


@dataclass(frozen=True)
class DcRecord:
    """What Dublin Core says of one item (never its GPS position or camera)."""

    key: str
    datestamp: str  # when the record last changed (UTC, ISO 8601)
    values: tuple[DcValue, ...]

    def of(self, term: str) -> list[DcValue]:
        """The values filed under a DCMI term or element, in order."""
        return [v for v in self.values if v.term == term or v.element == term]

    def first(self, term: str, lang: str = "en") -> str | None:
        """One value of ``term``: in ``lang`` if there is one, else the first."""
        found = self.of(term)
        chosen = next((v for v in found if v.lang == lang), found[0] if found else None)
        return chosen.value if chosen else None

    def to_dict(self) -> dict[str, Any]:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for value in self.values:
            grouped.setdefault(value.element, []).append(value.to_dict())
        return {"key": self.key, "datestamp": self.datestamp, "dc": grouped}


def describe(item: Item, vocabularies: Vocabularies, *, url: str | None = None) -> DcRecord:
    """The Dublin Core record of an item; ``url`` is its page on the published site."""
    values: list[DcValue] = []
    values += _texts("title", item.texts("title"))
    values += _texts("description", item.texts("description"))
    if item.maker:
        values.append(DcValue("creator", item.maker))
    if item.photographer:
        values.append(DcValue("contributor", item.photographer))
    for name in SUBJECT_FIELDS:
        for raw in getattr(item, name):
            values += _term_values("subject", vocabularies[name], raw)
    values += [DcValue("subject", word) for word in item.keywords]
    if item.taken_at:
        values.append(DcValue("date", item.taken_at[:10], refinement="created"))
    values.append(DcValue("type", DCMI_TYPES.get(item.kind, item.kind)))
    values.append(DcValue("format", item.mime))
    values.append(DcValue("identifier", item.key))
    values.append(DcValue("identifier", f"urn:sha256:{item.sha256}"))
    if url:
        values.append(DcValue("identifier", url))
    if item.place:
        values += _term_values("coverage", vocabularies["place"], item.place, "spatial")
    if item.event:
        values.append(DcValue("coverage", item.event, refinement="temporal"))
    if item.language:
        values.append(DcValue("language", item.language))
    if item.rights:
        values.append(DcValue("rights", item.rights))
    for slug in item.collections:
        values.append(DcValue("relation", slug, refinement="isPartOf"))
    return DcRecord(item.key, item.updated_at or item.ingested_at or "", tuple(values))


def _texts(element: str, texts: dict[str, str]) -> list[DcValue]:
    return [
        DcValue(element, text.strip(), None if lang == "und" else lang)
        for lang, text in texts.items()
        if text and text.strip()
    ]


def _term_values(
    element: str, vocabulary: Any, raw: str, refinement: str | None = None
) -> list[DcValue]:
    """A vocabulary value as its label in each language (or as written, if it names no term)."""
    term: Term | None = vocabulary.get(str(raw)) or vocabulary.find(str(raw))
    if term is None:
        return [DcValue(element, str(raw), None, refinement)]
    found = [
        DcValue(element, term.labels[lang], lang, refinement)
        for lang in LANGUAGES
        if term.labels.get(lang)
    ]
    return found or [DcValue(element, term.slug, None, refinement)]


def oai_dc(record: DcRecord) -> ET.Element:
    """The record as one ``<oai_dc:dc>`` element (the schema OAI-PMH harvesters read)."""
    root = ET.Element(
        f"{{{OAI_DC_NS}}}dc", {f"{{{XSI_NS}}}schemaLocation": f"{OAI_DC_NS} {OAI_DC_SCHEMA}"}
    )
    for value in record.values:
        node = ET.SubElement(root, f"{{{DC_NS}}}{value.element}")
        node.text = value.value
        if value.lang:
            node.set(XML_LANG, value.lang)
    return root


def dc_xml_chunks(records: Iterable[DcRecord]) -> Iterator[bytes]:
    """A file of oai_dc records, written a record at a time: ``<records>`` around them."""
    yield b'<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        f'<records xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}" xmlns:xsi="{XSI_NS}">\n'
    ).encode()
    for record in records:
        element = ET.Element("record", {"identifier": record.key, "datestamp": record.datestamp})
        element.append(oai_dc(record))
        ET.indent(element, level=1)
        text = ET.tostring(element, encoding="unicode")
        yield ("  " + _drop_declarations(text) + "\n").encode("utf-8")
    yield b"</records>\n"


def _drop_declarations(text: str) -> str:
    """Namespace declarations repeated on every record are declared once, on ``<records>``."""
    for prefix, uri in (("oai_dc", OAI_DC_NS), ("dc", DC_NS), ("xsi", XSI_NS)):
        text = text.replace(f' xmlns:{prefix}="{uri}"', "")
    return text
