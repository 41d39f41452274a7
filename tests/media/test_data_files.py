"""tests/data: small real files, each named for its case and listed with its source and licence."""

from __future__ import annotations

import csv
from pathlib import Path

MAX_TOTAL_BYTES = 3_000_000


def _licences(data_dir: Path) -> dict[str, dict[str, str]]:
    with open(data_dir / "LICENSES.tsv", encoding="utf-8", newline="") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


def _media_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.iterdir() if p.is_file() and p.name != "LICENSES.tsv")


def test_every_data_file_has_a_source_and_licence(data_dir: Path) -> None:
    licences = _licences(data_dir)
    names = {p.name for p in _media_files(data_dir)}
    assert names == set(licences), "LICENSES.tsv and tests/data disagree"
    for name, row in licences.items():
        assert row["source_repo"].count("/") == 1, name
        assert row["license"].strip(), name


def test_data_files_stay_small(data_dir: Path) -> None:
    total = sum(p.stat().st_size for p in _media_files(data_dir))
    assert total < MAX_TOTAL_BYTES, f"tests/data holds {total / 1e6:.1f} MB"
