"""Kill an ingest with SIGKILL at many moments, run it again, and count the clean archives.

    .venv/bin/python -m bench.rerun_after_kill                   # the corpus videos, 10 tries
    .venv/bin/python -m bench.rerun_after_kill --source DIR --tries 10 --every 2 --repo PATH

Each try starts `archive ingest --jobs 2 SOURCE` into a new archive in its own process
group, SIGKILLs the whole group ``every * n`` seconds in (n = 1, 2, …), runs the same
command again to its end, and runs `archive check`. A try is clean when check exits 0 and
no temporary file (``.NAME.PID.tmp``, or the older ``.KEY.PID.tmp.mp4``) is left in
``originals/`` or ``derivatives/``. ``--repo`` runs another checkout's code (a baseline).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import REPO

CORPUS = Path(os.environ.get("PAMIR_CORPUS") or REPO.parent / "shared" / "corpus")
# Written out here, not imported, so that the baseline is judged by the same rule.
TEMPORARY = re.compile(r"\.(.+)\.([0-9]+)\.tmp(\.mp4)?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=CORPUS / "videos")
    parser.add_argument("--tries", type=int, default=10)
    parser.add_argument("--every", type=float, default=2.0, help="seconds between kill moments")
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout whose code runs")
    args = parser.parse_args()
    clean = 0
    for n in range(1, args.tries + 1):
        with tempfile.TemporaryDirectory(prefix="pamir-rerun-") as tmp:
            result = one_try(Path(tmp) / "archive", args.source, n * args.every, args.repo)
        clean += result["clean"]
        print(json.dumps(result), flush=True)
    print(f"{clean} of {args.tries} clean", flush=True)


def one_try(archive: Path, source: Path, at: float, repo: Path) -> dict[str, object]:
    command = ["ingest", "-q", "--jobs", "2", str(source.absolute())]
    started = time.monotonic()
    proc = subprocess.Popen(
        cli(archive, *command),
        cwd=repo,
        env=env(repo),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    while proc.poll() is None and time.monotonic() - started < at:
        time.sleep(0.02)
    running = proc.poll() is None
    temporaries_at_kill = temporaries(archive)  # a moment before the kill
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    again = subprocess.run(cli(archive, *command), cwd=repo, env=env(repo), capture_output=True)
    check = subprocess.run(
        cli(archive, "check", "--json"), cwd=repo, env=env(repo), capture_output=True, text=True
    )
    problems = json.loads(check.stdout)["problems"] if check.stdout.strip() else []
    left = temporaries(archive)
    return {
        "kill_at_s": at,
        "killed_while_running": running,
        "returncode": proc.returncode,
        "temporaries_at_kill": len(temporaries_at_kill),
        "re_run_exit": again.returncode,
        "check_exit": check.returncode,
        "problems": sorted({p["kind"] for p in problems}),
        "temporaries_left": left,
        "clean": check.returncode == 0 and not left,
    }


def temporaries(archive: Path) -> list[str]:
    found = []
    for folder in ("originals", "derivatives"):
        for dirpath, _dirs, names in os.walk(archive / folder):
            found += [
                os.path.relpath(os.path.join(dirpath, name), archive)
                for name in names
                if TEMPORARY.fullmatch(name)
            ]
    return sorted(found)


def cli(archive: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "archive.cli", "-a", str(archive), *args]


def env(repo: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(repo)}


if __name__ == "__main__":
    if not shutil.which("ffmpeg"):
        sys.exit("ffmpeg is needed (apt-get install ffmpeg)")
    main()
