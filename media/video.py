"""ffprobe and ffmpeg through ffmpeg-python: video facts, a still frame, a web preview."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from media.errors import CorruptFile, MediaError, UnsupportedFile

PROBE_TIMEOUT = 60


@dataclass(frozen=True)
class VideoInfo:
    """What ffprobe says of a video, with width and height as displayed."""

    duration: float | None
    width: int | None
    height: int | None
    coded_width: int | None
    coded_height: int | None
    rotation: int  # clockwise degrees a player turns the picture: 0, 90, 180, 270
    video_codec: str | None
    audio_codec: str | None
    frame_rate: float | None
    taken_at: str | None
    camera_make: str | None
    camera_model: str | None
    gps_lat: float | None
    gps_lon: float | None
    gps_alt: float | None
    video_streams: int
    audio_streams: int
    format_name: str | None


def tools_available() -> bool:
    return bool(shutil.which("ffmpeg") and shutil.which("ffprobe"))


def probe_video(path: Path) -> VideoInfo:
    """Run ffprobe on ``path``; raise a MediaError that says what is wrong."""
    if not tools_available():
        raise MediaError("ffmpeg/ffprobe are not installed (apt-get install ffmpeg)")
    try:
        data = ffmpeg.probe(str(path), timeout=PROBE_TIMEOUT)
    except ffmpeg.Error as exc:
        raise CorruptFile(f"ffprobe cannot read the video: {_stderr(exc)}") from exc
    except Exception as exc:  # TimeoutExpired and friends
        raise CorruptFile(f"ffprobe failed: {exc}") from exc
    return parse_probe(data)


def parse_probe(data: dict[str, Any]) -> VideoInfo:
    streams = data.get("streams") or []
    fmt = data.get("format") or {}
    videos = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    audios = [s for s in streams if s.get("codec_type") == "audio"]
    if not videos:
        raise UnsupportedFile("the file has no video stream (audio only or empty container)")
    video = max(videos, key=lambda s: (s.get("width") or 0) * (s.get("height") or 0))
    rotation = _rotation(video)
    width, height = video.get("width"), video.get("height")
    shown_w, shown_h = (height, width) if rotation in (90, 270) else (width, height)
    tags = _lower_tags(fmt.get("tags"))
    stream_tags = _lower_tags(video.get("tags"))
    lat, lon, alt = _location(tags) or _location(stream_tags) or (None, None, None)
    duration = _float(fmt.get("duration")) or _float(video.get("duration"))
    return VideoInfo(
        duration=round(duration, 3) if duration else None,
        width=shown_w,
        height=shown_h,
        coded_width=width,
        coded_height=height,
        rotation=rotation,
        video_codec=video.get("codec_name"),
        audio_codec=audios[0].get("codec_name") if audios else None,
        frame_rate=_rate(video.get("avg_frame_rate")) or _rate(video.get("r_frame_rate")),
        taken_at=_taken_at(tags, stream_tags),
        camera_make=tags.get("com.apple.quicktime.make") or tags.get("make"),
        camera_model=tags.get("com.apple.quicktime.model") or tags.get("model"),
        gps_lat=lat,
        gps_lon=lon,
        gps_alt=alt,
        video_streams=len(videos),
        audio_streams=len(audios),
        format_name=fmt.get("format_name"),
    )


def extract_frame(path: Path, at: float, out: Path) -> None:
    """Write the frame at ``at`` seconds as PNG, turned as a player shows it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        (
            ffmpeg.input(str(path), ss=max(at, 0.0))
            .output(str(out), vframes=1, format="image2", vcodec="png")
            .global_args("-nostdin", "-loglevel", "error")
            .overwrite_output()
            .run(capture_stdout=True, capture_stderr=True)
        )
    except ffmpeg.Error as exc:
        raise CorruptFile(f"ffmpeg cannot take a frame: {_stderr(exc)}") from exc
    if not out.exists() or out.stat().st_size == 0:
        raise CorruptFile(f"ffmpeg found no frame at {at:.2f} s")


def transcode_preview(
    path: Path,
    out: Path,
    *,
    max_height: int,
    crf: int,
    preset: str,
    audio_bitrate: str,
    has_audio: bool,
    threads: int = 0,
) -> None:
    """Write an H.264/AAC MP4 at most ``max_height`` high, with +faststart and no metadata."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.tmp.mp4")
    source = ffmpeg.input(str(path))
    video = (
        source["v:0"]
        .filter("scale", w="trunc(oh*a/2)*2", h=f"min({max_height},trunc(ih/2)*2)")
        .filter("format", "yuv420p")
    )
    streams = [video]
    audio_args: dict[str, Any] = {"an": None}
    if has_audio:
        streams.append(source["a:0"])
        audio_args = {"acodec": "aac", "audio_bitrate": audio_bitrate, "ac": 2}
    try:
        (
            ffmpeg.output(
                *streams,
                str(tmp),
                vcodec="libx264",
                preset=preset,
                crf=crf,
                profile="main",
                movflags="+faststart",
                map_metadata=-1,
                map_chapters=-1,
                format="mp4",
                threads=threads,
                **audio_args,
            )
            .global_args("-nostdin", "-loglevel", "error")
            .overwrite_output()
            .run(capture_stdout=True, capture_stderr=True)
        )
        os.replace(tmp, out)
    except ffmpeg.Error as exc:
        raise CorruptFile(f"ffmpeg cannot convert the video: {_stderr(exc)}") from exc
    finally:
        if tmp.exists():
            tmp.unlink()


def probe_streams(path: Path) -> dict[str, Any]:
    """ffprobe's raw answer (formats and streams), for checks and tests."""
    return ffmpeg.probe(str(path), timeout=PROBE_TIMEOUT)


def _stderr(exc: Any) -> str:
    text = (getattr(exc, "stderr", b"") or b"").decode("utf-8", "replace").strip()
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no reason given"


def _rotation(stream: dict[str, Any]) -> int:
    value: Any = None
    for side in stream.get("side_data_list") or []:
        if "rotation" in side:
            value = side["rotation"]
            break
    if value is None:
        value = (stream.get("tags") or {}).get("rotate")
    try:
        degrees = int(round(float(value))) if value is not None else 0
    except (TypeError, ValueError):
        return 0
    # ffprobe's display matrix turns counter-clockwise; players turn clockwise.
    clockwise = (-degrees) % 360
    return clockwise if clockwise in (0, 90, 180, 270) else 0


def _lower_tags(tags: Any) -> dict[str, str]:
    if not isinstance(tags, dict):
        return {}
    return {str(k).lower(): str(v) for k, v in tags.items()}


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and number > 0 else None


def _rate(value: Any) -> float | None:
    if not value or not isinstance(value, str) or "/" not in value:
        return _float(value)
    num, _, den = value.partition("/")
    try:
        n, d = float(num), float(den)
    except ValueError:
        return None
    if d == 0 or n == 0:
        return None
    rate = n / d
    return round(rate, 3) if 0 < rate < 1000 else None


_ISO6709 = re.compile(r"([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?")


def _location(tags: dict[str, str]) -> tuple[float, float, float | None] | None:
    for name in ("com.apple.quicktime.location.iso6709", "location", "location-eng"):
        text = tags.get(name)
        if not text:
            continue
        match = _ISO6709.match(text.strip())
        if not match:
            continue
        lat, lon = float(match.group(1)), float(match.group(2))
        alt = float(match.group(3)) if match.group(3) else None
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return lat, lon, alt
    return None


_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?"
)


def _taken_at(tags: dict[str, str], stream_tags: dict[str, str]) -> str | None:
    """Apple's local creationdate (it has an offset), else the container's UTC time."""
    for name, default_zone in (
        ("com.apple.quicktime.creationdate", ""),
        ("creation_time", "Z"),
        ("date", ""),
    ):
        for source in (tags, stream_tags):
            value = source.get(name)
            parsed = _iso(value, default_zone) if value else None
            if parsed:
                return parsed
    return None


def _iso(value: str, default_zone: str) -> str | None:
    match = _ISO.match(value.strip())
    if not match:
        day = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
        if day and 1800 <= int(day.group(1)) <= 2200:
            return f"{day.group(1)}-{day.group(2)}-{day.group(3)}T00:00:00"
        return None
    y, mo, d, h, mi, s = (int(g) for g in match.groups()[:6])
    if (
        not (1800 <= y <= 2200 and 1 <= mo <= 12 and 1 <= d <= 31)
        or y == 1904
        and mo == 1
        and d == 1
    ):
        return None  # 1904-01-01 is QuickTime's zero date
    zone = match.group(7) or default_zone
    if zone and zone != "Z" and ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    if zone in ("+00:00",) and default_zone == "Z":
        zone = "Z"
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{zone}"
