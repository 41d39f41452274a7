"""Reading and writing tables as .xlsx (openpyxl) or .csv, the way Excel reads and writes them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from archive.errors import ArchiveError
from archive.sweep import sweep_beside
from media.temporary import temporary_path

SUFFIXES = (".xlsx", ".csv")
Cell = str | None

# A CSV cell that starts with one of these is run as a formula by Excel and LibreOffice
# (CSV injection); it is written with an apostrophe in front, which they show as text.
# Reading takes one apostrophe off a cell of apostrophes and such a start, in CSV and in
# xlsx (a CSV opened and saved again as .xlsx keeps the apostrophe); so a value that
# already starts that way gets one more on export, and every value survives the trip.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_GUARDED = re.compile(r"'+[=+\-@\t\r]")


def write_table(
    path: Path, header: list[str], rows: list[list[Cell]], *, hidden: tuple[str, ...] = ()
) -> None:
    """Write a table; CSV is UTF-8 with a BOM (so Excel shows Cyrillic) and commas, and
    no cell of either kind can become a formula. The ``hidden`` columns are hidden in .xlsx."""
    suffix = _suffix(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_beside(path)  # what a killed export of the same file left
    temporary = temporary_path(path)
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        if suffix == ".csv":
            with open(temporary, "w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(header)
                writer.writerows([[_guard(v, _FORMULA) or "" for v in row] for row in rows])
        else:
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.title = "items"
            sheet.append(header)
            for row in rows:
                sheet.append([None] * len(row))
                for column, value in enumerate(row, start=1):
                    cell = sheet.cell(row=sheet.max_row, column=column)
                    cell.value = _guard(value, _GUARDED)
                    if isinstance(value, str):
                        cell.data_type = "s"  # text, never a formula
            sheet.freeze_panes = "B2"
            for number, name in enumerate(header, start=1):
                if name in hidden:
                    sheet.column_dimensions[get_column_letter(number)].hidden = True
            book.save(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[Cell]]]]:
    """The header and (row number, cells) of each non-empty row, cells as text.

    CSV: UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or Windows-1251;
    commas, semicolons (Excel in many locales) or tabs.
    """
    suffix = _suffix(path)
    try:
        if suffix == ".csv":
            table = _read_csv(path.read_bytes())
        else:
            table = _read_xlsx(path)
    except OSError as exc:
        raise ArchiveError(f"{path} cannot be read: {exc.strerror or exc}") from exc
    if not table:
        raise ArchiveError(f"{path} is empty: it needs a header row")
    header = [(c or "").strip() for c in table[0]]
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        cells = list(cells) + [None] * (len(header) - len(cells))
        if any((c or "").strip() for c in cells):
            rows.append((number, cells))
    return header, rows


def _read_csv(raw: bytes) -> list[list[Cell]]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1251")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[_unguard(cell) for cell in row] for row in rows]


def _guard(value: Cell, pattern: re.Pattern[str]) -> Cell:
    return "'" + value if value and pattern.match(value) else value


def _unguard(cell: Cell) -> Cell:
    return cell[1:] if cell and _GUARDED.match(cell) else cell


def _read_xlsx(path: Path) -> list[list[Cell]]:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise ArchiveError(f"{path} is not an .xlsx workbook: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        return [[_unguard(_text(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _text(value: Any) -> Cell:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ArchiveError(f"{path.name}: write .xlsx or .csv")
    return suffix
