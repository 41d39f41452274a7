"""Telling the language of a caption from its script: Tajik, Russian, Estonian or English."""

from __future__ import annotations

# Letters of Tajik Cyrillic that Russian does not have.
_TAJIK = frozenset("ғқҳҷӣӯҒҚҲҶӢӮ")
# Frequent Tajik words written without those letters, and not Russian words.
_TAJIK_WORDS = frozenset(
    {"дар", "ва", "аз", "бо", "ки", "барои", "мешавад", "мекунад", "карда", "намад", "пашм"}
)
# Letters that, in an otherwise Latin text, point to Estonian (õ above all).
_ESTONIAN = frozenset("õÕäÄöÖüÜšŠžŽ")


def detect(text: str) -> str:
    """``tg`` for Cyrillic with Tajik letters (or frequent Tajik words), ``ru`` for other
    Cyrillic, ``et`` for Latin with õ (or ä/ö/ü without German ß), else ``en``."""
    cyrillic = latin = 0
    for char in text:
        if "\u0400" <= char <= "\u04ff":
            cyrillic += 1
        elif char.isalpha() and (char.isascii() or char in _ESTONIAN):
            latin += 1
    if cyrillic and cyrillic >= latin:
        if any(c in _TAJIK for c in text):
            return "tg"
        words = {w.strip(".,;:!?()«»\"'").lower() for w in text.split()}
        return "tg" if words & _TAJIK_WORDS else "ru"
    if "õ" in text or "Õ" in text:
        return "et"
    if any(c in "äÄöÖüÜ" for c in text) and "ß" not in text:
        return "et"
    return "en"
