"""Derivative specs, their fingerprints, and making every derivative of one original."""

from __future__ import annotations

import enum
import hashlib
import json
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from media import images, raw, video
from media.errors import MediaError, NoDecoder, TookTooLong
from media.kinds import sniff
from media.temporary import frame_folder_prefix
from media.video import Limits

# Bump when the code that makes derivatives changes what it writes.
RECIPE_VERSION = 1


class Role(enum.StrEnum):
    """What a derivative is (see Spec)."""

    IMAGE = "image"
    POSTER = "poster"
    VIDEO = "video"


@dataclass(frozen=True)
class Spec:
    """The named recipe of one derivative.

    ``role`` says what it is: ``image`` (a resized photo or, for a video, its
    poster frame resized), ``poster`` (a video's still frame) or ``video`` (the
    web preview). ``kinds`` says which kinds of item get it.
    """

    name: str
    role: Role
    kinds: tuple[str, ...]
    max_size: int = 0  # long edge in pixels (image, poster)
    quality: int = 80
    method: int = 4  # WebP encoder effort, 0-6
    position: float = 0.1  # poster: fraction of the duration
    max_height: int = 720  # video
    crf: int = 26
    preset: str = "veryfast"
    audio_bitrate: str = "96k"

    @property
    def extension(self) -> str:
        return ".mp4" if self.role == Role.VIDEO else ".webp"

    @property
    def mime(self) -> str:
        return "video/mp4" if self.role == Role.VIDEO else "image/webp"

    def fingerprint(self) -> str:
        data = asdict(self)
        data.pop("name")
        data["recipe"] = RECIPE_VERSION
        text = json.dumps(data, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


DEFAULT_SPECS: tuple[Spec, ...] = (
    Spec("thumb", Role.IMAGE, ("photo", "video"), max_size=320, quality=72),
    # What a 360 px phone at 2x loads (720 device pixels across); q70 keeps its photo page
    # under 2.5 s to the largest paint at 250 kbit/s (tests/site/test_weights.py).
    Spec("mid", Role.IMAGE, ("photo",), max_size=720, quality=70),
    Spec("display", Role.IMAGE, ("photo",), max_size=1600, quality=80),
    Spec("poster", Role.POSTER, ("video",), max_size=1280, quality=78),
    Spec("preview", Role.VIDEO, ("video",), max_height=720, crf=26),
)


# What a RAW photo's derivatives were made from (Made.source).
FROM_PREVIEW = "embedded preview"
FROM_LIBRAW = "developed with LibRaw"
FROM_SMALL_PREVIEW = "embedded preview (LibRaw cannot develop this file)"


@dataclass(frozen=True)
class Made:
    """One derivative file written; ``source`` says what it was made from when that is not
    simply the original (a RAW's embedded preview, or the RAW developed by LibRaw)."""

    spec: str
    path: Path
    mime: str
    width: int | None
    height: int | None
    size: int
    fingerprint: str
    source: str | None = None


def make_derivatives(
    original: Path,
    kind: str,
    specs: list[Spec],
    outputs: dict[str, Path],
    *,
    duration: float | None = None,
    has_audio: bool = False,
    video_height: int | None = None,
    threads: int = 0,
    limits: Limits = Limits(),
) -> list[Made]:
    """Write the derivatives named in ``outputs`` for one original; raise MediaError
    (TookTooLong when ffmpeg runs past one of ``limits``)."""
    wanted = [s for s in specs if s.name in outputs and kind in s.kinds]
    if kind == "photo":
        return _photo(original, wanted, outputs)
    return _video(original, wanted, outputs, duration, has_audio, video_height, threads, limits)


def _photo(original: Path, specs: list[Spec], outputs: dict[str, Path]) -> list[Made]:
    """Resized copies of a photo; raise NoDecoder when this machine cannot decode it."""
    sized = [s for s in specs if s.role == Role.IMAGE]
    if not sized:
        return []
    targets = [(outputs[s.name], s.max_size, s.quality, s.method) for s in sized]
    sniffed = sniff(original)
    source = None
    if sniffed.raw:
        written, source = _raw_photo(original, targets)
    else:
        missing = images.decoder_missing(sniffed.format)
        if missing:
            raise NoDecoder(missing)
        written = images.write_sizes(original, targets)
    by_path = {w.path: w for w in written}
    return [_made(s, by_path[outputs[s.name]], source) for s in sized]


def _raw_photo(
    original: Path, targets: list[tuple[Path, int, int, int]]
) -> tuple[list[images.Written], str]:
    """From the camera's embedded preview when it is at least as large as the largest
    derivative, else developed by LibRaw at half size; a preview too small is still used
    when LibRaw cannot develop the file."""
    largest = max(edge for _, edge, _, _ in targets)
    preview = raw.embedded_preview(original)
    picture = None
    if preview is not None:
        picture = preview.jpeg if preview.jpeg is not None else preview.pixels
        if max(images.picture_size(picture)) >= largest:
            return images.write_picture_sizes(
                picture, targets, orientation=preview.orientation
            ), FROM_PREVIEW
    try:
        developed = raw.develop(original)
    except NoDecoder:
        if preview is None or picture is None or not max(images.picture_size(picture)):
            raise
        return images.write_picture_sizes(
            picture, targets, orientation=preview.orientation
        ), FROM_SMALL_PREVIEW
    return images.write_picture_sizes(developed, targets), FROM_LIBRAW


def _video(
    original: Path,
    specs: list[Spec],
    outputs: dict[str, Path],
    duration: float | None,
    has_audio: bool,
    video_height: int | None,
    threads: int,
    limits: Limits,
) -> list[Made]:
    made: list[Made] = []
    stills = [s for s in specs if s.role in (Role.POSTER, Role.IMAGE)]
    if stills:
        position = next((s.position for s in stills if s.role == Role.POSTER), 0.1)
        with tempfile.TemporaryDirectory(prefix=frame_folder_prefix()) as tmp:
            frame = Path(tmp) / "frame.png"
            _good_frame(original, duration, position, frame, limits.probe)
            written = images.write_sizes(
                frame, [(outputs[s.name], s.max_size, s.quality, s.method) for s in stills]
            )
        by_path = {w.path: w for w in written}
        made.extend(_made(s, by_path[outputs[s.name]]) for s in stills)
    for spec in (s for s in specs if s.role == Role.VIDEO):
        target = outputs[spec.name]
        video.transcode_preview(
            original,
            target,
            max_height=spec.max_height,
            crf=spec.crf,
            preset=spec.preset,
            audio_bitrate=spec.audio_bitrate,
            has_audio=has_audio,
            threads=threads,
            timeout=limits.transcode_for(duration),
        )
        height = min(spec.max_height, video_height) if video_height else None
        made.append(
            Made(
                spec.name,
                target,
                spec.mime,
                None,
                height,
                target.stat().st_size,
                spec.fingerprint(),
            )
        )
    return made


def _good_frame(
    original: Path, duration: float | None, position: float, out: Path, timeout: float
) -> None:
    """A frame from ``position`` of the way in; later ones if that frame is blank."""
    if not duration:
        video.extract_frame(original, 0.0, out, timeout=timeout)
        return
    tries = [position, 0.3, 0.5, 0.0]
    last_error: MediaError | None = None
    for fraction in tries:
        try:
            video.extract_frame(original, duration * fraction, out, timeout=timeout)
        except TookTooLong:
            raise  # another frame of the same file would take as long
        except MediaError as exc:
            last_error = exc
            continue
        if not images.is_blank(out):
            return
    if out.exists():
        return  # every frame is dark: a dark video; keep the last one
    raise last_error or MediaError("no frame could be taken from the video")


def _made(spec: Spec, written: images.Written, source: str | None = None) -> Made:
    return Made(
        spec.name,
        written.path,
        spec.mime,
        written.width,
        written.height,
        written.size,
        spec.fingerprint(),
        source,
    )
