"""`archive metadata export|import`: describing items in a spreadsheet."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archive.cli import output
from archive.cli.options import actor, archive_option, json_option, layout, wait_option

EXIT_PARTIAL = 3


@click.group()
def metadata() -> None:
    """Describe items in a spreadsheet: export every item, edit, import the changes.

    \b
    Example:
        archive metadata export items.xlsx
        archive metadata import items.xlsx --dry-run
    """


@metadata.command(name="export")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@archive_option
@json_option
@click.option("--query", default=None, help="Only the items this search finds.")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["sheet", "dc-xml", "omeka-csv"]),
    default="sheet",
    show_default=True,
    help="sheet: the spreadsheet to edit and import; dc-xml: Dublin Core (oai_dc) records; "
    "omeka-csv: a CSV that Omeka S's CSV Import maps by its column names.",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="With dc-xml or omeka-csv: every item, not only the public ones.",
)
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="With dc-xml or omeka-csv: where the exported site is published (item pages as "
    "identifiers, media URLs for Omeka S).",
)
@click.pass_context
def metadata_export(
    ctx: click.Context,
    path: Path,
    archive_path: Path | None,
    as_json: bool,
    query: str | None,
    format_: str,
    everything: bool,
    base_url: str | None,
) -> None:
    """Write PATH (.xlsx, or .csv in UTF-8 with BOM): one row per item, one column per field.

    List fields are separated by "; ". The key, file, kind and taken_at columns are for
    reference and are not imported.

    With --format dc-xml or omeka-csv, write the public items (every item with --all) as
    Dublin Core for catalogues, aggregators and Omeka S, with titles and descriptions in
    each language; never a GPS position or camera. See docs/interop.md.

    \b
    Example:
        archive metadata export items.xlsx
        archive metadata export felt.csv --query technique:felting
        archive metadata export records.xml --format dc-xml
        archive metadata export omeka.csv --format omeka-csv --base-url https://crafts.example.org/
    """
    from archive.dcexport import export_as

    written = export_as(
        layout(ctx, archive_path),
        path,
        format_,
        query=query,
        everything=everything,
        base_url=base_url,
    )
    if as_json:
        output.print_json(written.to_dict())
    for warning in getattr(written, "warnings", ()):
        output.err(f"warning: {warning}")
    output.err(f"Wrote {written.rows} items to {path}.")


@metadata.command(name="import")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@archive_option
@json_option
@wait_option
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option("--partial", is_flag=True, help="Apply the good rows even when some are bad.")
@click.option("--force", is_flag=True, help="Apply cells that conflict with later edits too.")
@click.pass_context
def metadata_import(
    ctx: click.Context,
    path: Path,
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    dry_run: bool,
    partial: bool,
    force: bool,
) -> None:
    """Apply the edited cells of PATH (.xlsx or .csv) to the items; each change is an event.

    Every row is checked first: an unknown key, column or term, or a bad value is reported
    with its row number, and nothing changes unless --partial is given. Exit code 3 when
    any row was refused.

    \b
    Example:
        archive metadata import items.xlsx --dry-run
        archive metadata import items.csv --partial
    """
    from archive.cli.curation import sheet_conflicts
    from archive.metadata import import_ as run_import

    report = run_import(
        layout(ctx, archive_path),
        path,
        dry_run=dry_run,
        partial=partial,
        force=force,
        actor=actor(),
        wait=wait,
    )
    if as_json:
        output.print_json(report.to_dict())
    else:
        for change in report.changes:
            output.out(f"{change.key}  {change.field}: {change.old!r} -> {change.new!r}")
    for problem in report.problems:
        output.err(f"row {problem.row}: {problem.message}")
    conflicted = sheet_conflicts(report, force)
    verb = "Applied" if report.applied else "Would apply"
    if report.problems and not report.applied and not dry_run:
        verb = "Refused (nothing changed; fix the rows or use --partial):"
    output.err(
        f"{verb} {len(report.changes)} changes from {report.rows} rows"
        f" ({len(report.problems)} rows refused, {len(report.conflicts)} cells in conflict)."
    )
    if report.problems or conflicted:
        sys.exit(EXIT_PARTIAL)


COMMANDS = [metadata]
