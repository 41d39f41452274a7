"""Plan the IIIF level-0 image service (static tiles and info.json) of each published photo."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from archive.errors import ArchiveError
from archive.export.sitemodel import Entry
from archive.export.sync import Planned, is_safe_relative
from archive.layout import Layout
from catalog.models import Kind
from media.errors import MediaError
from media.tiles import TileLayout, cut, fitted, source_size

# The long side of the largest image a photo's tiles show: a 24 MP original is tiled at
# 4096 × 2731, not at full size (the site publishes detail, not the master file).
MAX_EDGE = 4096
TILES_VERSION = 2  # bump when the tiles' bytes change for the same source (2: no JFIF header)
SERVICES = "media/iiif"
# Originals Pillow decodes whole (camera RAW and the rest: tiles from the display image).
FROM_ORIGINAL = {"image/jpeg", "image/png", "image/tiff", "image/webp", "image/heic",
                 "image/avif", "image/jxl", "image/jp2", "image/gif"}  # fmt: skip


@dataclass(frozen=True)
class ImageService:
    """One photo's image service: its site folder and the layout of its files."""

    key: str
    folder: str  # site-relative: media/iiif/KEY
    layout: TileLayout


class _Cutter:
    """Cuts one photo's tiles on first demand (a decode per photo, not per tile)."""

    def __init__(self, source: Path, fallback: Path | None, layout: TileLayout, key: str,
                 warnings: list[str]) -> None:  # fmt: skip
        self.source, self.fallback, self.layout = source, fallback, layout
        self.key, self.warnings = key, warnings
        self.files: dict[str, bytes] | None = None

    def render(self, rel: str) -> bytes:
        if self.files is None or rel not in self.files:
            self.files = self._cut()
        return self.files.pop(rel)

    def _cut(self) -> dict[str, bytes]:
        try:
            return cut(self.source, self.layout)
        except MediaError as exc:
            if self.fallback is None:
                raise ArchiveError(f"{self.source}: cannot cut IIIF tiles: {exc}") from exc
            self.warnings.append(
                f"item {self.key}: the original cannot be decoded ({exc}); "
                "its deep-zoom tiles are made from the display image"
            )
            try:
                return cut(self.fallback, self.layout)
            except MediaError as again:
                raise ArchiveError(f"{self.fallback}: cannot cut IIIF tiles: {again}") from again


def plan_services(
    layout: Layout,
    entries: list[Entry],
    base: str,
    warnings: list[str],
    *,
    originals_in_bucket: bool = False,
) -> tuple[dict[str, ImageService], list[Planned]]:
    """The image service of each photo, and its files (tiles are cut only when written).

    Tiles come from the original (never modified; JPEGs written without its metadata),
    shown upright and at most MAX_EDGE pixels on its long side; from the largest published
    image when Pillow cannot read the original (a camera RAW), or when the originals are in
    a bucket (an export downloads no original). A photo whose original is missing from the
    archive's folder gets none (`archive check` says what to restore)."""
    services: dict[str, ImageService] = {}
    planned: list[Planned] = []
    for entry in entries:
        item = entry.item
        if item.kind != Kind.PHOTO or entry.media.image is None:
            continue
        display = entry.media.sources.get(entry.media.image.url)
        original: Path | None = None
        if originals_in_bucket:
            pass  # tiled from the display image below
        elif is_safe_relative(item.original) and layout.absolute(item.original).is_file():
            original = layout.absolute(item.original)
        else:
            warnings.append(
                f"item {item.key}: its original is missing ({item.original}); no deep-zoom "
                "tiles; run `archive check`"
            )
            continue
        try:
            if original is None or item.mime not in FROM_ORIGINAL:
                raise MediaError(f"{item.mime}: tiled from the display image")
            source, identity = original, f"original {item.sha256}"
            width, height = source_size(original, MAX_EDGE)
        except MediaError:
            image = entry.media.image
            if display is None or not (image.width and image.height):
                continue
            source, identity = display, f"display {image.url} {image.size}"
            width, height = fitted(image.width, image.height, MAX_EDGE)
        service = ImageService(item.key, f"{SERVICES}/{item.key}", TileLayout(width, height))
        services[item.key] = service
        info = service.layout.info(base + service.folder)
        planned.append(Planned(f"{service.folder}/info.json", data=_json(info)))
        fallback = display if source == original else None
        cutter = _Cutter(source, fallback, service.layout, item.key, warnings)
        seed = repr((TILES_VERSION, identity, width, height, service.layout.tile))
        for rel in service.layout.tiles():
            fingerprint = hashlib.sha256(f"{seed} {rel}".encode()).hexdigest()[:32]
            planned.append(
                Planned(
                    f"{service.folder}/{rel}",
                    render=lambda rel=rel, cutter=cutter: cutter.render(rel),
                    fingerprint=fingerprint,
                )
            )
    return services, planned


def _json(document: dict[str, object]) -> bytes:
    return (json.dumps(document, indent=1) + "\n").encode("utf-8")
