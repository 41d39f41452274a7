"""The whoosh full-text index of items: building it, keeping it current, and searching it."""

from __future__ import annotations

import json
import os
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from whoosh import highlight, index, query, writing
from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.lang import stopwords_for_language
from whoosh.qparser import (
    AndGroup,
    FieldsPlugin,
    FuzzyTermPlugin,
    MultifieldParser,
    PlusMinusPlugin,
    syntax,
)

from catalog.errors import CatalogError
from catalog.folding import fold
from catalog.models import Item

# Raise this when the schema or the analyzers change: older indexes then report no
# generation, and callers rebuild them.
SCHEMA_VERSION = 1

_GENERATION_FILE = "catalog-generation.json"

# Query prefixes people type, and the index field each one searches.
QUERY_FIELDS: dict[str, str] = {
    "kind": "kind",
    "consent": "consent",
    "camera": "camera",
    "keyword": "keywords",
    "technique": "technique",
    "material": "material",
    "object": "object_type",
    "step": "process_step",
    "place": "place",
    "year": "year",
    "event": "event",
    "collection": "collections",
    "title": "title",
    "description": "description",
    "file": "file",
}

_SNIPPET_CHARS = 160


class SearchError(CatalogError):
    """The search index could not be used; the message says why."""


class QueryError(SearchError):
    """A search query could not be understood."""


class IndexMissing(SearchError):
    """The index folder holds no readable index; rebuild it."""


class IndexBusy(SearchError):
    """Another process kept the index locked for longer than the timeout."""


@dataclass(frozen=True)
class Hit:
    """One item found by a search."""

    key: str
    score: float
    title: str | None
    snippet: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SearchResult:
    """One page of hits, and how many items matched in all."""

    total: int
    hits: tuple[Hit, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "hits": [hit.to_dict() for hit in self.hits]}


# -- analysis ------------------------------------------------------------------

# Words joined by apostrophes or dots stay one token ("roshtqal'a", "img_2682.heic").
_WORD = r"\w+(?:['\u2019\u02bc\u02bb.]\w+)*"
_STOP_WORDS = frozenset(stopwords_for_language("en")) | frozenset(stopwords_for_language("ru"))
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _stemmer(language: str) -> Any:
    """Snowball for ``language`` from whoosh.lang, or whoosh's Porter stemmer for English."""
    try:
        from whoosh.lang import stemmer_for_language

        return stemmer_for_language(language)
    except Exception:  # a whoosh without snowball data: fall back
        if language != "en":
            return lambda word: word
        from whoosh.lang.porter import stem

        return stem


class BilingualStemFilter(Filter):
    """Stem Cyrillic words with the Russian stemmer and all others with the English one."""

    def __init__(self) -> None:
        self._stemmers: dict[str, Any] | None = None

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __getstate__(self) -> dict[str, Any]:
        return {}  # whoosh pickles the schema; the stemmers are rebuilt on use

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._stemmers = None

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        if self._stemmers is None:
            self._stemmers = {"en": _stemmer("en"), "ru": _stemmer("ru")}
        english, russian = self._stemmers["en"], self._stemmers["ru"]
        for token in tokens:
            if not token.stopped:
                text = token.text
                token.text = russian(text) if _CYRILLIC.search(text) else english(text)
            yield token


class FoldFilter(Filter):
    """Replace each token by its folded form (see catalog.folding)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

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


def _text_analyzer() -> Any:
    return RegexTokenizer(_WORD) | LowercaseFilter() | _stop() | BilingualStemFilter()


def _folded_analyzer() -> Any:
    return RegexTokenizer(_WORD) | LowercaseFilter() | _stop() | FoldFilter()


def _schema() -> Schema:
    text = _text_analyzer()
    return Schema(
        key=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=text, stored=True, field_boost=3.0),
        description=TEXT(analyzer=text, stored=True),
        keywords=TEXT(analyzer=text, field_boost=2.0),
        technique=TEXT(analyzer=text, field_boost=2.0),
        material=TEXT(analyzer=text, field_boost=2.0),
        object_type=TEXT(analyzer=text, field_boost=2.0),
        process_step=TEXT(analyzer=text, field_boost=2.0),
        place=TEXT(analyzer=text, field_boost=2.0),
        event=TEXT(analyzer=text, field_boost=2.0),
        collections=TEXT(analyzer=text, field_boost=2.0),
        camera=TEXT(analyzer=RegexTokenizer(_WORD) | LowercaseFilter() | _stop()),
        file=TEXT(analyzer=FileNameTokenizer() | LowercaseFilter() | _stop()),
        kind=KEYWORD(lowercase=True),
        consent=KEYWORD(lowercase=True),
        year=NUMERIC(int, bits=32),
        taken=ID(sortable=True),
        folded=TEXT(analyzer=_folded_analyzer(), field_boost=0.5),
    )


SCHEMA = _schema()

# Fields a plain word is looked for in (OR across these, AND between words).
_DEFAULT_FIELDS = (
    "title",
    "description",
    "keywords",
    "technique",
    "material",
    "object_type",
    "process_step",
    "place",
    "event",
    "collections",
    "camera",
    "file",
    "folded",
)

_LIST_FIELDS = ("keywords", "technique", "material", "object_type", "process_step", "collections")


def _year(taken_at: str | None) -> int | None:
    if taken_at and len(taken_at) >= 4 and taken_at[:4].isdigit():
        return int(taken_at[:4])
    return None


def _document(item: Item) -> dict[str, Any]:
    """The whoosh document for one item."""
    names = [PurePosixPath(path).name for path in item.source_paths]
    camera = " ".join(v for v in (item.camera_make, item.camera_model) if v)
    year = _year(item.taken_at)
    doc: dict[str, Any] = {
        "key": item.key,
        "kind": item.kind,
        "consent": item.consent,
        "taken": item.taken_at or "~",  # "~" sorts after any date: undated items last
    }
    for name in ("title", "description", "place", "event"):
        value = getattr(item, name)
        if value:
            doc[name] = value
    for name in _LIST_FIELDS:
        values = getattr(item, name)
        if values:
            doc[name] = "\n".join(values)
    if camera:
        doc["camera"] = camera
    if names:
        doc["file"] = "\n".join(names)
    if year is not None:
        doc["year"] = year
    parts = [doc.get(name, "") for name in _DEFAULT_FIELDS[:-2]]
    parts += [" ".join(names), item.kind, str(year or ""), item.key]
    doc["folded"] = "\n".join(p for p in parts if p)
    return doc


# -- query parsing -------------------------------------------------------------

_KNOWN = ", ".join(sorted(QUERY_FIELDS))
_YEAR_RANGE = re.compile(r"(?<![\w\"])year:(\d{4})?\.\.(\d{4})?(?![\w.])", re.IGNORECASE)


class _CheckedFieldsPlugin(FieldsPlugin):
    """field:value where the field must be one of QUERY_FIELDS; unknown ones are an error."""

    def __init__(self) -> None:
        super().__init__(expr=r"(?P<text>[^\W\d]\w*):", remove_unknown=False)

    def do_fieldnames(self, parser: Any, group: Any) -> Any:
        self._rename(group)
        return super().do_fieldnames(parser, group)

    def _rename(self, group: Any) -> None:
        for node in group:
            if isinstance(node, syntax.FieldnameNode):
                name = node.fieldname.lower()
                if name not in QUERY_FIELDS:
                    raise QueryError(
                        f"unknown search field {node.fieldname!r}; known fields are: {_KNOWN}"
                        " (put text containing a colon in double quotes)"
                    )
                node.fieldname = QUERY_FIELDS[name]
            elif isinstance(node, syntax.GroupNode):
                self._rename(node)


def _parser() -> MultifieldParser:
    parser = MultifieldParser(list(_DEFAULT_FIELDS), SCHEMA, group=AndGroup)
    parser.remove_plugin_class(FieldsPlugin)
    parser.add_plugin(_CheckedFieldsPlugin())
    parser.add_plugin(FuzzyTermPlugin())
    # "-word" excludes; a dash inside a word ("slip-stitch") is part of the word.
    parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-"))
    return parser


_PARSER = _parser()


def _errors(q: query.Query) -> Iterator[str]:
    error = getattr(q, "error", None)
    if error:
        yield str(error)
    for child in q.children():
        yield from _errors(child)


def _year_range(match: re.Match[str]) -> str:
    """year:2010..2015, year:2010.. and year:..2015 in whoosh's range syntax."""
    low, high = match.group(1), match.group(2)
    if not low and not high:
        raise QueryError("a year range needs a start or an end, like year:2010..2015")
    return f"year:[{low + ' ' if low else ''}TO{' ' + high if high else ''}]"


def parse_query(text: str) -> query.Query | None:
    """The whoosh query for ``text``, or None when it asks for every item."""
    text = text.strip()
    if text in ("", "*"):
        return None
    text = _YEAR_RANGE.sub(_year_range, text)
    try:
        q = _PARSER.parse(text, normalize=False)
    except QueryError:
        raise
    except Exception as exc:  # whoosh raises many kinds on bad syntax
        raise QueryError(f"cannot read the query {text!r}: {exc}") from exc
    problems = list(_errors(q))
    if problems:
        raise QueryError(
            f"cannot read the query {text!r}: {problems[0]}"
            " (year takes a number or a range, like year:2015 or year:2010..2015)"
        )
    return _without_andnot(q).normalize()


def _without_andnot(q: query.Query) -> query.Query:
    """Rewrite "a ANDNOT b" as "a AND NOT b", and a lone "-b" as "everything AND NOT b".

    whoosh 2.7's AndNotMatcher keeps a document it should drop when the excluded term's
    first document comes before the wanted term's first one; Not does not have that bug.
    """
    if isinstance(q, query.AndNot):
        wanted = _without_andnot(q.a)
        if wanted.normalize() is query.NullQuery:
            wanted = query.Every("key")  # unfielded Every would swallow the And
        return query.And([wanted, query.Not(_without_andnot(q.b))])
    return q.apply(_without_andnot)


class _PlainFormatter(highlight.Formatter):
    """Snippets as plain text: fragments joined by an ellipsis, matched words unmarked."""

    between = " … "

    def format_token(self, text: str, token: Token, replace: bool = False) -> str:
        return highlight.get_text(text, token, replace)


def _snippet(hit: Any, description: str | None) -> str | None:
    if not description:
        return None
    text = ""
    try:
        text = hit.highlights("description", top=2)
    except Exception:  # a snippet is a nicety; fall back to the opening
        text = ""
    if not text:
        text = description.strip()
        if len(text) > _SNIPPET_CHARS:
            text = text[:_SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return " ".join(text.split())


# -- the index -----------------------------------------------------------------


class SearchIndex:
    """The whoosh index in one folder.

    A missing or unreadable index never raises from ``generation()`` (it returns None),
    ``doc_count()`` (0) or ``keys()`` (empty); ``search()`` raises IndexMissing and the
    caller rebuilds. Writers wait up to ``timeout`` seconds for another process's lock,
    then raise IndexBusy.
    """

    def __init__(self, folder: Path, *, timeout: float = 30.0) -> None:
        self.folder = Path(folder)
        self.timeout = timeout
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not self._exists():
                index.create_in(str(self.folder), SCHEMA)
        except OSError as exc:
            raise SearchError(f"cannot create the search index in {self.folder}: {exc}") from exc

    # -- state -------------------------------------------------------------------
    def _exists(self) -> bool:
        """True when the folder holds an index, readable or not."""
        return any(self.folder.glob("_MAIN_*.toc"))

    def _open(self) -> index.Index:
        # whoosh leaves a corrupt TOC file open when it fails to read it; the handle is
        # closed when the failure is dropped below, and its ResourceWarning is no news.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                ix = index.open_dir(str(self.folder), schema=SCHEMA)
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
        tmp.write_text(
            json.dumps({"generation": generation, "schema": SCHEMA_VERSION}), encoding="utf-8"
        )
        os.replace(tmp, path)

    def generation(self) -> int | None:
        """The catalogue generation the index was last brought up to, or None."""
        state = self._read_state()
        value = state.get("generation")
        if state.get("schema") != SCHEMA_VERSION or not isinstance(value, int):
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
    def _writer(self, ix: index.Index) -> writing.IndexWriter:
        try:
            return ix.writer(timeout=self.timeout, limitmb=128)
        except index.LockError as exc:
            raise IndexBusy(
                f"the search index in {self.folder} is locked by another process;"
                " try again when it has finished"
            ) from exc

    def rebuild(self, items: Iterable[Item], generation: int) -> int:
        """Replace the whole index by these items; returns how many were indexed."""
        latest = {item.key: item for item in items}  # a repeated key: the last one wins
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SearchError(f"cannot create the search index in {self.folder}: {exc}") from exc
        self._write_state(None)  # an interrupted rebuild leaves no generation behind
        state_ok = self._read_state().get("schema") == SCHEMA_VERSION
        try:
            ix = self._open() if state_ok else None
        except IndexMissing:
            ix = None
        if ix is None or set(ix.schema.names()) != set(SCHEMA.names()):
            ix = index.create_in(str(self.folder), SCHEMA)
        writer = self._writer(ix)
        try:
            for item in latest.values():
                writer.add_document(**_document(item))
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
                writer.update_document(**_document(item))
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
    def search(self, query_text: str, *, limit: int = 20, offset: int = 0) -> SearchResult:
        """Items matching ``query_text``, best first; an empty query or "*" lists all
        items by date taken (undated last), then key.

        Raises QueryError for a query it cannot read, IndexMissing when there is no
        readable index.
        """
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        q = parse_query(query_text)
        ix = self._open()
        wanted = max(1, offset + limit)
        with ix.searcher() as searcher:
            if q is None:
                results = searcher.search(query.Every(), limit=wanted, sortedby=["taken", "key"])
            else:
                results = searcher.search(q, limit=wanted, terms=True)
                results.fragmenter = highlight.ContextFragmenter(maxchars=_SNIPPET_CHARS)
                results.formatter = _PlainFormatter()
            total = len(results)
            hits = []
            scored = q is not None  # a sorted listing has sort keys, not scores
            for hit in results[offset : offset + limit]:
                fields = hit.fields()
                hits.append(
                    Hit(
                        key=fields["key"],
                        score=float(hit.score or 0.0) if scored else 0.0,
                        title=fields.get("title"),
                        snippet=_snippet(hit, fields.get("description")),
                    )
                )
        return SearchResult(total=total, hits=tuple(hits))
