"""Makers of hostile files, and a way to run `archive` as a real process that can be killed."""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from archive.layout import Layout
from tests.archive.conftest import make_photo
from tests.conftest import wait_until  # noqa: F401  (the reliability tests import it from here)
from tests.media.conftest import set_jpeg_size

REPO = Path(__file__).resolve().parents[2]


# -- videos ---------------------------------------------------------------------------
def ffmpeg(*args: str) -> None:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args], check=True, capture_output=True
    )


def make_video(path: Path, *, seconds: float = 1.0, fmt: str = "mp4", audio: bool = True) -> Path:
    """A tiny real H.264 video (96x64, 10 fps), with a sine tone unless ``audio`` is False."""
    path.parent.mkdir(parents=True, exist_ok=True)
    inputs = ["-f", "lavfi", "-i", f"testsrc=size=96x64:rate=10:duration={seconds}"]
    if audio:
        inputs += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    codecs = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    codecs += ["-c:a", "aac", "-b:a", "32k"] if audio else []
    ffmpeg(*inputs, *codecs, "-f", fmt, str(path))
    return path


def make_audio_only_mp4(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    ffmpeg("-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", "-f", "mp4", str(path))
    return path


def make_two_video_streams(path: Path) -> Path:
    """An MP4 with two video streams of different sizes (the larger one is the picture)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=96x64:rate=10:duration=1",
        "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1",
        "-map", "0:v", "-map", "1:v", "-c:v", "libx264", "-preset", "ultrafast",
        "-pix_fmt", "yuv420p", "-f", "mp4", str(path),
    )  # fmt: skip
    return path


def set_track_matrix(data: bytes, matrix: tuple[int, ...]) -> bytes:
    """Overwrite the display matrix of every track header (tkhd) with nine 32-bit values."""
    out = bytearray(data)
    start = 0
    while (at := out.find(b"tkhd", start)) != -1:
        version = out[at + 4]
        # version, flags, times, track id, reserved, duration, reserved, layer, group, volume
        offset = at + 4 + 4 + (28 if version == 1 else 16) + 8 + 8
        out[offset : offset + 36] = struct.pack(">9i", *matrix)
        start = at + 4
    if start == 0:
        raise ValueError("no tkhd box")
    return bytes(out)


# -- photos with hand-made EXIF ----------------------------------------------------------
def tiff_block(entries: list[tuple[int, int, int, bytes]], *, next_ifd: int = 0) -> bytes:
    """A little-endian TIFF/EXIF block with one IFD at offset 8.

    Each entry is (tag, type, count, value-or-offset as 4 bytes); the caller chooses the
    offsets, so they can be wrong on purpose.
    """
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\x00")[:4]
    ifd += struct.pack("<I", next_ifd)
    return b"II*\x00" + struct.pack("<I", 8) + ifd


def u32(value: int) -> bytes:
    return struct.pack("<I", value)


def with_exif(jpeg: bytes, block: bytes) -> bytes:
    """A JPEG with ``block`` as its only EXIF (APP1) segment, right after SOI."""
    body = b"Exif\x00\x00" + block
    segment = b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    return jpeg[:2] + segment + _without_app1(jpeg[2:])


def _without_app1(rest: bytes) -> bytes:
    out = b""
    while rest[:2] == b"\xff\xe1":
        length = struct.unpack(">H", rest[2:4])[0]
        rest = rest[2 + length :]
    return out + rest


def plain_jpeg(path: Path, **kwargs: Any) -> bytes:
    """The bytes of a small generated JPEG without EXIF."""
    make_photo(path, make=None, model=None, taken=None, size=(64, 48), **kwargs)
    return path.read_bytes()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny valid-looking PNG whose header declares ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def bomb_jpeg(path: Path) -> Path:
    source = make_photo(path.with_suffix(".src.jpg"), size=(64, 48))
    path.write_bytes(set_jpeg_size(source.read_bytes(), 60000, 60000))
    source.unlink()
    return path


# -- the CLI as a real process -----------------------------------------------------------
def archive_cmd(archive: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "archive.cli", "-a", str(archive), *args]


def start(archive: Path, *args: str) -> subprocess.Popen[bytes]:
    """Start `archive ...` in its own process group, output captured to files."""
    return subprocess.Popen(
        archive_cmd(archive, *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        start_new_session=True,
    )


def run(archive: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        archive_cmd(archive, *args), capture_output=True, text=True, cwd=REPO, timeout=timeout
    )


def kill(proc: subprocess.Popen[bytes], *, group: bool = False) -> None:
    """SIGKILL the command (or its whole process group), then wait until none of it runs.

    Fails unless the kill landed: the command must have been running and died of it.
    """
    running = proc.poll() is None
    try:
        if group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.send_signal(signal.SIGKILL)
    except ProcessLookupError:
        pass
    _, err = proc.communicate()
    wait_until(lambda: not _group_alive(proc.pid), timeout=20, what="the killed run's workers")
    assert running and proc.returncode == -signal.SIGKILL, (
        f"the run was not killed: it had ended with exit code {proc.returncode} first\n"
        + err.decode("utf-8", "replace")[-2000:]
    )


def kill_when(
    proc: subprocess.Popen[bytes],
    ready: Callable[[], bool],
    *,
    what: str,
    timeout: float = 60,
    group: bool = False,
) -> None:
    """Wait until ``ready()`` says the run is mid-work, then SIGKILL it there.

    Fails when the run ends before that moment, when the moment does not come within
    ``timeout`` seconds, or when the run ends between the moment and the kill.
    """
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            _, err = proc.communicate()
            raise AssertionError(
                f"the run ended (exit code {proc.returncode}) before {what}\n"
                + err.decode("utf-8", "replace")[-2000:]
            )
        if time.monotonic() > deadline:
            kill(proc, group=True)
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.005)
    kill(proc, group=group)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    # Zombies count as gone: they run nothing.
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def holds_lock(layout: Layout, proc: subprocess.Popen[bytes]) -> bool:
    """``proc`` runs and the archive's lock holder file names it as the command holding the lock."""
    try:
        holder = layout.lock_holder.read_text(encoding="utf-8")
    except OSError:
        return False
    return f"(pid {proc.pid})" in holder and proc.poll() is None


def run_logs(layout: Layout) -> set[Path]:
    return set(layout.runs.glob("*.jsonl")) if layout.runs.is_dir() else set()


def run_log_files(layout: Layout, before: set[Path]) -> int:
    """How many `file` lines the run log of a run started after ``before`` holds so far
    (-1 while it has no log)."""
    new = run_logs(layout) - before
    if not new:
        return -1
    count = 0
    for line in max(new).read_text(encoding="utf-8").splitlines():
        try:
            count += json.loads(line).get("event") == "file"
        except ValueError:
            pass  # the line being written
    return count


@pytest.fixture
def small_photos(tmp_path: Path) -> Path:
    """Twelve small camera photos, quick to ingest."""
    folder = tmp_path / "DCIM"
    for i in range(12):
        make_photo(
            folder / f"IMG_{i:04d}.jpg",
            size=(480, 360),
            color=(i * 20 % 256, 90, 200 - i * 10),
            gps=(37.48 + i / 1000, 71.55),
        )
    return folder
