"""media.process: a program past its time limit is killed with everything it started."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from media.errors import MediaError, TookTooLong
from media.process import run
from tests.conftest import HANG_SECONDS, wait_until
from tests.conftest import process_alive as alive

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses sh, sleep and /proc")


def pids_in(path: Path, count: int) -> list[int]:
    wait_until(
        lambda: path.exists() and len(path.read_text().split()) >= count,
        timeout=10,
        what=f"{count} pids in {path.name}",
    )
    return [int(p) for p in path.read_text().split()]


def test_a_program_that_finishes_gives_its_exit_code_and_output() -> None:
    done = run(["sh", "-c", "echo out; echo err >&2; exit 3"], timeout=10, limit="probe")
    assert (done.returncode, done.stdout, done.stderr) == (3, b"out\n", b"err\n")


def test_a_program_past_its_limit_is_killed_with_the_child_it_started(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    script = f"echo $$ >> {pids}; sleep 30 & echo $! >> {pids}; wait"
    with pytest.raises(TookTooLong) as caught:
        run(["sh", "-c", script], timeout=1, limit="transcode")
    assert str(caught.value) == "sh took longer than 1 s"
    error = caught.value
    assert (error.program, error.seconds, error.limit) == ("sh", 1, "transcode")
    child, grandchild = pids_in(pids, 2)
    wait_until(lambda: not alive(child) and not alive(grandchild), timeout=5, what="both to die")


def test_a_child_that_closed_its_pipes_does_not_keep_the_run_waiting(tmp_path: Path) -> None:
    """The limit counts even when the program keeps no pipe open to us."""
    started = time.monotonic()
    with pytest.raises(TookTooLong):
        run(["sh", "-c", f"exec sleep {HANG_SECONDS} >/dev/null 2>&1"], timeout=0.5, limit="probe")
    assert time.monotonic() - started < HANG_SECONDS  # returned, not waited for it


def test_a_missing_program_is_a_media_error() -> None:
    with pytest.raises(MediaError, match="no-such-tool-here is not installed"):
        run(["no-such-tool-here", "-version"], timeout=5, limit="probe")


def test_took_too_long_survives_a_trip_between_processes() -> None:
    error = pickle.loads(pickle.dumps(TookTooLong("ffprobe", 60, "probe")))
    assert str(error) == "ffprobe took longer than 60 s"
    assert (error.program, error.seconds, error.limit) == ("ffprobe", 60, "probe")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's parent-death signal")
def test_a_program_dies_with_the_process_that_started_it(tmp_path: Path) -> None:
    """A run killed with SIGKILL (not its program's group) leaves no program running."""
    pids = tmp_path / "pids"
    code = (
        "from media.process import run\n"
        f"run(['sh', '-c', 'echo $$ >> {pids}; exec sleep 30'], timeout=60, limit='probe')\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], cwd=Path(__file__).parents[2])
    try:
        (program,) = pids_in(pids, 1)
        assert os.getpgid(program) != os.getpgid(parent.pid)  # a group of its own
    finally:
        parent.send_signal(signal.SIGKILL)
        assert parent.wait() == -signal.SIGKILL
    wait_until(lambda: not alive(program), timeout=5, what="the program to die with its parent")


def test_a_child_that_left_the_group_cannot_hold_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A grandchild in a session of its own outlives the kill and keeps our pipes open; the
    run still returns, a moment after the kill."""
    monkeypatch.setattr("media.process._DRAIN", 0.5)
    pids = tmp_path / "pids"
    script = f"setsid sleep {HANG_SECONDS} & echo $! >> {pids}; sleep {HANG_SECONDS}"
    started = time.monotonic()
    try:
        with pytest.raises(TookTooLong):
            run(["sh", "-c", script], timeout=0.5, limit="probe")
        assert time.monotonic() - started < HANG_SECONDS  # returned, not waited for it
    finally:
        for pid in pids_in(pids, 1):
            os.kill(pid, signal.SIGKILL)  # it escaped on purpose; not ours to leave running
