"""`archive events --premis`: PREMIS 3 XML that the Library of Congress schema accepts, offline,
with every kind of preservation event the archive records."""

from __future__ import annotations

import os

import pytest
from lxml import etree

from tests.archive.conftest import REPO, Cli
from tests.archive.heritage_data import build

PREMIS_XSD = REPO.parent / "shared" / "schemas" / "premis-v3.xsd"
NS = {"premis": "http://www.loc.gov/premis/v3"}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    """The shipped XSD, parsed with the network switched off: it must import nothing."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    xsd = etree.parse(str(PREMIS_XSD), parser)
    imports = xsd.xpath(
        "//xs:import | //xs:include", namespaces={"xs": "http://www.w3.org/2001/XMLSchema"}
    )
    assert imports == []
    return etree.XMLSchema(xsd)


@pytest.fixture(scope="module")
def worked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, dict[str, str]]:
    """An archive whose history has every kind of event: ingest (with derivatives), an edit,
    a fixity check that passed and, for one damaged original, one that failed."""
    cli, keys = build(tmp_path_factory.mktemp("premis"))
    cli("edit", keys["felt-public.jpg"], "--set", "maker=Gulnora Mamadnazarova")
    damaged = next(i for i in cli.json("list") if i["key"] == keys["socks-public.jpg"])
    path = cli.archive / damaged["original"]
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x01
    path.write_bytes(bytes(data))
    cli("check", "--fixity", code=None)
    return cli, keys


def _premis(cli: Cli, *args: str) -> etree._ElementTree:
    result = cli("events", "--premis", *args)
    return etree.fromstring(result.stdout_bytes).getroottree()


def test_every_item_and_its_events_validate_against_the_premis_3_schema(worked, schema):
    cli, keys = worked
    doc = _premis(cli)
    assert schema.validate(doc), schema.error_log
    objects = doc.xpath(
        "//premis:object/premis:objectIdentifier/premis:objectIdentifierValue/text()",
        namespaces=NS,
    )
    assert sorted(objects) == sorted(keys.values())
    types = set(doc.xpath("//premis:event/premis:eventType/text()", namespaces=NS))
    assert types == {
        "ingestion",
        "message digest calculation",
        "format identification",
        "fixity check",
        "creation",
        "metadata modification",
    }


def test_fixity_outcomes_and_the_edit_are_told_as_they_happened(worked, schema):
    cli, keys = worked
    felt = _premis(cli, keys["felt-public.jpg"])
    assert schema.validate(felt), schema.error_log
    outcomes = felt.xpath(
        "//premis:event[premis:eventType='fixity check']//premis:eventOutcome/text()",
        namespaces=NS,
    )
    assert outcomes == ["pass"]
    detail = felt.xpath(
        "//premis:event[premis:eventType='metadata modification']//premis:eventDetail/text()",
        namespaces=NS,
    )
    assert detail[0] == "title_en: (none) -> 'Felt from Khorog' (by sidecar)"
    assert (
        detail[-1] == "maker: \"Women's felt group, Khorog\" -> 'Gulnora Mamadnazarova' (by edit)"
    )
    digest = felt.xpath("//premis:fixity/premis:messageDigest/text()", namespaces=NS)[0]
    item = next(i for i in cli.json("list") if i["key"] == keys["felt-public.jpg"])
    assert digest == item["sha256"]
    socks = _premis(cli, keys["socks-public.jpg"])
    failed = socks.xpath(
        "//premis:event[premis:eventType='fixity check']//premis:eventOutcome/text()",
        namespaces=NS,
    )
    assert failed == ["fail"]


def test_derivatives_are_linked_to_the_files_they_made(worked):
    cli, keys = worked
    doc = _premis(cli, keys["felt-public.jpg"])
    made = doc.xpath(
        "//premis:event[premis:eventType='creation']/premis:linkingObjectIdentifier"
        "[premis:linkingObjectRole='outcome']/premis:linkingObjectIdentifierValue/text()",
        namespaces=NS,
    )
    assert made and all((cli.archive / path).is_file() for path in made)


def test_the_plain_listing_and_json_name_the_same_events(worked):
    cli, keys = worked
    key = keys["socks-public.jpg"]
    listed = cli.json("events", key)["items"]
    assert [i["key"] for i in listed] == [key]
    types = [e["type"] for e in listed[0]["events"]]
    assert types[:3] == ["ingestion", "message digest calculation", "format identification"]
    lines = cli("events", key).stdout.splitlines()
    assert len(lines) == len(types) and "fixity check [fail]" in lines[-1]


def test_public_only_and_unknown_keys(worked):
    cli, keys = worked
    doc = _premis(cli, "--public-only")
    objects = doc.xpath("//premis:objectIdentifierValue/text()", namespaces=NS)
    assert sorted(objects) == sorted([keys["felt-public.jpg"], keys["socks-public.jpg"]])
    result = cli("events", "--premis", "ffffffffff", code=1)
    assert "ffffffffff" in result.stderr and result.stdout == ""
