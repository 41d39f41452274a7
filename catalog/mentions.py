"""Finding vocabulary terms named in free text ("knitted socks" names knitting and jurab)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from catalog.models import SUBJECT_FIELDS
from catalog.snippets import WORD
from catalog.vocabulary import Term, Vocabularies

# A text as its words, each the set of its forms.
Words = tuple[frozenset[str], ...]


@dataclass(frozen=True)
class Mention:
    vocabulary: str
    slug: str


class LabelMatcher:
    """Every label and variant of every term, as sequences of normalised words.

    ``forms`` turns one word into the forms both sides are compared in (lemmas and stems,
    folded, so джурабы, jurab and ҷӯроб's labels meet their own inflections); two words
    meet when they share a form. It returns () for a word to skip (a stop word).
    """

    def __init__(self, vocabularies: Vocabularies, forms: Callable[[str], tuple[str, ...]]) -> None:
        self.vocabularies = vocabularies
        self.forms = forms

    @functools.cached_property
    def _by_first(self) -> dict[str, list[tuple[Words, Mention]]]:
        """Labels by their first word's forms. Made on first use, not when the index is
        opened: the forms of the Russian labels load the Russian dictionary, which a search
        for a Latin word never needs."""
        # A label several terms share (process step "making" lists "knitting" and
        # "embroidering" among its variants) names only the terms whose preferred label it
        # is; when it is nobody's, the terms of the first vocabulary (techniques first).
        named: dict[Words, dict[Mention, bool]] = {}
        for name in SUBJECT_FIELDS:
            for term in self.vocabularies[name]:
                preferred = {self.words(text) for text in term.labels.values()}
                for label in term.all_labels():
                    words = self.words(label)
                    if words:
                        mention = Mention(name, term.slug)
                        is_preferred = words in preferred or words == self.words(term.slug)
                        named.setdefault(words, {})[mention] = is_preferred
        by_first: dict[str, list[tuple[Words, Mention]]] = {}
        for words, mentions in named.items():
            best = [m for m, preferred in mentions.items() if preferred]
            if not best:
                first = min(SUBJECT_FIELDS.index(m.vocabulary) for m in mentions)
                best = [m for m in mentions if SUBJECT_FIELDS.index(m.vocabulary) == first]
            for mention in best:
                for form in words[0]:
                    by_first.setdefault(form, []).append((words, mention))
        for entries in by_first.values():
            entries.sort(key=lambda e: -len(e[0]))
        return by_first

    def words(self, text: str) -> Words:
        return tuple(frozenset(f) for f in (self.forms(w) for w in WORD.findall(text)) if f)

    def _labels_at(self, words: Words, i: int) -> Iterator[tuple[Words, Mention]]:
        """The labels (and their terms) that ``words`` spell from position ``i`` on."""
        for form in words[i]:
            for label, mention in self._by_first.get(form, ()):
                if _meet(words[i : i + len(label)], label):
                    yield label, mention

    def find(self, texts: Iterable[str]) -> set[Mention]:
        """The terms whose label appears, word for word, in any of ``texts``."""
        found: set[Mention] = set()
        for text in texts:
            words = self.words(text)
            for i in range(len(words)):
                found.update(mention for _, mention in self._labels_at(words, i))
        return found

    def terms(self, vocabulary: str, text: str) -> list[Term]:
        """Terms of ``vocabulary`` that ``text`` names: the term with that exact label, else
        every term having a label that contains all of the words of ``text``."""
        voc = self.vocabularies[vocabulary]
        exact = voc.get(text.strip().lower()) or voc.find(text)
        if exact is not None:
            return [exact]
        wanted = self.words(text)
        if not wanted:
            return []
        return [
            term
            for term in voc
            if any(_within(wanted, self.words(label)) for label in term.all_labels())
        ]

    def synonyms(self, text: str) -> set[str]:
        """The one-word labels (normalised) of every term that ``text`` names exactly."""
        words = self.words(text)
        found: set[str] = set()
        for label, mention in self._labels_at(words, 0) if words else ():
            if len(label) == len(words):
                term = self.vocabularies[mention.vocabulary].get(mention.slug)
                for other in term.all_labels() if term else ():
                    other_words = self.words(other)
                    if len(other_words) == 1:
                        found.update(other_words[0])
        return found


def _meet(words: Words, label: Words) -> bool:
    """Whether ``words`` spell ``label``: as many words, each sharing a form with its own."""
    return len(words) == len(label) and all(a & b for a, b in zip(words, label, strict=True))


def _within(wanted: Words, label: Words) -> bool:
    """Whether every word of ``wanted`` shares a form with some word of ``label``."""
    return all(any(w & other for other in label) for w in wanted)
