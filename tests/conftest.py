"""Fixtures shared by every test folder: where the test files and the real-media corpus are."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's chromium; Playwright downloads no browser
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def corpus_path() -> Path:
    """The real-media corpus: ``$PAMIR_CORPUS``, else ``<repo>/../shared/corpus``."""
    return Path(os.environ.get("PAMIR_CORPUS") or REPO.parent / "shared" / "corpus")


def skip_unless_ci(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where the setup script installs everything.

    The one way a test says a tool or file it needs is missing: every skip goes through here.
    """
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{reason}; CI is set, so this is an error, not a skip")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """``tests/data``: small real files named after the case they test."""
    return DATA


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The corpus folder; skips when it is absent, but fails when ``$CI`` is set."""
    path = corpus_path()
    if not (path / "MANIFEST.tsv").is_file():
        skip_unless_ci(
            f"real-media corpus not found at {path} "
            "(set PAMIR_CORPUS to the folder that holds MANIFEST.tsv)"
        )
    return path


HANG_SECONDS = 600  # how long a hanging tool waits: far past any limit or test timeout


def hanging_tool(folder: Path, name: str, pids: Path, *, when: str | None = None) -> Path:
    """A fake program ``name`` in ``folder`` that hangs: it writes its pid and its child's to
    ``pids``, creates the ``*.tmp`` file it was asked to write, if any, and waits for a
    ``sleep`` of ``HANG_SECONDS`` it started (a caller that returns before then was not
    waiting for it). With ``when``, it hangs only when an argument contains
    that text, and runs the real program otherwise. Put ``folder`` first on PATH."""
    import shutil

    real = shutil.which(name)
    folder.mkdir(parents=True, exist_ok=True)
    hang = f"""echo $$ >> '{pids}'
for arg in "$@"; do case "$arg" in *.tmp) : > "$arg";; esac; done
sleep {HANG_SECONDS} &
echo $! >> '{pids}'
wait
"""
    if when is not None:
        hang = f"""case "$*" in
*{when}*)
{hang};;
*) exec '{real}' "$@";;
esac
"""
    tool = folder / name
    tool.write_text("#!/bin/sh\n" + hang, encoding="utf-8")
    tool.chmod(0o755)
    return tool


def process_alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (exited, not yet reaped) runs nothing."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return not Path("/proc").is_dir()  # no /proc: os.kill's answer stands
    return text[text.rindex(")") + 2 :].split()[0] not in ("Z", "X")


@pytest.fixture(scope="session")
def ffmpeg_tools() -> None:
    """For a test that needs the ffmpeg and ffprobe programs."""
    if not (shutil.which("ffmpeg") and shutil.which("ffprobe")):
        skip_unless_ci("ffmpeg/ffprobe are not installed (apt-get install ffmpeg)")


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.02)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright, one per test process: Playwright's sync API
    cannot run a second instance beside a first one, so every browser test shares this."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_unless_ci("the playwright package is not installed (pip install -e '.[test]')")
    if not CHROMIUM.is_file():
        skip_unless_ci(f"chromium is not at {CHROMIUM} (bash scripts/setup.sh --test installs it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
