"""How fast the command line answers, against `python -c "import click"` in the same run.

    .venv/bin/python -m bench.startup            # median of 7 runs of each command
    .venv/bin/python -m bench.startup --runs 15

Aims (issue #11): `archive --help` and `archive COMMAND --help` within 2x the time of
importing click (whole process, median), `archive search` on a small archive within 3x.
The small archive is the bundled sample media, ingested once into a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import ARCHIVE_BIN, REPO, machine, median, run_timed, table

SAMPLES = REPO / "samples" / "media"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="pamir-bench-startup-") as tmp:
        archive = Path(tmp) / "archive"
        subprocess.run(
            [str(ARCHIVE_BIN), "-a", str(archive), "ingest", "--quiet", str(SAMPLES)],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        cases = {
            "python -c 'import click'": [sys.executable, "-c", "import click"],
            "archive --help": [str(ARCHIVE_BIN), "--help"],
            "archive search --help": [str(ARCHIVE_BIN), "search", "--help"],
            "archive ingest --help": [str(ARCHIVE_BIN), "ingest", "--help"],
            "archive search felt": [str(ARCHIVE_BIN), "-a", str(archive), "search", "felt"],
        }
        walls: dict[str, list[float]] = {name: [] for name in cases}
        cpus: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):  # interleaved, so that a busy moment hits every case
            for name, cmd in cases.items():
                timing = run_timed(cmd, env=env)
                walls[name].append(timing.wall)
                cpus[name].append(timing.cpu)
    base = median(walls["python -c 'import click'"])
    aims = {"archive search felt": 3.0}
    rows = [["command", "median wall s", "median CPU s", "÷ import click", "aim", "met"]]
    for name in cases:
        wall = median(walls[name])
        ratio = wall / base
        aim = aims.get(name, 2.0) if name.startswith("archive") else None
        rows.append(
            [
                name,
                f"{wall:.3f}",
                f"{median(cpus[name]):.3f}",
                f"{ratio:.2f}",
                f"≤ {aim:.0f}x" if aim else "",
                ("yes" if ratio <= aim else "NO") if aim else "",
            ]
        )
    print(machine())
    print(f"median of {args.runs} runs each, whole process\n")
    print(table(rows))


if __name__ == "__main__":
    main()
