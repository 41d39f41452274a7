"""The search index's schema: its fields, and the analyzers that turn text into terms."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.lang import stemmer_for_language, stopwords_for_language

from catalog import formtable, snippets, tajik
from catalog.documents import INDEXED_LANGUAGES
from catalog.folding import fold
from catalog.models import SUBJECT_FIELDS
from catalog.morphology import russian_lemmas

# Raise this when the schema or the analyzers change: older indexes then report no
# generation, and callers rebuild them.
SCHEMA_VERSION = 6

# Words joined by apostrophes or dots stay one token ("roshtqal'a", "img_2682.heic").
_WORD = snippets.WORD.pattern
STOP_WORDS = frozenset(stopwords_for_language("en")) | frozenset(stopwords_for_language("ru"))
_STOP_WORDS = STOP_WORDS
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_TAJIK_LETTERS = re.compile("[ғқҳҷӣӯ]")
_ENGLISH = stemmer_for_language("en")  # Snowball (Porter2): knit, knits, knitting → knit
_RUSSIAN = stemmer_for_language("ru")


@functools.lru_cache(maxsize=200_000)
def forms(word: str, language: str = "xx") -> tuple[str, ...]:
    """The folded forms one word is indexed and looked for under; () for a stop word.

    Russian (Cyrillic without Tajik letters, in a Russian field or text whose language
    nobody gave): the lemmas of every parse pymorphy3 knows, then the Snowball stem (which
    meets words the dictionary lacks); for a word it does not know, its Tajik stem as well,
    since Tajik is often typed without its own letters. Tajik (a Tajik field, or Tajik
    letters): its light stem (catalog.tajik). Latin: the English Snowball stem.
    """
    word = word.lower()
    if word in _STOP_WORDS:
        return ()
    if not _CYRILLIC.search(word):
        found = [_ENGLISH(fold(word))]
    elif language == "tg" or _TAJIK_LETTERS.search(word):
        found = [tajik.stem(word)]
    else:
        # Russian needs the dictionary: the forms of words the index has met are in its
        # table (catalog.formtable), so a search loads the dictionary only for new words.
        known = formtable.get(word)
        if known is not None:
            return known
        lemmas = russian_lemmas(word)
        found = [*lemmas, _RUSSIAN(word)] + ([] if lemmas else [tajik.stem(word)])
        result = tuple(dict.fromkeys(f for f in (fold(x) for x in found) if f))
        formtable.learn(word, result)
        return result
    return tuple(dict.fromkeys(f for f in (fold(x) for x in found) if f))


def query_forms(word: str, found: tuple[str, ...]) -> tuple[str, ...]:
    """The forms a query word is looked for under: ``found`` (its forms()), and for a
    Latin word also its Tajik stem, since Tajik is often typed in Latin (jurobho → jurob)."""
    if not found or _CYRILLIC.search(word):
        return found
    return tuple(dict.fromkeys((*found, tajik.stem_latin(fold(word)))))


def norm(word: str) -> str:
    """The first form of ``word`` (see forms), or "" for a stop word."""
    found = forms(word)
    return found[0] if found else ""


class _StatelessFilter(Filter):
    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))


class FormsFilter(Filter):
    """Replace each word by its forms (see forms), all at the word's position."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FormsFilter) and other.language == self.language

    def __hash__(self) -> int:
        return hash((type(self), self.language))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if token.stopped:
                yield token
                continue
            found = forms(token.text, self.language)
            if token.mode == "query":
                found = query_forms(token.text, found)
            for form in found:
                token.text = form
                yield token


# Folding is most of the cost of indexing the folded field, and words repeat.
_fold = functools.lru_cache(maxsize=200_000)(fold)


class FoldFilter(_StatelessFilter):
    """Replace each token by its folded form (see catalog.folding)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = _fold(token.text)
            if token.text:
                yield token


class FileNameTokenizer(Tokenizer):
    """File names, one a line: each whole, without its extension, and split on _ - . space.

    At query time a word is kept whole, so "IMG_2682", "img_2682.heic" and "2682" all
    find IMG_2682.HEIC.
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize or mode == "query":
            words = [value.strip()]
        else:
            words = []
            for name in value.splitlines():
                name = name.strip()
                if not name:
                    continue
                words.append(name)
                stem = name.rsplit(".", 1)[0]
                if stem and stem != name:
                    words.append(stem)
                words.extend(part for part in re.split(r"[_\-.\s]+", name) if part)
        pos = start_pos
        for word in words:
            if not word:
                continue
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(word)
            pos += 1
            yield token


def _stop() -> StopFilter:
    """English and Russian stop words, dropped from every field a plain word searches, so
    "socks from Khorog" needs no "from" anywhere."""
    return StopFilter(stoplist=_STOP_WORDS, minsize=1)


def _words() -> Any:
    return RegexTokenizer(_WORD) | LowercaseFilter() | _stop()


def _language_analyzer(language: str) -> Any:
    """Words and their forms; in Russian text and text whose language nobody gave, Latin
    words are English."""
    return _words() | FormsFilter(language)


def _schema() -> Schema:
    fields: dict[str, Any] = {
        "key": ID(stored=True, unique=True, sortable=True),
        "shown": STORED(),
        "keywords": TEXT(analyzer=_language_analyzer("xx"), field_boost=2.0),
        "event": TEXT(analyzer=_language_analyzer("xx")),
        "collections": TEXT(analyzer=_language_analyzer("xx")),
        "camera": TEXT(analyzer=_words()),
        "file": TEXT(analyzer=FileNameTokenizer() | LowercaseFilter() | _stop()),
        "folded": TEXT(analyzer=_words() | FoldFilter(), field_boost=0.5),
        # The terms an item names; a query word that names a term through one of its labels
        # looks for them here (catalog.labelindex), with the labels' weight.
        "mentions": KEYWORD(scorable=True),
        "kind": KEYWORD(lowercase=True),
        "consent": KEYWORD(lowercase=True),
        "year": ID(),
        "taken": ID(sortable=True),
        "day": NUMERIC(int, bits=32),  # YYYYMMDD: date ranges stay cheap
    }
    for language in INDEXED_LANGUAGES:
        analyzer = _language_analyzer(language)
        fields[f"title_{language}"] = TEXT(analyzer=analyzer, field_boost=3.0)
        fields[f"body_{language}"] = TEXT(analyzer=analyzer)
    for name in SUBJECT_FIELDS:
        fields[name] = KEYWORD(scorable=False)
    return Schema(**fields)


SCHEMA = _schema()

_TITLES = tuple(f"title_{lang}" for lang in INDEXED_LANGUAGES)
_BODIES = tuple(f"body_{lang}" for lang in INDEXED_LANGUAGES)
# Fields a plain word is looked for in (OR across these, AND between words).
DEFAULT_FIELDS = (*_TITLES, *_BODIES, "keywords", "file", "folded")
# Vocabulary labels are not in the documents: they are analysed as these fields analyse text
# ("labels" has no field of its own, only its analyzer) and looked up when a query is compiled.
LABEL_FIELDS = ("labels", "folded")
_ANALYZERS = {"labels": _language_analyzer("xx")}
# How much a term named through its labels counts against the same word in a text field.
LABEL_BOOST = 1.5
# Fields a field:value query looks in, for the fields that are not filters.
TEXT_QUERY_FIELDS = {
    "title": _TITLES,
    "description": _BODIES,
    "camera": ("camera",),
    "keyword": ("keywords",),
    "event": ("event",),
    "collection": ("collections",),
    "file": ("file",),
}


def analyze(field: str, text: str) -> list[str]:
    """The terms ``text`` becomes when a query looks for it in ``field``."""
    return [t.text for t in _analyzer(field)(text, mode="query")]


def index_terms(field: str, text: str) -> set[str]:
    """The terms ``text`` is indexed under in ``field``."""
    return {t.text for t in _analyzer(field)(text)}


def analyze_forms(field: str, text: str) -> list[tuple[str, ...]]:
    """The terms ``text`` becomes in ``field``, one tuple of alternatives a word."""
    words: dict[int, list[str]] = {}
    for token in _analyzer(field)(text, mode="query", positions=True):
        words.setdefault(token.pos, []).append(token.text)
    return [tuple(dict.fromkeys(alternatives)) for alternatives in words.values()]


def index_forms(field: str, text: str) -> tuple[frozenset[str], ...]:
    """The terms ``text`` is indexed under in ``field``, at their positions (a position a
    stop word held is empty)."""
    words: dict[int, set[str]] = {}
    for token in _analyzer(field)(text, positions=True):
        words.setdefault(token.pos, set()).add(token.text)
    if not words:
        return ()
    return tuple(frozenset(words.get(i, ())) for i in range(max(words) + 1))


def _analyzer(field: str) -> Any:
    found = _ANALYZERS.get(field)
    return found if found is not None else SCHEMA[field].analyzer


def phrase_slop(text: str, tokens: list[tuple[str, ...]]) -> int:
    """How far apart (in positions) a phrase's words may be: stop words dropped from the
    phrase leave gaps it must allow."""
    return 1 + max(0, len(snippets.WORD.findall(text)) - len(tokens))
