"""Russian lemmas from pymorphy3's dictionary: ковры → ковёр, вяжут → вязать."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _analyzer() -> Any:
    # Importing pymorphy3 and loading its dictionary take most of a second: only when a
    # Russian word first comes that the index's table of forms lacks.
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.lru_cache(maxsize=200_000)
def russian_lemmas(word: str) -> tuple[str, ...]:
    """The normal forms of every parse of the lower-case Russian ``word``, in the
    dictionary's order ("носки" → носка, носок, ноский: the first parse alone would miss
    "носок"); () for a word the dictionary does not know, whose guesses are not kept."""
    parses = _analyzer().parse(word)
    if not any(p.is_known for p in parses):
        return ()
    return tuple(dict.fromkeys(p.normal_form for p in parses if p.is_known))


# Parts of speech whose other forms a query may use (participles, numbers and the like are
# left out: a search for them is rare and their paradigms are long).
_INFLECTED = frozenset({"NOUN", "ADJF", "ADJS", "VERB", "INFN"})


@functools.lru_cache(maxsize=50_000)
def russian_inflections(word: str) -> tuple[str, ...]:
    """Every form of every known noun, adjective and verb ``word`` may be a form of
    ("ковёр" → ковёр, ковра, ковру, …, коврах), for a search that cannot lemmatise (the
    site's); () for a word the dictionary does not know."""
    found: dict[str, None] = {}
    for parse in _analyzer().parse(word):
        if parse.is_known and parse.tag.POS in _INFLECTED:
            for form in parse.lexeme:
                if form.tag.POS in _INFLECTED:
                    found.setdefault(form.word, None)
    return tuple(found)
