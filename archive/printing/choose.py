"""Which items go to print: public photos for the months, and public products with a price."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from archive.errors import ArchiveError, UsageProblem
from archive.layout import Layout
from archive.searching import matching_keys
from catalog import collections as store
from catalog.errors import CatalogError
from catalog.models import Item
from catalog.store import Catalog
from media.errors import MediaError

MONTH_WORDS = (
    "january february march april may june july august september october november december"
).split()


@dataclass(frozen=True)
class Refused:
    """An item that was wanted but cannot be printed, and why."""

    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.key}: {self.reason}"


def parse_picks(picks: tuple[str, ...] | list[str]) -> dict[int, str]:
    """``3=3fa2c9`` or ``march=3fa2c9`` → {month number: key}."""
    chosen: dict[int, str] = {}
    for text in picks:
        month_text, sep, key = text.partition("=")
        month = _month_number(month_text.strip().lower())
        if not sep or month is None or not key.strip():
            raise UsageProblem(
                f"--pick {text!r}: write MONTH=KEY, such as 3=3fa2c9 or march=3fa2c9"
            )
        if month in chosen:
            raise UsageProblem(f"--pick names month {month_text.strip()} twice")
        chosen[month] = key.strip()
    return chosen


def _month_number(text: str) -> int | None:
    if re.fullmatch(r"\d{1,2}", text) and 1 <= int(text) <= 12:
        return int(text)
    for number, word in enumerate(MONTH_WORDS, start=1):
        if len(text) >= 3 and word.startswith(text):
            return number
    return None


def printable(item: Item) -> str | None:
    """Why ``item`` may not be printed, or None when it may."""
    if not item.is_public:
        return f"its consent is {item.consent!r}, not public: it is never printed"
    if item.kind != "photo":
        return f"it is a {item.kind}, not a photo"
    if not item.width or not item.height:
        return "its size is unknown (the original could not be read at ingest)"
    return None


def candidates(
    layout: Layout, catalog: Catalog, *, query: str | None, collection: str | None
) -> list[Item]:
    """Public photos found by ``query`` or in ``collection`` (all public photos without
    either), the best first: the largest, then by key."""
    if query is not None and collection is not None:
        raise UsageProblem("give --query or --collection, not both")
    if collection is not None:
        try:
            keys = set(store.members(catalog, collection))
        except CatalogError as exc:
            raise ArchiveError(str(exc)) from exc
        items = [i for i in catalog.items(public_only=True) if i.key in keys]
    elif query is not None:
        keys = set(matching_keys(layout, catalog, query, locked=False))
        items = [i for i in catalog.items(public_only=True) if i.key in keys]
    else:
        items = catalog.items(public_only=True)
    usable = [i for i in items if printable(i) is None]
    return sorted(usable, key=lambda i: (-(i.width or 0) * (i.height or 0), i.key))


def resolve_picks(catalog: Catalog, picks: dict[int, str]) -> dict[int, Item]:
    """The items named by --pick; each must be a public photo, and none named twice."""
    found: dict[int, Item] = {}
    for month, key in sorted(picks.items()):
        try:
            item = catalog.resolve(key)
        except CatalogError as exc:
            raise UsageProblem(f"--pick {key}: {exc}") from exc
        reason = printable(item)
        if reason:
            raise UsageProblem(f"--pick {item.key}: {reason}")
        twice = [m for m, other in found.items() if other.key == item.key]
        if twice:
            raise UsageProblem(f"--pick {item.key} is given for two months; a photo is used once")
        found[month] = item
    return found


def assign(
    months: list[int],
    shapes: dict[int, float],
    picked: dict[int, Item],
    pool: list[Item],
    prepare: Callable[[int, Item], object],
) -> tuple[dict[int, Item], list[Refused]]:
    """A different photo for each month: the picked ones, then for each month in turn the
    best unused photo whose orientation suits its slot (``shapes``: width / height), else
    the best unused one. ``prepare`` makes the print copy and raises MediaError when the
    original cannot be read; that photo is then passed over (and reported)."""
    chosen: dict[int, Item] = {}
    refused: list[Refused] = []
    used = {item.key for item in picked.values()}
    for month, item in sorted(picked.items()):
        try:
            prepare(month, item)
        except MediaError as exc:
            raise ArchiveError(f"--pick {item.key} cannot be printed: {exc}") from exc
        chosen[month] = item
    for month in months:
        if month in chosen:
            continue
        wanted = _orientation(shapes.get(month, 1.0))
        order = [i for i in pool if i.key not in used]
        if wanted != "square":  # photos of the slot's orientation first, the best first
            order.sort(key=lambda i: _orientation(i.width / i.height) not in (wanted, "square"))
        for item in order:
            used.add(item.key)
            try:
                prepare(month, item)
            except MediaError as exc:
                refused.append(Refused(item.key, f"cannot be printed: {exc}"))
                continue
            chosen[month] = item
            break
        else:
            return chosen, refused
    return chosen, refused


def products(
    layout: Layout, catalog: Catalog, *, query: str | None
) -> tuple[list[Item], list[Refused]]:
    """Public items with a price (those ``query`` finds), and the priced ones left out."""
    items = catalog.items(public_only=True)
    if query is not None:
        keys = set(matching_keys(layout, catalog, query, locked=False))
        items = [i for i in items if i.key in keys]
    chosen: list[Item] = []
    left_out: list[Refused] = []
    for item in items:
        if not item.price:
            continue
        reason = printable(item)
        if reason:
            left_out.append(Refused(item.key, reason))
        elif item.available == 0:
            left_out.append(Refused(item.key, "sold out (available = 0)"))
        else:
            chosen.append(item)
    return chosen, left_out


def _orientation(ratio: float) -> str:
    if ratio > 1.05:
        return "landscape"
    if ratio < 0.95:
        return "portrait"
    return "square"
