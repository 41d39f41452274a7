"""Work done in worker processes: hash, probe, store the original, make derivatives.

Workers get plain, picklable values and return them; they never touch the catalogue.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.process
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from archive.config import limit_hint
from archive.discover import display_path
from archive.layout import Layout
from archive.storage import Store, StoreConfig, StoreError, open_store, original_key
from archive.storage.derivatives import upload_made
from media import process
from media.derivatives import Made, Spec, make_derivatives
from media.errors import MediaError, NoDecoder, TookTooLong
from media.hashing import sha256_file
from media.probe import MediaInfo, probe
from media.video import Limits

_KNOWN: frozenset[str] = frozenset()


def worker_context() -> multiprocessing.context.BaseContext:
    """Workers are spawned, not forked: they inherit no open files (such as the archive's
    lock), so a killed run leaves no child holding the archive."""
    return multiprocessing.get_context("spawn")


def init_worker(known: frozenset[str] = frozenset()) -> None:
    """Pool initializer: the SHA-256 of every original already in the catalogue.

    In a worker process it also makes the worker exit when the main process dies
    (killed with SIGKILL, say): a pool's workers would otherwise wait for work forever.
    """
    global _KNOWN
    _KNOWN = known
    parent = multiprocessing.parent_process()
    if parent is not None:
        _exit_with(parent)


def _exit_with(parent: multiprocessing.process.BaseProcess) -> None:
    def watch() -> None:
        parent.join()  # returns when the parent has gone, even if it went before we started
        process.kill_running()  # an ffmpeg of ours would go on in its own process group
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


@dataclass(frozen=True, slots=True)
class IngestTask:
    """One file for a worker. A run holds one per file it plans, so it is kept small:
    slots, and the path as plain text (a Path object costs four times as much)."""

    file: str  # os.fspath of the source file
    root: Path  # archive root
    specs: tuple[Spec, ...]
    size: int
    threads: int = 0
    source_root: Path | None = None  # the source folder it was found under (for sidecars)
    limits: Limits = Limits()  # how long ffprobe and ffmpeg may take
    store: StoreConfig | None = None  # where originals go (None: the archive's originals/)
    derivatives: StoreConfig | None = None  # a bucket for derivatives (None: derivatives/)

    @property
    def path(self) -> Path:
        return Path(self.file)

    @property
    def shown(self) -> str:
        """The path as text for reports."""
        return display_path(self.path)


@dataclass(frozen=True)
class IngestResult:
    task: IngestTask
    status: str  # "ok", "duplicate", "failed"
    sha256: str | None = None
    info: MediaInfo | None = None
    original: str | None = None  # archive-relative
    made: tuple[Made, ...] = ()
    reason: str | None = None
    notes: tuple[str, ...] = field(default=())


def ingest_one(task: IngestTask) -> IngestResult:
    """Everything for one source file that does not need the catalogue."""
    try:
        return _ingest_one(task)
    except TookTooLong as exc:
        return IngestResult(task, "failed", reason=given_up(exc))
    except (MediaError, StoreError) as exc:
        return IngestResult(task, "failed", reason=str(exc))
    except PermissionError:
        return IngestResult(task, "failed", reason="permission denied: the file cannot be read")
    except FileNotFoundError:
        return IngestResult(task, "failed", reason="the file disappeared during the run")
    except IsADirectoryError:
        return IngestResult(task, "failed", reason="is a folder, not a file")
    except OSError as exc:
        return IngestResult(task, "failed", reason=f"cannot be read: {exc.strerror or exc}")
    except Exception as exc:  # a library bug must not stop the run
        return IngestResult(
            task, "failed", reason=f"unexpected error reading the file: {type(exc).__name__}: {exc}"
        )


def _ingest_one(task: IngestTask) -> IngestResult:
    layout = Layout(task.root)
    sha = sha256_file(task.path)
    if sha in _KNOWN:
        return IngestResult(task, "duplicate", sha256=sha)
    info = probe(task.path, limits=task.limits)
    original = layout.original_path(sha, info.extension)
    relative = layout.relative(original)
    store = open_store(task.store or StoreConfig(os.fspath(layout.originals)))
    created = store.put_original(original_key(relative), task.path, sha).created
    if task.store is not None and task.store.is_s3:
        original = task.path  # the same bytes, verified by the store: nothing to download
    notes = info.notes
    try:
        made = derive(
            layout,
            original,
            sha,
            info.kind,
            task.specs,
            info,
            threads=task.threads,
            limits=task.limits,
        )
        if task.derivatives is not None:
            upload_made(task.derivatives, layout, made)
    except NoDecoder as exc:
        # A photo of a known format that this machine cannot decode: kept, shown without one.
        made, notes = [], (*notes, f"no preview: {exc}")
    except Exception:
        if created:  # a new item: nothing in the catalogue points at its files
            _remove_derivatives(layout, sha, info.kind, task.specs)
            _remove_original(store, original_key(relative))
        raise
    return IngestResult(
        task,
        "ok",
        sha256=sha,
        info=info,
        original=relative,
        made=tuple(made),
        notes=notes,
    )


def derive(
    layout: Layout,
    original: Path,
    sha256: str,
    kind: str,
    specs: tuple[Spec, ...],
    info: MediaInfo | None = None,
    *,
    duration: float | None = None,
    has_audio: bool | None = None,
    height: int | None = None,
    threads: int = 0,
    limits: Limits = Limits(),
) -> list[Made]:
    """Make the given specs for one original, into their place in derivatives/."""
    wanted = [s for s in specs if kind in s.kinds]
    outputs = {s.name: layout.derivative_path(s.name, sha256, s.extension) for s in wanted}
    if info is not None:
        duration, has_audio, height = info.duration, info.has_audio, info.height
    return make_derivatives(
        original,
        kind,
        wanted,
        outputs,
        duration=duration,
        has_audio=bool(has_audio),
        video_height=height,
        threads=threads,
        limits=limits,
    )


@dataclass(frozen=True)
class DeriveTask:
    key: str
    sha256: str
    kind: str
    original: Path
    root: Path
    specs: tuple[Spec, ...]
    duration: float | None
    has_audio: bool
    height: int | None
    limits: Limits = Limits()
    store: StoreConfig | None = None  # a bucket: ``original`` is its place in the cache
    derivatives: StoreConfig | None = None  # a bucket the derivatives go to once made


@dataclass(frozen=True)
class DeriveResult:
    task: DeriveTask
    made: tuple[Made, ...] = ()
    reason: str | None = None


def derive_one(task: DeriveTask) -> DeriveResult:
    """Re-make derivatives of an item already in the catalogue (rebuild)."""
    try:
        if task.store is not None and not task.original.is_file():
            from archive.storage.cache import fetch

            key = f"{task.sha256[:2]}/{task.original.name}"
            fetch(open_store(task.store), key, task.original, task.sha256)
        made = derive(
            Layout(task.root),
            task.original,
            task.sha256,
            task.kind,
            task.specs,
            duration=task.duration,
            has_audio=task.has_audio,
            height=task.height,
            limits=task.limits,
        )
        if task.derivatives is not None:
            upload_made(task.derivatives, Layout(task.root), made)
        return DeriveResult(task, tuple(made))
    except TookTooLong as exc:
        return DeriveResult(task, reason=given_up(exc))
    except (MediaError, OSError, StoreError) as exc:
        return DeriveResult(task, reason=str(exc))
    except Exception as exc:
        return DeriveResult(task, reason=f"unexpected error: {type(exc).__name__}: {exc}")


def given_up(exc: TookTooLong) -> str:
    """The reason of a file whose ffprobe or ffmpeg ran past its time limit."""
    return f"{exc}; the file was given up ({limit_hint(exc.limit)})"


def _remove_derivatives(layout: Layout, sha256: str, kind: str, specs: tuple[Spec, ...]) -> None:
    """The derivatives made before one failed (a video's poster, when its preview failed)."""
    for spec in specs:
        if kind in spec.kinds:
            try:
                layout.derivative_path(spec.name, sha256, spec.extension).unlink(missing_ok=True)
            except OSError:
                pass  # check names it; the file's own failure is the one to report


def _remove_original(store: Store, key: str) -> None:
    try:
        store.delete(key)
    except (OSError, StoreError):
        pass
