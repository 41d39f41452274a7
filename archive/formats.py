"""The PRONOM format of an item: the one recorded at ingest, or read now from its original."""

from __future__ import annotations

from dataclasses import replace

from archive.layout import Layout
from catalog.models import Item
from media.errors import MediaError
from media.pronom import identify


def with_format_id(layout: Layout, item: Item) -> Item:
    """``item`` with ``extra["format_id"]``: items ingested before formats were identified get
    it from their original's first bytes when read (nothing is written back; an original
    that is missing or unreadable leaves the item as it is)."""
    if "format_id" in item.extra or not item.original:
        return item
    try:
        found = identify(layout.absolute(item.original))
    except (MediaError, OSError):
        return item
    return replace(item, extra={**item.extra, "format_id": found.to_dict()})
