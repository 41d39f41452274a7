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
from catalog import provenance
from catalog.errors import CatalogError
from catalog.models import LANGUAGE_COLUMNS, LIST_FIELDS, SUBJECT_FIELDS, Item
from catalog.provenance import FROM_FILES, MISSING, SPREADSHEET, Origin, plain
from catalog.store import Catalog

# Columns that say which item a row is about; shown, never imported.
INFO_COLUMNS: tuple[str, ...] = ("key", "file", "kind", "taken_at")
FIELD_COLUMNS: tuple[str, ...] = (
    *LANGUAGE_COLUMNS,
    "maker",
    "photographer",
    *(name for name in SUBJECT_FIELDS if name != "place"),
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
# The catalogue's last event when the sheet was written: what each cell said then is the
# base of the three-way check on import. Hidden in .xlsx; the last column of a CSV.
VERSION_COLUMN = "version"
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
class CellConflict:
    """A cell edited in the sheet whose field was also changed in the archive since."""

    row: int
    key: str
    field: str
    sheet: Any
    archive: Any
    base: Any  # what the cell said when the sheet was written; MISSING without a version
    archive_origin: Origin | None
    forced: bool = False  # applied all the same (--force)

    def to_dict(self) -> dict[str, Any]:
        origin = self.archive_origin
        return {
            "row": self.row,
            "key": self.key,
            "field": self.field,
            "sheet": plain(self.sheet),
            "archive": plain(self.archive),
            "base": None if self.base is MISSING else plain(self.base),
            "has_base": self.base is not MISSING,
            "archive_via": origin.via if origin else None,
            "archive_at": origin.at if origin else None,
            "forced": self.forced,
        }


@dataclass(frozen=True)
class KeptCell:
    """A cell the sheet did not change whose field the archive changed since: left alone."""

    row: int
    key: str
    field: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "key": self.key, "field": self.field}


@dataclass(frozen=True)
class ImportReport:
    changes: tuple[Change, ...]
    problems: tuple[RowProblem, ...]
    rows: int
    applied: bool
    conflicts: tuple[CellConflict, ...] = ()
    kept: tuple[KeptCell, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "applied": self.applied,
            "changes": [c.to_dict() for c in self.changes],
            "problems": [p.to_dict() for p in self.problems],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "kept": [k.to_dict() for k in self.kept],
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
        version = str(catalog.last_event_id())
    header = [*INFO_COLUMNS, *FIELD_COLUMNS, VERSION_COLUMN]
    rows = [[_info(item, c) for c in INFO_COLUMNS] + _cells(item) + [version] for item in items]
    write_table(path, header, rows, hidden=(VERSION_COLUMN,))
    return SheetWritten(str(path), len(rows))


def import_(
    layout: Layout,
    path: Path,
    *,
    dry_run: bool = False,
    partial: bool = False,
    force: bool = False,
    actor: str | None = None,
    wait: float = 0.0,
) -> ImportReport:
    """Apply the cells that differ from the catalogue; one event per changed field.

    Every row is checked first. With any bad row nothing changes, unless ``partial``, when
    the good rows are applied. ``dry_run`` only reports what would change.

    Each differing cell is checked three ways against what it said when the sheet was
    written (the row's version): edited in the sheet only, it is applied; changed in the
    archive only, it is left alone (``kept``); changed in both, it is a conflict and left
    alone unless ``force``. A sheet without versions has no base: a cell replaces a value
    that came from a file or a sheet, or an empty one, and is a conflict with a value a
    person set in another way (edit, app, undo, a time shift).
    """
    layout.require()
    header, rows = read_table(path)
    columns = _columns(header)
    terms = vocabularies(layout)
    with access.writing(layout, "metadata import", wait=wait) as catalog:
        planned: list[tuple[int, str, dict[str, Any], list[Change]]] = []
        problems: list[RowProblem] = []
        clashes: list[CellConflict] = []
        kept: list[KeptCell] = []
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
                version = _version(values.get(VERSION_COLUMN))
                checked = catalog.check(wanted, terms)
            except CatalogError as exc:
                problems.append(RowProblem(number, str(exc)))
                continue
            diff = {n: v for n, v in checked.items() if getattr(item, n) != v}
            origins = provenance.origins(catalog.db, item.key) if diff else {}
            for name in list(diff):
                verdict, base = _three_way(catalog, item, name, diff[name], version, origins)
                if verdict == "kept":
                    kept.append(KeptCell(number, item.key, name))
                elif verdict == "conflict":
                    ours, origin = getattr(item, name), origins.get(name)
                    clashes.append(
                        CellConflict(number, item.key, name, diff[name], ours, base, origin, force)
                    )
                if verdict == "kept" or (verdict == "conflict" and not force):
                    del diff[name]
            changes = [Change(item.key, n, getattr(item, n), v) for n, v in diff.items()]
            if diff:
                planned.append((number, item.key, diff, changes))
        apply = not dry_run and (partial or not problems)
        if apply and (planned or clashes):
            with catalog.transaction():
                for number, key, diff, _ in planned:
                    catalog.update(
                        key,
                        diff,
                        actor=actor,
                        via="spreadsheet",
                        detail={"file": path.name, "row": number},
                    )
                for clash in clashes:
                    if not clash.forced:
                        provenance.put_conflict(
                            catalog.db,
                            clash.key,
                            clash.field,
                            SPREADSHEET,
                            theirs=clash.sheet,
                            base=clash.base,
                            via=SPREADSHEET,
                            origin=f"{path.name} row {clash.row}",
                        )
            indexing.update(layout, catalog, {key for _, key, _, _ in planned})
        return ImportReport(
            changes=tuple(c for *_, changes in planned for c in changes),
            problems=tuple(problems),
            rows=len(rows),
            applied=apply,
            conflicts=tuple(clashes),
            kept=tuple(kept),
        )


def _version(cell: str | None) -> int | None:
    text = (cell or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise CatalogError(f"the {VERSION_COLUMN} column holds {text!r}, not a number")
    return int(text)


def _three_way(
    catalog: Catalog,
    item: Item,
    name: str,
    theirs: Any,
    version: int | None,
    origins: dict[str, Origin],
) -> tuple[str, Any]:
    """``apply``, ``kept`` or ``conflict`` for a cell that differs, and the base it used."""
    ours = plain(getattr(item, name))
    if version is None:
        origin = origins.get(name)
        mine = origin is None or origin.via in (*FROM_FILES, SPREADSHEET)
        return ("apply" if mine or ours in (None, []) else "conflict"), MISSING
    base = provenance.value_after(catalog.db, item.key, name, version)
    base = ours if base is MISSING else plain(base)
    if ours == base:
        return "apply", base
    return ("kept" if plain(theirs) == base else "conflict"), base


def _columns(header: list[str]) -> list[str]:
    if "key" not in header:
        raise ArchiveError("the first row must name the columns, with a 'key' column")
    shown = (*INFO_COLUMNS, *FIELD_COLUMNS, *_ALSO_ACCEPTED, VERSION_COLUMN)
    unknown = [h for h in header if h and h not in shown]
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
