"""Hostile text: titles, descriptions, keywords and file names with markup, quotes, `../` and
right-to-left marks are shown as text in the site and the CLI, and never write outside the site."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from archive.layout import Layout
from tests.archive.conftest import make_photo
from tests.reliability.conftest import run

TITLE = "<script>alert('t')</script>\"><img src=x onerror=alert(1)> \u202egpj.exe"
DESCRIPTION = "</p></main><script src=//evil.example/x.js></script> & ' \" ../../../etc/passwd"
KEYWORD = "../../outside"
NAME = "<b>felt</b> \"rug\" & 'co' \u202egpj.jpg"


class _Page(HTMLParser):
    """Every element, attribute and piece of text of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("hostile-text")
    card = root / "card"
    make_photo(card / NAME, size=(320, 240))
    (card / (NAME + ".toml")).write_text(
        f"title = {json.dumps(TITLE)}\ndescription = {json.dumps(DESCRIPTION)}\n"
        f'keywords = [{json.dumps(KEYWORD)}, "felt"]\nconsent = "public"\n',
        encoding="utf-8",
    )
    layout = Layout(root / "archive")
    done = run(layout.root, "ingest", str(card))
    assert done.returncode == 0, done.stderr
    before = {p for p in root.rglob("*") if "archive" not in p.relative_to(root).parts}
    site = root / "out" / "site"
    exported = run(layout.root, "export", str(site))
    assert exported.returncode == 0, exported.stderr
    after = {p for p in root.rglob("*") if "archive" not in p.relative_to(root).parts}
    return layout, site, after - before


def test_nothing_is_written_outside_the_site(hostile_site) -> None:
    _layout, site, new = hostile_site
    outside = sorted(str(p) for p in new if p != site.parent and site not in (p, *p.parents))
    assert outside == []


def test_pages_show_hostile_text_as_text(hostile_site) -> None:
    _layout, site, _new = hostile_site
    pages = sorted(site.rglob("*.html"))
    shown = False
    for page in pages:
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parser.tags:
            assert not any(name.startswith("on") for name in attrs), (page, tag, attrs)
            assert tag != "img" or attrs.get("src") != "x", page
            if tag == "script":
                source = attrs.get("src")
                assert source is None or "evil" not in source, page
                assert source is not None or attrs.get("type") in (
                    "application/ld+json",
                    "application/json",
                ), (page, attrs)
        for script in parser.scripts:  # inline data blocks stay valid data
            json.loads(script)
        text = "".join(parser.text)
        shown |= TITLE in text and DESCRIPTION in text
    assert shown, "the title and description appear, as text, on the item page"


def test_data_files_hold_the_text_as_strings(hostile_site) -> None:
    _layout, site, _new = hostile_site
    data = sorted(site.rglob("search/data.js"))  # the search data, one per language
    assert len(data) == 3, data
    for path in data:
        text = path.read_text(encoding="utf-8")
        prefix = "window.PAMIR_SEARCH="
        assert text.startswith(prefix) and text.rstrip().endswith(";"), path
        (item,) = json.loads(text[len(prefix) :].rstrip().removesuffix(";"))["items"]
        assert item[1] == TITLE, path  # still valid data, the title a string as written
    for path in site.rglob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "evil.example" not in text, path


def test_the_cli_shows_hostile_text_as_text(hostile_site) -> None:
    layout, _site, _new = hostile_site
    listed = run(layout.root, "list")
    assert "<script>alert('t')</script>" in listed.stdout
    assert "\u202e" not in listed.stdout and "\\u202e" in listed.stdout
    (item,) = json.loads(run(layout.root, "list", "--json").stdout)
    assert item["title"] == TITLE and item["description"] == DESCRIPTION
    shown = run(layout.root, "show", item["key"])
    assert "\u202e" not in shown.stdout and "../../../etc/passwd" in shown.stdout
