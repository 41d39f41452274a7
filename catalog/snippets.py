"""Snippets: the part of a text around the words a search matched, with where they are."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WORD = re.compile(r"\w+(?:['\u2019\u02bc\u02bb.]\w+)*")
ELLIPSIS = "…"


@dataclass(frozen=True)
class Snippet:
    """A stretch of text and the (start, end) character spans of matched words in it."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()

    def marked(self, before: str = "[", after: str = "]") -> str:
        """The text with each matched word wrapped, e.g. "a [felt] rug"."""
        out, at = [], 0
        for start, end in self.spans:
            out += [self.text[at:start], before, self.text[start:end], after]
            at = end
        out.append(self.text[at:])
        return "".join(out)


def within(a: str, b: str, edits: int) -> bool:
    """True when ``a`` is at most ``edits`` insertions, deletions or substitutions from ``b``."""
    if abs(len(a) - len(b)) > edits:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > edits:
            return False
        previous = current
    return previous[-1] <= edits


def best(texts: Sequence[str], matches: Callable[[str], bool], width: int = 160) -> Snippet | None:
    """The snippet of the text with the most matched words, centred on the densest run of
    matches; with no match anywhere, the opening of the first text. None without text."""
    texts = [" ".join(t.split()) for t in texts if t and t.strip()]
    if not texts:
        return None
    scored = []
    for order, text in enumerate(texts):
        found = [(m.start(), m.end()) for m in WORD.finditer(text) if matches(m.group())]
        scored.append((-len(found), order, text, found))
    _, _, text, found = min(scored)
    if not found:
        return Snippet(_cut(text, 0, width)[0])
    # The window that holds the most matches, starting a little before the first of them.
    start = max(
        (s for s, _ in found),
        key=lambda s: sum(1 for a, b in found if s <= a and b <= s + width),
    )
    start = max(0, start - width // 5)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else 0
    piece, offset = _cut(text, start, width)
    spans = tuple(
        (a - start + offset, b - start + offset)
        for a, b in found
        if a >= start and b - start + offset <= len(piece)
    )
    return Snippet(piece, spans)


def _cut(text: str, start: int, width: int) -> tuple[str, int]:
    """``text`` from ``start``, about ``width`` characters ending at a word end; the
    second value is how many characters the leading ellipsis added."""
    piece = text[start:]
    if len(piece) > width:
        cut = piece.rfind(" ", 0, width)
        piece = piece[: cut if cut > 0 else width].rstrip() + " " + ELLIPSIS
    if start:
        return ELLIPSIS + " " + piece, len(ELLIPSIS) + 1
    return piece, 0
