"""The whoosh index of items in one folder: building it, keeping it current, and searching it."""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import collectors, index, query, writing
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from catalog import formtable, snippets
from catalog import query as q
from catalog.compiler import QueryCompiler
from catalog.docsets import DocSets, earliest, is_filter
from catalog.documents import document
from catalog.errors import IndexBusy, IndexMissing, QueryError, SearchError
from catalog.facets import FACETS, FacetCounter
from catalog.highlight import highlighter
from catalog.indexschema import SCHEMA, SCHEMA_VERSION, forms, norm
from catalog.mentions import LabelMatcher
from catalog.models import Item
from catalog.parallelwriter import ParallelWriter, processes_for
from catalog.results import FacetCount, Hit, SearchResult
from catalog.suggestions import did_you_mean
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
    "norm",
]

_GENERATION_FILE = "catalog-generation.json"
# An update adds a segment of its own, without merging, until there are this many.
_SEGMENTS_BEFORE_MERGE = 10
_SNIPPET_CHARS = 160
SORTS = ("relevance", "date")


class _Stored:
    """A document put in order without whoosh's collector: its stored fields, as a hit."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self._fields = fields
        self.score = 0.0

    def fields(self) -> dict[str, Any]:
        return self._fields


def _fingerprint(vocabularies: Vocabularies) -> str:
    data = [[t.to_dict() for t in vocabulary] for vocabulary in vocabularies]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


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
        self.matcher = LabelMatcher(self.vocabularies, forms)
        self._compile = QueryCompiler(self.vocabularies, self.matcher)
        self._fingerprint = _fingerprint(self.vocabularies)
        self._searcher: Any = None
        self._facets = FacetCounter(self.vocabularies)
        self._sets = DocSets()
        self._table_read = False
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

    def _storage(self, *, mapped: bool = False) -> FileStorage:
        folder = str(self.folder)
        return _MappedFiles(folder) if mapped else FileStorage(folder, supports_mmap=False)

    def _open(self, *, mapped: bool = False) -> index.Index:
        """The index, readable. Its segments are written as separate files: whoosh copies a
        compound segment file (its default) whole into memory each time it opens one, so
        every search read the whole index (at 100,000 items 130 MB, twice: 290 MB and 1.5 s
        for one `archive search`). The searcher maps the files (``mapped``), so a block is
        read from the page cache without a system call; writers read them as files, so an
        update's memory stays with its batch."""
        # whoosh leaves a corrupt TOC file open when it fails to read it; the handle is
        # closed when the failure is dropped below, and its ResourceWarning is no news.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                ix = self._storage(mapped=mapped).open_index(schema=SCHEMA)
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
    def _writer(self, ix: index.Index, *, limitmb: int = 4, procs: int = 1) -> writing.IndexWriter:
        """A writer whose posting pool spills to disk beyond ``limitmb``: small updates
        never reach it, but the segment merges they trigger would otherwise hold postings
        in memory in proportion to the size of the index. With ``procs`` > 1, that many
        processes analyse and write the documents (catalog.parallelwriter)."""
        try:
            if procs > 1:
                share = {"limitmb": max(16, limitmb // procs), "compound": False}
                return ParallelWriter(
                    ix, procs, timeout=self.timeout, limitmb=16, compound=False, subargs=share
                )
            return ix.writer(timeout=self.timeout, limitmb=limitmb, compound=False)
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
        writer = self._writer(ix, limitmb=128, procs=processes_for(len(latest)))
        try:
            for item in latest.values():
                writer.add_document(**self._document(item))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=writing.CLEAR)
        written = self._open().doc_count()
        if written != len(latest):  # a writing process failed: its documents are missing
            raise SearchError(
                f"building the search index in {self.folder} wrote {written} of"
                f" {len(latest)} items (a writing process failed); run the command again"
            )
        formtable.save(self.folder, whole=True)
        self._write_state(generation)
        return len(latest)

    def update(self, items: Iterable[Item], generation: int) -> None:
        """Add or replace these items' documents.

        The generation is recorded only when the index already had one: an index that
        needs a rebuild keeps reporting None until it gets one.
        """
        known = self.generation()
        self._read_table()
        ix = self._open()
        # Few segments: the new documents become one more, merged with nothing (a merge
        # reads whole segments); once there are many, the small ones are merged.
        merge = len(ix._segments()) >= _SEGMENTS_BEFORE_MERGE
        writer = self._writer(ix, limitmb=4 if merge else 64)
        try:
            for item in items:
                writer.update_document(**self._document(item))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(merge=merge)
        formtable.save(self.folder, whole=False)
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
    def _read_table(self) -> None:
        """Load the forms of the words this index has met (once)."""
        if not self._table_read:
            formtable.load(self.folder)
            self._table_read = True

    def close(self) -> None:
        """Let go of the searcher kept open between searches."""
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None
        self._facets.clear()
        self._sets.clear()

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
        self._searcher = self._open(mapped=True).searcher()
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
        self._read_table()
        wanted = self._compile(tree)
        searcher = self._current_searcher()
        everything = isinstance(tree, q.Everything)
        if wanted is None:  # only stop words: nothing can match
            wanted = query.NullQuery
        # Filters, negations and dates only narrow the matches: they become one set of
        # document numbers (kept between searches), and whoosh scores the words alone.
        parts = list(wanted.subqueries) if isinstance(wanted, query.And) else [wanted]
        narrowing = [p for p in parts if is_filter(p)]
        scored = [p for p in parts if not is_filter(p) and not isinstance(p, query.Every)]
        allowed = self._sets.of(searcher, query.And(narrowing)) if narrowing else None
        window = max(1, offset + limit)
        by_date = everything or sort == "date" or not scored
        words = scored[0] if len(scored) == 1 else query.And(scored) if scored else None
        filtered = set(allowed) if allowed is not None else None
        if allowed is not None and not allowed:
            results, docs = [], allowed
        elif by_date:
            # By date: the matches as a set, put in order by the index's dates (the lexicon
            # of "taken" is in date order), with no scoring at all.
            docs = allowed if words is None else self._matching(searcher, words, allowed)
            start = earliest(narrowing)
            order = self._sets.first_by_date(searcher.reader(), docs, window, start)
            results = [_Stored(searcher.stored_fields(doc)) for doc in order]
        else:
            results = _best(searcher, words, window, filtered)
            docs = None
        if docs is not None:
            total = len(docs)
        else:
            total = len(results) if words is not None else searcher.doc_count()
        matches = highlighter(q.positive_words(tree), self.matcher)
        hits = tuple(
            self._hit(hit, 0.0 if by_date else hit.score, matches)
            for hit in results[offset : offset + limit]
        )
        counts = None
        if facets:
            if docs is None and words is not None:
                docs = self._matching(searcher, words, allowed)
            counts = self._facets.count(searcher.reader(), None if everything else set(docs))
        meant = None
        if total == 0:
            meant = did_you_mean(
                searcher, query_text, tree, self.vocabularies, self.matcher, self._compile.labels
            )
        return SearchResult(total=total, hits=hits, facets=counts, did_you_mean=meant)

    def _matching(self, searcher: Any, words: Any, allowed: frozenset[int] | None) -> Any:
        docs = self._sets.of(searcher, words)
        return docs if allowed is None else docs & allowed

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


class _MappedFiles(FileStorage):
    """A folder whose files are read through a memory map, in place: only the pages a search
    reads are loaded, and they stay in the page cache. (whoosh's own mapped storage maps
    only compound files, then copies each part whole into memory.)"""

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        with open(self._fpath(name), "rb") as file:
            try:
                data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # an empty file cannot be mapped
                return super().open_file(name, **kwargs)
        return StructFile(data, name=name, **kwargs)


class _EveryMatch(collectors.TopCollector):
    """whoosh's top-N collector without its lower bound: once its page is full it learns
    the lowest score on it and then, even with ``optimize=False``, turns an OR whose part can
    no longer reach the page into AND-MAYBE, so the items only that part matches go
    uncounted (at 11,000 items 6,279 named Tajikistan were counted as 1,281), and its
    block-quality skipping missed better-scoring items. Without the bound it still drops the
    exhausted parts of an OR as it goes."""

    def _collect(self, global_docnum: int, score: float) -> Any:
        found = super()._collect(global_docnum, score)
        self.minscore = None
        return found


def _best(searcher: Any, words: Any, window: int, allowed: set[int] | None) -> Any:
    """The ``window`` best matches of ``words`` among ``allowed``, every match scored, so
    that the total comes with them."""
    collector: Any = _EveryMatch(limit=window, usequality=False)
    if allowed is not None:
        collector = collectors.FilterCollector(collector, allow=allowed)
    searcher.search_with_collector(words, collector)
    return collector.results()
