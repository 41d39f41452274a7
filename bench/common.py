"""Shared pieces of the benchmarks: timing child commands, medians, data folders, tables."""

from __future__ import annotations

import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("PAMIR_BENCH_DATA", REPO / "bench-data"))
ARCHIVE_BIN = Path(sys.executable).with_name("archive")
BENCH_VENV = REPO / ".venv-bench"


@dataclass(frozen=True)
class Timing:
    """One run of a command: wall seconds, CPU seconds of it and its children, peak RSS (MB)."""

    wall: float
    cpu: float
    peak_mb: float


def run_timed(
    cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Timing:
    """Run ``cmd`` and measure it (wall clock, user+system CPU of the whole process tree)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"{' '.join(cmd[:3])}… exited {proc.returncode}:\n{stderr[-2000:]}")
    return Timing(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    node, cores, version = platform.node(), os.cpu_count(), platform.python_version()
    return f"{node}: {cores} cores ({cpu}), {mem:.0f} GiB, Python {version}"


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
