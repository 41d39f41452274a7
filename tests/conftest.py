"""Fixtures shared by every test folder: where the test files and the real-media corpus are."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"


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


@pytest.fixture(scope="session")
def ffmpeg_tools() -> None:
    """For a test that needs the ffmpeg and ffprobe programs."""
    if not (shutil.which("ffmpeg") and shutil.which("ffprobe")):
        skip_unless_ci("ffmpeg/ffprobe are not installed (apt-get install ffmpeg)")
