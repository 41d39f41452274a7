"""Changing descriptive fields of items, one by one or by query, each change an event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive import access, indexing
from archive.errors import ArchiveError, StaleVersion, UsageProblem
from archive.items import item_version
from archive.layout import Layout
from archive.searching import matching_keys
from archive.terms import add_term, vocabularies
from catalog import provenance
from catalog.errors import CatalogError, InvalidValue
from catalog.fields import EDITABLE_FIELDS, check_terms, column, normalise
from catalog.models import LIST_FIELDS, PER_LANGUAGE_FIELDS
from catalog.store import Catalog
from catalog.vocabulary import NAMES as VOCABULARY_FIELDS
from catalog.vocabulary import Term


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
    new_terms: tuple[Term, ...] = ()  # accepted with --as-new-term

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "items": list(self.keys),
            "changes": [c.to_dict() for c in self.changes],
        }
        if self.new_terms:
            data["new_terms"] = [t.to_dict() for t in self.new_terms]
        return data


def parse_assignment(text: str) -> tuple[str, str]:
    """``field=value`` → (field, value); the field must be one people may edit.
    ``title.tg=…`` names the Tajik title (the column ``title_tg``)."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise UsageProblem(f"{text!r} is not FIELD=VALUE (for example consent=public)")
    return parse_field(name), value


def parse_field(text: str) -> str:
    """A field people may edit, as its column (``title.ru`` → ``title_ru``)."""
    try:
        name = column(text)
    except CatalogError as exc:
        raise UsageProblem(str(exc)) from exc
    if name not in EDITABLE_FIELDS:
        raise UsageProblem(
            f"{name!r} cannot be edited; fields are: {', '.join(sorted(EDITABLE_FIELDS))}"
        )
    return name


def edit(
    layout: Layout,
    keys: list[str],
    *,
    set_: list[str] = (),  # type: ignore[assignment]
    add: list[str] = (),  # type: ignore[assignment]
    remove: list[str] = (),  # type: ignore[assignment]
    unset: list[str] = (),  # type: ignore[assignment]
    new_terms: list[str] = (),  # type: ignore[assignment]
    query: str | None = None,
    actor: str | None = None,
    wait: float = 0.0,
    expected_version: str | None = None,
    via: str = "edit",
) -> EditReport:
    """Apply --set/--add/--remove/--unset/--as-new-term to the items named by ``keys``
    and/or ``query``.

    ``--set title=…`` sets the title in the language it is written in and leaves the
    others; clearing takes ``--unset title.ru`` (or ``--unset title``: every language).
    ``--as-new-term technique=feltin`` accepts a value as a new term of the archive's own
    vocabulary and adds it to the items. With ``expected_version`` (one item only), the
    edit is refused with StaleVersion when the item has changed since that version.
    """
    sets = [parse_assignment(a) for a in set_]
    adds = [parse_assignment(a) for a in add]
    removes = [parse_assignment(a) for a in remove]
    unsets = [parse_field(name) for name in unset]
    accepts = [parse_assignment(a) for a in new_terms]
    for name, _ in adds + removes:
        if name not in LIST_FIELDS:
            raise UsageProblem(
                f"--add and --remove work on list fields ({', '.join(LIST_FIELDS)}), not {name!r}"
            )
    for name, value in sets:
        if name in PER_LANGUAGE_FIELDS and not value.strip():
            raise UsageProblem(
                f"--set {name}= would clear the {name} in every language; clear one language"
                f" with --unset {name}.ru (or every language with --unset {name})"
            )
    for name, value in accepts:
        if name not in VOCABULARY_FIELDS or not value.strip():
            raise UsageProblem(
                f"--as-new-term takes FIELD=VALUE for a vocabulary field "
                f"({', '.join(VOCABULARY_FIELDS)}), not {name}={value}"
            )
    if not (sets or adds or removes or unsets or accepts):
        raise UsageProblem(
            "nothing to change: give --set, --add, --remove, --unset or --as-new-term"
        )
    layout.require()
    with access.writing(layout, "edit", wait=wait) as catalog:
        targets = _targets(layout, catalog, keys, query)
        if not targets:
            raise ArchiveError("no item matches; nothing was changed")
        if expected_version is not None:
            _require_version(catalog, targets, expected_version)
        added = [add_term(layout, name, value) for name, value in accepts]
        terms = vocabularies(layout)
        try:
            checked_removes = [(n, check_terms(n, normalise(n, v), terms)) for n, v in removes]
        except InvalidValue as exc:  # a value typed on the command line: a usage mistake
            raise UsageProblem(str(exc)) from exc
        changes: list[Change] = []
        with catalog.transaction():
            for key in targets:
                item = catalog.get(key)
                wanted: dict[str, Any] = {}
                for name in unsets:
                    wanted[name] = _empty(name)
                for name, value in sets:
                    wanted[name] = value
                try:
                    for name, value in adds:
                        current = list(wanted.get(name, getattr(item, name)))
                        wanted[name] = current + list(normalise(name, value))
                    for name, value in checked_removes:
                        drop = set(value)
                        current = list(wanted.get(name, getattr(item, name)))
                        wanted[name] = [v for v in current if v not in drop]
                    for (name, value), (term, _) in zip(accepts, added, strict=True):
                        if name in LIST_FIELDS:
                            wanted[name] = [*wanted.get(name, getattr(item, name)), term.slug]
                        else:
                            wanted[name] = term.slug
                        provenance.drop_not_accepted(catalog.db, key, name, value)
                    applied = catalog.update(key, wanted, actor=actor, via=via, terms=terms)
                    _confirm(catalog, key, sets, applied, actor, terms)
                except InvalidValue as exc:  # a value typed on the command line
                    raise UsageProblem(f"{key}: {exc}") from exc
                except CatalogError as exc:
                    raise ArchiveError(f"{key}: {exc}") from exc
                changes.extend(Change(key, f, o, n) for f, o, n in applied)
        if changes:
            indexing.update(layout, catalog, {c.key for c in changes})
        if any(new for _, new in added):
            indexing.ensure_current(layout, catalog)
        return EditReport(tuple(targets), tuple(changes), tuple(t for t, new in added if new))


def edit_fields(
    layout: Layout,
    keys: list[str],
    changes: dict[str, Any],
    *,
    expected_version: str | None = None,
    actor: str | None = None,
    wait: float = 0.0,
    via: str = "edit",
) -> EditReport:
    """``edit`` with changes given as data rather than typed words:
    ``{"set": {"title.tg": "…"}, "add": {"technique": ["felting"]}, "remove": {…},
    "unset": ["title.ru"]}``; the same rules and messages as the command line."""
    unknown = sorted(set(changes) - {"set", "add", "remove", "unset"})
    if unknown:
        raise UsageProblem(f"{unknown[0]!r} is not a change; give set, add, remove or unset")
    sets, unsets = [], [str(name) for name in _listed(changes.get("unset"), "unset")]
    for name, value in _fields(changes.get("set"), "set").items():
        if value is None:
            unsets.append(name)
        else:
            sets.append(f"{name}={_text(value)}")
    adds = [f"{n}={_text(v)}" for n, v in _fields(changes.get("add"), "add").items()]
    removes = [f"{n}={_text(v)}" for n, v in _fields(changes.get("remove"), "remove").items()]
    return edit(
        layout,
        keys,
        set_=sets,
        add=adds,
        remove=removes,
        unset=unsets,
        actor=actor,
        wait=wait,
        expected_version=expected_version,
        via=via,
    )


def _fields(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UsageProblem(f"{what} takes an object of FIELD: VALUE, not {value!r}")
    return value


def _listed(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise UsageProblem(f"{what} takes a list of fields, not {value!r}")
    return value


def _text(value: Any) -> str:
    """A value as the command line would type it: lists comma-separated."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _require_version(catalog: Catalog, targets: list[str], expected: str) -> None:
    if len(targets) != 1:
        raise UsageProblem("an expected version names one item, not several")
    current = item_version(catalog, targets[0])
    if current != expected.strip():
        raise StaleVersion(targets[0], expected, current)


def _confirm(
    catalog: Catalog,
    key: str,
    sets: list[tuple[str, str]],
    applied: list[tuple[str, Any, Any]],
    actor: str | None,
    terms: Any,
) -> None:
    """A field --set to the value it holds is confirmed by a person: it counts as theirs
    (consent decided, keywords from the file reviewed)."""
    done = {field for field, _, _ in applied}
    same = []
    for name, value in sets:
        for field, new in catalog.check({name: value}, terms).items():
            if field not in done:
                same.append((field, new, new))
    if same:
        provenance.record(catalog.db, key, same, {"via": "edit", "actor": actor})


def _empty(name: str) -> Any:
    """What --unset puts in a field: nothing, an empty list, or consent's default."""
    if name in LIST_FIELDS:
        return []
    return "internal" if name == "consent" else None


def targets(
    layout: Layout, catalog: Catalog, keys: list[str], query: str | None, *, locked: bool = True
) -> list[str]:
    """The full keys named by ``keys`` (prefixes) and found by the search ``query``;
    ``locked`` says whether the caller holds the write lock (see matching_keys)."""
    found: dict[str, None] = {}
    for key in keys:
        try:
            found[catalog.resolve(key).key] = None
        except CatalogError as exc:
            raise ArchiveError(str(exc)) from exc
    if query is not None:
        for key in matching_keys(layout, catalog, query, locked=locked):
            found[key] = None
    return list(found)


_targets = targets
