"""Sidecar and embedded values onto an item, never over a person's edit unseen (three-way)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from archive.sidecars import SidecarValues
from catalog import provenance
from catalog.errors import InvalidValue
from catalog.fields import normalise, suggestion
from catalog.models import LIST_FIELDS
from catalog.provenance import MISSING, SIDECAR, NotAccepted, Origin, plain
from catalog.store import Catalog, utc_now
from catalog.vocabulary import NAMES as VOCABULARY_FIELDS
from catalog.vocabulary import Vocabularies


@dataclass(frozen=True)
class Merged:
    """What applying one file's values did to its item."""

    changed: bool
    notes: tuple[str, ...]  # every message, for the outcome's reason
    warnings: tuple[str, ...]  # values not accepted
    conflicts: tuple[str, ...]  # fields left alone because a person changed them


def apply(
    catalog: Catalog,
    key: str,
    values: SidecarValues | None,
    terms: Vocabularies,
    *,
    embedded: dict[str, Any] | None = None,
    create_collections: Callable[[Any, str], None] | None = None,
) -> Merged:
    """Apply descriptive values: a sidecar wins over an XMP sidecar file, which wins over
    what is embedded in the file. Each column is checked three ways: the sidecar's new value
    replaces the item's only when the item still holds what the sidecar said last time (or
    a value read from a file); otherwise it is a conflict and nothing changes. A value that
    is not accepted is kept in the item's not-accepted list and said in the notes."""
    now = utc_now()
    incoming: dict[str, tuple[Any, str, str | None]] = {
        name: (value, "embedded", None) for name, value in (embedded or {}).items()
    }
    refused: list[NotAccepted] = []
    if values is not None:
        for name, value in values.fields.items():
            incoming[name] = (value, values.via.get(name, "sidecar"), values.files.get(name))
        refused += [
            NotAccepted(key, r.field, r.value, r.reason, r.via, r.file, now) for r in values.refused
        ]
    item = catalog.get(key)
    origins = provenance.origins(catalog.db, key)
    before = provenance.seen(catalog.db, key, SIDECAR)
    changed = False
    conflicts: list[str] = []
    for name, (value, via, origin) in incoming.items():
        value, bad = _known_terms(name, value, terms)
        refused += [NotAccepted(key, name, label, why, via, origin, now) for label, why in bad]
        if value is MISSING:
            continue
        try:
            if name == "collections" and create_collections is not None:
                create_collections(value, via)
            wanted = catalog.check({name: value}, terms)
        except InvalidValue as exc:
            refused.append(NotAccepted(key, name, _text(value), str(exc), via, origin, now))
            continue
        from_sidecar = via != "embedded"
        take: dict[str, Any] = {}
        for column, theirs in wanted.items():
            ours = getattr(item, column)
            base = before.get(column, MISSING) if from_sidecar else MISSING
            verdict = _decide(theirs, ours, base, origins.get(column))
            if verdict == "apply":
                take[column] = theirs
            if from_sidecar and verdict in ("apply", "same"):
                provenance.remember(catalog.db, key, SIDECAR, column, theirs)
            if from_sidecar and verdict in ("apply", "same", "kept"):
                provenance.drop_conflict(catalog.db, key, column, SIDECAR)
            if verdict == "conflict":
                provenance.put_conflict(
                    catalog.db,
                    key,
                    column,
                    SIDECAR,
                    theirs=theirs,
                    base=base,
                    via=via,
                    origin=origin,
                )
                conflicts.append(_conflict_note(column, ours, origins.get(column), theirs, via))
        if take:
            detail = {"file": origin} if origin else None
            changed |= bool(catalog.update(key, take, via=via, terms=None, detail=detail))
    vias = ({"sidecar", "xmp-sidecar"} if values is not None else set()) | (
        {"embedded"} if embedded is not None else set()
    )
    known = {(e.field, e.value) for e in provenance.not_accepted(catalog.db, key)}
    provenance.replace_not_accepted(catalog.db, key, vias, refused)
    warnings = tuple(f"{_where(e)}{e.reason}" for e in refused)
    if {(e.field, e.value) for e in refused} - known:
        changed = True
    return Merged(changed, (*warnings, *conflicts), warnings, tuple(conflicts))


def _decide(theirs: Any, ours: Any, base: Any, origin: Origin | None) -> str:
    """``same``, ``apply``, ``kept`` (the source did not change it; a person did) or
    ``conflict`` (both changed it)."""
    theirs, ours = plain(theirs), plain(ours)
    if theirs == ours:
        return "same"
    if base is not MISSING:
        if theirs == base:
            return "kept"
        return "apply" if ours == base else "conflict"
    if ours in (None, []) or origin is None or origin.via in provenance.FROM_FILES:
        return "apply"
    return "conflict"


def _known_terms(name: str, value: Any, terms: Vocabularies) -> tuple[Any, list[tuple[str, str]]]:
    """For a vocabulary field: the labels that name a term, and (label, reason) for the rest.
    A list keeps its known labels; a single value with an unknown label gives MISSING."""
    if name not in VOCABULARY_FIELDS or value in (None, "", [], ()):
        return value, []
    try:
        normal = normalise(name, value)
    except InvalidValue:
        return value, []  # the check that follows says what is wrong
    labels = normal if isinstance(normal, tuple) else ((normal,) if normal else ())
    vocabulary = terms[name]
    bad = [
        (label, f"{name}: {label!r} is not a known term{suggestion(vocabulary, label)}")
        for label in labels
        if vocabulary.find(label) is None
    ]
    if not bad:
        return value, []
    good = [label for label in labels if vocabulary.find(label) is not None]
    if name in LIST_FIELDS and good:
        return good, bad
    return MISSING, bad


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def _where(entry: NotAccepted) -> str:
    return f"{PurePath(entry.origin).name}: " if entry.origin else f"{entry.via}: "


def _conflict_note(column: str, ours: Any, origin: Origin | None, theirs: Any, via: str) -> str:
    how = f" ({origin.via}, {origin.at})" if origin else ""
    return (
        f"conflict in {column}: the archive has {plain(ours)!r}{how}, the {via} says "
        f"{plain(theirs)!r}; nothing changed (see `archive conflicts`)"
    )
