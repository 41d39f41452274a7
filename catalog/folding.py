"""Fold text to one lower-case, accent-free Latin form, so any spelling finds the others."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

# Apostrophe-like marks: ASCII, typographic, modifier letters (ʼ ʻ ʹ), grave and acute.
_APOSTROPHES = re.compile("['\u2019\u2018\u02bc\u02bb\u02b9`\u00b4]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Return ``text`` lower-cased, transliterated to ASCII and without apostrophes.

    Russian and Tajik Cyrillic become Latin with anyascii (Хоруғ → khorugh, Ҷӯроб → jurob,
    намадмолӣ → namadmoli); ё is read as е and the hard sign ъ is dropped before that;
    accents go (é → e); apostrophes and the soft sign (which anyascii writes as ') go too,
    so Роштқалъа, Roshtqal'a and roshtqala fold alike. Spaces and punctuation other than
    apostrophes are kept, so the result can be split into words like the input.
    """
    text = unicodedata.normalize("NFC", text).lower()
    text = text.replace("ё", "е").replace("ъ", "")
    text = _APOSTROPHES.sub("", text)
    text = anyascii(text)
    return _APOSTROPHES.sub("", text).lower()


def slugify(text: str) -> str:
    """``text`` folded, each run of characters other than a-z and 0-9 made one hyphen:
    ``Felt workshop, Хорог`` → ``felt-workshop-khorog`` (may be empty)."""
    return _NOT_SLUG.sub("-", fold(text)).strip("-")
