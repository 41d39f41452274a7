"""Text from the archive reaches the terminal escaped in every command that prints it: a
right-to-left mark or an escape sequence in a title, caption or cell is shown, not obeyed."""

from __future__ import annotations

from pathlib import Path

from tests.archive.conftest import Cli

RLO = "\u202e"  # shows "gpj.exe" as "exe.jpg"
ESC = "\x1b[2J"  # clears the screen
HOSTILE = f"Felt{RLO}gpj.exe{ESC}"
SHOWN = "Felt\\u202egpj.exe\\x1b[2J"


def _assert_escaped(text: str) -> None:
    assert RLO not in text and "\x1b" not in text, repr(text)
    assert SHOWN in text, repr(text)


def test_collection_list_and_show_escape_titles(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    cli("collection", "create", "felt-2015", "--title", f"en={HOSTILE}")
    _assert_escaped(cli("collection", "list").stdout)
    _assert_escaped(cli("collection", "show", "felt-2015").stdout)


def test_chapters_escape_captions(cli: Cli, data_dir: Path, tmp_path: Path):
    source = tmp_path / "video"
    source.mkdir()
    (source / "clip.webm").write_bytes((data_dir / "no-audio-vp9.webm").read_bytes())
    cli("ingest", str(source), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    changed = cli("chapters", key, "--add", "0:00-0:01", "", HOSTILE)
    _assert_escaped(changed.stdout)
    _assert_escaped(cli("chapters", key, "--list").stdout)


def test_spreadsheet_problems_escape_what_the_sheet_says(cli: Cli, photos: Path, tmp_path: Path):
    """A refused cell is quoted (repr escapes it too); a column name the sheet invented is
    printed as the sheet has it, so only the printer stands between it and the terminal."""
    cli("ingest", str(photos), "--jobs", "1")
    sheet = tmp_path / "items.csv"
    cli("metadata", "export", str(sheet))
    lines = sheet.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("technique")] = HOSTILE  # an unknown term: the row is refused
    sheet.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]), encoding="utf-8-sig")
    refused = cli("metadata", "import", str(sheet), code=3)
    assert "row 2" in refused.stderr
    _assert_escaped(refused.stderr)
    renamed = [lines[0].replace("maker", HOSTILE, 1), *lines[1:]]
    sheet.write_text("\n".join(renamed), encoding="utf-8-sig")
    unknown = cli("metadata", "import", str(sheet), code=1)
    assert "unknown columns" in unknown.stderr
    _assert_escaped(unknown.stderr)


def test_show_and_list_escape_titles(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    cli("edit", key, "--set", f"title={HOSTILE}")
    _assert_escaped(cli("list").stdout)
    _assert_escaped(cli("show", key).stdout)
    _assert_escaped(cli("edit", key, "--set", "title=Plain").stdout)
