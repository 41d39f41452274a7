"""`archive bag` and `archive events`: handing the archive to institutions in their formats."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from archive.cli import output
from archive.cli.options import archive_option, json_option, layout


@click.command()
@click.argument("dest", type=click.Path(path_type=Path, file_okay=False))
@archive_option
@json_option
@click.option("--query", default=None, help="Only the items this search finds.")
@click.option("--public-only", is_flag=True, help="Only items whose consent is public.")
@click.option(
    "--verify", is_flag=True, help="Hash every original again and refuse one that has changed."
)
@click.option(
    "--copy", is_flag=True, help="Copy the originals (default: hard links where possible)."
)
@click.option(
    "--organization",
    default=None,
    help="Source-Organization in bag-info.txt (default: the site title in archive.toml).",
)
@click.pass_context
def bag(
    ctx: click.Context,
    dest: Path,
    archive_path: Path | None,
    as_json: bool,
    query: str | None,
    public_only: bool,
    verify: bool,
    copy: bool,
    organization: str | None,
) -> None:
    """Write a BagIt 1.0 bag of the items to DEST, for a library, archive or museum.

    The bag holds every original bit-exact (data/originals/, with data/items.csv naming
    them), and in metadata/ the items as Dublin Core, as the archive's JSON, their history,
    PREMIS events and Archivematica's metadata.csv. A bag is a custody copy, not a
    publication: originals keep their camera and GPS data, and items of every consent are
    included unless --public-only. The bag is written into DEST.partial and renamed to
    DEST when complete. See docs/interop.md.

    \b
    Example:
        archive bag /media/usb/pamir-2024-bag
        archive bag ./felt-bag --query technique:felting --public-only --verify
    """
    from archive.bag import bag as run_bag

    bar = _Bar() if sys.stderr.isatty() else None
    report = run_bag(
        layout(ctx, archive_path),
        dest,
        query=query,
        public_only=public_only,
        verify=verify,
        copy=copy,
        organization=organization,
        progress=bar,
    )
    if bar:
        bar.finish()
    if as_json:
        output.print_json(report.to_dict())
    how = f"{report.linked} hard-linked" if report.linked else "copied"
    checked = ", every original hashed again" if report.verified else ""
    output.err(
        f"Bagged {report.items} items into {report.path}: {report.payload_files} payload files, "
        f"{report.payload_bytes / 1e6:,.1f} MB ({how}{checked})."
    )


class _Bar(output.ProgressLine):
    """A progress line on a terminal: files and megabytes placed."""

    def __call__(self, p: Any) -> None:
        self.draw(
            f"{p.done_files}/{p.total_files} originals, "
            f"{p.done_bytes / 1e6:,.1f}/{p.total_bytes / 1e6:,.1f} MB, "
            f"{p.done_bytes / 1e6 / self.elapsed:,.1f} MB/s "
        )


@click.command()
@click.argument("keys", nargs=-1)
@archive_option
@json_option
@click.option("--premis", is_flag=True, help="Write PREMIS 3 XML to stdout.")
@click.option("--public-only", is_flag=True, help="Only items whose consent is public.")
@click.pass_context
def events(
    ctx: click.Context,
    keys: tuple[str, ...],
    archive_path: Path | None,
    as_json: bool,
    premis: bool,
    public_only: bool,
) -> None:
    """List the preservation events of the items KEYS (default: every item): ingestion,
    message digest calculation, format identification, fixity checks, access copies
    made, metadata changes. With --premis, as a PREMIS 3 XML document.

    \b
    Example:
        archive events 3fa2c9
        archive events --premis > premis.xml
    """
    from archive.events import preservation_events, write_premis

    where = layout(ctx, archive_path)
    if premis:
        if as_json:
            raise click.UsageError("choose --premis or --json")
        count = write_premis(where, output.binary(), keys, public_only=public_only)
        output.err(f"Wrote the PREMIS events of {count} items.")
        return
    found = preservation_events(where, keys, public_only=public_only)
    if as_json:
        output.print_json(found.to_dict())
        return
    for item in found.items:
        for e in item.events:
            outcome = f" [{e.outcome}]" if e.outcome else ""
            output.out(f"{item.key}  {e.at}  {e.type}{outcome}  {e.detail or ''}".rstrip())


@click.command()
@archive_option
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8021,
    show_default=True,
    help="0: any free port.",
)
@click.option(
    "--page-size",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Records per response; harvesters get the rest through resumption tokens.",
)
@json_option
@click.pass_context
def oai(
    ctx: click.Context,
    archive_path: Path | None,
    host: str,
    port: int,
    page_size: int,
    as_json: bool,
) -> None:
    """Serve the public items to OAI-PMH harvesters (Dublin Core, oai_dc) until Ctrl-C.

    The six verbs, sets for collections, from/until, resumption tokens, GET and POST,
    at http://HOST:PORT/oai. Only public items; never a GPS position or camera.
    It listens on this machine only unless --host says otherwise. With --json, the
    address is printed on stdout as {"url": …} once it listens (for scripts that
    start it with --port 0).

    \b
    Example:
        archive oai
        archive oai --port 8080 --page-size 500
    """
    from archive.serve.oai import serve

    def ready(url: str) -> None:
        if as_json:
            output.print_json_line({"url": url})
        output.err(f"OAI-PMH at {url} (Ctrl-C stops it)")
        output.err(f"Try {url}?verb=Identify")

    from archive.cli.serve import until_stopped

    until_stopped(
        lambda: serve(
            layout(ctx, archive_path), host=host, port=port, page_size=page_size, ready=ready
        ),
        host,
        port,
    )


COMMANDS = [bag, events, oai]
