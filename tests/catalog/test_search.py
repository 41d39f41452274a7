"""The search index finds items the way a user types: any script, stems, filters, typos."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from catalog.models import Item
from catalog.search import (
    Hit,
    IndexBusy,
    IndexMissing,
    QueryError,
    SearchIndex,
    SearchResult,
)


def make_item(key: str, **fields: Any) -> Item:
    fields.setdefault("kind", "photo")
    return Item(
        key=key,
        sha256=key * 4,
        mime="image/jpeg",
        size=1000,
        original=f"originals/{key[:2]}/{key}.jpg",
        **fields,
    )


FELT = make_item(
    "a1a1a1a1a1a1a1a1",
    title="Felt rug laid out in Khorog",
    description="Women laying out the design of a felt rug before wet felting. "
    "The rug is then rolled in a reed mat and kicked for an hour.",
    technique=("felting",),
    material=("sheep-wool",),
    object_type=("felt-rug",),
    process_step=("pattern-design",),
    place="Khorog",
    source_paths=("Phone 2015/DCIM/IMG_2682.HEIC",),
    camera_make="Apple",
    camera_model="iPhone 6s",
    taken_at="2015-11-07T10:00:00+05:00",
)
JURAB_RU = make_item(
    "b2b2b2b2b2b2b2b2",
    title="Джурабы из Хорога",
    description="Вязание носков из овечьей шерсти",
    technique=("knitting",),
    keywords=("jurab",),
    place="Хорог",
    camera_make="Canon",
    camera_model="EOS 80D",
    taken_at="2019-05-01T09:00:00",
)
FELT_TJ = make_item(
    "c3c3c3c3c3c3c3c3",
    title="Намадмолӣ дар Роштқалъа",
    kind="video",
    consent="public",
    technique=("felting",),
    place="Роштқалъа",
    source_paths=("clips/MVI_0042.MP4",),
    taken_at="2012-06-01T12:00:00",
)
SOCKS_TALLINN = make_item(
    "d4d4d4d4d4d4d4d4",
    title="Knitted socks at Mardilaat",
    keywords=("socks", "jurab"),
    technique=("knitting",),
    event="Mardilaat 2015",
    place="Tallinn",
    collections=("exhibitions",),
)
ITEMS = (FELT, JURAB_RU, FELT_TJ, SOCKS_TALLINN)


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    idx = SearchIndex(tmp_path / "index")
    assert idx.rebuild(ITEMS, 7) == 4
    return idx


def found(idx: SearchIndex, text: str) -> set[str]:
    return {hit.key[:2] for hit in idx.search(text, limit=100).hits}


# -- building and state ----------------------------------------------------------


def test_a_new_folder_gets_an_empty_index_without_a_generation(tmp_path: Path) -> None:
    idx = SearchIndex(tmp_path / "deep" / "index")
    assert (tmp_path / "deep" / "index").is_dir()
    assert idx.generation() is None
    assert idx.doc_count() == 0
    assert idx.search("felt") == SearchResult(total=0, hits=())


def test_rebuild_indexes_every_item_and_records_the_generation(index: SearchIndex) -> None:
    assert index.generation() == 7
    assert index.doc_count() == 4
    assert index.keys() == {item.key for item in ITEMS}


def test_rebuild_drops_items_no_longer_given(index: SearchIndex) -> None:
    assert index.rebuild([FELT, FELT], 8) == 1
    assert index.keys() == {FELT.key}
    assert found(index, "socks") == set()
    assert index.generation() == 8


def test_the_generation_survives_reopening(index: SearchIndex) -> None:
    assert SearchIndex(index.folder).generation() == 7


def test_update_replaces_an_edited_item_and_adds_new_ones(index: SearchIndex) -> None:
    edited = make_item(FELT.key, title="Shyrdak from Murghab", place="Murghab")
    new = make_item("e5e5e5e5e5e5e5e5", title="Pamiri rubab")
    index.update([edited, new], 9)
    assert index.generation() == 9
    assert index.doc_count() == 5
    assert found(index, "shyrdak") == {"a1"}
    assert "a1" not in found(index, "Khorog")
    assert found(index, "rubab") == {"e5"}


def test_remove_drops_items_and_ignores_unknown_keys(index: SearchIndex) -> None:
    index.remove([SOCKS_TALLINN.key, "ffffffffffffffff"], 10)
    assert index.generation() == 10
    assert index.keys() == {FELT.key, JURAB_RU.key, FELT_TJ.key}
    assert found(index, "Mardilaat") == set()


def test_update_of_an_index_that_needs_a_rebuild_leaves_the_generation_unknown(
    tmp_path: Path,
) -> None:
    idx = SearchIndex(tmp_path / "index")
    idx.update([FELT], 3)
    assert idx.generation() is None  # so the caller still rebuilds it with everything
    assert found(idx, "felt") == {"a1"}


# -- damage never crashes ------------------------------------------------------------


def test_a_deleted_index_folder_reports_no_generation_and_can_be_rebuilt(
    index: SearchIndex,
) -> None:
    shutil.rmtree(index.folder)
    assert index.generation() is None
    assert index.doc_count() == 0
    assert index.keys() == set()
    with pytest.raises(IndexMissing, match="rebuild"):
        index.search("felt")
    assert index.rebuild(ITEMS, 11) == 4
    assert index.generation() == 11
    assert found(index, "felt") == {"a1", "c3"}


def test_a_corrupt_index_reports_no_generation_and_can_be_rebuilt(index: SearchIndex) -> None:
    for toc in index.folder.glob("*.toc"):
        toc.write_bytes(b"not an index")
    assert index.generation() is None
    assert index.doc_count() == 0
    with pytest.raises(IndexMissing):
        index.search("felt")
    assert SearchIndex(index.folder).generation() is None  # opening does not crash either
    assert index.rebuild(ITEMS, 12) == 4
    assert index.generation() == 12
    assert found(index, "Khorog") == {"a1", "b2"}


def test_lost_segment_files_report_no_generation(index: SearchIndex) -> None:
    for path in index.folder.iterdir():
        if path.suffix != ".toc" and not path.name.endswith(".json"):
            path.unlink()
    assert index.generation() is None


@pytest.mark.parametrize("content", ["{broken", json.dumps({"generation": 7, "schema": -1})])
def test_an_unreadable_or_old_generation_file_means_rebuild(
    index: SearchIndex, content: str
) -> None:
    (index.folder / "catalog-generation.json").write_text(content, encoding="utf-8")
    assert index.generation() is None


def test_a_writer_waits_for_the_lock_then_says_the_index_is_busy(tmp_path: Path) -> None:
    idx = SearchIndex(tmp_path / "index", timeout=0.2)
    idx.rebuild(ITEMS, 1)
    other = idx._writer(idx._open())  # another process's writer, holding the lock
    try:
        with pytest.raises(IndexBusy, match="locked"):
            idx.update([FELT], 2)
    finally:
        other.cancel()
    idx.update([FELT], 2)
    assert idx.generation() == 2


# -- what a user types -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("хорог", {"a1", "b2"}),  # Cyrillic finds the Latin spelling
        ("Khorog", {"a1", "b2"}),  # and Latin the Cyrillic one
        ("namadmoli", {"a1", "c3"}),  # Tajik typed in Latin; a1's technique is felting
        ("намадмолӣ", {"a1", "c3"}),
        ("roshtqala", {"c3"}),  # no apostrophe, no hard sign
        ("Roshtqal'a", {"c3"}),
        ("dzhuraby", {"b2", "d4"}),  # d4's "socks" names the jurab term, labelled джурабы
    ],
)
def test_any_script_finds_the_others(index: SearchIndex, text: str, keys: set[str]) -> None:
    assert found(index, text) == keys


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("sock", {"b2", "d4"}),  # English stems; b2's носков are socks
        ("knitting", {"b2", "d4"}),
        ("knit", {"b2", "d4"}),
        ("шерсть", {"a1", "b2"}),  # Russian stems (шерсти), and a1's sheep-wool
        ("носки", {"b2", "d4"}),
    ],
)
def test_word_forms_find_each_other(index: SearchIndex, text: str, keys: set[str]) -> None:
    assert found(index, text) == keys


def test_two_words_need_both(index: SearchIndex) -> None:
    assert found(index, "felting") == {"a1", "c3"}
    assert found(index, "felting Khorog") == {"a1"}
    assert found(index, "socks from Tallinn") == {"d4"}  # "from" is a stop word


def test_a_quoted_phrase_needs_the_words_together(index: SearchIndex) -> None:
    assert found(index, '"wet felting"') == {"a1", "c3"}  # c3: a label of its technique
    assert found(index, '"rolled in a reed mat"') == {"a1"}
    assert found(index, '"mat reed"') == set()
    assert found(index, '"felting wet"') == set()


@pytest.mark.parametrize("text", ["IMG_2682", "2682", "img_2682.heic", "IMG_2682.HEIC"])
def test_source_file_names_are_found_whole_or_in_parts(index: SearchIndex, text: str) -> None:
    assert found(index, text) == {"a1"}


def test_the_folder_of_a_source_path_is_not_indexed(index: SearchIndex) -> None:
    assert found(index, "DCIM") == set()


def test_camera_make_and_model(index: SearchIndex) -> None:
    assert found(index, "canon") == {"b2"}
    assert found(index, "camera:iphone") == {"a1"}
    assert found(index, "camera:Apple") == {"a1"}


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("kind:video", {"c3"}),
        ("kind:PHOTO", {"a1", "b2", "d4"}),
        ("consent:public", {"c3"}),
        ("consent:internal", {"a1", "b2", "d4"}),
        ("technique:felting", {"a1", "c3"}),
        ("material:wool", {"a1", "b2"}),  # b2's caption names овечьей шерсти
        ("object:rug", {"a1"}),
        ("step:pattern", {"a1"}),
        ("place:tallinn", {"d4"}),
        ("keyword:jurab", {"b2", "d4"}),
        ("Keyword:socks", {"d4"}),
        ("event:mardilaat", {"d4"}),
        ("collection:exhibitions", {"d4"}),
        ("year:2015", {"a1"}),
        ("year:2012..2015", {"a1", "c3"}),
        ("year:2016..", {"b2"}),
        ("year:..2014", {"c3"}),
        ("2015", {"a1", "d4"}),  # a plain year finds the date taken and text alike
        ("felting kind:photo", {"a1"}),
    ],
)
def test_field_filters(index: SearchIndex, text: str, keys: set[str]) -> None:
    assert found(index, text) == keys


def test_the_word_alone_is_not_limited_to_one_field(index: SearchIndex) -> None:
    assert found(index, "Khorog") == {"a1", "b2"}
    assert found(index, "place:Khorog") == {"a1", "b2"}  # b2 holds "Хорог", the same place
    assert found(index, "place:Хоруғ") == {"a1", "b2"}


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("knitting -khorog", {"d4"}),
        ("knitting NOT place:tallinn", {"b2"}),
        ("-khorog", {"c3", "d4"}),
        ("NOT khorog", {"c3", "d4"}),
        ("felting -kind:video", {"a1"}),
        ("slip-stitch", set()),  # a dash inside a word does not exclude
    ],
)
def test_negation(index: SearchIndex, text: str, keys: set[str]) -> None:
    assert found(index, text) == keys


def test_typos_need_a_tilde(index: SearchIndex) -> None:
    assert found(index, "khorok") == set()
    assert found(index, "khorok~") == {"a1", "b2"}
    assert found(index, "horog~") == {"a1", "b2"}
    assert found(index, "Хоруғ~2") == {"a1", "b2"}  # Tajik spelling, two edits from Khorog
    assert found(index, "mardilat~") == {"d4"}  # one letter missing
    assert found(index, "sokcs~2") == {"b2", "d4"}  # swapped letters are two edits


def test_a_wildcard_matches_word_beginnings(index: SearchIndex) -> None:
    assert found(index, "mardi*") == {"d4"}


@pytest.mark.parametrize("text", ["", "   ", "*"])
def test_an_empty_query_lists_every_item_by_date_undated_last(
    index: SearchIndex, text: str
) -> None:
    result = index.search(text)
    assert result.total == 4
    assert [hit.key[:2] for hit in result.hits] == ["c3", "a1", "b2", "d4"]


def test_limit_and_offset_page_through_the_total(index: SearchIndex) -> None:
    first = index.search("*", limit=3)
    second = index.search("*", limit=3, offset=3)
    assert (first.total, second.total) == (4, 4)
    assert len(first.hits) == 3 and len(second.hits) == 1
    assert {h.key for h in first.hits + second.hits} == {item.key for item in ITEMS}
    counted = index.search("knitting", limit=0)
    assert counted.total == 2 and counted.hits == ()


def test_a_title_match_ranks_above_a_description_match(index: SearchIndex) -> None:
    other = make_item("f6f6f6f6f6f6f6f6", title="Reed mat", description="A rug on the floor.")
    index.update([other], 8)
    keys = [hit.key[:2] for hit in index.search("rug").hits]
    assert keys[0] == "a1"
    assert set(keys) == {"a1", "f6"}


def test_a_hit_carries_title_and_a_snippet_around_the_match(index: SearchIndex) -> None:
    (hit,) = index.search("kicked").hits
    assert hit.key == FELT.key
    assert hit.title == FELT.title
    assert hit.score > 0
    assert hit.snippet is not None and "kicked for an hour" in hit.snippet


def test_a_hit_without_description_has_no_snippet(index: SearchIndex) -> None:
    (hit,) = index.search("Mardilaat").hits
    assert hit.snippet is None


def test_results_turn_into_json(index: SearchIndex) -> None:
    data = json.loads(json.dumps(index.search("Mardilaat").to_dict()))
    assert data["total"] == 1
    assert data["hits"][0]["key"] == SOCKS_TALLINN.key
    assert {"key", "score", "title", "snippet", "highlights"} <= set(data["hits"][0])
    assert data["did_you_mean"] is None
    assert "facets" not in data
    assert Hit(key="k", score=1.0, title=None, snippet=None).to_dict()["title"] is None


# -- queries it cannot read ------------------------------------------------------------


def test_an_unknown_field_lists_the_known_ones(index: SearchIndex) -> None:
    with pytest.raises(QueryError) as caught:
        index.search("colour:red")
    message = str(caught.value)
    assert "colour" in message
    for name in ("kind", "consent", "camera", "keyword", "technique", "material"):
        assert name in message
    for name in ("object", "step", "place", "year"):
        assert name in message


def test_a_colon_inside_quotes_is_text(index: SearchIndex) -> None:
    assert index.search('"note: felt"').total == 0


@pytest.mark.parametrize("text", ["year:abc", "year:.."])
def test_a_bad_year_is_explained(index: SearchIndex, text: str) -> None:
    with pytest.raises(QueryError, match="year"):
        index.search(text)


def test_a_query_error_comes_before_a_missing_index(tmp_path: Path) -> None:
    idx = SearchIndex(tmp_path / "index")
    shutil.rmtree(idx.folder)
    with pytest.raises(QueryError):
        idx.search("colour:red")
