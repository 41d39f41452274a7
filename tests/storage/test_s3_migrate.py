"""`archive storage migrate`: a local archive to a bucket and back, every hash equal."""

from __future__ import annotations

import hashlib
from pathlib import Path

from archive.layout import Layout
from tests.archive.conftest import Cli, make_photo
from tests.storage.conftest import client, padded_photo, s3_archive
from tests.storage.seaweed import Seaweed


def local_originals(root: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in Layout(root).originals.rglob("*.*")
    }


def test_migrate_to_a_bucket_and_back(tmp_path: Path, seaweed: Seaweed, bucket: str) -> None:
    root = s3_archive(tmp_path / "archive", seaweed, bucket, originals=None)
    make_photo(tmp_path / "src" / "small.jpg", size=(64, 48))
    padded_photo(tmp_path / "src" / "large-multipart.jpg", 6)
    cli = Cli(root)
    cli.json("ingest", str(tmp_path / "src"), "--jobs", "1")
    before = local_originals(root)
    assert len(before) == 2 and all(name.startswith(sha) for name, sha in before.items())
    target = f"s3://{bucket}/moved/"

    there = cli.json("storage", "migrate", "--to", target)

    assert len(there["copied"]) == 2 and there["removed"] == 2
    assert not local_originals(root), "the local copies are gone once the bucket has them"
    assert f'originals = "{target}"' in (root / "archive.toml").read_text()
    listed = client(seaweed).list_objects_v2(Bucket=bucket, Prefix="moved/")["Contents"]
    assert {o["Key"].rsplit("/", 1)[1] for o in listed} == set(before)
    fixity = cli.json("check", "--fixity")
    assert fixity["ok"] and fixity["fixity_downloaded"] == 0

    again = cli.json("storage", "migrate", "--to", target)
    assert again["copied"] == [] and again["already"] == 2

    back = cli.json("storage", "migrate", "--to", "local")

    assert len(back["copied"]) == 2 and back["removed"] == 2
    assert local_originals(root) == before, "every hash equal after the round trip"
    assert "originals =" not in (root / "archive.toml").read_text()
    assert not client(seaweed).list_objects_v2(Bucket=bucket, Prefix="moved/").get("Contents")
    assert cli.json("check", "--fixity")["ok"]


def test_an_interrupted_migration_resumes_without_sending_twice(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    root = s3_archive(tmp_path / "archive", seaweed, bucket, originals=None)
    for number in range(3):
        make_photo(tmp_path / "src" / f"photo-{number}.jpg", color=(number * 80, 1, 1))
    cli = Cli(root)
    cli.json("ingest", str(tmp_path / "src"), "--jobs", "1")
    first = sorted(Layout(root).originals.rglob("*.jpg"))[0]
    key = f"moved/{first.parent.name}/{first.name}"
    # What a run stopped after its first file leaves: one verified copy, the setting unchanged.
    client(seaweed).put_object(Bucket=bucket, Key=key, Body=first.read_bytes())

    report = cli.json("storage", "migrate", "--to", f"s3://{bucket}/moved")

    assert report["already"] == 1 and len(report["copied"]) == 2
    assert cli.json("check", "--fixity")["ok"]
