"""`archive ingest`: bring sources in, with progress on a terminal and a summary."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from archive.cli import output
from archive.cli.options import (
    archive_option,
    jobs_option,
    json_option,
    layout,
    quiet_option,
    wait_option,
)

EXIT_PARTIAL = 3


@click.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@archive_option
@jobs_option
@json_option
@wait_option
@click.option("--dry-run", is_flag=True, help="Say what would be ingested; change nothing.")
@quiet_option
@click.pass_context
def ingest(
    ctx: click.Context,
    sources: tuple[Path, ...],
    archive_path: Path | None,
    jobs: int | None,
    as_json: bool,
    wait: float,
    dry_run: bool,
    quiet: bool,
) -> None:
    """Copy photos and videos from SOURCES into the archive, read their metadata,
    make thumbnails and previews, and index them.

    The archive is created on first use. Files already ingested are skipped;
    a sidecar NAME.ext.toml or a _folder.toml sets titles, places and consent.

    \b
    Example:
        archive ingest ~/DCIM/2015-08-telliskivi ~/Videos/wool
        archive ingest --json --jobs 2 /media/usb/DCIM
    """
    from archive.cli.curation import ingest_problems, ingest_summary
    from archive.ingest import ingest as run_ingest

    where = layout(ctx, archive_path)
    reporter = ProgressReporter(quiet=quiet or as_json)
    report = run_ingest(
        where, list(sources), jobs=jobs, dry_run=dry_run, wait=wait, on_outcome=reporter
    )
    reporter.finish()
    if as_json:
        _print_report_json(report)
    counts = report.counts
    summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n) or "no files found"
    summary += ingest_summary(report)
    into = f" into {report.archive}" if not dry_run else " (dry run: nothing changed)"
    output.err(f"Ingested {sum(counts.values())} files{into}: {summary}.")
    failed = report.failures
    if failed:
        output.err(f"{len(failed)} files failed:")
        for outcome in failed:
            output.err(f"  {outcome.path}: {outcome.reason}")
    if ingest_problems(report) or failed:
        if report.run_log:
            output.err(f"The run log is {where.root / report.run_log}")
        sys.exit(EXIT_PARTIAL)


def _print_report_json(report: Any) -> None:
    """The ingest report as JSON, one outcome at a time (a large run is never all in memory)."""
    import json

    click.echo('{\n  "outcomes": [')
    first = True
    for outcome in report.iter_outcomes():
        line = json.dumps(outcome.to_dict(), ensure_ascii=False)
        click.echo(("    " if first else "   ,") + line)
        first = False
    tail = json.dumps(report.to_dict_summary(), ensure_ascii=False, indent=2)[1:-1].strip("\n")
    click.echo("  ],\n" + tail + "\n}")


class ProgressReporter(output.ProgressLine):
    """Progress on stderr: a bar on a terminal, one line per file otherwise (unless quiet)."""

    def __init__(self, *, quiet: bool) -> None:
        super().__init__()
        self.quiet = quiet
        self.tty = sys.stderr.isatty()

    def __call__(self, progress: Any, outcome: Any) -> None:
        if self.tty:
            self._bar(progress)
        elif not self.quiet and outcome.outcome != "skipped":
            reason = f" ({outcome.reason})" if outcome.reason else ""
            output.err(f"{outcome.outcome:9} {outcome.path}{reason}")

    def _bar(self, p: Any) -> None:
        rate = p.done_bytes / self.elapsed
        left = (p.total_bytes - p.done_bytes) / rate if rate > 0 else 0
        share = p.done_files / p.total_files if p.total_files else 1
        width = 24
        bar = "#" * int(share * width)
        self.draw(
            f"[{bar:<{width}}] {p.done_files}/{p.total_files} files "
            f"{p.done_bytes / 1e6:,.1f}/{p.total_bytes / 1e6:,.1f} MB "
            f"{rate / 1e6:,.1f} MB/s, {left:,.0f} s left "
        )


COMMANDS = [ingest]
