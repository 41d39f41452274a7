"""Speed of the curation app: p50/p95 of item GET, PATCH and search over HTTP at N items.

    .venv/bin/python bench/serve.py --items 10000
    .venv/bin/python bench/serve.py --items 1000 --requests 50   # a quick look

Builds an archive of N generated items (bench/search.py's generator, inserted through the
catalogue API: no media files), indexes it, starts the real `archive serve` on a free port
and times requests over one kept-alive HTTP connection, as a browser tab makes them:
GET /api/items/KEY, PATCH /api/items/KEY with If-Match (each a real edit: an event, an
index update), GET /api/items?q=… (48 cards) and the browse page /?q=… (48 cards and
the facet counts, rendered).
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive import access, indexing  # noqa: E402
from archive.layout import Layout  # noqa: E402
from bench.common import machine, table  # noqa: E402
from bench.search import Generator  # noqa: E402
from catalog.vocabulary import load  # noqa: E402

AIMS = {"GET item": 50.0, "PATCH item": 50.0, "search (API)": 200.0, "search page": 200.0}


def build(root: Path, size: int) -> tuple[Layout, list[str]]:
    layout = Layout(root)
    vocabularies = load()
    gen = Generator(vocabularies)
    with access.writing(layout, "bench", create=True) as catalog:
        with catalog.transaction():
            for number in range(size):
                catalog.add_item(gen.item(number))
        keys = catalog.keys()
        started = time.perf_counter()
        indexing.ensure_current(layout, catalog)
        say(f"indexed {size} items in {time.perf_counter() - started:.1f} s")
    return layout, keys


def start(layout: Layout) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "archive.cli", "-a", str(layout.root), "serve", "--port", "0",
         "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()))
    reader.start()
    reader.join(60)
    return process, json.loads(line[0])["url"]


def timed(conn: http.client.HTTPConnection, method: str, path: str, **kw) -> tuple[float, bytes]:
    started = time.perf_counter()
    conn.request(method, path, **kw)
    answer = conn.getresponse()
    body = answer.read()
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status != 200:
        raise RuntimeError(f"{method} {path}: HTTP {answer.status} {body[:200]!r}")
    return elapsed, body


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(url: str, keys: list[str], requests: int) -> dict[str, list[float]]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    rng = random.Random(7)
    vocab = load()
    words = [t.label(lang) for name in ("technique", "place", "object_type")
             for t in vocab[name] for lang in ("en", "ru", "tg")]  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name in AIMS}
    timed(conn, "GET", "/api/items?q=felt")  # warm the index reader
    for n in range(requests):
        key = rng.choice(keys)
        ms, body = timed(conn, "GET", f"/api/items/{key}")
        times["GET item"].append(ms)
        version = json.loads(body)["version"]
        change = json.dumps({"set": {"title.en": f"Felt bag {n}"}})
        headers = {"If-Match": f'"{version}"', "Content-Type": "application/json"}
        ms, _ = timed(conn, "PATCH", f"/api/items/{key}", body=change, headers=headers)
        times["PATCH item"].append(ms)
        query = quote(rng.choice(words))
        ms, _ = timed(conn, "GET", f"/api/items?q={query}&limit=48")
        times["search (API)"].append(ms)
        ms, _ = timed(conn, "GET", f"/?q={query}")  # the HTML page: cards and facets
        times["search page"].append(ms)
    conn.close()
    return times


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        started = time.perf_counter()
        layout, keys = build(Path(tmp) / "archive", args.items)
        say(f"built {args.items} items in {time.perf_counter() - started:.1f} s")
        process, url = start(layout)
        try:
            times = measure(url, keys, args.requests)
        finally:
            process.terminate()
            process.wait(20)
    rows = [["request", "n", "p50 ms", "p95 ms", "aim p95 ms", "met"]]
    for name, values in times.items():
        p95 = percentile(values, 95)
        rows.append([name, str(len(values)), f"{percentile(values, 50):.1f}", f"{p95:.1f}",
                     f"{AIMS[name]:.0f}", "yes" if p95 <= AIMS[name] else "no"])  # fmt: skip
    print(f"{args.items} items, {args.requests} requests of each kind; {machine()}")
    print(table(rows))


if __name__ == "__main__":
    main()
