"""The site's title, about text, colours and logo, as ``[site]`` in archive.toml gives them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.config import Settings
from archive.errors import ConfigError
from archive.layout import Layout
from media.errors import MediaError
from media.images import read_header

COLOUR_NAMES = ("accent", "ink", "paper", "muted", "line")
_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-z]{3,20}|(rgb|hsl)a?\([0-9., %]{5,40}\)")
_LOGO_EXT = {".png", ".svg", ".webp", ".jpg", ".jpeg", ".gif"}
TEXT_PAGES = ("about", "intro")  # site/about.en.md is the about page; intro opens the home page
PAGE_SIZE = 120  # divides evenly into rows of 2, 3, 4, 5, 6 and 8


@dataclass(frozen=True)
class Logo:
    source: Path
    url: str  # site-relative
    width: int | None
    height: int | None


@dataclass(frozen=True)
class Look:
    """What every page shows of the site itself."""

    titles: dict[str, str] = field(hash=False)
    abouts: dict[str, str] = field(hash=False)
    colours: tuple[tuple[str, str], ...] = ()
    logo: Logo | None = None
    languages: tuple[str, ...] = ("en", "ru", "tg")
    page_size: int = PAGE_SIZE  # items on one page of a term, collection, event or year
    organisation: dict[str, str] = field(default_factory=dict, hash=False)  # per language
    licence: dict[str, str] = field(default_factory=dict, hash=False)  # the footer's licence line
    contact: str = ""  # an e-mail address or a web address, for the footer
    # The archive's own Markdown pages: texts["about"]["en"] is site/about.en.md.
    texts: dict[str, dict[str, str]] = field(default_factory=dict, hash=False)

    @property
    def css(self) -> str:
        """Custom properties for an inline ``<style>``; empty when the theme's colours stand."""
        if not self.colours:
            return ""
        return ":root{" + ";".join(f"--{n}:{v}" for n, v in self.colours) + "}"


def load_look(layout: Layout, settings: Settings, languages: tuple[str, ...]) -> Look:
    """Read the look; a colour or logo that cannot be used is a ConfigError naming it."""
    raw: dict[str, Any] = dict(settings.raw.get("site") or {})
    colours_raw = raw.get("colours") or raw.get("colors") or {}
    if not isinstance(colours_raw, dict):
        raise ConfigError("[site] colours in archive.toml must be a table, e.g. accent = '#8a3b12'")
    colours = []
    for name in COLOUR_NAMES:
        value = colours_raw.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not _COLOUR.fullmatch(value.strip()):
            raise ConfigError(f"[site] colours.{name} = {value!r} is not a CSS colour like #8a3b12")
        colours.append((name, value.strip()))
    return Look(
        titles=_per_language(raw.get("title"), settings.site.title),
        abouts=_per_language(raw.get("about"), settings.site.about),
        colours=tuple(colours),
        logo=_logo(layout, raw.get("logo")),
        languages=languages,
        page_size=_page_size(raw.get("page_size", PAGE_SIZE)),
        organisation=_either(raw.get("organisation") or raw.get("organization")),
        licence=_either(raw.get("licence") or raw.get("license")),
        contact=str(raw.get("contact") or ""),
        texts=_texts(layout, languages),
    )


def _either(value: Any) -> dict[str, str]:
    """A text for every language (a string) or per language (a table)."""
    return _per_language(value, value if isinstance(value, str) else "")


def _texts(layout: Layout, languages: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """The archive's Markdown pages, ``site/NAME.LANG.md`` (about, intro), by name and language."""
    found: dict[str, dict[str, str]] = {}
    folder = layout.root / "site"
    for name in TEXT_PAGES:
        for lang in languages:
            path = folder / f"{name}.{lang}.md"
            if path.is_file():
                try:
                    found.setdefault(name, {})[lang] = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    raise ConfigError(f"{path} cannot be read as UTF-8 text: {exc}") from exc
    return found


def _page_size(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10_000:
        raise ConfigError(f"[site] page_size = {value!r} must be a whole number from 1 to 10000")
    return value


def _per_language(value: Any, plain: str) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if v}
    return {"und": plain} if plain else {}


def _logo(layout: Layout, value: Any) -> Logo | None:
    if not value:
        return None
    path = Path(str(value)).expanduser()
    if not path.is_absolute():
        path = layout.root / path
    if not path.is_file() or path.suffix.lower() not in _LOGO_EXT:
        raise ConfigError(
            f"[site] logo = {value!r}: no such image (give a PNG, SVG or WebP file, "
            "absolute or relative to the archive folder)"
        )
    width = height = None
    if path.suffix.lower() != ".svg":
        try:
            header = read_header(path)
            width, height = header.width, header.height
        except MediaError as exc:
            raise ConfigError(f"[site] logo {path} cannot be read: {exc}") from exc
    return Logo(path, f"static/logo{path.suffix.lower()}", width, height)
