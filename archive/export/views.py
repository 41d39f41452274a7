"""What the templates see of the site in one language: tiles, item pages and list pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from archive.export.i18n import FALLBACK, STRINGS, Words
from archive.export.published import Media
from archive.export.sitemodel import VOCABULARY_FOLDERS, Entry, Group, SiteModel, group_path
from catalog.models import SUBJECT_FIELDS, Kind
from catalog.vocabulary import Term

LATEST = 12  # items on the home page
ENTRY_POINTS = ("technique", "object_type", "place")  # vocabularies linked from home
# An item page lists its place first, then the other subject fields.
FACT_FIELDS = ("place", *(name for name in SUBJECT_FIELDS if name != "place"))
# An untitled item is named by its first term in the first of these fields, and its place.
TITLE_FIELDS = ("object_type", "technique", "process_step", "material")


@dataclass(frozen=True)
class Text:
    """A text in the language it is written in (``lang`` is None when unknown)."""

    text: str
    lang: str | None = None


@dataclass(frozen=True)
class Link:
    """A text with a language-relative link (``href`` None: plain text)."""

    text: str
    href: str | None = None
    lang: str | None = None
    count: int | None = None


@dataclass(frozen=True)
class Fact:
    label: str
    values: tuple[Link, ...]


@dataclass(frozen=True)
class Tile:
    """One item in a grid of thumbnails."""

    key: str
    href: str
    kind: str
    kind_label: str
    title: Text | None
    alt: str
    thumb: Media | None


@dataclass(frozen=True)
class TermEntry:
    """One term on a vocabulary's index page."""

    link: Link  # with the count of its items
    cover: Tile | None  # the first of its items, for the picture
    depth: int = 0  # a place inside another is one deeper


@dataclass(frozen=True)
class ChapterView:
    """One chapter of a video as its page shows it (catalog.chapters.Chapter is the record)."""

    start: float
    time: str
    label: Text
    href: str | None  # a process step's term page


@dataclass
class ItemView:
    key: str
    href: str
    kind: str
    kind_label: str
    heading: Text
    alt: str
    description: Text | None
    thumb: Media | None
    image: Media | None
    images: tuple[Media, ...]
    video: Media | None
    downloads: tuple[tuple[str, Media], ...]
    facts: tuple[Fact, ...]
    details: tuple[Fact, ...]  # shown under a closed "Details" disclosure
    chapters: tuple[ChapterView, ...]
    vtt: str | None  # site-relative URL of the chapters track in this language
    prev: Tile | None = None
    next: Tile | None = None
    within: Link | None = None  # the list prev/next walk through


@dataclass
class GroupView:
    """A term, collection, event or year page."""

    kind: str
    href: str
    title: Text
    kind_label: str
    description: Text | None
    tiles: tuple[Tile, ...]
    parent: Link | None = None
    children: tuple[Link, ...] = ()
    dates: str | None = None
    total: int = 0  # items in the whole group, on every page
    page: int = 1
    pages: int = 1
    prev_page: str | None = None
    next_page: str | None = None
    page_links: tuple[Link, ...] = ()  # a window of page numbers: no href for this one, "…" a gap


@dataclass
class HomeView:
    latest: tuple[Tile, ...]
    collections: tuple[Link, ...]
    events: tuple[Link, ...]
    entry_points: tuple[tuple[str, str, tuple[Link, ...]], ...]  # (name, label, links)
    years: tuple[Link, ...]
    total: int
    covers: dict[str, Tile] = field(default_factory=dict)


class Views:
    """Makes the views of one language from the site model."""

    def __init__(self, model: SiteModel, lang: str, *, linked_lists: bool = True) -> None:
        self.model = model
        self.lang = lang
        self.words = Words(lang)
        self.order = FALLBACK.get(lang, (lang,))
        self.linked_lists = linked_lists  # False in a one-collection gallery
        self._walks: dict[str, tuple[tuple[str, ...], dict[str, int]]] = {}

    # -- texts ---------------------------------------------------------------------
    def text(self, texts: dict[str, str]) -> Text | None:
        for lang in self.order:
            if texts.get(lang):
                return Text(texts[lang], lang)
        for lang, value in texts.items():
            if value:
                return Text(value, None if lang == "und" else lang)
        return None

    def label(self, term: Term) -> Text:
        for lang in self.order:
            if term.labels.get(lang):
                return Text(term.labels[lang], lang)
        return Text(term.label(self.lang), None)

    def kind_label(self, kind: str) -> str:
        return self.words[kind] if kind in tuple(Kind) else kind.capitalize()

    def href(self, path: str) -> str | None:
        return path if self.linked_lists and path in self.model.groups else None

    def term_link(self, name: str, term: Term) -> Link:
        label = self.label(term)
        path = f"{VOCABULARY_FOLDERS[name]}/{term.slug}/index.html"
        return Link(label.text, self.href(path), label.lang)

    def group_title(self, group: Group) -> Text:
        if group.term is not None:
            return self.label(group.term)
        return self.text(group.titles) or Text(group.slug)

    def group_link(self, group: Group, *, count: bool = False) -> Link:
        title = self.group_title(group)
        return Link(
            title.text, self.href(group.path), title.lang, len(group.keys) if count else None
        )

    # -- tiles and items -------------------------------------------------------------
    def tile(self, entry: Entry) -> Tile:
        item = entry.item
        title = self.text(item.texts("title")) or self.made_title(entry)
        kind_label = self.kind_label(item.kind)
        return Tile(
            key=item.key,
            href=f"items/{item.key}/index.html",
            kind=item.kind,
            kind_label=kind_label,
            title=title,
            alt=title.text if title else kind_label,
            thumb=entry.media.thumb,
        )

    def made_title(self, entry: Entry) -> Text | None:
        """An untitled item's title from what it shows and where: ``Felting, Khorog``
        (its first object type, technique, process step or material, and its place), else
        ``Photo, 2016``; None when it has none of them."""
        what = next((terms[0] for name in TITLE_FIELDS if (terms := entry.terms[name])), None)
        parts = [self.label(t) for t in (what, entry.places[0] if entry.places else None) if t]
        if not parts:
            if not entry.year:
                return None
            parts = [Text(self.kind_label(entry.item.kind), self.words.lang_of(entry.item.kind))]
            parts.append(Text(entry.year, parts[0].lang))
        langs = {p.lang for p in parts}
        text = ", ".join(p.text for p in parts)
        text = text[:1].upper() + text[1:]
        return Text(text, parts[0].lang if len(langs) == 1 else self.lang)

    def tiles(self, keys: tuple[str, ...] | list[str]) -> tuple[Tile, ...]:
        return tuple(self.tile(self.model.by_key[k]) for k in keys if k in self.model.by_key)

    def item(self, entry: Entry, chapters_url: str | None) -> ItemView:
        item, words, media = entry.item, self.words, entry.media
        tile = self.tile(entry)
        heading = tile.title or Text(tile.alt, self.lang)
        downloads: list[tuple[str, Media]] = []
        if len(media.videos) > 1:
            downloads = [
                (words["download_small"], media.videos[0]),
                (words["download_large"], media.videos[-1]),
            ]
        elif media.videos:
            downloads = [(words["download"], media.videos[0])]
        within, sequence, positions = self._sequence(entry)
        position = positions[item.key]
        prev = self.tile(self.model.by_key[sequence[position - 1]]) if position > 0 else None
        nxt = (
            self.tile(self.model.by_key[sequence[position + 1]])
            if position + 1 < len(sequence)
            else None
        )
        return ItemView(
            key=item.key,
            href=tile.href,
            kind=item.kind,
            kind_label=tile.kind_label,
            heading=heading,
            alt=tile.alt,
            description=self.text(item.texts("description")),
            thumb=media.thumb,
            image=media.image,
            images=media.images,
            video=media.video,
            downloads=tuple(downloads),
            facts=self._facts(entry),
            details=self._details(entry),
            chapters=self.chapters(entry),
            vtt=chapters_url,
            prev=prev,
            next=nxt,
            within=within,
        )

    def _sequence(self, entry: Entry) -> tuple[Link | None, tuple[str, ...], dict[str, int]]:
        """Previous/next walk through the item's first collection, else through all items.

        Each walk and its key → position table is built once per language, so a site of
        n items costs n lookups, not n × n."""
        for slug in (*entry.collections, entry.event):
            group = self._group_of(slug)
            if group is None:
                continue
            keys, positions = self._walk(group.path, lambda g=group: g.keys)
            if entry.key in positions:
                return self.group_link(group), keys, positions
        keys, positions = self._walk("", lambda: tuple(e.key for e in self.model.entries))
        return None, keys, positions

    def _walk(
        self, name: str, keys: Callable[[], tuple[str, ...]]
    ) -> tuple[tuple[str, ...], dict[str, int]]:
        cached = self._walks.get(name)
        if cached is None:
            order = tuple(keys())
            cached = self._walks[name] = (order, {k: i for i, k in enumerate(order)})
        return cached

    def _group_of(self, slug: str | None) -> Group | None:
        if not slug:
            return None
        return self.model.groups.get(group_path("event", slug)) or self.model.groups.get(
            group_path("collection", slug)
        )

    def _facts(self, entry: Entry) -> tuple[Fact, ...]:
        """The public metadata list. Never: GPS, camera, lens, exposure, sources, sha256."""
        item, w = entry.item, self.words
        rows: list[tuple[str, tuple[Link, ...]]] = [
            ("maker", _plain(item.maker)),
            ("photographer", _plain(unlabelled(item.photographer, "photographer"))),
            ("date_taken", _plain(item.taken_at[:10] if item.taken_at else None)),
        ]
        for name in FACT_FIELDS:
            chosen = entry.places if name == "place" else entry.terms[name]
            links = tuple(self.term_link(name, t) for t in chosen)
            rows.append((name, links + tuple(Link(v) for v in entry.free[name])))
        member: dict[str, list[Link]] = {"event": [], "collection": []}
        for slug in (entry.event, *entry.collections):
            group = self._group_of(slug)
            if group is not None and entry.key in group.keys:
                link = self.group_link(group)
                if link not in member[group.kind]:
                    member[group.kind].append(link)
        if not member["event"] and item.event:
            member["event"].append(Link(item.event))
        rows += [("event", tuple(member["event"])), ("collection", tuple(member["collection"]))]
        rows += [("rights", _plain(item.rights))]
        return tuple(Fact(w[name], links) for name, links in rows if links)

    def _details(self, entry: Entry) -> tuple[Fact, ...]:
        """What the closed "Details" disclosure lists (never the key or pixel sizes)."""
        item, w = entry.item, self.words
        rows: list[tuple[str, tuple[Link, ...]]] = [
            ("kind", (Link(self.kind_label(item.kind)),)),
            ("duration", _plain(_duration(item.duration))),
            ("language_of_item", self._language(item.language)),
            ("keywords", tuple(Link(k) for k in item.keywords)),
        ]
        return tuple(Fact(w[name], links) for name, links in rows if links)

    def _language(self, code: str | None) -> tuple[Link, ...]:
        if not code:
            return ()
        term = self.model.vocabularies["language"].get(code)
        if term is None:
            return (Link(code),)
        label = self.label(term)
        return (Link(label.text, None, label.lang),)

    def chapters(self, entry: Entry) -> tuple[ChapterView, ...]:
        steps = self.model.vocabularies["process_step"]
        result = []
        for chapter in getattr(entry.item, "chapters", ()) or ():
            caption = self.text(dict(chapter.caption))
            term = steps.get(chapter.process_step) if chapter.process_step else None
            href = None
            if term is not None:
                link = self.term_link("process_step", term)
                href = link.href
                caption = caption or Text(link.text, link.lang)
            label = caption or Text(f"{_clock(chapter.start)}")
            result.append(ChapterView(float(chapter.start), _clock(chapter.start), label, href))
        return tuple(result)

    # -- list pages ------------------------------------------------------------------
    def group(self, group: Group) -> GroupView:
        w = self.words
        title = self.group_title(group)
        description = self.text(group.descriptions)
        children: tuple[Link, ...] = ()
        parent = None
        if group.kind == "place":
            parent_group = self.model.groups.get(group.parent) if group.parent else None
            parent = self.group_link(parent_group) if parent_group else None
            children = tuple(
                self.group_link(g, count=True)
                for g in self.model.of_kind("place")
                if g.parent == group.path
            )
        kind_label = {
            "year": w["year"],
            "collection": w["collection"],
            "event": w["event"],
        }.get(group.kind) or w[group.kind]
        return GroupView(
            kind=group.kind,
            href=group.path,
            title=title,
            kind_label=kind_label,
            description=description,
            tiles=self.tiles(group.keys),
            parent=parent,
            children=children,
            dates=group.dates,
            total=len(group.keys),
        )

    def term_index(self, name: str) -> tuple[TermEntry, ...]:
        """A vocabulary's index page: each term with its count and a picture; places as
        their hierarchy (each place after its parent, one level deeper)."""
        groups = self.model.of_kind(name)
        paths = {g.path for g in groups}
        children: dict[str | None, list[Group]] = {}
        for g in groups:
            children.setdefault(g.parent if g.parent in paths else None, []).append(g)
        result: list[TermEntry] = []

        def walk(parent: str | None, depth: int) -> None:
            for g in children.get(parent, ()):
                cover = next((self.model.by_key[k] for k in g.keys if k in self.model.by_key), None)
                tile = self.tile(cover) if cover is not None else None
                result.append(TermEntry(self.group_link(g, count=True), tile, depth))
                walk(g.path, depth + 1)

        walk(None, 0)
        return tuple(result)

    def vocabulary_index(self, name: str) -> tuple[Link, ...]:
        return tuple(self.group_link(g, count=True) for g in self.model.of_kind(name))

    def home(self) -> HomeView:
        entries = self.model.entries
        covers: dict[str, Tile] = {}
        used: set[str] = set()  # a list whose first item another card shows takes its next
        for kind in ("collection", "event"):
            for g in self.model.of_kind(kind):
                keys = [k for k in g.keys if k in self.model.by_key]
                key = next((k for k in keys if k not in used), keys[0])
                used.add(key)
                covers[g.path] = self.tile(self.model.by_key[key])
        return HomeView(
            latest=tuple(self.tile(e) for e in entries[:LATEST]),
            collections=tuple(
                self.group_link(g, count=True) for g in self.model.of_kind("collection")
            ),
            events=tuple(self.group_link(g, count=True) for g in self.model.of_kind("event")),
            entry_points=tuple(
                (name, w_plural, links)
                for name in ENTRY_POINTS
                if (links := self.vocabulary_index(name))
                for w_plural in (self.words.plural(name),)
            ),
            years=tuple(self.group_link(g, count=True) for g in self.model.of_kind("year")),
            total=len(entries),
            covers=covers,
        )


def unlabelled(value: str | None, name: str) -> str | None:
    """``Photographer: Carol M. Highsmith`` → ``Carol M. Highsmith``: a value (from a file's
    metadata) that starts with the field's own label in any language, whose label the page
    already prints."""
    if not value:
        return value
    for label in STRINGS[name].values():
        if label and value.casefold().startswith(label.casefold() + ":"):
            return value[len(label) + 1 :].strip() or None
    return value


def _plain(value: str | None) -> tuple[Link, ...]:
    return (Link(str(value)),) if value else ()


def _clock(seconds: float) -> str:
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _duration(seconds: float | None) -> str | None:
    if not seconds or seconds <= 0:
        return None
    if round(seconds) == 0:
        return f"{seconds:.1f} s"
    return _clock(round(seconds))
