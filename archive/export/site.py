"""Render the static catalogue website of the public items into a folder (Jinja2 lives here)."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from archive.config import Settings
from archive.errors import ArchiveError
from archive.export import iiif, jsonld
from archive.export.feed import make_feed
from archive.export.freshness import archive_state, code_fingerprint
from archive.export.i18n import LANGUAGES, NATIVE_NAMES, Words
from archive.export.iiif_tiles import plan_services
from archive.export.look import Look, load_look
from archive.export.pagetext import page_text
from archive.export.paging import paged
from archive.export.published import item_media
from archive.export.searchdata import fold_script, search_script
from archive.export.sitemodel import (
    KEY_RE,
    VOCABULARY_FOLDERS,
    Entry,
    SiteModel,
    build_model,
    home_order,
    make_entry,
)
from archive.export.static import mirador_files, static_files
from archive.export.sync import Planned, SiteFolder
from archive.export.views import GroupView, Views
from archive.layout import Layout
from archive.storage.derivatives import DerivativeFiles
from archive.templating import Environment, Template, TemplateError, theme_environment
from archive.terms import vocabularies as archive_vocabularies
from catalog.collections import all_collections
from catalog.models import Kind
from catalog.store import Catalog

EAGER_THUMBS = 4  # thumbnails surely above the fold on a phone load at once; the rest lazily


@dataclass(frozen=True)
class ExportReport:
    """What one export did; paths are site-relative POSIX."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    items: int
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {name: list(v) if isinstance(v, tuple) else v for name, v in asdict(self).items()}


def export_site(
    layout: Layout,
    catalog: Catalog,
    settings: Settings,
    dest: Path,
    *,
    theme: Path | None = None,
    base_url: str | None = None,
    collection: str | None = None,
) -> ExportReport:
    """Write the website of the public items into ``dest``; write only what changed.

    With ``collection``, write that collection alone as a self-contained gallery folder
    (its page, its items' pages, their media) and an ``embed.html`` snippet.
    """
    folder = SiteFolder(Path(dest))  # refuses a foreign folder before any work
    env = _environment(theme)
    warnings: list[str] = []
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise ArchiveError(f"--base-url {base_url!r} must start with http:// or https://")
    state = archive_state(
        layout, catalog, settings, _templates(env), theme, base_url, collection, dest
    )
    if folder.is_current(state):
        # Nothing the site is made of has changed since the last complete export, and
        # every file it wrote is still there: a stat per file, no page is rendered.
        return ExportReport(
            written=(), unchanged=tuple(sorted(folder.owned)), removed=(), items=folder.items
        )
    languages = _languages(settings, warnings)
    look = load_look(layout, settings, languages)
    vocabularies = archive_vocabularies(layout)
    specs = {s.name: s for s in settings.specs}
    derivatives = catalog.all_derivatives()
    files = DerivativeFiles(layout, settings)  # a bucket's are read through cache/derivatives/

    entries: list[Entry] = []
    for item in home_order(catalog.items(public_only=True)):
        if not item.is_public:  # the query already says so; never rely on one check
            continue
        if not KEY_RE.fullmatch(item.key):
            warnings.append(f"item {item.key!r}: not a hex key; left out of the site")
            continue
        if collection is not None and collection not in item.collections:
            continue
        media = item_media(layout, item, derivatives.get(item.key, {}), specs, warnings, files)
        if media.thumb is None:
            warnings.append(f"item {item.key}: no thumbnail; lists show its title only")
        entries.append(make_entry(item, media, vocabularies))
    if collection is not None and not entries:
        raise ArchiveError(
            f"no public item is in the collection {collection!r}; "
            "see `archive list --query collection:SLUG`"
        )
    model = build_model(entries, vocabularies, _collections(catalog))

    base = (base_url.rstrip("/") + "/") if base_url else iiif.PLACEHOLDER
    services, tiles = plan_services(
        layout, entries, base, warnings, originals_in_bucket=settings.storage.originals is not None
    )
    builder = _Builder(
        env, model, look, base_url=base_url, gallery=collection, folder=Path(dest).name
    )
    documents, builder.manifests = iiif.Manifests(model, look, base_url, services).plan(
        collection is None
    )
    builder.zoom = frozenset(services)
    planned = builder.plan()
    for entry in entries:
        planned.extend(Planned(url, source=src) for url, src in sorted(entry.media.sources.items()))
    planned.extend(static_files(theme))
    planned.extend(documents)  # IIIF: manifests and collections, tiles, the zoom viewer
    planned.extend(tiles)
    if services:
        planned.extend(mirador_files())
    if look.logo is not None:
        planned.append(Planned(look.logo.url, source=look.logo.source))

    synced = folder.apply(planned, state=state, items=len(entries))
    return ExportReport(
        written=synced.written,
        unchanged=synced.unchanged,
        removed=synced.removed,
        items=len(entries),
        warnings=tuple(warnings) + synced.warnings,
    )


def _languages(settings: Settings, warnings: list[str]) -> tuple[str, ...]:
    chosen = []
    for lang in settings.site.languages:
        if lang in LANGUAGES and lang not in chosen:
            chosen.append(lang)
        elif lang not in LANGUAGES:
            warnings.append(
                f"[site] languages: {lang!r} has no interface words yet; "
                f"the site is in {', '.join(LANGUAGES)}"
            )
    return tuple(chosen) or ("en",)


def _collections(catalog: Catalog) -> dict[str, dict[str, Any]]:
    """What the catalogue knows of its collections and events (titles, dates, order)."""
    return {c.slug: c.to_dict() for c in all_collections(catalog)}


class _Builder:
    """Plans every page of every language."""

    def __init__(
        self,
        env: Environment,
        model: SiteModel,
        look: Look,
        *,
        base_url: str | None,
        gallery: str | None,
        folder: str = "",
    ) -> None:
        self.env = env
        self.model = model
        self.look = look
        self.base_url = base_url
        self.gallery = gallery
        self.folder = folder  # the gallery folder's name: embed.html links into it
        self.planned: list[Planned] = []
        self.zoom: frozenset[str] = frozenset()  # keys of the photos with deep-zoom tiles
        self.manifests: frozenset[str] = frozenset()  # keys of the items with a manifest
        self.pages: list[str] = []  # every HTML page, site-relative, for the sitemap
        self.site_fingerprint = code_fingerprint(_templates(env), look, base_url, gallery, folder)

    def prefix(self, lang: str) -> str:
        return "" if lang == self.look.languages[0] else f"{lang}/"

    def plan(self) -> list[Planned]:
        for lang in self.look.languages:
            self._language(lang)
        self._render("404.html", "404.html", self.look.languages[0], "404.html", noindex=True)
        if self.zoom:
            for lang in self.look.languages:
                path = "viewer/index.html"
                self._render(
                    "viewer.html", path, lang, path, noindex=True, placeholder=iiif.PLACEHOLDER
                )
        self.planned.append(Planned("static/fold.js", data=fold_script()))
        self._chapter_tracks()
        if self.gallery is None:
            self.planned.append(Planned("robots.txt", data=jsonld.robots(self.base_url)))
            if self.base_url:
                self.planned.append(
                    Planned("sitemap.xml", data=jsonld.sitemap(self.base_url, self.pages))
                )
        else:
            self._embed()
        return self.planned

    def _language(self, lang: str) -> None:
        views = Views(self.model, lang, linked_lists=self.gallery is None)
        model = self.model
        if self.gallery is not None:
            group = next(
                (
                    g
                    for g in model.groups.values()
                    if g.kind in ("collection", "event") and g.slug == self.gallery
                ),
                None,
            )
            if group is None:  # pragma: no cover - export_site only asks for one with items
                raise ArchiveError(f"no collection {self.gallery!r}")
            view = replace(views.group(group), href="index.html")
            self._render_group(lang, view, gallery=True)
        else:
            self._render(
                "index.html",
                "index.html",
                lang,
                "index.html",
                front=views.home(),
                eager=EAGER_THUMBS,
            )
            about = page_text(self.look.texts.get("about", {}), lang)
            if about is not None:
                self._render("about.html", "about/index.html", lang, "about/index.html", text=about)
            self._render(
                "feed.xml",
                "feed.xml",
                lang,
                "feed.xml",
                noindex=True,
                feed=make_feed(views),
                here=jsonld.absolute(self.base_url, self.prefix(lang)) or "",
            )
            for group in model.groups.values():
                self._render_group(lang, views.group(group))
            for name, folder in VOCABULARY_FOLDERS.items():
                links = views.vocabulary_index(name)
                if links:
                    path = f"{folder}/index.html"
                    self._render(
                        "terms.html",
                        path,
                        lang,
                        path,
                        name=name,
                        heading=views.words.plural(name),
                        links=links,
                        terms=views.term_index(name),
                    )
            self._render(
                "timeline.html",
                "timeline/index.html",
                lang,
                "timeline/index.html",
                years=[views.group(g) for g in model.of_kind("year")],
                undated=[views.tile(e) for e in model.entries if not e.year],
            )
            browse = [
                (views.words.plural(name), f"{folder}/index.html")
                for name, folder in VOCABULARY_FOLDERS.items()
                if views.vocabulary_index(name)
            ]
            self._render(
                "search.html", "search/index.html", lang, "search/index.html", browse=browse
            )
            self.planned.append(
                Planned(f"{self.prefix(lang)}search/data.js", data=search_script(model, views))
            )
        for entry in model.entries:
            self.item_page(views, lang, entry)

    def item_page(self, views: Views, lang: str, entry: Entry) -> Planned:
        """Plan the public page of one item in ``lang`` (the export and the app's preview)."""
        vtt = f"media/chapters/{entry.key}.{lang}.vtt" if _chapters(entry) else None
        view = views.item(entry, vtt)
        path = view.href
        ld = jsonld.item_jsonld(
            entry,
            view,
            views,
            base_url=self.base_url,
            page_path=self.prefix(lang) + path,
            root="../" * (self.prefix(lang) + path).count("/"),
        )
        image = view.image or view.thumb
        self._render(
            "item.html",
            path,
            lang,
            path,
            item=view,
            jsonld=ld,
            og_type="video.other" if view.kind == Kind.VIDEO else "article",
            og_image=jsonld.absolute(self.base_url, image.url) if image else None,
            description=view.description.text if view.description else None,
            iiif=iiif.page_links(entry.key, self.manifests, self.zoom, self.base_url),
        )
        return self.planned[-1]

    def _chapter_tracks(self) -> None:
        """A WebVTT chapters track per video and language, named as the page names them."""
        try:
            from catalog.chapters import to_webvtt
        except ImportError:  # pragma: no cover - the chapters module ships with the catalogue
            return
        for lang in self.look.languages:
            views = Views(self.model, lang)
            for entry in self.model.entries:
                chapters = _chapters(entry)
                if not chapters:
                    continue
                shown = views.chapters(entry)
                named = [
                    replace(c, caption={lang: v.label.text})
                    for c, v in zip(chapters, shown, strict=True)
                ]
                self.planned.append(
                    Planned(
                        f"media/chapters/{entry.key}.{lang}.vtt",
                        data=_ending(to_webvtt(named, lang)).encode(),
                    )
                )

    def _embed(self) -> None:
        lang = self.look.languages[0]
        views = Views(self.model, lang, linked_lists=False)
        group = next(
            g
            for g in self.model.groups.values()
            if g.slug == self.gallery and g.kind in ("collection", "event")
        )
        page = views.group(group)
        where = (self.base_url.rstrip("/") + "/") if self.base_url else f"{self.folder}/"
        text = self._template("embed.html").render(
            page=page,
            where=where,
            words=Words(lang),
            lang=lang,
            site=self._site(lang),
        )
        self.planned.append(Planned("embed.html", data=_ending(text).encode()))

    # -- rendering ------------------------------------------------------------------
    def _site(self, lang: str) -> dict[str, Any]:
        views = Views(self.model, lang)
        title = views.text(self.look.titles)
        about = views.text(self.look.abouts)
        contact = self.look.contact
        return {
            "title": title.text if title else "Pamir Craft Archive",
            "title_lang": title.lang if title else None,
            "about": about,
            "css": self.look.css,
            "logo": self.look.logo,
            "organisation": views.text(self.look.organisation),
            "licence": views.text(self.look.licence),
            "contact": contact,
            "contact_href": ("mailto:" + contact)
            if "@" in contact and ":" not in contact
            else contact,
            "intro": page_text(self.look.texts.get("intro", {}), lang),
            "has_about": bool(self.look.texts.get("about")) and self.gallery is None,
        }

    def _template(self, name: str) -> Template:
        try:
            return self.env.get_template(name)
        except TemplateError as exc:
            raise ArchiveError(f"the site template {name} failed: {exc}") from exc

    def _render_group(self, lang: str, view: GroupView, **context: Any) -> None:
        """A list page, split into pages of the look's page size."""
        for page in paged(view, self.look.page_size):
            self._render("group.html", page.href, lang, page.href, page=page, **context)

    def _render(
        self,
        template: str,
        path: str,
        lang: str,
        lang_path: str,
        *,
        noindex: bool = False,
        **context: Any,
    ) -> None:
        full = self.prefix(lang) + path
        depth = full.count("/")
        root = "../" * depth
        home = "../" * lang_path.count("/")
        if template == "404.html" and self.base_url:  # served at any depth: absolute links
            root = home = self.base_url.rstrip("/") + "/"
        alternates = (
            [
                {
                    "lang": other,
                    "name": NATIVE_NAMES[other],
                    "href": root + self.prefix(other) + lang_path,
                    "current": other == lang,
                    "absolute": jsonld.absolute(self.base_url, self.prefix(other) + lang_path),
                }
                for other in self.look.languages
            ]
            if template != "404.html"
            else []
        )
        context.setdefault("gallery", self.gallery is not None)
        values = dict(
            root=root,
            home=home,
            lang=lang,
            words=Words(lang),
            site=self._site(lang),
            path=lang_path,
            alternates=alternates,
            canonical=jsonld.absolute(self.base_url, full),
            base_url=self.base_url,
            **context,
        )
        # Everything the page is made of: the values (frozen dataclasses, dicts and
        # strings, whose repr is stable) and, in site_fingerprint, the templates and code.
        fingerprint = hashlib.sha256(
            repr((self.site_fingerprint, template, sorted(values.items()))).encode("utf-8")
        ).hexdigest()[:32]

        def render() -> bytes:
            try:
                text = self._template(template).render(**values)
            except TemplateError as exc:
                where = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
                raise ArchiveError(f"the site template {template} failed{where}: {exc}") from exc
            return _ending(text).encode("utf-8")

        self.planned.append(Planned(full, render=render, fingerprint=fingerprint))
        if not noindex:
            self.pages.append(full)


def _chapters(entry: Entry) -> tuple[Any, ...]:
    return tuple(getattr(entry.item, "chapters", ()) or ())


def _ending(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _templates(env: Environment) -> list[tuple[str, str]]:
    """(name, source) of every template the environment can load."""
    sources = []
    for name in env.list_templates():
        source, _filename, _uptodate = env.loader.get_source(env, name)  # type: ignore[union-attr]
        sources.append((name, source))
    return sources


def _environment(theme: Path | None) -> Environment:
    if theme is not None:
        theme = Path(theme)
        if not theme.is_dir():
            raise ArchiveError(
                f"the theme {theme} is not a folder (it holds templates/ and static/)"
            )
    return theme_environment(
        "archive.export", "themes/default/templates", theme, keep_trailing_newline=True
    )
