"""`archive check`, `rebuild` and `upgrade`: looking after the archive itself."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archive.cli import output
from archive.cli.options import archive_option, jobs_option, json_option, layout, wait_option

EXIT_PARTIAL = 3


@click.command()
@archive_option
@json_option
@wait_option
@click.option(
    "--fixity",
    is_flag=True,
    help="Compare every original with its SHA-256 and record it: re-hashed in a folder "
    "(slow), the stored checksum in a bucket that keeps one.",
)
@click.option(
    "--deep", is_flag=True, help="With --fixity: download and re-hash originals in a bucket too."
)
@click.option(
    "--repair",
    is_flag=True,
    help="With --fixity: restore a changed or missing original from a replica whose copy "
    "matches its SHA-256, and a replica's damaged copy from the archive.",
)
@click.pass_context
def check(
    ctx: click.Context,
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    fixity: bool,
    deep: bool,
    repair: bool,
) -> None:
    """Report what disagrees in the archive: missing or changed originals, orphans,
    missing or stale derivatives, a stale index. Exit code 3 when something is wrong.

    A plain check only reads and runs beside any other command; --fixity records
    each result in the items' history, so it waits for the archive like an edit.

    \b
    Example:
        archive check
        archive check --fixity --json
        archive check --fixity --deep
        archive check --fixity --repair
    """
    from archive.upkeep import check as run_check

    report = run_check(
        layout(ctx, archive_path), fixity=fixity, deep=deep, repair=repair, wait=wait
    )
    if as_json:
        output.print_json(report.to_dict())
    else:
        for r in report.repaired:
            output.out(
                f"{'repaired':20} {r['path']}: {r['problem']} in {r['to']}, from {r['from']}"
            )
        for p in report.problems:
            where = p.path or p.key or ""
            output.out(f"{p.kind:20} {where}: {p.detail} (repair: {p.repair})")
        output.err(f"Checked {report.items} items: {len(report.problems)} problems.")
    if report.problems:
        sys.exit(EXIT_PARTIAL)


@click.command()
@archive_option
@json_option
@jobs_option
@wait_option
@click.option("--index", "do_index", is_flag=True, help="Rebuild the search index.")
@click.option(
    "--derivatives", "do_derivatives", is_flag=True, help="Re-make missing or stale derivatives."
)
@click.option("--force", is_flag=True, help="With --derivatives: re-make all of them.")
@click.pass_context
def rebuild(
    ctx: click.Context,
    archive_path: Path | None,
    as_json: bool,
    jobs: int | None,
    wait: float,
    do_index: bool,
    do_derivatives: bool,
    force: bool,
) -> None:
    """Regenerate what can be derived from the originals and the catalogue.

    With neither --index nor --derivatives, does both and removes what an
    interrupted run left behind.

    \b
    Example:
        archive rebuild --index
        archive rebuild --derivatives --force
    """
    from archive.upkeep import rebuild as run_rebuild

    report = run_rebuild(
        layout(ctx, archive_path),
        index=do_index,
        derivatives=do_derivatives,
        force=force,
        jobs=jobs,
        wait=wait,
    )
    if as_json:
        output.print_json(report.to_dict())
    parts = []
    if report.index_items is not None:
        parts.append(f"indexed {report.index_items} items")
    if report.derivatives_checked:
        parts.append(f"made {report.derivatives_made} derivatives")
        parts.append(f"removed {len(report.removed)} stray files")
    if report.adopted:
        parts.append(f"recovered {len(report.adopted)} originals")
    output.err("Rebuild: " + ", ".join(parts) + ".")
    for failure in report.failures:
        output.err(f"failed: {failure}")
    if report.failures:
        sys.exit(EXIT_PARTIAL)


@click.command()
@archive_option
@json_option
@wait_option
@click.pass_context
def upgrade(ctx: click.Context, archive_path: Path | None, as_json: bool, wait: float) -> None:
    """Move an archive made by an older version of this program to the current layout.

    Other commands refuse an archive of an older layout and name this command; an
    archive of a newer layout is refused here too (update the program instead).

    \b
    Example:
        archive upgrade -a /media/usb/archive
    """
    from archive.upkeep import upgrade as run_upgrade

    report = run_upgrade(layout(ctx, archive_path), wait=wait)
    if as_json:
        output.print_json(report.to_dict())
    if report.before == report.after:
        output.err(f"{report.archive} already has layout {report.after}; nothing to do.")
    else:
        output.err(f"Upgraded {report.archive} from layout {report.before} to {report.after}.")


COMMANDS = [check, rebuild, upgrade]
