"""A light stemmer for Tajik: the endings a noun or adjective takes come off, rule by rule."""

from __future__ import annotations

import functools

# The rules, applied in this order from the end of the word (docs/search.md, "Tajik
# stems", gives each with examples). A rule takes off at most one of its endings, the
# longest that fits, and only when at least MIN_STEM letters stay.
MIN_STEM = 3
# 1. What follows everything else: the object marker, the izofat, the indefinite article.
_PARTICLES = ("ро", "йи", "и", "е")
# 2. Possessive endings, after a vowel with й or я: -ам -ат -аш -амон -атон -ашон.
_POSSESSIVES = (
    "ямон", "ятон", "яшон", "амон", "атон", "ашон", "ям", "ят", "яш", "ам", "ат", "аш",
)  # fmt: skip
# 3. The plural: -ҳо for any noun, -он (-ён after a vowel) for people and living things,
#    -гон after a final -а (бофанда → бофандагон).
_PLURALS = ("агон", "ҳо", "ён", "он")
# 4. The comparative and superlative of adjectives, leaving four letters at least
#    (калонтар → калон, but духтар "girl" stays whole).
_COMPARATIVES = ("тарин", "тар")
# 5. The relative adjective and abstract noun ending -ӣ (абрешимӣ, гулдӯзӣ); before a
#    suffix it is written -и (гулдӯзиҳо), so a final -и left by the rules above is one too.
_FINAL_I = ("ӣ", "и")
_RULES = (
    (_PARTICLES, MIN_STEM),
    (_POSSESSIVES, MIN_STEM),
    (_PLURALS, MIN_STEM),
    (_COMPARATIVES, 4),
)
# The same endings as catalog.folding writes them (ҳ → h, ӣ → i, ё → e, й → y, я → ya).
_LATIN_RULES = (
    (("ro", "yi", "i", "e"), MIN_STEM),
    (
        (
            "yamon",
            "yaton",
            "yashon",
            "amon",
            "aton",
            "ashon",
            "yam",
            "yat",
            "yash",
            "am",
            "at",
            "ash",
        ),
        MIN_STEM,
    ),
    (("agon", "ho", "en", "on"), MIN_STEM),
    (("tarin", "tar"), 4),
)


def _strip(word: str, endings: tuple[str, ...], least: int = MIN_STEM) -> tuple[str, bool]:
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= least:
            cut = word[: -len(ending)]
            return (cut + ending[0] if ending in ("агон", "agon") else cut), True
    return word, False


@functools.lru_cache(maxsize=100_000)
def stem_latin(word: str) -> str:
    """The stem of one Tajik word typed in Latin letters as catalog.folding writes them
    (jurobho → jurob, qolinhoyamonro → qolin): the same rules with folded endings."""
    word = word.lower()
    stripped = False
    for endings, least in _LATIN_RULES:
        word, did = _strip(word, endings, least)
        stripped = stripped or did
    if stripped and word.endswith("i"):
        word, _ = _strip(word, ("i",))
    return word


@functools.lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The stem of one lower-case Tajik word: ҷӯробҳоямонро → ҷӯроб, гулдӯзиҳо → гулдӯз,
    абрешимӣ → абрешим; a word of MIN_STEM letters or fewer comes back as it is."""
    word = word.lower()
    stripped = False
    for endings, least in _RULES:
        word, did = _strip(word, endings, least)
        stripped = stripped or did
    if word.endswith("ӣ") or (stripped and word.endswith("и")):
        word, _ = _strip(word, _FINAL_I)
    return word
