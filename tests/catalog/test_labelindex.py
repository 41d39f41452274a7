"""Labels are looked up when a query is compiled, not copied into every document: an item is
still found by any label of a term it names, in any language, and by places it lies in."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query as wq

from catalog import query as q
from catalog.documents import document
from catalog.indexschema import forms
from catalog.labelindex import LabelIndex
from catalog.mentions import LabelMatcher
from catalog.search import SearchIndex, _best
from catalog.vocabulary import load
from tests.catalog.test_search import make_item

# Named by its fields only: no text of its own says felt, Khorog or GBAO.
NAMED_ONLY = make_item(
    "e5e5e5e5e5e5e5e5", title="Gulnora at work", technique=("felting",), place="khorog"
)
# Names knitting in its caption ("knitted"), so knitting's labels find it.
CAPTIONED = make_item("f6f6f6f6f6f6f6f6", title="Knitted by Zarina", place="tallinn")
# Says "design" and "laying" apart, never the label "laying out felt design" as a phrase.
APART = make_item(
    "a7a7a7a7a7a7a7a7", title="Laying stones by the river, a design of the village wall"
)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    idx = SearchIndex(tmp_path_factory.mktemp("labels") / "index")
    assert idx.rebuild((NAMED_ONLY, CAPTIONED, APART), 3) == 3
    return idx


def found(idx: SearchIndex, text: str) -> set[str]:
    return {hit.key[:2] for hit in idx.search(text, limit=100).hits}


def test_the_document_holds_the_terms_it_names_but_not_their_labels() -> None:
    vocabularies = load()
    doc = document(NAMED_ONLY, vocabularies, LabelMatcher(vocabularies, forms))
    assert "technique:felting" in doc["mentions"].split()
    assert "place:khorog" in doc["mentions"].split()
    text = " ".join(str(v) for k, v in doc.items() if k != "shown").lower()
    assert not {"валяние", "намадмолӣ", "хоруғ", "gbao"} & set(text.split())


@pytest.mark.parametrize(
    "text",
    ["felting", "валяние", "намадмолӣ", "namadmoli", "войлок", "felted", "wet felting", "Хоруғ"],
)
def test_any_label_of_a_named_term_finds_the_item(index: SearchIndex, text: str) -> None:
    assert found(index, text) == {"e5"}


@pytest.mark.parametrize("text", ["GBAO", "Badakhshan", "Таджикистан", "Тоҷикистон"])
def test_a_place_finds_the_items_in_the_places_within_it(index: SearchIndex, text: str) -> None:
    assert found(index, text) == {"e5"}


def test_a_term_named_in_a_caption_is_found_by_its_labels(index: SearchIndex) -> None:
    assert found(index, "вязание") == {"f6"}
    assert found(index, "Estonia") == {"f6"}  # Tallinn lies in Estonia


def test_a_phrase_must_stand_in_one_label(index: SearchIndex) -> None:
    assert found(index, '"laying out felt design"') == set()  # nobody names that technique
    assert found(index, '"wet felting"') == {"e5"}
    assert found(index, "design laying") == {"a7"}  # two words: both anywhere will do


def test_a_prefix_and_a_typo_reach_labels(index: SearchIndex) -> None:
    assert found(index, "валян*") == {"e5"}
    assert found(index, "namadmoly~") == {"e5"}


def test_did_you_mean_offers_a_label_word_of_a_named_term(index: SearchIndex) -> None:
    result = index.search("khorogg")
    assert result.total == 0 and result.did_you_mean == "khorog"


def test_a_label_nobody_names_is_known_but_finds_nothing(index: SearchIndex) -> None:
    result = index.search("embroidery")
    assert result.total == 0 and result.did_you_mean is None


def test_an_item_names_the_places_its_place_lies_in() -> None:
    vocabularies = load()
    doc = document(NAMED_ONLY, vocabularies, LabelMatcher(vocabularies, forms))
    assert {"place:khorog", "place:gbao", "place:tajikistan"} <= set(doc["mentions"].split())
    assert LabelIndex(vocabularies).named(q.Word(text="GBAO")) == {"place:gbao"}


def test_a_label_match_ranks_below_a_title_match(tmp_path: Path) -> None:
    titled = make_item("b8b8b8b8b8b8b8b8", title="Felting in the yard")
    idx = SearchIndex(tmp_path / "index")
    idx.rebuild((NAMED_ONLY, titled), 1)
    assert [hit.key[:2] for hit in idx.search("felting").hits] == ["b8", "e5"]


def test_the_total_and_the_best_hits_count_every_part_of_a_word(tmp_path: Path) -> None:
    # 40 items say Khorog in their title, 40 more are only set in Khorog. Once a page of 20
    # title matches is full, whoosh's own top-20 search drops the part of an OR that can no
    # longer reach the page (here, after a bench/search.py index of 11,000 items, in the
    # whole query: 6,279 items named Tajikistan were counted as 1,281).
    titled = [make_item(f"{n:016x}", title="Khorog " + "gate " * (n % 7)) for n in range(40)]
    placed = [make_item(f"{n + 100:016x}", title=f"Wall {n}", place="khorog") for n in range(40)]
    idx = SearchIndex(tmp_path / "index")
    idx.rebuild([*titled, *placed], 1)
    assert idx.search("Khorog", limit=20).total == 80
    title_or_place = wq.Or(
        [wq.Term("title_xx", "khorog"), wq.Term("mentions", "place:khorog", boost=1.5)]
    )
    with idx._open().searcher() as searcher:
        best = _best(searcher, title_or_place, 20, None)
        assert len(best) == 80
        everything = searcher.search(title_or_place, limit=None)
        assert [hit.docnum for hit in best] == [hit.docnum for hit in everything[:20]]
