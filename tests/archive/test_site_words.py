"""The site's interface words: every string in every language, and counts by CLDR rules."""

from __future__ import annotations

import pytest

from archive.export.i18n import LANGUAGES, PLURALS, STRINGS, Words


def test_every_interface_string_has_all_three_languages() -> None:
    missing = [
        f"{key}.{lang}"
        for key, texts in STRINGS.items()
        for lang in LANGUAGES
        if not texts.get(lang)
    ]
    assert missing == []
    for lang in LANGUAGES:
        words = Words(lang)
        assert [k for k in STRINGS if words.lang_of(k) != lang] == [], lang


@pytest.mark.parametrize(
    ("lang", "n", "shown"),
    [
        ("en", 1, "1 result"),
        ("en", 2, "2 results"),
        ("en", 0, "0 results"),
        ("ru", 1, "1 результат"),
        ("ru", 2, "2 результата"),
        ("ru", 5, "5 результатов"),
        ("ru", 11, "11 результатов"),
        ("ru", 21, "21 результат"),
        ("ru", 22, "22 результата"),
        ("ru", 112, "112 результатов"),
        ("tg", 1, "1 натиҷа"),
        ("tg", 5, "5 натиҷа"),
    ],
)
def test_results_are_counted_in_the_forms_of_each_language(lang: str, n: int, shown: str) -> None:
    assert Words(lang).count(n, "results") == shown


def test_items_after_a_number_stay_singular_in_tajik() -> None:
    assert [Words("tg").count(n) for n in (1, 4, 12)] == ["1 мавод", "4 мавод", "12 мавод"]
    assert [Words("ru").count(n) for n in (1, 3, 7)] == [
        "1 материал",
        "3 материала",
        "7 материалов",
    ]
    assert [Words("en").count(n) for n in (1, 3)] == ["1 item", "3 items"]


def test_every_counted_word_has_the_other_form_in_every_language() -> None:
    assert [
        f"{name}.{lang}"
        for name, forms in PLURALS.items()
        for lang in LANGUAGES
        if "other" not in forms.get(lang, {})
    ] == []
