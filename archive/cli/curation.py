"""`archive conflicts`, `timeshift` and `todo`, and what ingest and import print of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from archive.cli import output
from archive.cli.options import actor, archive_option, json_option, layout, wait_option

SIDES = ("sidecar", "spreadsheet", "archive")  # archive.conflicts.SIDES, checked by a test


def count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "[]"
    return repr(value)


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

    Listing only reads the archive; --take waits for it like an edit.

    \b
    Example:
        archive conflicts
        archive conflicts --take archive 3fa2c9 title_en
        archive conflicts --take sidecar --all
        archive conflicts --take spreadsheet 3fa2c9 --all
    """
    from archive.conflicts import listing, resolve

    where = layout(ctx, archive_path)
    if take is None:
        if every:
            raise click.UsageError("--all resolves conflicts: give --take sidecar|archive too")
        found = listing(where, key, field)
        if as_json:
            output.print_json({"conflicts": [c.to_dict() for c in found]})
        for view in found if not as_json else ():
            data = view.to_dict()
            theirs, ours = data["theirs"], data["archive"]
            output.out(f"{view.conflict.key}  {view.conflict.field}")
            how = " ".join(str(p) for p in (ours["via"], ours["actor"], ours["at"]) if p)
            output.out(f"    {'archive:':12} {_value(ours['value'])}  ({how or 'no record'})")
            origin = theirs["from"] or ""
            output.out(f"    {view.conflict.source + ':':12} {_value(theirs['value'])}  ({origin})")
        output.err(f"{count(len(found), 'conflict', 'conflicts')}.")
        if found and not as_json:
            output.err(
                "Resolve one with `archive conflicts --take sidecar KEY FIELD` (or"
                " --take archive), or many with --all."
            )
        return
    if not every and not (key and field):
        raise click.UsageError("name the conflict by KEY and FIELD, or give --all")
    report = resolve(where, take, key, field, every=every, actor=actor(), wait=wait)
    if as_json:
        output.print_json(report.to_dict())
    for done in report.resolved if not as_json else ():
        output.out(f"{done.key}  {done.field}: took the {done.took}'s value {_value(done.value)}")
    output.err(f"Resolved {count(len(report.resolved), 'conflict', 'conflicts')}.")


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
def timeshift(
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
    from archive.timeshift import timeshift as run_timeshift
    from archive.timeshift import undo_shift

    where = layout(ctx, archive_path)
    if undo is not None:
        if by or keys or query:
            raise click.UsageError("--undo SHIFT takes no KEYS, --query or --by")
        report = undo_shift(where, undo, actor=actor(), wait=wait)
    else:
        if by is None:
            raise click.UsageError("give --by DURATION (for example --by +5h30m)")
        if not keys and query is None:
            raise click.UsageError("name items by KEY or --query")
        report = run_timeshift(
            where,
            by,
            keys=list(keys),
            query=query,
            dry_run=dry_run,
            actor=actor(),
            wait=wait,
        )
    _show_shift(report, as_json, undo is not None)


def _show_shift(report: Any, as_json: bool, undone: bool) -> None:
    if as_json:
        output.print_json(report.to_dict())
    else:
        for moved in report.moved:
            output.out(f"{moved.key}  {moved.old} -> {moved.new}")
        for skipped in report.skipped:
            output.out(f"{skipped.key}  not moved: {skipped.reason}")
    dates = count(len(report.moved), "date", "dates")
    if undone:
        output.err(f"Undid time shift {report.shift}: {dates} put back.")
    elif not report.applied:
        output.err(f"Would move {dates} by {report.by} (dry run).")
    elif report.shift is not None:
        output.err(
            f"Moved {dates} by {report.by} (time shift {report.shift}; "
            f"undo with `archive timeshift --undo {report.shift}`)."
        )
    else:
        output.err("No date was moved.")


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
    from archive.todo import todo as run_todo

    report = run_todo(layout(ctx, archive_path), query)
    if as_json:
        output.print_json(report.to_dict())
    else:
        for group in report.groups:
            output.out(f"{group.label} ({len(group.tasks)})")
            for task in group.tasks:
                output.out(f"  {task.key}  {task.name}: {task.detail}")
    things = count(report.open, "thing", "things")
    output.err(f"{things} to do on {count(report.items, 'item', 'items')}.")


# -- what ingest and metadata import print about values and conflicts -----------------------


def ingest_problems(report: Any) -> bool:
    """After an ingest: every value not accepted and every conflict, whatever --quiet says.
    True when there were any (the run then exits 3)."""
    noted = report.noted
    if not noted:
        return False
    if report.warnings:
        output.err(
            f"{count(report.warnings, 'value', 'values')} not accepted (see `archive check`):"
        )
        for outcome in noted:
            for warning in outcome.warnings:
                output.err(f"  {outcome.path}: {warning}")
    if report.conflicts:
        output.err(f"{count(report.conflicts, 'field', 'fields')} in conflict, left as they were:")
        for outcome in noted:
            for conflict in outcome.conflicts:
                output.err(f"  {outcome.path}: {conflict}")
    return True


def ingest_summary(report: Any) -> str:
    """``; 2 values not accepted, 1 field in conflict`` for the ingest summary line."""
    parts = []
    if report.warnings:
        parts.append(f"{count(report.warnings, 'value', 'values')} not accepted")
    if report.conflicts:
        parts.append(f"{count(report.conflicts, 'field', 'fields')} in conflict")
    return "; " + ", ".join(parts) if parts else ""


def sheet_conflicts(report: Any, force: bool) -> bool:
    """After a spreadsheet import: each conflicting cell, row by row. True when a cell was
    left alone for a conflict (the import then exits 3)."""
    for c in report.conflicts:
        what = "applied anyway (--force)" if c.forced else "left alone"
        origin = c.archive_origin
        how = f" ({origin.via}, {origin.at})" if origin else ""
        output.err(
            f"row {c.row}: conflict in {c.field} of {c.key}: the archive has {_value(c.archive)}"
            f"{how}, the sheet says {_value(c.sheet)}; {what}"
        )
    if report.kept:
        output.err(
            f"{count(len(report.kept), 'cell', 'cells')} the sheet did not change had been"
            " changed in the archive since it was exported: the archive's values stay."
        )
    return bool(report.conflicts) and not force


COMMANDS = [conflicts, timeshift, todo]
