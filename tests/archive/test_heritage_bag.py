"""`archive bag`: bags that the Library of Congress's bagit-python and bagit-profile accept,
and that they reject once a byte changes or a file goes missing."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import bagit
import bagit_profile
import pytest
from lxml import etree

from archive.bag import PARTIAL_MARK
from archive.bagit_files import PROFILE_ID
from tests.archive.conftest import REPO, Cli
from tests.archive.heritage_data import CAMERA_MODEL, TAJIK_TITLE, build

PROFILE = REPO / "docs" / "bagit-profile.json"
PREMIS_XSD = REPO.parent / "shared" / "schemas" / "premis-v3.xsd"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, dict[str, str]]:
    return build(tmp_path_factory.mktemp("bag"))


@pytest.fixture
def own(built: tuple[Cli, dict[str, str]], tmp_path: Path) -> tuple[Cli, dict[str, str]]:
    """A copy of the archive this test may damage."""
    cli, keys = built
    shutil.copytree(cli.archive, tmp_path / "archive")
    return Cli(tmp_path / "archive"), keys


def _validate(path: Path) -> bagit.Bag:
    bag = bagit.Bag(str(path))
    bag.validate()  # raises BagValidationError
    return bag


def _profile() -> bagit_profile.Profile:
    return bagit_profile.Profile(PROFILE_ID, profile=json.loads(PROFILE.read_text("utf-8")))


def test_a_bag_is_valid_bagit_1_0_and_follows_the_projects_profile(built, tmp_path):
    cli, keys = built
    report = cli.json("bag", str(tmp_path / "bag"))
    bag = _validate(tmp_path / "bag")
    assert bag.version_info == (1, 0)
    assert report["items"] == 4 and report["payload_files"] == 5  # four originals, items.csv
    profile = _profile()
    assert profile.validate_serialization(str(tmp_path / "bag"))
    assert profile.validate(bag), [str(e) for e in profile.report.errors]
    info = bag.info
    for field in ("Source-Organization", "Bagging-Date", "Payload-Oxum", "External-Identifier"):
        assert info[field]
    assert info["BagIt-Profile-Identifier"] == PROFILE_ID
    octets = sum(p.stat().st_size for p in (tmp_path / "bag" / "data").rglob("*") if p.is_file())
    assert info["Payload-Oxum"] == f"{octets}.5"
    assert info["Bag-Size"].endswith("KB")
    assert not (tmp_path / "bag.partial").exists()


def test_the_manifest_reuses_the_archives_hashes_and_links_the_originals(built, tmp_path):
    cli, keys = built
    cli("bag", str(tmp_path / "bag"))
    listed = {item["key"]: item for item in cli.json("list")}
    manifest = (tmp_path / "bag" / "manifest-sha256.txt").read_text("utf-8").splitlines()
    by_path = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in manifest}
    for item in listed.values():
        suffix = Path(item["original"]).suffix
        path = f"data/originals/{item['sha256'][:2]}/{item['sha256']}{suffix}"
        assert by_path[path] == item["sha256"]
        original = cli.archive / item["original"]
        assert os.path.samefile(tmp_path / "bag" / path, original)  # a hard link, no copy
    rows = list(csv.DictReader((tmp_path / "bag" / "data" / "items.csv").open(encoding="utf-8")))
    assert {r["source_files"] for r in rows} == set(keys)
    assert {r["key"] for r in rows} == set(listed)


def test_a_changed_byte_and_a_missing_file_make_the_bag_invalid(own, tmp_path):
    cli, keys = own
    cli("bag", "--copy", str(tmp_path / "bag"))
    payload = sorted((tmp_path / "bag" / "data" / "originals").rglob("*.jpg"))
    for path in payload:  # copies, not links: changing them leaves the archive alone
        assert not any(os.path.samefile(path, o) for o in cli.archive.rglob("originals/*/*"))
    os.chmod(payload[0], 0o644)
    data = bytearray(payload[0].read_bytes())
    data[len(data) // 2] ^= 0x01
    payload[0].write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError) as changed:
        _validate(tmp_path / "bag")
    assert any(isinstance(d, bagit.ChecksumMismatch) for d in changed.value.details)

    cli("bag", "--copy", str(tmp_path / "bag2"))
    gone = sorted((tmp_path / "bag2" / "data" / "originals").rglob("*.jpg"))[1]
    os.chmod(gone, 0o644)
    gone.unlink()
    with pytest.raises(bagit.BagValidationError) as missing:
        _validate(tmp_path / "bag2")
    assert "Expected 5 files" in str(missing.value) and "found 4 files" in str(missing.value)


def test_public_only_and_query_choose_the_items(built, tmp_path):
    cli, keys = built
    cli("bag", "--public-only", str(tmp_path / "public"))
    rows = list(csv.DictReader((tmp_path / "public" / "data" / "items.csv").open(encoding="utf-8")))
    assert {r["source_files"] for r in rows} == {"felt-public.jpg", "socks-public.jpg"}
    cli("bag", "--query", "technique:felting", str(tmp_path / "felt"))
    rows = list(csv.DictReader((tmp_path / "felt" / "data" / "items.csv").open(encoding="utf-8")))
    assert [r["key"] for r in rows] == [keys["felt-public.jpg"]]
    _validate(tmp_path / "felt")


def test_the_metadata_carries_dublin_core_json_history_premis_and_archivematicas_csv(
    built, tmp_path
):
    cli, keys = built
    cli("bag", str(tmp_path / "bag"))
    meta = tmp_path / "bag" / "metadata"
    dc = etree.parse(str(meta / "dublin-core.xml"))
    titles = dc.xpath(
        "//dc:title[@xml:lang='tg']/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"}
    )
    assert titles == [TAJIK_TITLE]
    assert CAMERA_MODEL not in (meta / "dublin-core.xml").read_text("utf-8")
    items = json.loads((meta / "items.json").read_text("utf-8"))["items"]
    assert {i["key"] for i in items} == set(keys.values())
    assert any(i["camera_model"] == CAMERA_MODEL for i in items)  # the full record: custody
    history = json.loads((meta / "history.json").read_text("utf-8"))["history"]
    assert all(h["events"][0]["action"] == "ingested" for h in history)
    rows = list(csv.DictReader((meta / "metadata.csv").open(encoding="utf-8")))
    assert list(rows[0])[:3] == ["filename", "dc.title", "dc.creator"]
    felt = next(r for r in rows if r["dc.title"] == "Felt from Khorog")
    assert felt["filename"].startswith("data/originals/")
    assert (tmp_path / "bag" / felt["filename"]).is_file()
    assert felt["dc.creator"] == "Women's felt group, Khorog"
    schema = etree.XMLSchema(etree.parse(str(PREMIS_XSD)))
    assert schema.validate(etree.parse(str(meta / "premis.xml"))), schema.error_log


def test_an_interrupted_bag_is_never_taken_for_a_complete_one(own, tmp_path):
    cli, _ = own
    dest = tmp_path / "bag"
    # A run killed after its first original: the process dies, nothing tidies up.
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from archive.bag import bag\n"
        "from archive.layout import Layout\n"
        "def die(progress):\n"
        "    os._exit(9)\n"
        f"bag(Layout(Path({str(cli.archive)!r})), Path({str(dest)!r}), progress=die)\n"
    )
    killed = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True)
    assert killed.returncode == 9, killed.stderr
    partial = tmp_path / "bag.partial"
    assert (partial / PARTIAL_MARK).is_file() and not dest.exists()
    assert not (partial / "bagit.txt").exists()
    with pytest.raises(bagit.BagError):
        bagit.Bag(str(partial))
    # The next run clears the unfinished folder and finishes.
    cli("bag", str(dest))
    _validate(dest)
    assert not partial.exists()


def test_a_folder_that_is_not_an_unfinished_bag_is_never_cleared(built, tmp_path):
    cli, _ = built
    (tmp_path / "bag.partial").mkdir()
    (tmp_path / "bag.partial" / "notes.txt").write_text("mine", encoding="utf-8")
    result = cli("bag", str(tmp_path / "bag"), code=2)
    assert "is not an unfinished bag" in result.stderr
    assert (tmp_path / "bag.partial" / "notes.txt").read_text("utf-8") == "mine"
    (tmp_path / "taken").mkdir()  # an existing DEST is refused too
    assert "already exists" in cli("bag", str(tmp_path / "taken"), code=2).stderr
    assert list((tmp_path / "taken").iterdir()) == []


def test_verify_refuses_a_changed_original_and_a_plain_bag_shows_it_invalid(own, tmp_path):
    cli, keys = own
    item = next(i for i in cli.json("list") if i["key"] == keys["socks-public.jpg"])
    original = cli.archive / item["original"]
    os.chmod(original, 0o644)
    data = bytearray(original.read_bytes())
    data[-10] ^= 0x01  # same size: only a new hash sees it
    original.write_bytes(bytes(data))
    result = cli("bag", "--verify", str(tmp_path / "checked"), code=1)
    assert item["original"] in result.stderr and "no longer matches" in result.stderr
    assert not (tmp_path / "checked").exists() and not (tmp_path / "checked.partial").exists()
    cli("bag", str(tmp_path / "fast"))  # the stored hash is reused: the bag tells the truth
    with pytest.raises(bagit.BagValidationError):
        _validate(tmp_path / "fast")


def test_a_missing_original_stops_the_bag_with_its_path(own, tmp_path):
    cli, keys = own
    item = next(i for i in cli.json("list") if i["key"] == keys["felt-public.jpg"])
    (cli.archive / item["original"]).unlink()
    result = cli("bag", str(tmp_path / "bag"), code=1)
    assert item["original"] in result.stderr and "missing" in result.stderr
    assert "archive check" in result.stderr
    assert not (tmp_path / "bag").exists() and not (tmp_path / "bag.partial").exists()


def _bag_on(archive: Path, dest: Path, *, terminal: bool) -> str:
    """`archive bag` with stderr on a pseudo-terminal or a pipe; what stderr got."""
    import pty
    import select
    import time

    leader, follower = pty.openpty() if terminal else os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "archive.cli", "-a", str(archive), "bag", str(dest)],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        cwd=REPO,
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not select.select([leader], [], [], 1)[0]:
            continue
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes once the process has gone
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=60) == 0
    os.close(leader)
    return seen.decode("utf-8", "replace")


@pytest.mark.skipif(os.name == "nt", reason="pseudo-terminals are POSIX")
def test_progress_is_drawn_on_a_terminal_only(built, tmp_path):
    cli, _ = built
    screen = _bag_on(cli.archive, tmp_path / "shown", terminal=True)
    assert "\r4/4 originals, " in screen and "MB/s" in screen, screen
    piped = _bag_on(cli.archive, tmp_path / "piped", terminal=False)
    assert "\r" not in piped and "originals," not in piped
    assert piped.startswith("Bagged 4 items into ")
