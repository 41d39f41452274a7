"""Video chapters: time ranges with a process step and a caption per language, and WebVTT."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from catalog.errors import InvalidValue


@dataclass(frozen=True)
class Chapter:
    """One stretch of a video: seconds from the start, a process step slug, captions."""

    start: float
    end: float
    process_step: str | None = None
    caption: dict[str, str] = field(default_factory=dict, hash=False, compare=True)

    def text(self, language: str = "en", fallback: tuple[str, ...] = ("en", "ru", "tg")) -> str:
        for lang in (language, *fallback):
            if self.caption.get(lang):
                return self.caption[lang]
        return next(iter(self.caption.values()), "") or (self.process_step or "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "process_step": self.process_step,
            "caption": dict(self.caption),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chapter:
        try:
            start, end = float(data["start"]), float(data["end"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidValue(f"a chapter needs a start and an end time: {data!r}") from exc
        caption = data.get("caption") or {}
        if isinstance(caption, str):
            caption = {"und": caption}
        return cls(start, end, data.get("process_step") or None, dict(caption))


_TIME = re.compile(r"^\s*(?:(\d+):)?(?:(\d+):)?(\d+(?:[.,]\d+)?)\s*$")


def parse_time(text: str) -> float:
    """``1:30`` → 90.0, ``1:02:03.5`` → 3723.5, ``95`` → 95.0."""
    match = _TIME.match(text)
    if not match:
        raise InvalidValue(f"{text!r} is not a time (write 1:30 or 1:02:03 or 95)")
    first, second, seconds = match.groups()
    hours, minutes = (int(first), int(second)) if second is not None else (0, int(first or 0))
    return hours * 3600 + minutes * 60 + float(seconds.replace(",", "."))


def parse_range(text: str) -> tuple[float, float]:
    """``0:00-1:30`` → (0.0, 90.0); the end must come after the start."""
    start_text, sep, end_text = text.partition("-")
    if not sep:
        raise InvalidValue(f"{text!r} is not a time range (write 0:00-1:30)")
    start, end = parse_time(start_text), parse_time(end_text)
    if end <= start:
        raise InvalidValue(f"the range {text!r} ends before it starts")
    return start, end


def format_time(seconds: float, *, vtt: bool = False) -> str:
    """90.0 → ``1:30`` (or ``00:01:30.000`` for WebVTT)."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    if vtt:
        return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return text + (f".{millis:03d}".rstrip("0") if millis else "")


def ordered(chapters: Iterable[Chapter]) -> tuple[Chapter, ...]:
    """Chapters by start time; overlapping ranges are refused."""
    result = tuple(sorted(chapters, key=lambda c: (c.start, c.end)))
    for before, after in zip(result, result[1:], strict=False):
        if after.start < before.end:
            raise InvalidValue(
                f"chapters {format_time(before.start)}-{format_time(before.end)} and "
                f"{format_time(after.start)}-{format_time(after.end)} overlap"
            )
    return result


def to_webvtt(chapters: Iterable[Chapter], lang: str = "en") -> str:
    """A WebVTT chapters track: one cue per chapter, its caption in ``lang`` (with fallback)."""
    lines = ["WEBVTT", ""]
    for number, chapter in enumerate(chapters, start=1):
        text = chapter.text(lang).replace("-->", "→").replace("\n", " ").strip()
        lines += [
            str(number),
            f"{format_time(chapter.start, vtt=True)} --> {format_time(chapter.end, vtt=True)}",
            text or str(number),
            "",
        ]
    return "\n".join(lines)
