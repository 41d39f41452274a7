"""One call that tells everything technical about a file: kind, size, dates, camera, place."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from media.embedded import Embedded, read_embedded, xp_meta
from media.errors import MediaError
from media.exif import EMPTY, ExifData, read_exif, read_exif_bytes
from media.images import read_header
from media.kinds import Sniffed, sniff
from media.video import Limits, probe_video

# Formats exifread reads straight from the file; the others go through Pillow's EXIF block.
_EXIFREAD_FORMATS = {"JPEG", "TIFF", "HEIF", "AVIF", "PNG"}


@dataclass(frozen=True)
class MediaInfo:
    """Technical metadata of one photo or video; None where the file says nothing."""

    kind: str
    mime: str
    format: str
    extension: str
    width: int | None = None
    height: int | None = None
    orientation: int | None = None
    rotation: int | None = None
    duration: float | None = None
    frame_rate: float | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    taken_at: str | None = None
    camera_make: str | None = None
    camera_model: str | None = None
    lens: str | None = None
    exposure_time: float | None = None
    f_number: float | None = None
    iso: int | None = None
    focal_length: float | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    frames: int = 1
    has_audio: bool = False
    notes: tuple[str, ...] = field(default=())
    embedded: Embedded = field(default=Embedded())  # captions and keywords in the file


def probe(path: Path, *, limits: Limits = Limits()) -> MediaInfo:
    """Identify ``path`` by content and read its metadata; raise MediaError with the reason
    (TookTooLong when ffprobe runs past ``limits.probe``)."""
    sniffed = sniff(path)
    if sniffed.kind == "photo":
        return _probe_photo(path, sniffed)
    return _probe_video(path, sniffed, limits)


def _probe_photo(path: Path, sniffed: Sniffed) -> MediaInfo:
    header = read_header(path)
    exif: ExifData = EMPTY
    if header.format in _EXIFREAD_FORMATS or sniffed.format in _EXIFREAD_FORMATS:
        exif = read_exif(path)
    if exif.is_empty and header.exif:
        exif = read_exif_bytes(header.exif)
    width, height = header.width, header.height
    orientation = exif.orientation
    if (
        header.format == "TIFF"
        and exif.width
        and exif.height
        and exif.width * exif.height > width * height
    ):
        # A raw file (DNG) whose first image is a small preview.
        width, height = exif.width, exif.height
    if orientation in (5, 6, 7, 8) and not header.decoder_applies_orientation:
        width, height = height, width
    notes = []
    if path.suffix.lower() not in _extensions_for(sniffed):
        notes.append(f"named {path.suffix or '(no extension)'} but the content is {sniffed.format}")
    embedded = replace(
        read_embedded(path, "photo"),
        xp=xp_meta(exif.xp_title, exif.xp_comment, exif.xp_keywords, exif.xp_author),
    )
    return MediaInfo(
        kind="photo",
        mime=sniffed.mime,
        format=sniffed.format,
        extension=sniffed.extension,
        width=width,
        height=height,
        orientation=orientation,
        taken_at=exif.taken_at,
        camera_make=exif.camera_make,
        camera_model=exif.camera_model,
        lens=exif.lens,
        exposure_time=exif.exposure_time,
        f_number=exif.f_number,
        iso=exif.iso,
        focal_length=exif.focal_length,
        gps_lat=exif.gps_lat,
        gps_lon=exif.gps_lon,
        gps_alt=exif.gps_alt,
        frames=header.frames,
        notes=tuple(notes),
        embedded=embedded,
    )


def _probe_video(path: Path, sniffed: Sniffed, limits: Limits) -> MediaInfo:
    info = probe_video(path, timeout=limits.probe)
    if not info.width or not info.height:
        raise MediaError("the video stream has no picture size")
    notes = []
    if path.suffix.lower() not in _extensions_for(sniffed):
        notes.append(f"named {path.suffix or '(no extension)'} but the content is {sniffed.format}")
    if info.video_streams > 1:
        notes.append(f"{info.video_streams} video streams; the largest is used")
    return MediaInfo(
        kind="video",
        mime=sniffed.mime,
        format=sniffed.format,
        extension=sniffed.extension,
        width=info.width,
        height=info.height,
        rotation=info.rotation,
        duration=info.duration,
        frame_rate=info.frame_rate,
        video_codec=info.video_codec,
        audio_codec=info.audio_codec,
        taken_at=info.taken_at,
        camera_make=info.camera_make,
        camera_model=info.camera_model,
        gps_lat=info.gps_lat,
        gps_lon=info.gps_lon,
        gps_alt=info.gps_alt,
        has_audio=info.audio_codec is not None,
        notes=tuple(notes),
        embedded=read_embedded(path, "video"),
    )


_ALIASES = {
    ".jpg": {".jpg", ".jpeg", ".jpe", ".jfif"},
    ".tif": {".tif", ".tiff", ".dng", ".nef", ".cr2", ".arw"},
    ".heic": {".heic", ".heif", ".hif"},
    ".mov": {".mov", ".qt", ".mp4", ".m4v"},
    ".mp4": {".mp4", ".m4v", ".mov"},
    ".mts": {".mts", ".m2ts", ".ts"},
    ".mkv": {".mkv", ".mk3d"},
    ".mpg": {".mpg", ".mpeg", ".vob"},
}


def _extensions_for(sniffed: Sniffed) -> set[str]:
    return _ALIASES.get(sniffed.extension, {sniffed.extension})
