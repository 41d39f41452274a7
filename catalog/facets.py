"""Facet counts: how many of a search's matches carry each term, kind and year."""

from __future__ import annotations

from typing import Any

from catalog.models import SUBJECT_FIELDS
from catalog.results import FacetCount
from catalog.vocabulary import Vocabularies

# Facets a search can count, in the order they are shown: the subject fields, kind and year
# (the website's search shows the same ones).
FACETS: tuple[str, ...] = (*SUBJECT_FIELDS, "kind", "year")


class FacetCounter:
    """Counts facet values over a set of documents of one index reader.

    Each value's documents are kept between searches; ``clear()`` forgets them when the
    index changes.
    """

    def __init__(self, vocabularies: Vocabularies) -> None:
        self.vocabularies = vocabularies
        self._postings: dict[tuple[str, str], set[int]] = {}

    def clear(self) -> None:
        self._postings = {}

    def count(self, reader: Any, docs: set[int] | None) -> dict[str, tuple[FacetCount, ...]]:
        """Counts per facet value among ``docs`` (None: all items), most first."""
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

    def _posting_set(self, reader: Any, field: str, value: str) -> set[int]:
        key = (field, value)
        if key not in self._postings:
            self._postings[key] = set(reader.postings(field, value).all_ids())
        return self._postings[key]

    def _label(self, facet: str, value: str) -> str:
        if facet in SUBJECT_FIELDS:
            term = self.vocabularies[facet].get(value)
            if term is not None:
                return term.label("en")
        return value
