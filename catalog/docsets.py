"""The documents a query matches, as a set of numbers: filters, negations and totals, unscored."""

from __future__ import annotations

from typing import Any

from whoosh import query

# Fields that only say which items match, never how well: a query on them becomes a set of
# document numbers handed to whoosh as a filter, and its postings are kept between searches.
FILTER_FIELDS = frozenset(
    {"key", "kind", "consent", "year", "day", "taken", "mentions", "technique", "material"}
    | {"object_type", "process_step", "place"}
)
# Fewer kept postings than this many: a long-running process (the server) stays bounded.
_CACHED_POSTINGS = 4096


def is_filter(q: Any) -> bool:
    """True when ``q`` only narrows the matches: it scores nothing (a negation, a date, a
    vocabulary value, a kind)."""
    if isinstance(q, query.Not):
        return True
    if isinstance(q, query.Every):
        return False
    if isinstance(q, query.And | query.Or):
        return all(is_filter(child) for child in q.subqueries)
    field = getattr(q, "fieldname", None)
    return field is not None and field in FILTER_FIELDS


def has_positions(q: Any) -> bool:
    """True when ``q`` holds a phrase, whose matches are checked against word positions."""
    if isinstance(q, query.Phrase | query.Sequence):
        return True
    return any(has_positions(child) for child in q.children())


class DocSets:
    """Sets of document numbers of one index reader; ``clear()`` when the reader changes."""

    def __init__(self) -> None:
        self._postings: dict[tuple[str, Any], frozenset[int]] = {}
        self._all: frozenset[int] | None = None

    def clear(self) -> None:
        self._postings = {}
        self._all = None

    def all(self, reader: Any) -> frozenset[int]:
        """Every live document."""
        if self._all is None:
            self._all = frozenset(reader.all_doc_ids())
        return self._all

    def term(self, reader: Any, field: str, text: Any) -> frozenset[int]:
        """The documents holding one term ("kind", "photo")."""
        key = (field, text)
        found = self._postings.get(key)
        if found is not None:
            return found
        try:
            ids = frozenset(reader.postings(field, text).all_ids())
        except Exception:  # whoosh raises TermNotFound, or KeyError for an unknown field
            ids = frozenset()
        if reader.has_deletions():
            ids = ids & self.all(reader)
        if field in FILTER_FIELDS:
            if len(self._postings) >= _CACHED_POSTINGS:
                self._postings.clear()
            self._postings[key] = ids
        return ids

    def of(self, searcher: Any, q: Any) -> frozenset[int]:
        """The documents ``q`` matches (the same ones whoosh would find)."""
        reader = searcher.reader()
        if isinstance(q, query.Term):
            return self.term(reader, q.fieldname, q.text)
        if isinstance(q, query.Every):
            return self.all(reader)
        if q is query.NullQuery or isinstance(q, query.NullQuery.__class__):
            return frozenset()
        if isinstance(q, query.Not):
            return self.all(reader) - self.of(searcher, q.query)
        if isinstance(q, query.Or):
            found: set[int] = set()
            for child in q.subqueries:
                found |= self.of(searcher, child)
            return frozenset(found)
        if isinstance(q, query.And):
            parts = sorted((self.of(searcher, c) for c in q.subqueries), key=len)
            return frozenset(parts[0].intersection(*parts[1:])) if parts else frozenset()
        if isinstance(q, query.ConstantScoreQuery):
            return self.of(searcher, q.child)
        if isinstance(q, query.NumericRange):  # dates
            return self.of(searcher, q._compile_query(reader))
        if isinstance(q, query.MultiTerm):  # prefixes, typos, the parts of a date range
            found = set()
            for text in q._btexts(reader):
                found |= self.term(reader, q.fieldname, text)
            return frozenset(found)
        return frozenset(searcher.docs_for_query(q))  # phrases: positions are needed
