"""A list page split into numbered pages, each linked to its neighbours and nearby pages."""

from __future__ import annotations

from dataclasses import replace

from archive.export.views import GroupView, Link


def page_href(href: str, number: int) -> str:
    """Where page ``number`` of a list page lives: ``…/felting/page/2/index.html``."""
    if number == 1:
        return href
    folder = href.removesuffix("index.html")
    return f"{folder}page/{number}/index.html"


def paged(view: GroupView, size: int) -> list[GroupView]:
    """A list page split into pages of ``size`` tiles; the first keeps the group's path."""
    chunks = [view.tiles[i : i + size] for i in range(0, len(view.tiles), size)] or [()]
    count = len(chunks)
    hrefs = [page_href(view.href, n) for n in range(1, count + 1)]
    result = []
    for number, tiles in enumerate(chunks, start=1):
        links = tuple(
            Link(str(n), None if n == number else hrefs[n - 1]) if n else Link("…")
            for n in _window(number, count)
        )
        result.append(
            replace(
                view,
                href=hrefs[number - 1],
                tiles=tiles,
                total=len(view.tiles),
                page=number,
                pages=count,
                prev_page=hrefs[number - 2] if number > 1 else None,
                next_page=hrefs[number] if number < count else None,
                page_links=links if count > 1 else (),
            )
        )
    return result


def _window(current: int, count: int, around: int = 2) -> list[int]:
    """Page numbers to link: the first, the last and those near ``current``; 0 for a gap."""
    shown = sorted(
        {1, count, *range(current - around, current + around + 1)} & set(range(1, count + 1))
    )
    result: list[int] = []
    for n in shown:
        if result and n - result[-1] == 2:
            result.append(n - 1)  # a gap of one page: show the page, not "…"
        elif result and n - result[-1] > 2:
            result.append(0)
        result.append(n)
    return result
