"""Page weights of a 1,000-item site, measured in chromium: the budgets of the site issue."""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from archive import config
from archive.export.site import export_site
from archive.layout import Layout
from catalog.models import Derivative, Item
from catalog.store import Catalog
from tests.links import broken_links
from tests.site.conftest import PHONE, SCREENSHOTS, SampleSite, _Quiet, open_page

ITEMS = 1000
HOME_BUDGET = 300_000  # bytes, everything the home page loads on a first visit
ITEM_BUDGET = 250_000  # bytes, an item page without its main image
DATA_BUDGET = 150_000  # bytes, search/data.js (issue 14)


def _big_archive(sample: SampleSite, root: Path) -> Layout:
    """1,000 public items made from the six public samples (their files hard-linked)."""
    layout = Layout(root)
    layout.create()
    with Catalog(sample.archive / "catalog.sqlite") as source:
        models = [i for i in source.items(public_only=True)]
        derivatives = {i.key: source.derivatives(i.key) for i in models}
    with Catalog(layout.catalog) as catalog, catalog.transaction():
        for n in range(ITEMS):
            model = models[n % len(models)]
            sha = hashlib.sha256(f"item {n}".encode()).hexdigest()
            item = Item(
                **{
                    **{f: getattr(model, f) for f in ("kind", "mime", "size", "width", "height")},
                    "key": sha[:16],
                    "sha256": sha,
                    "original": f"originals/{sha[:2]}/{sha}.bin",
                    "duration": model.duration,
                    "taken_at": f"{2000 + n % 25}-0{1 + n % 9}-1{n % 10}",
                    "title": f"{model.title} {n}",
                    "description": model.description,
                    "technique": model.technique,
                    "material": model.material,
                    "object_type": model.object_type,
                    "process_step": model.process_step,
                    "place": model.place,
                    "maker": model.maker,
                    "keywords": model.keywords,
                    "consent": "public",
                }
            )
            catalog.add_item(item)
            for spec, d in derivatives[model.key].items():
                target = layout.derivative_path(spec, sha, Path(d.path).suffix)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(sample.archive / d.path, target)
                catalog.set_derivative(
                    Derivative(
                        sha[:16],
                        spec,
                        layout.relative(target),
                        d.fingerprint,
                        d.mime,
                        d.width,
                        d.height,
                        d.size,
                        d.made_at,
                    )
                )
    return layout


@pytest.fixture(scope="module")
def big_site(sample_site: SampleSite, tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("big")
    layout = _big_archive(sample_site, tmp / "archive")
    with Catalog(layout.catalog) as catalog:
        report = export_site(layout, catalog, config.load(layout), tmp / "site")
    assert report.items == ITEMS
    handler = functools.partial(_Quiet, directory=str(tmp / "site"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield tmp / "site", f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def _load(browser, origin: str, site: Path, path: str) -> tuple[dict[str, int], list[str]]:
    """What the page at ``path`` loads, in bytes by URL, and the URL of its main image."""
    page, watch = open_page(browser, origin, viewport=PHONE)
    page.goto(origin + path)
    page.wait_for_load_state("networkidle")
    main = page.evaluate(
        "() => { const m = document.querySelector('.media img, .media video');"
        " return m ? (m.currentSrc || m.poster || '') : ''; }"
    )
    page.context.close()
    assert watch.outside == [] and watch.errors == [] and watch.failed == []
    assert watch.unmeasured == [], "requests whose size the browser did not give"
    assert broken_links(site, [site / path]) == []  # what the page references is there
    for url, size in watch.bytes.items():
        file = _file(site, origin, url)
        assert file.is_file(), f"{path} loads {url}: no such file in the site"
        on_disk = len(file.read_bytes())  # raises when the file cannot be read
        if url == main:  # a video may come in ranges
            assert 0 < size <= on_disk, (url, size, on_disk)
        else:
            assert size == on_disk, f"{url}: the browser counted {size} bytes of {on_disk}"
    return watch.bytes, [main] if main else []


def _file(site: Path, origin: str, url: str) -> Path:
    assert url.startswith(origin), url
    rel = unquote(urlsplit(url).path)[len(urlsplit(origin).path) :]
    return site / (rel + "index.html" if rel.endswith("/") or not rel else rel)


def test_page_weights_of_a_1000_item_site(browser, big_site, capsys) -> None:
    site, origin = big_site
    home, _ = _load(browser, origin, site, "index.html")
    key = sorted(p.name for p in (site / "items").iterdir())[0]
    item, main = _load(browser, origin, site, f"items/{key}/index.html")
    search, _ = _load(browser, origin, site, "search/index.html")
    assert main and main[0] in item, "the item page's main image was not loaded"
    home_total = sum(home.values())
    item_total = sum(v for url, v in item.items() if url not in main)
    main_bytes = sum(v for url, v in item.items() if url in main)
    data = (site / "search" / "data.js").stat().st_size
    lines = [
        f"page weights, {ITEMS}-item site, phone viewport {PHONE['width']}x{PHONE['height']}:",
        f"  home page:   {home_total:>9,} bytes in {len(home)} requests (budget {HOME_BUDGET:,})",
        f"  item page:   {item_total:>9,} bytes without its main image ({main_bytes:,} bytes)"
        f" (budget {ITEM_BUDGET:,})",
        f"  search page: {sum(search.values()):>9,} bytes (search/data.js {data:,} bytes,"
        f" budget {DATA_BUDGET:,})",
    ]
    SCREENSHOTS.parent.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS.parent / "page-weights.txt").write_text("\n".join(lines) + "\n")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert home_total < HOME_BUDGET
    assert item_total < ITEM_BUDGET
    assert data < DATA_BUDGET
