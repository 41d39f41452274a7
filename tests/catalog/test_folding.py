"""Folding makes Russian, Tajik and Latin spellings of a word compare equal."""

from __future__ import annotations

import pytest

from catalog.folding import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Хорог", "khorog"),
        ("Хоруғ", "khorugh"),
        ("Ҷӯроб", "jurob"),
        ("джурабы", "dzhuraby"),
        ("Мурғоб", "murghob"),
        ("намадмолӣ", "namadmoli"),
        ("гулдӯзӣ", "gulduzi"),
        ("Ванҷ", "vanj"),
        ("Занузҷ", "zanuzj"),
        ("ҳунар", "hunar"),
    ],
)
def test_cyrillic_becomes_latin_as_in_the_vocabulary_table(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_apostrophes_and_hard_sign_are_dropped() -> None:
    assert fold("Роштқалъа") == fold("Roshtqal'a") == fold("Roshtqal’a") == "roshtqala"
    assert fold("Roshtqalʼa") == "roshtqala"


def test_soft_sign_leaves_no_apostrophe() -> None:
    assert fold("шерсть") == "sherst"


def test_yo_is_read_as_ye() -> None:
    assert fold("шёлк") == fold("шелк") == "shelk"
    assert fold("ЁЛКА") == "elka"


def test_accents_and_case_go() -> None:
    assert fold("Café MÜLLER Käsitöö") == "cafe muller kasitoo"


def test_decomposed_letters_fold_like_composed_ones() -> None:
    decomposed = "намадмоли\u0304"  # и + combining macron, as some keyboards type ӣ
    assert fold(decomposed) == "namadmoli"


def test_word_boundaries_survive() -> None:
    assert fold("Felt rug, Хорог 2015").split() == ["felt", "rug,", "khorog", "2015"]
