"""Conflicts between a person's edit and a changed sidecar or sheet: listing and resolving them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive import access, indexing
from archive.errors import ArchiveError, UsageProblem
from archive.layout import Layout
from catalog import provenance
from catalog.errors import CatalogError
from catalog.fields import column
from catalog.models import EventAction
from catalog.provenance import SIDECAR, SPREADSHEET, Conflict, Origin, plain
from catalog.store import Catalog

SIDES: tuple[str, ...] = (SIDECAR, SPREADSHEET, "archive")


@dataclass(frozen=True)
class ConflictView:
    """A conflict with the value the archive holds now and how it got it."""

    conflict: Conflict
    ours: Any
    ours_origin: Origin | None

    def to_dict(self) -> dict[str, Any]:
        c = self.conflict
        origin = self.ours_origin
        return {
            "key": c.key,
            "field": c.field,
            "source": c.source,
            "theirs": {"value": c.theirs, "via": c.via, "from": c.origin, "at": c.at},
            "archive": {
                "value": plain(self.ours),
                "via": origin.via if origin else None,
                "from": origin.origin if origin else None,
                "at": origin.at if origin else None,
                "actor": origin.actor if origin else None,
            },
            "base": c.to_dict()["base"],
            "has_base": c.to_dict()["has_base"],
        }


@dataclass(frozen=True)
class Resolved:
    key: str
    field: str
    source: str
    took: str  # sidecar, spreadsheet or archive
    value: Any  # what the field holds now

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "field": self.field,
            "source": self.source,
            "took": self.took,
            "value": plain(self.value),
        }


@dataclass(frozen=True)
class ResolveReport:
    resolved: tuple[Resolved, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"resolved": [r.to_dict() for r in self.resolved]}


def listing(
    layout: Layout, key: str | None = None, field: str | None = None
) -> tuple[ConflictView, ...]:
    """Every open conflict (of one item, one field), with both values and where each came from."""
    with access.reading(layout) as catalog:
        return tuple(_views(catalog, *_filter(catalog, key, field)))


def _views(catalog: Catalog, key: str | None, field: str | None) -> list[ConflictView]:
    views = []
    items: dict[str, Any] = {}
    for c in provenance.conflicts(catalog.db, key=key, field=field):
        if c.key not in items:
            items[c.key] = (catalog.get(c.key), provenance.origins(catalog.db, c.key))
        item, origins = items[c.key]
        views.append(ConflictView(c, getattr(item, c.field, None), origins.get(c.field)))
    return views


def _filter(catalog: Catalog, key: str | None, field: str | None) -> tuple[str | None, str | None]:
    try:
        full = catalog.resolve(key).key if key else None
        return full, column(field) if field else None
    except CatalogError as exc:
        raise ArchiveError(str(exc)) from exc


def curation_of(catalog: Catalog, key: str) -> dict[str, Any]:
    """What `archive show --json` adds: where each field's value came from, the values not
    accepted and the open conflicts of one item."""
    return {
        "provenance": {f: o.to_dict() for f, o in provenance.origins(catalog.db, key).items()},
        "not_accepted": [e.to_dict() for e in provenance.not_accepted(catalog.db, key)],
        "conflicts": [v.to_dict() for v in _views(catalog, key, None)],
    }


def resolve(
    layout: Layout,
    take: str,
    key: str | None = None,
    field: str | None = None,
    *,
    every: bool = False,
    actor: str | None = None,
    wait: float = 0.0,
) -> ResolveReport:
    """Settle conflicts: ``take`` the sidecar's (or sheet's) value, or keep the archive's.

    One conflict is named by ``key`` and ``field``; with ``every``, all of them (of that
    source; ``archive`` keeps the archive's value in every conflict), or all of one item.
    Keeping the archive's value makes the sidecar's current value count as seen, so the
    next ingest leaves the field alone until the sidecar changes it again.
    """
    if take not in SIDES:
        raise UsageProblem(f"--take sidecar, spreadsheet or archive, not {take!r}")
    if not every and not (key and field):
        raise UsageProblem("name the conflict by KEY and FIELD, or give --all")
    with access.writing(layout, "conflicts --take", wait=wait) as catalog:
        key, field = _filter(catalog, key, field)
        source = None if take == "archive" else take
        found = provenance.conflicts(catalog.db, key=key, field=field, source=source)
        if not found:
            what = f" for {key} {field}" if key and field else ""
            side = f" from a {take}" if source else ""
            raise ArchiveError(f"no conflict{side}{what}; `archive conflicts` lists them")
        done: list[Resolved] = []
        with catalog.transaction():
            for c in found:
                done.append(_settle(catalog, c, take, actor))
        indexing.update(layout, catalog, {r.key for r in done if r.took != "archive"})
        return ResolveReport(tuple(done))


def _settle(catalog: Catalog, c: Conflict, take: str, actor: str | None) -> Resolved:
    detail = {"resolves": "conflict", **({"file": c.origin} if c.origin else {})}
    if take == "archive":
        ours = getattr(catalog.get(c.key), c.field)
        catalog.add_event(
            c.key,
            EventAction.RESOLVED,
            field=c.field,
            old=c.theirs,
            new=plain(ours),
            detail={"via": "conflicts", "took": "archive", "source": c.source, "actor": actor},
        )
    else:
        catalog.update(c.key, {c.field: c.theirs}, actor=actor, via=c.source, detail=detail)
    if c.source == SIDECAR:
        provenance.remember(catalog.db, c.key, SIDECAR, c.field, c.theirs)
    provenance.drop_conflict(catalog.db, c.key, c.field, c.source)
    return Resolved(c.key, c.field, c.source, take, getattr(catalog.get(c.key), c.field))
