"""Every page of the exported sample site speaks its own language: no interface word of another."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from archive.export.i18n import LANGUAGES, PLURALS, STRINGS
from tests.site.conftest import SampleSite

ATTRIBUTES = ("aria-label", "placeholder", "alt", "title", "data-label")
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Texts(HTMLParser):
    """The texts a page shows in its own language: text nodes and labelling attributes
    outside any element marked with another ``lang`` (and outside scripts and styles)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = ""
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang)
        self.texts: list[str] = []

    def _own(self) -> bool:
        langs = [lang for _, lang in self.stack if lang]
        tags = {tag for tag, _ in self.stack}
        return (not langs or langs[-1] == self.page_lang) and not tags & {"script", "style"}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.page_lang = values.get("lang") or ""
        lang = values.get("lang")
        self.stack.append((tag, lang))
        if self._own():
            self.texts += [values[a] or "" for a in ATTRIBUTES if values.get(a)]
        if tag in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and self._own():
            self.texts.append(data.strip())


def _pattern(text: str) -> re.Pattern[str]:
    """``text`` as a whole phrase; ``{n}``/``{total}`` stand for numbers."""
    parts = [
        re.escape(p) if not p.startswith("{") else r"\d+" for p in re.split(r"(\{\w+\})", text)
    ]
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)")


def _foreign(lang: str) -> list[tuple[str, re.Pattern[str]]]:
    """(name, pattern) of every interface text of the other languages that ``lang`` does not
    share (Russian and Tajik both say «Видео»)."""
    own = {texts[lang] for texts in STRINGS.values()}
    own |= {form for forms in PLURALS.values() for form in forms[lang].values()}
    found = []
    for name, texts in STRINGS.items():
        for other in LANGUAGES:
            if other != lang and texts[other] and texts[other] not in own:
                found.append((f"{name}.{other}", _pattern(texts[other])))
    for name, forms in PLURALS.items():
        for other in LANGUAGES:
            for form in forms[other].values() if other != lang else ():
                if form not in own:
                    found.append((f"{name}.{other}", _pattern(form)))
    return found


def test_no_page_shows_an_interface_word_of_another_language(sample_site: SampleSite) -> None:
    patterns = {lang: _foreign(lang) for lang in LANGUAGES}
    walked: dict[str, int] = dict.fromkeys(LANGUAGES, 0)
    leaks = []
    for page in sorted(sample_site.root.rglob("*.html")):
        if page.name == "embed.html":
            continue
        parser = _Texts()
        parser.feed(page.read_text(encoding="utf-8"))
        lang = parser.page_lang
        walked[lang] += 1
        rel = page.relative_to(sample_site.root).as_posix()
        for text in parser.texts:
            leaks += [f"{rel}: {name} in {text!r}" for name, p in patterns[lang] if p.search(text)]
    assert leaks == []
    assert min(walked.values()) > 20, walked  # every language's pages were read


def test_the_walk_catches_a_russian_word_on_a_tajik_page(tmp_path: Path) -> None:
    page = '<html lang="tg"><body><h2>Новые материалы</h2><p lang="ru">Поиск по каталогу</p>'
    parser = _Texts()
    parser.feed(page)
    hits = [name for name, p in _foreign("tg") for t in parser.texts if p.search(t)]
    assert hits == ["latest.ru"]
