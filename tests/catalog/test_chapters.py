"""Video chapters: times people write, ranges that must not overlap, WebVTT out."""

from __future__ import annotations

import pytest

from catalog.chapters import Chapter, format_time, ordered, parse_range, parse_time, to_webvtt
from catalog.errors import InvalidValue


@pytest.mark.parametrize(("text", "seconds"), [("95", 95.0), ("1:30", 90.0), ("1:02:03.5", 3723.5)])
def test_times_are_read_as_people_write_them(text: str, seconds: float):
    assert parse_time(text) == seconds
    assert parse_time(format_time(seconds)) == seconds


def test_a_range_must_end_after_it_starts_and_chapters_must_not_overlap():
    assert parse_range("0:00-1:30") == (0.0, 90.0)
    with pytest.raises(InvalidValue, match="ends before"):
        parse_range("2:00-1:00")
    with pytest.raises(InvalidValue, match="overlap"):
        ordered([Chapter(0, 90), Chapter(60, 120)])


def test_webvtt_chapters_carry_the_caption_in_the_asked_language():
    chapters = [
        Chapter(0, 90, "washing", {"en": "Washing the wool", "ru": "Мойка шерсти"}),
        Chapter(90, 3725.25, "carding", {"en": "Carding"}),
    ]
    vtt = to_webvtt(chapters, "ru")
    assert vtt.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:01:30.000\nМойка шерсти\n")
    assert "00:01:30.000 --> 01:02:05.250\nCarding\n" in vtt  # falls back to English
