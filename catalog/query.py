"""The search query language, read into a small tree that the index turns into its own query."""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.errors import QueryError

# What people type before a colon, and the field it means. Plurals and the long names
# are accepted too; error messages list only the first column.
FIELDS: dict[str, str] = {
    "technique": "technique",
    "material": "material",
    "object": "object_type",
    "step": "process_step",
    "place": "place",
    "kind": "kind",
    "camera": "camera",
    "consent": "consent",
    "collection": "collection",
    "keyword": "keyword",
    "event": "event",
    "title": "title",
    "description": "description",
    "file": "file",
    "year": "year",
    "date": "taken",
    "taken": "taken",
}
_ALIASES: dict[str, str] = {
    "object_type": "object_type",
    "process_step": "process_step",
    "collections": "collection",
    "keywords": "keyword",
    "techniques": "technique",
    "materials": "material",
}
KNOWN_FIELDS = ", ".join(sorted(FIELDS))

_OPEN_LOW, _OPEN_HIGH = "0000", "9999"
_AFTER = "\uffff"  # sorts after every character of a date: "2015" + _AFTER ends year 2015


@dataclass(frozen=True)
class Word:
    """One word; ``fuzzy`` is how many edits a typo may be away, ``prefix`` a trailing *."""

    text: str
    field: str | None = None
    fuzzy: int = 0
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words that must stand together, in this order."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class DateRange:
    """Items taken at ``low`` (inclusive) up to ``high`` (exclusive), as ISO date strings.

    ``text`` is what was typed, for messages. Undated items never fall in a range.
    """

    low: str
    high: str
    text: str = ""


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Everything:
    """Every item (the empty query, ``*``, or the left side of a lone negation)."""


Node = Word | Phrase | DateRange | Not | And | Or | Everything


# -- reading ---------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<open>\()
  | (?P<close>\))
  | (?P<phrase>"[^"]*"?)(?:~\d*)?
  | (?P<field>[^\W\d]\w*):(?=[^\s)])
  | (?P<sign>[-+])(?=[^\s)])
  | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)
_DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
_YEAR = re.compile(r"\d{4}$")
_COMPARE = re.compile(r"(>=|<=|>|<)(.+)$")
_FUZZY = re.compile(r"^(?P<text>.+?)~(?P<edits>\d?)$")


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        if kind == "space":
            continue
        value = match.group(kind)
        if kind == "phrase":
            value = value.strip('"')
        found.append((kind, value))
    return found


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def operator(self, name: str) -> bool:
        token = self.peek()
        if token == ("word", name):
            self.at += 1
            return True
        return False

    def any_of(self, field: str | None, *, depth: int = 0) -> Node | None:
        parts = [self.all_of(field, depth=depth)]
        while self.operator("OR"):
            parts.append(self.all_of(field, depth=depth))
        kept = tuple(p for p in parts if p is not None)
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(kept)

    def all_of(self, field: str | None, *, depth: int) -> Node | None:
        parts: list[Node] = []
        while (token := self.peek()) is not None:
            if token == ("word", "OR"):
                break
            if token[0] == "close":
                if depth:
                    break
                self.take()  # a stray ")" at the top level is dropped
                continue
            if self.operator("AND"):
                continue
            node = self.unary(field, depth=depth)
            if node is not None:
                parts.append(node)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self, field: str | None, *, depth: int) -> Node | None:
        if self.operator("NOT"):
            child = self.unary(field, depth=depth)
            return Not(child) if child is not None else None
        token = self.peek()
        if token is not None and token[0] == "sign":
            self.take()
            child = self.unary(field, depth=depth)
            if child is None or token[1] == "+":
                return child
            return Not(child)
        return self.atom(field, depth=depth)

    def atom(self, field: str | None, *, depth: int) -> Node | None:
        kind, value = self.take()
        if kind == "open":
            node = self.any_of(field, depth=depth + 1)
            if self.peek() is not None and self.peek()[0] == "close":  # type: ignore[index]
                self.take()
            return node
        if kind == "close":
            return None
        if kind == "field":
            name = _field(value)
            if self.peek() is None:
                return None
            if name in ("year", "taken"):
                _, raw = self.take()
                return _date_range(name, value, raw)
            return self.atom(name, depth=depth)
        if kind == "phrase":
            words = value.split()
            if not words:
                return None
            return Phrase(" ".join(words), field) if len(words) > 1 else Word(words[0], field)
        return _word(value, field)


def _field(typed: str) -> str:
    name = typed.lower()
    if name in FIELDS:
        return FIELDS[name]
    if name in _ALIASES:
        return _ALIASES[name]
    raise QueryError(
        f"unknown search field {typed!r}; known fields are: {KNOWN_FIELDS}"
        " (put text containing a colon in double quotes)"
    )


def _word(text: str, field: str | None) -> Node | None:
    if text == "*":
        return Everything()
    fuzzy = 0
    match = _FUZZY.match(text)
    if match:
        text, fuzzy = match.group("text"), int(match.group("edits") or 1)
    prefix = len(text) > 1 and text.endswith("*") and not fuzzy
    text = text.rstrip("*") if prefix else text
    if not text:
        return None
    return Word(text, field, fuzzy=min(fuzzy, 2), prefix=prefix)


def _date_range(field: str, typed: str, value: str) -> DateRange:
    """year:2015, year:2010..2015, date:2015-08..2015-11, taken:>2016, taken:<=2015-06."""
    shape = _YEAR if field == "year" else _DATE
    example = (
        "year:2015, year:2010..2015 or year:>2016"
        if field == "year"
        else f"{typed}:2015-08, {typed}:2015-08..2015-11 or {typed}:>2016"
    )

    def check(part: str) -> str:
        if not shape.match(part):
            raise QueryError(f"cannot read {typed}:{value}; write it like {example}")
        return part

    compare = _COMPARE.match(value)
    if compare:
        op, point = compare.group(1), check(compare.group(2))
        low, high = {
            ">": (point + _AFTER, _OPEN_HIGH),
            ">=": (point, _OPEN_HIGH),
            "<": (_OPEN_LOW, point),
            "<=": (_OPEN_LOW, point + _AFTER),
        }[op]
    elif ".." in value:
        start, _, end = value.partition("..")
        if not start and not end:
            raise QueryError(f"a range needs a start or an end; write it like {example}")
        low = check(start) if start else _OPEN_LOW
        high = check(end) + _AFTER if end else _OPEN_HIGH
    else:
        low, high = check(value), check(value) + _AFTER
    return DateRange(low, high, f"{typed}:{value}")


def parse(text: str) -> Node:
    """The tree for ``text``: free words, "phrases", field:value, -word, NOT, OR,
    (groups), word~ (typos), word* (beginnings), and date ranges."""
    node = _Reader(text.strip()).any_of(None)
    return node if node is not None else Everything()


def positive_words(node: Node) -> list[Word | Phrase]:
    """The words and phrases a match should show (everything not under a negation)."""
    if isinstance(node, Word | Phrase):
        return [node]
    if isinstance(node, And | Or):
        return [w for child in node.children for w in positive_words(child)]
    return []
