"""The curator's commands: `archive conflicts`, `archive timeshift`, `archive todo` (click)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from archive.conflicts import SIDES, listing, resolve
from archive.layout import Layout
from archive.timeshift import ShiftReport, timeshift, undo_shift
from archive.todo import todo as run_todo


def register(group: click.Group) -> None:
    """Add the curator's commands to the `archive` group."""
    for command in (conflicts, timeshift_command, todo):
        group.add_command(command)


# archive/cli.py imports this module at its end, so this module takes the shared helpers
# from it only when a command runs (also under `python -m archive.cli`), and repeats the
# three shared options, which mean what they mean there.
archive_option = click.option(
    "-a",
    "--archive",
    "archive_path",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The archive folder (default: $PAMIR_ARCHIVE, then ./archive).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
wait_option = click.option(
    "--wait",
    type=float,
    default=0.0,
    show_default=True,
    metavar="SECONDS",
    help="Wait this long for another command to release the archive.",
)


def _safe(text: Any) -> str:
    from archive.cli import _safe as safe

    return safe(text)


def _print_json(data: Any) -> None:
    from archive.cli import _print_json as print_json

    print_json(data)


def _layout(ctx: click.Context, archive_path: Path | None) -> Layout:
    from archive.cli import _layout as layout

    return layout(ctx, archive_path)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _value(value: Any) -> str:
    if isinstance(value, list):
        return _safe(", ".join(str(v) for v in value) or "[]")
    return _safe(repr(value))


# -- conflicts -----------------------------------------------------------------------------


@click.command()
@click.argument("key", required=False)
@click.argument("field", required=False)
@archive_option
@json_option
@wait_option
@click.option(
    "--take",
    type=click.Choice(SIDES),
    default=None,
    help="Resolve: take the sidecar's (or spreadsheet's) value, or keep the archive's.",
)
@click.option("--all", "every", is_flag=True, help="With --take: every conflict (of KEY).")
@click.pass_context
def conflicts(
    ctx: click.Context,
    key: str | None,
    field: str | None,
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    take: str | None,
    every: bool,
) -> None:
    """List the fields where a changed sidecar or an imported spreadsheet met a value a
    person set (nothing was changed), with both values and where each came from; or
    resolve them with --take. FIELD is a column such as title_en (or title.en).

    \b
    Example:
        archive conflicts
        archive conflicts --take archive 3fa2c9 title_en
        archive conflicts --take sidecar --all
        archive conflicts --take spreadsheet 3fa2c9 --all
    """
    layout = _layout(ctx, archive_path)
    if take is None:
        if every:
            raise click.UsageError("--all resolves conflicts: give --take sidecar|archive too")
        found = listing(layout, key, field)
        if as_json:
            _print_json({"conflicts": [c.to_dict() for c in found]})
        for view in found if not as_json else ():
            data = view.to_dict()
            theirs, ours = data["theirs"], data["archive"]
            click.echo(f"{view.conflict.key}  {view.conflict.field}")
            how = " ".join(_safe(p) for p in (ours["via"], ours["actor"], ours["at"]) if p)
            click.echo(f"    {'archive:':12} {_value(ours['value'])}  ({how or 'no record'})")
            origin = _safe(theirs["from"] or "")
            click.echo(f"    {view.conflict.source + ':':12} {_value(theirs['value'])}  ({origin})")
        click.echo(f"{_count(len(found), 'conflict', 'conflicts')}.", err=True)
        if found and not as_json:
            click.echo(
                "Resolve one with `archive conflicts --take sidecar|archive KEY FIELD`,"
                " or many with --all.",
                err=True,
            )
        return
    if not every and not (key and field):
        raise click.UsageError("name the conflict by KEY and FIELD, or give --all")
    report = resolve(layout, take, key, field, every=every, actor=os.environ.get("USER"), wait=wait)
    if as_json:
        _print_json(report.to_dict())
    for done in report.resolved if not as_json else ():
        click.echo(f"{done.key}  {done.field}: took the {done.took}'s value {_value(done.value)}")
    click.echo(f"Resolved {_count(len(report.resolved), 'conflict', 'conflicts')}.", err=True)


# -- timeshift -----------------------------------------------------------------------------


@click.command(name="timeshift")
@click.argument("keys", nargs=-1)
@archive_option
@json_option
@wait_option
@click.option("--query", default=None, help="Shift every item this search finds.")
@click.option("--by", "by", default=None, metavar="DURATION", help="+5h30m, -1y2d, +3mo, …")
@click.option("--dry-run", is_flag=True, help="Show the old and new dates; change nothing.")
@click.option("--undo", "undo", type=int, default=None, metavar="SHIFT", help="Undo a shift.")
@click.pass_context
def timeshift_command(
    ctx: click.Context,
    keys: tuple[str, ...],
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    query: str | None,
    by: str | None,
    dry_run: bool,
    undo: int | None,
) -> None:
    """Move the date taken of items KEYS and/or --query by a duration (a camera whose
    clock was wrong): y years, mo months, w weeks, d days, h hours, m minutes, s seconds.
    Each date keeps its precision; the file's own date stays in taken_at_original. Every
    move is an event; --undo SHIFT puts a whole shift back (history --undo one item).

    \b
    Example:
        archive timeshift --query 'camera:iphone' --by -3y4mo --dry-run
        archive timeshift 3fa2c9 81b0e2 --by +5h30m
        archive timeshift --undo 57
    """
    layout = _layout(ctx, archive_path)
    if undo is not None:
        if by or keys or query:
            raise click.UsageError("--undo SHIFT takes no KEYS, --query or --by")
        report = undo_shift(layout, undo, actor=os.environ.get("USER"), wait=wait)
    else:
        if by is None:
            raise click.UsageError("give --by DURATION (for example --by +5h30m)")
        if not keys and query is None:
            raise click.UsageError("name items by KEY or --query")
        report = timeshift(
            layout,
            by,
            keys=list(keys),
            query=query,
            dry_run=dry_run,
            actor=os.environ.get("USER"),
            wait=wait,
        )
    _show_shift(report, as_json, undo is not None)


def _show_shift(report: ShiftReport, as_json: bool, undone: bool) -> None:
    if as_json:
        _print_json(report.to_dict())
    else:
        for moved in report.moved:
            click.echo(f"{moved.key}  {moved.old} -> {moved.new}")
        for skipped in report.skipped:
            click.echo(f"{skipped.key}  not moved: {_safe(skipped.reason)}")
    if undone:
        dates = _count(len(report.moved), "date", "dates")
        click.echo(f"Undid time shift {report.shift}: {dates} put back.", err=True)
    elif not report.applied:
        dates = _count(len(report.moved), "date", "dates")
        click.echo(f"Would move {dates} by {report.by} (dry run).", err=True)
    elif report.shift is not None:
        click.echo(
            f"Moved {_count(len(report.moved), 'date', 'dates')} by {report.by} "
            f"(time shift {report.shift}; "
            f"undo with `archive timeshift --undo {report.shift}`).",
            err=True,
        )
    else:
        click.echo("No date was moved.", err=True)


# -- todo ----------------------------------------------------------------------------------


@click.command()
@archive_option
@json_option
@click.option("--query", default=None, help="Only the items this search finds.")
@click.pass_context
def todo(ctx: click.Context, archive_path: Path | None, as_json: bool, query: str | None) -> None:
    """List what is left to do, grouped with counts: conflicts, values not accepted,
    consent undecided or without who/when, no title or description in a site language
    ([site] languages in archive.toml), no date, keywords from the file never reviewed.

    \b
    Example:
        archive todo
        archive todo --query 'collection:mardilaat-2015' --json
    """
    report = run_todo(_layout(ctx, archive_path), query)
    if as_json:
        _print_json(report.to_dict())
    else:
        for group in report.groups:
            click.echo(f"{group.label} ({len(group.tasks)})")
            for task in group.tasks:
                click.echo(f"  {task.key}  {_safe(task.name)}: {_safe(task.detail)}")
    todo_count = _count(report.open, "thing", "things")
    click.echo(f"{todo_count} to do on {_count(report.items, 'item', 'items')}.", err=True)


# -- hooks for existing commands -------------------------------------------------------------


def ingest_problems(report: Any) -> bool:
    """After an ingest: every value not accepted and every conflict, whatever --quiet says.
    True when there were any (the run then exits 3)."""
    noted = report.noted
    if not noted:
        return False
    if report.warnings:
        values = _count(report.warnings, "value", "values")
        click.echo(f"{values} not accepted (see `archive check`):", err=True)
        for outcome in noted:
            for warning in outcome.warnings:
                click.echo(f"  {_safe(outcome.path)}: {_safe(warning)}", err=True)
    if report.conflicts:
        fields = _count(report.conflicts, "field", "fields")
        click.echo(f"{fields} in conflict, left as they were:", err=True)
        for outcome in noted:
            for conflict in outcome.conflicts:
                click.echo(f"  {_safe(outcome.path)}: {_safe(conflict)}", err=True)
    return True


def sheet_conflicts(report: Any, force: bool) -> bool:
    """After a spreadsheet import: each conflicting cell, row by row. True when a cell was
    left alone for a conflict (the import then exits 3)."""
    for c in report.conflicts:
        what = "applied anyway (--force)" if c.forced else "left alone"
        origin = c.archive_origin
        how = f" ({origin.via}, {origin.at})" if origin else ""
        click.echo(
            f"row {c.row}: conflict in {c.field} of {c.key}: the archive has {_value(c.archive)}"
            f"{how}, the sheet says {_value(c.sheet)}; {what}",
            err=True,
        )
    if report.kept:
        click.echo(
            f"{_count(len(report.kept), 'cell', 'cells')} the sheet did not change had been"
            " changed in the archive since it was exported: the archive's values stay.",
            err=True,
        )
    return bool(report.conflicts) and not force


def ingest_summary(report: Any) -> str:
    """``; 2 values not accepted, 1 field in conflict`` for the ingest summary line."""
    parts = []
    if report.warnings:
        parts.append(f"{_count(report.warnings, 'value', 'values')} not accepted")
    if report.conflicts:
        parts.append(f"{_count(report.conflicts, 'field', 'fields')} in conflict")
    return "; " + ", ".join(parts) if parts else ""
