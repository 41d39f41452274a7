"""IIIF Image API level-0 static tiles: the layout of an image's tiles and their JPEG bytes."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from media import images
from media.errors import CorruptFile

TILE = 512  # tile edge in pixels: what OpenSeadragon (Mirador) asks for by default
QUALITY = 85


@dataclass(frozen=True)
class TileLayout:
    """Where every file of a level-0 image service goes, for an image of ``width`` ×
    ``height`` pixels: the canonical Image API 3 paths, relative to the service's folder."""

    width: int
    height: int
    tile: int = TILE

    @property
    def scale_factors(self) -> tuple[int, ...]:
        """1, 2, 4, … up to the first whose whole image fits in one tile."""
        factors = [1]
        while max(self.level(factors[-1])) > self.tile:
            factors.append(factors[-1] * 2)
        return tuple(factors)

    def level(self, factor: int) -> tuple[int, int]:
        """The whole image's size at a scale factor (as OpenSeadragon computes it)."""
        return math.ceil(self.width / factor), math.ceil(self.height / factor)

    @property
    def sizes(self) -> tuple[tuple[int, int], ...]:
        """The sizes of the whole image written (one per scale factor), smallest first."""
        return tuple(sorted({self.level(f) for f in self.scale_factors}))

    def full_path(self, size: tuple[int, int]) -> str:
        name = "max" if size == (self.width, self.height) else f"{size[0]},{size[1]}"
        return f"full/{name}/0/default.jpg"

    def tiles(self) -> dict[str, tuple[int, tuple[int, int, int, int], tuple[int, int]]]:
        """path → (scale factor, region x, y, w, h in full-size pixels, output size w, h) of
        every file: each tile at each scale factor, and the whole image at each size (scale
        factor 0)."""
        found: dict[str, tuple[int, tuple[int, int, int, int], tuple[int, int]]] = {}
        for factor in self.scale_factors:
            span = self.tile * factor
            for y in range(0, self.height, span):
                for x in range(0, self.width, span):
                    w, h = min(span, self.width - x), min(span, self.height - y)
                    size = (math.ceil(w / factor), math.ceil(h / factor))
                    whole = (x, y, w, h) == (0, 0, self.width, self.height)
                    region = "full" if whole else f"{x},{y},{w},{h}"
                    shown = "max" if size == (self.width, self.height) else f"{size[0]},{size[1]}"
                    found[f"{region}/{shown}/0/default.jpg"] = (factor, (x, y, w, h), size)
        for size in self.sizes:
            found.setdefault(self.full_path(size), (0, (0, 0, self.width, self.height), size))
        return found

    def info(self, service_id: str) -> dict[str, object]:
        """The service's info.json (Image API 3, level 0): the sizes and tiles written."""
        return {
            "@context": "http://iiif.io/api/image/3/context.json",
            "id": service_id,
            "type": "ImageService3",
            "protocol": "http://iiif.io/api/image",
            "profile": "level0",
            "width": self.width,
            "height": self.height,
            "sizes": [{"width": w, "height": h} for w, h in self.sizes],
            "tiles": [{"width": self.tile, "scaleFactors": list(self.scale_factors)}],
        }


def fitted(width: int, height: int, largest: int) -> tuple[int, int]:
    """An image's size once its long side is at most ``largest`` pixels."""
    if max(width, height) <= largest:
        return width, height
    scale = largest / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def source_size(source: Path, largest: int) -> tuple[int, int]:
    """The size a source is tiled at: as shown, its long side at most ``largest``."""
    return fitted(*images.upright_size(source), largest)


def cut(source: Path, layout: TileLayout) -> dict[str, bytes]:
    """Decode ``source`` once and return every file of ``layout`` as JPEG bytes (baseline,
    sRGB, no EXIF, XMP, ICC or comment: nothing of the camera's metadata)."""
    frame = images.decode_upright(source, max(layout.width, layout.height))
    if frame.size != (layout.width, layout.height):
        if _aspect(frame.size) != _aspect((layout.width, layout.height)):
            raise CorruptFile(
                f"{source.name} decodes at {frame.size[0]}x{frame.size[1]}, not in the "
                f"proportions of {layout.width}x{layout.height}"
            )
        frame = frame.resize((layout.width, layout.height), Image.Resampling.LANCZOS)
    if frame.mode != "RGB":
        frame = _flatten(frame)
    files: dict[str, bytes] = {}
    levels: dict[tuple[int, int], Image.Image] = {frame.size: frame}

    def level(size: tuple[int, int]) -> Image.Image:
        if size not in levels:
            levels[size] = frame.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        return levels[size]

    for path, (factor, (x, y, _w, _h), size) in layout.tiles().items():
        if factor == 0 or size == layout.level(factor):
            piece = level(size)  # the whole image at this size
        else:
            left, top = x // factor, y // factor
            piece = level(layout.level(factor)).crop((left, top, left + size[0], top + size[1]))
        files[path] = _jpeg(piece)
    return files


def _jpeg(image: Image.Image) -> bytes:
    """JPEG bytes with no segment but the picture's own: libjpeg's JFIF header (APP0, a
    pixel density) is taken out too, so that a tile carries no metadata of any kind."""
    out = io.BytesIO()
    clean = image.copy()
    clean.info = {}
    clean.save(out, "JPEG", quality=QUALITY, optimize=True)
    data = out.getvalue()
    if data[2:4] == b"\xff\xe0" and data[6:11] == b"JFIF\x00":
        data = data[:2] + data[4 + int.from_bytes(data[4:6], "big") :]
    return data


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency."""
    if image.mode in ("RGBA", "LA"):
        back = Image.new("RGB", image.size, (255, 255, 255))
        back.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        return back
    return image.convert("RGB")


def _aspect(size: tuple[int, int]) -> bool:
    """Landscape or portrait (a decoder that turned what the header did not say)."""
    return size[0] >= size[1]
