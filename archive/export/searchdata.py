"""The browser search's data: a term table, each item's terms, a lexicon, and the folding table.

Both are written as ``.js`` files that set a global, so search works from ``file://``
(where a page cannot fetch a JSON file). The terms are the search index's own (lemmas,
stems, folded words: catalog.wordsets), worked out here, so the browser does no morphology:
it folds the query with a per-character table made from the same ``fold()``, looks each word
up in the lexicon (every word of the archive → the terms the CLI looks for it under) and
compares term ids. See docs/search.md, "In the site".
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from archive.export.sitemodel import SiteModel
from archive.export.views import Views
from catalog.facets import FACETS
from catalog.folding import fold
from catalog.models import SUBJECT_FIELDS
from catalog.wordsets import WordSets

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
    items: list[dict[str, Any]] = []
    sets = WordSets(model.vocabularies)
    item_terms: list[set[str]] = []
    item_folded: list[set[str]] = []
    item_values: list[tuple[list[str], list[str]]] = []  # facet values, other named terms
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
        facets["kind"] = [item.kind]
        facet_labels.setdefault("kind", {})[item.kind] = tile.kind_label
        if entry.year:
            facets["year"] = [entry.year]
            facet_labels.setdefault("year", {})[entry.year] = entry.year
        own, folded, named = sets.item_terms(item)
        item_terms.append(own)
        item_folded.append(folded)
        values = [f"{name}:{v}" for name, vs in facets.items() for v in vs]
        item_values.append((values, [key for key in named if key not in values]))
        row: dict[str, Any] = {"k": item.key, "t": tile.title.text if tile.title else tile.alt}
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
    count: dict[str, int] = {}
    for values, others in item_values:
        for value in (*values, *others):
            count[value] = count.get(value, 0) + 1
    value_list = sorted(count, key=lambda v: (-count[v], v))
    value_number = {v: i for i, v in enumerate(value_list)}
    value_terms = [
        sets.term_terms(v) if not v.startswith(("kind:", "year:")) else frozenset()
        for v in value_list
    ]
    table = _TermTable([*item_terms, *item_folded, *value_terms], sets.lexicon, sets.stop_words)
    thumb, size = _usual_thumb(items)
    sizes: dict[str, int] = {}
    rows: list[list[Any]] = []
    for row, terms, folded, (values, others) in zip(
        items, item_terms, item_folded, item_values, strict=True
    ):
        # [key, title, facet values, own terms, other named terms, terms only folded, what
        # differs from usual:
        # u the thumbnail's URL, w 0 for no size known, s the number of its size, l the
        # title's language]
        rest = {k: v for k, v in row.items() if k not in ("k", "t")}
        if "u" not in rest:
            rest["u"] = ""  # no thumbnail
        elif rest["u"] == thumb[0] + row["k"] + thumb[1]:
            del rest["u"]
        if "w" not in rest:
            rest["w"] = 0  # no size known
        elif [rest["w"], rest["h"]] == size:
            del rest["w"], rest["h"]
        else:  # another size: its number in the table of sizes
            rest["s"] = sizes.setdefault(f"{rest.pop('w')} {rest.pop('h')}", len(sizes))
        cells: list[Any] = [
            row["k"],
            row["t"],
            _numbers(value_number[v] for v in values),
            table.ids(terms),
            _numbers(value_number[v] for v in others),
            table.ids(folded),
            rest["s"] if list(rest) == ["s"] else rest,  # only another size: its number
        ]
        while cells[-1] in ("", {}):  # no other named terms, nothing unusual: left out
            cells.pop()
        rows.append(cells)
    data = {
        "lang": lang,
        "forms": " ".join(table.terms),
        "lex": table.lexicon(),
        "stop": " ".join(sorted(sets.stop_words)),
        "values": value_list,
        "vt": [table.ids(set(terms)) for terms in value_terms],
        "names": names,
        "facets": [n for n in FACETS if n in facet_labels],
        "labels": facet_labels,
        "order": facet_order,
        "items": rows,
        "thumb": thumb,
        "size": size,
        "sizes": list(sizes),
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


def _usual_thumb(items: list[dict[str, Any]]) -> tuple[list[str], list[Any]]:
    """The usual thumbnail URL around an item's key ([before, after]) and the usual size,
    so that only the items that differ carry their own."""
    shapes: dict[tuple[str, str], int] = {}
    sizes: dict[tuple[Any, Any], int] = {}
    for row in items:
        url, key = row.get("u"), row["k"]
        if url and key in url:
            before, _, after = url.partition(key)
            shapes[(before, after)] = shapes.get((before, after), 0) + 1
        if url:
            sizes[(row.get("w"), row.get("h"))] = sizes.get((row.get("w"), row.get("h")), 0) + 1
    thumb = max(shapes, key=lambda s: shapes[s]) if shapes else ("", "")
    size = max(sizes, key=lambda s: sizes[s]) if sizes else (None, None)
    return list(thumb), list(size)


_SITE_TERM = re.compile("[a-z0-9]+")


class _TermTable:
    """Terms numbered by how often items have them (the commonest get the shortest ids),
    each id written in base 36, an item's ids as one space-separated string."""

    def __init__(
        self, item_terms: list[set[str]], lexicon: dict[str, set[str]], stop_words: set[str]
    ) -> None:
        count: dict[str, int] = {}
        for terms in item_terms:
            for term in terms:
                # A term with other characters than a-z and 0-9 ("img_2682.jpg") is never
                # met: the browser splits a query where they are.
                if _SITE_TERM.fullmatch(term):
                    count[term] = count.get(term, 0) + 1
        self.terms = sorted(count, key=lambda t: (-count[t], t))
        self.number = {t: i for i, t in enumerate(self.terms)}
        self.words = lexicon
        self.stop_words = stop_words

    def ids(self, terms: set[str]) -> str:
        return _numbers(self.number[t] for t in terms if t in self.number)

    def lexicon(self) -> dict[str, str]:
        """Each word the archive uses → the ids of the terms it is looked for under, left
        out when that is the word itself alone (the browser then looks the word up as a
        term), when no item has any of them, and for stop words (listed apart)."""
        out: dict[str, str] = {}
        for word, terms in sorted(self.words.items()):
            known = {t for t in terms if t in self.number}
            if word in self.stop_words or known == {word} or not known:
                continue
            out[word] = _numbers(self.number[t] for t in known)
        return out


def _numbers(numbers: Iterable[int]) -> str:
    """Numbers in base 36, ascending, space-separated, a run of three or more as first-last:
    [0, 1, 2, 3, 7, 40] → "0-3 7 14"."""
    out: list[str] = []
    run: list[int] = []
    for n in sorted(set(numbers)):
        if run and n != run[-1] + 1:
            out.append(_run(run))
            run = []
        run.append(n)
    if run:
        out.append(_run(run))
    return " ".join(out)


def _run(run: list[int]) -> str:
    if len(run) >= 3:
        return f"{_base36(run[0])}-{_base36(run[-1])}"
    return " ".join(_base36(n) for n in run)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def _group_paths(model: SiteModel, key: str) -> list[str]:
    return [
        p for p, g in model.groups.items() if g.kind in ("collection", "event") and key in g.keys
    ]


def _rank(order: list[str], slug: str) -> tuple[int, str]:
    return (order.index(slug), slug) if slug in order else (len(order), slug)
