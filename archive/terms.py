"""The vocabularies an archive checks values against: the package's, plus its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive.errors import UsageProblem
from archive.layout import Layout
from catalog.vocabulary import Term, Vocabularies, load


def vocabularies(layout: Layout) -> Vocabularies:
    """The package's vocabularies extended by ``<archive>/vocabularies/<name>.toml``."""
    extra = layout.vocabularies
    return load(extra if extra.is_dir() else None)


@dataclass(frozen=True)
class VocabularyCounts:
    """Every vocabulary with its number of terms."""

    counts: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.counts)


@dataclass(frozen=True)
class VocabularyTerms:
    """The terms of one vocabulary."""

    name: str
    terms: tuple[Term, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "terms": [term.to_dict() for term in self.terms]}


def vocab(layout: Layout, name: str | None = None) -> VocabularyCounts | VocabularyTerms:
    """The vocabularies and their sizes, or the terms of the one called ``name``."""
    found = vocabularies(layout)
    if name is None:
        return VocabularyCounts(tuple((v.name, len(v.terms)) for v in found))
    wanted = name.strip().lower().replace("-", "_")
    names = [v.name for v in found]
    if wanted not in names:
        raise UsageProblem(f"no vocabulary named {name!r}; there are: {', '.join(names)}")
    return VocabularyTerms(wanted, tuple(found[wanted]))
