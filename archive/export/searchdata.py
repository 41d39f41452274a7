"""The browser search's data: folded item and term texts, facets, and the folding table.

Both are written as ``.js`` files that set a global, so search works from ``file://``
(where a page cannot fetch a JSON file). Item texts are folded here with the CLI's own
``fold()``; the browser folds only the query, with a per-character table made from the
same ``fold()``, so both sides agree.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from archive.export.sitemodel import SiteModel
from archive.export.views import Views
from catalog.facets import FACETS
from catalog.folding import fold
from catalog.models import SUBJECT_FIELDS

_NOT_WORD = re.compile(r"[^a-z0-9]+")

# Characters the browser may meet in a query: Latin with accents, combining marks,
# modifier letters and quotes, Cyrillic (Russian and Tajik), typographic punctuation and
# ligatures. Other scripts are only lower-cased in the browser.
_FOLD_RANGES = (
    (0x00A0, 0x024F),
    (0x02B0, 0x036F),
    (0x0400, 0x052F),
    (0x1E00, 0x1EFF),
    (0x2010, 0x205F),
    (0xFB00, 0xFB06),
)
_FOLD_EXTRA = "'`\u00b4\u2018\u2019\u201b\u02bc\u02bb\u02b9"


def words(text: str) -> str:
    """``text`` folded to its distinct words, space-separated after a leading space (so that
    the browser finds a word by its start)."""
    return " " + " ".join(dict.fromkeys(_NOT_WORD.sub(" ", fold(text)).split()))


def fold_table() -> dict[str, str]:
    """Every character whose ``fold()`` differs from a plain lower-casing."""
    table: dict[str, str] = {}
    chars = [chr(c) for lo, hi in _FOLD_RANGES for c in range(lo, hi + 1)] + list(_FOLD_EXTRA)
    for ch in chars:
        if unicodedata.category(ch) == "Cn":
            continue
        folded = fold(ch)
        if folded != ch.lower():
            table[ch] = folded
    return table


def fold_script() -> bytes:
    """``static/fold.js``: the folding table, shared by every language's search page."""
    table = json.dumps(fold_table(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"window.PAMIR_FOLD={table};\n".encode()


def search_script(model: SiteModel, views: Views) -> bytes:
    """``search/data.js`` of one language: items, facet labels and folded term texts."""
    lang = views.lang
    facet_labels: dict[str, dict[str, str]] = {}
    term_text: dict[str, str] = {}
    items: list[dict[str, Any]] = []
    for entry in model.entries:
        item = entry.item
        tile = views.tile(entry)
        facets: dict[str, list[str]] = {}
        for name in SUBJECT_FIELDS:
            chosen = entry.places if name == "place" else entry.terms[name]
            if chosen:
                facets[name] = [t.slug for t in chosen]
            for term in chosen:
                facet_labels.setdefault(name, {})[term.slug] = views.label(term).text
                term_text.setdefault(f"{name}:{term.slug}", words(" ".join(term.all_labels())))
        facets["kind"] = [item.kind]
        facet_labels.setdefault("kind", {})[item.kind] = tile.kind_label
        if entry.year:
            facets["year"] = [entry.year]
            facet_labels.setdefault("year", {})[entry.year] = entry.year
        texts = [
            *item.texts("title").values(),
            *item.texts("description").values(),
            *item.keywords,
            item.maker or "",
            item.photographer or "",
            item.event or "",
            *(views.group_title(model.groups[p]).text for p in _group_paths(model, entry.key)),
            *(v for values in entry.free.values() for v in values),
            item.key,
        ]
        row: dict[str, Any] = {
            "k": item.key,
            "t": tile.title.text if tile.title else tile.alt,
            "f": facets,
            "s": words(" ".join(t for t in texts if t)),
        }
        if tile.title and tile.title.lang and tile.title.lang != lang:
            row["l"] = tile.title.lang
        if tile.thumb is not None:
            row["u"] = tile.thumb.url
            if tile.thumb.width and tile.thumb.height:
                row["w"], row["h"] = tile.thumb.width, tile.thumb.height
        items.append(row)
    order = {name: [g.slug for g in model.of_kind(name)] for name in SUBJECT_FIELDS}
    facet_order = {
        name: sorted(labels, key=lambda s, n=name: _rank(order.get(n, []), s))
        for name, labels in facet_labels.items()
    }
    facet_order.get("year", []).sort(reverse=True)
    names = {name: views.words[name] for name in FACETS}
    data = {
        "lang": lang,
        "names": names,
        "facets": [n for n in FACETS if n in facet_labels],
        "labels": facet_labels,
        "order": facet_order,
        "terms": term_text,
        "items": items,
        "words": {
            "results": views.words["results"],
            "none": views.words["no_results"],
            "clear": views.words["clear_filters"],
            "video": views.words["video"],
        },
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c")  # never a "</script>" inside, whatever the titles say
    return f"window.PAMIR_SEARCH={text};\n".encode()


def _group_paths(model: SiteModel, key: str) -> list[str]:
    return [
        p for p, g in model.groups.items() if g.kind in ("collection", "event") and key in g.keys
    ]


def _rank(order: list[str], slug: str) -> tuple[int, str]:
    return (order.index(slug), slug) if slug in order else (len(order), slug)
