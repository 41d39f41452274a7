"""`archive storage migrate` and `archive replica add|list|sync`: where the originals live."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli import output
from archive.cli.options import archive_option, json_option, layout, quiet_option, wait_option

EXIT_PARTIAL = 3


@click.group()
def storage() -> None:
    """Where the originals live: the archive's folder or an S3-compatible bucket.

    \b
    Example:
        archive storage migrate --to s3://pamir-originals/archive
        archive storage migrate --to local
    """


@storage.command()
@click.option(
    "--to",
    "target",
    required=True,
    metavar="LOCATION",
    help="s3://BUCKET/PREFIX, or local for the archive's own originals/ folder.",
)
@click.option("--keep-source", is_flag=True, help="Leave the copies at the old place.")
@archive_option
@json_option
@wait_option
@quiet_option
@click.pass_context
def migrate(
    ctx: click.Context,
    target: str,
    keep_source: bool,
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    quiet: bool,
) -> None:
    """Move every original to LOCATION, verifying each copy against its SHA-256, then
    point [storage] originals in archive.toml at it and delete the old copies.

    Interrupted, run it again: copies already verified are not sent twice. The bucket's
    endpoint comes from [storage] endpoint (or AWS_ENDPOINT_URL), credentials from the
    usual AWS_* variables or ~/.aws/credentials.

    \b
    Example:
        archive storage migrate --to s3://pamir-originals/archive
        archive storage migrate --to local --json
    """
    from archive.storage.migrate import migrate as run_migrate

    def progress(done: int, total: int, path: str) -> None:
        if not quiet:
            output.err(f"[{done}/{total}] {path}")

    report = run_migrate(
        layout(ctx, archive_path), target, keep_source=keep_source, wait=wait, on_file=progress
    )
    if as_json:
        output.print_json(report.to_dict())
    output.err(
        f"Originals now at {report.target}: {len(report.copied)} copied and verified, "
        f"{report.already} already there, {report.removed} removed from {report.source}."
    )


COMMANDS = [storage]
