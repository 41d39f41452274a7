"""Did you mean: a query that found nothing, with each unknown word replaced by a known one."""

from __future__ import annotations

from typing import Any

from catalog import query as q
from catalog import snippets
from catalog.indexschema import analyze
from catalog.labelindex import LabelIndex
from catalog.mentions import LabelMatcher
from catalog.models import SUBJECT_FIELDS
from catalog.vocabulary import Vocabularies


def did_you_mean(
    searcher: Any,
    text: str,
    tree: q.Node,
    vocabularies: Vocabularies,
    matcher: LabelMatcher,
    labels: LabelIndex,
) -> str | None:
    """The query with each word nobody used replaced by the nearest one that is used:
    a vocabulary value by the nearest term, a plain word by the nearest indexed word or
    word of a label of a term some item names."""
    reader = searcher.reader()
    changed = text
    for node in q.positive_words(tree):
        if isinstance(node, q.Word) and node.field in SUBJECT_FIELDS:
            if matcher.terms(node.field, node.text):
                continue
            near = vocabularies[node.field].suggest(node.text, limit=1)
            if near:
                changed = changed.replace(node.text, near[0].slug, 1)
            continue
        if not isinstance(node, q.Word) or node.field is not None or node.prefix:
            continue
        folded = analyze("folded", node.text)
        if len(folded) != 1 or reader.doc_frequency("folded", folded[0]):
            continue
        if labels.named(node):
            continue
        near = _nearest_word(folded[0], reader)
        best = _nearest_label(folded[0], labels, reader)
        if best is not None and (near is None or _edits(best, folded[0]) < _edits(near, folded[0])):
            near = best
        if near is not None:
            changed = changed.replace(node.text, near, 1)
    return changed if changed != text else None


def _nearest_word(word: str, reader: Any) -> str | None:
    """The indexed word nearest ``word`` (at most two edits), the most common of the
    nearest. Looked for segment by segment: a segment's reader walks its words with an
    automaton, the whole index's reader (after an update, several segments) would compute
    the distance to every word."""
    for edits in (1, 2):
        found: set[str] = set()
        for leaf, _ in reader.leaf_readers():
            found.update(leaf.terms_within("folded", word, edits))
        found.discard(word)
        if found:
            return max(sorted(found), key=lambda t: reader.doc_frequency("folded", t))
    return None


def _edits(a: str, b: str) -> int:
    return next(d for d in (1, 2, 3) if snippets.within(a, b, d)) if a != b else 0


def _nearest_label(word: str, labels: LabelIndex, reader: Any) -> str | None:
    """The word of a label nearest ``word`` (at most two edits) whose term some item
    names; the most common of the nearest."""
    found: list[tuple[int, int, str]] = []
    for text, mentions in labels.by_word("folded").items():
        if not snippets.within(text, word, 2):
            continue
        items = sum(reader.doc_frequency("mentions", m) for m in mentions)
        if items:
            found.append((_edits(text, word), -items, text))
    return min(found)[2] if found else None
