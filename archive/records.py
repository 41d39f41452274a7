"""Where a probe result becomes a catalogue record (the one place media meets catalog)."""

from __future__ import annotations

from archive.layout import Layout
from archive.workers import IngestResult
from catalog.models import Derivative, Item
from media.derivatives import Made


def item_from_result(result: IngestResult, now: str) -> Item:
    """The catalogue item for a file a worker has probed and stored."""
    info = result.info
    if info is None or result.sha256 is None or result.original is None:
        raise ValueError("only a successful ingest result makes an item")
    extra: dict[str, object] = {"format": info.format}
    if info.format_id is not None:
        extra["format_id"] = info.format_id.to_dict()
    if info.has_audio:
        extra["has_audio"] = True
    if info.frames > 1:
        extra["frames"] = info.frames
    return Item(
        key=result.sha256[:16],
        sha256=result.sha256,
        kind=info.kind,
        mime=info.mime,
        size=result.task.size,
        original=result.original,
        width=info.width,
        height=info.height,
        orientation=info.orientation,
        rotation=info.rotation,
        duration=info.duration,
        frame_rate=info.frame_rate,
        video_codec=info.video_codec,
        audio_codec=info.audio_codec,
        taken_at=info.taken_at,
        taken_at_original=info.taken_at,
        camera_make=info.camera_make,
        camera_model=info.camera_model,
        lens=info.lens,
        exposure_time=info.exposure_time,
        f_number=info.f_number,
        iso=info.iso,
        focal_length=info.focal_length,
        gps_lat=info.gps_lat,
        gps_lon=info.gps_lon,
        gps_alt=info.gps_alt,
        ingested_at=now,
        updated_at=now,
        extra=extra,
    )


def derivative_record(layout: Layout, key: str, made: Made, now: str) -> Derivative:
    return Derivative(
        key=key,
        spec=made.spec,
        path=layout.relative(made.path),
        fingerprint=made.fingerprint,
        mime=made.mime,
        width=made.width,
        height=made.height,
        size=made.size,
        made_at=now,
        source=made.source,
    )
