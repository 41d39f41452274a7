"""IIIF Presentation 3 manifests of the site's items, and collections of its lists."""

from __future__ import annotations

import json
import re
from typing import Any

from archive.export.i18n import Words
from archive.export.iiif_tiles import ImageService
from archive.export.look import Look
from archive.export.sitemodel import Entry, Group, SiteModel
from archive.export.sync import Planned
from archive.export.views import Text, Views
from catalog.models import Kind

PRESENTATION = "http://iiif.io/api/presentation/3/context.json"
# Ids must be http(s) URLs. Without --base-url the site does not know its own address: its
# ids then start with this reserved name (RFC 2606), which the site's own viewer replaces
# with the address it is opened from. Publish with --base-url for other viewers.
PLACEHOLDER = "https://site.invalid/"
SITE_COLLECTION = "collection.json"
RIGHTS_URI = re.compile(r"https?://(creativecommons\.org|rightsstatements\.org)/\S+")


def page_links(
    key: str, manifests: frozenset[str], zoom: frozenset[str], base_url: str | None
) -> dict[str, Any] | None:
    """What an item page links: its manifest (site-relative, and absolute with a base URL)
    and, for a photo with tiles, the zoom viewer; None for an item without a manifest."""
    if key not in manifests:
        return None
    manifest = manifest_path(key)
    absolute = base_url.rstrip("/") + "/" + manifest if base_url else None
    return {"manifest": manifest, "absolute": absolute, "zoom": key in zoom}


def manifest_path(key: str) -> str:
    return f"items/{key}/manifest.json"


def collection_path(group: Group) -> str:
    return group.path.removesuffix("index.html") + "collection.json"


class Manifests:
    """Writes the IIIF documents of one site, in every language the site has."""

    def __init__(
        self,
        model: SiteModel,
        look: Look,
        base_url: str | None,
        services: dict[str, ImageService],  # by item key: the photos with deep-zoom tiles
    ) -> None:
        self.model, self.look, self.base_url, self.services = model, look, base_url, services
        self.published: frozenset[str] = frozenset()

    @property
    def base(self) -> str:
        return (self.base_url.rstrip("/") + "/") if self.base_url else PLACEHOLDER

    def url(self, path: str) -> str:
        return self.base + path

    def plan(self, groups: bool) -> tuple[list[Planned], frozenset[str]]:
        """Every item's manifest, a collection per collection and event (``groups``), and
        the site's collection; and the keys of the items that have a manifest (those with
        a picture or a video to show)."""
        planned = []
        for entry in self.model.entries:
            document = self.manifest(entry)
            if document["items"]:
                planned.append(Planned(manifest_path(entry.key), data=_json(document)))
        self.published = frozenset(p.path.split("/")[1] for p in planned)
        if groups:
            for group in self.model.groups.values():
                if group.kind in ("collection", "event"):
                    document = self.collection(
                        collection_path(group), self._group_label(group), group.keys
                    )
                    planned.append(Planned(collection_path(group), data=_json(document)))
        titles = {lang: t for lang in self.look.languages if (t := self.look.titles.get(lang))}
        label = _map(titles) or {"none": ["Pamir Craft Archive"]}
        keys = tuple(e.key for e in self.model.entries)
        site = self.collection(SITE_COLLECTION, label, keys)
        planned.append(Planned(SITE_COLLECTION, data=_json(site)))
        return planned, self.published

    # -- documents ----------------------------------------------------------------
    def collection(self, path: str, label: dict[str, list[str]], keys: tuple[str, ...]) -> dict:
        items = []
        for key in keys:
            entry = self.model.by_key.get(key)
            if entry is None or key not in self.published:
                continue
            ref: dict[str, Any] = {
                "id": self.url(manifest_path(key)),
                "type": "Manifest",
                "label": self._label(entry),
            }
            thumb = self._thumbnail(entry)
            if thumb:
                ref["thumbnail"] = thumb
            items.append(ref)
        return {"@context": PRESENTATION, "id": self.url(path), "type": "Collection",
                "label": label, "items": items}  # fmt: skip

    def manifest(self, entry: Entry) -> dict[str, Any]:
        item = entry.item
        url = self.url(manifest_path(entry.key))
        views = {lang: Views(self.model, lang) for lang in self.look.languages}
        shown = {lang: v.item(entry, None) for lang, v in views.items()}
        document: dict[str, Any] = {
            "@context": PRESENTATION,
            "id": url,
            "type": "Manifest",
            "label": self._label(entry),
        }
        summary = _texts(item.texts("description"))
        if summary:
            document["summary"] = summary
        metadata = self._metadata(shown)
        if metadata:
            document["metadata"] = metadata
        statement = self._statement(item.rights)
        if statement:
            document["requiredStatement"] = statement
        if item.rights and RIGHTS_URI.fullmatch(item.rights):
            document["rights"] = item.rights
        thumb = self._thumbnail(entry)
        if thumb:
            document["thumbnail"] = thumb
        document["homepage"] = [
            {
                "id": self.url(f"items/{entry.key}/index.html"),
                "type": "Text",
                "label": document["label"],
                "format": "text/html",
            }
        ]
        rendering = self._rendering(entry)
        if rendering:
            document["rendering"] = rendering
        canvas = self._canvas(entry, url)
        document["items"] = [canvas] if canvas else []
        if canvas and item.kind == Kind.VIDEO and canvas.get("duration"):
            ranges = self._chapters(entry, url, canvas, views)
            if ranges:
                document["structures"] = ranges
        return document

    # -- parts ----------------------------------------------------------------------
    def _label(self, entry: Entry) -> dict[str, list[str]]:
        label = _texts(entry.item.texts("title"))
        if label:
            return label
        made = {}
        for lang in self.look.languages:
            title = Views(self.model, lang).made_title(entry)
            if title is not None:
                made.setdefault(title.lang or "none", [title.text])
        return made or {"none": [entry.key]}

    def _group_label(self, group: Group) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for lang in self.look.languages:
            title = Views(self.model, lang).group_title(group)
            found.setdefault(title.lang or "none", [title.text])
        return found

    def _metadata(self, shown: dict[str, Any]) -> list[dict[str, Any]]:
        """The item page's facts as label/value pairs, in every language of the site."""
        langs = list(shown)
        rows = len(shown[langs[0]].facts) if langs else 0
        pairs = []
        for row in range(rows):
            label: dict[str, list[str]] = {}
            value: dict[str, list[str]] = {}
            for lang in langs:
                facts = shown[lang].facts
                if len(facts) != rows:  # pragma: no cover - every language lists the same rows
                    continue
                fact = facts[row]
                label[lang] = [fact.label]
                value[lang] = [", ".join(v.text for v in fact.values)]
            if len({tuple(v) for v in value.values()}) == 1:  # a name, a date: no language
                value = {"none": next(iter(value.values()))}
            pairs.append({"label": label, "value": value})
        return pairs

    def _statement(self, rights: str | None) -> dict[str, Any] | None:
        value = _map({"none": rights}) if rights else _map(self.look.licence)
        if not value:
            return None
        label = {lang: [Words(lang)["rights"]] for lang in self.look.languages}
        return {"label": label, "value": value}

    def _thumbnail(self, entry: Entry) -> list[dict[str, Any]]:
        thumb = entry.media.thumb
        if thumb is None:
            return []
        found: dict[str, Any] = {"id": self.url(thumb.url), "type": "Image", "format": thumb.mime}
        if thumb.width and thumb.height:
            found.update(width=thumb.width, height=thumb.height)
        return [found]

    def _rendering(self, entry: Entry) -> list[dict[str, Any]]:
        """The files a visitor may download: the web videos, or the largest image."""
        media = entry.media
        files = list(media.videos) or ([media.image] if media.image else [])
        found = []
        for file in files:
            kind = "Video" if file.mime.startswith("video/") else "Image"
            word = "download" if kind == "Video" else "download_image"
            label = {
                lang: [f"{Words(lang)[word]} ({file.mime}"
                       + (f", {file.width}×{file.height}" if file.width and file.height else "")
                       + ")"]
                for lang in self.look.languages
            }  # fmt: skip
            found.append({"id": self.url(file.url), "type": kind, "label": label,
                          "format": file.mime})  # fmt: skip
        return found

    def _canvas(self, entry: Entry, url: str) -> dict[str, Any] | None:
        item, media = entry.item, entry.media
        canvas_id = f"{url}/canvas/1"
        service = self.services.get(entry.key)
        body: dict[str, Any]
        if item.kind == Kind.VIDEO and media.video and item.duration and item.duration > 0:
            video = media.video
            width, height = _frame(video.width, video.height, item.width, item.height)
            body = {"id": self.url(video.url), "type": "Video", "format": video.mime,
                    "duration": float(item.duration)}  # fmt: skip
            extent: dict[str, Any] = {"duration": float(item.duration)}
        elif service is not None:
            width, height = service.layout.width, service.layout.height
            body = {
                "id": self.url(f"{service.folder}/full/max/0/default.jpg"),
                "type": "Image",
                "format": "image/jpeg",
                "service": [
                    {"id": self.url(service.folder), "type": "ImageService3", "profile": "level0"}
                ],  # fmt: skip
            }
            extent = {}
        elif media.image is not None:
            image = media.image
            width, height = image.width or 0, image.height or 0
            body = {"id": self.url(image.url), "type": "Image", "format": image.mime}
            extent = {}
        else:
            return None
        if not (width and height):
            return None
        body.update(width=width, height=height)
        canvas: dict[str, Any] = {
            "id": canvas_id,
            "type": "Canvas",
            "label": self._label(entry),
            "width": width,
            "height": height,
            **extent,
            "items": [
                {
                    "id": f"{canvas_id}/page/1",
                    "type": "AnnotationPage",
                    "items": [
                        {
                            "id": f"{canvas_id}/page/1/annotation/1",
                            "type": "Annotation",
                            "motivation": "painting",
                            "body": body,
                            "target": canvas_id,
                        }
                    ],
                }
            ],
        }
        thumb = self._thumbnail(entry)
        if thumb:
            canvas["thumbnail"] = thumb
        return canvas

    def _chapters(
        self, entry: Entry, url: str, canvas: dict[str, Any], views: dict[str, Views]
    ) -> list[dict[str, Any]]:
        """The video's chapters as ranges of its canvas (``#t=start,end``)."""
        chapters = tuple(getattr(entry.item, "chapters", ()) or ())
        if not chapters:
            return []
        duration = canvas["duration"]
        shown = {lang: v.chapters(entry) for lang, v in views.items()}
        ranges = []
        for n, chapter in enumerate(chapters):
            start = max(0.0, float(chapter.start))
            end = min(duration, float(chapter.end)) if chapter.end else duration
            if end <= start:
                continue
            label: dict[str, list[str]] = {}
            for lang in views:
                text: Text = shown[lang][n].label
                label.setdefault(text.lang or "none", [text.text])
            ranges.append(
                {
                    "id": f"{url}/range/{n + 1}",
                    "type": "Range",
                    "label": label,
                    "items": [
                        {
                            "id": f"{canvas['id']}#t={_seconds(start)},{_seconds(end)}",
                            "type": "Canvas",
                        }
                    ],
                }
            )
        return ranges


def _frame(
    width: int | None, height: int | None, seen_width: int | None, seen_height: int | None
) -> tuple[int, int]:
    """A video's frame size; a width the catalogue lacks comes from the original's shape."""
    if width and height:
        return width, height
    if height and seen_width and seen_height:
        return round(height * seen_width / seen_height), height
    return 0, 0


def _texts(texts: dict[str, str]) -> dict[str, list[str]]:
    """A text in several languages as a IIIF language map (``und`` → ``none``)."""
    return {("none" if lang == "und" else lang): [text] for lang, text in texts.items() if text}


def _map(texts: dict[str, str | None]) -> dict[str, list[str]]:
    return {lang: [text] for lang, text in texts.items() if text}


def _seconds(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def _json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
