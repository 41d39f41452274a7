"""When an item was taken: reading a typed date, its precision, and shifting it by a duration."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from catalog.errors import InvalidValue

# From coarsest to finest; a date is stored written to its precision ("2015", "2015-08-16T10:30").
PRECISIONS: tuple[str, ...] = ("year", "month", "day", "minute", "second")
_EXAMPLE = "write 2015-08-16T10:30, 2015-08-16, 2015-08 or 2015"
_TYPED = re.compile(
    r"^(?P<year>\d{4})"
    r"(?:[-:](?P<month>\d{2})"
    r"(?:[-:](?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?P<fraction>\.\d+)?)?"
    r"\s*(?P<zone>Z|[+\-]\d{2}:?\d{2})?"
    r")?)?)?$"
)
# Units of a shift, each with the finest precision it still moves.
_UNITS = {
    "y": "year",
    "mo": "month",
    "w": "day",
    "d": "day",
    "h": "minute",
    "m": "minute",
    "s": "second",
}
_SHIFT_PART = re.compile(r"(\d+)(mo|y|w|d|h|m|s)")


@dataclass(frozen=True)
class Parts:
    """A date taken, split up; missing parts are None (a date alone, a month, a year)."""

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    fraction: str = ""
    zone: str = ""

    @property
    def precision(self) -> str:
        if self.month is None:
            return "year"
        if self.day is None:
            return "month"
        if self.hour is None:
            return "day"
        return "minute" if self.second is None else "second"

    def text(self) -> str:
        """The ISO 8601 form, written to its precision (``2015-08``, ``2015-08-16T10:30``)."""
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
        if self.day is not None:
            out += f"-{self.day:02d}"
        if self.hour is not None:
            out += f"T{self.hour:02d}:{self.minute or 0:02d}"
            if self.second is not None:
                out += f":{self.second:02d}{self.fraction}"
            out += self.zone
        return out


def parse(value: object) -> Parts:
    """``2015-08-16T10:30``, ``2015-08-16 10:30:05+05:00``, ``2015-08-16``, ``2015-08``,
    ``2015`` (also EXIF's ``2015:08:16 10:30:00``); raises InvalidValue otherwise."""
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    elif isinstance(value, dt.date):
        value = value.isoformat()
    text = str(value).strip()
    match = _TYPED.match(text)
    if not match:
        raise InvalidValue(f"{text!r} is not a date and time; {_EXAMPLE}")
    found = {k: int(v) for k, v in match.groupdict().items() if v and k not in ("fraction", "zone")}
    zone = match.group("zone") or ""
    if zone and zone != "Z" and ":" not in zone:
        zone = f"{zone[:3]}:{zone[3:]}"
    parts = Parts(
        year=found["year"],
        month=found.get("month"),
        day=found.get("day"),
        hour=found.get("hour"),
        minute=found.get("minute"),
        second=found.get("second"),
        fraction=match.group("fraction") or "",
        zone=zone,
    )
    try:
        dt.datetime(
            parts.year,
            parts.month or 1,
            parts.day or 1,
            parts.hour or 0,
            parts.minute or 0,
            parts.second or 0,
        )
    except ValueError as exc:
        raise InvalidValue(f"{text!r} is not a date and time ({exc}); {_EXAMPLE}") from exc
    if zone and zone != "Z" and (int(zone[1:3]) > 14 or int(zone[4:6]) > 59):
        raise InvalidValue(f"{text!r} has an impossible time zone offset {zone!r}")
    return parts


def normalise(value: object) -> str | None:
    """A typed date taken in the stored form; empty means undated."""
    if value is None or not str(value).strip():
        return None
    return parse(value).text()


def precision_of(taken_at: str | None) -> str | None:
    """``year``, ``month``, ``day``, ``minute`` or ``second``; None when undated or unreadable."""
    if not taken_at:
        return None
    try:
        return parse(taken_at).precision
    except InvalidValue:
        return None


@dataclass(frozen=True)
class Shift:
    """A duration to move dates by: ``+5h30m``, ``-1y2d`` (y, mo, w, d, h, m, s)."""

    sign: int
    amounts: tuple[tuple[str, int], ...]  # (unit, amount) as typed

    @property
    def text(self) -> str:
        return ("-" if self.sign < 0 else "+") + "".join(f"{n}{u}" for u, n in self.amounts)

    def inverse(self) -> Shift:
        return Shift(-self.sign, self.amounts)


def parse_shift(text: str) -> Shift:
    """``+5h30m``, ``-1y2d``, ``2d`` (plus when no sign); raises InvalidValue otherwise."""
    raw = text.strip().replace(" ", "")
    sign = -1 if raw.startswith("-") else 1
    body = raw[1:] if raw[:1] in "+-" else raw
    amounts: list[tuple[str, int]] = []
    position = 0
    for match in _SHIFT_PART.finditer(body):
        if match.start() != position:
            break
        position = match.end()
        unit = match.group(2)
        if any(u == unit for u, _ in amounts):
            raise InvalidValue(f"{text!r} names {unit!r} twice")
        amounts.append((unit, int(match.group(1))))
    if not amounts or position != len(body):
        raise InvalidValue(
            f"{text!r} is not a duration; write it like +5h30m or -1y2d "
            "(y years, mo months, w weeks, d days, h hours, m minutes, s seconds)"
        )
    return Shift(sign, tuple(amounts))


def shift(taken_at: str, by: Shift) -> str:
    """``taken_at`` moved by ``by``, kept to its precision: a date known to the day moves by
    the years, months, weeks and days of ``by`` only; a year only by its years."""
    parts = parse(taken_at)
    finest = PRECISIONS.index(parts.precision)
    amount = {u: n for u, n in by.amounts if PRECISIONS.index(_UNITS[u]) <= finest}
    months = by.sign * (amount.get("y", 0) * 12 + amount.get("mo", 0))
    year, month0 = divmod(parts.year * 12 + (parts.month or 1) - 1 + months, 12)
    month = month0 + 1
    day = min(parts.day or 1, calendar.monthrange(year, month)[1])
    try:
        moment = dt.datetime(
            year, month, day, parts.hour or 0, parts.minute or 0, parts.second or 0
        )
        moment += by.sign * dt.timedelta(
            weeks=amount.get("w", 0),
            days=amount.get("d", 0),
            hours=amount.get("h", 0),
            minutes=amount.get("m", 0),
            seconds=amount.get("s", 0),
        )
    except (ValueError, OverflowError) as exc:
        raise InvalidValue(f"{taken_at} moved by {by.text} leaves the calendar") from exc
    return Parts(
        year=moment.year,
        month=moment.month if parts.month is not None else None,
        day=moment.day if parts.day is not None else None,
        hour=moment.hour if parts.hour is not None else None,
        minute=moment.minute if parts.hour is not None else None,
        second=moment.second if parts.second is not None else None,
        fraction=parts.fraction,
        zone=parts.zone,
    ).text()
