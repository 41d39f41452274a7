"""The exported sample site in a real browser (chromium), over HTTP and from file://."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from catalog.folding import fold
from tests.conftest import skip_unless_ci
from tests.links import broken_links
from tests.site.conftest import (
    AXE,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    SampleSite,
    open_page,
    serve,
)

FELTING = {"pattern-layout.jpg", "felt-drying.jpg"}  # the public samples with technique felting
FOLD_WORDS = [
    "Хорог",
    "Хоруғ",
    "ҷӯроб",
    "намадмолӣ",
    "Гулпартоӣ",
    "валяние",
    "Шерсть",
    "щётка",
    "объём",
    "Ёлка",
    "ъ",
    "Роштқалъа",
    "Roshtqal'a",
    "Rŭshon",
    "café",
    "Ҳисор",
    "Қутос",
    "ЦЕХ",
    "жир",
    "юрта",
    "Ўзбек",
    "ғижжак",
    "Murg‘ob",
    "ДЖУРАБЫ",
    "Kyrgyzstan",
    "ﬁ",
]


def _keys(site: SampleSite, names: set[str]) -> set[str]:
    return {site.keys[n] for n in names}


def _result_keys(page) -> set[str]:
    hrefs = page.eval_on_selector_all("#results a", "els => els.map(e => e.getAttribute('href'))")
    return {h.split("/")[-2] for h in hrefs if h}


def _search(page, text: str) -> None:
    page.fill("#q", text)
    page.wait_for_function("document.getElementById('status').textContent.length > 0")


@pytest.fixture(params=["http", "file"])
def origin(request, sample_site: SampleSite) -> str:
    if request.param == "http":
        return request.getfixturevalue("server")
    return sample_site.root.resolve().as_uri() + "/"


def test_search_finds_a_technique_in_cyrillic_and_latin(browser, origin, sample_site) -> None:
    page, watch = open_page(browser, origin)
    page.goto(origin + "search/index.html")
    felting = _keys(sample_site, FELTING)
    for query in ("валяние", "felting", "namadmoli", "намадмолӣ", "Валяние"):
        _search(page, query)
        assert _result_keys(page) == felting, query
    _search(page, "Хорог")  # a place, written in Cyrillic, found through its term labels
    assert sample_site.keys["carding-machine.avi"] in _result_keys(page)
    _search(page, "zzzzqqq")
    assert _result_keys(page) == set()
    assert watch.outside == [] and watch.errors == [] and watch.failed == []
    page.context.close()


def test_a_facet_filter_narrows_the_results(browser, server, sample_site) -> None:
    page, watch = open_page(browser, server, viewport=DESKTOP)
    page.goto(server + "search/index.html")
    page.wait_for_selector("#results li")
    everything = _result_keys(page)
    assert len(everything) == 6
    label = page.locator("label[for='f-place-khorog']")
    assert "(4)" in label.inner_text()  # the count is shown beside the value
    page.check("#f-place-khorog")
    khorog = _result_keys(page)
    assert 0 < len(khorog) < len(everything)
    page.check("#f-object_type-felt-rug")
    assert _result_keys(page) == {sample_site.keys["felt-drying.jpg"]}
    assert "place=khorog" in page.url  # the filter is in the address, so it can be shared
    page.reload()
    assert _result_keys(page) == {sample_site.keys["felt-drying.jpg"]}
    assert watch.errors == [] and watch.outside == []
    page.context.close()


def test_the_language_switch_keeps_the_page_and_changes_labels(browser, origin, sample_site):
    key = sample_site.keys["felt-drying.jpg"]
    page, watch = open_page(browser, origin)
    page.goto(origin + f"items/{key}/index.html")
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("dt", has_text="Technique").count() == 1
    page.click(".langs a[lang='ru']")
    assert page.url.endswith(f"ru/items/{key}/index.html")
    assert page.get_attribute("html", "lang") == "ru"
    assert page.locator("dt", has_text="Техника").count() == 1
    assert "валяние" in page.inner_text(".facts")  # the vocabulary label in Russian
    page.click(".langs a[lang='tg']")
    assert page.get_attribute("html", "lang") == "tg"
    assert page.inner_text("h1") == "Хушконидани намад дар офтоб"  # the item's own Tajik title
    assert "намадмолӣ" in page.inner_text(".facts")
    assert watch.errors == [] and watch.failed == [] and watch.outside == []
    page.context.close()


def test_a_video_plays_and_a_chapter_click_seeks_it(browser, origin, sample_site) -> None:
    key = sample_site.keys["carding-machine.avi"]
    page, watch = open_page(browser, origin, viewport=DESKTOP)
    page.goto(origin + f"items/{key}/index.html")
    chapters = page.locator(".chapters a.seek")
    assert chapters.count() == 2
    assert "carding" in chapters.nth(0).inner_text().lower()
    chapters.nth(1).click()
    page.wait_for_function(
        "() => { const v = document.getElementById('player');"
        " return v.readyState >= 1 && v.currentTime >= 1.15; }",
        timeout=15000,
    )
    error = page.evaluate("document.getElementById('player').error")
    assert error is None
    track = page.evaluate(
        "() => { const t = document.querySelector('track'); return t && t.track.kind; }"
    )
    assert track == ("chapters" if origin.startswith("http") else None)
    assert watch.errors == [] and watch.failed == [] and watch.outside == []
    page.context.close()


def test_every_page_link_and_image_resolves(browser, server, sample_site) -> None:
    site = sample_site.root
    pages = sorted(site.rglob("*.html"))
    assert _broken_links(site, pages) == []
    # In the browser: the main page types load with every image decoded, nothing outside.
    key, video = sample_site.keys["felt-drying.jpg"], sample_site.keys["carding-machine.avi"]
    page, watch = open_page(browser, server, viewport=DESKTOP)
    for path in (
        "index.html",
        f"items/{key}/index.html",
        f"ru/items/{video}/index.html",
        "technique/felting/index.html",
        "tg/place/gbao/index.html",
        "timeline/index.html",
        "search/index.html",
        "404.html",
    ):
        page.goto(server + path)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        broken = page.evaluate(
            "Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0)"
            ".map(i => i.src)"
        )
        assert broken == [], path
        sized = page.evaluate(
            "Array.from(document.images).filter(i => !i.getAttribute('width')).map(i => i.src)"
        )
        assert sized == [], f"{path}: images without width and height"
    assert watch.failed == [] and watch.outside == [] and watch.errors == []
    page.context.close()


def test_no_serious_accessibility_violations(browser, server, sample_site) -> None:
    if not AXE.is_file():
        skip_unless_ci(f"axe-core is not at {AXE} (npm ci installs it)")
    key, video = sample_site.keys["felt-drying.jpg"], sample_site.keys["carding-machine.avi"]
    page, _ = open_page(browser, server)
    found = []
    for path in (
        "index.html",
        f"items/{key}/index.html",
        f"ru/items/{video}/index.html",
        "search/index.html",
        "place/khorog/index.html",
        "timeline/index.html",
    ):
        page.goto(server + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document).then(r => r.violations)")
        for v in result:
            if v["impact"] in ("serious", "critical"):
                found.append(f"{path}: {v['id']} ({v['impact']}): {v['help']}")
    assert found == []
    page.context.close()


def test_pages_are_readable_without_javascript(browser, server, sample_site) -> None:
    page, watch = open_page(browser, server, js=False)
    page.goto(server + "index.html")
    assert page.locator(".grid a").count() == 6
    assert page.locator(".browse a[href*='technique/felting']").count() == 1
    page.goto(server + "search/index.html")
    assert "needs JavaScript" in page.inner_text("main")
    assert watch.outside == []
    page.context.close()


def test_the_browser_folds_like_the_archive(browser, server) -> None:
    page, _ = open_page(browser, server)
    page.goto(server + "search/index.html")
    page.wait_for_function("typeof window.pamirFold === 'function'")
    folded = page.evaluate("words => words.map(w => window.pamirFold(w))", FOLD_WORDS)
    assert folded == [fold(w) for w in FOLD_WORDS]
    page.context.close()


def test_screenshots(browser, server, sample_site) -> None:
    """Home, item, video and search pages at phone and desktop widths, as test artifacts."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "home": "index.html",
        "item": f"items/{sample_site.keys['felt-drying.jpg']}/index.html",
        "video": f"items/{sample_site.keys['carding-machine.avi']}/index.html",
        "search": "search/index.html?q=felt",
    }
    for width_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page, watch = open_page(browser, server, viewport=viewport)
        for name, path in pages.items():
            page.goto(server + path)
            page.wait_for_load_state("networkidle")
            out = SCREENSHOTS / f"{name}-{width_name}.png"
            page.screenshot(path=str(out), full_page=True)
            assert out.stat().st_size > 1000
        assert watch.errors == [] and watch.outside == []
        page.context.close()


def _broken_links(site: Path, pages: list[Path]) -> list[str]:
    return broken_links(site, pages)


def _numbers(text: str) -> list[int]:
    """Numbers as the search data writes them: base 36, a run as first-last."""
    out: list[int] = []
    for part in text.split():
        first, _, last = part.partition("-")
        out.extend(range(int(first, 36), int(last or first, 36) + 1))
    return out


def test_search_data_is_a_script_with_folded_terms(sample_site) -> None:
    text = (sample_site.root / "search" / "data.js").read_text(encoding="utf-8")
    assert text.startswith("window.PAMIR_SEARCH=")
    data = json.loads(text[len("window.PAMIR_SEARCH=") :].rstrip().rstrip(";"))
    assert len(data["items"]) == 6
    forms = data["forms"].split(" ")
    assert "valyanie" in forms and all(form.isascii() for form in forms)
    felting = data["values"].index("technique:felting")
    terms = _numbers(data["vt"][felting])  # the term's forms
    assert {forms[t] for t in terms} >= {"valyanie", "felt", "namadmoli"}
    rows = [r for r in data["items"] if felting in _numbers(r[2])]
    assert len(rows) == 2  # the two public samples with technique felting


def test_a_paged_list_is_walked_with_its_links_and_is_accessible(browser, sample_site, tmp_path):
    if not AXE.is_file():
        skip_unless_ci(f"axe-core is not at {AXE} (npm ci installs it)")
    config = sample_site.archive / "archive.toml"
    original = config.read_text()
    site = tmp_path / "paged"
    try:
        config.write_text(original.replace("[site]\n", "[site]\npage_size = 1\n"))
        result = CliRunner().invoke(main, ["-a", str(sample_site.archive), "export", str(site)])
    finally:
        config.write_text(original)
    assert result.exit_code == 0, result.output
    with serve(site) as origin:  # over HTTP: axe reads the style sheets, file:// refuses it
        page, watch = open_page(browser, origin)
        page.goto(origin + "technique/felting/index.html")
        seen = set()
        for number in (1, 2):
            assert page.text_content("p.count").strip().endswith(f"Page {number} of 2")
            seen |= set(page.eval_on_selector_all(".grid a", "els => els.map(e => e.href)"))
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("axe.run(document).then(r => r.violations)")
            assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
            if number == 1:
                with page.expect_navigation():
                    page.click("a[rel=next]")
        with page.expect_navigation():
            page.click("a[rel=prev]")
        assert page.url == origin + "technique/felting/index.html"
        assert {url.split("/")[-2] for url in seen} == _keys(sample_site, FELTING)
        assert watch.failed == [] and watch.errors == [] and watch.outside == []
        page.context.close()
