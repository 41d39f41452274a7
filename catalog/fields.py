"""Checking and normalising the values people give to descriptive fields."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from catalog import dates
from catalog.chapters import Chapter, ordered
from catalog.errors import InvalidValue
from catalog.models import (
    CONSENT_DETAILS,
    DESCRIPTIVE_FIELDS,
    LIST_FIELDS,
    PER_LANGUAGE_FIELDS,
    TEXT_FIELDS,
    TEXT_LANGUAGES,
    Consent,
)
from catalog.prices import normalise_available, normalise_price
from catalog.textlang import detect
from catalog.vocabulary import NAMES, Vocabularies

# The date taken is read from the file, and people may correct it (or date an undated item).
EDITABLE_FIELDS: tuple[str, ...] = (*DESCRIPTIVE_FIELDS, "taken_at")
# Fields the catalogue stores that are changed by their own commands, not by FIELD=VALUE.
STRUCTURED_FIELDS: tuple[str, ...] = ("chapters",)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def normalise(field: str, value: Any) -> Any:
    """Return ``value`` in the form the catalogue stores for ``field``.

    Text fields take a string (empty means unset); list fields take a list or a
    comma-separated string; consent takes one of its three words.
    """
    if field == "chapters":
        chapters = [c if isinstance(c, Chapter) else Chapter.from_dict(c) for c in value or ()]
        return ordered(chapters)
    if field == "taken_at":
        return dates.normalise(value)
    if field not in EDITABLE_FIELDS:
        known = ", ".join(sorted(EDITABLE_FIELDS))
        raise InvalidValue(f"unknown field {field!r}; editable fields are: {known}")
    if field == "consent":
        text = str(value).strip().lower() if value is not None else ""
        allowed = [c.value for c in Consent]
        if text not in allowed:
            raise InvalidValue(f"consent must be one of {', '.join(allowed)}, not {value!r}")
        return text
    if field in LIST_FIELDS:
        values = normalise_list(value)
        if field == "collections":
            values = tuple(dict.fromkeys(collection_slug(v) for v in values))
        return values
    if field == "consent_date":
        return parse_date(value)
    if field == "price":
        return normalise_price(value)
    if field == "available":
        return normalise_available(value)
    if field in TEXT_FIELDS or field == "dimensions":
        if value is None:
            return None
        if isinstance(value, (list, tuple, dict)):
            raise InvalidValue(f"{field} takes text, not {type(value).__name__}")
        text = str(value).strip()
        return text or None
    raise InvalidValue(f"unknown field {field!r}")  # pragma: no cover


def column(name: str) -> str:
    """A field as people may write it, as its column: ``title.tg`` → ``title_tg``."""
    text = name.strip().lower()
    field, dot, lang = text.partition(".")
    if dot and field in PER_LANGUAGE_FIELDS:
        if lang not in TEXT_LANGUAGES:
            raise InvalidValue(f"{field} in {lang!r}: languages are {', '.join(TEXT_LANGUAGES)}")
        return f"{field}_{lang}"
    return text


def normalise_list(value: Any) -> tuple[str, ...]:
    """A tuple of distinct, stripped, non-empty strings in their first order."""
    if value is None:
        return ()
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, (list, tuple)):
        parts = [str(v) for v in value]
    else:
        parts = [str(value)]
    seen: dict[str, None] = {}
    for part in parts:
        text = part.strip()
        if text and text not in seen:
            seen[text] = None
    return tuple(seen)


def expand(field: str, value: Any) -> dict[str, Any]:
    """One change as the columns it sets.

    ``title``/``description`` with a plain string set the column of the language the text
    is written in (told from its script); with a table ``{lang: text}`` one column per
    language; with nothing, every language. ``consent`` may be a table with ``status``,
    ``by``, ``date`` and ``note``.
    """
    if field in PER_LANGUAGE_FIELDS:
        if isinstance(value, dict):
            result = {}
            for lang, text in value.items():
                code = str(lang).strip().lower()
                if code not in TEXT_LANGUAGES:
                    raise InvalidValue(
                        f"{field} in {code!r}: languages are {', '.join(TEXT_LANGUAGES)}"
                    )
                result[f"{field}_{code}"] = text
            return result
        if value is None or (isinstance(value, str) and not value.strip()):
            return {f"{field}_{lang}": None for lang in TEXT_LANGUAGES}
        if isinstance(value, (list, tuple)):
            raise InvalidValue(f"{field} takes text, not {type(value).__name__}")
        text = str(value).strip()
        return {f"{field}_{detect(text)}": text}
    if field == "consent" and isinstance(value, dict):
        known = {"status", "by", "date", "note"}
        unknown = set(value) - known
        if unknown:
            raise InvalidValue(f"consent takes status, by, date and note, not {sorted(unknown)}")
        result = {f"consent_{k}": value[k] for k in ("by", "date", "note") if k in value}
        if "status" in value:
            result["consent"] = value["status"]
        return result
    return {field: value}


def preferred(texts: dict[str, str | None]) -> str | None:
    """The text shown where one language must be chosen: English, else the first set."""
    for lang in TEXT_LANGUAGES:
        if texts.get(lang):
            return texts[lang]
    return None


def check_terms(field: str, value: Any, vocabularies: Vocabularies) -> Any:
    """Vocabulary fields: each label (in any language or spelling) becomes its term's slug.

    An unknown label raises InvalidValue with the nearest terms as suggestions.
    """
    if field not in NAMES or value in (None, ()):  # every vocabulary names its field
        return value
    vocabulary = vocabularies[field]
    labels = value if isinstance(value, tuple) else (value,)
    slugs = []
    for label in labels:
        term = vocabulary.find(label)
        if term is None:
            hint = suggestion(vocabulary, label)
            raise InvalidValue(f"{field}: {label!r} is not a known term{hint}")
        slugs.append(term.slug)
    if isinstance(value, tuple):
        return tuple(dict.fromkeys(slugs))
    return slugs[0]


def suggestion(vocabulary: Any, label: str) -> str:
    """``; felting? (намадмолӣ)``, or how to add a term when nothing comes close."""
    near = vocabulary.suggest(label, limit=2)
    if not near:
        return f" (add it to the archive's vocabularies/{vocabulary.name}.toml)"
    shown = []
    for term in near:
        other = term.labels.get("tg") or term.labels.get("ru") or ""
        shown.append(f"{term.slug}? ({other})" if other else f"{term.slug}?")
    return "; " + " or ".join(shown)


def collection_slug(text: str) -> str:
    """The slug a collection is stored under: ``Felt 2015`` → ``felt-2015``; lower case,
    spaces, underscores and slashes become hyphens, letters of any script stay.

    Not ``catalog.folding.slugify``: catalogues hold collection slugs made by this rule
    (``хорог-2015``), and a name given again must find the same collection."""
    slug = re.sub(r"[\s_/]+", "-", str(text).strip().lower())
    return re.sub(r"-+", "-", slug).strip("-")


def parse_date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    if not _DATE.match(text):
        raise InvalidValue(f"{text!r} is not a date (write 2015-08-14, 2015-08 or 2015)")
    return text


__all__ = [
    "CONSENT_DETAILS",
    "check_terms",
    "collection_slug",
    "expand",
    "normalise",
    "preferred",
]
