"""Ingest into an archive whose originals live in a real S3 bucket (SeaweedFS on 127.0.0.1)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from archive.layout import Layout
from archive.storage import NotWriteOnce, StoreConfig, StoreError, open_store
from tests.archive.conftest import Cli, make_photo
from tests.storage.conftest import client, padded_photo, s3_archive
from tests.storage.seaweed import Seaweed


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_ingest_puts_originals_in_the_bucket_with_their_sha256(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    root = s3_archive(tmp_path / "archive", seaweed, bucket)
    small = make_photo(tmp_path / "src" / "small-single-put.jpg", size=(64, 48))
    large = padded_photo(tmp_path / "src" / "large-multipart.jpg", 6)
    assert small.stat().st_size < 64 * 1024 < large.stat().st_size
    cli = Cli(root)
    report = cli.json("ingest", str(tmp_path / "src"), "--jobs", "1")
    assert report["counts"]["added"] == 2, report
    s3 = client(seaweed)
    for photo, parts in ((small, None), (large, 2)):
        key = f"{sha(photo)[:2]}/{sha(photo)}.jpg"
        head = s3.head_object(Bucket=bucket, Key=f"originals/{key}", ChecksumMode="ENABLED")
        assert head["ContentLength"] == photo.stat().st_size
        if parts is None:  # one request: the store kept the file's own SHA-256
            digest = base64.b64decode(head["ChecksumSHA256"]).hex()
            assert digest == sha(photo)
        else:  # multipart: the hash of the parts' hashes, one per 5 MiB part
            assert head["ChecksumSHA256"].endswith(f"-{parts}")
        body = s3.get_object(Bucket=bucket, Key=f"originals/{key}")["Body"].read()
        assert body == photo.read_bytes()
    assert not any(Layout(root).originals.rglob("*.jpg")), "no local copy of the originals"
    assert any(Layout(root).derivatives.rglob("*.webp")), "derivatives are made"
    fixity = cli.json("check", "--fixity")
    assert fixity["ok"] and fixity["fixity_checked"] == 2
    assert fixity["fixity_downloaded"] == 0, "the store's checksums answer without a download"
    deep = cli.json("check", "--fixity", "--deep")
    assert deep["ok"] and deep["fixity_downloaded"] == 2


def test_the_same_bytes_again_are_a_duplicate_not_a_second_object(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    root = s3_archive(tmp_path / "archive", seaweed, bucket)
    photo = make_photo(tmp_path / "a" / "first-name.jpg")
    cli = Cli(root)
    cli.json("ingest", str(tmp_path / "a"))
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "second-name.jpg").write_bytes(photo.read_bytes())
    again = cli.json("ingest", str(tmp_path / "b"))
    assert again["counts"]["duplicate"] == 1
    listed = client(seaweed).list_objects_v2(Bucket=bucket)["Contents"]
    assert len(listed) == 1


def test_an_original_is_written_once(tmp_path: Path, seaweed: Seaweed, bucket: str) -> None:
    store = open_store(StoreConfig(f"s3://{bucket}/o/", endpoint=seaweed.endpoint))
    first = tmp_path / "first.bin"
    first.write_bytes(b"first bytes")
    other = tmp_path / "other.bin"
    other.write_bytes(b"other bytes")
    assert store.put_original("ab/key.bin", first, sha(first)).created
    assert not store.put_original("ab/key.bin", first, sha(first)).created
    with pytest.raises(NotWriteOnce, match="already holds other bytes"):
        store.put_original("ab/key.bin", other, sha(other))
    got = tmp_path / "got.bin"
    store.get("ab/key.bin", got)
    assert got.read_bytes() == b"first bytes"


def test_the_store_refuses_bytes_that_do_not_match_the_sha256(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    store = open_store(StoreConfig(f"s3://{bucket}/o/", endpoint=seaweed.endpoint))
    source = tmp_path / "changed-after-hashing.bin"
    source.write_bytes(b"the bytes that were hashed")
    digest = sha(source)
    source.write_bytes(b"the bytes that arrive")
    with pytest.raises(StoreError, match="BadDigest"):
        store.put_original("cd/changed.bin", source, digest)
    assert store.stat("cd/changed.bin") is None
