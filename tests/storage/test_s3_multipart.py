"""A multipart upload killed part-way resumes where it stopped, and the object is whole."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from archive.storage import StoreConfig, open_store
from tests.storage.conftest import client
from tests.storage.seaweed import Seaweed

KILLED_AFTER = 2


@pytest.mark.skipif(os.name == "nt", reason="the upload process kills itself with SIGKILL")
def test_an_interrupted_multipart_upload_is_resumed(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    video = tmp_path / "field-office-upload.mp4"
    video.write_bytes(os.urandom(11 * 1024 * 1024))  # three parts of 5 MiB at most
    digest = hashlib.sha256(video.read_bytes()).hexdigest()
    config = StoreConfig(
        f"s3://{bucket}/originals/",
        endpoint=seaweed.endpoint,
        multipart_threshold=64 * 1024,
        part_size=5 * 1024 * 1024,
    )
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from archive.storage import StoreConfig, open_store
        def after(done, total):
            if done == {KILLED_AFTER}:
                os.kill(os.getpid(), signal.SIGKILL)  # the link drops: nothing tidies up
        store = open_store(StoreConfig(**{config.__dict__!r}))
        store.put_original("ab/video.mp4", Path({str(video)!r}), {digest!r}, on_part=after)
        """
    )
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert killed.returncode == -9, killed.stderr.decode()
    s3 = client(seaweed)
    [upload] = s3.list_multipart_uploads(Bucket=bucket)["Uploads"]
    parts = s3.list_parts(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])
    assert len(parts["Parts"]) == KILLED_AFTER
    store = open_store(config)
    assert store.stat("ab/video.mp4") is None, "no object before the upload completes"

    result = store.put_original("ab/video.mp4", video, digest)

    assert (result.created, result.parts, result.parts_reused) == (True, 3, KILLED_AFTER)
    assert store.hash("ab/video.mp4") == digest
    assert store.stat("ab/video.mp4").verified_sha256 == digest
    assert not s3.list_multipart_uploads(Bucket=bucket).get("Uploads")
