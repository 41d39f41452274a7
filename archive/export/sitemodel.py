"""The language-neutral plan of the site: its items in order, and the lists they are in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from archive.export.published import ItemMedia
from catalog.folding import slugify
from catalog.models import SUBJECT_FIELDS, Item
from catalog.vocabulary import Term, Vocabularies

# The folder of each subject field's term pages: technique/felting/, object-type/jurab/.
VOCABULARY_FOLDERS: dict[str, str] = {name: name.replace("_", "-") for name in SUBJECT_FIELDS}
KEY_RE = re.compile(r"[0-9a-f]{6,64}")
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
YEAR_RE = re.compile(r"(1[89]|20|21)\d\d")


@dataclass(frozen=True)
class Entry:
    """One published item, its files, and its descriptive values resolved to terms."""

    item: Item
    media: ItemMedia
    terms: dict[str, tuple[Term, ...]] = field(hash=False)  # field → terms it names
    free: dict[str, tuple[str, ...]] = field(hash=False)  # field → values that name no term
    places: tuple[Term, ...] = ()  # the item's place and the places it lies in, nearest first
    year: str | None = None
    collections: tuple[str, ...] = ()  # slugs of collection groups
    event: str | None = None  # slug of the event group

    @property
    def key(self) -> str:
        return self.item.key


@dataclass(frozen=True)
class Group:
    """A list page: a vocabulary term, a collection, an event or a year, and its items."""

    kind: str  # a vocabulary field, "collection", "event" or "year"
    slug: str
    path: str  # language-relative: "technique/felting/index.html"
    keys: tuple[str, ...]
    term: Term | None = None
    titles: dict[str, str] = field(default_factory=dict, hash=False)  # per language
    descriptions: dict[str, str] = field(default_factory=dict, hash=False)
    parent: str | None = None  # a place's parent group path
    dates: str | None = None  # an event's dates, as written


@dataclass
class SiteModel:
    """Everything a language's pages are made from."""

    entries: list[Entry]
    groups: dict[str, Group]  # by path
    vocabularies: Vocabularies

    def __post_init__(self) -> None:
        self.by_key = {e.key: e for e in self.entries}

    def of_kind(self, kind: str) -> list[Group]:
        return [g for g in self.groups.values() if g.kind == kind]


def group_path(kind: str, slug: str) -> str:
    folder = VOCABULARY_FOLDERS.get(kind) or {"collection": "collections", "event": "events"}.get(
        kind, "timeline"
    )
    return f"{folder}/{slug}/index.html"


def url_slug(text: str) -> str:
    """A folder name for a page's URL: ``Felt workshop, Хорог`` → ``felt-workshop-khorog``.
    catalog.folding.slugify, cut to the 80 characters SLUG_RE allows, and never empty."""
    return slugify(text)[:80] or "x"


def home_order(items: list[Item]) -> list[Item]:
    """Newest taken first, undated last; the key breaks ties."""
    dated = sorted((i for i in items if i.taken_at), key=lambda i: i.key)
    dated.sort(key=lambda i: i.taken_at or "", reverse=True)  # stable: keys stay ascending
    undated = sorted((i for i in items if not i.taken_at), key=lambda i: i.key)
    return dated + undated


def make_entry(item: Item, media: ItemMedia, vocabularies: Vocabularies) -> Entry:
    """Resolve an item's descriptive values to vocabulary terms (by slug, label or variant)."""
    terms: dict[str, tuple[Term, ...]] = {}
    free: dict[str, tuple[str, ...]] = {}
    for name in SUBJECT_FIELDS:
        raw = getattr(item, name, None)
        values = raw if isinstance(raw, tuple) else ((raw,) if raw else ())
        vocabulary = vocabularies[name]
        found: list[Term] = []
        loose: list[str] = []
        for value in values:
            term = vocabulary.get(str(value)) or vocabulary.find(str(value))
            if term is None:
                loose.append(str(value))
            elif term not in found:
                found.append(term)
        terms[name], free[name] = tuple(found), tuple(loose)
    places: list[Term] = []
    for term in terms["place"]:
        places.append(term)
        for slug in vocabularies["place"].ancestors(term.slug):
            parent = vocabularies["place"].get(slug)
            if parent is not None and parent not in places:
                places.append(parent)
    year = item.taken_at[:4] if item.taken_at and YEAR_RE.fullmatch(item.taken_at[:4]) else None
    collections = tuple(dict.fromkeys(c for c in item.collections if SLUG_RE.fullmatch(c)))
    return Entry(
        item=item,
        media=media,
        terms=terms,
        free=free,
        places=tuple(places),
        year=year,
        collections=collections,
        event=url_slug(item.event) if item.event else None,
    )


def build_model(
    entries: list[Entry],
    vocabularies: Vocabularies,
    collections: dict[str, dict[str, Any]] | None = None,
) -> SiteModel:
    """The groups (term, collection, event and year pages) of the published entries.

    ``collections`` gives what the catalogue knows of each collection slug (``kind``,
    ``title`` and ``description`` per language, ``date_start``/``date_end``, ``item_order``);
    a slug it does not know is shown by its name.
    """
    collections = collections or {}
    groups: dict[str, Group] = {}
    keys_of: dict[tuple[str, str], list[str]] = {}
    for entry in entries:
        for name in SUBJECT_FIELDS:
            chosen = entry.places if name == "place" else entry.terms[name]
            for term in chosen:
                keys_of.setdefault((name, term.slug), []).append(entry.key)
        for slug in entry.collections:
            kind = "event" if (collections.get(slug) or {}).get("kind") == "event" else "collection"
            keys_of.setdefault((kind, slug), []).append(entry.key)
        in_event = any((collections.get(s) or {}).get("kind") == "event" for s in entry.collections)
        if entry.event and entry.event not in entry.collections and not in_event:
            keys_of.setdefault(("event", entry.event), []).append(entry.key)
        if entry.year:
            keys_of.setdefault(("year", entry.year), []).append(entry.key)

    for name in SUBJECT_FIELDS:  # vocabulary file order
        vocabulary = vocabularies[name]
        for term in vocabulary:
            keys = keys_of.get((name, term.slug))
            if not keys:
                continue
            parent = None
            if name == "place" and term.parent and (name, term.parent) in keys_of:
                parent = group_path(name, term.parent)
            path = group_path(name, term.slug)
            groups[path] = Group(name, term.slug, path, tuple(keys), term=term, parent=parent)

    event_titles = {e.event: e.item.event for e in entries if e.event and e.item.event}
    for kind in ("collection", "event"):
        for (k, slug), keys in sorted(keys_of.items()):
            if k != kind:
                continue
            info = collections.get(slug) or {}
            titles = _texts(info.get("title")) or {"und": event_titles.get(slug) or _humane(slug)}
            order = [k for k in info.get("item_order") or [] if k in keys]
            ordered = tuple(dict.fromkeys([*order, *keys]))
            dates = " – ".join(d for d in (info.get("date_start"), info.get("date_end")) if d)
            path = group_path(kind, slug)
            groups[path] = Group(
                kind,
                slug,
                path,
                ordered,
                titles=titles,
                descriptions=_texts(info.get("description")),
                dates=dates or None,
            )
    for (kind, year), keys in sorted(keys_of.items(), reverse=True):
        if kind == "year":
            path = group_path("year", year)
            groups[path] = Group("year", year, path, tuple(keys), titles={"und": year})
    return SiteModel(entries, groups, vocabularies)


def _texts(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if v}
    if isinstance(value, str) and value:
        return {"und": value}
    return {}


def _humane(slug: str) -> str:
    text = slug.replace("-", " ")
    return text[:1].upper() + text[1:]
