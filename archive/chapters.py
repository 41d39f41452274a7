"""Setting a video's chapters: time ranges with a process step and a caption."""

from __future__ import annotations

from archive import access, indexing
from archive.errors import ArchiveError, UsageProblem
from archive.layout import Layout
from archive.terms import vocabularies
from catalog.chapters import Chapter, format_time, parse_range
from catalog.errors import CatalogError
from catalog.fields import check_terms
from catalog.models import Item, Kind
from catalog.textlang import detect


def chapters(layout: Layout, key: str) -> Item:
    """The video ``key`` with its chapters, for reading (no lock is taken)."""
    with access.reading(layout) as catalog:
        try:
            return catalog.resolve(key)
        except CatalogError as exc:
            raise ArchiveError(str(exc)) from exc


def change_chapters(
    layout: Layout,
    key: str,
    *,
    add: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    remove: list[int] = (),  # type: ignore[assignment]
    caption_lang: str | None = None,
    actor: str | None = None,
    wait: float = 0.0,
) -> Item:
    """Add chapters (``("0:00-1:30", "washing", "Washing the wool")``) and remove chapters by
    their number (1 = the first); one `edited` event for the change. Returns the item."""
    if not (add or remove):
        raise UsageProblem("nothing to change: give --add or --remove (or --list)")
    terms = vocabularies(layout)
    with access.writing(layout, "chapters", wait=wait) as catalog:
        try:
            item = catalog.resolve(key)
            if item.kind != Kind.VIDEO:
                raise ArchiveError(f"{item.key} is a {item.kind}; only videos have chapters")
            current = list(item.chapters)
            for number in sorted(set(remove), reverse=True):
                if not 1 <= number <= len(current):
                    raise UsageProblem(
                        f"there is no chapter {number} (the video has {len(current)})"
                    )
                del current[number - 1]
            for span, step, caption in add:
                start, end = parse_range(span)
                if item.duration and start >= item.duration:
                    raise UsageProblem(
                        f"{span} starts after the video ends ({item.duration:.0f} s)"
                    )
                slug = check_terms("process_step", step, terms) if step else None
                lang = caption_lang or detect(caption)
                current.append(Chapter(start, end, slug, {lang: caption} if caption else {}))
            catalog.update(item.key, {"chapters": current}, actor=actor, via="chapters")
        except CatalogError as exc:
            raise ArchiveError(str(exc)) from exc
        indexing.update(layout, catalog, {item.key})
        return catalog.get(item.key)


def chapter_rows(item: Item) -> list[tuple[int, str, str | None, str]]:
    """The chapters as a person reads them: number, ``0:00-1:30``, step, caption."""
    return [
        (number, f"{format_time(c.start)}-{format_time(c.end)}", c.process_step, c.text())
        for number, c in enumerate(item.chapters, start=1)
    ]
