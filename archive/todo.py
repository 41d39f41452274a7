"""What is left to describe: per item, what is missing or wrong, grouped with counts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from archive import access
from archive.config import load
from archive.layout import Layout
from archive.searching import matching_keys
from catalog import provenance
from catalog.models import TEXT_LANGUAGES, Consent, Item

# Every kind of task, in the order a volunteer works through them.
KINDS: tuple[tuple[str, str], ...] = (
    ("conflict", "conflicts to resolve (archive conflicts)"),
    ("not-accepted", "values not accepted (archive check)"),
    ("consent", "consent not decided"),
    ("consent-details", "public without who agreed or when"),
    ("title", "no title in a site language"),
    ("description", "no description in a site language"),
    ("undated", "no date taken"),
    ("keywords", "keywords read from the file, never reviewed"),
)
_LABELS = dict(KINDS)


@dataclass(frozen=True)
class Task:
    key: str
    kind: str
    detail: str
    name: str  # the item's title, else its file name

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "detail": self.detail}


@dataclass(frozen=True)
class Group:
    kind: str
    tasks: tuple[Task, ...]

    @property
    def label(self) -> str:
        return _LABELS[self.kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "count": len(self.tasks),
            "items": [t.to_dict() for t in self.tasks],
        }


@dataclass(frozen=True)
class TodoReport:
    items: int  # how many items were looked at
    languages: tuple[str, ...]
    groups: tuple[Group, ...]

    @property
    def open(self) -> int:
        return sum(len(g.tasks) for g in self.groups)

    def to_dict(self) -> dict[str, Any]:
        by_item: dict[str, list[str]] = {}
        for group in self.groups:
            for task in group.tasks:
                by_item.setdefault(task.key, []).append(group.kind)
        return {
            "items": self.items,
            "languages": list(self.languages),
            "open": self.open,
            "groups": [g.to_dict() for g in self.groups],
            "by_item": by_item,
        }


def todo(layout: Layout, query: str | None = None) -> TodoReport:
    """What each item (or each one ``query`` finds) still lacks: texts in the site's
    languages (archive.toml [site] languages), a consent decision and its details, a
    date, fixes for values not accepted and for conflicts, a look at keywords read from
    the file. Withheld items never go on the site: they need no texts."""
    layout.require()
    languages = tuple(lang for lang in load(layout).site.languages if lang in TEXT_LANGUAGES)
    with access.reading(layout) as catalog:
        keys = None
        if query is not None:
            keys = matching_keys(layout, catalog, query, locked=False)
        items = catalog.items(keys=keys)
        db = catalog.db
        consent_set = set(provenance.field_origins(db, "consent"))
        consent_set |= {r[0] for r in db.execute("SELECT key FROM seen WHERE field = 'consent'")}
        keywords_from = provenance.field_origins(db, "keywords")
        refused: dict[str, list[str]] = {}
        for e in provenance.not_accepted(db):
            refused.setdefault(e.key, []).append(f"{e.field}: {e.value}")
        clashes: dict[str, list[str]] = {}
        for c in provenance.conflicts(db):
            clashes.setdefault(c.key, []).append(f"{c.field} ({c.source})")
    found: dict[str, list[Task]] = {kind: [] for kind, _ in KINDS}
    for item in items:
        name = _name(item)

        def add(kind: str, detail: str, item: Item = item, name: str = name) -> None:
            found[kind].append(Task(item.key, kind, detail, name))

        if item.key in clashes:
            add("conflict", ", ".join(clashes[item.key]))
        if item.key in refused:
            add("not-accepted", ", ".join(refused[item.key]))
        if item.consent == Consent.INTERNAL.value and item.key not in consent_set:
            add("consent", "consent is the default (internal): nobody has decided")
        if item.is_public:
            missing = [
                f for f, v in (("who", item.consent_by), ("when", item.consent_date)) if not v
            ]
            if missing:
                add("consent-details", "no " + " and no ".join(missing))
        if item.consent != Consent.WITHHELD.value:
            for field in ("title", "description"):
                absent = [lang for lang in languages if not getattr(item, f"{field}_{lang}")]
                if absent:
                    add(field, "missing in " + ", ".join(absent))
        if not item.taken_at:
            add("undated", f"archive edit {item.key} --set taken_at=YYYY-MM-DD")
        origin = keywords_from.get(item.key)
        if item.keywords and origin is not None and origin.via in ("embedded", "xmp-sidecar"):
            add("keywords", ", ".join(item.keywords))
    groups = tuple(Group(kind, tuple(found[kind])) for kind, _ in KINDS if found[kind])
    return TodoReport(len(items), languages, groups)


def _name(item: Item) -> str:
    if item.title:
        return item.title
    return PurePath(item.source_paths[0]).name if item.source_paths else ""
