"""Render the static catalogue website of the public items into a folder (Jinja2 lives here)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import pairwise
from pathlib import Path
from typing import Any

import jinja2

from archive.config import Settings
from archive.errors import ArchiveError
from archive.export.sync import Planned, SiteFolder, is_safe_relative
from archive.layout import Layout
from catalog.models import Derivative, Item
from catalog.store import Catalog
from media.derivatives import Spec

KEY_RE = re.compile(r"[0-9a-f]{6,64}")
SPEC_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
EXT_RE = re.compile(r"\.[a-z0-9]{1,5}")
EAGER_THUMBS = 8  # thumbnails above the fold load at once; the rest lazily

KIND_LABELS = {"photo": "Photo", "video": "Video"}


@dataclass(frozen=True)
class ExportReport:
    """What one export did; paths are site-relative POSIX."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    items: int
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {name: list(v) if isinstance(v, tuple) else v for name, v in asdict(self).items()}


@dataclass(frozen=True)
class Media:
    """One published media file: its site-relative URL and pixel size."""

    url: str
    mime: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Fact:
    """One line of an item page's metadata list."""

    label: str
    values: tuple[str, ...]


@dataclass
class ItemPage:
    """What the item templates see of one item: public fields only."""

    key: str
    url: str
    kind: str
    kind_label: str
    title: str | None
    alt: str
    heading: str
    description: str | None
    thumb: Media | None
    image: Media | None  # the largest still (photo) or the poster frame (video)
    images: tuple[Media, ...]  # every still size with a width, smallest first (srcset)
    video: Media | None
    facts: tuple[Fact, ...]
    prev: ItemPage | None = field(default=None, repr=False)
    next: ItemPage | None = field(default=None, repr=False)


def export_site(
    layout: Layout,
    catalog: Catalog,
    settings: Settings,
    dest: Path,
    *,
    theme: Path | None = None,
) -> ExportReport:
    """Write the website of the public items into ``dest``; write only what changed."""
    folder = SiteFolder(Path(dest))  # refuses a foreign folder before any work
    env = _environment(theme)
    warnings: list[str] = []
    media: dict[str, Path] = {}
    specs = {s.name: s for s in settings.specs}
    derivatives = catalog.all_derivatives()

    pages: list[ItemPage] = []
    for item in _home_order(catalog.items(public_only=True)):
        if not item.is_public:  # the query already says so; never rely on one check
            continue
        if not KEY_RE.fullmatch(item.key):
            warnings.append(f"item {item.key!r}: not a hex key; left out of the site")
            continue
        published = _choose_media(layout, item, derivatives.get(item.key, {}), specs, warnings)
        page = _item_page(item, published)
        if page.thumb is None:
            warnings.append(f"item {item.key}: no thumbnail; the home page shows its title only")
        used = {m.url for m in (page.thumb, page.image, page.video, *page.images) if m}
        media.update((p.url, p.source) for p in published if p.url in used)
        pages.append(page)
    for before, after in pairwise(pages):
        before.next, after.prev = after, before

    site = settings.site
    planned: list[Planned] = [
        _render(
            env, "index.html", "index.html", root="", site=site, items=pages, eager=EAGER_THUMBS
        ),
        _render(env, "404.html", "404.html", root="", site=site),
    ]
    for page in pages:
        planned.append(_render(env, "item.html", page.url, root="../../", site=site, item=page))
    planned.extend(Planned(url, source=source) for url, source in sorted(media.items()))
    planned.extend(_static_files(theme))

    outcome = folder.apply(planned)
    return ExportReport(
        written=outcome.written,
        unchanged=outcome.unchanged,
        removed=outcome.removed,
        items=len(pages),
        warnings=tuple(warnings) + outcome.warnings,
    )


# -- order and content ---------------------------------------------------------------
def _home_order(items: list[Item]) -> list[Item]:
    """Newest taken first, undated last; the key breaks ties."""
    dated = sorted((i for i in items if i.taken_at), key=lambda i: i.key)
    dated.sort(key=lambda i: i.taken_at or "", reverse=True)  # stable: keys stay ascending
    undated = sorted((i for i in items if not i.taken_at), key=lambda i: i.key)
    return dated + undated


@dataclass(frozen=True)
class _Published:
    """A derivative chosen for the site: its spec, catalogue row, site URL and file."""

    spec: Spec
    derivative: Derivative
    url: str
    source: Path

    @property
    def media(self) -> Media:
        d = self.derivative
        return Media(self.url, d.mime, d.width, d.height)


def _choose_media(
    layout: Layout,
    item: Item,
    derivatives: dict[str, Derivative],
    specs: dict[str, Spec],
    warnings: list[str],
) -> list[_Published]:
    """The item's publishable derivative files (missing ones are left out, with a warning)."""
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
        source = layout.absolute(derivative.path)
        if not source.is_file():
            warnings.append(
                f"item {item.key}: the {name} derivative is missing ({derivative.path}); "
                "run `archive rebuild --derivatives`"
            )
            continue
        chosen.append(_Published(spec, derivative, f"media/{name}/{item.key}{ext}", source))
    return chosen


def _item_page(item: Item, published: list[_Published]) -> ItemPage:
    """The public view of one item; nothing technical beyond kind, size and duration."""
    stills = sorted(
        (p for p in published if p.spec.role in ("image", "poster")),
        key=lambda p: (p.derivative.width or 0, p.spec.max_size, p.spec.name),
    )
    image_role = [p for p in stills if p.spec.role == "image"]
    thumb = next((p for p in image_role if p.spec.name == "thumb"), None) or (
        image_role[0] if image_role else None
    )
    posters = [p for p in stills if p.spec.role == "poster"]
    large = (posters or stills)[-1] if stills else None
    videos = [p for p in published if p.spec.role == "video"]
    label = KIND_LABELS.get(item.kind, item.kind.capitalize())
    fallback = f"{label} {item.key[:8]}…"
    return ItemPage(
        key=item.key,
        url=f"items/{item.key}/index.html",
        kind=item.kind,
        kind_label=label,
        title=item.title,
        alt=item.title or fallback,
        heading=item.title or fallback,
        description=item.description,
        thumb=thumb.media if thumb else None,
        image=large.media if large else None,
        images=_srcset(image_role),
        video=videos[0].media if videos else None,
        facts=_facts(item, label),
    )


def _srcset(stills: list[_Published]) -> tuple[Media, ...]:
    """One still per pixel width (the largest spec wins a tie), smallest first."""
    by_width = {p.derivative.width: p.media for p in stills if p.derivative.width}
    return tuple(by_width[w] for w in sorted(by_width))


def _facts(item: Item, kind_label: str) -> tuple[Fact, ...]:
    """The public metadata list. Never: GPS, camera, lens, exposure, sources, sha256."""
    rows: list[tuple[str, Any]] = [
        ("Maker", item.maker),
        ("Photographer", item.photographer),
        ("Date taken", item.taken_at[:10] if item.taken_at else None),
        ("Place", item.place),
        ("Event", item.event),
        ("Technique", item.technique),
        ("Material", item.material),
        ("Object type", item.object_type),
        ("Process step", item.process_step),
        ("Keywords", item.keywords),
        ("Kind", kind_label),
        ("Dimensions", _dimensions(item)),
        ("Duration", _duration(item.duration)),
        ("Rights", item.rights),
        ("Key", item.key),
    ]
    facts = []
    for label, value in rows:
        values = tuple(value) if isinstance(value, tuple) else ((value,) if value else ())
        if values:
            facts.append(Fact(label, tuple(str(v) for v in values)))
    return tuple(facts)


def _dimensions(item: Item) -> str | None:
    if item.width and item.height:
        return f"{item.width} × {item.height} px"
    return None


def _duration(seconds: float | None) -> str | None:
    if not seconds or seconds <= 0:
        return None
    total = round(seconds)
    if total == 0:
        return f"{seconds:.1f} s"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# -- rendering -------------------------------------------------------------------------
def _environment(theme: Path | None) -> jinja2.Environment:
    default = jinja2.PackageLoader("archive.export", "themes/default/templates")
    loaders: list[jinja2.BaseLoader] = []
    if theme is not None:
        theme = Path(theme)
        if not theme.is_dir():
            raise ArchiveError(
                f"the theme {theme} is not a folder (it holds templates/ and static/)"
            )
        if (theme / "templates").is_dir():
            loaders.append(jinja2.FileSystemLoader(theme / "templates"))
    loaders.append(default)
    # A theme's template can extend the stock one: {% extends "default:base.html" %}.
    loaders.append(jinja2.PrefixLoader({"default": default}, delimiter=":"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _render(env: jinja2.Environment, template: str, path: str, **context: Any) -> Planned:
    try:
        text = env.get_template(template).render(**context)
    except jinja2.TemplateError as exc:
        where = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise ArchiveError(f"the site template {template} failed{where}: {exc}") from exc
    if not text.endswith("\n"):
        text += "\n"
    return Planned(path, data=text.encode("utf-8"))


def _static_files(theme: Path | None) -> list[Planned]:
    """The theme's static files under static/: the user's theme first, the default second."""
    found: dict[str, bytes] = {}
    default = resources.files("archive.export").joinpath("themes", "default", "static")
    _walk(default, "", found)
    if theme is not None and (Path(theme) / "static").is_dir():
        _walk(Path(theme) / "static", "", found)
    return [Planned(f"static/{rel}", data=data) for rel, data in sorted(found.items())]


def _walk(folder: Traversable | Path, prefix: str, found: dict[str, bytes]) -> None:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        rel = f"{prefix}{entry.name}"
        if entry.is_dir():
            _walk(entry, rel + "/", found)
        elif entry.is_file() and is_safe_relative(rel):
            found[rel] = entry.read_bytes()
