"""The archive's own Markdown pages (about, home introduction) as HTML in a page's language."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt

from archive.export.i18n import FALLBACK, LANGUAGES

# CommonMark without raw HTML: the archive's texts cannot put scripts or styles in a page.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@dataclass(frozen=True)
class PageText:
    """A Markdown page rendered for one language: ``lang`` is the language it is written in,
    ``fallback`` True when the page's own language has no text of its own."""

    html: str  # safe to show as it is (templates mark it |safe)
    lang: str
    fallback: bool


def page_text(texts: dict[str, str], lang: str) -> PageText | None:
    """The text for a page in ``lang``: its own, else the first of the fallback order."""
    for chosen in FALLBACK.get(lang, LANGUAGES):
        if texts.get(chosen, "").strip():
            return PageText(_MARKDOWN.render(texts[chosen]), chosen, chosen != lang)
    return None
