"""Options that mean the same in every command: --archive, --json, --wait, --jobs, --quiet."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

F = Callable[..., Any]

ARCHIVE_HELP = "The archive folder (default: $PAMIR_ARCHIVE, then ./archive)."


def archive_option(func: F) -> F:
    return click.option(
        "-a",
        "--archive",
        "archive_path",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help=ARCHIVE_HELP,
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")(func)


def wait_option(func: F) -> F:
    return click.option(
        "--wait",
        type=click.FloatRange(min=0),
        default=0.0,
        show_default=True,
        metavar="SECONDS",
        help="Wait this long for another command to release the archive.",
    )(func)


def jobs_option(func: F) -> F:
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        help="Worker processes (default: the number of cores).",
    )(func)


def quiet_option(func: F) -> F:
    return click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary.")(
        func
    )


def layout(ctx: click.Context, archive_path: Path | None) -> Any:
    """The archive named by this command's -a, else the group's -a, else the defaults."""
    from archive.layout import locate

    return locate(archive_path or (ctx.obj or {}).get("archive"))


def actor() -> str | None:
    """Who is running the command, for the history (the login name where there is one)."""
    name = os.environ.get("USER") or os.environ.get("USERNAME")
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return None
