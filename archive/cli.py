"""The `archive` command line: a thin shell over the Python API. Only this module prints."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from archive import __version__, indexing
from archive.check import check as run_check
from archive.check import rebuild as run_rebuild
from archive.edit import edit as run_edit
from archive.errors import ArchiveError
from archive.ingest import FileOutcome, Progress
from archive.ingest import ingest as run_ingest
from archive.layout import Layout, locate
from archive.lock import archive_lock
from catalog.errors import CatalogError
from catalog.search import QueryError
from catalog.store import Catalog
from media.errors import MediaError

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def archive_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-a",
        "--archive",
        "archive_path",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="The archive folder (default: $PAMIR_ARCHIVE, then ./archive).",
    )(func)


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")(func)


def wait_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--wait",
        type=float,
        default=0.0,
        show_default=True,
        metavar="SECONDS",
        help="Wait this long for another command to release the archive.",
    )(func)


def jobs_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        help="Worker processes (default: the number of cores).",
    )(func)


def _layout(ctx: click.Context, archive_path: Path | None) -> Layout:
    return locate(archive_path or (ctx.obj or {}).get("archive"))


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _fail(message: str, code: int = EXIT_ERROR) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """Turns the package's own errors into one sentence and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ArchiveError, CatalogError, MediaError, QueryError) as exc:
            _fail(str(exc))
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(EXIT_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-a",
    "--archive",
    "archive_path",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The archive folder (default: $PAMIR_ARCHIVE, then ./archive).",
)
@click.version_option(__version__, prog_name="archive")
@click.pass_context
def main(ctx: click.Context, archive_path: Path | None) -> None:
    """Pamir Craft Archive: keep photos and videos of crafts, describe them, publish them.

    \b
    Example:
        archive ingest ~/DCIM/2015-08-telliskivi
        archive export ./site
    """
    ctx.obj = {"archive": archive_path}


# -- ingest ----------------------------------------------------------------------


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@archive_option
@jobs_option
@json_option
@wait_option
@click.option("--dry-run", is_flag=True, help="Say what would be ingested; change nothing.")
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
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
    layout = _layout(ctx, archive_path)
    reporter = _ProgressReporter(quiet=quiet or as_json)
    report = run_ingest(
        layout, list(sources), jobs=jobs, dry_run=dry_run, wait=wait, on_outcome=reporter
    )
    reporter.finish()
    if as_json:
        _print_json(report.to_dict())
    counts = report.counts
    summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n) or "no files found"
    where = f" into {report.archive}" if not dry_run else " (dry run: nothing changed)"
    click.echo(f"Ingested {len(report.outcomes)} files{where}: {summary}.", err=True)
    failed = [o for o in report.outcomes if o.outcome == "failed"]
    if failed:
        click.echo(f"{len(failed)} files failed:", err=True)
        for outcome in failed:
            click.echo(f"  {outcome.path}: {outcome.reason}", err=True)
        if report.run_log:
            click.echo(f"The run log is {layout.root / report.run_log}", err=True)
        sys.exit(EXIT_PARTIAL)


class _ProgressReporter:
    """Progress on stderr: a bar on a terminal, one line per file otherwise (unless quiet)."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.start = time.monotonic()
        self.drawn = False

    def __call__(self, progress: Progress, outcome: FileOutcome) -> None:
        if self.tty:
            self._bar(progress)
        elif not self.quiet and outcome.outcome != "skipped":
            reason = f" ({outcome.reason})" if outcome.reason else ""
            click.echo(f"{outcome.outcome:9} {outcome.path}{reason}", err=True)

    def _bar(self, p: Progress) -> None:
        elapsed = max(time.monotonic() - self.start, 1e-6)
        rate = p.done_bytes / elapsed
        left = (p.total_bytes - p.done_bytes) / rate if rate > 0 else 0
        share = p.done_files / p.total_files if p.total_files else 1
        width = 24
        bar = "#" * int(share * width)
        line = (
            f"\r[{bar:<{width}}] {p.done_files}/{p.total_files} files "
            f"{p.done_bytes / 1e6:,.1f}/{p.total_bytes / 1e6:,.1f} MB "
            f"{rate / 1e6:,.1f} MB/s, {left:,.0f} s left "
        )
        click.echo(line, err=True, nl=False)
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            click.echo("", err=True)


# -- list, show, search -------------------------------------------------------------


def _open_catalog(layout: Layout) -> Catalog:
    layout.require()
    return Catalog(layout.catalog)


@main.command(name="list")
@archive_option
@json_option
@click.option("--public", is_flag=True, help="Only items whose consent is public.")
@click.pass_context
def list_items(ctx: click.Context, archive_path: Path | None, as_json: bool, public: bool) -> None:
    """List every item with its metadata, oldest first.

    \b
    Example:
        archive list
        archive list --json > items.json
    """
    with _open_catalog(_layout(ctx, archive_path)) as catalog:
        items = catalog.items(public_only=public)
    if as_json:
        _print_json([item.to_dict() for item in items])
        return
    for item in items:
        name = item.title or (Path(item.source_paths[0]).name if item.source_paths else "")
        date = (item.taken_at or "")[:10] or "undated"
        click.echo(f"{item.key}  {item.kind:5}  {date:10}  {item.consent:8}  {name}")


@main.command()
@click.argument("key")
@archive_option
@json_option
@click.pass_context
def show(ctx: click.Context, key: str, archive_path: Path | None, as_json: bool) -> None:
    """Show one item: its metadata, derivatives and history. KEY may be a prefix.

    \b
    Example:
        archive show 3fa2c9 --json
    """
    layout = _layout(ctx, archive_path)
    with _open_catalog(layout) as catalog:
        item = catalog.resolve(key)
        derivatives = catalog.derivatives(item.key)
        events = catalog.events(item.key)
    if as_json:
        data = item.to_dict()
        data["derivatives"] = {name: d.to_dict() for name, d in derivatives.items()}
        data["events"] = [e.to_dict() for e in events]
        _print_json(data)
        return
    for name, value in item.to_dict().items():
        if value in (None, [], {}, ""):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        click.echo(f"{name:14} {value}")
    click.echo("derivatives:")
    for name, d in derivatives.items():
        size = f"{d.width}x{d.height}" if d.width else ""
        click.echo(f"  {name:10} {d.path} {size}")
    click.echo("history:")
    for e in events:
        change = (
            f" {e.field}: {e.old!r} -> {e.new!r}" if e.field else (f" {e.new}" if e.new else "")
        )
        click.echo(f"  {e.at} {e.action}{change}")


@main.command()
@click.argument("query", nargs=-1)
@archive_option
@json_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@click.pass_context
def search(
    ctx: click.Context,
    query: tuple[str, ...],
    archive_path: Path | None,
    as_json: bool,
    limit: int,
    offset: int,
) -> None:
    """Full-text search over titles, descriptions, keywords, file names and cameras.

    \b
    Example:
        archive search felt
        archive search "iphone" --json
        archive search 'kind:video consent:public'
    """
    layout = _layout(ctx, archive_path)
    text = " ".join(query)
    with _open_catalog(layout) as catalog:
        if not indexing.is_current(layout, catalog):
            with archive_lock(layout, "rebuild --index", wait=30):
                indexing.ensure_current(layout, catalog)
        result = indexing.open_index(layout).search(text, limit=limit, offset=offset)
    if as_json:
        _print_json(result.to_dict())
        return
    click.echo(f"{result.total} items match.", err=True)
    for hit in result.hits:
        click.echo(f"{hit.key}  {hit.title or ''}")


# -- edit ----------------------------------------------------------------------------


@main.command()
@click.argument("keys", nargs=-1)
@archive_option
@json_option
@wait_option
@click.option("--set", "set_", multiple=True, metavar="FIELD=VALUE", help="Set a field.")
@click.option("--add", multiple=True, metavar="FIELD=VALUE", help="Add to a list field.")
@click.option("--remove", multiple=True, metavar="FIELD=VALUE", help="Remove from a list field.")
@click.option("--query", "query", default=None, help="Edit every item this search finds.")
@click.pass_context
def edit(
    ctx: click.Context,
    keys: tuple[str, ...],
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    set_: tuple[str, ...],
    add: tuple[str, ...],
    remove: tuple[str, ...],
    query: str | None,
) -> None:
    """Change descriptive fields of items given by KEYS and/or --query.

    Every change is recorded in the item's history with its old and new value.

    \b
    Example:
        archive edit 3fa2c9 --set consent=public --set "title=Felt rug, Khorog"
        archive edit --query 'kind:video' --add keywords=wool
    """
    if not keys and query is None:
        raise click.UsageError("name items by KEY or --query")
    report = run_edit(
        _layout(ctx, archive_path),
        list(keys),
        set_=list(set_),
        add=list(add),
        remove=list(remove),
        query=query,
        actor=os.environ.get("USER"),
        wait=wait,
    )
    if as_json:
        _print_json(report.to_dict())
        return
    for change in report.changes:
        click.echo(f"{change.key}  {change.field}: {change.old!r} -> {change.new!r}")
    click.echo(
        f"{len(report.changes)} changes to {len({c.key for c in report.changes})} of "
        f"{len(report.keys)} items.",
        err=True,
    )


# -- export --------------------------------------------------------------------------


@main.command()
@click.argument("dest", type=click.Path(path_type=Path, file_okay=False))
@archive_option
@json_option
@wait_option
@click.option(
    "--theme",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="A folder of templates/ and static/ that override the default theme.",
)
@click.pass_context
def export(
    ctx: click.Context,
    dest: Path,
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    theme: Path | None,
) -> None:
    """Write the static catalogue website of the public items to DEST.

    Only items with consent=public are exported; no GPS or camera data is published.
    A second export writes only what changed.

    \b
    Example:
        archive export ./site
        archive export /media/usb/catalogue --json
    """
    from archive.config import load
    from archive.export.site import export_site

    layout = _layout(ctx, archive_path).require()
    with archive_lock(layout, "export", wait=wait), Catalog(layout.catalog) as catalog:
        report = export_site(layout, catalog, load(layout), dest.absolute(), theme=theme)
    if as_json:
        _print_json(report.to_dict())
    click.echo(
        f"Exported {report.items} items to {dest}: {len(report.written)} files written, "
        f"{len(report.unchanged)} unchanged, {len(report.removed)} removed.",
        err=True,
    )
    for warning in getattr(report, "warnings", ()):
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"Open {dest.absolute() / 'index.html'}", err=True)


# -- check and rebuild ----------------------------------------------------------------


@main.command()
@archive_option
@json_option
@click.option("--fixity", is_flag=True, help="Re-hash every original (slow) and record it.")
@click.pass_context
def check(ctx: click.Context, archive_path: Path | None, as_json: bool, fixity: bool) -> None:
    """Report what disagrees in the archive: missing or changed originals, orphans,
    missing or stale derivatives, a stale index. Exit code 3 when something is wrong.

    \b
    Example:
        archive check
        archive check --fixity --json
    """
    layout = _layout(ctx, archive_path).require()
    with Catalog(layout.catalog) as catalog:
        report = run_check(layout, catalog, fixity=fixity)
    if as_json:
        _print_json(report.to_dict())
    else:
        for p in report.problems:
            where = p.path or p.key or ""
            click.echo(f"{p.kind:20} {where}: {p.detail} (repair: {p.repair})")
        click.echo(f"Checked {report.items} items: {len(report.problems)} problems.", err=True)
    if report.problems:
        sys.exit(EXIT_PARTIAL)


@main.command()
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
    layout = _layout(ctx, archive_path).require()
    both = not (do_index or do_derivatives)
    with archive_lock(layout, "rebuild", wait=wait), Catalog(layout.catalog) as catalog:
        report = run_rebuild(
            layout,
            catalog,
            index=both or do_index,
            derivatives=both or do_derivatives,
            force=force,
            jobs=jobs or os.cpu_count() or 1,
        )
    if as_json:
        _print_json(report.to_dict())
    parts = []
    if report.index_items is not None:
        parts.append(f"indexed {report.index_items} items")
    if both or do_derivatives:
        parts.append(f"made {report.derivatives_made} derivatives")
        parts.append(f"removed {len(report.removed)} stray files")
    if report.adopted:
        parts.append(f"recovered {len(report.adopted)} originals")
    click.echo("Rebuild: " + ", ".join(parts) + ".", err=True)
    for failure in report.failures:
        click.echo(f"failed: {failure}", err=True)
    if report.failures:
        sys.exit(EXIT_PARTIAL)


if __name__ == "__main__":  # pragma: no cover
    main()
