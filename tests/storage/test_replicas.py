"""Replicas that repair: a changed and a deleted original restored from a replica in a
second folder and from one in the bucket, and a replica's damaged copy from the archive."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from archive.events import preservation_events
from archive.layout import Layout
from tests.archive.conftest import Cli, make_photo
from tests.storage.conftest import client, s3_archive
from tests.storage.seaweed import Seaweed


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("where", ["folder", "bucket"])
def test_replicas_repair_the_archive_and_the_other_way_round(
    tmp_path: Path, seaweed: Seaweed, bucket: str, where: str
) -> None:
    root = s3_archive(tmp_path / "archive", seaweed, bucket, originals=None)
    for number, name in enumerate(["changed.jpg", "deleted.jpg", "damaged-in-replica.jpg"]):
        make_photo(tmp_path / "src" / name, color=(number * 80, 30, 30))
    cli = Cli(root)
    outcomes = cli.json("ingest", str(tmp_path / "src"), "--jobs", "1")["outcomes"]
    keys = {Path(o["path"]).name: o["key"] for o in outcomes}
    items = {i["key"]: i for i in cli.json("list")}
    location = str(tmp_path / "usb-replica") if where == "folder" else f"s3://{bucket}/replica"
    cli.json("replica", "add", "second", location)

    first = cli.json("replica", "sync")
    assert [(r["copied"], r["present"]) for r in first] == [(3, 0)]
    again = cli.json("replica", "sync", "second")
    assert [(r["copied"], r["present"], r["runs"]) for r in again] == [(0, 3, 0)]
    snapshot = tmp_path / "snapshot.sqlite"
    if where == "folder":
        snapshot = tmp_path / "usb-replica" / "meta" / "catalog.sqlite"
    else:
        got = client(seaweed).get_object(Bucket=bucket, Key="replica/meta/catalog.sqlite")
        snapshot.write_bytes(got["Body"].read())
    with sqlite3.connect(snapshot) as db:
        assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 3

    layout = Layout(root)
    path = {name: layout.absolute(items[key]["original"]) for name, key in keys.items()}
    good = {name: p.read_bytes() for name, p in path.items()}
    os.chmod(path["changed.jpg"], 0o644)
    path["changed.jpg"].write_bytes(bytes(len(good["changed.jpg"])))  # same size, other bytes
    path["deleted.jpg"].unlink()
    damaged = cli.json("check", "--fixity", code=3)
    assert {p["kind"] for p in damaged["problems"]} == {"changed-original", "missing-original"}
    assert all("--repair" in p["repair"] for p in damaged["problems"])

    repaired = cli.json("check", "--fixity", "--repair")

    assert repaired["ok"], repaired["problems"]
    assert {(r["key"], r["problem"], r["from"], r["to"]) for r in repaired["repaired"]} == {
        (keys["changed.jpg"], "failed", "second", "archive"),
        (keys["deleted.jpg"], "missing", "second", "archive"),
    }
    for name in ("changed.jpg", "deleted.jpg"):
        assert path[name].read_bytes() == good[name]
    [history] = preservation_events(layout, (keys["deleted.jpg"],)).items
    assert [e.type for e in history.events][-2:] == ["fixity check", "recovery"]

    # The other way round: the replica's copy goes bad; the archive's restores it.
    name = "damaged-in-replica.jpg"
    relative = items[keys[name]]["original"].removeprefix("originals/")
    if where == "folder":
        copy = tmp_path / "usb-replica" / "originals" / relative
        os.chmod(copy, 0o644)
        copy.write_bytes(b"rotted")
    else:
        client(seaweed).put_object(Bucket=bucket, Key=f"replica/originals/{relative}", Body=b"x")
    back = cli.json("check", "--fixity", "--repair")
    assert [(r["key"], r["from"], r["to"]) for r in back["repaired"]] == [
        (keys[name], "archive", "second")
    ]
    if where == "folder":
        assert sha((tmp_path / "usb-replica" / "originals" / relative).read_bytes()) == sha(
            good[name]
        )
    else:
        body = client(seaweed).get_object(Bucket=bucket, Key=f"replica/originals/{relative}")
        assert sha(body["Body"].read()) == sha(good[name])
    assert cli.json("check", "--fixity", "--repair")["repaired"] == []
