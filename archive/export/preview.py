"""One item's public page as the export renders it, without writing a site folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from archive.config import Settings
from archive.export import iiif
from archive.export.iiif_tiles import plan_services
from archive.export.look import load_look
from archive.export.published import item_media
from archive.export.searchdata import fold_script

# The export's own builder, templates and collections: the preview is the export's code.
from archive.export.site import _Builder, _collections, _environment, _languages
from archive.export.sitemodel import KEY_RE, build_model, make_entry
from archive.export.static import static_files
from archive.export.views import Views
from archive.layout import Layout
from archive.terms import vocabularies as archive_vocabularies
from catalog.errors import CatalogError
from catalog.store import Catalog

_MEDIA_KEY = re.compile(r"^media/[a-z0-9][a-z0-9_-]{0,31}/([0-9a-f]{1,64})\.[a-z0-9]{1,5}$")


@dataclass(frozen=True)
class Preview:
    """The page of item ``key`` at site path ``path`` (``html``), or ``reason`` it is not
    published; ``sources`` maps each site URL the page uses to its file in the archive."""

    key: str
    path: str
    html: str | None
    reason: str | None
    sources: dict[str, Path]


def site_languages(settings: Settings) -> tuple[str, ...]:
    return _languages(settings, [])


def site_path(settings: Settings, key: str, lang: str) -> str:
    """Where the export writes item ``key``'s page in ``lang`` (the site's first language
    at the top, the others under their code)."""
    languages = site_languages(settings)
    lang = lang if lang in languages else languages[0]
    prefix = "" if lang == languages[0] else f"{lang}/"
    return f"{prefix}items/{key}/index.html"


def item_preview(
    layout: Layout, catalog: Catalog, settings: Settings, key: str, lang: str
) -> Preview:
    """Render item ``key``'s public page in ``lang`` with the site's templates and code."""
    item = catalog.get(key)
    path = site_path(settings, item.key, lang)
    if not item.is_public:
        reason = (
            f"item {item.key} has consent {item.consent!r}: "
            "the site shows only items whose consent is 'public'"
        )
        return Preview(item.key, path, None, reason, {})
    if not KEY_RE.fullmatch(item.key):
        return Preview(item.key, path, None, f"item {item.key!r}: not a hex key", {})
    warnings: list[str] = []
    languages = _languages(settings, warnings)
    lang = lang if lang in languages else languages[0]
    vocabularies = archive_vocabularies(layout)
    specs = {s.name: s for s in settings.specs}
    media = item_media(layout, item, catalog.derivatives(item.key), specs, warnings)
    entry = make_entry(item, media, vocabularies)
    model = build_model([entry], vocabularies, _collections(catalog))
    look = load_look(layout, settings, languages)
    builder = _Builder(_environment(None), model, look, base_url=None, gallery=None)
    # The page's IIIF links, as the export gives them (no tile is cut to know them).
    services, _tiles = plan_services(
        layout,
        model.entries,
        iiif.PLACEHOLDER,
        warnings,
        originals_in_bucket=settings.storage.originals is not None,
    )
    builder.manifests = iiif.Manifests(model, look, None, services).plan(False)[1]
    builder.zoom = frozenset(services)
    planned = builder.item_page(Views(model, lang), lang, model.entries[0])
    assert planned.render is not None and planned.path == path
    return Preview(item.key, path, planned.render().decode("utf-8"), None, dict(media.sources))


def site_file(
    layout: Layout, catalog: Catalog, settings: Settings, url: str
) -> Path | bytes | None:
    """What the site serves at ``url`` for a preview: a public item's media file or the
    theme's static bytes, looked up by name (a request never names a disk path)."""
    if url == "static/fold.js":
        return fold_script()
    for planned in static_files(None):
        if planned.path == url:
            return planned.data if planned.data is not None else planned.source
    found = _MEDIA_KEY.match(url)
    if found is None:
        return None
    try:
        item = catalog.get(found.group(1))
    except CatalogError:
        return None
    if not item.is_public:
        return None
    specs = {s.name: s for s in settings.specs}
    media = item_media(layout, item, catalog.derivatives(item.key), specs, [])
    return media.sources.get(url)
