"""What disagrees in an archive (check), and regenerating what can be derived (rebuild)."""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive import indexing
from archive.config import load
from archive.layout import Layout
from archive.records import derivative_record, item_from_result
from archive.replica import repair_advice
from archive.storage import ORIGINALS, Store, open_store, original_key, originals_config
from archive.storage.cache import cache_for
from archive.storage.derivatives import DerivativeFiles, derivatives_config
from archive.storage.fixity import State, verify
from archive.sweep import sweep
from archive.workers import (
    DeriveTask,
    IngestTask,
    derive_one,
    ingest_one,
    init_worker,
    worker_context,
)
from catalog import provenance
from catalog.models import Derivative, EventAction, Item
from catalog.store import Catalog, utc_now
from catalog.vocabulary import NAMES as VOCABULARY_FIELDS
from media.derivatives import Spec
from media.temporary import is_temporary


class ProblemKind(enum.StrEnum):
    """What kind of thing disagrees."""

    MISSING_ORIGINAL = "missing-original"
    CHANGED_ORIGINAL = "changed-original"
    MISSING_DERIVATIVE = "missing-derivative"
    STALE_DERIVATIVE = "stale-derivative"
    UNUSED_DERIVATIVE = "unused-derivative"
    ORPHAN_ORIGINAL = "orphan-original"
    ORPHAN_DERIVATIVE = "orphan-derivative"
    TEMPORARY_FILE = "temporary-file"
    INDEX_STALE = "index-stale"
    NOT_ACCEPTED = "not-accepted"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class Problem:
    """One thing that disagrees; ``repair`` names the command that mends it."""

    kind: ProblemKind
    path: str | None
    key: str | None
    detail: str
    repair: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "key": self.key,
            "detail": self.detail,
            "repair": self.repair,
        }


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[Problem, ...]
    items: int
    fixity_checked: int = 0
    fixity_downloaded: int = 0  # originals read in full to check them (the rest: checksums)
    repaired: tuple[dict[str, str], ...] = ()  # copies restored (check --fixity --repair)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": not self.problems,
            "items": self.items,
            "fixity_checked": self.fixity_checked,
            "fixity_downloaded": self.fixity_downloaded,
            "repaired": list(self.repaired),
            "problems": [p.to_dict() for p in self.problems],
        }


def find_problems(
    layout: Layout, catalog: Catalog, *, fixity: bool = False, deep: bool = False
) -> CheckReport:
    """Compare the catalogue with the folders and the store; with ``fixity`` compare every
    original with its SHA-256 (the store's checksum, or its bytes when ``deep``)."""
    settings = load(layout)
    specs = settings.specs
    downloaded = 0
    problems: list[Problem] = []
    items = catalog.items()
    derivatives = catalog.all_derivatives()
    referenced: set[str] = set()
    checked = 0
    store = open_store(originals_config(layout.root, settings.storage))
    files = DerivativeFiles(layout, settings)  # in derivatives/ or in a bucket
    advice = repair_advice(layout)
    for item in items:
        referenced.add(item.original)
        verdict = verify(
            store, original_key(item.original), item.sha256, item.size, fixity=fixity, deep=deep
        )
        if verdict.checked:
            checked += 1
            downloaded += verdict.downloaded
            with catalog.transaction():  # the history says when it was last known good
                catalog.add_event(item.key, EventAction.FIXITY, new=verdict.state.value)
        if verdict.state is not State.OK:
            kind = (
                ProblemKind.MISSING_ORIGINAL
                if verdict.state is State.MISSING
                else ProblemKind.CHANGED_ORIGINAL
            )
            problems.append(Problem(kind, item.original, item.key, verdict.detail, advice))
        problems.extend(
            _derivative_problems(files, item, derivatives.get(item.key, {}), specs, referenced)
        )
    problems.extend(_stray_files(layout, referenced))
    problems.extend(_curation_problems(catalog))
    if not indexing.is_current(layout, catalog):
        problems.append(
            Problem(
                ProblemKind.INDEX_STALE,
                layout.relative(layout.index),
                None,
                "the search index does not match the catalogue",
                "archive rebuild --index",
            )
        )
    if settings.storage.originals:
        problems.extend(_stray_objects(store, referenced))
    problems.extend(
        Problem(ProblemKind.ORPHAN_DERIVATIVE, path, None, _ORPHAN, "archive rebuild --derivatives")
        for path in files.strays(referenced)
    )
    return CheckReport(tuple(problems), len(items), checked, downloaded)


def _curation_problems(catalog: Catalog) -> list[Problem]:
    """Values a sidecar or file gave that were not accepted, and open conflicts."""
    problems = []
    for e in provenance.not_accepted(catalog.db):
        if e.field in VOCABULARY_FIELDS and "not a known term" in e.reason:
            other = "correct the sidecar" if e.origin else f"set another with --set {e.field}=…"
            repair = f"archive edit {e.key} --as-new-term {e.field}={e.value}, or {other}"
        elif e.via == "embedded":
            repair = f"archive edit {e.key} --set {e.field}=…"
        else:
            repair = f"correct {e.origin or 'the sidecar'} and ingest again"
        problems.append(Problem(ProblemKind.NOT_ACCEPTED, e.origin, e.key, e.reason, repair))
    for c in provenance.conflicts(catalog.db):
        problems.append(
            Problem(
                ProblemKind.CONFLICT,
                c.origin,
                c.key,
                f"{c.field}: the {c.source} says {c.theirs!r}, a person set another value",
                f"archive conflicts --take {c.source}|archive {c.key} {c.field}",
            )
        )
    return problems


def _derivative_problems(
    files: DerivativeFiles,
    item: Item,
    made: dict[str, Derivative],
    specs: tuple[Spec, ...],
    referenced: set[str],
) -> list[Problem]:
    problems = []
    wanted = {s.name: s for s in specs if item.kind in s.kinds}
    for name, spec in wanted.items():
        record = made.get(name)
        if record is None:
            problems.append(
                Problem(
                    ProblemKind.MISSING_DERIVATIVE,
                    None,
                    item.key,
                    f"no {name} derivative",
                    "archive rebuild --derivatives",
                )
            )
            continue
        referenced.add(record.path)
        if not files.exists(record.path):
            problems.append(
                Problem(
                    ProblemKind.MISSING_DERIVATIVE,
                    record.path,
                    item.key,
                    f"the {name} file is missing",
                    "archive rebuild --derivatives",
                )
            )
        elif record.fingerprint != spec.fingerprint():
            problems.append(
                Problem(
                    ProblemKind.STALE_DERIVATIVE,
                    record.path,
                    item.key,
                    f"the {name} spec changed since it was made",
                    "archive rebuild --derivatives",
                )
            )
    for name, record in made.items():
        if name not in wanted:
            referenced.add(record.path)
            problems.append(
                Problem(
                    ProblemKind.UNUSED_DERIVATIVE,
                    record.path,
                    item.key,
                    f"no spec named {name} any more",
                    "archive rebuild --derivatives",
                )
            )
    return problems


def _stray_files(layout: Layout, referenced: set[str]) -> list[Problem]:
    problems = []
    for folder, kind, repair in (
        (layout.originals, ProblemKind.ORPHAN_ORIGINAL, "archive rebuild (adopts it as an item)"),
        (layout.derivatives, ProblemKind.ORPHAN_DERIVATIVE, "archive rebuild --derivatives"),
    ):
        for path in sorted(_files(folder)):
            rel = layout.relative(path)
            if is_temporary(path.name):
                problems.append(
                    Problem(
                        ProblemKind.TEMPORARY_FILE,
                        rel,
                        None,
                        "left by an interrupted run",
                        "archive rebuild",
                    )
                )
            elif rel not in referenced:
                problems.append(Problem(kind, rel, None, "not in the catalogue", repair))
    return problems


_ORPHAN = "not in the catalogue"
_ADOPT = "ingest the file it came from again, or delete the object"


def _stray_objects(store: Store, referenced: set[str]) -> list[Problem]:
    """Objects in the originals' bucket that no item names."""
    return [
        Problem(ProblemKind.ORPHAN_ORIGINAL, ORIGINALS + o.key, None, _ORPHAN, _ADOPT)
        for o in store.objects()
        if ORIGINALS + o.key not in referenced
    ]


def _files(folder: Path) -> list[Path]:
    found = []
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            found.append(Path(dirpath) / name)
    return found


# -- rebuild -------------------------------------------------------------------


@dataclass(frozen=True)
class RebuildReport:
    index_items: int | None
    derivatives_made: int
    removed: tuple[str, ...]
    adopted: tuple[str, ...]
    failures: tuple[dict[str, str], ...]
    derivatives_checked: bool = False  # were the derivatives looked at (not only the index)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index_items": self.index_items,
            "derivatives_checked": self.derivatives_checked,
            "derivatives_made": self.derivatives_made,
            "removed": list(self.removed),
            "adopted": list(self.adopted),
            "failures": list(self.failures),
        }


def regenerate(
    layout: Layout,
    catalog: Catalog,
    *,
    index: bool = True,
    derivatives: bool = True,
    force: bool = False,
    jobs: int = 1,
    on_item: Callable[[str], None] | None = None,
) -> RebuildReport:
    """Regenerate what can be derived; remove what an interrupted run left behind."""
    removed: list[str] = sweep(layout)
    adopted: list[str] = []
    failures: list[dict[str, str]] = []
    made_count = 0
    if derivatives:
        adopted, adopt_failures = _adopt_orphans(layout, catalog)
        failures.extend(adopt_failures)
        made_count, derive_failures = _remake(
            layout, catalog, force=force, jobs=jobs, on_item=on_item
        )
        failures.extend(derive_failures)
        removed += _remove_strays(layout, catalog, DerivativeFiles(layout))
    count = indexing.rebuild(layout, catalog) if index or adopted else None
    return RebuildReport(
        count, made_count, tuple(removed), tuple(adopted), tuple(failures), derivatives
    )


def _remake(
    layout: Layout,
    catalog: Catalog,
    *,
    force: bool,
    jobs: int,
    on_item: Callable[[str], None] | None,
) -> tuple[int, list[dict[str, str]]]:
    settings = load(layout)
    specs = settings.specs
    existing = catalog.all_derivatives()
    cache = cache_for(layout, settings)  # originals in a bucket are read through it
    files = DerivativeFiles(layout, settings)
    bucket = None if cache.local_root else originals_config(layout.root, settings.storage)
    tasks = []
    for item in catalog.items():
        wanted = []
        for spec in specs:
            if item.kind not in spec.kinds:
                continue
            record = existing.get(item.key, {}).get(spec.name)
            if (
                force
                or record is None
                or record.fingerprint != spec.fingerprint()
                or not files.exists(record.path)
            ):
                wanted.append(spec)
        if wanted and (bucket or layout.absolute(item.original).is_file()):
            tasks.append(
                DeriveTask(
                    key=item.key,
                    sha256=item.sha256,
                    kind=item.kind,
                    original=cache.place(item.original),
                    root=layout.root,
                    specs=tuple(wanted),
                    duration=item.duration,
                    has_audio=bool(item.extra.get("has_audio")),
                    height=item.height,
                    limits=settings.limits,
                    store=bucket,
                    derivatives=files.config,
                )
            )
    made = 0
    failures = []
    for result in _run(tasks, jobs):
        cache.trim()
        if result.reason:
            failures.append({"key": result.task.key, "reason": result.reason})
            continue
        with catalog.transaction():
            for m in result.made:
                catalog.set_derivative(derivative_record(layout, result.task.key, m, utc_now()))
                made += 1
        if on_item:
            on_item(result.task.key)
    for item_key, records in existing.items():
        for name in records:
            if name not in {s.name for s in specs}:
                catalog.drop_derivative(item_key, name)
    return made, failures


def _run(tasks: list[DeriveTask], jobs: int):
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield derive_one(task)
        return
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(tasks)), mp_context=worker_context(), initializer=init_worker
    ) as pool:
        yield from pool.map(derive_one, tasks)


def _remove_strays(layout: Layout, catalog: Catalog, files: DerivativeFiles) -> list[str]:
    referenced = {
        d.path for records in catalog.all_derivatives().values() for d in records.values()
    }
    removed = files.strays(referenced)
    for path in removed:
        files.remove(path)
    for path in sorted(_files(layout.derivatives)):
        rel = layout.relative(path)
        if rel not in referenced:
            path.unlink()
            removed.append(rel)
    for path in sorted(_files(layout.originals)):
        if is_temporary(path.name):
            path.unlink()
            removed.append(layout.relative(path))
    return removed


def _adopt_orphans(layout: Layout, catalog: Catalog) -> tuple[list[str], list[dict[str, str]]]:
    """Catalogue originals that a killed run stored but did not record."""
    known = {item.original for item in catalog.items()}
    adopted: list[str] = []
    failures: list[dict[str, str]] = []
    settings = load(layout)
    init_worker(frozenset())
    for path in sorted(_files(layout.originals)):
        rel = layout.relative(path)
        if rel in known or path.name.startswith("."):
            continue
        result = ingest_one(
            IngestTask(
                file=os.fspath(path),
                root=layout.root,
                specs=settings.specs,
                size=path.stat().st_size,
                limits=settings.limits,
                derivatives=derivatives_config(settings),
            )
        )
        if result.status != "ok" or result.info is None or result.sha256 is None:
            failures.append({"path": rel, "reason": result.reason or "cannot be read"})
            continue
        if path.name.split(".")[0] != result.sha256:
            failures.append(
                {"path": rel, "reason": "its bytes do not match the SHA-256 in its name"}
            )
            continue
        with catalog.transaction():
            item = item_from_result(result, utc_now())
            catalog.add_item(item, detail={"recovered": rel})
            for m in result.made:
                catalog.set_derivative(derivative_record(layout, item.key, m, utc_now()))
        adopted.append(rel)
    return adopted, failures
