"""What the print templates show: months, captions and products, as plain values per language.

Only what a reader of a calendar or a buyer needs reaches a template: titles, descriptions,
maker, photographer, place (a vocabulary term, so never finer than the village), technique,
material, dimensions, price. Never GPS, camera details or consent notes.
"""

from __future__ import annotations

import calendar as gregorian
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from archive.printing.holidays import Holiday
from archive.printing.words import PrintWords
from catalog.models import Item
from catalog.prices import parse_price
from catalog.vocabulary import Vocabularies

# A Tajik page falls back to Russian before English (as the site does).
FALLBACK: dict[str, tuple[str, ...]] = {
    "en": ("en", "ru", "tg"),
    "ru": ("ru", "en", "tg"),
    "tg": ("tg", "ru", "en"),
}


@dataclass(frozen=True)
class Text:
    """A text and the language it is written in (for the ``lang`` attribute)."""

    lang: str
    text: str


@dataclass(frozen=True)
class Day:
    day: int
    iso: str
    weekend: bool
    holidays: tuple[str, ...]  # codes of the holiday sets that mark it ("tj", "ee")


@dataclass(frozen=True)
class Marked:
    """A line of a month's legend: the days ("21–24") and the holiday's name in each
    language."""

    days: str
    names: tuple[Text, ...]
    calendar: str
    estimated: bool


@dataclass(frozen=True)
class Photo:
    key: str
    src: str | None  # file URL of the print copy; None while the pages are only measured
    titles: tuple[Text, ...]
    maker: str | None
    photographer: str | None
    places: tuple[Text, ...]


@dataclass(frozen=True)
class Month:
    number: int
    slot: str
    names: tuple[Text, ...]
    weeks: tuple[tuple[Day | None, ...], ...]
    marked: tuple[Marked, ...]
    photo: Photo | None


@dataclass(frozen=True)
class Product:
    key: str
    src: str | None
    titles: tuple[Text, ...]
    descriptions: tuple[Text, ...]
    maker: str | None
    places: tuple[Text, ...]
    techniques: tuple[Text, ...]
    materials: tuple[Text, ...]
    object_types: tuple[Text, ...]
    dimensions: str | None
    prices: tuple[Text, ...]
    available: int | None
    slot: str


def languages_words(languages: tuple[str, ...]) -> tuple[PrintWords, ...]:
    return tuple(PrintWords(lang) for lang in languages)


def weekday_header(languages: tuple[str, ...]) -> tuple[tuple[Text, ...], ...]:
    """Seven columns, Monday first, each with the weekday's name in every language."""
    return tuple(
        tuple(Text(lang, PrintWords(lang).weekdays()[column]) for lang in languages)
        for column in range(7)
    )


def month(
    year: int,
    number: int,
    languages: tuple[str, ...],
    holidays: tuple[Holiday, ...],
    photo: Photo | None = None,
) -> Month:
    """The grid of one month, Monday first, with its marked days."""
    inside = [h for h in holidays if h.date.year == year and h.date.month == number]
    marks: dict[dt.date, list[str]] = {}
    for holiday in inside:
        marks.setdefault(holiday.date, []).append(holiday.calendar)
    weeks = []
    for week in gregorian.Calendar(firstweekday=0).monthdatescalendar(year, number):
        weeks.append(
            tuple(
                Day(d.day, d.isoformat(), d.weekday() >= 5, tuple(dict.fromkeys(marks.get(d, []))))
                if d.month == number
                else None
                for d in week
            )
        )
    marked = tuple(_legend(inside, languages))
    names = tuple(Text(lang, PrintWords(lang).month(number)) for lang in languages)
    return Month(number, f"month-{number}", names, tuple(weeks), marked, photo)


def _legend(inside: list[Holiday], languages: tuple[str, ...]) -> list[Marked]:
    """One line per holiday; the days of a holiday of several days in a row joined: 21–24."""
    runs: list[tuple[Holiday, Holiday]] = []
    for holiday in sorted(inside, key=lambda h: (h.calendar, h.date)):
        last = runs[-1] if runs else None
        if (
            last is not None
            and last[1].names == holiday.names
            and last[1].calendar == holiday.calendar
            and (holiday.date - last[1].date).days == 1
        ):
            runs[-1] = (last[0], holiday)
        else:
            runs.append((holiday, holiday))
    return [
        Marked(
            str(first.date.day) if first == end else f"{first.date.day}–{end.date.day}",
            distinct(Text(lang, first.name(lang)) for lang in languages),
            first.calendar,
            first.estimated,
        )
        for first, end in sorted(runs, key=lambda r: (r[0].date, r[0].calendar))
    ]


def photo(item: Item, src: str | None, languages: tuple[str, ...], terms: Vocabularies) -> Photo:
    return Photo(
        key=item.key,
        src=src,
        titles=texts(item, "title", languages),
        maker=item.maker,
        photographer=item.photographer,
        places=labels(terms, "place", (item.place,) if item.place else (), languages),
    )


def product(
    item: Item, src: str | None, languages: tuple[str, ...], terms: Vocabularies, slot: str
) -> Product:
    price = parse_price(item.price)
    return Product(
        key=item.key,
        src=src,
        titles=texts(item, "title", languages),
        descriptions=texts(item, "description", languages),
        maker=item.maker,
        places=labels(terms, "place", (item.place,) if item.place else (), languages),
        techniques=labels(terms, "technique", item.technique, languages),
        materials=labels(terms, "material", item.material, languages),
        object_types=labels(terms, "object_type", item.object_type, languages),
        dimensions=item.dimensions,
        prices=distinct(Text(lang, price.display(lang)) for lang in languages) if price else (),
        available=item.available,
        slot=slot,
    )


def texts(item: Item, name: str, languages: tuple[str, ...]) -> tuple[Text, ...]:
    """The item's title or description in each chosen language it is written in; when it
    is written in none of them, in the nearest one it has."""
    written = item.texts(name)
    found = [Text(lang, written[lang]) for lang in languages if written.get(lang)]
    if not found and written:
        for lang in (*FALLBACK[languages[0]], *written):
            if written.get(lang):
                found.append(Text(lang if lang != "und" else languages[0], written[lang]))
                break
    return distinct(found)


def labels(
    terms: Vocabularies, vocabulary: str, values: tuple[str, ...], languages: tuple[str, ...]
) -> tuple[Text, ...]:
    """Each language's labels of the terms, joined: ``felting, knitting``."""
    found = []
    for lang in languages:
        words = []
        for value in values:
            term = terms[vocabulary].get(str(value)) or terms[vocabulary].find(str(value))
            words.append(term.label(lang, FALLBACK[lang]) if term else str(value))
        if words:
            found.append(Text(lang, ", ".join(dict.fromkeys(words))))
    return distinct(found)


def distinct(texts: Iterable[Text]) -> tuple[Text, ...]:
    """The texts without repeats (a fallback can give the same text in two languages)."""
    seen: dict[str, Text] = {}
    for text in texts:
        seen.setdefault(text.text, text)
    return tuple(seen.values())
