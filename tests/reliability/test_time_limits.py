"""Time limits: a video whose ffprobe or ffmpeg hangs fails alone, at the limit, and no
process of the hanging tool is left running."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from archive.layout import Layout
from media.temporary import is_temporary
from tests.archive.conftest import make_photo
from tests.conftest import HANG_SECONDS, hanging_tool, process_alive
from tests.reliability.conftest import make_video, run, wait_until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the fake tools are shell scripts")


@pytest.fixture
def source(tmp_path: Path, ffmpeg_tools: None) -> Path:
    """Two photos and a two-second video."""
    folder = tmp_path / "DCIM"
    make_photo(folder / "IMG_0001.jpg")
    make_photo(folder / "IMG_0002.jpg", color=(20, 120, 200))
    make_video(folder / "MVI_0003.mp4", seconds=2)
    return folder


def ingest_with(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch, **variables: str
) -> tuple[Layout, dict[str, dict], float]:
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    layout = Layout(tmp_path / "archive")
    started = time.monotonic()
    done = run(layout.root, "ingest", "--json", str(source), timeout=300)
    took = time.monotonic() - started
    assert done.returncode == 3, done.stderr  # finished, with a failure
    outcomes = {Path(o["path"]).name: o for o in json.loads(done.stdout)["outcomes"]}
    return layout, outcomes, took


def assert_all_dead(pids: Path) -> None:
    numbers = [int(p) for p in pids.read_text().split()]
    assert len(numbers) == 2, "the hanging tool ran, and started its child"
    wait_until(
        lambda: not any(process_alive(p) for p in numbers),
        timeout=30,
        what=f"the hanging tool's processes {numbers} to be gone",
    )


def assert_clean(layout: Layout) -> None:
    left = [p.name for p in layout.root.rglob("*") if is_temporary(p.name)]
    assert left == []
    check = run(layout.root, "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_hanging_ffprobe_fails_its_video_at_the_limit(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = tmp_path / "ffprobe.pids"
    hanging_tool(tmp_path / "bin", "ffprobe", pids)
    layout, outcomes, took = ingest_with(tmp_path, source, monkeypatch, PAMIR_PROBE_TIMEOUT="2")
    assert took < HANG_SECONDS, f"the ingest waited {took:.1f} s for the hanging ffprobe"
    assert outcomes["MVI_0003.mp4"]["outcome"] == "failed"
    assert outcomes["MVI_0003.mp4"]["reason"] == (
        "ffprobe took longer than 2 s; the file was given up "
        "(raise [media] probe_timeout or PAMIR_PROBE_TIMEOUT)"
    )
    assert [outcomes[f"IMG_000{i}.jpg"]["outcome"] for i in (1, 2)] == ["added", "added"]
    assert_all_dead(pids)
    assert_clean(layout)


def test_a_hanging_transcode_fails_its_video_at_the_limit(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = tmp_path / "ffmpeg.pids"
    hanging_tool(tmp_path / "bin", "ffmpeg", pids, when="libx264")  # still frames work
    layout, outcomes, took = ingest_with(tmp_path, source, monkeypatch, PAMIR_TRANSCODE_TIMEOUT="2")
    assert took < HANG_SECONDS, f"the ingest waited {took:.1f} s for the hanging ffmpeg"
    assert outcomes["MVI_0003.mp4"]["outcome"] == "failed"
    assert outcomes["MVI_0003.mp4"]["reason"] == (
        "ffmpeg took longer than 2 s; the file was given up "
        "(raise [media] transcode_timeout or PAMIR_TRANSCODE_TIMEOUT)"
    )
    assert [outcomes[f"IMG_000{i}.jpg"]["outcome"] for i in (1, 2)] == ["added", "added"]
    assert_all_dead(pids)
    assert_clean(layout)  # nor the preview's temporary, nor the video's thumbnail and poster
