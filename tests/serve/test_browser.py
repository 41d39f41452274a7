"""The app in Debian's chromium: a curator's session from title to undo, and axe-core on
every page at desktop and phone widths. One module: one slow unit."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import skip_unless_ci
from tests.serve.conftest import PHOTO, REPO, VIDEO, cli, make_archive

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 360, "height": 780}
SCREENSHOT = REPO / "test-artifacts" / "screenshots" / "serve-editor.png"


@pytest.fixture(scope="module")
def chromium(browser: Any) -> Any:
    """The shared chromium (tests/conftest.py), once axe-core is there to check pages."""
    if not AXE.is_file():
        skip_unless_ci(f"axe-core is not at {AXE} (npm ci installs it)")
    return browser


def open_page(browser: Any, origin: str, viewport: dict[str, int]) -> tuple[Any, list[str]]:
    """A page that may reach nothing but the app (no CDN), recording errors."""
    context = browser.new_context(viewport=viewport)
    page, problems = context.new_page(), []

    def route(r: Any) -> None:
        if r.request.url.startswith(origin):
            r.continue_()
        else:
            problems.append(f"left the app: {r.request.url}")
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return page, problems


def api(server: Any, key: str) -> dict[str, Any]:
    return server.request("GET", f"/api/items/{key}")[2]


def serious(page: Any) -> list[str]:
    # Evaluated, not added as a <script>: the app's Content-Security-Policy forbids inline script.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    found = page.evaluate("axe.run(document).then(r => r.violations)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def test_a_curators_session_in_the_browser(chromium, tmp_path, running) -> None:
    archive, keys = make_archive(tmp_path, PHOTO, VIDEO)
    photo, video = keys[PHOTO.name], keys[VIDEO.name]
    server = running(archive)
    origin = server.url.rstrip("/")
    page, problems = open_page(chromium, origin, DESKTOP)

    # Edit the Tajik title, pick a term by its Russian name, set consent; save.
    page.goto(f"{server.url}items/{photo}")
    page.fill("#actor", "Gulnora")
    page.dispatch_event("#actor", "change")
    page.fill("#f-title_tg", "Хушк кардани намад")
    page.fill("#pick-technique", "войлок")
    option = page.locator("#sug-technique li").first
    option.wait_for()
    assert "felting" == option.get_attribute("data-slug")
    page.keyboard.press("Enter")
    assert page.locator('[data-terms="technique"] .chips li[data-slug="felting"]').count() == 1
    page.select_option("#f-consent", "public")
    page.fill("#f-consent_by", "Saodat Nazarova")
    page.fill("#f-consent_date", "2024-05-02")
    page.click("#save")
    page.wait_for_function("() => document.querySelector('#save-status').textContent === 'Saved.'")
    item = api(server, photo)
    assert item["title_tg"] == "Хушк кардани намад"
    assert item["technique"] == ["felting"] and item["consent"] == "public"
    assert item["consent_by"] == "Saodat Nazarova" and item["consent_date"] == "2024-05-02"
    actors = {e["detail"].get("actor") for e in item["events"] if e["field"] == "title_tg"}
    assert actors == {"Gulnora"}
    preview = page.locator("#preview-link")
    preview.wait_for()  # the preview follows the new consent without a reload
    preview.click()  # the exported page itself, rendered by the export's code
    page.wait_for_url(
        re.compile(rf"/preview/site/([a-z]{{2}}/)?items/{photo}/index\.html$"), wait_until="commit"
    )
    assert page.locator("h1").count() == 1 and page.locator("img").count() >= 1
    page.goto(f"{server.url}items/{photo}?lang=tg")
    assert page.input_value("#f-title_tg") == "Хушк кардани намад"
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)
    page.goto(f"{server.url}items/{photo}?lang=en")

    # Someone saves from the command line meanwhile: the editor shows both values; take ours.
    page.fill("#f-maker", "Bibi (from the browser)")
    cli("-a", str(archive), "edit", photo, "--set", "maker=Mohbonu (from the CLI)")
    page.click("#save")
    page.locator("#stale").wait_for(state="visible")
    rows = page.locator("#stale-rows tr")
    assert rows.count() == 1
    assert "Mohbonu (from the CLI)" in rows.first.inner_text()
    assert "Bibi (from the browser)" in rows.first.inner_text()
    page.click("#stale-take")
    page.wait_for_function("() => document.querySelector('#save-status').textContent === 'Saved.'")
    assert api(server, photo)["maker"] == "Bibi (from the browser)"

    # Undo that change from the history page: the CLI's value comes back.
    page.goto(f"{server.url}items/{photo}/history")
    maker_edit = [e for e in api(server, photo)["events"] if e["field"] == "maker"][-1]
    page.click(f'button[aria-label="Undo {maker_edit["id"]}"]')
    page.wait_for_url(re.compile(r"done="))
    assert api(server, photo)["maker"] == "Mohbonu (from the CLI)"
    undo = [e for e in api(server, photo)["events"] if e["field"] == "maker"][-1]
    assert undo["detail"]["undoes"] == maker_edit["id"] and undo["detail"]["actor"] == "Gulnora"

    # A chapter on the video, marked at the play position; the list seeks the video.
    assert [p for p in problems if "409 (Conflict)" not in p] == []  # the 409 was the point
    problems.clear()
    page.goto(f"{server.url}items/{video}")
    page.wait_for_function("() => document.querySelector('#player').readyState >= 1")
    page.evaluate("document.querySelector('#player').currentTime = 0.5")
    page.wait_for_function(
        "() => Math.abs(document.querySelector('#player').currentTime - 0.5) < 0.05"
    )
    page.click("#mark-start")
    page.evaluate("document.querySelector('#player').currentTime = 1.8")
    page.wait_for_function(
        "() => Math.abs(document.querySelector('#player').currentTime - 1.8) < 0.05"
    )
    page.click("#mark-end")
    page.select_option('select[name="process_step"]', "carding")
    page.fill('input[name="caption"]', "Carding the wool")
    page.click('#chapter-form button[type="submit"]')
    page.locator("#chapter-list .seek").first.wait_for()
    chapters = api(server, video)["chapters"]
    assert [(c["start"], c["end"], c["process_step"]) for c in chapters] == [(0.5, 1.8, "carding")]
    page.evaluate("document.querySelector('#player').currentTime = 0")
    page.click("#chapter-list .seek")
    page.wait_for_function(
        "() => Math.abs(document.querySelector('#player').currentTime - 0.5) < 0.05"
    )

    # The grid: walked with the keyboard, both items selected and given a term at once.
    page.goto(server.url)
    page.focus("#grid .card .open")
    page.keyboard.press(" ")
    page.keyboard.press("ArrowRight")
    page.keyboard.press(" ")
    assert page.inner_text("#selected-count") == "2"
    page.select_option('#bulk select[name="field"]', "material")
    page.fill('#bulk input[name="value"]', "wool")
    page.click('#bulk button[type="submit"]')
    page.wait_for_function(
        "() => document.querySelector('#status').textContent.startsWith('Saved.')"
    )
    assert api(server, photo)["material"] == api(server, video)["material"] == ["sheep-wool"]
    assert problems == []
    page.context.close()

    # Every page, at both widths, in a Tajik session: no serious accessibility problem.
    found = []
    for viewport in (DESKTOP, PHONE):
        page, problems = open_page(chromium, origin, viewport)
        page.goto(f"{server.url}?lang=tg")
        for path in ("", "?q=намад", f"items/{photo}", f"items/{video}",
                     f"items/{photo}/history", "todo", "conflicts", "publish"):  # fmt: skip
            page.goto(server.url + path)
            assert page.locator("html").get_attribute("lang") == "tg"
            found += [f"{viewport['width']}px /{path}: {v}" for v in serious(page)]
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > viewport["width"]:
                found.append(f"{viewport['width']}px /{path}: scrolls sideways ({width}px)")
        assert problems == []
        page.context.close()
    assert found == []
