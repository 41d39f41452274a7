"""Prices and stock as people type them: "25 EUR", "1 200,50 €", "3"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.errors import InvalidValue
from catalog.prices import normalise_available, normalise_price, parse_price


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("25 EUR", "25 EUR"),
        ("25eur", "25 EUR"),
        ("EUR 25", "25 EUR"),
        ("25,50 €", "25.50 EUR"),
        ("€25.5", "25.50 EUR"),
        ("1 200 TJS", "1200 TJS"),
        ("1\u202f200,50 сомонӣ", "1200.50 TJS"),
        ("1,200.50 USD", "1200.50 USD"),
        ("1.200,50 EUR", "1200.50 EUR"),
        ("120 смн", "120 TJS"),
        ("300 руб.", "300 RUB"),
        ("  ", None),
    ],
)
def test_prices_are_stored_as_amount_and_currency_code(typed, stored):
    assert normalise_price(typed) == stored


@pytest.mark.parametrize(
    "typed, words",
    [
        ("25", "no currency"),
        (25.5, "no currency"),
        ("EUR", "no amount"),
        ("-5 EUR", "negative"),
        ("25.505 EUR", "more than two decimals"),
        ("25 euros please", "not a currency"),
        (True, "amount and a currency"),
    ],
)
def test_a_price_that_cannot_be_read_says_how_to_write_it(typed, words):
    with pytest.raises(InvalidValue) as caught:
        normalise_price(typed)
    assert words in str(caught.value) and "25 EUR" in str(caught.value)


def test_a_price_is_shown_the_way_each_language_writes_numbers():
    price = parse_price("1200.5 TJS")
    assert price is not None and price.amount == Decimal("1200.5")
    assert price.display("en") == "1,200.50 TJS"
    assert price.display("tg") == "1\u202f200,50 TJS"
    assert parse_price("25 EUR").display("ru") == "25 EUR"


@pytest.mark.parametrize(
    "typed, stored", [("3", 3), (0, 0), ("12.0", 12), ("", None), (None, None)]
)
def test_available_is_a_whole_number_of_pieces(typed, stored):
    assert normalise_available(typed) == stored


@pytest.mark.parametrize("typed", ["yes", True, "-1", "2.5", "a few"])
def test_available_refuses_anything_but_a_count(typed):
    with pytest.raises(InvalidValue, match="0 = sold out"):
        normalise_available(typed)
