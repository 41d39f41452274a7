"""media.video: what ffprobe says, turned into displayed size, date, camera and place."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from media.errors import CorruptFile, MediaError, TookTooLong, UnsupportedFile
from media.video import Limits, extract_frame, parse_probe, probe_video, transcode_preview
from tests.conftest import HANG_SECONDS, hanging_tool, process_alive, wait_until


def _probe(
    *,
    stream: dict[str, Any] | None = None,
    tags: dict[str, str] | None = None,
    extra: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    video = {
        "codec_type": "video",
        "codec_name": "h264",
        "width": 1920,
        "height": 1080,
        "avg_frame_rate": "30000/1001",
    }
    video.update(stream or {})
    return {
        "streams": [video, *(extra or [])],
        "format": {"duration": "12.5", "format_name": "mov,mp4", "tags": tags or {}},
    }


def test_parse_probe_plain() -> None:
    info = parse_probe(_probe())
    assert (info.width, info.height, info.rotation) == (1920, 1080, 0)
    assert info.frame_rate == pytest.approx(29.97)
    assert info.duration == 12.5
    assert info.audio_codec is None
    assert info.taken_at is None


@pytest.mark.parametrize(
    ("side_rotation", "clockwise", "size"),
    [
        (-90, 90, (1080, 1920)),
        (90, 270, (1080, 1920)),
        (180, 180, (1920, 1080)),
        (-180, 180, (1920, 1080)),
    ],
)
def test_parse_probe_display_matrix_rotation(
    side_rotation: int, clockwise: int, size: tuple[int, int]
) -> None:
    stream = {"side_data_list": [{"side_data_type": "Display Matrix", "rotation": side_rotation}]}
    info = parse_probe(_probe(stream=stream))
    assert info.rotation == clockwise
    assert (info.width, info.height) == size
    assert (info.coded_width, info.coded_height) == (1920, 1080)


def test_parse_probe_old_rotate_tag() -> None:
    info = parse_probe(_probe(stream={"tags": {"rotate": "90"}}))
    assert (info.width, info.height) == (1080, 1920)


def test_parse_probe_odd_rotation_is_ignored() -> None:
    stream = {"side_data_list": [{"rotation": 45}]}
    assert parse_probe(_probe(stream=stream)).rotation == 0


def test_parse_probe_apple_local_date_wins_over_utc() -> None:
    tags = {
        "creation_time": "2019-07-24T08:25:57.000000Z",
        "com.apple.quicktime.creationdate": "2019-07-24T11:25:40+0300",
    }
    assert parse_probe(_probe(tags=tags)).taken_at == "2019-07-24T11:25:40+03:00"


def test_parse_probe_creation_time_is_utc() -> None:
    tags = {"creation_time": "2017-02-22T08:20:28.000000Z"}
    assert parse_probe(_probe(tags=tags)).taken_at == "2017-02-22T08:20:28Z"


def test_parse_probe_quicktime_zero_date_is_none() -> None:
    tags = {"creation_time": "1904-01-01T00:00:00.000000Z"}
    assert parse_probe(_probe(tags=tags)).taken_at is None


def test_parse_probe_riff_day_only_date() -> None:
    assert parse_probe(_probe(tags={"date": "2020-08-28"})).taken_at == "2020-08-28T00:00:00"


@pytest.mark.parametrize(
    ("tag", "value", "expected"),
    [
        ("location", "+51.4169-000.0806/", (51.4169, -0.0806, None)),
        (
            "com.apple.quicktime.location.ISO6709",
            "+32.0929+034.8620+028.516/",
            (32.0929, 34.862, 28.516),
        ),
        ("location", "+95.0000+010.0000/", (None, None, None)),
        ("location", "somewhere", (None, None, None)),
    ],
)
def test_parse_probe_location(tag: str, value: str, expected: tuple[Any, ...]) -> None:
    info = parse_probe(_probe(tags={tag: value}))
    assert (info.gps_lat, info.gps_lon, info.gps_alt) == expected


def test_parse_probe_cover_art_is_not_the_video() -> None:
    cover = {
        "codec_type": "video",
        "codec_name": "mjpeg",
        "width": 3000,
        "height": 3000,
        "disposition": {"attached_pic": 1},
    }
    info = parse_probe(_probe(extra=[cover]))
    assert (info.video_codec, info.width, info.video_streams) == ("h264", 1920, 1)


def test_parse_probe_audio_only_is_unsupported() -> None:
    data = {"streams": [{"codec_type": "audio", "codec_name": "aac"}], "format": {}}
    with pytest.raises(UnsupportedFile, match="no video stream"):
        parse_probe(data)


@pytest.mark.parametrize("rate", ["0/0", "30/0", "", None, "nonsense"])
def test_parse_probe_bad_frame_rate_is_none(rate: str | None) -> None:
    assert (
        parse_probe(_probe(stream={"avg_frame_rate": rate, "r_frame_rate": rate})).frame_rate
        is None
    )


def test_probe_video_rotated_iphone_mov(data_dir: Path, ffmpeg_tools: None) -> None:
    info = probe_video(data_dir / "rotated-90-gps.mov")
    assert (info.width, info.height, info.rotation) == (320, 568, 90)
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert info.taken_at == "2019-07-24T11:25:40+03:00"
    assert (info.camera_make, info.camera_model) == ("Apple", "iPhone 6")
    assert (info.gps_lat, info.gps_lon) == (pytest.approx(32.0929), pytest.approx(34.862))
    assert info.duration == pytest.approx(4.0, abs=0.1)


def test_probe_video_webm_without_audio(data_dir: Path, ffmpeg_tools: None) -> None:
    info = probe_video(data_dir / "no-audio-vp9.webm")
    assert (info.width, info.height, info.video_codec, info.audio_codec) == (320, 240, "vp9", None)


def test_probe_video_3gp(data_dir: Path, ffmpeg_tools: None) -> None:
    info = probe_video(data_dir / "amr-audio.3gp")
    assert (info.width, info.height, info.audio_codec) == (176, 144, "amr_nb")
    assert info.taken_at == "2005-10-28T17:36:40Z"


def test_probe_video_of_text_is_corrupt(tmp_path: Path, ffmpeg_tools: None) -> None:
    path = tmp_path / "clip.mov"
    path.write_text("this is not a film\n")
    with pytest.raises(CorruptFile, match="ffprobe"):
        probe_video(path)


def test_extract_frame_is_turned_as_a_player_shows_it(
    data_dir: Path, tmp_path: Path, ffmpeg_tools: None
) -> None:
    out = tmp_path / "frames" / "frame.png"
    extract_frame(data_dir / "rotated-90-gps.mov", 1.0, out)
    with Image.open(out) as frame:
        assert frame.size == (320, 568)


def test_extract_frame_past_the_end_is_an_error(
    data_dir: Path, tmp_path: Path, ffmpeg_tools: None
) -> None:
    with pytest.raises(MediaError):
        extract_frame(data_dir / "no-audio-vp9.webm", 3600.0, tmp_path / "frame.png")


def test_transcode_preview_of_garbage_leaves_nothing(tmp_path: Path, ffmpeg_tools: None) -> None:
    source = tmp_path / "broken.mp4"
    source.write_bytes(b"\x00\x00\x00\x18ftypisom" + b"\x00" * 200)
    out = tmp_path / "preview.mp4"
    with pytest.raises(CorruptFile, match="cannot convert"):
        transcode_preview(
            source,
            out,
            max_height=720,
            crf=30,
            preset="ultrafast",
            audio_bitrate="64k",
            has_audio=False,
        )
    assert list(tmp_path.iterdir()) == [source]


# -- time limits: a fake ffprobe or ffmpeg that hangs, first on PATH -------------------------
@pytest.fixture
def pids(tmp_path: Path) -> Path:
    return tmp_path / "pids"


def _all_dead(pids: Path) -> bool:
    numbers = [int(p) for p in pids.read_text().split()]
    assert len(numbers) == 2, "the fake tool and its child each wrote a pid"
    return not any(process_alive(p) for p in numbers)


def _wait_dead(pids: Path) -> None:
    wait_until(lambda: _all_dead(pids), timeout=30, what="the hanging tool to be stopped")


@pytest.mark.skipif(sys.platform == "win32", reason="the fake tools are shell scripts")
def test_a_hanging_ffprobe_is_stopped_at_the_limit(
    data_dir: Path, tmp_path: Path, pids: Path, monkeypatch: pytest.MonkeyPatch, ffmpeg_tools: None
) -> None:
    hanging_tool(tmp_path / "bin", "ffprobe", pids)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    started = time.monotonic()
    with pytest.raises(TookTooLong, match="^ffprobe took longer than 1 s$") as caught:
        probe_video(data_dir / "no-audio-vp9.webm", timeout=1)
    assert time.monotonic() - started < HANG_SECONDS  # returned, not waited for the hang
    assert caught.value.limit == "probe"
    _wait_dead(pids)


@pytest.mark.skipif(sys.platform == "win32", reason="the fake tools are shell scripts")
def test_a_hanging_frame_grab_is_stopped_at_the_probe_limit(
    data_dir: Path, tmp_path: Path, pids: Path, monkeypatch: pytest.MonkeyPatch, ffmpeg_tools: None
) -> None:
    hanging_tool(tmp_path / "bin", "ffmpeg", pids)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(TookTooLong, match="^ffmpeg took longer than 0.5 s$") as caught:
        extract_frame(data_dir / "no-audio-vp9.webm", 1.0, tmp_path / "frame.png", timeout=0.5)
    assert caught.value.limit == "probe"
    _wait_dead(pids)


@pytest.mark.skipif(sys.platform == "win32", reason="the fake tools are shell scripts")
def test_a_hanging_transcode_is_stopped_and_leaves_no_temporary(
    data_dir: Path, tmp_path: Path, pids: Path, monkeypatch: pytest.MonkeyPatch, ffmpeg_tools: None
) -> None:
    hanging_tool(tmp_path / "bin", "ffmpeg", pids)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "previews" / "clip.mp4"
    with pytest.raises(TookTooLong, match="^ffmpeg took longer than 1 s$") as caught:
        transcode_preview(
            data_dir / "no-audio-vp9.webm",
            out,
            max_height=720,
            crf=30,
            preset="ultrafast",
            audio_bitrate="64k",
            has_audio=False,
            timeout=1,
        )
    assert caught.value.limit == "transcode"
    _wait_dead(pids)
    assert list(out.parent.iterdir()) == []  # the fake wrote the temporary; it is gone


def test_the_transcode_limit_grows_with_the_video() -> None:
    assert Limits().transcode_for(60.0) == 300 + 10 * 60
    assert Limits().transcode_for(None) == 3600
    assert Limits(transcode=90).transcode_for(600.0) == 90
    assert Limits().probe == 60
