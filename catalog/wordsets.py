"""The terms each item is found by, and the terms each word is looked for under, for a search
without the index (the exported site's), worked out by the index's own analyzers."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable

from catalog import tajik
from catalog.documents import document
from catalog.folding import fold
from catalog.indexschema import DEFAULT_FIELDS, STOP_WORDS, analyze, forms, index_terms
from catalog.mentions import LabelMatcher
from catalog.models import Item
from catalog.morphology import russian_inflections
from catalog.snippets import WORD
from catalog.vocabulary import Vocabularies

# How the site's script splits a query: folded, then on anything but a-z and 0-9.
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_TAJIK_LETTERS = re.compile("[ғқҳҷӣӯ]")
# Forms a query may use that the archive does not, which the site cannot work out itself:
# an English plural or singular (rug → rugs), every form of a Russian word's lexemes, and a
# Tajik word typed in Latin with common endings after its folded stem (qolin → qolinho).
_TAJIK_LATIN_ENDINGS = ("ho", "hoi", "horo", "ro", "i", "on", "oni")


def browser_words(text: str) -> list[str]:
    """``text`` split into words as the site's search script splits a query."""
    return _NOT_WORD.sub(" ", fold(text)).split()


class WordSets:
    """Terms by item and by query word, the way catalog.search matches a plain word: a
    word finds an item when one of the terms it is looked for under is one of the item's."""

    def __init__(self, vocabularies: Vocabularies) -> None:
        self.vocabularies = vocabularies
        self.matcher = LabelMatcher(vocabularies, forms)
        self.lexicon: dict[str, set[str]] = {}  # a folded word → the terms it is looked for under
        self._seen: set[str] = set()
        self.stop_words = {w for word in STOP_WORDS for w in browser_words(word)}
        self._learn(STOP_WORDS)  # a query drops them, as the CLI does

    def item_terms(self, item: Item) -> tuple[set[str], set[str], list[str]]:
        """The terms ``item`` is found by but for those of the terms it names: in the
        analysed fields, and those only its folded field has (a query word meets them only
        folded, not stemmed); and the named terms ("technique:felting", places with the
        places they lie in), whose own terms term_terms() gives. Each word of its texts
        joins the lexicon."""
        # The site never shows where a file came from or the camera: nor does its search.
        item = dataclasses.replace(item, source_paths=(), camera_make=None, camera_model=None)
        doc = document(item, self.vocabularies, self.matcher)
        terms: set[str] = set()
        for field in DEFAULT_FIELDS:
            text = doc.get(field)
            if text and field != "folded":
                terms |= index_terms(field, text)
            if text:
                self._learn(WORD.findall(text))
        folded = index_terms("folded", doc["folded"]) - terms
        named: dict[str, None] = {}
        for mention in doc["mentions"].split():
            vocabulary, slug = mention.split(":", 1)
            named.setdefault(mention, None)
            if vocabulary == "place":
                for parent in self.vocabularies["place"].ancestors(slug):
                    named.setdefault(f"place:{parent}", None)
        for key in named:
            terms -= self.term_terms(key)
            folded -= self.term_terms(key)
        return terms, folded, list(named)

    @functools.cache  # noqa: B019 (one WordSets an export)
    def term_terms(self, key: str) -> frozenset[str]:
        """The terms a named term ("technique:felting") gives the items it names: its labels
        as the index's labels and folded fields hold them."""
        vocabulary, slug = key.split(":", 1)
        term = self.vocabularies[vocabulary].get(slug)
        text = "\n".join(term.all_labels()) if term is not None else ""
        if not text:
            return frozenset()
        self._learn(WORD.findall(text))  # a query may use a word only a label has
        return frozenset(index_terms("labels", text) | index_terms("folded", text))

    def _learn(self, raw_words: Iterable[str]) -> None:
        for raw in raw_words:
            raw = raw.lower()
            if raw in self._seen:
                continue
            self._seen.add(raw)
            for word in (raw, *_other_forms(raw)):
                keys = browser_words(word)
                if len(keys) == 1:
                    self.lexicon.setdefault(keys[0], set()).update(self.query_terms(word))

    @staticmethod
    def query_terms(word: str) -> set[str]:
        """The terms one query word is looked for under in the analysed fields a plain word
        searches (in the folded field it is looked for as the site folds it)."""
        found: set[str] = set()
        for field in DEFAULT_FIELDS:
            if field != "folded":
                found.update(analyze(field, word))
        return found


def _other_forms(word: str) -> tuple[str, ...]:
    """Forms of ``word`` a query may use though the archive does not: every form of a
    Russian word's lexemes, a Tajik stem with common endings in Latin, English endings."""
    if not _CYRILLIC.search(word):
        if not word.isascii() or not word.isalpha():
            return ()
        return (word[:-1],) if word.endswith("s") else (word + "s",)
    russian = () if _TAJIK_LETTERS.search(word) else russian_inflections(word)
    if russian:
        return russian
    stem = fold(tajik.stem(word))
    # гулдӯзӣ → gulduz: its forms keep the -i (gulduziho)
    stems = (stem, stem + "i") if fold(word).startswith(stem + "i") else (stem,)
    return tuple(s + ending for s in stems for ending in _TAJIK_LATIN_ENDINGS)
