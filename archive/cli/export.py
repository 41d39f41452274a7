"""`archive export`: the static catalogue website."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli import output
from archive.cli.options import archive_option, json_option, layout, wait_option


@click.command()
@click.argument("dest", type=click.Path(file_okay=False))
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
    dest: str,
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
        archive export s3://crafts-site/catalogue/ --base-url https://crafts.example.org/catalogue/

    An s3:// DEST is exported into the archive's cache/site/ and then only the files
    that changed are uploaded, with their content types and cache headers ([storage]
    endpoint and the usual AWS_* credentials reach the bucket).
    """
    options = dict(theme=theme, base_url=base_url, collection=collection, wait=wait)
    if dest.startswith("s3://"):
        from archive.export import publish_site

        report, published = publish_site(layout(ctx, archive_path), dest, **options)
        if as_json:
            output.print_json({**report.to_dict(), "published": published.to_dict()})
        output.err(
            f"Published {report.items} items to {published.location}: "
            f"{len(published.uploaded)} files uploaded, {published.unchanged} unchanged, "
            f"{len(published.deleted)} deleted."
        )
        return
    from archive.export import export as run_export

    report = run_export(layout(ctx, archive_path), Path(dest), **options)
    if as_json:
        output.print_json(report.to_dict())
    output.err(
        f"Exported {report.items} items to {dest}: {len(report.written)} files written, "
        f"{len(report.unchanged)} unchanged, {len(report.removed)} removed."
    )
    for warning in report.warnings:
        output.err(f"warning: {warning}")
    output.err(f"Open {Path(dest).absolute() / 'index.html'}")


COMMANDS = [export]
