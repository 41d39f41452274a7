"""An item's history (every event, with old and new values), and undoing one edit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from archive import access, indexing
from archive.errors import ArchiveError
from archive.layout import Layout
from archive.terms import vocabularies
from catalog import collections
from catalog.errors import CatalogError
from catalog.models import Event, EventAction
from catalog.store import Catalog, plain_value


@dataclass(frozen=True)
class Undone:
    """The edit that was reverted and the event that reverted it."""

    event: Event
    key: str
    field: str
    restored: Any
    new_event: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "undone": self.event.id,
            "key": self.key,
            "field": self.field,
            "restored": self.restored,
            "event": self.new_event,
        }


def history(layout: Layout, key: str) -> tuple[str, list[Event]]:
    """The full key and every event of an item (or of ``collection:SLUG``), oldest first."""
    with access.reading(layout) as catalog:
        if key.startswith(collections.EVENT_PREFIX):
            slug = key[len(collections.EVENT_PREFIX) :]
            try:
                collections.get(catalog, slug)
            except CatalogError as exc:
                raise ArchiveError(str(exc)) from exc
            return key, catalog.events(key)
        try:
            item = catalog.resolve(key)
        except CatalogError as exc:
            raise ArchiveError(str(exc)) from exc
        return item.key, catalog.events(item.key)


def undo(layout: Layout, event_id: int, *, actor: str | None = None, wait: float = 0.0) -> Undone:
    """Put back the old value of the field event ``event_id`` changed, as a new event.

    Refused when the field has changed again since: undo the later edit first.
    """
    terms = vocabularies(layout)
    with access.writing(layout, "history --undo", wait=wait) as catalog:
        try:
            event = catalog.event(event_id)
        except CatalogError as exc:
            raise ArchiveError(str(exc)) from exc
        if event.action != EventAction.EDITED or not event.field:
            raise ArchiveError(
                f"event {event_id} is {event.action!r}, not an edit; only edits can be undone"
            )
        detail = {"undoes": event.id}
        try:
            if event.key.startswith(collections.EVENT_PREFIX):
                _undo_collection(catalog, event, actor)
            else:
                _undo_item(catalog, event, actor, terms, detail)
        except CatalogError as exc:
            raise ArchiveError(f"event {event_id} cannot be undone: {exc}") from exc
        if not event.key.startswith(collections.EVENT_PREFIX):
            indexing.update(layout, catalog, {event.key})
        return Undone(event, event.key, event.field, event.old, catalog.last_event_id())


def _undo_item(
    catalog: Catalog, event: Event, actor: str | None, terms: Any, detail: dict[str, Any]
) -> None:
    item = catalog.get(event.key)
    name = event.field or ""
    if name == "extra":
        _same_or_refuse(item.extra, event)
        catalog.set_extra(event.key, event.old or {})
        return
    if not hasattr(item, name):
        raise CatalogError(f"items no longer have a field {name!r}")
    _same_or_refuse(getattr(item, name), event)
    applied = catalog.update(
        event.key, {name: event.old}, actor=actor, via="undo", terms=None, detail=detail
    )
    if not applied:
        raise CatalogError(f"{name} already holds the old value")


def _undo_collection(catalog: Catalog, event: Event, actor: str | None) -> None:
    slug = event.key[len(collections.EVENT_PREFIX) :]
    current = collections.get(catalog, slug)
    name = event.field or ""
    _same_or_refuse(getattr(current, name), event)
    if name == "item_order":
        collections.set_order(catalog, slug, list(event.old or []), actor=actor)
    else:
        collections.update(catalog, slug, actor=actor, **{name: event.old})


def _same_or_refuse(current: Any, event: Event) -> None:
    now = json.loads(json.dumps(plain_value(current), ensure_ascii=False))
    if now == event.old and now != event.new:
        raise CatalogError(f"{event.field} already holds the old value (undone before?)")
    if now != event.new:
        raise CatalogError(
            f"{event.field} has changed since (it is now {now!r}); undo the later edit first"
        )
