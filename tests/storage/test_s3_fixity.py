"""check --fixity against the bucket: the store's checksums, downloads only where needed."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from tests.archive.conftest import Cli, make_photo
from tests.storage.conftest import client, s3_archive
from tests.storage.seaweed import Seaweed


def ingested(tmp_path: Path, seaweed: Seaweed, bucket: str, names: list[str]) -> tuple[Cli, dict]:
    root = s3_archive(tmp_path / "archive", seaweed, bucket)
    for number, name in enumerate(names):
        make_photo(tmp_path / "src" / name, size=(64, 48), color=(number * 40, 20, 20))
    cli = Cli(root)
    cli.json("ingest", str(tmp_path / "src"), "--jobs", "1")
    keys = {}
    for name in names:
        digest = hashlib.sha256((tmp_path / "src" / name).read_bytes()).hexdigest()
        keys[name] = f"originals/{digest[:2]}/{digest}.jpg"
    return cli, keys


def test_a_replaced_object_is_found_from_its_stored_checksum_without_a_download(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    cli, keys = ingested(tmp_path, seaweed, bucket, ["kept.jpg", "overwritten.jpg"])
    damaged = keys["overwritten.jpg"]
    size = client(seaweed).head_object(Bucket=bucket, Key=damaged)["ContentLength"]
    other = bytes(size)  # the same size, other bytes, sent with their own checksum
    client(seaweed).put_object(
        Bucket=bucket,
        Key=damaged,
        Body=other,
        ChecksumSHA256=base64.b64encode(hashlib.sha256(other).digest()).decode(),
    )
    report = cli.json("check", "--fixity", code=3)
    assert report["fixity_checked"] == 2 and report["fixity_downloaded"] == 0
    [problem] = report["problems"]
    assert problem["kind"] == "changed-original" and problem["path"] == damaged
    assert "store's checksum" in problem["detail"]
    assert problem["repair"] == "restore it from a backup"


def test_an_object_without_a_checksum_is_downloaded_and_rehashed(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    cli, keys = ingested(tmp_path, seaweed, bucket, ["kept.jpg", "rewritten-bare.jpg"])
    damaged = keys["rewritten-bare.jpg"]
    s3 = client(seaweed)
    size = s3.head_object(Bucket=bucket, Key=damaged)["ContentLength"]
    s3.put_object(Bucket=bucket, Key=damaged, Body=b"\xff" * size)
    report = cli.json("check", "--fixity", code=3)
    assert report["fixity_downloaded"] == 1, "only the object without a checksum was read"
    [problem] = report["problems"]
    assert problem["kind"] == "changed-original"
    assert problem["detail"] == "the original's bytes no longer match its SHA-256"


def test_a_deleted_object_is_a_missing_original_and_a_stray_one_an_orphan(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    cli, keys = ingested(tmp_path, seaweed, bucket, ["deleted.jpg"])
    s3 = client(seaweed)
    s3.delete_object(Bucket=bucket, Key=keys["deleted.jpg"])
    s3.put_object(Bucket=bucket, Key="originals/ff/stray.jpg", Body=b"stray")
    report = cli.json("check", code=3)
    kinds = {(p["kind"], p["path"]) for p in report["problems"]}
    assert kinds == {
        ("missing-original", keys["deleted.jpg"]),
        ("orphan-original", "originals/ff/stray.jpg"),
    }
