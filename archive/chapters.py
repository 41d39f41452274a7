"""Setting a video's chapters: time ranges with a process step and a caption."""

from __future__ import annotations

from archive import indexing
from archive.errors import ArchiveError
from archive.layout import Layout
from archive.lock import archive_lock
from archive.terms import vocabularies
from catalog.chapters import Chapter, parse_range
from catalog.errors import CatalogError
from catalog.fields import check_terms
from catalog.models import Item
from catalog.store import Catalog
from catalog.textlang import detect


def chapters(
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
    layout.require()
    terms = vocabularies(layout)
    with archive_lock(layout, "chapters", wait=wait), Catalog(layout.catalog) as catalog:
        try:
            item = catalog.resolve(key)
            if not (add or remove):
                return item
            if item.kind != "video":
                raise ArchiveError(f"{item.key} is a {item.kind}; only videos have chapters")
            current = list(item.chapters)
            for number in sorted(set(remove), reverse=True):
                if not 1 <= number <= len(current):
                    raise ArchiveError(
                        f"there is no chapter {number} (the video has {len(current)})"
                    )
                del current[number - 1]
            for span, step, caption in add:
                start, end = parse_range(span)
                if item.duration and start >= item.duration:
                    raise ArchiveError(
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
