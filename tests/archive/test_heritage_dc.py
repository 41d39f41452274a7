"""`archive metadata export --format dc-xml|omeka-csv`: Dublin Core that catalogues and Omeka S
read, public items only unless asked, Tajik text intact, never a GPS position or camera."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from lxml import etree

from archive.metadata import FIELD_COLUMNS, INFO_COLUMNS, VERSION_COLUMN
from tests.archive.conftest import Cli
from tests.archive.heritage_data import CAMERA_MODEL, GPS, RUSSIAN_TITLE, TAJIK_TITLE, build

DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_ELEMENTS = {
    "title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
    "format", "identifier", "source", "language", "relation", "coverage", "rights",
}  # fmt: skip
DCMI_TERMS = {
    "identifier", "title", "description", "creator", "contributor", "subject", "type",
    "format", "date", "spatial", "temporal", "language", "rights", "isPartOf",
}  # fmt: skip
BASE = "https://crafts.example.org/catalogue/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, dict[str, str]]:
    return build(tmp_path_factory.mktemp("dc"))


def _never_private(text: str) -> None:
    assert CAMERA_MODEL not in text and "Canon" not in text
    assert str(GPS[0]) not in text and str(GPS[1]) not in text


def test_dc_xml_has_the_public_items_as_oai_dc_records_with_languages(built, tmp_path):
    cli, keys = built
    out = tmp_path / "records.xml"
    written = cli.json("metadata", "export", str(out), "--format", "dc-xml")
    assert written["rows"] == 2 and written["format"] == "dc-xml"
    doc = etree.parse(str(out))
    records = doc.findall(f"record/{{{OAI_DC}}}dc")
    assert len(records) == 2
    for record in records:  # simple Dublin Core: the fifteen elements and nothing else
        assert {etree.QName(child).namespace for child in record} == {DC}
        assert {etree.QName(child).localname for child in record} <= DC_ELEMENTS
    ids = {r.get("identifier") for r in doc.findall("record")}
    assert ids == {keys["felt-public.jpg"], keys["socks-public.jpg"]}
    ns = {"dc": DC}
    titles = {t.get("{http://www.w3.org/XML/1998/namespace}lang"): t.text
              for t in doc.xpath("//dc:title", namespaces=ns)}  # fmt: skip
    assert titles["tg"] == TAJIK_TITLE and titles["ru"] == RUSSIAN_TITLE
    assert "Хоруғ" in doc.xpath("//dc:coverage[@xml:lang='tg']/text()", namespaces=ns)
    types = set(doc.xpath("//dc:type/text()", namespaces=ns))
    assert types == {"StillImage"}
    _never_private(out.read_text("utf-8"))


def test_all_includes_internal_and_withheld_items_but_still_no_gps(built, tmp_path):
    cli, keys = built
    out = tmp_path / "everything.xml"
    cli("metadata", "export", str(out), "--format", "dc-xml", "--all")
    ids = {r.get("identifier") for r in etree.parse(str(out)).findall("record")}
    assert ids == set(keys.values())
    _never_private(out.read_text("utf-8"))


def test_omeka_csv_columns_are_dcterms_with_languages_and_site_media_urls(built, tmp_path):
    cli, keys = built
    site = tmp_path / "site"
    cli("export", str(site))
    out = tmp_path / "omeka.csv"
    cli("metadata", "export", str(out), "--format", "omeka-csv", "--base-url", BASE)
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    assert len(body) == 2
    for name in header[:-1]:
        term, _, lang = name.removeprefix("dcterms:").partition(" @")
        assert name.startswith("dcterms:") and term in DCMI_TERMS, name
        assert lang in ("", "ru", "tg", "et")
    assert header[-1] == "Media URL"
    felt = next(r for r in body if r[0] == keys["felt-public.jpg"])
    cell = dict(zip(header, felt, strict=True))  # the first column of each header
    assert cell["dcterms:title"] == "Felt from Khorog"
    assert cell["dcterms:title @tg"] == TAJIK_TITLE
    assert cell["dcterms:creator"] == "Women's felt group, Khorog"
    assert cell["dcterms:spatial @tg"] == "Хоруғ"
    assert cell["dcterms:rights"] == "CC BY 4.0"
    subjects = [v for h, v in zip(header, felt, strict=True) if h == "dcterms:subject" and v]
    assert subjects == ["felting", "sheep wool"]
    media = felt[-1]
    assert media.startswith(BASE) and (site / media.removeprefix(BASE)).is_file()
    page = f"{BASE}items/{keys['felt-public.jpg']}/"
    assert page in felt and (site / "items" / keys["felt-public.jpg"] / "index.html").is_file()
    _never_private(out.read_text("utf-8"))


def test_omeka_csv_without_a_base_url_says_there_are_no_media_urls(built, tmp_path):
    cli, _ = built
    result = cli("metadata", "export", str(tmp_path / "o.csv"), "--format", "omeka-csv")
    assert "no --base-url" in result.stderr
    rows = list(csv.reader((tmp_path / "o.csv").open(encoding="utf-8")))
    assert all(row[-1] == "" for row in rows[1:])


def test_the_spreadsheet_export_is_unchanged_and_refuses_the_new_options(built, tmp_path):
    cli, keys = built
    cli("metadata", "export", str(tmp_path / "items.csv"))
    with (tmp_path / "items.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [*INFO_COLUMNS, *FIELD_COLUMNS, VERSION_COLUMN]
    assert len(rows) == 1 + len(keys)  # every item, as before
    result = cli("metadata", "export", str(tmp_path / "x.csv"), "--all", code=2)
    assert "--all and --base-url are for --format dc-xml or omeka-csv" in result.stderr
    assert not Path(tmp_path / "x.csv").exists()
