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


@click.group()
def replica() -> None:
    """Copies of the archive elsewhere (a USB disk folder, a bucket) that repair each other.

    \b
    Example:
        archive replica add usb /media/usb/pamir-replica
        archive replica add dushanbe s3://pamir-dushanbe/archive
        archive replica sync
        archive check --fixity --repair
    """


@replica.command(name="add")
@click.argument("name")
@click.argument("location")
@archive_option
@json_option
@click.pass_context
def replica_add(
    ctx: click.Context, name: str, location: str, archive_path: Path | None, as_json: bool
) -> None:
    """Name a replica at LOCATION (a folder or s3://BUCKET/PREFIX); it is kept in the
    archive's replicas.toml and filled by `archive replica sync`.

    \b
    Example:
        archive replica add usb /media/usb/pamir-replica
    """
    from archive.replica import add_replica

    added = add_replica(layout(ctx, archive_path), name, location)
    if as_json:
        output.print_json(added.to_dict())
    output.err(f"Replica {added.name} at {added.location}; fill it with `archive replica sync`.")


@replica.command(name="list")
@archive_option
@json_option
@click.pass_context
def replica_list(ctx: click.Context, archive_path: Path | None, as_json: bool) -> None:
    """The replicas of the archive.

    \b
    Example:
        archive replica list --json
    """
    from archive.replica import replicas

    found = replicas(layout(ctx, archive_path).require())
    if as_json:
        output.print_json([r.to_dict() for r in found])
        return
    for r in found:
        output.out(f"{r.name}\t{r.location}")


@replica.command(name="sync")
@click.argument("name", required=False)
@archive_option
@json_option
@quiet_option
@click.pass_context
def replica_sync(
    ctx: click.Context, name: str | None, archive_path: Path | None, as_json: bool, quiet: bool
) -> None:
    """Bring every replica (or NAME) up to date: the originals it lacks, a consistent
    snapshot of the catalogue (SQLite's backup API), archive.toml and the run logs.
    It only reads the archive, so other commands run beside it; interrupted, it goes on
    where it stopped.

    \b
    Example:
        archive replica sync
        archive replica sync usb --json
    """
    from archive.replica_sync import sync

    def progress(replica: str, done: int, total: int) -> None:
        if not quiet and (done == total or done % 100 == 0):
            output.err(f"{replica}: {done}/{total} originals")

    reports = sync(layout(ctx, archive_path), name, on_file=progress)
    if as_json:
        output.print_json([r.to_dict() for r in reports])
    for r in reports:
        output.err(
            f"Replica {r.name}: {r.copied} originals copied, {r.present} already there, "
            f"{r.runs} run logs, catalogue snapshot in {r.catalog}."
        )


COMMANDS = [storage, replica]
