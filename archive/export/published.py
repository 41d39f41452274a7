"""Choose the derivative files of an item that the site publishes, and their site URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from archive.export.sync import is_safe_relative
from archive.layout import Layout
from archive.storage.derivatives import DerivativeFiles
from catalog.models import Derivative, Item
from media.derivatives import Role, Spec

SPEC_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
EXT_RE = re.compile(r"\.[a-z0-9]{1,5}")


@dataclass(frozen=True)
class Media:
    """One published media file: its site-relative URL, type, pixel size and bytes."""

    url: str
    mime: str
    width: int | None = None
    height: int | None = None
    size: int | None = None


@dataclass(frozen=True)
class ItemMedia:
    """What an item shows: a thumbnail, the stills for srcset, a main still, videos."""

    thumb: Media | None
    image: Media | None  # the largest still (photo) or the poster frame (video)
    images: tuple[Media, ...]  # every image-role still with a width, smallest first
    video: Media | None  # the smallest web video: what the player plays
    videos: tuple[Media, ...]  # every web video, smallest first (download links)
    sources: dict[str, Path]  # site URL → file in the archive, for every URL above

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(sorted(self.sources))


@dataclass(frozen=True)
class _Published:
    spec: Spec
    derivative: Derivative
    url: str
    source: Path

    @property
    def media(self) -> Media:
        d = self.derivative
        return Media(self.url, d.mime, d.width, d.height, d.size)


def item_media(
    layout: Layout,
    item: Item,
    derivatives: dict[str, Derivative],
    specs: dict[str, Spec],
    warnings: list[str],
    files: DerivativeFiles | None = None,
    *,
    fetch: bool = True,
) -> ItemMedia:
    """The item's publishable files (missing ones are left out, with a warning). With
    derivatives in a bucket, ``sources`` are local copies in the cache: the files published
    are downloaded unless cached already (``fetch=False``: only their URLs are wanted)."""
    files = files or DerivativeFiles(layout)
    published = _choose(layout, item, derivatives, specs, warnings, files)
    stills = sorted(
        (p for p in published if p.spec.role in (Role.IMAGE, Role.POSTER)),
        key=lambda p: (p.derivative.width or 0, p.spec.max_size, p.spec.name),
    )
    image_role = [p for p in stills if p.spec.role == Role.IMAGE]
    thumb = next((p for p in image_role if p.spec.name == "thumb"), None) or (
        image_role[0] if image_role else None
    )
    posters = [p for p in stills if p.spec.role == Role.POSTER]
    large = (posters or stills)[-1] if stills else None
    videos = sorted(
        (p for p in published if p.spec.role == Role.VIDEO),
        key=lambda p: (p.derivative.height or 0, p.derivative.size, p.spec.name),
    )
    images = _srcset(image_role)
    chosen = [thumb, large, *videos]
    urls = {m.url for m in images} | {p.url for p in chosen if p}
    return ItemMedia(
        thumb=thumb.media if thumb else None,
        image=large.media if large else None,
        images=images,
        video=videos[0].media if videos else None,
        videos=tuple(v.media for v in videos),
        sources={
            p.url: files.local(p.derivative.path, p.derivative.fingerprint) if fetch else p.source
            for p in published
            if p.url in urls
        },
    )


def _choose(
    layout: Layout,
    item: Item,
    derivatives: dict[str, Derivative],
    specs: dict[str, Spec],
    warnings: list[str],
    files: DerivativeFiles,
) -> list[_Published]:
    chosen: list[_Published] = []
    for name in sorted(derivatives):
        derivative = derivatives[name]
        spec = specs.get(name)
        if spec is None or item.kind not in spec.kinds:
            continue  # a spec the settings no longer name, or not for this kind
        ext = Path(derivative.path).suffix.lower()
        if not SPEC_RE.fullmatch(name) or not EXT_RE.fullmatch(ext):
            warnings.append(f"item {item.key}: derivative {name!r} has an unusable name; left out")
            continue
        if not is_safe_relative(derivative.path):
            warnings.append(
                f"item {item.key}: derivative {name!r} is not inside the archive; left out"
            )
            continue
        source = files.place(derivative.path, derivative.fingerprint)
        if not files.exists(derivative.path):
            warnings.append(
                f"item {item.key}: the {name} derivative is missing ({derivative.path}); "
                "run `archive rebuild --derivatives`"
            )
            continue
        chosen.append(_Published(spec, derivative, f"media/{name}/{item.key}{ext}", source))
    return chosen


def _srcset(stills: list[_Published]) -> tuple[Media, ...]:
    """One still per pixel width (the largest spec wins a tie), smallest first."""
    by_width = {p.derivative.width: p.media for p in stills if p.derivative.width}
    return tuple(by_width[w] for w in sorted(by_width))
