"""Search meets a word in its other forms: Russian lemmas, Tajik stems (docs/search.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.search import SearchIndex
from tests.catalog.test_search import make_item

# (caption, query): the query must find the item captioned so.
RUSSIAN_FORMS = [
    ("Ковры сушатся во дворе", "ковёр"),  # a fleeting vowel: the Snowball stems differ
    ("Старый ковёр", "ковры"),
    ("Платки на базаре", "платок"),
    ("Узоры вяжут зимой", "вязать"),  # a verb form meets its infinitive
    ("Шерстяной носок", "носки"),  # "носки" parses first as носка: every parse counts
    ("Бабушка прядёт пряжу", "прясть"),
]
# (caption, query): derived words stay apart; word families in the vocabularies join them.
RUSSIAN_APART = [
    ("Деревянная ложка", "дерево"),
]


def _found(tmp_path: Path, caption: str, query: str) -> bool:
    index = SearchIndex(tmp_path / "index")
    index.rebuild([make_item("c1c1c1c1c1c1c1c1", title=caption)], 1)
    return bool(index.search(query).hits)


@pytest.mark.parametrize(("caption", "query"), RUSSIAN_FORMS)
def test_a_russian_word_finds_its_other_forms(tmp_path: Path, caption: str, query: str) -> None:
    assert _found(tmp_path, caption, query)


@pytest.mark.parametrize(("caption", "query"), RUSSIAN_APART)
def test_a_derived_russian_word_is_another_word(tmp_path: Path, caption: str, query: str) -> None:
    assert not _found(tmp_path, caption, query)


# (caption, query): a word of a term's family names the term, in any of its forms.
FAMILIES = [
    ("Войлочная шапка", "войлок"),
    ("Войлочная шапка", "technique:felting"),
    ("Узоры вяжут зимой", "knitting"),
    ("Шерстяные носки", "шерсть"),
    ("Woollen socks", "material:sheep-wool"),
    ("Крашеная пряжа", "dyeing"),
]


@pytest.mark.parametrize(("caption", "query"), FAMILIES)
def test_a_word_of_a_family_names_its_term(tmp_path: Path, caption: str, query: str) -> None:
    assert _found(tmp_path, caption, query)
