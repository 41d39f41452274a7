"""The Tajik stemmer gives every word of the table in docs/search.md its stem there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalog.search import SearchIndex
from catalog.tajik import stem, stem_latin
from tests.catalog.test_search import make_item

_DOC = Path(__file__).resolve().parents[2] / "docs" / "search.md"


def _table() -> list[tuple[str, str]]:
    text = _DOC.read_text(encoding="utf-8")
    section = text.split("## Tajik stems", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\S+) \| (\S+) \|$", section, flags=re.MULTILINE)
    return [(word, expected) for word, expected in rows if word != "word"]


def test_the_table_covers_every_rule() -> None:
    words = [word for word, _ in _table()]
    assert len(words) >= 30
    for ending in ("ҳо", "он", "гон", "и", "ро", "ам", "амон", "ашон", "е", "тар", "тарин", "ӣ"):
        assert any(w.endswith(ending) for w in words), ending


@pytest.mark.parametrize(("word", "expected"), _table())
def test_a_word_of_the_table_gets_its_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_a_tajik_plural_finds_its_singular(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    index.rebuild([make_item("d1d1d1d1d1d1d1d1", title="Ҷӯробҳоямон дар бозор")], 1)
    assert [h.key for h in index.search("ҷӯроб").hits] == ["d1d1d1d1d1d1d1d1"]
    assert [h.key for h in index.search("гулдӯзиҳо").hits] == []


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("jurobho", "jurob"),
        ("qolinhoyamonro", "qolin"),
        ("gulduziho", "gulduz"),
        ("kalontar", "kalon"),
    ],
)
def test_a_tajik_word_typed_in_latin_gets_the_folded_stem(word: str, expected: str) -> None:
    assert stem_latin(word) == expected
