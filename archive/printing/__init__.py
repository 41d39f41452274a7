"""Print products from the archive: the wall calendar and the craft catalogue, as PDF files."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive import access
from archive.config import load
from archive.errors import ArchiveError, UsageProblem
from archive.layout import Layout
from archive.printing import choose, pages
from archive.printing.holidays import load_holidays
from archive.printing.pictures import (
    TARGET_DPI,
    Picture,
    Placement,
    effective_dpi,
    file_name,
    placed_size_mm,
    prepare,
)
from archive.printing.render import TAJIK_LETTERS, Printer, Rendered
from archive.printing.words import LANGUAGES
from archive.terms import vocabularies
from catalog.models import Item
from media.errors import MediaError

SIZES = {"a4": "A4", "a3": "A3"}
MAX_YEAR = 2999


@dataclass(frozen=True)
class PrintReport:
    """One PDF written: where, how many pages and bytes, each photo's placement, what to
    look at before it goes to the printer."""

    path: str
    kind: str  # calendar or catalogue
    pages: int
    size: int
    seconds: float
    placements: tuple[Placement, ...]
    fonts: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()

    @property
    def lowest_dpi(self) -> int | None:
        return min((p.dpi for p in self.placements), default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "pages": self.pages,
            "size": self.size,
            "seconds": self.seconds,
            "placements": [p.to_dict() for p in self.placements],
            "fonts": list(self.fonts),
            "warnings": list(self.warnings),
            "left_out": list(self.left_out),
        }


@dataclass(frozen=True)
class _Page:
    """The paper: its size, orientation, and bleed with crop marks."""

    size: str
    landscape: bool
    bleed: bool

    @property
    def css(self) -> str:
        turn = "landscape" if self.landscape else "portrait"
        css = f"@page {{ size: {SIZES[self.size]} {turn}; }}"
        if self.bleed:
            css += "\n@page { bleed: 3mm; marks: crop; }"
        return css

    @property
    def classes(self) -> str:
        return f"{self.size} {'landscape' if self.landscape else 'portrait'}"


def calendar(
    layout: Layout,
    out: Path,
    *,
    year: int,
    query: str | None = None,
    collection: str | None = None,
    languages: str = "en",
    size: str = "a4",
    landscape: bool = False,
    picks: tuple[str, ...] = (),
    holidays: tuple[str, ...] = (),
    bleed: bool = False,
    pdfx: bool = False,
    theme: Path | None = None,
) -> PrintReport:
    """Write a wall calendar of ``year``: a cover and twelve months, each with a different
    public photo, its caption and maker, the month's grid and its marked holidays."""
    started = time.monotonic()
    if not 1900 <= year <= MAX_YEAR:
        raise UsageProblem(f"--year {year}: give a year from 1900 to {MAX_YEAR}")
    langs = parse_languages(languages)
    page = _page(size, landscape, bleed)
    wanted = choose.parse_picks(picks)
    sets = [load_holidays(spec) for spec in holidays]
    warnings = [note for s in sets if (note := s.missing_years(year))]
    days = tuple(day for s in sets for day in s.days(year))
    terms = vocabularies(layout)
    with access.reading(layout) as catalog:
        pool = choose.candidates(layout, catalog, query=query, collection=collection)
        picked = choose.resolve_picks(catalog, wanted)
    context = {
        "doc": _doc(layout, "calendar", langs, page, year=year),
        "weekdays": pages.weekday_header(langs),
        "holiday_sets": [{"code": s.code, "names": s.names, "source": s.source} for s in sets],
    }
    with tempfile.TemporaryDirectory(prefix="archive-print-") as tmp:
        printer = Printer("calendar", theme, allowed=(Path(tmp),))
        empty = [pages.month(year, m, langs, days) for m in range(1, 13)]
        boxes = _slots(printer, printer.html("calendar.html", months=empty, **context), page)
        shapes = {m: boxes[f"month-{m}"][0] / boxes[f"month-{m}"][1] for m in range(1, 13)}
        ready: dict[int, Picture] = {}

        def make(month: int, item: Item) -> None:
            ready[month] = prepare(layout, item, boxes[f"month-{month}"], Path(tmp), cover=True)

        months = list(range(1, 13))
        chosen, refused = choose.assign(months, shapes, picked, pool, make)
        warnings += [f"photo {r}" for r in refused]
        if len(chosen) < 12:
            raise ArchiveError(
                f"a calendar needs 12 different public photos; "
                f"{'the query' if query else 'the collection' if collection else 'the archive'}"
                f" has {len(chosen)} that can be printed (set consent=public on more, or "
                "widen --query)"
            )
        filled = [
            pages.month(year, m, langs, days, pages.photo(chosen[m], ready[m].url, langs, terms))
            for m in months
        ]
        html = printer.html("calendar.html", months=filled, **context)
        rendered = printer.pdf(html, page.css, Path(out), pdfx=pdfx)
    if rendered.pages != 13:
        warnings.append(
            f"the calendar has {rendered.pages} pages, not 13: a month does not fit on its "
            "page (too many holidays or languages for the theme's layout); make the photo "
            "slot lower in print.css"
        )
    by_key = {ready[m].key: (chosen[m], ready[m]) for m in months}
    return _report(out, "calendar", rendered, by_key, warnings, (), started)


def catalogue(
    layout: Layout,
    out: Path,
    *,
    query: str | None = None,
    languages: str = "en",
    bleed: bool = False,
    pdfx: bool = False,
    theme: Path | None = None,
) -> PrintReport:
    """Write an A4 catalogue of the public items that have a price: a cover, a half page
    per product, and a price list."""
    started = time.monotonic()
    langs = parse_languages(languages)
    page = _page("a4", False, bleed)
    terms = vocabularies(layout)
    with access.reading(layout) as catalog:
        items, left_out = choose.products(layout, catalog, query=query)
    if not items:
        raise ArchiveError(
            "no public item has a price to print; set one with "
            '`archive edit KEY --set price="25 EUR"` (and consent=public)'
        )
    items.sort(key=lambda i: (_first_label(terms, i, langs[0]), i.text("title", langs[0]) or ""))
    context: dict[str, Any] = {"doc": _doc(layout, "catalogue", langs, page)}
    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="archive-print-") as tmp:
        printer = Printer("catalogue", theme, allowed=(Path(tmp),))
        empty = [pages.product(i, None, langs, terms, f"product-{i.key}") for i in items]
        boxes = _slots(printer, printer.html("catalogue.html", products=empty, **context), page)
        ready: dict[str, Picture] = {}
        kept: list[Item] = []
        for item in items:
            try:
                ready[item.key] = prepare(
                    layout, item, boxes[f"product-{item.key}"], Path(tmp), cover=False
                )
                kept.append(item)
            except MediaError as exc:
                warnings.append(f"product {item.key}: cannot be printed: {exc}")
        products = [
            pages.product(i, ready[i.key].url, langs, terms, f"product-{i.key}") for i in kept
        ]
        html = printer.html("catalogue.html", products=products, **context)
        rendered = printer.pdf(html, page.css, Path(out), pdfx=pdfx)
    by_key = {i.key: (i, ready[i.key]) for i in kept}
    left = tuple(str(r) for r in left_out)
    return _report(out, "catalogue", rendered, by_key, warnings, left, started)


def parse_languages(text: str) -> tuple[str, ...]:
    """``en``, ``en+tg``, ``ru+tg`` → the languages printed side by side, in that order."""
    parts = [p.strip().lower() for p in str(text).replace(",", "+").split("+") if p.strip()]
    unknown = [p for p in parts if p not in LANGUAGES]
    if not parts or unknown:
        raise UsageProblem(
            f"--language {text!r}: give {', '.join(LANGUAGES)} or several joined by +, "
            "such as en+tg"
        )
    return tuple(dict.fromkeys(parts))


def _page(size: str, landscape: bool, bleed: bool) -> _Page:
    key = str(size).strip().lower()
    if key not in SIZES:
        raise UsageProblem(f"--size {size!r}: give {' or '.join(SIZES)}")
    return _Page(key, landscape, bleed)


def _slots(printer: Printer, html: str, page: _Page) -> dict[str, tuple[float, float]]:
    """The size of every photo slot (CSS px), from laying the pages out without photos."""
    found: dict[str, tuple[float, float]] = {}
    for box in printer.boxes(html, page.css):
        if box.name.startswith("slot:") and box.width > 0 and box.height > 0:
            found.setdefault(box.name.removeprefix("slot:"), (box.width, box.height))
    return found


def _doc(
    layout: Layout, kind: str, langs: tuple[str, ...], page: _Page, year: int | None = None
) -> dict[str, Any]:
    settings = load(layout)
    raw = (settings.raw.get("site") or {}).get("title")
    titles = raw if isinstance(raw, dict) else {}
    return {
        "kind": kind,
        "year": year,
        "classes": f"{kind} {page.classes}",
        "languages": pages.languages_words(langs),
        "titles": pages.distinct(
            pages.Text(lang, str(titles.get(lang) or settings.site.title)) for lang in langs
        ),
        "lang": langs[0],
    }


def _first_label(terms: Any, item: Item, lang: str) -> str:
    labels = pages.labels(terms, "object_type", item.object_type[:1], (lang,))
    return labels[0].text if labels else "~"


def _report(
    out: Path,
    kind: str,
    rendered: Rendered,
    by_key: dict[str, tuple[Item, Picture]],
    warnings: list[str],
    left_out: tuple[str, ...],
    started: float,
) -> PrintReport:
    placements = []
    for box in rendered.images:
        key = box.name.removeprefix("img:")
        if key not in by_key:
            continue
        item, picture = by_key[key]
        size = (box.width, box.height)
        dpi = effective_dpi(picture, size, fit=box.fit)
        width, height = placed_size_mm(picture, size, fit=box.fit)
        placements.append(Placement(key, box.page, file_name(item), width, height, int(dpi)))
    for key, (item, _picture) in by_key.items():
        worst = min((p for p in placements if p.key == key), key=lambda p: p.dpi, default=None)
        if worst is not None and worst.dpi < TARGET_DPI:
            warnings.append(
                f"photo {key} ({worst.name}) prints at {worst.dpi} dpi on page {worst.page}, "
                f"below {TARGET_DPI}: its original has {item.width}x{item.height} pixels for "
                f"{worst.width_mm:.0f}x{worst.height_mm:.0f} mm, so it may look soft"
            )
    for font in rendered.fonts:
        if not font.tajik:
            warnings.append(
                f"the font {font.family} lacks Tajik letters ({TAJIK_LETTERS}); name DejaVu "
                "Sans or Noto Sans in the theme's print.css"
            )
    warnings += [f"renderer: {note}" for note in rendered.notes]
    return PrintReport(
        path=str(out),
        kind=kind,
        pages=rendered.pages,
        size=rendered.size,
        seconds=round(time.monotonic() - started, 2),
        placements=tuple(placements),
        fonts=tuple(f.family for f in rendered.fonts),
        warnings=tuple(warnings),
        left_out=left_out,
    )
