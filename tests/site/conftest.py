"""Fixtures of the browser tests: the sample site, a local web server, and chromium."""

from __future__ import annotations

import contextlib
import functools
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from archive.cli import main
from catalog.store import Catalog
from tests.conftest import skip_unless_ci

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# The public video of the samples gets two chapters (the sidecars do not set chapters).
CHAPTERS = [
    {"start": 0, "end": 1.2, "process_step": "carding", "caption": {}},
    {"start": 1.2, "end": 2.7, "process_step": "spinning", "caption": {"en": "Spinning the wool"}},
]


@dataclass(frozen=True)
class SampleSite:
    root: Path
    archive: Path
    keys: dict[str, str]  # sample file name → key


def ingest_samples(tmp: Path) -> SampleSite:
    """Ingest samples/media with the CLI, give the video chapters, export the site."""
    if shutil.which("ffmpeg") is None:
        skip_unless_ci("ffmpeg is needed to ingest the sample videos")
    archive, site = tmp / "archive", tmp / "site"
    runner = CliRunner()
    result = runner.invoke(
        main, ["-a", str(archive), "ingest", "--quiet", str(REPO / "samples" / "media")]
    )
    assert result.exit_code == 0, result.output
    keys: dict[str, str] = {}
    with Catalog(archive / "catalog.sqlite") as catalog:
        for item in catalog.items():
            for source in item.source_paths:
                keys[Path(source).name] = item.key
        catalog.update(keys["carding-machine.avi"], {"chapters": CHAPTERS})
    result = runner.invoke(main, ["-a", str(archive), "export", str(site)])
    assert result.exit_code == 0, result.output
    return SampleSite(site, archive, keys)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> SampleSite:
    return ingest_samples(tmp_path_factory.mktemp("sample"))


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """``root`` over http://127.0.0.1:PORT/ (a thread, stopped when the block ends)."""
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(sample_site: SampleSite) -> Iterator[str]:
    """The sample site over HTTP for the whole session."""
    with serve(sample_site.root) as origin:
        yield origin


@dataclass
class Watch:
    """What a page did: requests that left the site, failed ones, console errors, and
    the body size of each finished request (or why it could not be measured)."""

    origin: str
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bytes: dict[str, int] = field(default_factory=dict)
    unmeasured: list[str] = field(default_factory=list)


def open_page(
    browser: Any, origin: str, *, viewport: dict[str, int] = PHONE, js: bool = True, scale: int = 1
):
    """A new page that blocks and records any request not to ``origin``."""
    context = browser.new_context(
        viewport=viewport, java_script_enabled=js, device_scale_factor=scale
    )
    page = context.new_page()
    watch = Watch(origin)

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(origin) or url.startswith("data:"):
            route.continue_()
        else:
            watch.outside.append(url)
            route.abort()

    context.route("**/*", route)
    page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.errors.append(str(e)))

    def failed(request: Any) -> None:
        # A player that seeks drops its running range request: not a broken link.
        if request.resource_type == "media" and "ERR_ABORTED" in (request.failure or ""):
            return
        watch.failed.append(f"{request.url}: {request.failure}")

    page.on("requestfailed", failed)

    def finished(request: Any) -> None:
        response = request.response()
        if response is not None and response.status >= 400:
            watch.failed.append(f"{request.url}: HTTP {response.status}")
        try:
            watch.bytes[request.url] = request.sizes()["responseBodySize"]
        except Exception as exc:  # never counted as 0 bytes: a weight test fails on it
            watch.unmeasured.append(f"{request.url}: {type(exc).__name__}: {exc}")

    page.on("requestfinished", finished)
    return page, watch
