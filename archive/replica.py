"""Replicas of the archive: where they are (replicas.toml), and what check advises."""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass

from archive.errors import ConfigError, UsageProblem
from archive.layout import Layout
from archive.storage import check_location

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


@dataclass(frozen=True)
class Replica:
    name: str
    location: str  # s3://bucket/prefix/ or an absolute folder

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "location": self.location}


def replicas_file(layout: Layout):
    return layout.root / "replicas.toml"


def replicas(layout: Layout) -> tuple[Replica, ...]:
    """The replicas named in the archive's replicas.toml (none when it is absent)."""
    path = replicas_file(layout)
    if not path.is_file():
        return ()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    table = data.get("replicas") or {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [replicas] must be a table of NAME = LOCATION")
    return tuple(Replica(str(k), check_location(str(v))) for k, v in table.items())


def add_replica(layout: Layout, name: str, location: str) -> Replica:
    """Name a new replica (a folder, such as a USB disk, or a bucket)."""
    layout.require()
    if not _NAME.fullmatch(name):
        raise UsageProblem(f"{name!r}: a replica's name is lower-case letters, digits, - and _")
    replica = Replica(name, check_location(location))
    if not replica.location.startswith("s3://"):
        inside = os.path.commonpath([replica.location, str(layout.root)])
        if inside == str(layout.root):
            raise UsageProblem(f"{location}: a replica cannot be inside the archive itself")
    known = {r.name: r for r in replicas(layout)}
    if name in known:
        raise UsageProblem(f"a replica named {name} exists already ({known[name].location})")
    known[name] = replica
    lines = ["# Replicas of this archive, written by `archive replica add`.", "[replicas]"]
    lines += [f"{json.dumps(r.name)} = {json.dumps(r.location)}" for r in known.values()]
    path = replicas_file(layout)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return replica


def repair_advice(layout: Layout) -> str:
    """What check advises for a missing or changed original."""
    if replicas(layout):
        return "archive check --fixity --repair (restores it from a replica)"
    return "restore it from a backup"
