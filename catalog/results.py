"""What a search returns: hits with snippets, facet counts and a did-you-mean, ready for JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Hit:
    """One item found by a search, with the stretch of its description that matched."""

    key: str
    score: float
    title: str | None
    snippet: str | None
    highlights: tuple[tuple[int, int], ...] = ()  # (start, end) of matched words in snippet
    kind: str | None = None
    taken: str | None = None
    place: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["highlights"] = [list(span) for span in self.highlights]
        return data


@dataclass(frozen=True)
class FacetCount:
    """How many of the matching items carry one value of a facet."""

    value: str
    label: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SearchResult:
    """One page of hits, how many items matched in all, and optionally facet counts."""

    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetCount, ...]] | None = None
    did_you_mean: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "total": self.total,
            "hits": [hit.to_dict() for hit in self.hits],
            "did_you_mean": self.did_you_mean,
        }
        if self.facets is not None:
            data["facets"] = {
                name: [c.to_dict() for c in counts] for name, counts in self.facets.items()
            }
        return data
