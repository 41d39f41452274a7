"""What the search index holds for one item: texts per language, the terms it names, facets."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from catalog.folding import slugify
from catalog.mentions import LabelMatcher, Mention
from catalog.models import LIST_FIELDS, SUBJECT_FIELDS, Item
from catalog.vocabulary import Vocabularies

# Languages the index has an analyzer of their own for: Tajik (its light stemmer). Text in any
# other language, or in one nobody gave, goes to the fields of "xx", whose analyzer tells
# Russian from English by the script (English, Russian and "xx" once had a field each, with
# the same analyzer: one field is as many postings, and fewer fields for a word to look in).
INDEXED_LANGUAGES = ("tg", "xx")
# List fields of free words rather than terms: indexed as text, one value a line.
FREE_LIST_FIELDS = tuple(name for name in LIST_FIELDS if name not in SUBJECT_FIELDS)


def text_field(prefix: str, language: str) -> str:
    return f"{prefix}_{language if language in INDEXED_LANGUAGES else 'xx'}"


def slug_of(vocabularies: Vocabularies, name: str, value: str) -> str:
    """The slug a stored value stands for: itself when it is one, else the term it labels
    (an item may still say "Хорог" where "khorog" is meant), else the value slugified."""
    vocabulary = vocabularies[name]
    if value in vocabulary:
        return value
    term = vocabulary.find(value)
    return term.slug if term is not None else slugify(value)


def year_of(taken_at: str | None) -> str | None:
    if taken_at and len(taken_at) >= 4 and taken_at[:4].isdigit():
        return taken_at[:4]
    return None


def document(item: Item, vocabularies: Vocabularies, matcher: LabelMatcher) -> dict[str, Any]:
    """The index document for one item (field names as in catalog.search's schema)."""
    names = [PurePosixPath(path).name for path in item.source_paths]
    camera = " ".join(v for v in (item.camera_make, item.camera_model) if v)
    year = year_of(item.taken_at)
    titles, descriptions = item.texts("title"), item.texts("description")
    doc: dict[str, Any] = {
        "key": item.key,
        "kind": item.kind,
        "consent": item.consent,
        "taken": item.taken_at or "~",  # "~" sorts after any date: undated items last
        "shown": {
            "title": item.title or item.text("title"),
            "descriptions": descriptions,
            "kind": item.kind,
            "taken": item.taken_at,
            "place": None,
        },
    }
    written: list[str] = []
    captions = [(lang, text) for c in item.chapters for lang, text in c.caption.items() if text]
    bodies = [*descriptions.items(), *captions]
    for prefix, pairs in (("title", list(titles.items())), ("body", bodies)):
        for language, text in pairs:
            field = text_field(prefix, language)
            doc[field] = f"{doc[field]}\n{text}" if field in doc else text
            written.append(text)

    curated: set[Mention] = set()
    for name in SUBJECT_FIELDS:
        raw = getattr(item, name)
        values = [raw] if isinstance(raw, str) else list(raw or ())
        if name == "process_step":  # a video's chapters name the steps it shows
            values += [c.process_step for c in item.chapters if c.process_step]
        slugs = list(dict.fromkeys(slug_of(vocabularies, name, v) for v in values if v))
        if slugs:
            doc[name] = " ".join(slugs)
            curated.update(Mention(name, slug) for slug in slugs)
    if doc.get("place"):
        doc["shown"]["place"] = doc["place"].split()[0]
    named = curated | matcher.find([*written, *item.keywords])
    # The terms' labels are not copied in: a query finds the terms its words name and looks
    # for them here (catalog.labelindex).
    # The places a named place lies in count as named: an item in Khorog is in GBAO too.
    places = vocabularies["place"]
    within = {
        Mention("place", s)
        for m in named
        if m.vocabulary == "place"
        for s in places.ancestors(m.slug)
    }
    doc["mentions"] = " ".join(sorted(f"{m.vocabulary}:{m.slug}" for m in named | within))

    for name in FREE_LIST_FIELDS:
        values = getattr(item, name)
        if values:
            doc[name] = "\n".join(values)
    if item.event:
        doc["event"] = item.event
    if camera:
        doc["camera"] = camera
    if names:
        doc["file"] = "\n".join(names)
    if year is not None:
        doc["year"] = year
    day = (item.taken_at or "")[:10].replace("-", "")
    if len(day) in (4, 6, 8) and day.isdigit():  # a date known to the month is 201508 00
        doc["day"] = int(day.ljust(8, "0"))
    free = [*item.keywords, *item.collections, item.event or "", camera]
    parts = [*written, *free, " ".join(names), item.kind, year or "", item.key]
    doc["folded"] = "\n".join(p for p in parts if p)
    return doc
