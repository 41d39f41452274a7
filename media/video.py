"""ffprobe and ffmpeg through ffmpeg-python: video facts, a still frame, a web preview."""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from media import process
from media.errors import CorruptFile, MediaError, UnsupportedFile
from media.temporary import temporary_path

PROBE_TIMEOUT = 60.0
# A web preview may take this long, plus so much per second of video, unless told otherwise.
TRANSCODE_BASE = 300.0
TRANSCODE_PER_SECOND = 10.0
# ... and this long when the video does not say how long it is.
TRANSCODE_UNKNOWN = 3600.0


@dataclass(frozen=True)
class Limits:
    """How long ffprobe and ffmpeg may work on one file, in seconds, before it is given up."""

    probe: float = PROBE_TIMEOUT  # reading a video's facts, and taking each still frame
    transcode: float | None = None  # making a web preview; None: scaled by the duration

    def transcode_for(self, duration: float | None) -> float:
        """The time a web preview of a video of ``duration`` seconds may take."""
        if self.transcode is not None:
            return self.transcode
        if not duration:
            return TRANSCODE_UNKNOWN
        return TRANSCODE_BASE + TRANSCODE_PER_SECOND * duration


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


def probe_video(path: Path, *, timeout: float = PROBE_TIMEOUT) -> VideoInfo:
    """Run ffprobe on ``path``; raise a MediaError that says what is wrong (TookTooLong
    when ffprobe runs past ``timeout`` seconds)."""
    if not tools_available():
        raise MediaError("ffmpeg/ffprobe are not installed (apt-get install ffmpeg)")
    return parse_probe(probe_streams(path, timeout=timeout))


def probe_streams(path: Path, *, timeout: float = PROBE_TIMEOUT) -> dict[str, Any]:
    """ffprobe's raw answer (formats and streams), as ``ffmpeg.probe`` gives it."""
    # The command line of ffmpeg.probe, run here so that the time limit stops it.
    args = ["ffprobe", "-show_format", "-show_streams", "-of", "json", str(path)]
    done = process.run(args, timeout=timeout, limit="probe")
    if done.returncode != 0:
        raise CorruptFile(f"ffprobe cannot read the video: {_stderr(done.stderr)}")
    try:
        data = json.loads(done.stdout.decode("utf-8", "replace"))
    except ValueError as exc:
        raise CorruptFile(f"ffprobe gave an answer that is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise CorruptFile("ffprobe gave an answer that is not a JSON object")
    return data


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


def extract_frame(path: Path, at: float, out: Path, *, timeout: float = PROBE_TIMEOUT) -> None:
    """Write the frame at ``at`` seconds as PNG, turned as a player shows it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    args = (
        ffmpeg.input(str(path), ss=max(at, 0.0))
        .output(str(out), vframes=1, format="image2", vcodec="png")
        .global_args("-nostdin", "-loglevel", "error")
        .overwrite_output()
        .compile()
    )
    done = process.run(args, timeout=timeout, limit="probe")
    if done.returncode != 0:
        raise CorruptFile(f"ffmpeg cannot take a frame: {_stderr(done.stderr)}")
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
    timeout: float | None = None,
) -> None:
    """Write an H.264/AAC MP4 at most ``max_height`` high, with +faststart and no metadata.

    ``timeout``: seconds ffmpeg may take (TookTooLong past it); None: no limit.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(out)
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
    args = (
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
            format="mp4",  # the temporary's name does not end in .mp4
            threads=threads,
            **audio_args,
        )
        .global_args("-nostdin", "-loglevel", "error")
        .overwrite_output()
        .compile()
    )
    try:
        done = process.run(args, timeout=timeout, limit="transcode")
        if done.returncode != 0:
            raise CorruptFile(f"ffmpeg cannot convert the video: {_stderr(done.stderr)}")
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()


def _stderr(raw: bytes) -> str:
    text = (raw or b"").decode("utf-8", "replace").strip()
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
