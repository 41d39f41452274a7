"""The spreadsheet round trip: export, edit in Excel (xlsx or CSV), import exactly the edits."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from tests.archive.conftest import Cli


@pytest.fixture
def described(cli: Cli, photos: Path) -> tuple[Cli, dict[str, str]]:
    (photos / "IMG_0001.jpg.toml").write_text(
        'title = { en = "Felt rug", ru = "Войлочный ковёр", tg = "Қолини намадӣ" }\n'
        'technique = ["felting"]\nkeywords = ["felt", "rug"]\nplace = "khorog"\n',
        encoding="utf-8",
    )
    (photos / "IMG_0002.jpg.toml").write_text('title = "Ҷӯроби пашмин"\n', encoding="utf-8")
    cli("ingest", str(photos), "--jobs", "1")
    keys = {Path(i["source_paths"][0]).name: i["key"] for i in cli.json("list")}
    return cli, keys


def _edited_events(cli: Cli, key: str) -> list[tuple[str, object]]:
    events = cli.json("history", key)["events"]
    return [(e["field"], e["new"]) for e in events if e["detail"].get("via") == "spreadsheet"]


@pytest.mark.parametrize("name", ["items.xlsx", "items.csv"])
def test_an_unedited_round_trip_changes_nothing(described, tmp_path: Path, name: str):
    cli, keys = described
    sheet = tmp_path / name
    cli("metadata", "export", str(sheet))
    report = cli.json("metadata", "import", str(sheet))
    assert report["changes"] == [] and report["problems"] == []
    assert all(_edited_events(cli, key) == [] for key in keys.values())


def test_xlsx_edits_apply_exactly_the_edited_cells(described, tmp_path: Path):
    cli, keys = described
    sheet = tmp_path / "items.xlsx"
    cli("metadata", "export", str(sheet))
    book = openpyxl.load_workbook(sheet)
    rows = list(book.active.iter_rows())
    header = [c.value for c in rows[0]]
    for row in rows[1:]:
        if row[0].value == keys["IMG_0002.jpg"]:
            row[header.index("title_ru")].value = "Шерстяные джурабы"
            row[header.index("technique")].value = "knitting; ҷӯроббофӣ"
            row[header.index("consent")].value = "public"
    book.save(sheet)
    preview = cli.json("metadata", "import", str(sheet), "--dry-run")
    assert not preview["applied"] and len(preview["changes"]) == 3
    assert _edited_events(cli, keys["IMG_0002.jpg"]) == []
    cli("metadata", "import", str(sheet))
    assert sorted(_edited_events(cli, keys["IMG_0002.jpg"])) == [
        ("consent", "public"),
        ("technique", ["knitting"]),
        ("title_ru", "Шерстяные джурабы"),
    ]
    assert _edited_events(cli, keys["IMG_0001.jpg"]) == []


def test_an_excel_csv_with_bom_and_semicolons_is_read(described, tmp_path: Path):
    cli, keys = described
    exported = tmp_path / "items.csv"
    cli("metadata", "export", str(exported))
    assert exported.read_bytes().startswith(b"\xef\xbb\xbf")  # so Excel shows Cyrillic
    rows = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    header = rows[0]
    for row in rows[1:]:
        if row[0] == keys["IMG_0001.jpg"]:
            row[header.index("description_tg")] = "Намад дар офтоб хушк мешавад"
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    excel = tmp_path / "excel.csv"
    excel.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    report = cli.json("metadata", "import", str(excel))
    assert [(c["field"], c["new"]) for c in report["changes"]] == [
        ("description_tg", "Намад дар офтоб хушк мешавад")
    ]


def test_bad_rows_are_named_and_nothing_changes_unless_partial(described, tmp_path: Path):
    cli, keys = described
    sheet = tmp_path / "items.csv"
    sheet.write_text(
        "key,title_en,technique,consent\n"
        f"{keys['IMG_0001.jpg']},Felt rug drying,,internal\n"
        f"{keys['IMG_0002.jpg']},,feltin,internal\n"
        "ffffffffffffffff,,,internal\n",
        encoding="utf-8",
    )
    refused = cli.json("metadata", "import", str(sheet), code=3)
    messages = {p["row"]: p["message"] for p in refused["problems"]}
    assert "'feltin' is not a known term; felting?" in messages[3]
    assert "ffffffffffffffff" in messages[4]
    assert not refused["applied"] and _edited_events(cli, keys["IMG_0001.jpg"]) == []
    cli.json("metadata", "import", str(sheet), "--partial", code=3)
    assert ("title_en", "Felt rug drying") in _edited_events(cli, keys["IMG_0001.jpg"])
    # The emptied technique cell of row 2 is an edit too: felting is removed, with an event.
    assert ("technique", []) in _edited_events(cli, keys["IMG_0001.jpg"])


def test_an_unknown_column_is_refused(described, tmp_path: Path):
    cli, _ = described
    sheet = tmp_path / "items.csv"
    sheet.write_text("key,colour\nabc,red\n", encoding="utf-8")
    result = cli("metadata", "import", str(sheet), code=1)
    assert "unknown columns: colour" in result.stderr


FORMULAS = {
    "title_en": '=HYPERLINK("http://example.com","click")',
    "title_ru": "+7 900 123",
    "description_en": "-12",
    "description_ru": "@SUM(A1)",
    "description_tg": "'=an apostrophe of its own",
}


def test_csv_cells_never_become_formulas_and_come_back_unchanged(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    cli("edit", key, *[arg for f, v in FORMULAS.items() for arg in ("--set", f"{f}={v}")])
    sheet = photos.parent / "items.csv"
    cli("metadata", "export", str(sheet))

    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows[1:] if r[0] == key)
    written = {field: row[rows[0].index(field)] for field in FORMULAS}
    # Excel and LibreOffice show a cell that starts with an apostrophe as text.
    assert written == {field: "'" + value for field, value in FORMULAS.items()}
    report = cli.json("metadata", "import", str(sheet))
    assert report["changes"] == [] and report["problems"] == []

    # A sheet that Excel saved (semicolons, no quotes it does not need): the same.
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([["key", *written], [key, *written.values()]])
    sheet.write_text(out.getvalue(), encoding="utf-8")
    assert cli.json("metadata", "import", str(sheet))["changes"] == []


def test_xlsx_cells_are_text_and_a_csv_saved_as_xlsx_reads_the_same(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    cli("edit", key, *[arg for f, v in FORMULAS.items() for arg in ("--set", f"{f}={v}")])
    sheet = photos.parent / "items.xlsx"
    cli("metadata", "export", str(sheet))
    book = openpyxl.load_workbook(sheet)
    header = [c.value for c in next(book.active.iter_rows())]
    row = next(r for r in book.active.iter_rows(min_row=2) if r[0].value == key)
    cells = {field: row[header.index(field)] for field in FORMULAS}
    assert all(c.data_type == "s" for c in cells.values())  # text, never a formula
    # Only a value that itself starts with an apostrophe and a formula sign gets one more.
    assert {f: c.value for f, c in cells.items()} == {
        **FORMULAS,
        "description_tg": "'" + FORMULAS["description_tg"],
    }
    assert cli.json("metadata", "import", str(sheet))["changes"] == []

    # The CSV export opened in Excel and saved as .xlsx keeps the CSV's apostrophes.
    for field, cell in cells.items():
        cell.value = "'" + FORMULAS[field]
    book.save(sheet)
    assert cli.json("metadata", "import", str(sheet))["changes"] == []
