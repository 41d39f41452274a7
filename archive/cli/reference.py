"""docs/cli.md: the command reference, written from the commands' own --help.

    python -m archive.cli.reference            # rewrite docs/cli.md
    python -m archive.cli.reference --check    # exit 1 when docs/cli.md is out of date

A test runs the check, so the reference cannot drift from the commands.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

from archive.cli import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"

HEADER = """\
# Command reference

Written from the commands' own help by `python -m archive.cli.reference`; do not edit by
hand (a test fails when this page and the commands disagree). See [usage.md](usage.md) for
a guided tour.

"""


def walk(
    command: click.Command, path: tuple[str, ...] = ("archive",)
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command and group under ``command``, depth first, in name order."""
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from walk(command.commands[name], (*path, name))


def help_text(path: tuple[str, ...], command: click.Command) -> str:
    """What `PATH --help` prints, at a fixed width so the page does not depend on the
    terminal it was written in."""
    ctx = click.Context(
        command,
        info_name=" ".join(path),
        terminal_width=100,
        max_content_width=100,
        help_option_names=main.context_settings.get("help_option_names", ["--help"]),
    )
    return command.get_help(ctx)


def render() -> str:
    parts = [HEADER]
    for path, command in walk(main):
        name = " ".join(path)
        anchor = "#" * min(len(path) + 1, 4)
        parts.append(f"{anchor} `{name}`\n\n```text\n{help_text(path, command)}\n```\n\n")
    return "".join(parts).rstrip("\n") + "\n"


def run(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            sys.stderr.write(f"{DOC} is out of date: run python -m archive.cli.reference\n")
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    sys.stderr.write(f"wrote {DOC}\n")
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
