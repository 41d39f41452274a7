"""Search quality: every query of the set finds what staff mean; recall must stay at 0.9."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from catalog.models import Item
from catalog.search import SearchIndex
from tests.catalog.search_quality_data import ITEMS, QUERIES

_COLUMNS = {f.name for f in dataclasses.fields(Item)}


def _item(key: str, titles: dict[str, str], descriptions: dict[str, str], **fields: Any) -> Item:
    """An item with per-language texts, in columns where the catalogue has them."""
    fields.setdefault("kind", "photo")
    translations: dict[str, dict[str, str]] = {"title": {}, "description": {}}
    for name, texts in (("title", titles), ("description", descriptions)):
        for lang, text in texts.items():
            if lang == "und":
                fields[name] = text
            elif f"{name}_{lang}" in _COLUMNS:
                fields[f"{name}_{lang}"] = text
            else:
                translations[name][lang] = text
    return Item(
        key=key * 4,
        sha256=key * 16,
        mime="image/jpeg",
        size=1000,
        original=f"originals/{key}.jpg",
        extra={"translations": translations},
        **fields,
    )


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    idx = SearchIndex(tmp_path_factory.mktemp("quality") / "index")
    idx.rebuild([_item(k, t, d, **f) for k, (t, d, f) in ITEMS.items()], 1)
    return idx


def found(index: SearchIndex, text: str) -> set[str]:
    return {hit.key[:3] for hit in index.search(text, limit=len(ITEMS)).hits}


def test_the_set_is_big_enough_and_names_real_items() -> None:
    assert len(QUERIES) >= 60
    assert all(wanted <= set(ITEMS) and wanted for _, wanted in QUERIES)


def test_recall_and_precision_over_the_quality_set(index: SearchIndex) -> None:
    relevant = retrieved = correct = 0
    misses: list[str] = []
    for text, wanted in QUERIES:
        got = found(index, text)
        relevant += len(wanted)
        retrieved += len(got)
        correct += len(got & wanted)
        if wanted - got:
            misses.append(f"{text!r} missed {sorted(wanted - got)}")
    recall, precision = correct / relevant, correct / max(retrieved, 1)
    report = f"recall {recall:.3f}, precision {precision:.3f} over {len(QUERIES)} queries"
    print(f"\nsearch quality: {report}\n" + "\n".join(misses))  # shown with -s
    assert recall >= 0.9, report + "\n" + "\n".join(misses)
    assert precision >= 0.8, report
