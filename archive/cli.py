"""The `archive` command line: a thin shell over the Python API. Only this module prints."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from archive import __version__, indexing
from archive.check import check as run_check
from archive.check import rebuild as run_rebuild
from archive.conflicts import curation_of
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


# Control characters and the marks that reorder text (U+202E shows "gpj.exe" as "exe.jpg").
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _safe(text: Any, *, newlines: str | None = None) -> str:
    """Text for a terminal: a name or title can never break a line, colour or reorder it.

    Unsafe characters are shown as escapes (``\\n``, ``\\x1b``, ``\\u202e``); with
    ``newlines``, a line break is kept and followed by that indent instead.
    """

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char == "\n" and newlines is not None:
            return "\n" + newlines
        return char.encode("unicode_escape").decode("ascii")

    return _UNSAFE.sub(escape, str(text))


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
        _print_ingest_json(report)
    from archive.curation_cli import ingest_problems, ingest_summary

    counts = report.counts
    summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n) or "no files found"
    summary += ingest_summary(report)
    where = f" into {report.archive}" if not dry_run else " (dry run: nothing changed)"
    click.echo(f"Ingested {sum(counts.values())} files{where}: {summary}.", err=True)
    failed = report.failures
    if failed:
        click.echo(f"{len(failed)} files failed:", err=True)
        for outcome in failed:
            click.echo(f"  {_safe(outcome.path)}: {_safe(outcome.reason)}", err=True)
    if ingest_problems(report) or failed:
        if report.run_log:
            click.echo(f"The run log is {layout.root / report.run_log}", err=True)
        sys.exit(EXIT_PARTIAL)


def _print_ingest_json(report: Any) -> None:
    """The ingest report as JSON, one outcome at a time (a large run is never all in memory)."""
    click.echo('{\n  "outcomes": [')
    first = True
    for outcome in report.iter_outcomes():
        line = json.dumps(outcome.to_dict(), ensure_ascii=False)
        click.echo(("    " if first else "   ,") + line)
        first = False
    tail = json.dumps(report.to_dict_summary(), ensure_ascii=False, indent=2)[1:-1].strip("\n")
    click.echo("  ],\n" + tail + "\n}")


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
            reason = f" ({_safe(outcome.reason)})" if outcome.reason else ""
            click.echo(f"{outcome.outcome:9} {_safe(outcome.path)}{reason}", err=True)

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
        click.echo(f"{item.key}  {item.kind:5}  {date:10}  {item.consent:8}  {_safe(name)}")


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
        curation = curation_of(catalog, item.key)
    if as_json:
        data = item.to_dict()
        data["derivatives"] = {name: d.to_dict() for name, d in derivatives.items()}
        data["events"] = [e.to_dict() for e in events]
        _print_json({**data, **curation})
        return
    for name, value in item.to_dict().items():
        if value in (None, [], {}, ""):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        click.echo(f"{name:14} {_safe(value, newlines=' ' * 15)}")
    click.echo("derivatives:")
    for name, d in derivatives.items():
        size = f"{d.width}x{d.height}" if d.width else ""
        click.echo(f"  {name:10} {d.path} {size}")
    click.echo("history:")
    for e in events:
        change = (
            f" {e.field}: {e.old!r} -> {e.new!r}" if e.field else (f" {e.new}" if e.new else "")
        )
        click.echo(f"  {e.at} {e.action}{_safe(change)}")


@main.command()
@click.argument("query", nargs=-1)
@archive_option
@json_option
@click.option("--nl", "as_nl", is_flag=True, help="Print one JSON object per hit, a line each.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date"]),
    default="relevance",
    show_default=True,
    help="Best match first, or by date taken (oldest first, undated last).",
)
@click.option(
    "--facets", "with_facets", is_flag=True, help="Also count technique, material, place, …"
)
@click.pass_context
def search(
    ctx: click.Context,
    query: tuple[str, ...],
    archive_path: Path | None,
    as_json: bool,
    as_nl: bool,
    limit: int,
    offset: int,
    sort: str,
    with_facets: bool,
) -> None:
    """Search titles, descriptions, terms, places, file names and cameras, in any
    language and either script (see docs/search.md).

    Words must all match; "quoted words" stand together; -word or NOT word excludes;
    word~ allows a typo; field:value filters by technique, material, object, step,
    place (with the places under it), kind, camera, consent, collection, year, date.

    \b
    Example:
        archive search хорог
        archive search 'jurab place:gbao' --facets
        archive search 'technique:felting date:2015-08..2015-11' --json
        archive search horog~ --sort date --nl
    """
    layout = _layout(ctx, archive_path)
    text = " ".join(query)
    with _open_catalog(layout) as catalog:
        if not indexing.is_current(layout, catalog):
            with archive_lock(layout, "rebuild --index", wait=30):
                indexing.ensure_current(layout, catalog)
        result = indexing.open_index(layout).search(
            text, limit=limit, offset=offset, sort=sort, facets=with_facets
        )
    if as_json:
        _print_json(result.to_dict())
        return
    if as_nl:
        for hit in result.hits:
            click.echo(json.dumps(hit.to_dict(), ensure_ascii=False))
    click.echo(f"{result.total} items match.", err=True)
    if result.did_you_mean:
        click.echo(f"Did you mean: {result.did_you_mean}", err=True)
    if as_nl:
        return
    for hit in result.hits:
        date = (hit.taken or "")[:10] or "undated"
        click.echo(f"{hit.key}  {date:10}  {_safe(hit.title or '')}")
        if hit.snippet:
            click.echo("    " + _highlighted(hit.snippet, hit.highlights))
    for name, counts in (result.facets or {}).items():
        if counts:
            shown = ", ".join(f"{_safe(c.label)} ({c.count})" for c in counts)
            click.echo(f"{name}: {shown}")


def _highlighted(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """The snippet with matched words in bold (plain when stdout is not a terminal)."""
    out, at = [], 0
    for start, end in spans:
        out += [_safe(text[at:start]), click.style(_safe(text[start:end]), bold=True)]
        at = end
    out.append(_safe(text[at:]))
    return "".join(out)


# -- edit ----------------------------------------------------------------------------


@main.command()
@click.argument("keys", nargs=-1)
@archive_option
@json_option
@wait_option
@click.option("--set", "set_", multiple=True, metavar="FIELD=VALUE", help="Set a field.")
@click.option("--add", multiple=True, metavar="FIELD=VALUE", help="Add to a list field.")
@click.option("--remove", multiple=True, metavar="FIELD=VALUE", help="Remove from a list field.")
@click.option("--unset", multiple=True, metavar="FIELD", help="Clear a field (title.ru: one).")
@click.option(
    "--as-new-term",
    "new_terms",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Accept VALUE as a new term of the archive's vocabulary and add it.",
)
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
    unset: tuple[str, ...],
    new_terms: tuple[str, ...],
    query: str | None,
) -> None:
    """Change descriptive fields of items given by KEYS and/or --query.

    Every change is recorded in the item's history with its old and new value.
    --set title=… sets the language the text is written in (title.tg=… names it);
    --unset title.ru clears one. taken_at takes 2015-08-16T10:30, 2015-08-16, 2015-08
    or 2015 (the file's own date stays in taken_at_original).

    \b
    Example:
        archive edit 3fa2c9 --set consent=public --set "title=Felt rug, Khorog"
        archive edit 3fa2c9 --set "title.tg=Қолини намадӣ" --unset description.ru
        archive edit 3fa2c9 --set taken_at=2015-08-16T10:30
        archive edit 3fa2c9 --as-new-term technique=feltin
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
        unset=list(unset),
        new_terms=list(new_terms),
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
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Where the site will be published (https://…): absolute links in sitemap.xml, "
    "robots.txt, canonical and Open Graph tags.",
)
@click.option(
    "--collection",
    "collection",
    default=None,
    metavar="SLUG",
    help="Write only this collection, as a self-contained gallery folder with an "
    "embed.html snippet for another website.",
)
@click.pass_context
def export(
    ctx: click.Context,
    dest: Path,
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    theme: Path | None,
    base_url: str | None,
    collection: str | None,
) -> None:
    """Write the static catalogue website of the public items to DEST.

    Only items with consent=public are exported; no GPS or camera data is published.
    The site opens from a folder or USB stick (file://) as well as from a web server,
    in every language of [site] languages in archive.toml. A second export writes
    only what changed; pages of unpublished items are deleted.

    \b
    Example:
        archive export ./site
        archive export /media/usb/catalogue --json
        archive export ./site --base-url https://crafts.example.org/catalogue/
        archive export ./gallery --collection khorog-workshop-2016
    """
    from archive.config import load
    from archive.export.site import export_site

    layout = _layout(ctx, archive_path).require()
    with archive_lock(layout, "export", wait=wait), Catalog(layout.catalog) as catalog:
        report = export_site(
            layout,
            catalog,
            load(layout),
            dest.absolute(),
            theme=theme,
            base_url=base_url,
            collection=collection,
        )
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
            click.echo(f"{p.kind:20} {_safe(where)}: {_safe(p.detail)} (repair: {p.repair})")
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


# -- vocab (controlled vocabularies; issue 3) ------------------------------------------


@main.command()
@click.argument("name", required=False)
@archive_option
@json_option
@click.pass_context
def vocab(ctx: click.Context, name: str | None, archive_path: Path | None, as_json: bool) -> None:
    """List the controlled vocabularies, or the terms of one: slug, labels in English,
    Russian and Tajik, variants. An archive adds its own in vocabularies/NAME.toml.

    \b
    Example:
        archive vocab
        archive vocab place
        archive vocab technique --json
    """
    layout = _layout(ctx, archive_path)
    vocabularies = indexing.vocabularies(layout)
    if name is None:
        if as_json:
            _print_json({v.name: len(v.terms) for v in vocabularies})
            return
        for vocabulary in vocabularies:
            click.echo(f"{vocabulary.name:14} {len(vocabulary.terms)} terms")
        return
    vocabulary = vocabularies[name.replace("-", "_")]
    if as_json:
        _print_json([term.to_dict() for term in vocabulary])
        return
    for term in vocabulary:
        labels = " / ".join(_safe(term.labels.get(lang) or "–") for lang in ("en", "ru", "tg"))
        parent = f"  (in {term.parent})" if term.parent else ""
        click.echo(f"{term.slug:22} {labels}{parent}")
        if term.alt:
            click.echo(f"{'':22} also: {_safe(', '.join(term.alt))}")


# -- metadata, collection, chapters, history (descriptive metadata; issue 4) -------------


@main.group()
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

    layout = _layout(ctx, archive_path)
    keys = None
    if query is not None:
        with _open_catalog(layout) as catalog:
            indexing.ensure_current(layout, catalog)
            found = indexing.open_index(layout).search(query, limit=max(catalog.count(), 1))
            keys = [hit.key for hit in found.hits]
    count = run_export(layout, path, keys=keys)
    if as_json:
        _print_json({"path": str(path), "rows": count})
    click.echo(f"Wrote {count} items to {path}.", err=True)


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
    from archive.metadata import import_ as run_import

    report = run_import(
        _layout(ctx, archive_path),
        path,
        dry_run=dry_run,
        partial=partial,
        force=force,
        actor=os.environ.get("USER"),
        wait=wait,
    )
    if as_json:
        _print_json(report.to_dict())
    else:
        for change in report.changes:
            click.echo(f"{change.key}  {change.field}: {change.old!r} -> {change.new!r}")
    from archive.curation_cli import sheet_conflicts

    for problem in report.problems:
        click.echo(f"row {problem.row}: {problem.message}", err=True)
    conflicted = sheet_conflicts(report, force)
    verb = "Applied" if report.applied else "Would apply"
    if report.problems and not report.applied and not dry_run:
        verb = "Refused (nothing changed; fix the rows or use --partial):"
    click.echo(
        f"{verb} {len(report.changes)} changes from {report.rows} rows"
        f" ({len(report.problems)} rows refused, {len(report.conflicts)} cells in conflict).",
        err=True,
    )
    if report.problems or conflicted:
        sys.exit(EXIT_PARTIAL)


def _per_language(values: tuple[str, ...], option: str) -> dict[str, str]:
    texts = {}
    for value in values:
        lang, sep, text = value.partition("=")
        if not sep:
            raise click.UsageError(f"{option} takes LANG=TEXT, e.g. {option} en=Felt")
        texts[lang.strip().lower()] = text
    return texts


@main.group()
def collection() -> None:
    """Collections and events: named, ordered groups of items.

    \b
    Example:
        archive collection create felt-2015 --event --start 2015-08-10 --place khorog
        archive collection add felt-2015 3fa2c9 81b0e2
    """


@collection.command(name="create")
@click.argument("slug")
@archive_option
@json_option
@wait_option
@click.option("--event", "is_event", is_flag=True, help="An event: it has dates and a place.")
@click.option("--title", multiple=True, metavar="LANG=TEXT", help="The title in one language.")
@click.option("--description", multiple=True, metavar="LANG=TEXT", help="A description.")
@click.option("--start", default=None, metavar="DATE", help="First day (2015-08-10).")
@click.option("--end", default=None, metavar="DATE", help="Last day.")
@click.option("--place", default=None, help="A place of the place vocabulary.")
@click.pass_context
def collection_create(
    ctx: click.Context,
    slug: str,
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    is_event: bool,
    title: tuple[str, ...],
    description: tuple[str, ...],
    start: str | None,
    end: str | None,
    place: str | None,
) -> None:
    """Create a collection (or, with --event, an event) named SLUG.

    \b
    Example:
        archive collection create jurab-socks --title en="Jurab socks" --title ru="Джурабы"
        archive collection create felt-2015 --event --start 2015-08-10 --end 2015-08-14
    """
    from archive.collections import create

    made = create(
        _layout(ctx, archive_path),
        slug,
        actor=os.environ.get("USER"),
        wait=wait,
        kind="event" if is_event else "collection",
        title=_per_language(title, "--title"),
        description=_per_language(description, "--description"),
        date_start=start,
        date_end=end,
        place=place,
    )
    if as_json:
        _print_json(made.to_dict())
    click.echo(f"Created the {made.kind} {made.slug}.", err=True)


@collection.command(name="add")
@click.argument("slug")
@click.argument("keys", nargs=-1, required=True)
@archive_option
@json_option
@wait_option
@click.option("--at", "position", type=click.IntRange(min=1), default=None, help="Position.")
@click.pass_context
def collection_add(
    ctx: click.Context,
    slug: str,
    keys: tuple[str, ...],
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    position: int | None,
) -> None:
    """Put the items KEYS into collection SLUG (at the end, or at position --at).

    \b
    Example:
        archive collection add felt-2015 3fa2c9 81b0e2 --at 1
    """
    from archive.collections import add

    keys_in_order = add(
        _layout(ctx, archive_path),
        slug,
        list(keys),
        position=position,
        actor=os.environ.get("USER"),
        wait=wait,
    )
    if as_json:
        _print_json({"slug": slug, "items": keys_in_order})
    click.echo(f"{slug} now holds {len(keys_in_order)} items.", err=True)


@collection.command(name="remove")
@click.argument("slug")
@click.argument("keys", nargs=-1, required=True)
@archive_option
@json_option
@wait_option
@click.pass_context
def collection_remove(
    ctx: click.Context,
    slug: str,
    keys: tuple[str, ...],
    archive_path: Path | None,
    as_json: bool,
    wait: float,
) -> None:
    """Take the items KEYS out of collection SLUG (the items stay in the archive).

    \b
    Example:
        archive collection remove felt-2015 81b0e2
    """
    from archive.collections import remove

    keys_in_order = remove(
        _layout(ctx, archive_path), slug, list(keys), actor=os.environ.get("USER"), wait=wait
    )
    if as_json:
        _print_json({"slug": slug, "items": keys_in_order})
    click.echo(f"{slug} now holds {len(keys_in_order)} items.", err=True)


@collection.command(name="list")
@archive_option
@json_option
@click.pass_context
def collection_list(ctx: click.Context, archive_path: Path | None, as_json: bool) -> None:
    """List the collections and events with their number of items.

    \b
    Example:
        archive collection list --json
    """
    from archive.collections import listing

    found = listing(_layout(ctx, archive_path))
    if as_json:
        _print_json([{**c.to_dict(), "count": n} for c, n in found])
        return
    for made, count in found:
        dates = " ".join(d for d in (made.date_start, made.date_end) if d)
        title = made.title.get("en") or next(iter(made.title.values()), "")
        click.echo(f"{made.slug:24} {made.kind:10} {count:5} items  {dates}  {title}".rstrip())


@collection.command(name="show")
@click.argument("slug")
@archive_option
@json_option
@click.pass_context
def collection_show(
    ctx: click.Context, slug: str, archive_path: Path | None, as_json: bool
) -> None:
    """Show a collection: its titles, descriptions, dates, place and items in order.

    \b
    Example:
        archive collection show felt-2015 --json
    """
    from archive.collections import show as run_show

    made, keys = run_show(_layout(ctx, archive_path), slug)
    if as_json:
        _print_json({**made.to_dict(), "items": keys})
        return
    click.echo(f"{made.slug} ({made.kind})")
    for name in ("title", "description"):
        for lang, text in getattr(made, name).items():
            click.echo(f"  {name}[{lang}]: {text}")
    for name in ("date_start", "date_end", "place"):
        if getattr(made, name):
            click.echo(f"  {name}: {getattr(made, name)}")
    for key in keys:
        click.echo(f"  {key}")


@main.command()
@click.argument("key")
@archive_option
@json_option
@wait_option
@click.option(
    "--add",
    "add",
    nargs=3,
    multiple=True,
    metavar="RANGE STEP CAPTION",
    help='A chapter: 0:00-1:30 washing "Washing the wool" (STEP may be "").',
)
@click.option("--remove", multiple=True, type=click.IntRange(min=1), help="Remove chapter N.")
@click.option("--lang", default=None, help="The language of the captions (default: from script).")
@click.option("--list", "list_only", is_flag=True, help="Only list the chapters.")
@click.pass_context
def chapters(
    ctx: click.Context,
    key: str,
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    add: tuple[tuple[str, str, str], ...],
    remove: tuple[int, ...],
    lang: str | None,
    list_only: bool,
) -> None:
    """List or change the chapters of video KEY: time ranges with a process step and a caption.

    \b
    Example:
        archive chapters 3fa2c9 --add 0:00-1:30 washing "Washing the wool"
        archive chapters 3fa2c9 --add 1:30-4:00 carding "Чесание шерсти" --remove 2
        archive chapters 3fa2c9 --list --json
    """
    from archive.chapters import chapters as run_chapters
    from catalog.chapters import format_time

    item = run_chapters(
        _layout(ctx, archive_path),
        key,
        add=[] if list_only else list(add),
        remove=[] if list_only else list(remove),
        caption_lang=lang,
        actor=os.environ.get("USER"),
        wait=wait,
    )
    if as_json:
        _print_json({"key": item.key, "chapters": [c.to_dict() for c in item.chapters]})
        return
    for number, chapter in enumerate(item.chapters, start=1):
        span = f"{format_time(chapter.start)}-{format_time(chapter.end)}"
        click.echo(f"{number:3}  {span:15} {chapter.process_step or '-':16} {chapter.text()}")
    if not item.chapters:
        click.echo(f"{item.key} has no chapters.", err=True)


@main.command()
@click.argument("key", required=False)
@archive_option
@json_option
@wait_option
@click.option(
    "--undo", "undo_event", type=int, default=None, metavar="EVENT", help="Revert an edit."
)
@click.pass_context
def history(
    ctx: click.Context,
    key: str | None,
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    undo_event: int | None,
) -> None:
    """List every event of item KEY (or collection:SLUG) with old and new values, or undo
    one edit with --undo EVENT (the undo is itself an event).

    \b
    Example:
        archive history 3fa2c9
        archive history --undo 42
    """
    from archive.history import history as run_history
    from archive.history import undo

    layout = _layout(ctx, archive_path)
    if undo_event is not None:
        done = undo(layout, undo_event, actor=os.environ.get("USER"), wait=wait)
        if as_json:
            _print_json(done.to_dict())
        click.echo(
            f"Undid event {undo_event}: {done.key} {done.field} is {done.restored!r} again"
            f" (event {done.new_event}).",
            err=True,
        )
        return
    if key is None:
        raise click.UsageError("name an item KEY, or give --undo EVENT")
    full, events = run_history(layout, key)
    if as_json:
        _print_json({"key": full, "events": [e.to_dict() for e in events]})
        return
    for event in events:
        who = event.detail.get("actor") or ""
        via = event.detail.get("via") or ""
        line = f"{event.id:6}  {event.at}  {event.action:12}"
        if event.field:
            line += f" {event.field}: {event.old!r} -> {event.new!r}"
        elif event.new is not None:
            line += f" {event.new!r}"
        extra = " ".join(p for p in (via, who) if p)
        click.echo(line + (f"  [{extra}]" if extra else ""))


from archive.curation_cli import register as _register_curation  # noqa: E402

_register_curation(main)

if __name__ == "__main__":  # pragma: no cover
    main()
