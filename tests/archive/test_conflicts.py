"""A person's edit is never overwritten unseen: a changed sidecar or a stale spreadsheet that
meets it is a conflict, reported, listed with both values, and resolved by hand."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.archive.conftest import SAMPLES, Cli

WORKSHOP = SAMPLES / "khorog-workshop"


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    """Three sample photos of the Khorog felt workshop with their sidecars."""
    folder = tmp_path / "khorog-workshop"
    folder.mkdir()
    for name in ("felt-drying.jpg", "pattern-layout.jpg", "artisan-portrait.jpg"):
        shutil.copy2(WORKSHOP / name, folder / name)
        shutil.copy2(WORKSHOP / f"{name}.toml", folder / f"{name}.toml")
    shutil.copy2(WORKSHOP / "_folder.toml", folder / "_folder.toml")
    return folder


def _keys(cli: Cli) -> dict[str, str]:
    return {Path(i["source_paths"][0]).name: i["key"] for i in cli.json("list")}


def _show(cli: Cli, key: str) -> dict:
    return cli.json("show", key)


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_changed_sidecar_line_never_reverts_an_edit_of_another_field(cli: Cli, workshop: Path):
    cli("ingest", str(workshop), "--jobs", "1")
    key = _keys(cli)["felt-drying.jpg"]
    cli("edit", key, "--set", "title=Felt rug drying behind the workshop")
    sidecar = workshop / "felt-drying.jpg.toml"
    _rewrite(sidecar, 'process_step = ["drying"]', 'process_step = ["drying", "finishing"]')
    report = cli.json("ingest", str(workshop), "--jobs", "1", "--quiet")
    outcome = next(o for o in report["outcomes"] if o["path"].endswith("felt-drying.jpg"))
    assert outcome["outcome"] == "updated" and "conflicts" not in outcome
    item = _show(cli, key)
    assert item["title_en"] == "Felt rug drying behind the workshop"
    assert item["process_step"] == ["drying", "finishing"]
    assert item["provenance"]["title_en"]["via"] == "edit"
    assert item["provenance"]["process_step"]["via"] == "sidecar"


def test_a_sidecar_that_changes_an_edited_field_is_a_conflict_until_resolved(
    cli: Cli, workshop: Path
):
    cli("ingest", str(workshop), "--jobs", "1")
    keys = _keys(cli)
    key = keys["felt-drying.jpg"]
    cli("edit", key, "--set", "title=Felt rug drying behind the workshop")
    sidecar = workshop / "felt-drying.jpg.toml"
    _rewrite(sidecar, "Felt drying in the sun", "Felt drying in the afternoon sun")
    sidecar.write_text(sidecar.read_text() + 'keywords = ["felt", "drying"]\n', encoding="utf-8")

    result = cli("ingest", str(workshop), "--jobs", "1", "--quiet", "--json", code=3)
    report = json.loads(result.stdout)
    outcome = next(o for o in report["outcomes"] if o["path"].endswith("felt-drying.jpg"))
    assert outcome["outcome"] == "conflict"
    assert report["counts"]["conflict"] == 1 and report["conflicts"] == 1
    assert set(report["counts"]) >= {"added", "duplicate", "updated", "skipped", "failed"}
    assert "1 field in conflict" in result.stderr and "afternoon sun" in result.stderr
    item = _show(cli, key)
    assert item["title_en"] == "Felt rug drying behind the workshop"  # the edit is kept
    assert item["keywords"] == ["felt", "drying"]  # the rest of the sidecar is applied

    listed = cli.json("conflicts")["conflicts"]
    assert len(listed) == 1
    conflict = listed[0]
    assert (conflict["key"], conflict["field"], conflict["source"]) == (key, "title_en", "sidecar")
    assert conflict["archive"]["value"] == "Felt rug drying behind the workshop"
    assert conflict["archive"]["via"] == "edit"
    assert conflict["theirs"]["value"] == "Felt drying in the afternoon sun"
    assert conflict["theirs"]["from"].endswith("felt-drying.jpg.toml")
    assert conflict["base"] == "Felt drying in the sun"
    assert [p["kind"] for p in cli.json("check", code=3)["problems"]] == ["conflict"]

    # A second run over the unchanged sidecar says nothing new and changes nothing.
    again = cli.json("ingest", str(workshop), "--jobs", "1")
    assert again["counts"]["skipped"] == 3
    cli("conflicts", "--take", "archive", key[:8], "title.en")
    assert cli.json("conflicts")["conflicts"] == []
    assert _show(cli, key)["title_en"] == "Felt rug drying behind the workshop"
    assert cli.json("check")["ok"]
    # The sidecar's value counts as seen: touching another line leaves the title alone.
    sidecar.write_text(sidecar.read_text() + 'maker = "Gulnora"\n', encoding="utf-8")
    assert cli.json("ingest", str(workshop), "--jobs", "1")["conflicts"] == 0
    assert _show(cli, key)["title_en"] == "Felt rug drying behind the workshop"


def test_take_sidecar_and_take_all(cli: Cli, workshop: Path):
    cli("ingest", str(workshop), "--jobs", "1")
    keys = _keys(cli)
    for name in ("felt-drying.jpg", "pattern-layout.jpg"):
        cli("edit", keys[name], "--set", f"maker=Edited {name}")
    _rewrite(workshop / "_folder.toml", 'maker = "Women', 'maker = "The women')
    cli("ingest", str(workshop), "--jobs", "1", code=3)
    # artisan-portrait.jpg was not edited: the folder's new maker reaches it.
    assert _show(cli, keys["artisan-portrait.jpg"])["maker"].startswith("The women")
    assert len(cli.json("conflicts")["conflicts"]) == 2

    refused = cli("conflicts", "--take", "sidecar", code=2)
    assert "KEY and FIELD, or give --all" in refused.stderr
    cli("conflicts", "--take", "sidecar", keys["felt-drying.jpg"], "maker")
    assert _show(cli, keys["felt-drying.jpg"])["maker"].startswith("The women")
    done = cli.json("conflicts", "--take", "archive", "--all")["resolved"]
    assert [(d["key"], d["took"]) for d in done] == [(keys["pattern-layout.jpg"], "archive")]
    assert _show(cli, keys["pattern-layout.jpg"])["maker"] == "Edited pattern-layout.jpg"
    events = cli.json("history", keys["pattern-layout.jpg"])["events"]
    assert events[-1]["action"] == "resolved" and events[-1]["detail"]["took"] == "archive"
    assert cli.json("conflicts")["conflicts"] == []


def _sheet_cells(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    return rows[0], rows[1:]


def _write_sheet(path: Path, header: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    path.write_text(out.getvalue(), encoding="utf-8-sig")


def test_a_stale_sheet_never_reverts_an_edit_and_a_double_edit_is_a_conflict(
    cli: Cli, workshop: Path, tmp_path: Path
):
    cli("ingest", str(workshop), "--jobs", "1")
    key = _keys(cli)["pattern-layout.jpg"]
    sheet = tmp_path / "items.csv"
    cli("metadata", "export", str(sheet))
    header, rows = _sheet_cells(sheet)
    assert header[-1] == "version" and all(r[-1].isdigit() for r in rows)

    cli("edit", key, "--set", "title=Laying out the pattern in dyed wool")
    cli("edit", key, "--set", "maker=Gulnora")
    for row in rows:
        if row[0] == key:
            row[header.index("title_en")] = "Designing a felt pattern"  # edited in both
            row[header.index("rights")] = "CC BY 4.0"  # edited in the sheet only
            # maker: edited in the archive only; the sheet still says the old value
    _write_sheet(sheet, header, rows)

    preview = cli.json("metadata", "import", str(sheet), "--dry-run", code=3)
    assert [(c["field"], c["new"]) for c in preview["changes"]] == [("rights", "CC BY 4.0")]
    assert cli.json("conflicts")["conflicts"] == []  # a dry run stores nothing

    result = cli("metadata", "import", str(sheet), code=3)
    assert "row " in result.stderr and "conflict in title_en" in result.stderr
    report = cli.json("metadata", "import", str(sheet), code=3)
    conflict = report["conflicts"][0]
    assert (conflict["key"], conflict["field"]) == (key, "title_en")
    assert conflict["sheet"] == "Designing a felt pattern"
    assert conflict["archive"] == "Laying out the pattern in dyed wool"
    assert conflict["base"] == "Laying out the felt design" and conflict["archive_via"] == "edit"
    assert {(k["field"]) for k in report["kept"]} == {"maker"}
    item = _show(cli, key)
    assert (item["title_en"], item["maker"], item["rights"]) == (
        "Laying out the pattern in dyed wool",
        "Gulnora",
        "CC BY 4.0",
    )
    listed = cli.json("conflicts")["conflicts"]
    assert [(c["source"], c["theirs"]["from"]) for c in listed] == [
        ("spreadsheet", f"items.csv row {rows.index(next(r for r in rows if r[0] == key)) + 2}")
    ]
    cli("conflicts", "--take", "spreadsheet", key, "title_en")
    assert _show(cli, key)["title_en"] == "Designing a felt pattern"


def test_force_applies_the_conflicting_cells(cli: Cli, workshop: Path, tmp_path: Path):
    cli("ingest", str(workshop), "--jobs", "1")
    key = _keys(cli)["pattern-layout.jpg"]
    sheet = tmp_path / "items.xlsx"
    cli("metadata", "export", str(sheet))
    book = openpyxl.load_workbook(sheet)
    header = [c.value for c in next(book.active.iter_rows())]
    letter = openpyxl.utils.get_column_letter(header.index("version") + 1)
    assert book.active.column_dimensions[letter].hidden  # out of the way in Excel
    cli("edit", key, "--set", "title=Laying out the pattern in dyed wool")
    for row in book.active.iter_rows(min_row=2):
        if row[0].value == key:
            row[header.index("title_en")].value = "Designing a felt pattern"
    book.save(sheet)
    report = cli.json("metadata", "import", str(sheet), "--force")
    assert report["conflicts"][0]["forced"] is True
    assert _show(cli, key)["title_en"] == "Designing a felt pattern"
    assert cli.json("conflicts")["conflicts"] == []


def test_a_sheet_without_versions_still_imports_but_never_over_a_cli_edit(
    cli: Cli, workshop: Path, tmp_path: Path
):
    cli("ingest", str(workshop), "--jobs", "1")
    keys = _keys(cli)
    cli("edit", keys["felt-drying.jpg"], "--set", "maker=Gulnora")
    sheet = tmp_path / "old.csv"
    sheet.write_text(
        "key,maker,rights\n"
        f"{keys['felt-drying.jpg']},Nigora,CC BY 4.0\n"
        f"{keys['pattern-layout.jpg']},Nigora,CC BY 4.0\n",
        encoding="utf-8",
    )
    report = cli.json("metadata", "import", str(sheet), code=3)
    assert [(c["key"], c["field"], c["has_base"]) for c in report["conflicts"]] == [
        (keys["felt-drying.jpg"], "maker", False)
    ]
    # The folder sidecar's maker came from a file: the sheet replaces it.
    assert _show(cli, keys["pattern-layout.jpg"])["maker"] == "Nigora"
    assert _show(cli, keys["felt-drying.jpg"])["maker"] == "Gulnora"
    assert _show(cli, keys["felt-drying.jpg"])["rights"] == "CC BY 4.0"
