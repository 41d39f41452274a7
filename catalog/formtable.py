"""The forms of the words an index has met, kept beside it: a search then loads no dictionary."""

from __future__ import annotations

import os
from pathlib import Path

FILE = "forms.tsv"
# Forms worked out in this process beyond this many are not recorded (memory stays bounded).
_MOST = 500_000

_known: dict[str, tuple[str, ...]] = {}
_unwritten: dict[str, tuple[str, ...]] = {}


def get(key: str) -> tuple[str, ...] | None:
    return _known.get(key)


def learn(key: str, found: tuple[str, ...]) -> None:
    """Remember the forms of one word (``key``: the word, marked with its language)."""
    if len(_known) < _MOST:
        _known[key] = found
        _unwritten[key] = found


def load(folder: Path) -> None:
    """Read the table beside an index (a missing or damaged one is no error: words it
    lacks are worked out again)."""
    try:
        text = (folder / FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    lines = text.split("\n")[:-1]  # a last line without its end was cut short: not used
    for line in lines:
        key, _, rest = line.partition("\t")
        if key and key not in _known and len(_known) < _MOST:
            _known[key] = tuple(rest.split("\t")) if rest else ()


def save(folder: Path, *, whole: bool) -> None:
    """Write what was learned: the whole table (after a rebuild) or the words learned
    since the last save, added to the end. Never raises: the table only saves time."""
    entries = _known if whole else _unwritten
    if not entries and not whole:
        return
    lines = "".join("\t".join((key, *found)) + "\n" for key, found in entries.items())
    path = folder / FILE
    try:
        if whole:
            tmp = path.with_name(f"{FILE}.{os.getpid()}.tmp")
            tmp.write_text(lines, encoding="utf-8")
            os.replace(tmp, path)
        else:
            with path.open("a", encoding="utf-8") as out:
                out.write(lines)
    except OSError:
        return
    _unwritten.clear()
