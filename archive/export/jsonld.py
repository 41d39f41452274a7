"""Structured data for search engines and link previews: schema.org JSON-LD, sitemap, robots."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape

from archive.export.sitemodel import Entry
from archive.export.views import ItemView, Views, unlabelled
from catalog.models import Kind


def absolute(base_url: str | None, path: str) -> str | None:
    """``path`` (site-relative) under ``base_url``; ``index.html`` is left off folder URLs."""
    if not base_url:
        return None
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return base_url.rstrip("/") + "/" + path


def item_jsonld(
    entry: Entry,
    view: ItemView,
    views: Views,
    *,
    base_url: str | None,
    page_path: str,
    root: str = "",
) -> str:
    """A VisualArtwork (photo) or VideoObject (video) with creator, material and place."""
    item = entry.item
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "VideoObject" if item.kind == Kind.VIDEO else "VisualArtwork",
        "name": view.heading.text,
        "identifier": item.key,
        "inLanguage": views.lang,
    }
    if view.description:
        data["description"] = view.description.text
    if item.maker:
        data["creator"] = {"@type": "Person", "name": item.maker}
    name = unlabelled(item.photographer, "photographer")
    if name and item.kind == Kind.PHOTO:
        data["contributor"] = {"@type": "Person", "name": name}
    materials = [views.label(t).text for t in entry.terms["material"]]
    if materials:
        data["material"] = materials
        if item.kind != Kind.VIDEO:
            data["artMedium"] = materials
    techniques = [views.label(t).text for t in entry.terms["technique"]]
    if techniques:
        data["artform" if item.kind != Kind.VIDEO else "genre"] = techniques
    if entry.places:
        place: dict[str, Any] = {"@type": "Place", "name": views.label(entry.places[0]).text}
        if len(entry.places) > 1:
            place["containedInPlace"] = {
                "@type": "Place",
                "name": views.label(entry.places[1]).text,
            }
        data["locationCreated"] = place
    if item.taken_at:
        data["dateCreated"] = item.taken_at[:10]
    keywords = [*item.keywords, *(views.label(t).text for t in entry.terms["object_type"])]
    if keywords:
        data["keywords"] = ", ".join(keywords)
    if item.rights:
        data["copyrightNotice"] = item.rights
    url = absolute(base_url, page_path)
    if url:
        data["url"] = url
    image = view.image or view.thumb
    if image is not None:
        key = "thumbnailUrl" if item.kind == Kind.VIDEO else "image"
        data[key] = absolute(base_url, image.url) or root + image.url
    if item.kind == Kind.VIDEO:
        if view.video is not None:
            data["contentUrl"] = absolute(base_url, view.video.url) or root + view.video.url
        if item.duration:
            data["duration"] = _iso_duration(item.duration)
        if item.taken_at:
            data["uploadDate"] = item.taken_at[:10]
        if view.chapters and url:
            data["hasPart"] = [
                {
                    "@type": "Clip",
                    "name": c.label.text,
                    "startOffset": round(c.start),
                    "url": f"{url}#t={round(c.start)}",
                }
                for c in view.chapters
            ]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    # Inside <script>: no "</script>", no HTML comment openers.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _iso_duration(seconds: float) -> str:
    total = max(1, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"


def sitemap(base_url: str, paths: list[str]) -> bytes:
    """A sitemap.xml of every page (absolute URLs under ``base_url``)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path in sorted(paths):
        lines.append(f"<url><loc>{escape(absolute(base_url, path) or path)}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def robots(base_url: str | None) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if base_url:
        lines.append(f"Sitemap: {absolute(base_url, 'sitemap.xml')}")
    return ("\n".join(lines) + "\n").encode()
