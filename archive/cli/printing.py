"""`archive print calendar` and `archive print catalogue`: PDF files for the printer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from archive.cli import output
from archive.cli.options import archive_option, json_option, layout

F = Any


def _common(func: F) -> F:
    """Options both products take: --language, --bleed, --pdfx, --theme, -a, --json."""
    for option in reversed(
        [
            click.option(
                "--language",
                "languages",
                default="en",
                show_default=True,
                metavar="en|ru|tg|en+tg…",
                help="The language of the words and captions; several joined by + are "
                "printed side by side (en+tg, ru+tg, en+ru+tg).",
            ),
            click.option(
                "--bleed",
                is_flag=True,
                help="Add 3 mm of bleed around each page and crop marks, for a print shop.",
            ),
            click.option(
                "--pdfx",
                is_flag=True,
                help="Write PDF/X-4 (with an sRGB output intent, or the theme's press profile).",
            ),
            click.option(
                "--theme",
                type=click.Path(path_type=Path, file_okay=False, exists=True),
                default=None,
                help="A folder of templates/ and static/print.css that restyle the default.",
            ),
            archive_option,
            json_option,
        ]
    ):
        func = option(func)
    return func


@click.group(name="print")
def print_group() -> None:
    """Print from the archive: the wall calendar and the craft catalogue, as PDF.

    Only public items are printed (consent=public); no GPS or camera details.

    \b
    Example:
        archive print calendar --year 2027 --language en+tg calendar-2027.pdf
        archive print catalogue --query "object:jurab" jurab.pdf
    """


@print_group.command(name="calendar")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--year", type=int, required=True, help="The calendar's year.")
@click.option("--query", default=None, metavar="Q", help="Photos this search finds.")
@click.option("--collection", default=None, metavar="SLUG", help="Photos of this collection.")
@click.option(
    "--size", type=click.Choice(["a4", "a3"]), default="a4", show_default=True, help="Paper size."
)
@click.option("--landscape", is_flag=True, help="Landscape pages (photo beside the month).")
@click.option(
    "--pick",
    "picks",
    multiple=True,
    metavar="MONTH=KEY",
    help="Choose a month's photo by hand (3=3fa2c9 or march=3fa2c9); repeat for more.",
)
@click.option(
    "--holidays",
    multiple=True,
    metavar="FILE.toml",
    help="Days to mark: tajikistan, estonia (shipped, 2026–2028) or your own TOML file; "
    "repeat for more.",
)
@_common
@click.pass_context
def calendar(
    ctx: click.Context,
    out: Path,
    year: int,
    query: str | None,
    collection: str | None,
    size: str,
    landscape: bool,
    picks: tuple[str, ...],
    holidays: tuple[str, ...],
    languages: str,
    bleed: bool,
    pdfx: bool,
    theme: Path | None,
    archive_path: Path | None,
    as_json: bool,
) -> None:
    """Write a wall calendar of one year to OUT (a PDF): a cover and twelve months.

    Each month gets a different public photo: those you --pick, then the largest of the
    others whose orientation suits the page. Photos are placed at 300 dpi where the
    original allows; a smaller one is named in a warning with its dpi.

    \b
    Example:
        archive print calendar --year 2027 calendar-2027.pdf
        archive print calendar --year 2027 --collection felt-2015 --language en+tg \\
            --holidays tajikistan --holidays estonia --pick march=3fa2c9 calendar.pdf
        archive print calendar --year 2027 --size a3 --landscape --bleed --pdfx big.pdf
    """
    from archive.printing import calendar as make_calendar

    report = make_calendar(
        layout(ctx, archive_path),
        out,
        year=year,
        query=query,
        collection=collection,
        languages=languages,
        size=size,
        landscape=landscape,
        picks=picks,
        holidays=holidays,
        bleed=bleed,
        pdfx=pdfx,
        theme=theme,
    )
    _show(report, as_json)


@print_group.command(name="catalogue")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--query", default=None, metavar="Q", help="Products this search finds.")
@_common
@click.pass_context
def catalogue(
    ctx: click.Context,
    out: Path,
    query: str | None,
    languages: str,
    bleed: bool,
    pdfx: bool,
    theme: Path | None,
    archive_path: Path | None,
    as_json: bool,
) -> None:
    """Write an A4 catalogue of the products to OUT (a PDF): a cover, a half page per
    product and a price list.

    Products are public items with a price (`archive edit KEY --set price="25 EUR"`,
    a sidecar or the spreadsheet); those with available=0 are sold out and left out.

    \b
    Example:
        archive print catalogue catalogue.pdf
        archive print catalogue --query "technique:felting" --language en+ru felt.pdf
    """
    from archive.printing import catalogue as make_catalogue

    report = make_catalogue(
        layout(ctx, archive_path),
        out,
        query=query,
        languages=languages,
        bleed=bleed,
        pdfx=pdfx,
        theme=theme,
    )
    _show(report, as_json)


def _show(report: Any, as_json: bool) -> None:
    if as_json:
        output.print_json(report.to_dict())
    for warning in report.warnings:
        output.err(f"warning: {warning}")
    for line in report.left_out:
        output.err(f"left out: {line}")
    lowest = f"; lowest photo resolution {report.lowest_dpi} dpi" if report.placements else ""
    output.err(
        f"Wrote {report.path}: {report.pages} pages, {report.size / 1e6:.1f} MB in "
        f"{report.seconds:.1f} s{lowest}."
    )


COMMANDS = [print_group]
