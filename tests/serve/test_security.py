"""Trying to break `archive serve`: hosts, origins, CSRF, bodies, paths, scripts, headers."""

from __future__ import annotations

import re
import socket
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.serve.security import Guard
from tests.serve.conftest import PHOTO, Server, cli, make_archive, start

EVIL = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path, str]]:
    archive, keys = make_archive(tmp_path_factory.mktemp("security"), PHOTO)
    server = start(archive)
    yield server, archive, keys[PHOTO.name]
    assert server.stop() == 0, "".join(server.stderr)


def version_of(server: Server, key: str) -> str:
    return server.request("GET", f"/api/items/{key}")[2]["version"]


def patch(server: Server, key: str, change: dict, headers: dict | None = None) -> int:
    sent = {"If-Match": f'"{version_of(server, key)}"', **(headers or {})}
    return server.request("PATCH", f"/api/items/{key}", change, sent)[0]


def raw_request(server: Server, lines: list[str], body: bytes = b"") -> tuple[int, str]:
    """A request written by hand (urllib always sends a good Host): the status, the text."""
    parts = urllib.parse.urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
        sock.sendall(("\r\n".join([*lines, "Connection: close", "", ""])).encode() + body)
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except ConnectionResetError:  # refused before the body was read: the answer came
            assert data, "the server closed the connection without an answer"
    head = data.split(b"\r\n", 1)[0].decode()
    return int(head.split()[1]), data.decode("utf-8", errors="replace")


def test_a_foreign_or_missing_host_name_is_refused_on_this_machine(served) -> None:
    server, _, key = served
    for host in ("evil.example", "127.0.0.1.evil.example", "localhost.evil.example:80"):
        status, text = raw_request(server, [f"GET /api/items/{key} HTTP/1.1", f"Host: {host}"])
        assert status == 403 and "ffef" not in text.split("\r\n\r\n", 1)[1], host
    status, _ = raw_request(server, [f"GET /api/items/{key} HTTP/1.0"])  # no Host at all
    assert status in (400, 403)
    port = urllib.parse.urlsplit(server.url).port
    assert raw_request(server, ["GET /api/items HTTP/1.1", f"Host: localhost:{port}"])[0] == 200


def test_a_change_with_neither_origin_nor_referer_must_be_json_or_carry_the_token(served):
    server, _, key = served
    version = version_of(server, key)
    # A no-cors fetch from another site may send a body with no type, or text/plain.
    for kind in (None, "text/plain"):
        headers = {"If-Match": f'"{version}"'} | ({"Content-Type": kind} if kind else {})
        status, _, _ = server.request("POST", "/api/history/1/undo", raw=b"{}", headers=headers)
        assert status in (403, 415), kind
    assert version_of(server, key) == version
    # A script's JSON (which a browser sends elsewhere only after a preflight) is accepted.
    assert patch(server, key, {"set": {"maker": "Gulnora"}}) == 200
    assert patch(server, key, {"set": {"maker": "Other"}}, {"Origin": "null"}) == 403
    referer = {"Referer": "http://evil.example/page"}
    assert patch(server, key, {"set": {"maker": "Other"}}, referer) == 403
    assert server.request("GET", f"/api/items/{key}")[2]["maker"] == "Gulnora"


def test_json_in_the_wrong_content_type_is_refused(served) -> None:
    server, _, key = served
    for kind in ("text/plain", "application/xml", "application/json-patch+json"):
        headers = {"If-Match": f'"{version_of(server, key)}"', "Content-Type": kind,
                   "Origin": server.url.rstrip("/")}  # fmt: skip
        status, _, _ = server.request(
            "PATCH", f"/api/items/{key}", raw=b'{"set": {"maker": "X"}}', headers=headers
        )
        assert status == 415, kind
    assert server.request("GET", f"/api/items/{key}")[2]["maker"] != "X"


def test_a_very_large_body_is_refused_before_it_is_read(served) -> None:
    server, _, key = served
    port = urllib.parse.urlsplit(server.url).port
    status, text = raw_request(server, [
        f"PATCH /api/items/{key} HTTP/1.1", f"Host: 127.0.0.1:{port}",
        f'If-Match: "{version_of(server, key)}"', "Content-Type: application/json",
        f"Content-Length: {2 << 20}"])  # fmt: skip
    assert status == 413 and "bytes" in text
    # A chunked body (no Content-Length) is counted while it is read.
    chunk = b"a" * 65536
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(17)) + b"0\r\n\r\n"
    status, _ = raw_request(server, [
        "POST /api/history/1/undo HTTP/1.1", f"Host: 127.0.0.1:{port}",
        "Content-Type: application/json", "Transfer-Encoding: chunked"], body)  # fmt: skip
    assert status == 413


def test_the_csrf_token_is_bound_to_the_browser_session(served) -> None:
    server, _, key = served
    own = server.url.rstrip("/")

    def session_page() -> tuple[str, str]:
        _, headers, page = server.request("GET", f"/items/{key}/history")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        return csrf, re.search(r"archive_session=([^;]+)", headers["set-cookie"]).group(1)

    (csrf_a, session_a), (csrf_b, session_b) = session_page(), session_page()
    assert session_a != session_b and csrf_a != csrf_b
    form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": own}
    body = f"csrf={csrf_a}&event=999999".encode()
    other = {**form, "Cookie": f"archive_session={session_b}"}
    assert server.request("POST", f"/items/{key}/undo", raw=body, headers=other)[0] == 403
    assert server.request("POST", f"/items/{key}/undo", raw=body, headers=form)[0] == 403
    mine = {**form, "Cookie": f"archive_session={session_a}"}
    status, _, page = server.request("POST", f"/items/{key}/undo", raw=body, headers=mine)
    assert status == 200 and "999999" in page  # past the CSRF check: the undo's own error


def test_tokens_are_compared_in_constant_time() -> None:
    guard = Guard("office-token-0123456789")
    assert guard.token_ok("office-token-0123456789") and not guard.token_ok("office-token")
    assert not guard.token_ok(None) and not guard.token_ok("")
    csrf = guard.csrf("s1")
    assert guard.csrf_ok(csrf, "s1") and not guard.csrf_ok(csrf, "s2")
    assert not guard.csrf_ok(csrf, None) and not guard.csrf_ok(None, "s1")
    source = Path(__import__("archive.serve.security", fromlist=["x"]).__file__).read_text()
    assert source.count("hmac.compare_digest") >= 2 and " == self.token" not in source


def test_the_token_is_never_logged(tmp_path, running) -> None:
    archive, keys = make_archive(tmp_path, PHOTO)
    server = running(archive, "--host", "127.0.0.2")
    token = server.token
    good = {"Authorization": f"Bearer {token}"}
    server.request("GET", f"/login?token={token}")
    server.request("GET", "/login?token=wrong")
    server.request("GET", "/api/items/zz", headers=good)
    server.request("PATCH", f"/api/items/{keys[PHOTO.name]}", {"set": {}}, good)
    assert server.stop() == 0
    # Printed once, when it starts, for the person who started it; never again.
    assert "".join(server.stderr).count(token) == 1


PATH_ROUTES = (
    "GET /api/items/{}", "GET /api/items/{}/history", "PATCH /api/items/{}",
    "POST /api/history/{}/undo", "GET /items/{}", "GET /items/{}/history",
    "POST /items/{}/undo", "GET /items/{}/preview", "GET /media/{}/thumb",
    "GET /media/KEY/{}", "GET /static/{}", "GET /preview/site/{}",
)  # fmt: skip


CLIMBING = ("../../x", "..%2F..%2Farchive.toml", "%2e%2e", "%2e%2e%2fcatalog.sqlite",
            "..\\..\\archive.toml")  # fmt: skip


@pytest.mark.parametrize("bad", CLIMBING)
def test_keys_that_climb_out_reach_nothing_in_any_route(served, bad) -> None:
    server, _, key = served
    own = {"Origin": server.url.rstrip("/"), "If-Match": '"x"'}
    for route in PATH_ROUTES:
        method, path = route.split(" ")
        path = path.replace("KEY", key).format(bad)
        body = {} if method != "GET" else None
        status, _, answer = server.request(method, path, body, own if body is not None else None)
        assert status in (400, 403, 404, 405, 428), (route, status)
        text = str(answer)
        assert "[derivatives" not in text and "SQLite format" not in text, route
        assert "Traceback" not in text, route


def test_a_script_in_every_shown_field_stays_text(served) -> None:
    server, archive, key = served
    cli("-a", str(archive), "collection", "create", "evil-col", "--title", f"en={EVIL}",
        "--description", f"en={EVIL}")  # fmt: skip
    cli("-a", str(archive), "edit", key, "--set", f"title.en={EVIL}",
        "--set", f"description.en={EVIL}", "--set", f"maker={EVIL}", "--set", f"event={EVIL}",
        "--add", f"keywords={EVIL}", "--add", "collections=evil-col",
        "--set", f"consent_note={EVIL}", "--set", "consent=public",
        "--set", "rights=javascript:alert(1)")  # fmt: skip
    cli("-a", str(archive), "edit", key, "--as-new-term", f"technique={EVIL}x", check=False)
    pages = ("/", f"/?q={urllib.parse.quote(EVIL)}", f"/items/{key}", "/todo", "/conflicts",
             f"/items/{key}/history", f"/items/{key}/preview", "/publish")  # fmt: skip
    for path in pages:
        status, _, page = server.request("GET", path)
        assert status in (200, 400), path
        assert "<script>alert" not in page, path
        assert 'href="javascript:' not in page.lower(), path
        assert 'src="javascript:' not in page.lower(), path
    assert "&lt;script&gt;alert(" in server.request("GET", f"/items/{key}/history")[2]
    status, _, item = server.request("GET", f"/api/items/{key}")
    assert item["title_en"] == EVIL  # kept as written, only escaped when shown


def test_every_answer_carries_the_safety_headers(served) -> None:
    server, _, key = served
    for path in ("/", f"/items/{key}", "/api/items", f"/media/{key}/thumb", "/static/app.js",
                 "/nothing-here", f"/items/{key}/preview"):  # fmt: skip
        _, headers, _ = server.request("GET", path)
        got = {k.lower(): v for k, v in headers.items()}
        csp = got.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp, path
        assert got.get("x-content-type-options") == "nosniff", path
        assert got.get("referrer-policy") == "same-origin", path
    refused = server.request("GET", "/api/items", headers={"Host": "evil.example"})[1]
    assert "content-security-policy" in {k.lower() for k in refused}
