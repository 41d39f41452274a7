"""A plain re-run after `archive ingest` was killed with SIGKILL mid-transcode leaves the
archive as clean as a run that was never killed: no temporary file, `archive check` exits 0."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from archive.layout import Layout
from catalog.store import Catalog
from media.temporary import is_temporary
from tests.reliability.conftest import ffmpeg, kill, run, start, wait_until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL of a process group")


def make_busy_video(path: Path, seconds: int) -> Path:
    """A 1280x720 test pattern: its web preview takes long enough to be caught mid-way."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ffmpeg(
        "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=25:duration={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path),
    )  # fmt: skip
    return path


def temporaries(layout: Layout) -> list[Path]:
    return sorted(p for p in layout.root.rglob("*") if is_temporary(p.name))


def programs_using(folder: Path) -> list[str]:
    """Command lines that name ``folder``: an ffmpeg of the killed run still writing."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if any(str(folder).encode() in a for a in args):
                found.append(b" ".join(args).decode("utf-8", "replace"))
    return found


def test_a_re_run_after_a_kill_mid_transcode_leaves_nothing_behind(
    tmp_path: Path, ffmpeg_tools: None
) -> None:
    source = tmp_path / "videos"
    for number, seconds in enumerate((6, 5, 4)):
        make_busy_video(source / f"felting-{number}.mp4", seconds)
    layout = Layout(tmp_path / "archive")

    proc = start(layout.root, "ingest", "-q", "--jobs", "2", str(source))
    wait_until(
        lambda: (
            any(p.parent.parent.name == "preview" for p in temporaries(layout))
            or proc.poll() is not None
        ),
        timeout=120,
        what="a web preview to be under way",
    )
    assert proc.poll() is None, "the ingest finished before a preview was caught mid-way"
    kill(proc, group=True)  # fails unless the kill landed
    assert proc.returncode == -signal.SIGKILL
    left = temporaries(layout)
    assert any(p.parent.parent.name == "preview" for p in left), left
    if Path("/proc").is_dir():  # ffmpeg runs in a group of its own; it died with its worker
        wait_until(
            lambda: not programs_using(layout.root), timeout=10, what="the killed run's ffmpeg"
        )
    assert temporaries(layout) == left  # nothing went on writing

    again = run(layout.root, "ingest", "-q", str(source), timeout=300)
    assert again.returncode == 0, again.stderr
    assert temporaries(layout) == []
    checked = run(layout.root, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with Catalog(layout.catalog) as catalog:
        assert catalog.count() == 3
