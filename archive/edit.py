"""Changing descriptive fields of items, one by one or by query, each change an event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive import access, indexing
from archive.errors import ArchiveError, UsageProblem
from archive.layout import Layout
from archive.searching import matching_keys
from archive.terms import vocabularies
from catalog.errors import CatalogError, InvalidValue
from catalog.fields import EDITABLE_FIELDS, check_terms, normalise
from catalog.models import LIST_FIELDS
from catalog.store import Catalog


@dataclass(frozen=True)
class Change:
    key: str
    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "field": self.field,
            "old": list(self.old) if isinstance(self.old, tuple) else self.old,
            "new": list(self.new) if isinstance(self.new, tuple) else self.new,
        }


@dataclass(frozen=True)
class EditReport:
    keys: tuple[str, ...]
    changes: tuple[Change, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"items": list(self.keys), "changes": [c.to_dict() for c in self.changes]}


def parse_assignment(text: str) -> tuple[str, str]:
    """``field=value`` → (field, value); the field must be one people may edit."""
    name, sep, value = text.partition("=")
    name = name.strip().lower()
    if not sep or not name:
        raise UsageProblem(f"{text!r} is not FIELD=VALUE (for example consent=public)")
    if name not in EDITABLE_FIELDS:
        raise UsageProblem(
            f"{name!r} cannot be edited; fields are: {', '.join(sorted(EDITABLE_FIELDS))}"
        )
    return name, value


def edit(
    layout: Layout,
    keys: list[str],
    *,
    set_: list[str] = (),  # type: ignore[assignment]
    add: list[str] = (),  # type: ignore[assignment]
    remove: list[str] = (),  # type: ignore[assignment]
    query: str | None = None,
    actor: str | None = None,
    wait: float = 0.0,
) -> EditReport:
    """Apply --set/--add/--remove to the items named by ``keys`` and/or ``query``."""
    sets = [parse_assignment(a) for a in set_]
    adds = [parse_assignment(a) for a in add]
    removes = [parse_assignment(a) for a in remove]
    for name, _ in adds + removes:
        if name not in LIST_FIELDS:
            raise UsageProblem(
                f"--add and --remove work on list fields ({', '.join(LIST_FIELDS)}), not {name!r}"
            )
    if not (sets or adds or removes):
        raise UsageProblem("nothing to change: give --set, --add or --remove")
    layout.require()
    terms = vocabularies(layout)
    try:
        removes = [(n, check_terms(n, normalise(n, v), terms)) for n, v in removes]
    except InvalidValue as exc:  # a value typed on the command line: a usage mistake
        raise UsageProblem(str(exc)) from exc
    with access.writing(layout, "edit", wait=wait) as catalog:
        targets = _targets(layout, catalog, keys, query)
        if not targets:
            raise ArchiveError("no item matches; nothing was changed")
        changes: list[Change] = []
        with catalog.transaction():
            for key in targets:
                item = catalog.get(key)
                wanted: dict[str, Any] = {}
                for name, value in sets:
                    wanted[name] = value
                try:
                    for name, value in adds:
                        current = list(wanted.get(name, getattr(item, name)))
                        wanted[name] = current + list(normalise(name, value))
                    for name, value in removes:
                        drop = set(value)
                        current = list(wanted.get(name, getattr(item, name)))
                        wanted[name] = [v for v in current if v not in drop]
                    applied = catalog.update(key, wanted, actor=actor, via="edit", terms=terms)
                except InvalidValue as exc:
                    raise UsageProblem(f"{key}: {exc}") from exc
                except CatalogError as exc:
                    raise ArchiveError(f"{key}: {exc}") from exc
                changes.extend(Change(key, f, o, n) for f, o, n in applied)
        if changes:
            indexing.update(layout, catalog, {c.key for c in changes})
        return EditReport(tuple(targets), tuple(changes))


def _targets(layout: Layout, catalog: Catalog, keys: list[str], query: str | None) -> list[str]:
    found: dict[str, None] = {}
    for key in keys:
        try:
            found[catalog.resolve(key).key] = None
        except CatalogError as exc:
            raise ArchiveError(str(exc)) from exc
    if query is not None:
        for key in matching_keys(layout, catalog, query, locked=True):
            found[key] = None
    return list(found)
