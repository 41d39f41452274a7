"""The site's search finds what `archive search` finds: the quality set's items exported,
the same queries asked of both (chromium, from file://)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from archive import config
from archive.export.site import export_site
from archive.layout import Layout
from archive.searching import search
from catalog.store import Catalog
from tests.catalog.search_quality_data import ITEMS, QUERIES
from tests.catalog.test_search_quality import _item
from tests.site.conftest import open_page

# Typos the archive never writes: the site tolerates one edit in a word of five letters or
# more by itself; the CLI does when asked with "~".
TYPOS = ["khorogg", "embroidry", "telliskvi", "murgabb", "spinnnig"]
# Query words of the quality set the browser reads as the CLI does (no field:, quotes,
# negation, ranges, or "~").
PLAIN = [text for text, _ in QUERIES if not any(c in text for c in ':"-~*.')]


def _key(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:16]


@pytest.fixture(scope="module")
def quality_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Layout, Path]:
    tmp = tmp_path_factory.mktemp("agree")
    layout = Layout(tmp / "archive")
    layout.create()
    with Catalog(layout.catalog) as catalog, catalog.transaction():
        for name, (titles, descriptions, fields) in ITEMS.items():
            item = _item(name, titles, descriptions, consent="public", **fields)
            sha = hashlib.sha256(name.encode()).hexdigest()
            catalog.add_item(item.__class__(**{**item.__dict__, "key": _key(name), "sha256": sha}))
    with Catalog(layout.catalog) as catalog:
        export_site(layout, catalog, config.load(layout), tmp / "site")
    return layout, tmp / "site"


def _cli(layout: Layout, text: str) -> set[str]:
    return {hit.key for hit in search(layout, text, limit=len(ITEMS)).result.hits}


def test_the_site_and_the_cli_find_the_same_items(browser, quality_site) -> None:
    layout, site = quality_site
    origin = site.resolve().as_uri() + "/"
    page, watch = open_page(browser, origin)
    page.goto(origin + "search/index.html")
    page.wait_for_function("typeof window.pamirSearch === 'function'")
    assert len(PLAIN) >= 30
    differ = []
    for text in PLAIN + TYPOS:
        cli = _cli(layout, f"{text}~" if text in TYPOS else text)
        site_hits = set(page.evaluate("q => window.pamirSearch(q)", text))
        if site_hits != cli:
            differ.append((text, sorted(cli - site_hits), sorted(site_hits - cli)))
    page.context.close()
    assert watch.errors == [] and watch.failed == []
    assert differ == [], "\n".join(map(str, differ))
    assert _cli(layout, "khorogg~") and _cli(layout, "embroidry~")  # the typos do find items
