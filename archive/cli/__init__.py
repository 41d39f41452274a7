"""The `archive` command line: a thin shell over the application API in `archive/`.

Each command parses its options, calls one application function and prints the result;
errors become one sentence and an exit code here, in one place. Commands import the
application inside their body, so that `archive --help` loads click and nothing else.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from archive import __version__
from archive.cli import output
from archive.cli.options import archive_option
from archive.errors import ArchiveError, UsageProblem
from catalog.errors import CatalogError, QueryError
from media.errors import MediaError

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130


def fail(message: str, code: int = EXIT_ERROR) -> None:
    output.err(f"Error: {message}")
    sys.exit(code)


class _Group(click.Group):
    """Turns the package's own errors into one sentence and an exit code: 2 for a usage
    mistake, 1 for anything that stopped the command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (UsageProblem, QueryError) as exc:
            fail(f"{exc}", EXIT_USAGE)
        except (ArchiveError, CatalogError, MediaError) as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            output.err("\nInterrupted; run the same command again to finish the work.")
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(EXIT_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@archive_option
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
    _log_to_stderr()


def _log_to_stderr() -> None:
    """Warnings of the application (such as waiting for the lock) go to stderr."""
    root = logging.getLogger("archive")
    if not any(isinstance(h, _StderrHandler) for h in root.handlers):
        root.addHandler(_StderrHandler())
        root.setLevel(logging.WARNING)


class _StderrHandler(logging.Handler):
    """Writes through click, so that pipes and CliRunner see the messages."""

    def emit(self, record: logging.LogRecord) -> None:
        output.err(f"{record.levelname.lower()}: {record.getMessage()}")


def _register() -> None:
    from archive.cli import (
        collections,
        curation,
        describe,
        export,
        heritage,
        ingest,
        items,
        metadata,
        printing,
        serve,
        storage,
        upkeep,
    )

    modules = (
        ingest,
        items,
        export,
        upkeep,
        describe,
        metadata,
        collections,
        curation,
        heritage,
        printing,
        serve,
        storage,
    )
    for module in modules:
        for command in module.COMMANDS:
            main.add_command(command)


_register()
