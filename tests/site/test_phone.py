"""The sample site on a phone: results first, taps of 44 px, no overflow at 320 px, counts."""

from __future__ import annotations

from tests.site.conftest import DESKTOP, SCREENSHOTS, SampleSite, open_page

NARROW = {"width": 320, "height": 640}
PHONE_360 = {"width": 360, "height": 740}
LANG_PREFIX = {"en": "", "ru": "ru/", "tg": "tg/"}

# Everything a finger taps outside running text (links inside a sentence are exempt, as in
# WCAG 2.5.8); the item's own tiles are far larger.
TAPPED = ".menu a, .langs a, .links a, .pager a, .site-title, summary, button, .facets .opt"


def _pages(site: SampleSite) -> dict[str, str]:
    return {
        "home": "index.html",
        "item": f"items/{site.keys['felt-drying.jpg']}/index.html",
        "video": f"items/{site.keys['carding-machine.avi']}/index.html",
        "search": "search/index.html?q=felt",
        "term": "technique/felting/index.html",
        "places": "place/index.html",
    }


def test_search_results_come_before_the_folded_filters(browser, server) -> None:
    page, watch = open_page(browser, server, viewport=PHONE_360)
    page.goto(server + "search/index.html?q=felt")
    page.wait_for_selector("#results li")
    first = page.locator("#results li").first.bounding_box()
    assert first is not None and first["y"] < PHONE_360["height"]  # on the first screen
    assert not page.is_visible("#facets")  # folded under its button
    page.click("#filters > summary")
    assert page.is_visible("#facets")
    assert page.text_content("#status") == "4 results"
    page.goto(server + "ru/search/index.html?q=felt")
    page.wait_for_selector("#results li")
    assert page.text_content("#status") == "4 результата"
    page.goto(server + "tg/search/index.html?q=felt")
    page.wait_for_selector("#results li")
    assert page.text_content("#status") == "4 натиҷа"
    wide, _ = open_page(browser, server, viewport=DESKTOP)
    wide.goto(server + "search/index.html")
    wide.wait_for_selector("#results li")
    assert wide.is_visible("#facets")  # beside the results, open, on a wide screen
    assert watch.errors == [] and watch.outside == []
    wide.context.close()
    page.context.close()


def test_no_page_overflows_at_320_px_and_taps_are_44_px(browser, server, sample_site) -> None:
    page, watch = open_page(browser, server, viewport=NARROW)
    overflow, small = [], []
    for lang, prefix in LANG_PREFIX.items():
        for name, path in _pages(sample_site).items():
            page.goto(server + prefix + path)
            page.wait_for_load_state("load")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > NARROW["width"]:
                overflow.append(f"{lang} {name}: {width} px wide")
            sizes = page.eval_on_selector_all(
                TAPPED,
                "els => els.filter(e => e.offsetParent !== null)"
                ".map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect().height])",
            )
            small += [f"{lang} {name}: {t!r} {h:.0f} px" for t, h in sizes if h < 43.5]
    assert overflow == []
    assert small == []
    assert watch.errors == [] and watch.outside == []
    page.context.close()


def test_screenshots_in_every_language(browser, server, sample_site) -> None:
    """Home, item, search and term pages in en, ru and tg at phone and desktop widths."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        k: v for k, v in _pages(sample_site).items() if k in ("home", "item", "search", "term")
    }
    for width_name, viewport in (("phone", PHONE_360), ("desktop", DESKTOP)):
        page, watch = open_page(browser, server, viewport=viewport)
        for lang, prefix in LANG_PREFIX.items():
            for name, path in pages.items():
                page.goto(server + prefix + path)
                page.wait_for_load_state("networkidle")
                out = SCREENSHOTS / f"{name}-{lang}-{width_name}.png"
                page.screenshot(path=str(out), full_page=True)
                assert out.stat().st_size > 1000
        assert watch.errors == [] and watch.outside == []
        page.context.close()


def test_a_phone_at_2x_loads_the_mid_size_and_a_desktop_the_large(browser, server, sample_site):
    path = f"items/{sample_site.keys['pattern-layout.jpg']}/index.html"
    chosen = {}
    for name, viewport, scale in (("phone", PHONE_360, 2), ("desktop", DESKTOP, 1)):
        context = browser.new_context(viewport=viewport, device_scale_factor=scale)
        page = context.new_page()
        page.goto(server + path)
        page.wait_for_function("document.querySelector('.media img').complete")
        chosen[name] = page.evaluate("document.querySelector('.media img').currentSrc")
        context.close()
    assert "/media/mid/" in chosen["phone"]
    assert "/media/display/" in chosen["desktop"]


def test_the_picture_enlarges_with_a_tap_and_closes_with_escape(browser, server, sample_site):
    page, watch = open_page(browser, server, viewport=PHONE_360)
    page.goto(server + f"items/{sample_site.keys['pattern-layout.jpg']}/index.html")
    page.wait_for_load_state("networkidle")
    page.click("a.enlarge")
    page.wait_for_selector("dialog.lightbox[open] img")
    page.wait_for_function("document.querySelector('dialog.lightbox img').complete")
    big = page.evaluate("document.querySelector('dialog.lightbox img').naturalWidth")
    assert big == 1600  # the full-size file, not the phone's
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.lightbox:not([open])", state="attached")
    assert page.evaluate("document.activeElement.classList.contains('enlarge')")  # focus back
    no_js, _ = open_page(browser, server, viewport=PHONE_360, js=False)
    no_js.goto(server + f"items/{sample_site.keys['pattern-layout.jpg']}/index.html")
    with no_js.expect_navigation():
        no_js.click("a.enlarge")
    assert no_js.url.endswith(".webp")  # without the script: a plain link to the large file
    no_js.context.close()
    assert watch.errors == [] and watch.outside == []
    page.context.close()
