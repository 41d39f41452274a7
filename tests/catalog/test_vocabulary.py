"""Controlled vocabularies: labels in three languages, variants, places under places."""

from __future__ import annotations

import pytest

from catalog.vocabulary import NAMES, VocabularyError, load


def test_every_vocabulary_loads_with_unique_slugs_and_an_english_label():
    vocabularies = load()
    for name in NAMES:
        terms = list(vocabularies[name])
        assert terms, name
        assert len({t.slug for t in terms}) == len(terms)
        assert all(t.labels["en"] for t in terms)


def test_a_term_is_found_by_any_label_in_any_script():
    places = load()["place"]
    for spelling in ("Khorog", "Khorugh", "Хорог", "Хоруғ", "xorugh"):
        assert places.find(spelling).slug == "khorog", spelling
    assert load()["object_type"].find("джурабы").slug == "jurab"
    assert load()["technique"].find("намадмолӣ").slug == "felting"


def test_unknown_tajik_labels_stay_empty_and_fall_back():
    carding = load()["technique"].get("carding")
    assert carding.labels["tg"] == ""
    assert carding.label("tg") == "carding"  # falls back to English, never invented


def test_places_know_what_lies_under_them():
    places = load()["place"]
    assert {"khorog", "bartang", "wakhan", "murghab"} <= places.descendants("gbao")
    assert places.ancestors("bartang") == ["rushan", "gbao", "tajikistan"]
    assert "tallinn" not in places.descendants("gbao")


def test_suggestions_for_a_misspelt_label():
    assert [t.slug for t in load()["technique"].suggest("feltin")][0] == "felting"


def test_an_archive_can_add_terms_and_variants(tmp_path):
    (tmp_path / "place.toml").write_text(
        '[zanuj]\nparent = "rushan"\nen = "Zanuj"\nru = "Зануздж"\ntg = "Занузҷ"\n'
        '[khorog]\nalt = ["Khorog city"]\n'
    )
    places = load(tmp_path)["place"]
    assert places.find("Зануздж").slug == "zanuj"
    assert "zanuj" in places.descendants("gbao")
    assert places.find("Khorog city").slug == "khorog"
    assert places.find("Хорог").slug == "khorog"  # package labels are kept


def test_a_malformed_extension_is_a_clear_error(tmp_path):
    (tmp_path / "technique.toml").write_text('["Bad Slug"]\nen = "x"\n')
    with pytest.raises(VocabularyError, match="lower case"):
        load(tmp_path)
