"""Collections and events: named, ordered groups of items, with descriptions per language."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from catalog.errors import CatalogError, InvalidValue
from catalog.fields import collection_slug, parse_date
from catalog.models import TEXT_LANGUAGES, EventAction
from catalog.store import Catalog, utc_now

KINDS = ("collection", "event")
# Events about a collection are kept under this key prefix in the events table.
EVENT_PREFIX = "collection:"


@dataclass(frozen=True)
class Collection:
    """A named group of items; an event also has dates and a place."""

    slug: str
    kind: str = "collection"
    title: dict[str, str] = field(default_factory=dict, hash=False)
    description: dict[str, str] = field(default_factory=dict, hash=False)
    date_start: str | None = None
    date_end: str | None = None
    place: str | None = None
    item_order: tuple[str, ...] = ()  # keys placed by hand, in order
    created_at: str | None = None
    updated_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "kind": self.kind,
            "title": dict(self.title),
            "description": dict(self.description),
            "date_start": self.date_start,
            "date_end": self.date_end,
            "place": self.place,
            "item_order": list(self.item_order),
        }


_EDITABLE = ("kind", "title", "description", "date_start", "date_end", "place")


def get(catalog: Catalog, slug: str) -> Collection:
    row = catalog.db.execute("SELECT * FROM collections WHERE slug = ?", (slug,)).fetchone()
    if row is None:
        raise CatalogError(f"no collection named {slug!r}; `archive collection list` shows them")
    return _from_row(row)


def all_collections(catalog: Catalog) -> list[Collection]:
    rows = catalog.db.execute(
        "SELECT * FROM collections ORDER BY date_start IS NULL, date_start, slug"
    )
    return [_from_row(r) for r in rows]


def create(
    catalog: Catalog, slug: str, *, actor: str | None = None, via: str = "collection", **values: Any
) -> Collection:
    """A new collection (an event when ``kind="event"``), with a `created` event."""
    slug = collection_slug(slug)
    if not slug:
        raise InvalidValue("a collection needs a name (letters, digits and hyphens)")
    if catalog.has_collection(slug):
        raise CatalogError(f"the collection {slug!r} already exists")
    clean = _check(values)
    now = utc_now()
    with catalog.transaction():
        catalog.db.execute(
            "INSERT INTO collections (slug, created_at, updated_at) VALUES (?, ?, ?)",
            (slug, now, now),
        )
        _write(catalog, slug, clean)
        detail = {"via": via, **({"actor": actor} if actor else {})}
        catalog.add_event(
            EVENT_PREFIX + slug, EventAction.CREATED, new=_plain(clean), detail=detail
        )
        catalog._bump()
    return get(catalog, slug)


def update(
    catalog: Catalog, slug: str, *, actor: str | None = None, **values: Any
) -> list[tuple[str, Any, Any]]:
    """Change a collection's fields; one `edited` event per field that changes."""
    current = get(catalog, slug)
    clean = _check(values)
    applied = []
    with catalog.transaction():
        for name, new in clean.items():
            old = getattr(current, name)
            if old == new:
                continue
            _write(catalog, slug, {name: new})
            catalog.add_event(
                EVENT_PREFIX + slug,
                EventAction.EDITED,
                field=name,
                old=old,
                new=new,
                detail={"via": "collection", **({"actor": actor} if actor else {})},
            )
            applied.append((name, old, new))
    return applied


def members(catalog: Catalog, slug: str) -> list[str]:
    """The keys of a collection's items: those placed by hand in their order, then the
    others by date taken."""
    collection = get(catalog, slug)
    inside = [i.key for i in catalog.items() if slug in i.collections]
    placed = [k for k in collection.item_order if k in inside]
    return placed + [k for k in inside if k not in placed]


def set_order(catalog: Catalog, slug: str, keys: list[str], *, actor: str | None = None) -> None:
    """Record the hand-made order of a collection's items (an event when it changes)."""
    current = get(catalog, slug)
    new = tuple(dict.fromkeys(keys))
    if new == current.item_order:
        return
    with catalog.transaction():
        catalog.db.execute(
            "UPDATE collections SET item_order = ?, updated_at = ? WHERE slug = ?",
            (json.dumps(list(new)), utc_now(), slug),
        )
        catalog.add_event(
            EVENT_PREFIX + slug,
            EventAction.EDITED,
            field="item_order",
            old=list(current.item_order),
            new=list(new),
            detail={"via": "collection", **({"actor": actor} if actor else {})},
        )
        catalog._bump()


def _check(values: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name not in _EDITABLE:
            raise InvalidValue(f"a collection has no field {name!r}")
        if name == "kind":
            if value not in KINDS:
                raise InvalidValue(f"kind must be collection or event, not {value!r}")
            clean[name] = value
        elif name in ("title", "description"):
            texts = {str(k): str(v).strip() for k, v in (value or {}).items() if str(v).strip()}
            unknown = set(texts) - set(TEXT_LANGUAGES)
            if unknown:
                raise InvalidValue(
                    f"{name} languages are {', '.join(TEXT_LANGUAGES)}, not {sorted(unknown)}"
                )
            clean[name] = texts
        elif name in ("date_start", "date_end"):
            clean[name] = parse_date(value)
        else:
            clean[name] = (str(value).strip() or None) if value is not None else None
    start, end = clean.get("date_start"), clean.get("date_end")
    if start and end and end < start:
        raise InvalidValue(f"the event ends ({end}) before it starts ({start})")
    return clean


def _write(catalog: Catalog, slug: str, values: dict[str, Any]) -> None:
    for name, value in values.items():
        stored = json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value
        catalog.db.execute(
            f"UPDATE collections SET {name} = ?, updated_at = ? WHERE slug = ?",
            (stored, utc_now(), slug),
        )


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, {}, "")}


def _from_row(row: Any) -> Collection:
    data = dict(row)
    return Collection(
        slug=data["slug"],
        kind=data["kind"],
        title=json.loads(data["title"] or "{}"),
        description=json.loads(data["description"] or "{}"),
        date_start=data["date_start"],
        date_end=data["date_end"],
        place=data["place"],
        item_order=tuple(json.loads(data["item_order"] or "[]")),
        created_at=data["created_at"],
        updated_at=data["updated_at"],
    )
