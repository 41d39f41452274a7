"""Turning a catalog.query tree into a whoosh query over the index's fields."""

from __future__ import annotations

from whoosh import query

from catalog import query as q
from catalog.folding import fold, slugify
from catalog.indexschema import (
    DEFAULT_FIELDS,
    LABEL_BOOST,
    TEXT_QUERY_FIELDS,
    analyze,
    analyze_forms,
    phrase_slop,
)
from catalog.labelindex import LabelIndex
from catalog.mentions import LabelMatcher
from catalog.models import SUBJECT_FIELDS
from catalog.vocabulary import Vocabularies


class QueryCompiler:
    """Turns a catalog.query tree into a whoosh query (None when nothing can match)."""

    def __init__(self, vocabularies: Vocabularies, matcher: LabelMatcher) -> None:
        self.vocabularies = vocabularies
        self.matcher = matcher
        self.labels = LabelIndex(vocabularies)

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
            return self.text(node, DEFAULT_FIELDS)
        if field in SUBJECT_FIELDS:
            return self.vocabulary(field, node)
        if field in ("kind", "consent"):
            return query.Term(field, node.text.lower())
        return self.text(node, TEXT_QUERY_FIELDS[field])

    def text(self, node: q.Word | q.Phrase, fields: tuple[str, ...]) -> query.Query | None:
        parts: list[query.Query] = []
        for field in fields:
            words = analyze_forms(field, node.text)
            if not words:
                continue
            if isinstance(node, q.Phrase) or len(words) > 1:
                slop = phrase_slop(node.text, words)
                if all(len(alternatives) == 1 for alternatives in words):
                    parts.append(query.Phrase(field, [w[0] for w in words], slop=slop))
                else:
                    parts.append(query.Sequence([_any(field, w) for w in words], slop=slop))
            elif isinstance(node, q.Word) and node.prefix:
                starts = {*words[0], fold(node.text).strip()}
                parts.append(_any(field, tuple(sorted(starts)), query.Prefix))
            else:
                parts.append(_any(field, words[0]))
        if isinstance(node, q.Word) and node.fuzzy:
            target = "folded" if "folded" in fields else fields[0]
            folded = analyze(target, node.text)
            if len(folded) == 1:
                parts.append(query.FuzzyTerm(target, folded[0], maxdist=node.fuzzy, prefixlength=0))
        if fields == DEFAULT_FIELDS:  # and the items naming a term this word is a label of
            named = sorted(self.labels.named(node))
            if named:
                terms = [query.Term("mentions", m, boost=LABEL_BOOST) for m in named]
                parts.append(terms[0] if len(terms) == 1 else query.Or(terms))
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


def _any(field: str, alternatives: tuple[str, ...], kind: type = query.Term) -> query.Query:
    """One word of a query, matching any of its forms."""
    terms = [kind(field, text) for text in alternatives]
    return terms[0] if len(terms) == 1 else query.Or(terms)


def _day(bound: str) -> int:
    """A catalog.query date bound as YYYYMMDD: "2015-08" is 20150800, and "2015-08" followed
    by the "after" mark is 20150900 (the first day after August 2015, as far as order goes)."""
    after = bound.endswith("\uffff")
    digits = bound.rstrip("\uffff").replace("-", "")
    return int(digits.ljust(8, "9")) + 1 if after else int(digits.ljust(8, "0"))
