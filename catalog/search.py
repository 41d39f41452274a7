"""The whoosh full-text index of items: building it, keeping it current, and searching it."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from whoosh import index, query, writing
from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.lang import stemmer_for_language, stopwords_for_language

from catalog import query as q
from catalog import snippets
from catalog.documents import TEXT_LANGUAGES, document, slugify
from catalog.errors import CatalogError
from catalog.folding import fold
from catalog.mentions import LabelMatcher
from catalog.models import Item
from catalog.query import QueryError
from catalog.vocabulary import Vocabularies
from catalog.vocabulary import load as load_vocabularies

__all__ = [
    "FACETS",
    "FacetCount",
    "Hit",
    "IndexBusy",
    "IndexMissing",
    "QueryError",
    "SearchError",
    "SearchIndex",
    "SearchResult",
]

# Raise this when the schema or the analyzers change: older indexes then report no
# generation, and callers rebuild them.
SCHEMA_VERSION = 3

_GENERATION_FILE = "catalog-generation.json"
_SNIPPET_CHARS = 160

# Facets a search can count, in the order they are shown.
FACETS = ("technique", "material", "object_type", "place", "kind", "year")
SORTS = ("relevance", "date")


class SearchError(CatalogError):
    """The search index could not be used; the message says why."""


class IndexMissing(SearchError):
    """The index folder holds no readable index; rebuild it."""


class IndexBusy(SearchError):
    """Another process kept the index locked for longer than the timeout."""


@dataclass(frozen=True)
class Hit:
    """One item found by a search, with the stretch of its description that matched."""

    key: str
    score: float
    title: str | None
    snippet: str | None
    highlights: tuple[tuple[int, int], ...] = ()  # (start, end) of matched words in snippet
    kind: str | None = None
    taken: str | None = None
    place: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["highlights"] = [list(span) for span in self.highlights]
        return data


@dataclass(frozen=True)
class FacetCount:
    """How many of the matching items carry one value of a facet."""

    value: str
    label: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SearchResult:
    """One page of hits, how many items matched in all, and optionally facet counts."""

    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetCount, ...]] | None = None
    did_you_mean: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "total": self.total,
            "hits": [hit.to_dict() for hit in self.hits],
            "did_you_mean": self.did_you_mean,
        }
        if self.facets is not None:
            data["facets"] = {
                name: [c.to_dict() for c in counts] for name, counts in self.facets.items()
            }
        return data


# -- analysis ------------------------------------------------------------------

# Words joined by apostrophes or dots stay one token ("roshtqal'a", "img_2682.heic").
_WORD = snippets.WORD.pattern
_STOP_WORDS = frozenset(stopwords_for_language("en")) | frozenset(stopwords_for_language("ru"))
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_ENGLISH = stemmer_for_language("en")  # Snowball (Porter2): knit, knits, knitting → knit
_RUSSIAN = stemmer_for_language("ru")


@functools.lru_cache(maxsize=200_000)
def norm(word: str) -> str:
    """One word in the form labels and captions are compared in: stemmed (Russian for
    Cyrillic, then English), folded to Latin; "" for a stop word."""
    word = word.lower()
    if word in _STOP_WORDS:
        return ""
    if _CYRILLIC.search(word):
        word = _RUSSIAN(word)
    return _ENGLISH(fold(word))


class _StatelessFilter(Filter):
    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))


class BilingualStemFilter(_StatelessFilter):
    """Stem Cyrillic words with the Russian stemmer and all others with the English one
    (for text whose language nobody gave)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if not token.stopped:
                text = token.text
                token.text = _RUSSIAN(text) if _CYRILLIC.search(text) else _ENGLISH(text)
            yield token


class FoldFilter(_StatelessFilter):
    """Replace each token by its folded form (see catalog.folding)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold(token.text)
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
    if language == "en":
        return _words() | StemFilter(lang="en")
    if language == "tg":
        return _words()  # no Tajik stemmer exists; the folded field meets the variants
    # Russian, and text whose language nobody gave: Latin words in it are English.
    return _words() | BilingualStemFilter()


def _schema() -> Schema:
    fields: dict[str, Any] = {
        "key": ID(stored=True, unique=True, sortable=True),
        "shown": STORED(),
        "labels": TEXT(analyzer=_language_analyzer("xx"), field_boost=1.5),
        "keywords": TEXT(analyzer=_language_analyzer("xx"), field_boost=2.0),
        "event": TEXT(analyzer=_language_analyzer("xx")),
        "collections": TEXT(analyzer=_language_analyzer("xx")),
        "camera": TEXT(analyzer=_words()),
        "file": TEXT(analyzer=FileNameTokenizer() | LowercaseFilter() | _stop()),
        "folded": TEXT(analyzer=_words() | FoldFilter(), field_boost=0.5),
        "mentions": KEYWORD(scorable=False),
        "kind": KEYWORD(lowercase=True),
        "consent": KEYWORD(lowercase=True),
        "year": ID(),
        "taken": ID(sortable=True),
        "day": NUMERIC(int, bits=32),  # YYYYMMDD: date ranges stay cheap
    }
    for language in TEXT_LANGUAGES:
        analyzer = _language_analyzer(language)
        fields[f"title_{language}"] = TEXT(analyzer=analyzer, field_boost=3.0)
        fields[f"body_{language}"] = TEXT(analyzer=analyzer)
    for name in q.VOCABULARY_FIELDS:
        fields[name] = KEYWORD(scorable=False)
    return Schema(**fields)


SCHEMA = _schema()

_TITLES = tuple(f"title_{lang}" for lang in TEXT_LANGUAGES)
_BODIES = tuple(f"body_{lang}" for lang in TEXT_LANGUAGES)
# Fields a plain word is looked for in (OR across these, AND between words).
_DEFAULT_FIELDS = (*_TITLES, *_BODIES, "labels", "keywords", "file", "folded")
# Fields a field:value query looks in, for the fields that are not filters.
_TEXT_QUERY_FIELDS = {
    "title": _TITLES,
    "description": _BODIES,
    "camera": ("camera",),
    "keyword": ("keywords",),
    "event": ("event",),
    "collection": ("collections",),
    "file": ("file",),
}


def _fingerprint(vocabularies: Vocabularies) -> str:
    data = [[t.to_dict() for t in vocabulary] for vocabulary in vocabularies]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


# -- queries -------------------------------------------------------------------


class _Compiler:
    """Turns a catalog.query tree into a whoosh query."""

    def __init__(self, vocabularies: Vocabularies, matcher: LabelMatcher) -> None:
        self.vocabularies = vocabularies
        self.matcher = matcher

    def __call__(self, node: q.Node) -> query.Query | None:
        if isinstance(node, q.Everything):
            return query.Every()
        if isinstance(node, q.DateRange):
            return query.NumericRange("day", _day(node.low), _day(node.high) - 1)
        if isinstance(node, q.Not):
            child = self(node.child)
            return query.Not(child) if child is not None else None
        if isinstance(node, q.And | q.Or):
            children = [c for c in (self(child) for child in node.children) if c is not None]
            if not children:
                return None
            if isinstance(node, q.Or):
                return children[0] if len(children) == 1 else query.Or(children)
            if all(isinstance(c, query.Not) for c in children):
                children.insert(0, query.Every())
            return children[0] if len(children) == 1 else query.And(children)
        return self.words(node)

    def words(self, node: q.Word | q.Phrase) -> query.Query | None:
        field = node.field
        if field is None:
            return self.text(node, _DEFAULT_FIELDS)
        if field in q.VOCABULARY_FIELDS:
            return self.vocabulary(field, node)
        if field in ("kind", "consent"):
            return query.Term(field, node.text.lower())
        return self.text(node, _TEXT_QUERY_FIELDS[field])

    def text(self, node: q.Word | q.Phrase, fields: tuple[str, ...]) -> query.Query | None:
        parts: list[query.Query] = []
        for field in fields:
            tokens = _analyze(field, node.text)
            if not tokens:
                continue
            if isinstance(node, q.Phrase) or len(tokens) > 1:
                parts.append(query.Phrase(field, tokens, slop=_slop(node.text, tokens)))
            elif isinstance(node, q.Word) and node.prefix:
                parts.append(query.Prefix(field, tokens[0]))
            else:
                parts.append(query.Term(field, tokens[0]))
        if isinstance(node, q.Word) and node.fuzzy:
            target = "folded" if "folded" in fields else fields[0]
            folded = _analyze(target, node.text)
            if len(folded) == 1:
                parts.append(query.FuzzyTerm(target, folded[0], maxdist=node.fuzzy, prefixlength=0))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else query.Or(parts)

    def slugs(self, vocabulary: str, node: q.Word | q.Phrase) -> set[str]:
        """The slugs a field:value names; for places also every place under them."""
        if isinstance(node, q.Word) and node.fuzzy:
            terms = self.vocabularies[vocabulary].suggest(node.text)
        else:
            terms = self.matcher.terms(vocabulary, node.text)
        slugs = {t.slug for t in terms} or {slugify(node.text)}
        if vocabulary == "place":
            places = self.vocabularies["place"]
            slugs = {s for slug in slugs for s in places.descendants(slug)} | slugs
        return slugs

    def vocabulary(self, vocabulary: str, node: q.Word | q.Phrase) -> query.Query:
        parts: list[query.Query] = []
        for slug in sorted(self.slugs(vocabulary, node)):
            parts.append(query.Term(vocabulary, slug))
            parts.append(query.Term("mentions", f"{vocabulary}:{slug}"))
        return query.Or(parts)


def _day(bound: str) -> int:
    """A catalog.query date bound as YYYYMMDD: "2015-08" is 20150800, and "2015-08" followed
    by the "after" mark is 20150900 (the first day after August 2015, as far as order goes)."""
    after = bound.endswith("\uffff")
    digits = bound.rstrip("\uffff").replace("-", "")
    return int(digits.ljust(8, "9")) + 1 if after else int(digits.ljust(8, "0"))


def _analyze(field: str, text: str) -> list[str]:
    return [t.text for t in SCHEMA[field].analyzer(text, mode="query")]


def _slop(text: str, tokens: list[str]) -> int:
    """Stop words dropped from a phrase leave gaps the phrase must allow."""
    return 1 + max(0, len(snippets.WORD.findall(text)) - len(tokens))


def _highlighter(words: list[q.Word | q.Phrase], matcher: LabelMatcher) -> Callable[[str], bool]:
    """Whether a word of a description should be shown as matching the query."""
    norms: set[str] = set()
    fuzzy: list[tuple[str, int]] = []
    prefixes: list[str] = []
    for node in words:
        if node.field not in (None, "description", *q.VOCABULARY_FIELDS):
            continue
        for word in snippets.WORD.findall(node.text):
            if isinstance(node, q.Word) and node.prefix:
                prefixes.append(fold(word))
            elif isinstance(node, q.Word) and node.fuzzy:
                fuzzy.append((fold(word), node.fuzzy))
            norms.add(norm(word))
        norms |= matcher.synonyms(node.text)
    norms.discard("")

    def matches(word: str) -> bool:
        if norm(word) in norms:
            return True
        if not prefixes and not fuzzy:
            return False
        folded = fold(word)
        return any(folded.startswith(p) for p in prefixes) or any(
            snippets.within(folded, f, d) for f, d in fuzzy
        )

    return matches


# -- the index -----------------------------------------------------------------


class SearchIndex:
    """The whoosh index in one folder.

    ``vocabularies`` give the labels indexed with each term (default: the package's own).
    A missing or unreadable index never raises from ``generation()`` (it returns None),
    ``doc_count()`` (0) or ``keys()`` (empty); ``search()`` raises IndexMissing and the
    caller rebuilds. Writers wait up to ``timeout`` seconds for another process's lock,
    then raise IndexBusy.
    """

    def __init__(
        self,
        folder: Path,
        *,
        vocabularies: Vocabularies | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.folder = Path(folder)
        self.timeout = timeout
        self.vocabularies = vocabularies if vocabularies is not None else load_vocabularies()
        self.matcher = LabelMatcher(self.vocabularies, norm)
        self._compile = _Compiler(self.vocabularies, self.matcher)
        self._fingerprint = _fingerprint(self.vocabularies)
        self._searcher: Any = None
        self._postings: dict[tuple[str, str], set[int]] = {}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not self._exists():
                self._storage().create_index(SCHEMA)
        except OSError as exc:
            raise SearchError(f"cannot create the search index in {self.folder}: {exc}") from exc

    # -- state -------------------------------------------------------------------
    def _exists(self) -> bool:
        """True when the folder holds an index, readable or not."""
        return any(self.folder.glob("_MAIN_*.toc"))

    def _storage(self, *, mmap: bool = False) -> FileStorage:
        return FileStorage(str(self.folder), supports_mmap=mmap)

    def _open(self, *, mmap: bool = False) -> index.Index:
        """The index, readable. Only the searcher maps the segment files (``mmap=True``):
        an update looks up each key in every segment and merges small ones, and with
        the files mapped the whole index would become resident, so an ingest's memory
        would grow with the size of the index instead of staying with the batch."""
        # whoosh leaves a corrupt TOC file open when it fails to read it; the handle is
        # closed when the failure is dropped below, and its ResourceWarning is no news.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                ix = self._storage(mmap=mmap).open_index(schema=SCHEMA)
                with ix.reader() as reader:
                    reader.doc_count()
            except Exception as exc:  # a corrupt index raises anything
                reason = f"{type(exc).__name__}: {exc}"
            else:
                return ix
        raise IndexMissing(
            f"the search index in {self.folder} is missing or unreadable ({reason}); rebuild it"
        )

    def _read_state(self) -> dict[str, Any]:
        try:
            state = json.loads((self.folder / _GENERATION_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def _write_state(self, generation: int | None) -> None:
        path = self.folder / _GENERATION_FILE
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        state = {
            "generation": generation,
            "schema": SCHEMA_VERSION,
            "vocabularies": self._fingerprint,
        }
        tmp.write_text(json.dumps(state), encoding="utf-8")
        os.replace(tmp, path)

    def generation(self) -> int | None:
        """The catalogue generation the index was last brought up to, or None (also when
        it was built with other vocabularies or an older schema)."""
        state = self._read_state()
        value = state.get("generation")
        if (
            state.get("schema") != SCHEMA_VERSION
            or state.get("vocabularies") != self._fingerprint
            or not isinstance(value, int)
        ):
            return None
        try:
            self._open()
        except IndexMissing:
            return None
        return value

    def doc_count(self) -> int:
        try:
            ix = self._open()
        except IndexMissing:
            return 0
        return ix.doc_count()

    def keys(self) -> set[str]:
        try:
            ix = self._open()
        except IndexMissing:
            return set()
        with ix.reader() as reader:
            return {fields["key"] for fields in reader.all_stored_fields()}

    # -- writing -----------------------------------------------------------------
    def _writer(self, ix: index.Index, *, limitmb: int = 4) -> writing.IndexWriter:
        """A writer whose posting pool spills to disk beyond ``limitmb``: small updates
        never reach it, but the segment merges they trigger would otherwise hold postings
        in memory in proportion to the size of the index."""
        try:
            return ix.writer(timeout=self.timeout, limitmb=limitmb)
        except index.LockError as exc:
            raise IndexBusy(
                f"the search index in {self.folder} is locked by another process;"
                " try again when it has finished"
            ) from exc

    def _document(self, item: Item) -> dict[str, Any]:
        return document(item, self.vocabularies, self.matcher)

    def rebuild(self, items: Iterable[Item], generation: int) -> int:
        """Replace the whole index by these items; returns how many were indexed."""
        self.close()
        latest = {item.key: item for item in items}  # a repeated key: the last one wins
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SearchError(f"cannot create the search index in {self.folder}: {exc}") from exc
        state_ok = self._read_state().get("schema") == SCHEMA_VERSION
        self._write_state(None)  # an interrupted rebuild leaves no generation behind
        try:
            ix = self._open() if state_ok else None
        except IndexMissing:
            ix = None
        if ix is None or set(ix.schema.names()) != set(SCHEMA.names()):
            ix = self._storage().create_index(SCHEMA)
        writer = self._writer(ix, limitmb=128)
        try:
            for item in latest.values():
                writer.add_document(**self._document(item))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=writing.CLEAR)
        self._write_state(generation)
        return len(latest)

    def update(self, items: Iterable[Item], generation: int) -> None:
        """Add or replace these items' documents.

        The generation is recorded only when the index already had one: an index that
        needs a rebuild keeps reporting None until it gets one.
        """
        known = self.generation()
        ix = self._open()
        writer = self._writer(ix)
        try:
            for item in items:
                writer.update_document(**self._document(item))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        if known is not None:
            self._write_state(generation)

    def remove(self, keys: Iterable[str], generation: int) -> None:
        """Drop these items' documents (unknown keys are ignored)."""
        known = self.generation()
        ix = self._open()
        writer = self._writer(ix)
        try:
            for key in keys:
                writer.delete_by_term("key", key)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        if known is not None:
            self._write_state(generation)

    # -- reading -----------------------------------------------------------------
    def close(self) -> None:
        """Let go of the searcher kept open between searches."""
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None
        self._postings = {}

    def _current_searcher(self) -> Any:
        """A searcher on the latest commit: the one kept open, unless the index changed."""
        searcher = self._searcher
        if searcher is not None:
            try:
                if self._exists() and searcher.up_to_date():
                    return searcher
            except Exception:  # a vanished or damaged folder: open afresh below
                pass
            self.close()
        self._searcher = self._open(mmap=True).searcher()
        return self._searcher

    def search(
        self,
        query_text: str,
        *,
        limit: int = 20,
        offset: int = 0,
        sort: str = "relevance",
        facets: bool = False,
    ) -> SearchResult:
        """Items matching ``query_text``, best first (or by date taken with
        ``sort="date"``); an empty query or "*" lists all items by date taken (undated
        last), then key. ``facets`` adds counts per value over all matching items, and a
        search that finds nothing says what the user may have meant.

        Raises QueryError for a query it cannot read, IndexMissing when there is no
        readable index.
        """
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        if sort not in SORTS:
            raise QueryError(f"cannot sort by {sort!r}; sort by {' or '.join(SORTS)}")
        tree = q.parse(query_text)
        wanted = self._compile(tree)
        searcher = self._current_searcher()
        everything = isinstance(tree, q.Everything)
        if wanted is None:  # only stop words: nothing can match
            wanted = query.NullQuery
        window = max(1, offset + limit)
        if everything or sort == "date":
            results = searcher.search(wanted, limit=window, sortedby=["taken", "key"])
        else:
            # Not optimised: whoosh then counts every match in the same pass, where the
            # block-skipping search would run the query a second time for the total.
            results = searcher.search(wanted, limit=window, optimize=False)
        total = len(results)
        matches = _highlighter(q.positive_words(tree), self.matcher)
        hits = tuple(
            self._hit(hit, 0.0 if everything or sort == "date" else hit.score, matches)
            for hit in results[offset : offset + limit]
        )
        counts = None
        if facets:
            docs = None if everything else set(searcher.docs_for_query(wanted))
            counts = self._facets(searcher, docs)
        did_you_mean = self._did_you_mean(searcher, query_text, tree) if total == 0 else None
        return SearchResult(total=total, hits=hits, facets=counts, did_you_mean=did_you_mean)

    def _hit(self, hit: Any, score: float | None, matches: Callable[[str], bool]) -> Hit:
        fields = hit.fields()
        shown = fields.get("shown") or {}
        descriptions = list((shown.get("descriptions") or {}).values())
        found = snippets.best(descriptions, matches, _SNIPPET_CHARS)
        return Hit(
            key=fields["key"],
            score=float(score or 0.0),
            title=shown.get("title"),
            snippet=found.text if found else None,
            highlights=found.spans if found else (),
            kind=shown.get("kind"),
            taken=shown.get("taken"),
            place=shown.get("place"),
        )

    # -- facets and suggestions ------------------------------------------------------
    def _posting_set(self, reader: Any, field: str, value: str) -> set[int]:
        key = (field, value)
        if key not in self._postings:
            self._postings[key] = set(reader.postings(field, value).all_ids())
        return self._postings[key]

    def _facets(self, searcher: Any, docs: set[int] | None) -> dict[str, tuple[FacetCount, ...]]:
        """Counts per facet value among ``docs`` (None: all items), most first."""
        reader = searcher.reader()
        found: dict[str, tuple[FacetCount, ...]] = {}
        for name in FACETS:
            counts = []
            for value in reader.field_terms(name):
                ids = self._posting_set(reader, name, value)
                n = len(ids) if docs is None else len(ids & docs)
                if n:
                    counts.append(FacetCount(value, self._label(name, value), n))
            counts.sort(key=lambda c: (-c.count, c.value))
            found[name] = tuple(counts)
        return found

    def _label(self, facet: str, value: str) -> str:
        if facet in q.VOCABULARY_FIELDS:
            term = self.vocabularies[facet].get(value)
            if term is not None:
                return term.label("en")
        return value

    def _did_you_mean(self, searcher: Any, text: str, tree: q.Node) -> str | None:
        """The query with each word nobody used replaced by the nearest one that is used."""
        corrector = searcher.corrector("folded")
        reader = searcher.reader()
        changed = text
        for node in q.positive_words(tree):
            if isinstance(node, q.Word) and node.field in q.VOCABULARY_FIELDS:
                if self.matcher.terms(node.field, node.text):
                    continue
                near = self.vocabularies[node.field].suggest(node.text, limit=1)
                if near:
                    changed = changed.replace(node.text, near[0].slug, 1)
                continue
            if not isinstance(node, q.Word) or node.field is not None or node.prefix:
                continue
            folded = _analyze("folded", node.text)
            if len(folded) != 1 or reader.doc_frequency("folded", folded[0]):
                continue
            near = corrector.suggest(folded[0], limit=1, maxdist=2, prefix=0)
            if near:
                changed = changed.replace(node.text, near[0], 1)
        return changed if changed != text else None
