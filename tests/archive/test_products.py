"""Products: price, dimensions and stock, set by sidecar, by `archive edit` and by spreadsheet."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from tests.archive.conftest import Cli


def _products(cli: Cli, photos: Path) -> dict[str, str]:
    (photos / "IMG_0001.jpg.toml").write_text(
        'title = "Jurab socks"\nprice = "25,50 €"\ndimensions = "24 × 10 cm"\navailable = 3\n',
        encoding="utf-8",
    )
    (photos / "IMG_0002.jpg.toml").write_text('price = "25"\n', encoding="utf-8")
    result = cli("ingest", str(photos), "--jobs", "1", code=None)
    keys = {Path(i["source_paths"][0]).name: i["key"] for i in cli.json("list")}
    keys["ingest output"] = result.stderr
    return keys


def test_a_sidecar_sets_price_dimensions_and_stock(cli: Cli, photos: Path):
    keys = _products(cli, photos)
    item = cli.json("show", keys["IMG_0001.jpg"])
    assert (item["price"], item["dimensions"], item["available"]) == ("25.50 EUR", "24 × 10 cm", 3)


def test_a_price_without_currency_in_a_sidecar_is_refused_with_a_reason(cli: Cli, photos: Path):
    keys = _products(cli, photos)
    assert cli.json("show", keys["IMG_0002.jpg"])["price"] is None
    line = next(x for x in keys["ingest output"].splitlines() if "IMG_0002.jpg" in x)
    assert "IMG_0002.jpg.toml: price '25' has no currency" in line and "25 EUR" in line


def test_edit_sets_a_price_and_records_the_change(cli: Cli, photos: Path):
    keys = _products(cli, photos)
    key = keys["IMG_0002.jpg"]
    cli("edit", key, "--set", "price=EUR 40", "--set", "available=0")
    item = cli.json("show", key)
    assert (item["price"], item["available"]) == ("40 EUR", 0)
    history = [(e["field"], e["new"]) for e in item["events"] if e["action"] == "edited"]
    assert ("price", "40 EUR") in history and ("available", 0) in history
    bad = cli("edit", key, "--set", "price=forty", code=2)
    assert "no amount" in bad.stderr and cli.json("show", key)["price"] == "40 EUR"


def test_the_spreadsheet_round_trips_products(cli: Cli, photos: Path, tmp_path: Path):
    keys = _products(cli, photos)
    sheet = tmp_path / "items.xlsx"
    cli("metadata", "export", str(sheet))
    book = openpyxl.load_workbook(sheet)
    rows = list(book.active.iter_rows())
    header = [c.value for c in rows[0]]
    assert {"price", "dimensions", "available"} <= set(header)
    assert cli.json("metadata", "import", str(sheet))["changes"] == []  # nothing edited
    for row in rows[1:]:
        if row[0].value == keys["IMG_0002.jpg"]:
            row[header.index("price")].value = "1 200 TJS"
            row[header.index("available")].value = 2
    book.save(sheet)
    report = cli.json("metadata", "import", str(sheet))
    assert sorted((c["field"], c["new"]) for c in report["changes"]) == [
        ("available", 2),
        ("price", "1200 TJS"),
    ]
    csv_sheet = tmp_path / "items.csv"
    cli("metadata", "export", str(csv_sheet))
    with csv_sheet.open(encoding="utf-8-sig") as handle:
        row = next(r for r in csv.DictReader(handle) if r["key"] == keys["IMG_0001.jpg"])
    assert (row["price"], row["available"]) == ("25.50 EUR", "3")
