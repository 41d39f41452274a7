"""The vocabulary terms a query's words name through their labels, found when the query is
compiled (instead of every label being copied into every document that names the term)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from catalog import query as q
from catalog import snippets
from catalog.folding import fold
from catalog.indexschema import LABEL_FIELDS, analyze, analyze_forms, index_forms, phrase_slop
from catalog.models import SUBJECT_FIELDS
from catalog.vocabulary import Vocabularies

# A text as the index would hold it: at each position, the terms a word became there.
Positions = tuple[frozenset[str], ...]


@dataclass(frozen=True)
class _Label:
    mention: str  # "technique:felting"
    words: Positions


class LabelIndex:
    """Every label, variant and word-family member of every term, analysed as the index
    analyses text (``LABEL_FIELDS``: stemmed forms, and folded words), so that a query word
    can be looked up among them. ``named()`` gives the terms a word or phrase names, as the
    ``mentions`` an item has ("technique:felting"; an item's mentions include the places
    its places lie in, so that GBAO finds an item in Khorog)."""

    def __init__(self, vocabularies: Vocabularies) -> None:
        self.vocabularies = vocabularies

    @functools.cached_property
    def _labels(self) -> dict[str, list[_Label]]:
        """The labels of every term, per analysed field. Made on first use: a query on a
        field of its own never needs them."""
        found: dict[str, list[_Label]] = {field: [] for field in LABEL_FIELDS}
        for name in SUBJECT_FIELDS:
            for term in self.vocabularies[name]:
                mention = f"{name}:{term.slug}"
                for label in term.all_labels():
                    for field in LABEL_FIELDS:
                        words = index_forms(field, label)
                        if words:
                            found[field].append(_Label(mention, words))
        return found

    @functools.cached_property
    def _by_word(self) -> dict[str, dict[str, set[str]]]:
        """Per field, each term text of any label → the terms having it."""
        by_word: dict[str, dict[str, set[str]]] = {}
        for field, labels in self._labels.items():
            words = by_word.setdefault(field, {})
            for label in labels:
                for position in label.words:
                    for text in position:
                        words.setdefault(text, set()).add(label.mention)
        return by_word

    def by_word(self, field: str) -> dict[str, set[str]]:
        """Every term text the labels have in ``field``, and the terms having it."""
        return self._by_word[field]

    def named(self, node: q.Word | q.Phrase) -> set[str]:
        """The terms whose labels ``node`` matches the way a plain word or phrase matches an
        analysed field."""
        found: set[str] = set()
        for field in LABEL_FIELDS:
            found |= self._in_field(field, node)
        if isinstance(node, q.Word) and node.fuzzy:
            target = analyze("folded", node.text)
            if len(target) == 1:
                found |= self._near("folded", target[0], node.fuzzy)
        return found

    def _in_field(self, field: str, node: q.Word | q.Phrase) -> set[str]:
        words = analyze_forms(field, node.text)
        if not words:
            return set()
        by_word = self._by_word[field]
        if isinstance(node, q.Phrase) or len(words) > 1:
            slop = phrase_slop(node.text, words)
            first = set().union(*(by_word.get(w, ()) for w in words[0]))
            return {
                label.mention
                for label in self._labels[field]
                if label.mention in first and _spells(label.words, words, slop)
            }
        alternatives = set(words[0])
        if isinstance(node, q.Word) and node.prefix:
            starts = tuple({*alternatives, fold(node.text).strip()})
            return {m for text, ms in by_word.items() if text.startswith(starts) for m in ms}
        return set().union(*(by_word.get(w, ()) for w in alternatives))

    def _near(self, field: str, target: str, edits: int) -> set[str]:
        return {
            m
            for text, ms in self._by_word[field].items()
            if snippets.within(text, target, edits)
            for m in ms
        }


def _spells(label: Positions, words: list[tuple[str, ...]], slop: int) -> bool:
    """Whether the words appear in ``label`` in order, each at most ``slop`` positions after
    the one before (whoosh's phrase rule; stop words leave gaps)."""
    starts = [i for i, here in enumerate(label) if not here.isdisjoint(words[0])]
    for start in starts:
        at = start
        for alternatives in words[1:]:
            nxt = next(
                (
                    j
                    for j in range(at + 1, min(len(label), at + slop + 1))
                    if not label[j].isdisjoint(alternatives)
                ),
                None,
            )
            if nxt is None:
                break
            at = nxt
        else:
            return True
    return False
