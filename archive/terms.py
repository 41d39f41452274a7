"""The vocabularies an archive checks values against: the package's, plus its own."""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.errors import ArchiveError, UsageProblem
from archive.layout import Layout
from catalog.errors import CatalogError
from catalog.folding import fold, slugify
from catalog.textlang import detect
from catalog.vocabulary import NAMES, Term, Vocabularies, load


def vocabularies(layout: Layout) -> Vocabularies:
    """The package's vocabularies extended by ``<archive>/vocabularies/<name>.toml``.

    Read once per state of the archive's own files (a long-running `archive serve` would
    otherwise parse every file on every request); a changed or new file is read again."""
    extra = layout.vocabularies
    if not extra.is_dir():
        return _load(None, ())
    try:
        state = tuple(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(extra.glob("*.toml"))
        )
    except OSError:  # a file went away while we looked: read without the cache
        return load(extra)
    return _load(str(extra), state)


@functools.lru_cache(maxsize=8)
def _load(extra: str | None, state: tuple[tuple[str, int, int], ...]) -> Vocabularies:
    return load(Path(extra) if extra else None)


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


def add_term(layout: Layout, vocabulary: str, label: str) -> tuple[Term, bool]:
    """Accept ``label`` as a new term of ``vocabulary`` in the archive's own
    ``vocabularies/NAME.toml``; returns the term and whether it is new (a label that
    already names a term gives that term)."""
    if vocabulary not in NAMES:
        raise ArchiveError(f"{vocabulary!r} has no vocabulary; these do: {', '.join(NAMES)}")
    text = label.strip()
    existing = vocabularies(layout)[vocabulary]
    found = existing.find(text) if text else None
    if found is not None:
        return found, False
    slug = slugify(text)
    if not slug:
        raise ArchiveError(f"{label!r} cannot be a term: it has no letters or digits")
    if slug in existing:
        other = existing.get(slug)
        raise ArchiveError(
            f"{vocabulary} already has a term {slug!r} ({other.label() if other else slug}); "
            f"add {text!r} to its alt list in {layout.vocabularies / (vocabulary + '.toml')}"
        )
    path = layout.vocabularies / f"{vocabulary}.toml"
    before = (
        path.read_text(encoding="utf-8")
        if path.is_file()
        else (f"# The archive's own {vocabulary} terms, added to the package's.\n")
    )
    block = (
        f"\n[{slug}]\n{detect(text)} = {json.dumps(text, ensure_ascii=False)}\n"
        'note = "accepted with archive edit --as-new-term"\n'
    )
    _write(path, before.rstrip("\n") + "\n" + block)
    try:
        term = vocabularies(layout)[vocabulary].get(slug)
    except CatalogError as exc:
        _write(path, before)
        raise ArchiveError(f"{path} would no longer read ({exc}); it is unchanged") from exc
    if term is None:  # pragma: no cover - the file was just written with it
        _write(path, before)
        raise ArchiveError(f"{text!r} could not be added to {path}")
    return term, True


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def suggest_terms(layout: Layout, name: str, text: str, limit: int = 8) -> list[Term]:
    """Terms of vocabulary ``name`` that ``text`` may mean, in any language or script:
    a label or variant that starts with it or contains it once both are folded ("намад",
    "felt" and "valyanie" all offer felting), then the closest spellings."""
    found = vocabularies(layout)
    wanted = name.strip().lower().replace("-", "_")
    if wanted not in [v.name for v in found]:
        raise UsageProblem(f"no vocabulary named {name!r}; there are: {', '.join(NAMES)}")
    vocabulary, typed = found[wanted], fold(text).strip()
    if not typed:
        return list(vocabulary.terms[:limit])
    starts, contains = [], []
    for term in vocabulary:
        labels = [fold(label) for label in term.all_labels()]
        if any(label.startswith(typed) or f" {typed}" in label for label in labels):
            starts.append(term)
        elif any(typed in label for label in labels):
            contains.append(term)
    chosen = list(dict.fromkeys([*starts, *contains, *vocabulary.suggest(text, limit)]))
    return chosen[:limit]
