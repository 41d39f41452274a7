"""Controlled vocabularies: terms with slugs, labels per language, variants and parents."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from catalog.errors import CatalogError
from catalog.folding import fold
from catalog.models import SUBJECT_FIELDS

# Every vocabulary, named for the item field whose values are its terms.
NAMES: tuple[str, ...] = (*SUBJECT_FIELDS, "language")
LANGUAGES: tuple[str, ...] = ("en", "ru", "tg")
_KNOWN_KEYS = {
    "en",
    "ru",
    "tg",
    "et",
    "sgh",
    "wbl",
    "tg_status",
    "alt",
    "family",
    "aat",
    "wikidata",
    "note",
    "parent",
    "broader",
    "type",
    "order",
}


class VocabularyError(CatalogError):
    """A vocabulary file is malformed, or a value names no term."""


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary."""

    vocabulary: str
    slug: str
    labels: dict[str, str] = field(hash=False)  # preferred label per language; "" = unknown
    alt: tuple[str, ...] = ()
    # Words derived from the labels (noun, adjective, verb: войлок, войлочный, валять), which
    # no stemmer or dictionary joins to them: a caption using one names the term.
    family: tuple[str, ...] = ()
    parent: str | None = None  # places: the place this one lies in; others: broader term
    type: str | None = None
    order: int | None = None
    aat: str | None = None
    wikidata: str | None = None
    tg_status: str | None = None
    note: str | None = None

    def label(self, language: str = "en", fallback: tuple[str, ...] = ("en", "ru", "tg")) -> str:
        """The label in ``language``, else the first known one of ``fallback``, else the slug."""
        for lang in (language, *fallback):
            text = self.labels.get(lang)
            if text:
                return text
        return self.slug

    def all_labels(self) -> tuple[str, ...]:
        """Every label and variant, in every language (for search)."""
        seen: dict[str, None] = {}
        for text in (
            *self.labels.values(),
            *self.alt,
            *self.family,
            self.slug.replace("-", " "),
        ):
            if text:
                seen.setdefault(text, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "vocabulary": self.vocabulary,
            "slug": self.slug,
            "labels": dict(self.labels),
            "alt": list(self.alt),
            "family": list(self.family),
        }
        for name in ("parent", "type", "order", "aat", "wikidata", "tg_status", "note"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data


@dataclass(frozen=True)
class Vocabulary:
    """One controlled list, in file order."""

    name: str
    terms: tuple[Term, ...]

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __contains__(self, slug: object) -> bool:
        return any(t.slug == slug for t in self.terms)

    def get(self, slug: str) -> Term | None:
        return next((t for t in self.terms if t.slug == slug), None)

    def find(self, text: str) -> Term | None:
        """The term whose slug, label or variant is ``text`` (case, script and accents folded)."""
        wanted = fold(text)
        if not wanted:
            return None
        for term in self.terms:
            if term.slug == text.strip().lower():
                return term
        for term in self.terms:
            if any(fold(label) == wanted for label in term.all_labels()):
                return term
        return None

    def suggest(self, text: str, limit: int = 3) -> list[Term]:
        """Terms whose labels come closest to ``text`` (for "did you mean")."""
        wanted = fold(text)
        scored: list[tuple[float, int, Term]] = []
        for index, term in enumerate(self.terms):
            best = max(
                (
                    difflib.SequenceMatcher(None, wanted, fold(label)).ratio()
                    for label in term.all_labels()
                ),
                default=0.0,
            )
            if best >= 0.6:
                scored.append((-best, index, term))
        return [t for _, _, t in sorted(scored)[:limit]]

    def ancestors(self, slug: str) -> list[str]:
        """The chain of parents of ``slug``, nearest first."""
        chain: list[str] = []
        term = self.get(slug)
        while term is not None and term.parent and term.parent not in chain:
            chain.append(term.parent)
            term = self.get(term.parent)
        return chain

    def descendants(self, slug: str) -> set[str]:
        """``slug`` and every term whose parent chain reaches it (place:gbao → Khorog…)."""
        return {t.slug for t in self.terms if t.slug == slug or slug in self.ancestors(t.slug)}


@dataclass(frozen=True)
class Vocabularies:
    """All vocabularies: the package's, extended by an archive's own files."""

    by_name: dict[str, Vocabulary] = field(hash=False)

    def __getitem__(self, name: str) -> Vocabulary:
        try:
            return self.by_name[name]
        except KeyError:
            raise VocabularyError(
                f"no vocabulary named {name!r}; there are: {', '.join(self.by_name)}"
            ) from None

    def __iter__(self) -> Iterator[Vocabulary]:
        return iter(self.by_name.values())


def load(extra: Path | None = None) -> Vocabularies:
    """The package's vocabularies, plus ``extra/<name>.toml`` files (an archive's own terms).

    An extra file may add terms and add labels or variants to existing ones; it cannot
    remove package terms.
    """
    folder = resources.files("catalog") / "vocabularies"
    by_name: dict[str, Vocabulary] = {}
    for name in NAMES:
        data = _parse(name, (folder / f"{name}.toml").read_text(encoding="utf-8"), f"{name}.toml")
        if extra is not None and (extra / f"{name}.toml").is_file():
            path = extra / f"{name}.toml"
            data = _merge(data, _parse(name, path.read_text(encoding="utf-8"), str(path)))
        by_name[name] = Vocabulary(name, tuple(_term(name, slug, v) for slug, v in data.items()))
    for vocabulary in by_name.values():
        for term in vocabulary:
            if term.parent and vocabulary.name == "place" and term.parent not in vocabulary:
                raise VocabularyError(f"place {term.slug!r} has an unknown parent {term.parent!r}")
    return Vocabularies(by_name)


def _parse(name: str, text: str, where: str) -> dict[str, dict[str, Any]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{where} is not valid TOML: {exc}") from exc
    for slug, values in data.items():
        if not isinstance(values, dict):
            raise VocabularyError(f"{where}: [{slug}] must be a table of labels")
        unknown = set(values) - _KNOWN_KEYS
        if unknown:
            raise VocabularyError(
                f"{where}: [{slug}] has unknown keys: {', '.join(sorted(unknown))}"
            )
        if slug != slug.strip().lower() or " " in slug:
            raise VocabularyError(f"{where}: slug {slug!r} must be lower case without spaces")
    return data


def _merge(
    base: dict[str, dict[str, Any]], extra: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    merged = {slug: dict(values) for slug, values in base.items()}
    for slug, values in extra.items():
        target = merged.setdefault(slug, {})
        for key, value in values.items():
            if key in ("alt", "family"):
                target[key] = list(dict.fromkeys([*target.get(key, []), *value]))
            elif value not in ("", None) or key not in target:
                target[key] = value
    return merged


def _term(vocabulary: str, slug: str, values: dict[str, Any]) -> Term:
    labels = {
        lang: str(values.get(lang, "") or "") for lang in ("en", "ru", "tg", "et", "sgh", "wbl")
    }
    labels = {k: v for k, v in labels.items() if v or k in LANGUAGES}
    return Term(
        vocabulary=vocabulary,
        slug=slug,
        labels=labels,
        alt=tuple(str(a) for a in values.get("alt", [])),
        family=tuple(str(a) for a in values.get("family", [])),
        parent=values.get("parent") or values.get("broader"),
        type=values.get("type"),
        order=values.get("order"),
        aat=str(values["aat"]) if values.get("aat") else None,
        wikidata=values.get("wikidata"),
        tg_status=values.get("tg_status") if values.get("tg") else None,
        note=values.get("note"),
    )
