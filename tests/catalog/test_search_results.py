"""What a search returns besides hits: facet counts, suggestions, order, snippets, staleness."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.search import QueryError, SearchIndex
from catalog.snippets import best, within
from catalog.vocabulary import load
from tests.catalog.test_search import (
    FELT,
    FELT_TJ,
    ITEMS,
    JURAB_RU,
    SOCKS_TALLINN,
    found,
    make_item,
)


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    idx = SearchIndex(tmp_path / "index")
    idx.rebuild(ITEMS, 1)
    return idx


def counts(index: SearchIndex, text: str, facet: str) -> dict[str, int]:
    facets = index.search(text, facets=True).facets or {}
    return {c.value: c.count for c in facets[facet]}


def test_facets_count_slugs_over_every_match_not_only_the_page(index: SearchIndex) -> None:
    result = index.search("*", limit=1, facets=True)
    assert result.facets is not None
    assert {c.value: c.count for c in result.facets["technique"]} == {"felting": 2, "knitting": 2}
    assert {c.value: c.count for c in result.facets["kind"]} == {"photo": 3, "video": 1}
    assert {c.value: c.count for c in result.facets["year"]} == {"2012": 1, "2015": 1, "2019": 1}
    place = {c.value: c for c in result.facets["place"]}
    assert place["khorog"].count == 2  # "Khorog" and "Хорог" are one place
    assert place["khorog"].label == "Khorog"
    assert counts(index, "felting", "technique") == {"felting": 2}


def test_facets_follow_edits_and_removals(index: SearchIndex) -> None:
    index.search("*", facets=True)  # counts are cached until the index changes
    index.update([FELT.__class__(**{**FELT.__dict__, "technique": ("knitting",)})], 2)
    index.remove([FELT_TJ.key], 3)
    assert counts(index, "*", "technique") == {"knitting": 3}


def test_facets_are_left_out_unless_asked(index: SearchIndex) -> None:
    assert index.search("felt").facets is None


def test_nothing_found_suggests_the_nearest_used_words(index: SearchIndex) -> None:
    result = index.search("mardilat socks")
    assert (result.total, result.did_you_mean) == (0, "mardilaat socks")
    assert index.search("mardilat").did_you_mean == "mardilaat"
    assert index.search("technique:feltin").did_you_mean == "technique:felting"
    assert index.search("felt").did_you_mean is None


def test_did_you_mean_reads_every_segment_of_an_updated_index(index: SearchIndex) -> None:
    index.update([make_item("e9e9e9e9e9e9e9e9", title="Chakan from Dushanbe")], 8)
    assert index.search("chakkan").did_you_mean == "chakan"  # only the new segment has it
    assert index.search("mardilat").did_you_mean == "mardilaat"  # only the first has it


def test_date_filters_and_sorting_by_date(index: SearchIndex) -> None:
    assert found(index, "date:2015-11") == {"a1"}
    assert found(index, "date:2012-01..2015-10") == {"c3"}
    assert found(index, "taken:>2015") == {"b2"}  # undated items fall in no range
    assert found(index, "taken:<2015") == {"c3"}
    keys = [h.key[:2] for h in index.search("knitting OR felting", sort="date").hits]
    assert keys == ["c3", "a1", "b2", "d4"]


def test_a_snippet_marks_the_matched_words_in_any_form(index: SearchIndex) -> None:
    (hit,) = index.search("kicked").hits
    assert hit.snippet is not None
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["kicked"]
    (hit,) = [h for h in index.search("шерсть").hits if h.key == JURAB_RU.key]
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["шерсти"]


def test_snippets_centre_on_the_matches_of_a_long_text() -> None:
    text = "Opening words. " * 30 + "The felt is rolled and kicked." + " Closing words." * 30
    snippet = best([text], lambda w: w == "felt", width=80)
    assert snippet is not None
    assert snippet.text.startswith("… ") and snippet.text.endswith(" …")
    assert snippet.marked().count("[felt]") == 1
    assert best(["", "  "], lambda w: True) is None
    assert within("khorog", "horog", 1) and not within("khorog", "xorugh", 2)


def test_other_vocabularies_make_the_index_stale(index: SearchIndex, tmp_path: Path) -> None:
    (tmp_path / "place.toml").write_text('[tallinn]\nalt = ["Lindanisa"]\n', encoding="utf-8")
    extended = SearchIndex(index.folder, vocabularies=load(tmp_path))
    assert extended.generation() is None  # its labels are not in the index yet
    extended.rebuild(ITEMS, 2)
    assert found(extended, "Lindanisa") == {SOCKS_TALLINN.key[:2]}
    assert index.generation() is None  # and the package's own vocabularies see it as stale


def test_an_unknown_sort_is_explained(index: SearchIndex) -> None:
    with pytest.raises(QueryError, match="relevance or date"):
        index.search("felt", sort="size")


def test_video_chapters_are_searchable_by_caption_and_step(tmp_path: Path) -> None:
    from catalog.chapters import Chapter

    video = make_item(
        "ab" * 8,
        kind="video",
        title="Wool from fleece to yarn",
        chapters=(
            Chapter(0.0, 30.0, "washing", {"en": "Washing the fleece in the river"}),
            Chapter(30.0, 90.0, "carding", {"ru": "Чесание на новой машине"}),
        ),
    )
    other = make_item("cd" * 8, title="Felt rug")
    index = SearchIndex(tmp_path / "index", vocabularies=load())
    index.rebuild([video, other], 1)
    for query in ("river", "машине", "step:carding", "step:washing", "mashine"):
        assert [h.key for h in index.search(query).hits] == [video.key], query
