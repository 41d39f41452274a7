"""The vocabularies an archive checks values against: the package's, plus its own."""

from __future__ import annotations

from archive.layout import Layout
from catalog.vocabulary import Vocabularies, load


def vocabularies(layout: Layout) -> Vocabularies:
    """The package's vocabularies extended by ``<archive>/vocabularies/<name>.toml``."""
    extra = layout.root / "vocabularies"
    return load(extra if extra.is_dir() else None)
