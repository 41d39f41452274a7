"""`archive oai`: a real OAI-PMH server on 127.0.0.1 that Sickle harvests through resumption
tokens, by GET and POST, with Tajik text intact and only public items."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from sickle import Sickle
from sickle.oaiexceptions import (
    BadResumptionToken,
    CannotDisseminateFormat,
    IdDoesNotExist,
    NoRecordsMatch,
)

from tests.archive.conftest import REPO, Cli
from tests.archive.heritage_data import CAMERA_MODEL, TAJIK_TITLE, build
from tests.conftest import skip_unless_ci

OAI = {"oai": "http://www.openarchives.org/OAI/2.0/"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, dict[str, str]]:
    cli, keys = build(tmp_path_factory.mktemp("oai"))
    cli("collection", "create", "felt-works", "--title", "en=Felt works")
    cli("collection", "add", "felt-works", keys["felt-public.jpg"], keys["portrait-internal.jpg"])
    return cli, keys


class Server:
    """`archive oai` in its own process, on a free port of 127.0.0.1."""

    def __init__(self, archive: Path, page_size: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "archive.cli", "-a", str(archive), "oai", "--port", "0",
             "--page-size", str(page_size)],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert self.process.stderr is not None
        line = self.process.stderr.readline()  # blocks until it listens, or ends on failure
        found = re.search(r"http://127\.0\.0\.1:\d+/oai", line)
        assert found, f"no URL in {line!r}"
        self.url = found.group()

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        _, rest = self.process.communicate(timeout=20)
        return self.process.returncode, rest


@pytest.fixture(scope="module")
def server(built: tuple[Cli, dict[str, str]]) -> Iterator[Server]:
    if os.name == "nt":  # pragma: no cover - SIGINT to a child is POSIX
        skip_unless_ci("the test stops the server with SIGINT, which Windows has not")
    running = Server(built[0].archive, page_size=1)
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait(timeout=10)


def _get(url: str, **params: str) -> etree._Element:
    with urllib.request.urlopen(f"{url}?{urllib.parse.urlencode(params)}", timeout=10) as reply:
        assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/xml")
        return etree.fromstring(reply.read())


def test_sickle_harvests_every_public_record_through_resumption_tokens(built, server):
    cli, keys = built
    first = _get(server.url, verb="ListRecords", metadataPrefix="oai_dc")
    token = first.find(".//oai:resumptionToken", OAI)
    assert token is not None and token.text and token.get("completeListSize") == "2"
    for method in ("GET", "POST"):
        records = list(Sickle(server.url, http_method=method).ListRecords(metadataPrefix="oai_dc"))
        identifiers = {r.header.identifier for r in records}
        assert identifiers == {
            f"oai:pamir-craft-archive:{keys['felt-public.jpg']}",
            f"oai:pamir-craft-archive:{keys['socks-public.jpg']}",
        }, method
        titles = [t for r in records for t in r.metadata.get("title", [])]
        assert TAJIK_TITLE in titles
        assert all(CAMERA_MODEL not in r.raw for r in records)
    listed = list(Sickle(server.url).ListIdentifiers(metadataPrefix="oai_dc"))
    assert len(listed) == 2


def test_the_six_verbs(built, server):
    cli, keys = built
    sickle = Sickle(server.url)
    identify = sickle.Identify()
    assert identify.protocolVersion == "2.0" and identify.baseURL == server.url
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    formats = [f.metadataPrefix for f in sickle.ListMetadataFormats()]
    assert formats == ["oai_dc"]
    sets = {s.setSpec for s in sickle.ListSets()}
    assert sets == {"felt-works"}
    in_set = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="felt-works"))
    assert [h.identifier for h in in_set] == [f"oai:pamir-craft-archive:{keys['felt-public.jpg']}"]
    record = sickle.GetRecord(
        identifier=f"oai:pamir-craft-archive:{keys['felt-public.jpg']}", metadataPrefix="oai_dc"
    )
    assert TAJIK_TITLE in record.metadata["title"]
    with pytest.raises(IdDoesNotExist):  # an internal item is not there
        sickle.GetRecord(
            identifier=f"oai:pamir-craft-archive:{keys['portrait-internal.jpg']}",
            metadataPrefix="oai_dc",
        )


def test_from_until_and_errors(server):
    sickle = Sickle(server.url)
    assert len(list(sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2000-01-01"}))) == 2
    with pytest.raises(NoRecordsMatch):
        list(sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2999-01-01"}))
    with pytest.raises(NoRecordsMatch):
        list(sickle.ListIdentifiers(metadataPrefix="oai_dc", until="2001-01-01T00:00:00Z"))
    with pytest.raises(CannotDisseminateFormat):
        list(sickle.ListRecords(metadataPrefix="marc21"))
    with pytest.raises(BadResumptionToken):
        list(sickle.ListRecords(resumptionToken="not-a-token"))
    assert _get(server.url, verb="Harvest").find("oai:error", OAI).get("code") == "badVerb"
    bad = _get(server.url, verb="ListRecords")
    assert bad.find("oai:error", OAI).get("code") == "badArgument"
    assert bad.find("oai:request", OAI).attrib == {}


def test_ctrl_c_stops_the_server(built):
    running = Server(built[0].archive, page_size=10)
    assert _get(running.url, verb="Identify").find(".//oai:repositoryName", OAI) is not None
    code, stderr = running.stop()
    assert code == 0 and "Stopped." in stderr
    deadline = time.monotonic() + 5
    with pytest.raises(OSError):
        while time.monotonic() < deadline:
            _get(running.url, verb="Identify")
