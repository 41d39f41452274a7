"""Dates taken as people type them: precision kept, shifted by a duration like a camera's error."""

from __future__ import annotations

import pytest

from catalog import dates
from catalog.errors import InvalidValue


@pytest.mark.parametrize(
    ("typed", "stored", "precision"),
    [
        ("2015", "2015", "year"),
        ("2015-08", "2015-08", "month"),
        ("2015-08-16", "2015-08-16", "day"),
        ("2015-08-16T10:30", "2015-08-16T10:30", "minute"),
        ("2015-08-16 10:30:05", "2015-08-16T10:30:05", "second"),
        ("2015:08:16 10:30:05", "2015-08-16T10:30:05", "second"),  # as EXIF writes it
        ("2019-03-26T19:33:47+0500", "2019-03-26T19:33:47+05:00", "second"),
        ("2020-08-28T00:00:00Z", "2020-08-28T00:00:00Z", "second"),
    ],
)
def test_a_typed_date_is_stored_to_its_precision(typed: str, stored: str, precision: str):
    assert dates.normalise(typed) == stored
    assert dates.precision_of(stored) == precision


@pytest.mark.parametrize("typed", ["16.08.2015", "2015-13", "2015-02-30", "2015-08-16+05:00", "15"])
def test_a_date_that_is_not_one_is_refused_with_an_example(typed: str):
    with pytest.raises(InvalidValue, match="write 2015-08-16T10:30, 2015-08-16, 2015-08 or 2015"):
        dates.normalise(typed)


def test_empty_means_undated():
    assert dates.normalise("") is None and dates.normalise(None) is None
    assert dates.precision_of(None) is None


@pytest.mark.parametrize(
    ("taken", "by", "moved"),
    [
        ("2019-03-26T19:33:47", "-3y4mo", "2015-11-26T19:33:47"),
        ("2019-03-26T19:33:47+05:00", "+5h30m", "2019-03-27T01:03:47+05:00"),
        ("2016-03-01T10:00", "-1y2d", "2015-02-27T10:00"),
        ("2016-02-29", "+1y", "2017-02-28"),  # no 29 February: the last day of the month
        ("2015-08-16", "+36h", "2015-08-16"),  # a day moves by whole days only
        ("2015-08-16", "+1w", "2015-08-23"),
        ("2015-08", "+2mo3d", "2015-10"),
        ("2016", "-1y2d", "2015"),  # a year moves by years only
    ],
)
def test_a_shift_keeps_the_precision_and_the_offset(taken: str, by: str, moved: str):
    assert dates.shift(taken, dates.parse_shift(by)) == moved


def test_a_shift_and_its_inverse_cancel_out():
    by = dates.parse_shift("+5h30m")
    assert by.text == "+5h30m" and by.inverse().text == "-5h30m"
    late = "2015-08-16T23:45:00"
    assert dates.shift(late, by) == "2015-08-17T05:15:00"
    assert dates.shift(dates.shift(late, by), by.inverse()) == late


@pytest.mark.parametrize("typed", ["", "+", "5x", "h5", "1h1h", "+5h 30", "1.5h"])
def test_a_duration_that_is_not_one_is_refused(typed: str):
    with pytest.raises(InvalidValue):
        dates.parse_shift(typed)
