"""The spreadsheet round trip: every item's descriptive fields out to .xlsx/.csv and back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive import access, indexing
from archive.edit import Change
from archive.errors import ArchiveError
from archive.layout import Layout
from archive.searching import matching_keys
from archive.spreadsheet import read_table, write_table
from archive.terms import vocabularies
from catalog.errors import CatalogError
from catalog.models import LANGUAGE_COLUMNS, LIST_FIELDS, Item

# Columns that say which item a row is about; shown, never imported.
INFO_COLUMNS: tuple[str, ...] = ("key", "file", "kind", "taken_at")
FIELD_COLUMNS: tuple[str, ...] = (
    *LANGUAGE_COLUMNS,
    "maker",
    "photographer",
    "technique",
    "material",
    "object_type",
    "process_step",
    "keywords",
    "place",
    "event",
    "collections",
    "language",
    "rights",
    "consent",
    "consent_by",
    "consent_date",
    "consent_note",
    "price",
    "dimensions",
    "available",
)
LIST_SEPARATOR = "; "
# Fields people may also use as columns (a plain title goes to the column of its language).
_ALSO_ACCEPTED = ("title", "description")


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "message": self.message}


@dataclass(frozen=True)
class ImportReport:
    changes: tuple[Change, ...]
    problems: tuple[RowProblem, ...]
    rows: int
    applied: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "applied": self.applied,
            "changes": [c.to_dict() for c in self.changes],
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass(frozen=True)
class SheetWritten:
    """Where the spreadsheet went and how many items it holds."""

    path: str
    rows: int

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "rows": self.rows}


def export(layout: Layout, path: Path, *, query: str | None = None) -> SheetWritten:
    """Write one row per item (or per item ``query`` finds), one column per field."""
    with access.reading(layout) as catalog:
        keys = None
        if query is not None:
            keys = matching_keys(layout, catalog, query, locked=False)
        items = catalog.items(keys=keys)
    header = [*INFO_COLUMNS, *FIELD_COLUMNS]
    rows = [[_info(item, c) for c in INFO_COLUMNS] + _cells(item) for item in items]
    write_table(path, header, rows)
    return SheetWritten(str(path), len(rows))


def import_(
    layout: Layout,
    path: Path,
    *,
    dry_run: bool = False,
    partial: bool = False,
    actor: str | None = None,
    wait: float = 0.0,
) -> ImportReport:
    """Apply the cells that differ from the catalogue; one event per changed field.

    Every row is checked first. With any bad row nothing changes, unless ``partial``, when
    the good rows are applied. ``dry_run`` only reports what would change.
    """
    layout.require()
    header, rows = read_table(path)
    columns = _columns(header)
    terms = vocabularies(layout)
    with access.writing(layout, "metadata import", wait=wait) as catalog:
        planned: list[tuple[int, str, dict[str, Any], list[Change]]] = []
        problems: list[RowProblem] = []
        seen: dict[str, int] = {}
        for number, cells in rows:
            values = dict(zip(header, cells, strict=False))
            try:
                item = catalog.resolve((values.get("key") or "").strip())
            except CatalogError as exc:
                problems.append(RowProblem(number, str(exc)))
                continue
            if item.key in seen:
                problems.append(
                    RowProblem(number, f"item {item.key} is already on row {seen[item.key]}")
                )
                continue
            seen[item.key] = number
            wanted = {name: _value(name, values.get(name)) for name in columns}
            try:
                checked = catalog.check(wanted, terms)
            except CatalogError as exc:
                problems.append(RowProblem(number, str(exc)))
                continue
            diff = {n: v for n, v in checked.items() if getattr(item, n) != v}
            changes = [Change(item.key, n, getattr(item, n), v) for n, v in diff.items()]
            if diff:
                planned.append((number, item.key, diff, changes))
        apply = not dry_run and (partial or not problems)
        if apply and planned:
            with catalog.transaction():
                for number, key, diff, _ in planned:
                    catalog.update(
                        key,
                        diff,
                        actor=actor,
                        via="spreadsheet",
                        detail={"file": path.name, "row": number},
                    )
            indexing.update(layout, catalog, {key for _, key, _, _ in planned})
        return ImportReport(
            changes=tuple(c for *_, changes in planned for c in changes),
            problems=tuple(problems),
            rows=len(rows),
            applied=apply,
        )


def _columns(header: list[str]) -> list[str]:
    if "key" not in header:
        raise ArchiveError("the first row must name the columns, with a 'key' column")
    unknown = [h for h in header if h and h not in (*INFO_COLUMNS, *FIELD_COLUMNS, *_ALSO_ACCEPTED)]
    if unknown:
        raise ArchiveError(
            f"unknown columns: {', '.join(unknown)}; columns are: "
            f"{', '.join((*INFO_COLUMNS, *FIELD_COLUMNS))}"
        )
    doubled = sorted({h for h in header if h and header.count(h) > 1})
    if doubled:
        raise ArchiveError(f"columns named twice: {', '.join(doubled)}")
    return [h for h in header if h in FIELD_COLUMNS or h in _ALSO_ACCEPTED]


def _value(name: str, cell: str | None) -> Any:
    text = (cell or "").strip()
    if name in LIST_FIELDS:
        separator = ";" if ";" in text else ","
        return [part.strip() for part in text.split(separator) if part.strip()]
    if name == "consent" and not text:
        return "internal"
    return text or None


def _cells(item: Item) -> list[str | None]:
    cells: list[str | None] = []
    for name in FIELD_COLUMNS:
        value = getattr(item, name)
        if name in LIST_FIELDS:
            cells.append(LIST_SEPARATOR.join(value) if value else None)
        else:
            cells.append(None if value is None else str(value))  # available is a number
    return cells


def _info(item: Item, column: str) -> str | None:
    if column == "file":
        return Path(item.source_paths[0]).name if item.source_paths else None
    return getattr(item, column)
