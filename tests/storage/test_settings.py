"""[storage] in archive.toml: sizes, locations, and no secrets."""

from __future__ import annotations

import pytest

from archive.errors import ConfigError
from archive.storage.settings import parse_size, storage_settings


def test_sizes_read_as_people_write_them() -> None:
    assert parse_size("10GB", "x") == 10_000_000_000
    assert parse_size("512 MiB", "x") == 512 * 1024 * 1024
    assert parse_size(4096, "x") == 4096
    with pytest.raises(ConfigError, match="cache_size must be a size"):
        parse_size("lots", "cache_size")


def test_a_secret_in_archive_toml_is_refused_with_where_it_goes() -> None:
    with pytest.raises(ConfigError, match="AWS_SECRET_ACCESS_KEY"):
        storage_settings({"originals": "s3://b/p", "aws_secret_access_key": "x"})


def test_settings_that_would_be_ignored_are_refused() -> None:
    with pytest.raises(ConfigError, match="must be a bucket"):
        storage_settings({"originals": "/media/usb/originals"})
    with pytest.raises(ConfigError, match="derivatives must be a bucket"):
        storage_settings({"derivatives": "/media/usb/derivatives"})
    with pytest.raises(ConfigError, match="at least 5MiB"):
        storage_settings({"part_size": "1MiB"})
    with pytest.raises(ConfigError, match="unknown settings: bukcet"):
        storage_settings({"bukcet": "x"})


def test_a_bucket_location_is_kept_with_one_trailing_slash() -> None:
    settings = storage_settings({"originals": "s3://pamir-originals/archive", "cache_size": "1GB"})
    assert settings.originals == "s3://pamir-originals/archive/"
    assert settings.cache_size == 1_000_000_000
    assert settings.config(settings.originals).is_s3


def test_derivatives_may_live_in_a_bucket_of_their_own() -> None:
    settings = storage_settings({"derivatives": "s3://pamir-derived/archive"})
    assert settings.derivatives == "s3://pamir-derived/archive/" and settings.originals is None
