"""Running an external program with a time limit that kills it and its children."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from media.errors import MediaError, TookTooLong

# After a kill, how long to wait for the pipes to close before leaving them.
_DRAIN = 5.0

_running: set[subprocess.Popen[bytes]] = set()
_running_lock = threading.Lock()


@dataclass(frozen=True)
class Finished:
    """A program that ran to its end: its exit code and what it wrote."""

    returncode: int
    stdout: bytes
    stderr: bytes


def run(args: Sequence[str], *, timeout: float | None, limit: str) -> Finished:
    """Run ``args`` and wait at most ``timeout`` seconds for it (None: as long as it takes).

    The program runs in a process group of its own; past the limit the whole group is
    killed (the program and whatever it started) and TookTooLong is raised, carrying
    ``limit``, the name of the limit, for the caller's message.
    """
    program = Path(args[0]).name
    try:
        proc = subprocess.Popen(
            list(args),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            **_own_group(),
        )
    except FileNotFoundError as exc:
        raise MediaError(f"{program} is not installed (apt-get install ffmpeg)") from exc
    with _running_lock:
        _running.add(proc)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise TookTooLong(program, timeout or 0.0, limit) from None
    except BaseException:  # KeyboardInterrupt, or a worker told to stop: take it down too
        _kill(proc)
        raise
    finally:
        with _running_lock:
            _running.discard(proc)
    return Finished(proc.returncode, stdout, stderr)


def kill_running() -> None:
    """Kill every program this process is running (a worker whose run died calls it)."""
    with _running_lock:
        procs = list(_running)
    for proc in procs:
        _signal_group(proc)


def _own_group() -> dict[str, object]:
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    options: dict[str, object] = {"start_new_session": True}
    if _PRCTL is not None:
        options["preexec_fn"] = functools.partial(_die_with_parent, os.getpid())
    return options


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill the program's group, then reap it; never wait long for pipes a stray holds."""
    _signal_group(proc)
    try:
        proc.communicate(timeout=_DRAIN)
    except subprocess.TimeoutExpired:  # something left the group but holds our pipes
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
        proc.wait()


def _signal_group(proc: subprocess.Popen[bytes]) -> None:
    if proc.returncode is not None:
        return  # reaped: its number may belong to another process now
    try:
        if sys.platform == "win32":
            proc.kill()
        else:
            # The program leads its own group, whose id is its pid; the group outlives the
            # program while any process it started is alive.
            os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# -- Linux: the program dies with the process that started it ---------------------------
# In a group of its own, the program would outlive a run killed with its whole process
# group (SIGKILL reaches only the run's group). Linux can send it SIGKILL when its parent
# dies; elsewhere a worker kills its programs when it sees its run gone (kill_running).
PR_SET_PDEATHSIG = 1


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.restype = ctypes.c_int
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return prctl


_PRCTL = _load_prctl()


def _die_with_parent(parent: int) -> None:
    """Runs in the child between fork and exec, so it only makes one system call.

    Linux sends the signal when the *thread* that started the program ends: call ``run``
    from a thread that outlives the program (a process's main thread does).
    """
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0)
    if os.getppid() != parent:  # the parent died before the wish was made
        os._exit(1)
