"""Checking and normalising the values people give to descriptive fields."""

from __future__ import annotations

from typing import Any

from catalog.errors import InvalidValue
from catalog.models import DESCRIPTIVE_FIELDS, LIST_FIELDS, TEXT_FIELDS, Consent

EDITABLE_FIELDS: tuple[str, ...] = DESCRIPTIVE_FIELDS


def normalise(field: str, value: Any) -> Any:
    """Return ``value`` in the form the catalogue stores for ``field``.

    Text fields take a string (empty means unset); list fields take a list or a
    comma-separated string; consent takes one of its three words.
    """
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
        return normalise_list(value)
    if field in TEXT_FIELDS:
        if value is None:
            return None
        if isinstance(value, (list, tuple, dict)):
            raise InvalidValue(f"{field} takes text, not {type(value).__name__}")
        text = str(value).strip()
        return text or None
    raise InvalidValue(f"unknown field {field!r}")  # pragma: no cover


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
