"""Progress and the closing summary go to stderr: a bar on a terminal, lines in a pipe."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.archive.conftest import REPO, make_photo


def _ingest_on_a_terminal(archive: Path, source: Path) -> tuple[str, str]:
    """Run `archive ingest` with stderr on a pseudo-terminal; (stdout, what the terminal got)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "archive.cli", "-a", str(archive), "ingest", "-j", "1", str(source)],
        stdout=subprocess.PIPE,
        stderr=follower,
        cwd=REPO,
    )
    os.close(follower)
    screen = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not select.select([leader], [], [], 1)[0]:
            continue
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal is closed once the process has gone
            break
        if not chunk:
            break
        screen += chunk
    else:
        proc.kill()
    stdout = proc.stdout.read() if proc.stdout else b""
    assert proc.wait(timeout=60) == 0
    os.close(leader)
    return stdout.decode(), screen.decode("utf-8", "replace")


def test_a_terminal_gets_a_bar_with_files_bytes_rate_and_time_left(tmp_path: Path):
    source = tmp_path / "trip"
    for n in range(3):
        make_photo(source / f"IMG_{n:04d}.jpg", color=(40 * n, 90, 40))
    stdout, screen = _ingest_on_a_terminal(tmp_path / "archive", source)

    bars = [line for line in screen.split("\r") if "files" in line and "MB/s" in line]
    assert bars, screen
    last = bars[-1]
    assert re.search(r"\[#{24}\] 3/3 files", last), last
    assert re.search(r"[\d.]+/[\d.]+ MB [\d.,]+ MB/s, [\d,]+ s left", last), last
    # The bar is finished with a new line, then the summary; nothing goes to stdout.
    assert re.search(r"s left \r?\nIngested 3 files into .*: 3 added\.", screen), screen
    assert stdout == ""


def test_a_pipe_gets_one_line_per_file_and_no_bar(tmp_path: Path):
    source = tmp_path / "trip"
    make_photo(source / "IMG_0001.jpg")
    make_photo(source / "IMG_0002.jpg", color=(20, 120, 200))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "archive.cli",
            "-a",
            str(tmp_path / "archive"),
            "ingest",
            str(source),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    lines = result.stderr.splitlines()
    assert [line.split()[0] for line in lines if line.startswith("added")] == ["added", "added"]
    assert "\r" not in result.stderr
    assert "MB/s" not in result.stderr
    assert lines[-1].endswith(": 2 added.")
    assert result.stdout == ""
