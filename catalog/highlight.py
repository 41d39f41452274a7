"""Which words of a description a query matched, so that snippets can mark them."""

from __future__ import annotations

from collections.abc import Callable

from catalog import query as q
from catalog import snippets
from catalog.folding import fold
from catalog.indexschema import forms
from catalog.mentions import LabelMatcher
from catalog.models import SUBJECT_FIELDS


def highlighter(words: list[q.Word | q.Phrase], matcher: LabelMatcher) -> Callable[[str], bool]:
    """Whether a word of a description should be shown as matching the query."""
    norms: set[str] = set()
    fuzzy: list[tuple[str, int]] = []
    prefixes: list[str] = []
    for node in words:
        if node.field not in (None, "description", *SUBJECT_FIELDS):
            continue
        for word in snippets.WORD.findall(node.text):
            if isinstance(node, q.Word) and node.prefix:
                prefixes.append(fold(word))
            elif isinstance(node, q.Word) and node.fuzzy:
                fuzzy.append((fold(word), node.fuzzy))
            norms.update(forms(word))
        norms |= matcher.synonyms(node.text)

    def matches(word: str) -> bool:
        if not norms.isdisjoint(forms(word)):
            return True
        if not prefixes and not fuzzy:
            return False
        folded = fold(word)
        return any(folded.startswith(p) for p in prefixes) or any(
            snippets.within(folded, f, d) for f, d in fuzzy
        )

    return matches
