"""Holiday files: the days a calendar marks, read from the shipped sets or the user's TOML."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from archive.errors import UsageProblem

# Shipped sets, by the names people may give to --holidays.
SHIPPED: dict[str, str] = {
    "tajikistan": "tajikistan.toml",
    "tj": "tajikistan.toml",
    "estonia": "estonia.toml",
    "ee": "estonia.toml",
}
_EVERY_YEAR = re.compile(r"(\d\d)-(\d\d)")
_ONE_YEAR = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
_CODE = re.compile(r"[a-z][a-z0-9-]{0,15}")


@dataclass(frozen=True)
class Holiday:
    """One marked day of one calendar."""

    date: dt.date
    names: dict[str, str] = field(hash=False)
    calendar: str = ""  # the set's code: "tj", "ee"
    estimated: bool = False

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or next(iter(self.names), "")


@dataclass(frozen=True)
class _Rule:
    month_day: tuple[int, int] | None = None  # every year
    on: dt.date | None = None  # one year only
    easter: int | None = None  # days after Western Easter
    days: int = 1
    estimated: bool = False
    names: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class HolidaySet:
    """A country's (or the user's) holidays: rules that give the days of any year."""

    code: str
    names: dict[str, str] = field(hash=False)
    source: str
    rules: tuple[_Rule, ...]
    origin: str  # the shipped name or the file it was read from

    def days(self, year: int) -> tuple[Holiday, ...]:
        found: list[Holiday] = []
        for rule in self.rules:
            if rule.on is not None:
                if rule.on.year != year:
                    continue
                first = rule.on
            elif rule.easter is not None:
                first = easter(year) + dt.timedelta(days=rule.easter)
            else:
                month, day = rule.month_day or (1, 1)
                if (month, day) == (2, 29) and not _leap(year):
                    continue
                first = dt.date(year, month, day)
            for n in range(rule.days):
                day_n = first + dt.timedelta(days=n)
                if day_n.year == year:
                    found.append(Holiday(day_n, rule.names, self.code, rule.estimated))
        return tuple(sorted(found, key=lambda h: (h.date, h.name("en"))))

    def missing_years(self, year: int) -> str | None:
        """A note when the set lists one-year days (lunar feasts) but none for ``year``."""
        dated = [r for r in self.rules if r.on is not None]
        if not dated or any(r.on and r.on.year == year for r in dated):
            return None
        years = sorted({r.on.year for r in dated if r.on})
        names = sorted({r.names.get("en", "") for r in dated} - {""})
        return (
            f"holidays {self.origin}: {', '.join(names)} are listed for "
            f"{years[0]}–{years[-1]} only, not {year}; add that year's dates to a --holidays file"
        )


def easter(year: int) -> dt.date:
    """Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/
    Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def load_holidays(spec: str | Path) -> HolidaySet:
    """A shipped set by name (``tajikistan``, ``estonia``) or a TOML file of the same form."""
    key = str(spec).strip().lower()
    if key in SHIPPED and not Path(spec).is_file():
        entry = resources.files("archive.printing").joinpath("holidays", SHIPPED[key])
        return _parse(entry.read_text(encoding="utf-8"), key)
    path = Path(spec).expanduser()
    if not path.is_file():
        names = ", ".join(sorted({n for n in SHIPPED if len(n) > 2}))
        raise UsageProblem(f"--holidays {spec}: no such file (or give one of: {names})")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageProblem(f"--holidays {path}: cannot be read ({exc})") from exc
    return _parse(text, str(path))


def _parse(text: str, origin: str) -> HolidaySet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageProblem(f"holidays {origin}: not valid TOML: {exc}") from exc
    code = str(data.get("code") or Path(origin).stem[:16]).lower()
    if not _CODE.fullmatch(code):
        raise UsageProblem(f"holidays {origin}: code = {code!r} must be a short word like 'tj'")
    days = data.get("day") or []
    if not isinstance(days, list) or not days:
        raise UsageProblem(f"holidays {origin}: no [[day]] entries")
    rules = tuple(_rule(entry, n, origin) for n, entry in enumerate(days, start=1))
    return HolidaySet(
        code=code,
        names=_names(data.get("name") or {code: code}, f"holidays {origin}: name"),
        source=str(data.get("source") or ""),
        rules=rules,
        origin=origin,
    )


def _rule(entry: Any, number: int, origin: str) -> _Rule:
    where = f"holidays {origin}: day {number}"
    if not isinstance(entry, dict):
        raise UsageProblem(f"{where}: must be a table with date (or easter) and name")
    names = _names(entry.get("name"), f"{where}: name")
    days = entry.get("days", 1)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 31:
        raise UsageProblem(f"{where}: days = {days!r} must be a whole number from 1 to 31")
    estimated = bool(entry.get("estimated", False))
    if "easter" in entry:
        offset = entry["easter"]
        if isinstance(offset, bool) or not isinstance(offset, int) or abs(offset) > 200:
            raise UsageProblem(f"{where}: easter = {offset!r} must be days after Easter, like -2")
        return _Rule(easter=offset, days=days, estimated=estimated, names=names)
    raw = str(entry.get("date", "")).strip()
    try:
        if match := _ONE_YEAR.fullmatch(raw):
            year, month, day = (int(g) for g in match.groups())
            return _Rule(on=dt.date(year, month, day), days=days, estimated=estimated, names=names)
        if match := _EVERY_YEAR.fullmatch(raw):
            month, day = (int(g) for g in match.groups())
            dt.date(2024, month, day)  # a leap year: 02-29 is allowed
            return _Rule(month_day=(month, day), days=days, estimated=estimated, names=names)
    except ValueError as exc:
        raise UsageProblem(f"{where}: date {raw!r} is not a day of the year ({exc})") from exc
    raise UsageProblem(
        f"{where}: date = {raw!r}; write MM-DD (every year) or YYYY-MM-DD, or easter = N"
    )


def _names(value: Any, where: str) -> dict[str, str]:
    if isinstance(value, str) and value.strip():
        return {"en": value.strip()}
    if isinstance(value, dict):
        names = {str(k): str(v).strip() for k, v in value.items() if str(v).strip()}
        if names:
            return names
    raise UsageProblem(f"{where} must be text or a table such as {{ en = …, tg = … }}")


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
