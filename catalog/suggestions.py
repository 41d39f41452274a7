"""Did you mean: a query that found nothing, with each unknown word replaced by a known one."""

from __future__ import annotations

from typing import Any

from catalog import query as q
from catalog.indexschema import analyze
from catalog.mentions import LabelMatcher
from catalog.models import SUBJECT_FIELDS
from catalog.vocabulary import Vocabularies


def did_you_mean(
    searcher: Any,
    text: str,
    tree: q.Node,
    vocabularies: Vocabularies,
    matcher: LabelMatcher,
) -> str | None:
    """The query with each word nobody used replaced by the nearest one that is used:
    a vocabulary value by the nearest term, a plain word by the nearest indexed word."""
    corrector = searcher.corrector("folded")
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
        near = corrector.suggest(folded[0], limit=1, maxdist=2, prefix=0)
        if near:
            changed = changed.replace(node.text, near[0], 1)
    return changed if changed != text else None
