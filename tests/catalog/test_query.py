"""The query language reads what people type into a tree, and explains what it cannot read."""

from __future__ import annotations

import pytest

from catalog.query import (
    And,
    DateRange,
    Everything,
    Not,
    Or,
    Phrase,
    QueryError,
    Word,
    parse,
    positive_words,
)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("", Everything()),
        ("*", Everything()),
        ("felt", Word("felt")),
        ("felt khorog", And((Word("felt"), Word("khorog")))),
        ('"wet felting"', Phrase("wet felting")),
        ('"felt"', Word("felt")),
        ("-khorog", Not(Word("khorog"))),
        ("NOT khorog", Not(Word("khorog"))),
        ("slip-stitch", Word("slip-stitch")),  # a dash inside a word is part of it
        ("felt OR jurab", Or((Word("felt"), Word("jurab")))),
        ("felt AND jurab", And((Word("felt"), Word("jurab")))),
        ("horog~", Word("horog", fuzzy=1)),
        ("Хоруғ~2", Word("Хоруғ", fuzzy=2)),
        ("mardi*", Word("mardi", prefix=True)),
        ("technique:felting", Word("felting", "technique")),
        ("Object:jurab", Word("jurab", "object_type")),
        ("step:dyeing", Word("dyeing", "process_step")),
        ('place:"Mountainous Badakhshan"', Phrase("Mountainous Badakhshan", "place")),
        ("-kind:video", Not(Word("video", "kind"))),
        (
            "place:(khorog OR vanj)",
            Or((Word("khorog", "place"), Word("vanj", "place"))),
        ),
        ("(felt jurab", And((Word("felt"), Word("jurab")))),  # an unclosed group is closed
    ],
)
def test_what_people_type_becomes_a_tree(text: str, tree: object) -> None:
    assert parse(text) == tree


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("year:2015", "2015", "2015\uffff"),
        ("year:2010..2015", "2010", "2015\uffff"),
        ("year:2016..", "2016", "9999"),
        ("year:..2014", "0000", "2014\uffff"),
        ("date:2015-08..2015-11", "2015-08", "2015-11\uffff"),
        ("date:2015-08-14", "2015-08-14", "2015-08-14\uffff"),
        ("taken:>2016", "2016\uffff", "9999"),
        ("taken:>=2016-03", "2016-03", "9999"),
        ("taken:<2016", "0000", "2016"),
        ("taken:<=2016", "0000", "2016\uffff"),
    ],
)
def test_dates_become_ranges_of_the_date_taken(text: str, low: str, high: str) -> None:
    tree = parse(text)
    assert isinstance(tree, DateRange)
    assert (tree.low, tree.high) == (low, high)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour:red", "unknown search field 'colour'; known fields are: camera, collection"),
        ("year:abc", "year:2015, year:2010..2015"),
        ("year:..", "needs a start or an end"),
        ("date:2015-13", "date:2015-08..2015-11"),
        ("taken:>soon", "cannot read taken:>soon"),
    ],
)
def test_what_it_cannot_read_is_explained(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse(text)


def test_a_colon_after_a_space_or_in_quotes_is_text() -> None:
    assert parse('"note: felt"') == Phrase("note: felt")
    assert parse("note: felt") == And((Word("note:"), Word("felt")))


def test_positive_words_leave_out_what_is_excluded() -> None:
    tree = parse('felt "wet felting" -khorog NOT kind:video year:2015')
    assert positive_words(tree) == [Word("felt"), Phrase("wet felting")]
