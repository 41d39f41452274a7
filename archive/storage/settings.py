"""The [storage] table of archive.toml: where originals live, and how to reach the store."""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from archive.errors import ConfigError, UsageProblem
from archive.layout import Layout
from archive.storage import MiB, StoreConfig, check_location

# Keys that would put a secret into archive.toml: refused, with where secrets go instead.
SECRETS = {"aws_access_key_id", "aws_secret_access_key", "secret", "access_key", "secret_key"}
MIN_PART = 5 * MiB  # S3 refuses smaller parts (but the last)
KEYS = {
    "originals",
    "derivatives",
    "endpoint",
    "region",
    "profile",
    "cache_size",
    "multipart_threshold",
    "part_size",
    "attempts",
}
# Where originals and derivatives live when not in a bucket, said when a folder is given.
_IN_A_FOLDER = {"originals": " (for a USB disk, add a replica)", "derivatives": ""}
_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?i?b?)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class StorageSettings:
    originals: str | None = None  # a bucket; None: the archive's originals/ folder
    derivatives: str | None = None  # a bucket; None: the archive's derivatives/ folder
    endpoint: str | None = None
    region: str | None = None
    profile: str | None = None
    cache_size: int = 10 * 1000**3
    multipart_threshold: int = 64 * MiB
    part_size: int = 16 * MiB
    attempts: int = 4

    def config(self, location: str) -> StoreConfig:
        """How to open the store at ``location`` with these settings."""
        return StoreConfig(
            location=location,
            endpoint=self.endpoint,
            region=self.region,
            profile=self.profile,
            multipart_threshold=self.multipart_threshold,
            part_size=self.part_size,
            attempts=self.attempts,
        )


def storage_settings(table: Any) -> StorageSettings:
    if not isinstance(table, dict):
        raise ConfigError("[storage] in archive.toml must be a table")
    secrets = {k for k in table if k.lower() in SECRETS}
    if secrets:
        raise ConfigError(
            f"[storage] {', '.join(sorted(secrets))}: secrets are never kept in archive.toml; "
            "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials"
        )
    unknown = set(table) - KEYS
    if unknown:
        raise ConfigError(f"[storage] has unknown settings: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name, instead in _IN_A_FOLDER.items():
        if table.get(name):
            values[name] = _location(table[name], name)
            if not values[name].startswith("s3://"):
                raise ConfigError(
                    f"[storage] {name} must be a bucket (s3://BUCKET/PREFIX); {name} in a "
                    f"folder are the archive's own {name}/{instead}"
                )
    for key in ("endpoint", "region", "profile"):
        if table.get(key):
            values[key] = str(table[key])
    for key in ("cache_size", "multipart_threshold", "part_size"):
        if key in table:
            values[key] = parse_size(table[key], f"[storage] {key}")
    if values.get("part_size", MIN_PART) < MIN_PART:
        raise ConfigError("[storage] part_size must be at least 5MiB (the S3 minimum)")
    if "attempts" in table:
        attempts = table["attempts"]
        if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 1:
            raise ConfigError(f"[storage] attempts must be a whole number, not {attempts!r}")
        values["attempts"] = attempts
    return StorageSettings(**values)


def parse_size(value: Any, where: str) -> int:
    """Bytes from a number or text such as "10GB", "512 MiB", "64KiB"."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _SIZE.fullmatch(value) if isinstance(value, str) else None
    if match is None or float(match.group(1)) <= 0:
        raise ConfigError(f"{where} must be a size such as 10GB or 512MiB, not {value!r}")
    unit = match.group(2).lower()
    base = 1024 if "i" in unit else 1000
    power = " kmgt".index(unit[0]) if unit and unit[0] in "kmgt" else 0
    return int(float(match.group(1)) * base**power)


def _location(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"[storage] {key} must be text (s3://bucket/prefix or a folder)")
    try:
        return check_location(value)
    except UsageProblem as exc:
        raise ConfigError(f"[storage] {key}: {exc}") from exc


def set_originals(layout: Layout, location: str | None) -> None:
    """Write ``[storage] originals`` into archive.toml (None: the archive's own folder),
    keeping every other line, comment and setting as it was."""
    path = layout.config
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "[storage]"), None)
    if start is None:
        lines += ["", "[storage]"]
        start = len(lines) - 1
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines)
    )
    kept = [line for line in lines[start + 1 : end] if not re.match(r"\s*originals\s*=", line)]
    if location is not None:
        kept.insert(0, f"originals = {json.dumps(location)}")
    text = "\n".join([*lines[: start + 1], *kept, *lines[end:]]) + "\n"
    stored = (tomllib.loads(text).get("storage") or {}).get("originals")
    if stored != location:
        raise ConfigError(f"{path}: [storage] originals could not be set to {location}")
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
