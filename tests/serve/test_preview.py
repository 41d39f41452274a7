"""The app's preview is the exported page of the item, rendered by the export's own code."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve.conftest import PHOTO, VIDEO, Server, cli, make_archive, start


@pytest.fixture(scope="module")
def previewed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path, str]]:
    tmp = tmp_path_factory.mktemp("preview")
    archive, keys = make_archive(tmp, PHOTO)
    key = keys[PHOTO.name]
    cli("-a", str(archive), "edit", key, "--set", "consent=public",
        "--set", "title.en=Felt drying in Khorog", "--set", "rights=CC BY 4.0 Khorog NGO",
        "--add", "technique=felting")  # fmt: skip
    server = start(archive)
    yield server, archive, key
    assert server.stop() == 0, "".join(server.stderr)


def test_the_preview_is_the_page_the_export_writes(previewed, tmp_path) -> None:
    server, archive, key = previewed
    site = tmp_path / "site"
    cli("-a", str(archive), "export", str(site))
    exported = (site / "items" / key / "index.html").read_text(encoding="utf-8")
    status, _, page = server.request("GET", f"/items/{key}/preview?lang=en")
    assert status == 200
    for shown in ("Felt drying in Khorog", "CC BY 4.0 Khorog NGO", "elting"):
        assert shown in exported and shown in page, shown
    assert page.rstrip("\n") == exported.rstrip("\n")
    # Its pictures come from the app, byte for byte the files the export published.
    base = server.url + f"preview/site/items/{key}/index.html"
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert sources, "the page shows a picture"
    for src in sources:
        path = urllib.parse.urljoin(base, src)[len(server.url) - 1 :]
        status, headers, _ = server.request("GET", path)
        assert status == 200, path
        rel = urllib.parse.urljoin(f"items/{key}/index.html", src)
        assert int(headers["content-length"]) == (site / rel).stat().st_size


def test_an_item_without_consent_gives_the_reason_instead(previewed) -> None:
    server, archive, key = previewed
    cli("-a", str(archive), "edit", key, "--set", "consent=withheld")
    try:
        status, _, page = server.request("GET", f"/items/{key}/preview")
        assert status == 200
        assert "consent" in page and "Felt drying in Khorog" not in page
        media = f"/preview/site/media/mid/{key}.jpg"
        assert server.request("GET", media)[0] == 404  # nor are its files served
    finally:
        cli("-a", str(archive), "edit", key, "--set", "consent=public")


def test_preview_paths_never_reach_outside(previewed) -> None:
    server, _, key = previewed
    for path in (
        "/preview/site/../../archive.toml",
        "/preview/site/..%2F..%2Farchive.toml",
        "/preview/site/%2e%2e/%2e%2e/catalog.sqlite",
        f"/preview/site/items/{key}/..%2F..%2F..%2Farchive.toml",
        "/preview/site/media/mid/..%2F..%2Farchive.toml",
        "/items/..%2F..%2Fx/preview",
    ):
        status, _, body = server.request("GET", path)
        assert status == 404, path
        assert "[derivatives" not in str(body) and "SQLite" not in str(body), path


def test_to_do_is_worked_through_item_by_item(tmp_path) -> None:
    archive, keys = make_archive(tmp_path, PHOTO, VIDEO)
    photo, video = keys[PHOTO.name], keys[VIDEO.name]
    server = start(archive)
    try:
        page = server.request("GET", "/todo")[2]
        assert "?todo=title" in page
        first = server.request("GET", f"/items/{photo}?todo=title")[2]
        assert f'id="todo-next" href="/items/{video}?todo=title"' in first
        second = server.request("GET", f"/items/{video}?todo=title")[2]
        assert f'id="todo-next" href="/items/{photo}?todo=title"' in second
        # Once the photo has its titles, the video is the last one left: no next.
        cli("-a", str(archive), "edit", photo, "--set", "title.en=Felt", "--set",
            "title.ru=Войлок", "--set", "title.tg=Намад")  # fmt: skip
        assert 'id="todo-next"' not in server.request("GET", f"/items/{video}?todo=title")[2]
        assert "todo-next" not in server.request("GET", f"/items/{video}?todo=nonsense")[2]
    finally:
        assert server.stop() == 0
