"""What keeps search fast finds what the slow way found: filter sets, forms table, segments."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from catalog import docsets
from catalog.search import SearchIndex
from tests.catalog.test_search import FELT, FELT_TJ, ITEMS, JURAB_RU, SOCKS_TALLINN, make_item

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    idx = SearchIndex(tmp_path / "index")
    idx.rebuild(ITEMS, 7)
    return idx


@pytest.mark.parametrize(
    "text",
    [
        "felt",
        "jurab",
        '"felt rug"',
        "feltt~",
        "felt*",
        "-kind:video",
        "jurab -place:tallinn",
        "technique:knitting",
        "place:gbao -kind:video",
        "year:2010..2016",
        "taken:>2014",
        "felt OR socks -technique:knitting",
        "date:2015-11 felt",
    ],
)
def test_the_total_counts_every_match_not_only_the_page(index: SearchIndex, text: str) -> None:
    everything = index.search(text, limit=100)
    assert everything.total == len(everything.hits) > 0
    first = index.search(text, limit=1, facets=True)
    assert first.total == everything.total
    assert sum(c.count for c in first.facets["kind"]) == everything.total


def test_a_query_of_filters_only_lists_by_date_taken(index: SearchIndex) -> None:
    found = index.search("technique:felting OR technique:knitting")
    keys = [hit.key for hit in found.hits]
    assert keys == [FELT_TJ.key, FELT.key, JURAB_RU.key, SOCKS_TALLINN.key]  # undated last
    assert {hit.score for hit in found.hits} == {0.0}


def test_a_filter_nothing_passes_finds_nothing(index: SearchIndex) -> None:
    found = index.search("felt year:1990")
    assert (found.total, found.hits) == (0, ())


_SEARCH_IN_A_NEW_PROCESS = """
import json, sys
from pathlib import Path
from catalog import docsets
from catalog.search import SearchIndex
index = SearchIndex(Path(sys.argv[1]))
keys = {w: sorted(h.key for h in index.search(w).hits) for w in sys.argv[2:]}
print(json.dumps({"keys": keys, "dictionary": "pymorphy3" in sys.modules}))
"""


WORDS = ("носки", "шерсти", "Хорога")


def search_in_a_new_process(folder: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _SEARCH_IN_A_NEW_PROCESS, str(folder), *WORDS],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def expected(index: SearchIndex) -> dict[str, list[str]]:
    """What the words find in this process, which has the dictionary."""
    return {w: sorted(h.key for h in index.search(w).hits) for w in WORDS}


def test_a_search_loads_no_russian_dictionary_for_words_the_index_met(index: SearchIndex) -> None:
    answer = search_in_a_new_process(index.folder)
    # Other forms of the words still meet: носки → носков, шерсти → шерсть, Хорога → Хорог.
    assert answer["keys"] == expected(index)
    assert JURAB_RU.key in answer["keys"]["шерсти"]
    assert answer["dictionary"] is False


def test_without_its_table_an_index_still_finds_every_form(index: SearchIndex) -> None:
    table = index.folder / "forms.tsv"
    assert "носков\t" in table.read_text(encoding="utf-8")
    # A table cut short in the middle of a line: that line is not believed.
    table.write_text("носки\tнос", encoding="utf-8")
    answer = search_in_a_new_process(index.folder)
    assert answer["keys"] == expected(index)
    assert answer["dictionary"] is True  # the words were worked out afresh


def test_updates_add_segments_and_merge_the_small_ones_when_there_are_many(
    index: SearchIndex,
) -> None:
    added = [make_item(f"e{n:015x}", title=f"Suzani number{n}") for n in range(14)]
    counts = []
    for n, item in enumerate(added):
        index.update([item], 8 + n)
        counts.append(len(index._open()._segments()))
    assert counts[:9] == list(range(2, 11))  # one more segment an update, nothing merged
    assert max(counts) <= 11 and counts[-1] < 11
    assert index.search("suzani").total == 14
    assert index.search("number13").hits[0].key == added[13].key
    assert index.doc_count() == len(ITEMS) + 14


@pytest.mark.parametrize(
    "text", ["*", "-kind:video", "technique:knitting", "felt OR jurab", "taken:>2013", "year:2015"]
)
def test_walking_the_dates_gives_the_order_sorting_gives(
    index: SearchIndex, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index.update([JURAB_RU], 8)  # its old document is deleted, not yet merged away
    sorted_order = [hit.key for hit in index.search(text, sort="date", limit=10).hits]
    monkeypatch.setattr(docsets, "_SORT_DIRECTLY", 0)  # as with thousands of matches
    walked = [hit.key for hit in index.search(text, sort="date", limit=10).hits]
    assert walked == sorted_order
    assert len(set(walked)) == len(walked) == index.search(text).total
    second_page = index.search(text, sort="date", limit=2, offset=1).hits
    assert [hit.key for hit in second_page] == walked[1:3]
