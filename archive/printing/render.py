"""Turn a print theme's templates into a PDF: Jinja2 for the HTML, WeasyPrint for the pages.

WeasyPrint and fontTools live here and nowhere else. Jinja2 also lives in the site's writer
(archive/export/site.py); print has its own small environment because its templates, loader
and escaping rules are the print theme's, and site.py is already at the size limit.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.request import url2pathname

import weasyprint
from fontTools.ttLib import TTFont, TTLibError
from weasyprint.text.fonts import get_hb_object_data

from archive.errors import ArchiveError
from archive.templating import Environment, TemplateError, theme_environment

# Every letter of the Tajik alphabet that Russian lacks; a font without one of them would
# print a box or fall back to another face in the middle of a word.
TAJIK_LETTERS = "ҒғӢӣҚқӮӯҲҳҶҷ"
PX_PER_INCH = 96  # CSS pixels


@dataclass(frozen=True)
class Box:
    """Where an element marked ``data-slot`` or ``data-key`` lies on a page, in CSS px."""

    name: str
    page: int  # 1-based
    width: float
    height: float
    fit: str = "fill"  # an image's CSS object-fit

    @property
    def inches(self) -> tuple[float, float]:
        return self.width / PX_PER_INCH, self.height / PX_PER_INCH


@dataclass(frozen=True)
class FontUse:
    """A font embedded in the PDF, and whether it has every Tajik letter."""

    family: str
    tajik: bool


@dataclass(frozen=True)
class Rendered:
    pages: int
    size: int  # bytes
    images: tuple[Box, ...]  # every placed <img data-key=…>, as laid out
    fonts: tuple[FontUse, ...]
    notes: tuple[str, ...]  # what WeasyPrint warned about (a theme's CSS, a missing file)


class Printer:
    """One print job: the theme's templates and styles, and the page settings."""

    def __init__(self, kind: str, theme: Path | None, allowed: tuple[Path, ...]) -> None:
        self.kind = kind
        self.theme = Path(theme) if theme is not None else None
        if self.theme is not None and not self.theme.is_dir():
            raise ArchiveError(f"the theme {self.theme} is not a folder (it holds templates/)")
        self.env = _environment(self.theme)
        default = resources.files("archive.printing").joinpath("themes", "default")
        self.roots = tuple(p.resolve() for p in (*allowed, Path(str(default))))
        if self.theme is not None:
            self.roots += (self.theme.resolve(),)
        self.styles = [Path(str(default.joinpath("static", "print.css")))]
        if self.theme is not None and (self.theme / "static" / "print.css").is_file():
            self.styles.append(self.theme / "static" / "print.css")

    def html(self, template: str, **context: Any) -> str:
        try:
            return self.env.get_template(template).render(**context)
        except TemplateError as exc:
            line = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
            raise ArchiveError(f"the print template {template} failed{line}: {exc}") from exc

    def boxes(self, html: str, page_css: str) -> tuple[Box, ...]:
        """Lay the pages out (no PDF) and say where each slot and image lies."""
        with _weasyprint_notes():
            document = self._document(html, page_css)
        return _boxes(document)

    def pdf(self, html: str, page_css: str, dest: Path, *, pdfx: bool) -> Rendered:
        """Write the PDF to ``dest`` through a temporary file; report what was placed."""
        with _weasyprint_notes() as notes:
            document = self._document(html, page_css)
            for name, profile in document.color_profiles.items():
                if not profile.components:
                    raise ArchiveError(
                        f"the theme's @color-profile {name} needs its components, such as "
                        "components: cyan, magenta, yellow, black"
                    )
            options: dict[str, Any] = {}
            if pdfx:
                options["pdf_variant"] = "pdf/x-4"
                # The theme may name the press's profile: @color-profile device-cmyk {…}.
                if "device-cmyk" not in document.color_profiles:
                    options["output_intent"] = "srgb"
            data = document.write_pdf(**options)
        _write(dest, data)
        used = {_font_use(f.family, get_hb_object_data(f.hb_face)) for f in document.fonts.values()}
        fonts = tuple(sorted(used, key=lambda f: f.family))
        return Rendered(
            pages=len(document.pages),
            size=len(data),
            images=tuple(b for b in _boxes(document) if b.name.startswith("img:")),
            fonts=fonts,
            notes=tuple(notes),
        )

    def _document(self, html: str, page_css: str) -> Any:
        fetcher = _LocalFiles(self.roots)
        profiles: dict[str, Any] = {}  # @color-profile rules of the styles, for the document
        try:
            stylesheets = [
                weasyprint.CSS(filename=str(p), url_fetcher=fetcher, color_profiles=profiles)
                for p in self.styles
            ]
            stylesheets.append(weasyprint.CSS(string=page_css, color_profiles=profiles))
            base = self.styles[-1].parent
            return weasyprint.HTML(string=html, base_url=str(base), url_fetcher=fetcher).render(
                stylesheets=stylesheets, color_profiles=profiles
            )
        except (ValueError, OSError) as exc:  # a broken style or an unreadable file
            raise ArchiveError(f"the {self.kind} cannot be laid out: {exc}") from exc


class _LocalFiles(weasyprint.URLFetcher):
    """Fetches files inside the theme and the job's own folders; nothing from a network."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self.roots = roots

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("file:"):
            path = Path(url2pathname(url.removeprefix("file://").split("?")[0])).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"{path} is outside the theme and the archive")
        return super().fetch(url, headers)


def _boxes(document: Any) -> tuple[Box, ...]:
    found: list[Box] = []
    seen: set[tuple[str, int]] = set()
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():  # noqa: SLF001 - WeasyPrint's layout tree
            element = getattr(box, "element", None)
            if element is None or getattr(box, "pseudo_type", None):
                continue
            if element.get("data-slot"):
                name = f"slot:{element.get('data-slot')}"
            elif element.tag == "img" and element.get("data-key"):
                name = f"img:{element.get('data-key')}"
            else:
                continue
            if (name, id(element)) in seen or not hasattr(box, "width"):
                continue
            seen.add((name, id(element)))
            fit = str(box.style["object_fit"]) if element.tag == "img" else "fill"
            found.append(Box(name, number, float(box.width), float(box.height), fit))
    return tuple(found)


def _font_use(family: str, data: bytes) -> FontUse:
    """Whether the whole font (not the subset WeasyPrint embeds) has every Tajik letter."""
    try:
        cmap = TTFont(io.BytesIO(data), fontNumber=0, lazy=True).getBestCmap() or {}
    except (TTLibError, OSError, AssertionError, KeyError):
        cmap = {}
    return FontUse(family, all(ord(c) in cmap for c in TAJIK_LETTERS))


def _write(dest: Path, data: bytes) -> None:
    """Through a temporary file beside ``dest``, so a reader never sees half a PDF."""
    dest = Path(dest)
    temporary = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, dest)
    except OSError as exc:
        raise ArchiveError(f"cannot write {dest}: {exc.strerror or exc}") from exc
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def _weasyprint_notes() -> Iterator[list[str]]:
    """WeasyPrint's warnings (a CSS rule it ignored, a file it could not load), collected."""
    notes: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            notes.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = Collect(logging.WARNING)
    previous = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield notes
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous


def _environment(theme: Path | None) -> Environment:
    return theme_environment("archive.printing", "themes/default/templates", theme)
