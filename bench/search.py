"""Search speed: the whoosh index behind `archive search`, side by side with SQLite FTS5.

    .venv/bin/python bench/search.py                       # 10,000 and 100,000 items
    .venv/bin/python bench/search.py --sizes 2000 --runs 3 # a quick look

For each size it generates that many items (deterministically: captions in English, Russian
and Tajik built from the vocabularies and a made-up lexicon, places, dates, cameras), stores
them in a real archive catalogue, then times: building the index from the catalogue, adding
1,000 more items incrementally, and the median and 95th percentile of seven query classes
(words, phrases, fuzzy, facets, filters, negations, dates). The same records go into an
SQLite FTS5 table in the same run, with the same words searched the closest way FTS5 can (it
has no fuzzy matching: a prefix query stands in for it). Ratios are whoosh divided by FTS5.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.layout import Layout  # noqa: E402
from bench.fts import Fts, fts_words, slugs_sql, text_sql  # noqa: E402
from catalog.folding import fold  # noqa: E402
from catalog.indexschema import forms  # noqa: E402
from catalog.models import Item  # noqa: E402
from catalog.search import SearchIndex  # noqa: E402
from catalog.store import Catalog  # noqa: E402
from catalog.vocabulary import Vocabularies, load  # noqa: E402

SEED = 20150814
INCREMENT = 1000
LANGUAGES = ("en", "ru", "tg")
SYLLABLES = {
    "en": "ba be bi bo ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se "
    "si so ta te ti to wa we wi".split(),
    "ru": "ба бе би бо ка ке ки ко ла ле ли ло ма ме ми мо на не ни но ра ре ри ро са се "
    "си со та те ти то".split(),
    "tg": "ба бӣ бо қа қи қо ла лӣ ло ма мӣ мо на нӣ но ра рӣ ро са сӣ со та тӣ то ҳа ҳӣ "
    "ҳо ҷа ҷӣ ҷо ғо ғӯ".split(),
}
CAMERAS = [("Apple", "iPhone 6s"), ("Canon", "EOS 80D"), ("Samsung", "SM-G960F"), (None, None)]


@dataclass(frozen=True)
class Query:
    """One query, as typed into `archive search` and as the nearest FTS5 statement."""

    text: str
    fts: str  # SQL returning the first 20 keys; "{match}" stands for the MATCH expression
    match: str | None
    facets: bool = False


# -- generated items ---------------------------------------------------------------------


class Generator:
    def __init__(self, vocabularies: Vocabularies, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.v = vocabularies
        self.lexicon = {lang: self._lexicon(lang, 4000) for lang in LANGUAGES}
        self.places = [t.slug for t in vocabularies["place"]]

    def _lexicon(self, lang: str, size: int) -> list[str]:
        words: dict[str, None] = {}
        while len(words) < size:
            n = self.rng.choice((2, 2, 3, 3, 4))
            words["".join(self.rng.choice(SYLLABLES[lang]) for _ in range(n))] = None
        return list(words)

    def label(self, name: str, slug: str, lang: str) -> str:
        term = self.v[name].get(slug)
        return term.label(lang) if term else slug

    def words(self, lang: str, n: int) -> str:
        # Zipf-like: a few words are common, most are rare.
        lex = self.lexicon[lang]
        return " ".join(
            lex[min(int(self.rng.paretovariate(1.1)) - 1, len(lex) - 1)] for _ in range(n)
        )

    def item(self, number: int) -> Item:
        rng = self.rng
        pick = lambda name: rng.choice(self.v[name].terms).slug  # noqa: E731
        technique = (pick("technique"),) if rng.random() < 0.7 else ()
        material = (pick("material"),) if rng.random() < 0.5 else ()
        obj = (pick("object_type"),) if rng.random() < 0.6 else ()
        step = (pick("process_step"),) if rng.random() < 0.3 else ()
        place = rng.choice(self.places) if rng.random() < 0.8 else None
        langs = rng.choice((("en",), ("en",), ("ru",), ("tg",), ("en", "ru"), ("ru", "tg")))
        titles, descriptions = {}, {}
        for lang in langs:
            parts = []
            if technique:
                parts.append(self.label("technique", technique[0], lang))
            if obj:
                parts.append(self.label("object_type", obj[0], lang))
            if place:
                parts.append(self.label("place", place, lang))
            titles[lang] = " ".join([*parts, self.words(lang, 2)])
            filler = self.words(lang, rng.randint(10, 30))
            extra = self.label("material", material[0], lang) if material else ""
            descriptions[lang] = f"{filler} {extra} {self.words(lang, 5)}".strip()
        year = rng.randint(2005, 2023)
        taken = (
            f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:00:00"
            if rng.random() < 0.9
            else None
        )
        make, model = rng.choice(CAMERAS)
        key = f"{number:016x}"
        main_lang = langs[0]
        return Item(
            key=key,
            sha256=key * 4,
            kind="video" if rng.random() < 0.15 else "photo",
            mime="image/jpeg",
            size=1000,
            original=f"originals/{key[:2]}/{key}.jpg",
            taken_at=taken,
            camera_make=make,
            camera_model=model,
            title=titles[main_lang],
            description=descriptions[main_lang],
            technique=technique,
            material=material,
            object_type=obj,
            process_step=step,
            place=place,
            source_paths=(f"DCIM/IMG_{number:05d}.JPG",),
            extra={"translations": {"title": titles, "description": descriptions}},
        )


# -- the two engines -----------------------------------------------------------------------


def build_catalog(path: Path, items: list[Item]) -> Catalog:
    catalog = Catalog(path)
    with catalog.transaction():
        for item in items:
            catalog.add_item(item)
    return catalog


def queries(gen: Generator) -> dict[str, list[Query]]:
    rng = random.Random(SEED + 1)
    v = gen.v
    common = [gen.lexicon[lang][i] for lang in LANGUAGES for i in range(0, 12)]
    labels = [
        label
        for name in ("technique", "object_type", "place", "material")
        for term in v[name]
        for label in (term.labels.get("en"), term.labels.get("ru"), term.labels.get("tg"))
        if label and " " not in label and "(" not in label
    ]
    rng.shuffle(labels)
    words: list[Query] = []
    for word in [*labels[:15], *common[:10]]:
        words.append(Query(word, text_sql(), fts_words([word])))
    for a, b in zip(labels[15:20], common[10:15], strict=True):
        words.append(Query(f"{a} {b}", text_sql(), fts_words([a, b])))
    phrases: list[Query] = []
    multi = [
        label
        for name in ("technique", "object_type", "material")
        for term in v[name]
        for label in term.all_labels()
        if label.count(" ") == 1 and "(" not in label and "/" not in label
    ]
    rng.shuffle(multi)
    for text in multi[:25]:
        folded = fold(text)
        match = f'"{text.lower()}"' + (f' OR "{folded}"' if folded != text.lower() else "")
        phrases.append(Query(f'"{text}"', text_sql(), match))
    fuzzy: list[Query] = []
    for word in [w for w in labels if len(w) >= 5][:25]:
        i = rng.randrange(1, len(word) - 1)
        typo = word[:i] + word[i + 1 :]
        stem = fold(typo)[: max(3, len(fold(typo)) - 2)]
        fuzzy.append(Query(f"{typo}~", text_sql(), f'"{stem}"*'))
    facets = [Query(q.text, q.fts, q.match, facets=True) for q in words[:20]]
    facets += [
        Query("*", "SELECT meta.key FROM meta ORDER BY meta.taken LIMIT 20", None, facets=True)
    ] * 5
    filters: list[Query] = []
    places = v["place"]
    for _ in range(25):
        technique = rng.choice(v["technique"].terms).slug
        region = rng.choice(("gbao", "tajikistan", "estonia", "khorog", "murghab"))
        year = rng.randint(2006, 2022)
        kind = rng.choice(("photo", "video"))
        shape = rng.randrange(3)
        if shape == 0:
            text = f"technique:{technique} place:{region}"
            sql = (
                "SELECT meta.key FROM meta WHERE 1"
                + slugs_sql("technique", {technique})
                + slugs_sql("place", places.descendants(region))
                + " ORDER BY meta.taken LIMIT 20"
            )
            filters.append(Query(text, sql, None))
        elif shape == 1:
            text = f"year:{year}..{year + 2} kind:{kind}"
            sql = (
                "SELECT meta.key FROM meta WHERE meta.taken >= ? AND meta.taken < '"
                f"{year + 2}\uffff'" + slugs_sql("kind", {kind}).replace("'m_kind', ", "")
            )
            sql = sql.replace("?", f"'{year}'") + " ORDER BY meta.taken LIMIT 20"
            filters.append(Query(text, sql, None))
        else:
            word = rng.choice(labels)
            text = f"{word} place:{region} -kind:video"
            sql = text_sql(
                slugs_sql("place", places.descendants(region))
                + " AND meta.rowid NOT IN (SELECT rowid FROM facet WHERE name = 'kind'"
                " AND value = 'video')"
            )
            filters.append(Query(text, sql, fts_words([word])))
    negations: list[Query] = []
    for i in range(25):
        word = labels[i % len(labels)]
        shape = i % 3
        if shape == 0:
            other = common[(i * 7) % len(common)]
            text, match = f"{word} -{other}", f"{fts_words([word])} NOT {fts_words([other])}"
            negations.append(Query(text, text_sql(), match))
        elif shape == 1:
            text = f"{word} -kind:video"
            extra = " AND meta.rowid NOT IN (SELECT rowid FROM facet WHERE name = 'kind'"
            negations.append(
                Query(text, text_sql(extra + " AND value = 'video')"), fts_words([word]))
            )
        else:
            region = rng.choice(("gbao", "tajikistan", "khorog", "murghab"))
            text = f"{word} -place:{region}"
            extra = slugs_sql("place", places.descendants(region)).replace(
                " IN (SELECT", " NOT IN (SELECT", 1
            )
            negations.append(Query(text, text_sql(extra), fts_words([word])))
    dates: list[Query] = []
    for i in range(25):
        year = rng.randint(2006, 2021)
        month = rng.randint(1, 10)
        shape = i % 3
        if shape == 0:
            low, high = f"{year}-{month:02d}", f"{year}-{month + 2:02d}"
            text = f"date:{low}..{high}"
            where = f"meta.taken >= '{low}' AND meta.taken < '{high}\uffff'"
            dates.append(
                Query(
                    text,
                    f"SELECT meta.key FROM meta WHERE {where} ORDER BY meta.taken LIMIT 20",
                    None,
                )
            )
        elif shape == 1:
            text = f"taken:>{year}"
            where = f"meta.taken >= '{year + 1}' AND meta.taken < '~'"
            dates.append(
                Query(
                    text,
                    f"SELECT meta.key FROM meta WHERE {where} ORDER BY meta.taken LIMIT 20",
                    None,
                )
            )
        else:
            word = labels[(i * 5) % len(labels)]
            text = f"{word} year:{year}..{year + 3}"
            where = f" AND meta.taken >= '{year}' AND meta.taken < '{year + 3}\uffff'"
            dates.append(Query(text, text_sql(where), fts_words([word])))
    return {
        "words": words,
        "phrases": phrases,
        "fuzzy": fuzzy,
        "facets": facets,
        "filters": filters,
        "negations": negations,
        "dates": dates,
    }


# -- timing -----------------------------------------------------------------------------


# Query timings: wall time, or with --cpu the process's CPU time (both engines run in this
# process), which a machine shared with other work inflates far less.
_CLOCK = time.perf_counter


def timed(action: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    start = clock()
    action()
    return clock() - start


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def build(size: int, gen: Generator, layout: Layout) -> tuple[Catalog, SearchIndex, Fts, list]:
    """Generate the items, store them, and time building and adding to both engines."""
    say(f"[{size}] generating {size + INCREMENT} items")
    items = [gen.item(n) for n in range(size + INCREMENT)]
    base, more = items[:size], items[size:]
    layout.create()
    say(f"[{size}] writing the catalogue")
    catalog = build_catalog(layout.catalog, base)
    index = SearchIndex(layout.index, vocabularies=gen.v)
    fts = Fts(layout.root / "fts.sqlite", index)

    say(f"[{size}] building the whoosh index from the catalogue")
    cpu = time.process_time()
    build_w = timed(lambda: index.rebuild(catalog.items(), catalog.generation()))
    cpu_w = time.process_time() - cpu
    say(f"[{size}] building FTS5 from the catalogue ({build_w:.1f} s for whoosh)")
    forms.cache_clear()  # FTS5 gets the same documents, worked out afresh
    cpu = time.process_time()
    build_f = timed(lambda: fts.add(catalog.items()))
    cpu_f = time.process_time() - cpu

    def add_whoosh() -> None:
        with catalog.transaction():
            for item in more:
                catalog.add_item(item)
        index.update(catalog.items(keys=[i.key for i in more]), catalog.generation())

    say(f"[{size}] adding {INCREMENT} items")
    add_w = timed(add_whoosh)
    add_f = timed(lambda: fts.add(catalog.items(keys=[i.key for i in more])))
    say(f"[{size}] build {build_w:.1f} / {build_f:.1f} s, add {add_w:.2f} / {add_f:.2f} s")
    rows = [
        [
            f"{size:,}",
            "index build (s)",
            f"{build_w:.2f}",
            f"{build_f:.2f}",
            ratio(build_w, build_f),
        ],
        [f"{size:,}", "index build, CPU (s)", f"{cpu_w:.2f}", f"{cpu_f:.2f}", ratio(cpu_w, cpu_f)],
        [
            f"{size:,}",
            f"add {INCREMENT:,} (s)",
            f"{add_w:.2f}",
            f"{add_f:.2f}",
            ratio(add_w, add_f),
        ],
    ]
    return catalog, index, fts, rows


def measure(size: int, runs: int, work: Path, reuse: bool = False) -> list[list[str]]:
    vocabularies = load()
    gen = Generator(vocabularies)
    folder = work / f"n{size}"
    layout = Layout(folder)  # a real archive, so that a whole `archive search` can run on it
    if reuse:  # the archive, index and FTS5 table a --keep run left: time the queries only
        say(f"[{size}] reusing {folder}")
        catalog = Catalog(layout.catalog)
        index = SearchIndex(layout.index, vocabularies=vocabularies)
        fts = Fts(folder / "fts.sqlite", index, create=False)
        rows: list[list[str]] = []
    else:
        catalog, index, fts, rows = build(size, gen, layout)
    for name, group in queries(gen).items():
        say(f"[{size}] timing {name} ({len(group)} queries x {runs})")
        whoosh_times: list[float] = []
        fts_times: list[float] = []
        for q in group:  # one warm-up each, not timed
            index.search(q.text, limit=20, facets=q.facets)
            fts.run(q)
        for _ in range(runs):
            for q in group:
                whoosh_times.append(
                    timed(lambda q=q: index.search(q.text, limit=20, facets=q.facets), _CLOCK)
                )
                fts_times.append(timed(lambda q=q: fts.run(q), _CLOCK))
        for label, stat in (("median", statistics.median), ("p95", lambda v: percentile(v, 0.95))):
            w, f = stat(whoosh_times) * 1000, stat(fts_times) * 1000
            rows.append([f"{size:,}", f"{name} {label} (ms)", f"{w:.1f}", f"{f:.1f}", ratio(w, f)])
    cold = timed(
        lambda: SearchIndex(layout.index, vocabularies=vocabularies).search("*", facets=True)
    )
    rows.append([f"{size:,}", "first facets, new object (ms)", f"{cold * 1000:.0f}", "", ""])
    index.close()
    catalog.close()
    rows += whole_command(size, layout, queries(gen)["words"][0].text, runs)
    return rows


def whole_command(size: int, layout: Layout, word: str, runs: int) -> list[list[str]]:
    """A whole `archive search` process (start, imports, open, query, print): wall time
    (median) and the largest resident memory of the runs."""
    say(f"[{size}] timing whole `archive search` commands")
    program = Path(sys.executable).with_name("archive")
    rows = []
    for text in (word, "*"):
        command = [str(program), "-a", str(layout.root), "search", text, "--json"]
        run_command(command)  # warm the file cache
        times, peaks = [], []
        for _ in range(max(runs, 3)):
            seconds, peak = run_command(command)
            times.append(seconds)
            peaks.append(peak)
        label = f"`archive search {text}`"
        rows.append(
            [f"{size:,}", f"{label} (ms)", f"{statistics.median(times) * 1000:.0f}", "", ""]
        )
        if all(p is not None for p in peaks):
            top = max(p for p in peaks if p is not None)
            rows.append([f"{size:,}", f"{label} peak (MB)", f"{top / 1024:.0f}", "", ""])
    return rows


# Started from a small process of its own: a child's peak memory counts the memory of the
# process it was forked from, and this benchmark's own process is large.
_RUN = """
import json, os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if hasattr(os, "wait4"):
    _, status, usage = os.wait4(process.pid, 0)
    peak = usage.ru_maxrss
else:
    status, peak = process.wait(), None
print(json.dumps([time.perf_counter() - start, status, peak]))
"""


def run_command(command: list[str]) -> tuple[float, int | None]:
    """Run a command to its end: its wall time, and its peak resident memory in KiB where
    the system says (os.wait4: not on Windows)."""
    out = subprocess.run(
        [sys.executable, "-c", _RUN, *command], check=True, capture_output=True, text=True
    ).stdout
    seconds, status, peak = json.loads(out)
    if status != 0:
        raise RuntimeError(f"{command} failed ({status})")
    return seconds, peak


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b > 0 else "-"


def say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5, help="timed rounds of each query set")
    parser.add_argument("--keep", type=Path, default=None, help="work here and keep the files")
    parser.add_argument(
        "--reuse", action="store_true", help="time the queries again on what --keep left"
    )
    parser.add_argument(
        "--cpu", action="store_true", help="time queries by CPU time (a shared machine)"
    )
    args = parser.parse_args()
    global _CLOCK
    if args.cpu:
        _CLOCK = time.process_time
    rows = [["items", "measure", "whoosh", "FTS5", "ratio"]]
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            rows += measure(size, args.runs, work, reuse=args.reuse)
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")  # noqa: T201
    print(table(rows))  # noqa: T201


if __name__ == "__main__":
    main()
