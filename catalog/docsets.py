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
# Matches are put in date order by sorting them (about 8 µs a match: two column lookups) or,
# when they are many, by walking the dates in order until a page is full (about 150 µs a
# date, and a page needs about window × documents ÷ matches dates): sorting wins while
# matches² < window × documents × _SORT_DIRECTLY.
_SORT_DIRECTLY = 19
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


class DocSets:
    """Sets of document numbers of one index reader; ``clear()`` when the reader changes."""

    def __init__(self) -> None:
        self._postings: dict[tuple[str, Any], frozenset[int]] = {}
        self._all: frozenset[int] | None = None
        self._columns: Any = None

    def clear(self) -> None:
        self._postings = {}
        self._all = None
        self._columns = None

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
        ids = self._read(reader, field, text)
        if field in FILTER_FIELDS and field != "taken":
            if len(self._postings) >= _CACHED_POSTINGS:
                self._postings.clear()
            self._postings[key] = ids
        return ids

    def _read(self, reader: Any, field: str, text: Any) -> frozenset[int]:
        found: list[int] = []
        for leaf, offset in reader.leaf_readers():  # one reader a segment
            try:
                matcher = leaf.postings(field, text)
            except Exception:  # whoosh raises TermNotFound, or KeyError for an unknown field
                continue
            ids = _block_ids(matcher)
            found.extend(ids if not offset else (d + offset for d in ids))
        ids = frozenset(found)
        return ids & self.all(reader) if reader.has_deletions() else ids

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
        if isinstance(q, query.TermRange):  # the parts of a date range
            found = set()
            for text in q._btexts(reader):
                found |= self.term(reader, q.fieldname, text)
            return frozenset(found)
        # Phrases need positions; prefixes and typos are expanded segment by segment (the
        # whole index's reader has no automaton to find the words one typo away).
        return frozenset(searcher.docs_for_query(q))

    def first_by_date(
        self, reader: Any, docs: frozenset[int] | None, window: int, start: str = ""
    ) -> list[int]:
        """The first ``window`` of ``docs`` (None: every document) by date taken, then key:
        the order of `--sort date` (undated items, taken "~", last). ``start``: no document
        of ``docs`` was taken before it (a query's lowest date)."""
        everything = self.all(reader)
        if docs is not None and len(docs) ** 2 <= window * len(everything) * _SORT_DIRECTLY:
            return sorted(docs, key=self._date_key(reader))[:window]
        wanted = docs if docs is not None else everything
        found: list[int] = []
        for field, taken in reader.terms_from("taken", start):  # in date order
            if field != "taken":
                break
            ids = [d for d in self._read(reader, "taken", taken) if d in wanted]
            found.extend(sorted(ids, key=self._date_key(reader)) if len(ids) > 1 else ids)
            if len(found) >= window:
                break
        return found[:window]

    def _date_key(self, reader: Any) -> Any:
        if self._columns is None:  # reading a column's offsets costs as much as a query
            self._columns = (reader.column_reader("taken"), reader.column_reader("key"))
        taken, key = self._columns
        return lambda doc: (taken[doc], key[doc])


def earliest(parts: list[Any]) -> str:
    """The lowest date taken ("2015-08") that documents matching all of ``parts`` can have:
    the latest start of their date ranges ("" when none has one)."""
    days = [
        p.start
        for p in parts
        if isinstance(p, query.NumericRange) and p.fieldname == "day" and p.start is not None
    ]
    if not days:
        return ""
    digits = f"{max(days):08d}"  # YYYYMMDD; "00" for a month or day not given
    text = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    while text.endswith("-00"):
        text = text[:-3]
    return text


def _block_ids(matcher: Any) -> list[int]:
    """Every document number of one term's postings in one segment. whoosh's own all_ids()
    steps through them one by one in Python; its postings are stored in blocks of numbers,
    read here a block at a time (whoosh-reloaded 2.7's W3LeafMatcher)."""
    if not all(hasattr(matcher, a) for a in ("_read_ids", "_next_block", "_ids", "_i")):
        return list(matcher.all_ids())
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids[matcher._i :])
        matcher._next_block()
    return ids
