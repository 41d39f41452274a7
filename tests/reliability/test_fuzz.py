"""Fuzzing the metadata readers with mutated corpus files: no exception other than a MediaError
escapes, and no file takes more than a few seconds.

The budget is ``$PAMIR_FUZZ_SECONDS`` (3 s by default; `.ci/run` gives it a minute).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from media.errors import MediaError
from media.exif import read_exif_bytes
from media.kinds import sniff_bytes
from media.probe import probe

BUDGET = float(os.environ.get("PAMIR_FUZZ_SECONDS") or 3)
DEADLINE = timedelta(seconds=5)  # "a few seconds" per file, ffprobe included
HANG = 30  # seconds: past this an example is a hang, stopped by an alarm
MAX_SEED_BYTES = 400_000  # small seeds keep each example quick


@contextmanager
def alarm(seconds: int) -> Iterator[None]:
    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"a metadata reader ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def seeds(corpus: Path) -> list[tuple[str, bytes]]:
    found = []
    for folder in ("photos", "videos", "odd"):
        for path in sorted((corpus / folder).iterdir()):
            if path.is_file() and path.stat().st_size <= MAX_SEED_BYTES:
                found.append((path.suffix.lower(), path.read_bytes()))
    return found


@st.composite
def mutated(draw: st.DrawFn, files: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    """A corpus file with bytes flipped, a run of hostile bytes written in, or cut short."""
    suffix, data = draw(st.sampled_from(files))
    out = bytearray(data)
    # Most damage in the first 64 KiB, where the headers, EXIF and the moov box live.
    head = min(len(out), 65536)
    for _ in range(draw(st.integers(0, 24))):
        at = draw(st.integers(0, head - 1))
        out[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        at = draw(st.integers(0, head - 1))
        run = draw(st.sampled_from([b"\xff" * 8, b"\x00" * 8, b"\x7f\xff\xff\xff", b"\xff\xd8"]))
        out[at : at + len(run)] = run
    if draw(st.integers(0, 3)) == 0:
        del out[draw(st.integers(1, len(out))) :]
    return suffix, bytes(out)


def test_metadata_readers_survive_mutated_corpus_files(corpus: Path, tmp_path: Path) -> None:
    files = seeds(corpus)
    assert len(files) >= 20
    examples = 0

    @settings(
        max_examples=15,
        deadline=DEADLINE,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutated(files))
    def readers_never_crash(case: tuple[str, bytes]) -> None:
        nonlocal examples
        suffix, data = case
        path = tmp_path / f"fuzzed{suffix}"
        path.write_bytes(data)
        examples += 1
        with alarm(HANG):
            read_exif_bytes(data)
            read_exif_bytes(data[data.find(b"Exif\x00\x00") :] if b"Exif\x00\x00" in data else b"")
            try:
                sniff_bytes(data[:4096])
                probe(path)
            except MediaError as exc:
                assert str(exc).strip(), "a MediaError without a reason"

    end = time.monotonic() + BUDGET
    while time.monotonic() < end:
        readers_never_crash()
    assert examples > 0


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xd8\xff",
        b"II*\x00\xff\xff\xff\x7f",
        b"MM\x00*\x00\x00\x00\x08\xff\xff",
        b"\x00\x00\x00\x18ftypheic" + b"\xff" * 32,
        b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 8 + b"\xff\xff\xff\xffmoov",
    ],
)
def test_tiny_hostile_headers_are_refused_with_a_reason(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "tiny.bin"
    path.write_bytes(data)
    with alarm(HANG):
        assert read_exif_bytes(data).is_empty
        with pytest.raises(MediaError) as caught:
            probe(path)
    assert len(str(caught.value)) > 10
