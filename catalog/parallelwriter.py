"""Writing a large index in several processes: whoosh's multi-process writer, made to lose
nothing and to leave nothing running."""

from __future__ import annotations

import multiprocessing
import os
import threading
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

# Fewer items than this a process: the start of a process (its imports) costs more than it
# saves.
ITEMS_PER_PROCESS = 2000
# Documents are handed to the processes in files of this many.
BATCH = 100


def processes_for(items: int) -> int:
    """How many processes should write an index of ``items`` items (1: this one alone)."""
    return max(1, min(os.cpu_count() or 1, items // ITEMS_PER_PROCESS))


# Processes start afresh, as they do on Windows and macOS, on every system: a copy of a
# process with threads (the app's server) may inherit a lock another thread held, for ever.
_START = multiprocessing.get_context("spawn")


class _Task(SubWriterTask):
    """One writing process, which ends when its parent ends (whoosh's own waits on its queue
    for ever once the process that fed it is killed)."""

    @staticmethod
    def _Popen(process_obj: Any) -> Any:  # noqa: N802 (multiprocessing's name)
        return _START.Process._Popen(process_obj)

    def run(self) -> None:
        parent = multiprocessing.parent_process()
        if parent is not None:
            threading.Thread(target=_end_with, args=(parent,), daemon=True).start()
        super().run()


def _end_with(parent: Any) -> None:
    parent.join()
    os._exit(1)


class ParallelWriter(MpWriter):
    """whoosh's MpWriter with ``multisegment=True`` (each process writes a segment of its
    own), whose processes start afresh and are daemons ended by ``cancel()``: whoosh's
    ``cancel()`` only sets a flag in this process's copy of each task, so they never learn
    of it, and a command that failed while writing would wait for them for ever at exit."""

    def __init__(self, ix: Any, procs: int, **kwargs: Any) -> None:
        super().__init__(ix, procs=procs, batchsize=BATCH, multisegment=True, **kwargs)
        self.jobqueue = _START.Queue(procs * 4)
        self.resultqueue = _START.Queue()

    def _new_task(self) -> _Task:
        task = _Task(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        task.daemon = True
        task.start()
        self.tasks.append(task)
        return task

    def cancel(self) -> None:
        try:
            for task in self.tasks:
                if task.is_alive():
                    task.terminate()
            for task in self.tasks:
                task.join()
        finally:
            SegmentWriter.cancel(self)
