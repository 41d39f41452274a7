"""Everything the CLI writes: results on stdout, messages on stderr, archive text made safe."""

from __future__ import annotations

import json
import re
import sys
import time
from typing import Any, BinaryIO

import click

# Control characters and the marks that reorder text (U+202E shows "gpj.exe" as "exe.jpg").
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe(text: Any, *, newlines: str | None = None) -> str:
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


def out(text: Any = "", *, newlines: str | None = None) -> None:
    """One line of results on stdout, made safe."""
    click.echo(safe(text, newlines=newlines))


def err(text: Any = "", *, nl: bool = True) -> None:
    """One line of messages on stderr, made safe."""
    click.echo(safe(text), err=True, nl=nl)


def styled(text: str) -> None:
    """A line already made safe piece by piece and then styled (bold matches)."""
    click.echo(text)


def bold(text: Any) -> str:
    return click.style(safe(text), bold=True)


def progress(line: str) -> None:
    """Redraw the progress line on a terminal (numbers only; no archive text in it)."""
    click.echo("\r" + line, err=True, nl=False)


class ProgressLine:
    """A line of progress on stderr that redraws itself; ``finish`` ends it with a newline
    (only if it was drawn). ``elapsed`` is the seconds since it was made."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.drawn = False

    @property
    def elapsed(self) -> float:
        return max(time.monotonic() - self.start, 1e-6)

    def draw(self, line: str) -> None:
        progress(line)
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            err("")


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def print_json_line(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))


def binary() -> BinaryIO:
    """Stdout for bytes (an XML document written a part at a time)."""
    sys.stdout.flush()
    return sys.stdout.buffer
