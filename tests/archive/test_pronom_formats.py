"""PRONOM format identification at archive level: recorded at ingest, shown by `archive show`,
written into PREMIS as formatRegistry (still valid PREMIS 3), and read from the original for
items ingested before formats were identified."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from lxml import etree

from tests.archive.conftest import Cli
from tests.archive.test_heritage_premis import NS, schema  # noqa: F401  (the fixture)

JFIF = {"registry": "PRONOM", "puid": "fmt/43", "name": "JPEG File Interchange Format",
        "version": "1.01"}  # fmt: skip
PNG = {"registry": "PRONOM", "puid": None, "name": "Portable Network Graphics", "version": None}


@pytest.fixture
def ingested(cli: Cli, data_dir: Path, tmp_path: Path) -> tuple[Cli, dict[str, str]]:
    source = tmp_path / "field"
    source.mkdir()
    for name in ("camera-canon-40d.jpg", "png-with-exif.png"):
        shutil.copy(data_dir / name, source / name)
    cli("ingest", str(source), "--jobs", "1")
    keys = {Path(i["source_paths"][0]).name: i["key"] for i in cli.json("list")}
    return cli, keys


def _premis(cli: Cli) -> etree._ElementTree:
    return etree.fromstring(cli("events", "--premis").stdout_bytes).getroottree()


def _format_of(doc: etree._ElementTree, key: str) -> etree._Element:
    found = doc.xpath(
        f"//premis:object[premis:objectIdentifier/premis:objectIdentifierValue='{key}']"
        "/premis:objectCharacteristics/premis:format",
        namespaces=NS,
    )
    assert len(found) == 1
    return found[0]


def test_ingest_records_the_format_and_show_gives_it(ingested):
    cli, keys = ingested
    shown = cli.json("show", keys["camera-canon-40d.jpg"])
    assert shown["format_id"] == JFIF
    assert shown["extra"]["format_id"] == JFIF
    assert shown["extra"]["format"] == "JPEG"  # kept as it was
    assert cli.json("show", keys["png-with-exif.png"])["format_id"] == PNG
    text = cli("show", keys["camera-canon-40d.jpg"]).stdout
    assert "format id      PRONOM fmt/43  JPEG File Interchange Format 1.01" in text


def test_premis_names_the_pronom_key_and_still_validates(ingested, schema):  # noqa: F811
    cli, keys = ingested
    doc = _premis(cli)
    assert schema.validate(doc), schema.error_log
    jpeg = _format_of(doc, keys["camera-canon-40d.jpg"])
    assert jpeg.xpath("premis:formatRegistry/premis:formatRegistryName/text()", namespaces=NS) == [
        "PRONOM"
    ]
    assert jpeg.xpath("premis:formatRegistry/premis:formatRegistryKey/text()", namespaces=NS) == [
        "fmt/43"
    ]
    assert jpeg.xpath("premis:formatDesignation/premis:formatVersion/text()", namespaces=NS) == [
        "1.01"
    ]
    png = _format_of(doc, keys["png-with-exif.png"])
    assert png.xpath("premis:formatRegistry", namespaces=NS) == []  # no PUID confirmed
    assert png.xpath("premis:formatDesignation/premis:formatName/text()", namespaces=NS) == [
        "Portable Network Graphics"
    ]


def test_an_item_ingested_before_gets_its_format_when_read(ingested, schema):  # noqa: F811
    cli, keys = ingested
    key = keys["camera-canon-40d.jpg"]
    with sqlite3.connect(cli.archive / "catalog.sqlite") as db:
        (extra,) = db.execute("SELECT extra FROM items WHERE key = ?", (key,)).fetchone()
        old = json.loads(extra)
        del old["format_id"]
        db.execute("UPDATE items SET extra = ? WHERE key = ?", (json.dumps(old), key))
    assert cli.json("show", key)["format_id"] == JFIF
    doc = _premis(cli)
    assert schema.validate(doc), schema.error_log
    registry = _format_of(doc, key).xpath(
        "premis:formatRegistry/premis:formatRegistryKey/text()", namespaces=NS
    )
    assert registry == ["fmt/43"]
    with sqlite3.connect(cli.archive / "catalog.sqlite") as db:  # read, never written back
        (extra,) = db.execute("SELECT extra FROM items WHERE key = ?", (key,)).fetchone()
    assert "format_id" not in json.loads(extra)


def test_the_bag_premis_and_items_json_carry_the_format(ingested, tmp_path, schema):  # noqa: F811
    cli, keys = ingested
    cli("bag", str(tmp_path / "bag"))
    metadata = next((tmp_path / "bag").rglob("premis.xml")).parent
    doc = etree.parse(str(metadata / "premis.xml"))
    assert schema.validate(doc), schema.error_log
    registry = _format_of(doc, keys["camera-canon-40d.jpg"]).xpath(
        "premis:formatRegistry/premis:formatRegistryKey/text()", namespaces=NS
    )
    assert registry == ["fmt/43"]
    items = json.loads((metadata / "items.json").read_text(encoding="utf-8"))["items"]
    by_key = {i["key"]: i for i in items}
    assert by_key[keys["camera-canon-40d.jpg"]]["extra"]["format_id"] == JFIF
