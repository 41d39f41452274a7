"""Ingest: discover, identify, probe, store, record, derive, index, report."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from archive import access, indexing, merge
from archive.config import Settings, load
from archive.discover import Found, Unreadable, discover, display_path
from archive.layout import Layout
from archive.outcomes import FileOutcome, IngestReport, Outcome
from archive.records import derivative_record, item_from_result
from archive.runlog import RunLog
from archive.sidecars import SidecarError, fields_from_meta, read_sidecars, sidecars_for
from archive.storage.derivatives import derivatives_config
from archive.sweep import sweep
from archive.terms import vocabularies
from archive.workers import IngestResult, IngestTask, ingest_one, init_worker, worker_context
from catalog import collections
from catalog.fields import collection_slug
from catalog.store import Catalog, utc_now

BATCH = 50
SIDECAR_CACHE = 256  # sets of sidecar files kept read

__all__ = ["FileOutcome", "IngestReport", "Outcome", "Progress", "ingest"]


@dataclass
class Progress:
    """Counts handed to the progress callback as work goes on."""

    total_files: int = 0
    total_bytes: int = 0
    done_files: int = 0
    done_bytes: int = 0
    counts: dict[str, int] = field(default_factory=dict)


ProgressCallback = Callable[[Progress, FileOutcome], None]


def ingest(
    layout: Layout,
    sources: list[Path],
    *,
    jobs: int | None = None,
    dry_run: bool = False,
    wait: float = 0.0,
    on_outcome: ProgressCallback | None = None,
) -> IngestReport:
    """Bring ``sources`` into the archive; one outcome per file, never stopping at a bad one."""
    if dry_run:
        if not layout.exists():
            return _dry_run(layout, sources, None, load(layout))
        with access.reading(layout) as catalog:
            return _dry_run(layout, sources, catalog, load(layout))
    with access.writing(layout, "ingest", wait=wait, create=True) as catalog:
        settings = load(layout)
        run = _Run(layout, settings, catalog, jobs or os.cpu_count() or 1, on_outcome)
        return run.execute(sources)


class _Run:
    """One ingest run: the main process records; workers do the heavy lifting."""

    def __init__(
        self,
        layout: Layout,
        settings: Settings,
        catalog: Catalog,
        jobs: int,
        on_outcome: ProgressCallback | None,
    ) -> None:
        self.layout = layout
        self.settings = settings
        self.catalog = catalog
        self.jobs = max(1, jobs)
        self.on_outcome = on_outcome
        self.failures: list[FileOutcome] = []
        self.noted: list[FileOutcome] = []
        self.progress = Progress()
        self.log = RunLog(layout.runs, "ingest")
        self.sidecar_cache: dict[str, Any] = {}
        self.changed: set[str] = set()
        self.terms = vocabularies(layout)
        location = settings.storage.originals  # None: the archive's own originals/ folder
        self.store = settings.storage.config(location) if location else None
        self.derivatives = derivatives_config(settings)  # None: the archive's derivatives/

    def execute(self, sources: list[Path]) -> IngestReport:
        try:
            swept = sweep(self.layout)  # what killed runs left half-written
            if swept:
                self.log.write({"event": "swept", "paths": swept})
            indexing.ensure_current(self.layout, self.catalog)
            tasks = self._plan(sources)
            self.progress.total_files = self.progress.done_files + len(tasks)
            self.progress.total_bytes = sum(t.size for t in tasks)
            self._run_tasks(tasks)
            self._flush_index()
        finally:
            self.log.close({"counts": self._counts()})
        return IngestReport(
            run_log=self.layout.relative(self.log.path),
            archive=str(self.layout.root),
            tally=tuple(sorted(self.progress.counts.items())),
            failures=tuple(self.failures),
            noted=tuple(self.noted),
        )

    # -- discover and identify ----------------------------------------------
    def _plan(self, sources: list[Path]) -> list[IngestTask]:
        """Files to hand to the workers; unchanged and unreadable ones are reported here."""
        known = self.catalog.sources()
        tasks: list[IngestTask] = []
        threads = 0 if self.jobs == 1 else max(1, (os.cpu_count() or 1) // self.jobs)
        for found in discover(sources, self.settings.ignore, skip=self.layout.root.absolute()):
            if isinstance(found, Unreadable):
                self._report(display_path(found.path), Outcome.FAILED, reason=found.reason)
                continue
            shown = display_path(found.path)
            try:
                stat = found.path.stat()
            except OSError as exc:
                self._report(shown, Outcome.FAILED, reason=f"cannot be read: {exc.strerror or exc}")
                continue
            if stat.st_size == 0:
                self._report(shown, Outcome.FAILED, reason="empty file (0 bytes)")
                continue
            record = known.get(shown)
            if (
                record is not None
                and record.key is not None
                and record.size == stat.st_size
                and record.mtime_ns == stat.st_mtime_ns
            ):
                self._unchanged(found, shown, record.key, record.sidecar_digest, stat)
                continue
            tasks.append(
                IngestTask(
                    file=os.fspath(found.path),
                    root=self.layout.root,
                    specs=self.settings.specs,
                    size=stat.st_size,
                    threads=threads,
                    source_root=found.root,
                    limits=self.settings.limits,
                    store=self.store,
                    derivatives=self.derivatives,
                )
            )
        # Large videos first, so that a long transcode does not run alone at the end.
        tasks.sort(key=lambda task: (not _looks_like_video(task.path), -task.size))
        return tasks

    def _unchanged(
        self, found: Found, shown: str, key: str, digest: str | None, stat: os.stat_result
    ) -> None:
        values, problem = self._sidecars(found)
        if problem:
            self._report(shown, Outcome.FAILED, key=key, reason=problem)
            return
        if values is None or values.digest == digest:
            self._report(shown, Outcome.SKIPPED, key=key, reason="unchanged since the last run")
            return
        with self.catalog.transaction():
            merged = self._apply_sidecars(key, values)
            self.catalog.record_source(shown, key, stat.st_size, stat.st_mtime_ns, values.digest)
        if merged.changed:
            self.changed.add(key)
        if merged.conflicts:
            outcome, first = Outcome.CONFLICT, "sidecar changed"
        elif merged.changed:
            outcome, first = Outcome.UPDATED, "sidecar changed"
        else:
            outcome, first = Outcome.SKIPPED, "unchanged since the last run"
        self._report(shown, outcome, key=key, reason=_join([first, *merged.notes]), merged=merged)

    # -- probe, store and derive (workers), record (here) ---------------------
    def _run_tasks(self, tasks: list[IngestTask]) -> None:
        if not tasks:
            return
        unreachable = self._store_problem()
        if unreachable:  # every file fails with the reason; nothing is half-added
            for task in tasks:
                self._report(task.shown, Outcome.FAILED, reason=unreachable, size=task.size)
            return
        known = frozenset(self._known_sha256())
        results = self._results(tasks, known)
        while chunk := list(islice(results, BATCH)):
            # One transaction per batch; the index follows each committed batch.
            with self.catalog.transaction():
                for result in chunk:
                    task = result.task
                    self._record(result, Found(task.path, task.source_root or task.path.parent))
            self._flush_index()

    def _results(self, tasks: list[IngestTask], known: frozenset[str]) -> Iterator[IngestResult]:
        if self.jobs == 1 or len(tasks) == 1:
            init_worker(known)
            for task in tasks:
                yield ingest_one(task)
            return
        pool = ProcessPoolExecutor(
            max_workers=min(self.jobs, len(tasks)),
            mp_context=worker_context(),
            initializer=init_worker,
            initargs=(known,),
        )
        try:
            # A bounded window of work in flight: memory does not grow with the number of
            # files, and results are recorded while the workers go on.
            window = self.jobs * 4
            queue = iter(tasks)
            running = {pool.submit(ingest_one, t) for t in islice(queue, window)}
            while running:
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for task in islice(queue, len(finished)):
                    running.add(pool.submit(ingest_one, task))
                for future in finished:
                    yield future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _store_problem(self) -> str | None:
        """Why the originals' store cannot take files now (a bucket that cannot be reached)."""
        if self.store is None:
            return None
        from archive.storage import StoreError, open_store

        try:
            open_store(self.store).probe()
        except StoreError as exc:
            return str(exc)
        return None

    def _known_sha256(self) -> list[str]:
        return [r[0] for r in self.catalog.db.execute("SELECT sha256 FROM items")]

    def _record(self, result: IngestResult, found: Found) -> None:
        task = result.task
        shown = task.shown
        if result.status == "failed":
            self._report(shown, Outcome.FAILED, reason=result.reason, size=task.size)
            return
        values, problem = self._sidecars(found)
        if problem:
            # The original is stored and safe; the run log says why it is not catalogued.
            self._report(shown, Outcome.FAILED, reason=problem, size=task.size)
            return
        digest = values.digest if values else None
        mtime = _mtime(task.path)
        existing = self.catalog.has_sha256(result.sha256) if result.sha256 else None
        if existing is not None:
            self.catalog.record_source(shown, existing, task.size, mtime, digest)
            merged = self._apply_sidecars(existing, values) if values is not None else None
            self.changed.add(existing)
            self._report(
                shown,
                Outcome.CONFLICT if merged and merged.conflicts else Outcome.DUPLICATE,
                key=existing,
                reason=_join(
                    [
                        f"same content as item {existing}, already in the archive",
                        *(merged.notes if merged else ()),
                    ]
                ),
                size=task.size,
                merged=merged,
            )
            return
        now = utc_now()
        item = item_from_result(result, now)
        key = item.key
        self.catalog.add_item(item, detail={"source": shown, "run": self.log.id})
        for made in result.made:
            self.catalog.set_derivative(derivative_record(self.layout, key, made, now))
        self.catalog.record_source(shown, key, task.size, mtime, digest)
        notes = list(result.notes)
        embedded = fields_from_meta(result.info.embedded.merged()) if result.info else {}
        merged = None
        if values is not None or embedded:
            merged = self._apply_sidecars(key, values, embedded)
            notes.extend(merged.notes)
        self.changed.add(key)
        self._report(
            shown,
            Outcome.ADDED,
            key=key,
            reason=_join(notes) or None,
            size=task.size,
            merged=merged,
        )

    # -- sidecars -------------------------------------------------------------
    def _sidecars(self, found: Found) -> tuple[Any, str | None]:
        try:
            files = sidecars_for(found.path, found.root)
            if not files:
                return None, None
            # Folder files are shared by every file below them: read each set once, but
            # keep only the latest few (a file's own sidecar makes a set of its own).
            cache_key = "\0".join(str(f) for f in files)
            if cache_key not in self.sidecar_cache:
                if len(self.sidecar_cache) >= SIDECAR_CACHE:
                    del self.sidecar_cache[next(iter(self.sidecar_cache))]
                self.sidecar_cache[cache_key] = read_sidecars(files)
            return self.sidecar_cache[cache_key], None
        except SidecarError as exc:
            return None, f"sidecar: {exc}"
        except OSError as exc:
            return None, f"sidecar cannot be read: {exc}"

    def _apply_sidecars(
        self, key: str, values: Any, embedded: dict[str, Any] | None = None
    ) -> merge.Merged:
        """Sidecar and embedded values, checked three ways (see archive/merge.py)."""
        return merge.apply(
            self.catalog,
            key,
            values,
            self.terms,
            embedded=embedded,
            create_collections=self._create_collections,
        )

    def _create_collections(self, value: Any, via: str) -> None:
        """Collections named by a sidecar (a _folder.toml) are created when new."""
        names = value if isinstance(value, (list, tuple)) else str(value or "").split(",")
        for name in names:
            slug = collection_slug(str(name))
            if slug and not self.catalog.has_collection(slug):
                collections.create(self.catalog, slug, via=via)

    # -- index and report ------------------------------------------------------
    def _flush_index(self) -> None:
        if not self.changed:
            return
        indexing.update(self.layout, self.catalog, self.changed)
        self.changed = set()

    def _report(
        self,
        path: str,
        outcome: Outcome,
        *,
        key: str | None = None,
        reason: str | None = None,
        size: int = 0,
        merged: merge.Merged | None = None,
    ) -> None:
        record = FileOutcome(
            path,
            outcome.value,
            key,
            reason,
            merged.warnings if merged else (),
            merged.conflicts if merged else (),
        )
        if outcome is Outcome.FAILED:
            self.failures.append(record)
        if record.warnings or record.conflicts:
            self.noted.append(record)
        self.log.write({"event": "file", **record.to_dict()})
        self.progress.done_files += 1
        self.progress.done_bytes += size
        self.progress.counts[outcome.value] = self.progress.counts.get(outcome.value, 0) + 1
        if self.on_outcome is not None:
            self.on_outcome(self.progress, record)

    def _counts(self) -> dict[str, int]:
        return dict(self.progress.counts)


def _dry_run(
    layout: Layout, sources: list[Path], catalog: Catalog | None, settings: Settings
) -> IngestReport:
    """What an ingest would do, without copying or recording anything."""
    known = catalog.sources() if catalog else {}
    outcomes = []
    for found in discover(sources, settings.ignore, skip=layout.root.absolute()):
        shown = display_path(found.path)
        if isinstance(found, Unreadable):
            outcomes.append(FileOutcome(shown, Outcome.FAILED.value, reason=found.reason))
            continue
        record = known.get(shown)
        try:
            stat = found.path.stat()
        except OSError as exc:
            outcomes.append(FileOutcome(shown, Outcome.FAILED.value, reason=str(exc)))
            continue
        if (
            record
            and record.key
            and record.size == stat.st_size
            and record.mtime_ns == stat.st_mtime_ns
        ):
            outcomes.append(
                FileOutcome(
                    shown, Outcome.SKIPPED.value, record.key, "unchanged since the last run"
                )
            )
        else:
            outcomes.append(FileOutcome(shown, Outcome.ADDED.value, reason="would be ingested"))
    tally: dict[str, int] = {}
    for outcome in outcomes:
        tally[outcome.outcome] = tally.get(outcome.outcome, 0) + 1
    return IngestReport(
        None,
        str(layout.root),
        dry_run=True,
        tally=tuple(sorted(tally.items())),
        failures=tuple(o for o in outcomes if o.outcome == Outcome.FAILED.value),
        kept=tuple(outcomes),
    )


_VIDEO_SUFFIXES = {".mp4", ".mov", ".mkv", ".webm", ".avi", ".3gp", ".mts", ".m2ts", ".m4v", ".mpg"}


def _looks_like_video(path: Path) -> bool:
    return path.suffix.lower() in _VIDEO_SUFFIXES


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _join(parts: Iterable[str]) -> str:
    return "; ".join(p for p in parts if p)
