"""What the print commands accept: holiday files, languages, picks, and clear refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from archive.errors import UsageProblem
from archive.printing import parse_languages
from archive.printing.choose import parse_picks
from archive.printing.holidays import easter, load_holidays
from tests.archive.conftest import Cli


def test_easter_and_the_estonian_days_that_follow_it():
    assert [easter(y) for y in (2026, 2027, 2028)] == [
        dt.date(2026, 4, 5),
        dt.date(2027, 3, 28),
        dt.date(2028, 4, 16),
    ]
    days = {h.date: h.name("en") for h in load_holidays("estonia").days(2027)}
    assert days[dt.date(2027, 3, 26)] == "Good Friday"
    assert days[dt.date(2027, 5, 16)] == "Whit Sunday (Pentecost)"
    assert days[dt.date(2027, 2, 24)] == "Independence Day"
    assert len(days) == 12


@pytest.mark.parametrize("year", [2026, 2027, 2028])
def test_tajik_holidays_have_navruz_four_days_both_eids_and_no_first_of_may(year):
    tajik = load_holidays("tajikistan")
    days = tajik.days(year)
    navruz = [h.date for h in days if h.name("en") == "Navruz"]
    assert navruz == [dt.date(year, 3, d) for d in (21, 22, 23, 24)]
    eids = [h for h in days if h.name("en").startswith("Eid")]
    assert len(eids) == 2 and all(h.estimated for h in eids)
    assert dt.date(year, 5, 1) not in {h.date for h in days}
    assert all(h.name("tg") for h in days) and tajik.missing_years(year) is None


def test_a_year_without_lunar_dates_is_said_so():
    note = load_holidays("tajikistan").missing_years(2031)
    assert note and "Eid al-Adha" in note and "2026–2028" in note and "2031" in note


def test_a_holidays_file_of_ones_own(tmp_path: Path):
    path = tmp_path / "fairs.toml"
    path.write_text(
        'code = "fair"\n[[day]]\ndate = "2027-11-13"\ndays = 2\nname = { en = "Mardilaat" }\n'
        '[[day]]\neaster = 1\nname = "Easter Monday"\n',
        encoding="utf-8",
    )
    days = load_holidays(path).days(2027)
    assert [(h.date, h.calendar) for h in days] == [
        (dt.date(2027, 3, 29), "fair"),
        (dt.date(2027, 11, 13), "fair"),
        (dt.date(2027, 11, 14), "fair"),
    ]


@pytest.mark.parametrize(
    "text, words",
    [
        ('[[day]]\ndate = "13-45"\nname = "x"\n', "day 1: date '13-45' is not a day"),
        ('[[day]]\ndate = "March"\nname = "x"\n', "write MM-DD"),
        ('[[day]]\ndate = "03-08"\n', "day 1: name must be"),
        ("code = 'x'\n", "no [[day]] entries"),
        ("[[day]\n", "not valid TOML"),
    ],
)
def test_a_bad_holidays_file_is_refused_with_the_place_of_the_mistake(tmp_path, text, words):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageProblem) as caught:
        load_holidays(path)
    assert words in str(caught.value) and str(path) in str(caught.value)


def test_languages_and_picks_are_read_or_refused():
    assert parse_languages("en+tg") == ("en", "tg")
    assert parse_languages("RU, tg") == ("ru", "tg")
    assert parse_picks(["3=3fa2c9", "Dec=81b0e2"]) == {3: "3fa2c9", 12: "81b0e2"}
    for bad in ("fr", "en+de", ""):
        with pytest.raises(UsageProblem, match="en, ru, tg"):
            parse_languages(bad)
    for bad in (["13=3fa2c9"], ["march"], ["3=a", "march=b"]):
        with pytest.raises(UsageProblem):
            parse_picks(bad)


@pytest.fixture
def small(cli: Cli, photos: Path) -> tuple[Cli, list[str]]:
    """Two public photos and one that is not."""
    (photos / "IMG_0001.jpg.toml").write_text('consent = "public"\n', encoding="utf-8")
    (photos / "IMG_0002.jpg.toml").write_text('consent = "internal"\n', encoding="utf-8")
    cli("ingest", str(photos), "--jobs", "1")
    keys = [i["key"] for i in cli.json("list")]
    return cli, keys


def test_the_commands_refuse_what_they_cannot_print(small, tmp_path: Path):
    cli, keys = small
    out = str(tmp_path / "out.pdf")
    internal = next(k for k in keys if cli.json("show", k)["consent"] == "internal")
    cases = [
        (["--language", "fr"], 2, "--language 'fr'"),
        (["--pick", f"1={internal}"], 2, "its consent is 'internal', not public"),
        (["--pick", f"1={keys[0]}", "--pick", f"2={keys[0]}"], 2, "a photo is used once"),
        (["--query", "felt", "--collection", "x"], 2, "not both"),
        (["--holidays", "narnia"], 2, "no such file (or give one of: estonia, tajikistan)"),
        (["--year", "20270"], 2, "--year 20270"),
        ([], 1, "a calendar needs 12 different public photos; the archive has 1"),
    ]
    for args, code, words in cases:
        result = cli("print", "calendar", "--year", "2027", *args, out, code=code)
        assert words in result.stderr, (args, result.stderr)
    result = cli("print", "catalogue", out, code=1)
    assert 'set one with `archive edit KEY --set price="25 EUR"`' in result.stderr
    assert not (tmp_path / "out.pdf").exists()
