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
@click.pass_context
def metadata_export(
    ctx: click.Context, path: Path, archive_path: Path | None, as_json: bool, query: str | None
) -> None:
    """Write PATH (.xlsx, or .csv in UTF-8 with BOM): one row per item, one column per field.

    List fields are separated by "; ". The key, file, kind and taken_at columns are for
    reference and are not imported.

    \b
    Example:
        archive metadata export items.xlsx
        archive metadata export felt.csv --query technique:felting
    """
    from archive.metadata import export as run_export

    written = run_export(layout(ctx, archive_path), path, query=query)
    if as_json:
        output.print_json(written.to_dict())
    output.err(f"Wrote {written.rows} items to {path}.")


@metadata.command(name="import")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@archive_option
@json_option
@wait_option
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option("--partial", is_flag=True, help="Apply the good rows even when some are bad.")
@click.pass_context
def metadata_import(
    ctx: click.Context,
    path: Path,
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    dry_run: bool,
    partial: bool,
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
    from archive.metadata import import_ as run_import

    report = run_import(
        layout(ctx, archive_path),
        path,
        dry_run=dry_run,
        partial=partial,
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
    verb = "Applied" if report.applied else "Would apply"
    if report.problems and not report.applied and not dry_run:
        verb = "Refused (nothing changed; fix the rows or use --partial):"
    output.err(
        f"{verb} {len(report.changes)} changes from {report.rows} rows"
        f" ({len(report.problems)} rows refused)."
    )
    if report.problems:
        sys.exit(EXIT_PARTIAL)


COMMANDS = [metadata]
