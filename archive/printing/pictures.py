"""Print copies of photos: sRGB JPEGs sized for 300 dpi where they are placed, and their dpi."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.layout import Layout
from archive.storage.cache import local_original
from catalog.models import Item
from media.errors import MediaError
from media.images import write_print_copy

TARGET_DPI = 300
PX_PER_INCH = 96  # CSS pixels


@dataclass(frozen=True)
class Picture:
    """A photo made ready for one slot: the file WeasyPrint places, and its pixel size."""

    key: str
    path: Path
    width: int
    height: int

    @property
    def url(self) -> str:
        return self.path.absolute().as_uri()


@dataclass(frozen=True)
class Placement:
    """One photo as placed on a page: its printed size and effective resolution."""

    key: str
    page: int
    name: str  # the original's file name, as people know the photo
    width_mm: float
    height_mm: float
    dpi: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "page": self.page,
            "file": self.name,
            "width_mm": self.width_mm,
            "height_mm": self.height_mm,
            "dpi": self.dpi,
        }


def prepare(
    layout: Layout, item: Item, box: tuple[float, float], folder: Path, *, cover: bool
) -> Picture:
    """Write the print copy of ``item`` for a slot of ``box`` (CSS px): enough pixels for
    300 dpi, never more, never enlarged. Raises MediaError when the original cannot be read."""
    width = max(1, math.ceil(box[0] / PX_PER_INCH * TARGET_DPI))
    height = max(1, math.ceil(box[1] / PX_PER_INCH * TARGET_DPI))
    source = local_original(layout, item.original, item.sha256)
    if not source.is_file():
        raise MediaError(f"its original is missing ({item.original}); run `archive check`")
    written = write_print_copy(
        source, folder / f"{item.key}-{width}x{height}.jpg", width, height, cover=cover
    )
    return Picture(item.key, written.path, written.width, written.height)


def effective_dpi(picture: Picture, box: tuple[float, float], *, fit: str) -> float:
    """Pixels per printed inch of ``picture`` drawn into ``box`` (CSS px) as CSS
    ``object-fit`` draws it; where the two axes differ, the lower."""
    scale = _scale(picture, box, fit)
    return PX_PER_INCH / scale if scale > 0 else 0.0


def placed_size_mm(picture: Picture, box: tuple[float, float], *, fit: str) -> tuple[float, float]:
    """The printed size of the whole picture (cropped by its box when it covers it)."""
    scale = _scale(picture, box, fit)
    to_mm = 25.4 / PX_PER_INCH
    return round(picture.width * scale * to_mm, 1), round(picture.height * scale * to_mm, 1)


def _scale(picture: Picture, box: tuple[float, float], fit: str) -> float:
    """CSS px per image pixel."""
    across, down = box[0] / picture.width, box[1] / picture.height
    if fit == "contain":
        return min(across, down)
    if fit == "scale-down":
        return min(1.0, across, down)
    if fit == "none":
        return 1.0
    return max(across, down)  # cover; fill stretches, and its worse axis counts


def file_name(item: Item) -> str:
    """The name people know a photo by: its first source file's name, else its key."""
    return Path(item.source_paths[0]).name if item.source_paths else item.key
