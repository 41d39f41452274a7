"""A large index is written by several processes: the same index as one process writes, and
nothing lost or left running when the command fails or is killed."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from catalog import parallelwriter, search
from catalog.errors import SearchError
from catalog.search import SearchIndex
from tests.catalog.test_search import make_item
from tests.conftest import wait_until

ROOT = Path(__file__).resolve().parents[2]
WORDS = ("felt", "rug", "jurab", "socks", "wool", "Khorog", "Rushan", "Tallinn")
ITEMS = [
    make_item(
        f"{n:016x}",
        title=f"{WORDS[n % 8]} {WORDS[(n * 3) % 8]} number {n}",
        place=("khorog", "rushan", "tallinn")[n % 3],
        technique=("felting",) if n % 2 else ("knitting",),
    )
    for n in range(60)
]
QUERIES = ("felt", "socks", "GBAO", "Estonia", "валяние", "number", "rug -felt", "wool~")


def found(index: SearchIndex) -> dict[str, tuple[int, set[tuple[str, float]]]]:
    """Totals, and each hit with its score (items of equal score come in the order of
    their documents, which differs between the two)."""
    return {
        text: (r.total, {(h.key, round(h.score, 6)) for h in r.hits})
        for text in QUERIES
        for r in [index.search(text, limit=100)]
    }


@pytest.fixture
def two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "processes_for", lambda items: 2)
    monkeypatch.setattr(parallelwriter, "BATCH", 10)  # 60 items in six files


def test_two_processes_write_the_index_one_process_writes(tmp_path: Path, two_processes) -> None:
    parallel = SearchIndex(tmp_path / "parallel")
    assert parallel.rebuild(ITEMS, 5) == 60
    assert parallel.doc_count() == 60 and parallel.generation() == 5
    assert len(parallel._open()._segments()) >= 2  # written by more than one process
    serial = SearchIndex(tmp_path / "serial")
    search.processes_for = lambda items: 1  # monkeypatch undoes it
    serial.rebuild(ITEMS, 5)
    assert len(serial._open()._segments()) == 1
    assert found(parallel) == found(serial)


def test_a_failure_while_writing_ends_the_processes_and_records_nothing(
    tmp_path: Path, two_processes, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(tmp_path / "index")
    index.rebuild(ITEMS[:5], 1)
    document = SearchIndex._document
    seen = []

    def failing(self, item):
        seen.append(item.key)
        if len(seen) == 30:
            raise OSError("disk full")
        return document(self, item)

    monkeypatch.setattr(SearchIndex, "_document", failing)
    before = set(multiprocessing.active_children())  # another test's, if any
    with pytest.raises(OSError, match="disk full"):
        index.rebuild(ITEMS, 2)
    assert set(multiprocessing.active_children()) - before == set()  # none left waiting
    assert index.generation() is None  # the next command rebuilds
    monkeypatch.setattr(SearchIndex, "_document", document)
    assert index.rebuild(ITEMS, 3) == 60 and index.generation() == 3


def test_items_a_writing_process_lost_are_an_error_not_a_smaller_index(
    tmp_path: Path, two_processes, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(tmp_path / "index")
    monkeypatch.setattr(search.SearchIndex, "_open", _short_count(search.SearchIndex._open))
    with pytest.raises(SearchError, match="wrote 59 of 60 items"):
        index.rebuild(ITEMS, 2)
    assert index.generation() is None


def _short_count(open_index):
    """The index as it would be had one document been lost."""

    def opened(self, **kwargs):
        ix = open_index(self, **kwargs)
        count = ix.doc_count()
        ix.doc_count = lambda: count - 1
        return ix

    return opened


SCRIPT = """
import multiprocessing, sys, threading
sys.path.insert(0, {root!r})
from catalog import parallelwriter, search
from catalog.search import SearchIndex
from tests.catalog.test_parallel_writer import ITEMS
search.processes_for = lambda items: 2
parallelwriter.BATCH = 10
if __name__ == "__main__":
    index = SearchIndex(__import__("pathlib").Path({folder!r}))
    if {hang}:
        document = SearchIndex._document
        def slow(self, item):
            if item.key == ITEMS[40].key:
                print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
                threading.Event().wait(600)  # until killed
            return document(self, item)
        SearchIndex._document = slow
    print(index.rebuild(ITEMS, 9), index.doc_count(), index.search("GBAO").total, flush=True)
"""


def _script(tmp_path: Path, hang: bool) -> list[str]:
    code = SCRIPT.format(root=str(ROOT), folder=str(tmp_path / "i"), hang=hang)
    path = tmp_path / "build.py"
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    return [sys.executable, str(path)]


def test_a_command_of_its_own_writes_the_index_with_processes_started_afresh(
    tmp_path: Path,
) -> None:
    # The processes start afresh ("spawn", as on Windows and macOS): they import what they
    # need from the command's main module, which must guard its work with __main__.
    done = subprocess.run(
        _script(tmp_path, hang=False), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    serial = SearchIndex(tmp_path / "serial")
    serial.rebuild(ITEMS, 9)
    assert done.stdout.split() == ["60", "60", str(serial.search("GBAO").total)]


@pytest.mark.skipif(os.name != "posix", reason="kills with SIGKILL and polls pids (POSIX)")
def test_killing_the_command_ends_its_writing_processes(tmp_path: Path) -> None:
    command = subprocess.Popen(_script(tmp_path, hang=True), stdout=subprocess.PIPE, text=True)
    try:
        line = command.stdout.readline()  # printed while the writing processes wait for work
        children = [int(pid) for pid in line.split()]
        assert len(children) == 2, line
        os.kill(command.pid, signal.SIGKILL)
        command.wait(timeout=30)
        assert command.returncode == -signal.SIGKILL
        wait_until(
            lambda: not any(_alive(pid) for pid in children),
            timeout=30,
            what="the writing processes to end with the command",
        )
    finally:
        command.kill()
        command.wait()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that ended but was not yet reaped by init is a zombie: it is gone.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return True
    return state != "Z"
