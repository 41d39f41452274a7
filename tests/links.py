"""Checking a site's links: every relative href, src, poster and srcset must resolve."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class LinkParser(HTMLParser):
    """Collects the URLs of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src", "poster"):
                self.urls.append(value)
            elif name == "srcset":
                self.urls.extend(part.split()[0] for part in value.split(",") if part.strip())


def broken_links(site: Path, pages: list[Path] | None = None) -> list[str]:
    """Links in ``pages`` (default: every page) that are absolute or lead to no file."""
    broken = []
    root = site.resolve()
    for page in pages if pages is not None else sorted(site.rglob("*.html")):
        if page.name == "embed.html":  # its links are relative to the page it is pasted into
            continue
        parser = LinkParser()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            if url.startswith("data:"):  # the empty favicon keeps browsers from asking
                continue
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith("/"):
                broken.append(f"{page.relative_to(site)}: not relative: {url}")
                continue
            if not parts.path:
                continue  # a fragment on the same page
            target = (page.parent / unquote(parts.path)).resolve()
            if root not in target.parents or not target.is_file():
                broken.append(f"{page.relative_to(site)}: {url}")
    return broken
