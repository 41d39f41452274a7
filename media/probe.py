"""One call that tells everything technical about a file: kind, size, dates, camera, place."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from media import avchd, raw
from media.embedded import Embedded, read_embedded, xp_meta
from media.errors import MediaError, NoDecoder
from media.exif import (
    EMPTY,
    ExifData,
    read_exif,
    read_exif_bytes,
    read_exif_image,
    read_exif_parts,
)
from media.images import ImageHeader, decoder_missing, picture_size, read_header
from media.kinds import RAW_EXTENSIONS, Sniffed, sniff
from media.pronom import FormatId, identify
from media.video import Limits, probe_video

# Formats exifread reads straight from the file; the others go through Pillow's EXIF block.
_EXIFREAD_FORMATS = {"JPEG", "TIFF", "HEIF", "AVIF", "PNG", "JPEG XL"}


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
    format_id: FormatId | None = None  # the PRONOM format and version, from the first bytes


def probe(path: Path, *, limits: Limits = Limits()) -> MediaInfo:
    """Identify ``path`` by content and read its metadata; raise MediaError with the reason
    (TookTooLong when ffprobe runs past ``limits.probe``)."""
    sniffed = sniff(path)
    if sniffed.kind == "photo":
        info = _probe_photo(path, sniffed)
    else:
        info = _probe_video(path, sniffed, limits)
    return replace(info, format_id=identify(path))


def _probe_photo(path: Path, sniffed: Sniffed) -> MediaInfo:
    if sniffed.raw:
        width, height, exif = _raw_facts(path, sniffed)
        orientation, frames = exif.orientation, 1
    else:
        header = _header(path, sniffed)
        exif = EMPTY
        if sniffed.format in _EXIFREAD_FORMATS:
            exif = read_exif(path)
        if exif.is_empty and header.exif:
            exif = read_exif_bytes(header.exif)
        width, height, frames = header.width or None, header.height or None, header.frames
        orientation = exif.orientation
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
        frames=frames,
        notes=tuple(notes),
        embedded=embedded,
    )


def _header(path: Path, sniffed: Sniffed) -> ImageHeader:
    """Pillow's header; for a format this machine cannot decode, an empty one (the file is
    still a photo of a known kind: its derivatives say "no preview")."""
    if decoder_missing(sniffed.format):
        return ImageHeader(sniffed.format, 0, 0, 1, "", None, False)
    return read_header(path)


def _raw_facts(path: Path, sniffed: Sniffed) -> tuple[int | None, int | None, ExifData]:
    """A camera RAW: its developed size from LibRaw, its EXIF from where the format keeps it
    (the TIFF directories, a CR3's CMT boxes, a RAF's JPEG), else from the embedded preview."""
    if sniffed.format == "Canon CR3":
        blocks = raw.cr3_exif_blocks(path)
        exif = read_exif_parts(blocks.get("CMT1"), blocks.get("CMT2"), blocks.get("CMT4"))
    elif sniffed.format == "Fujifilm RAF":
        jpeg = raw.raf_jpeg(path)
        exif = read_exif_image(jpeg) if jpeg else EMPTY
    else:
        exif = read_exif(path)  # TIFF-structured: DNG, CR2, NEF, ARW, PEF, ORF, RW2…
    try:
        facts: raw.RawFacts | None = raw.read_raw(path)
    except NoDecoder:
        facts = None  # kept all the same; making its derivatives will say why there are none
    width = facts.width if facts else exif.width
    height = facts.height if facts else exif.height
    if facts and (exif.taken_at is None or exif.camera_make is None):
        exif = _fill_from_preview(path, exif)
    if exif.orientation is None and facts is not None:
        exif = replace(exif, orientation=facts.orientation)
    if width and height and exif.orientation in (5, 6, 7, 8):
        width, height = height, width
    return width, height, exif


def _fill_from_preview(path: Path, exif: ExifData) -> ExifData:
    """Fields the RAW's own directories lack, from its embedded JPEG's EXIF (a Panasonic
    RW2 keeps its date and GPS there)."""
    try:
        preview = raw.embedded_preview(path)
    except MediaError:
        return exif
    if preview is None or preview.jpeg is None or not max(picture_size(preview.jpeg)):
        return exif
    found = read_exif_image(preview.jpeg)
    missing = {k: v for k, v in found.__dict__.items() if getattr(exif, k) is None and v}
    for own in ("width", "height", "orientation"):  # the preview's, not the RAW's
        missing.pop(own, None)
    return replace(exif, **missing)


def _probe_video(path: Path, sniffed: Sniffed, limits: Limits) -> MediaInfo:
    info = probe_video(path, timeout=limits.probe)
    if not info.width or not info.height:
        raise MediaError("the video stream has no picture size")
    notes = []
    if path.suffix.lower() not in _extensions_for(sniffed):
        notes.append(f"named {path.suffix or '(no extension)'} but the content is {sniffed.format}")
    if info.video_streams > 1:
        notes.append(f"{info.video_streams} video streams; the largest is used")
    taken_at, make, model = info.taken_at, info.camera_make, info.camera_model
    if sniffed.format == "MPEG-TS" and not (taken_at and make and model):
        # AVCHD: the container has no date; the camera wrote it into the H.264 stream.
        mdpm = avchd.read_mdpm(path)
        if mdpm is not None:
            taken_at = taken_at or mdpm.taken_at
            make, model = make or mdpm.camera_make, model or mdpm.camera_model
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
        taken_at=taken_at,
        camera_make=make,
        camera_model=model,
        gps_lat=info.gps_lat,
        gps_lon=info.gps_lon,
        gps_alt=info.gps_alt,
        has_audio=info.audio_codec is not None,
        notes=tuple(notes),
        embedded=read_embedded(path, "video"),
    )


_ALIASES = {
    ".jpg": {".jpg", ".jpeg", ".jpe", ".jfif"},
    ".tif": {".tif", ".tiff", ".btf", ".tf8"},
    ".nef": {".nef", ".nrw"},
    ".nrw": {".nrw", ".nef"},
    ".arw": {".arw", ".srf", ".sr2"},
    ".orf": {".orf", ".ori"},
    ".rw2": {".rw2", ".rwl", ".raw"},
    ".raw": set(RAW_EXTENSIONS),
    ".jp2": {".jp2", ".jpx", ".jpf", ".jpg2"},
    ".j2k": {".j2k", ".j2c", ".jpc"},
    ".heic": {".heic", ".heif", ".hif"},
    ".mov": {".mov", ".qt", ".mp4", ".m4v"},
    ".mp4": {".mp4", ".m4v", ".mov"},
    ".mts": {".mts", ".m2ts", ".ts"},
    ".mkv": {".mkv", ".mk3d"},
    ".mpg": {".mpg", ".mpeg", ".vob"},
}


def _extensions_for(sniffed: Sniffed) -> set[str]:
    return _ALIASES.get(sniffed.extension, {sniffed.extension})
