"""Replicas of the archive: where they are (replicas.toml), and what check advises."""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from archive.config import load
from archive.errors import ConfigError, UsageProblem
from archive.layout import Layout
from archive.storage import Store, check_location, open_store, original_key, originals_config
from archive.storage.fixity import State, verify
from archive.storage.migrate import copy_original, is_copy
from catalog.models import EventAction
from catalog.store import Catalog

if TYPE_CHECKING:
    from archive.check import CheckReport

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


@dataclass(frozen=True)
class Replica:
    name: str
    location: str  # s3://bucket/prefix/ or an absolute folder

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "location": self.location}


def replicas_file(layout: Layout) -> Path:
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


def part_of(location: str, name: str) -> str:
    """The location of ``name`` (originals, runs…) inside a replica's location."""
    if location.startswith("s3://"):
        return location.rstrip("/") + f"/{name}/"
    return str(Path(location) / name)


def replica_store(layout: Layout, replica: Replica, name: str = "originals") -> Store:
    return open_store(load(layout).storage.config(part_of(replica.location, name)))


def named(layout: Layout, name: str | None) -> tuple[Replica, ...]:
    """The replica called ``name`` (all of them when None); UsageProblem when unknown."""
    known = replicas(layout)
    if name is None:
        if not known:
            raise UsageProblem("no replicas yet; add one with `archive replica add NAME LOCATION`")
        return known
    chosen = tuple(r for r in known if r.name == name)
    if not chosen:
        raise UsageProblem(f"no replica named {name}; `archive replica list` shows them")
    return chosen


# -- repair -----------------------------------------------------------------------


@dataclass(frozen=True)
class Repair:
    key: str
    path: str
    problem: str  # "missing" or "failed" (changed bytes)
    source: str  # "archive" or a replica's name
    target: str

    def to_dict(self) -> dict[str, str]:
        return {
            "key": self.key,
            "path": self.path,
            "problem": self.problem,
            "from": self.source,
            "to": self.target,
        }


def repair(layout: Layout, catalog: Catalog, report: CheckReport, *, deep: bool) -> CheckReport:
    """Restore each changed or missing original from a replica whose copy matches its
    SHA-256, and each replica's changed or missing copy from the archive; every repair is
    an event in the item's history. Problems repaired leave the report."""
    from archive.check import ProblemKind

    settings = load(layout)
    primary = open_store(originals_config(layout.root, settings.storage))
    kinds = {ProblemKind.MISSING_ORIGINAL: "missing", ProblemKind.CHANGED_ORIGINAL: "failed"}
    damaged = {p.key: p for p in report.problems if p.kind in kinds and p.key}
    stores = [(r.name, replica_store(layout, r)) for r in replicas(layout)]
    repairs: list[Repair] = []
    for item in catalog.items():
        key = original_key(item.original)
        problem = damaged.get(item.key)
        if problem is not None:
            for name, store in stores:
                if is_copy(store, key, item.sha256, item.size):
                    copy_original(layout, store, primary, key, item.sha256, replace=True)
                    repairs.append(
                        Repair(item.key, item.original, kinds[problem.kind], name, "archive")
                    )
                    break
            continue
        for name, store in stores:  # the other way round: the archive's copy is good
            verdict = verify(store, key, item.sha256, item.size, fixity=True, deep=deep)
            if verdict.state is not State.OK:
                copy_original(layout, primary, store, key, item.sha256, replace=True)
                repairs.append(
                    Repair(item.key, item.original, verdict.state.value, "archive", name)
                )
    for done in repairs:
        with catalog.transaction():
            catalog.add_event(
                done.key,
                EventAction.REPAIRED,
                old=done.problem,
                new="restored",
                detail={"from": done.source, "to": done.target, "path": done.path},
            )
    fixed = {r.key for r in repairs if r.target == "archive"}
    left = tuple(p for p in report.problems if not (p.kind in kinds and p.key in fixed))
    return replace(report, problems=left, repaired=tuple(r.to_dict() for r in repairs))
