"""The app's JSON API against a real `archive serve`: versions, refusals, safety."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.layout import Layout
from archive.lock import archive_lock
from tests.conftest import wait_until
from tests.serve.conftest import PHOTO, Server, cli, make_archive, start


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path, str]]:
    archive, keys = make_archive(tmp_path_factory.mktemp("api"), PHOTO)
    server = start(archive)
    yield server, archive, keys[PHOTO.name]
    assert server.stop() == 0, "".join(server.stderr)
    wait_until(lambda: any("Stopped." in line for line in server.stderr), timeout=5,
               what="`archive serve` to say it stopped after Ctrl-C")  # fmt: skip


def version_of(server: Server, key: str) -> str:
    status, headers, item = server.request("GET", f"/api/items/{key}")
    assert status == 200
    assert headers["etag"] == f'"{item["version"]}"'
    return item["version"]


def test_the_list_and_an_item_carry_versions_and_the_item_is_what_show_prints(served) -> None:
    server, archive, key = served
    status, _, listed = server.request("GET", "/api/items?limit=10&offset=0")
    assert status == 200 and listed["total"] == 1
    assert {"key", "title", "kind", "version"} <= set(listed["items"][0])
    status, headers, item = server.request("GET", f"/api/items/{key}")
    shown = json.loads(cli("-a", str(archive), "show", key, "--json").stdout)
    assert item == shown
    assert headers["etag"] == f'"{shown["version"]}"'


def test_a_change_without_if_match_is_428_and_changes_nothing(served) -> None:
    server, _, key = served
    before = version_of(server, key)
    status, _, body = server.request("PATCH", f"/api/items/{key}", {"set": {"maker": "Nobody"}})
    assert status == 428 and "If-Match" in body["error"]
    assert version_of(server, key) == before


def test_a_change_with_the_current_version_is_saved_with_the_persons_name(served) -> None:
    server, archive, key = served
    version = version_of(server, key)
    status, headers, item = server.request(
        "PATCH",
        f"/api/items/{key}",
        {"set": {"title.tg": "Хушк кардани намад", "consent": "public"}, "actor": "Gulnora"},
        {"If-Match": f'"{version}"'},
    )
    assert status == 200, item
    assert item["title_tg"] == "Хушк кардани намад" and item["consent"] == "public"
    assert item["version"] != version and headers["etag"] == f'"{item["version"]}"'
    shown = json.loads(cli("-a", str(archive), "show", key, "--json").stdout)
    assert shown["title_tg"] == "Хушк кардани намад"
    edits = [e for e in shown["events"] if e["field"] == "title_tg"]
    assert edits[-1]["detail"]["actor"] == "Gulnora" and edits[-1]["detail"]["via"] == "serve"


def test_a_stale_version_after_a_cli_edit_is_409_with_the_current_item(served) -> None:
    server, archive, key = served
    version = version_of(server, key)
    cli("-a", str(archive), "edit", key, "--set", "maker=Saodat (from the CLI)")
    status, headers, body = server.request(
        "PATCH", f"/api/items/{key}", {"set": {"maker": "Mine"}}, {"If-Match": f'"{version}"'}
    )
    assert status == 409
    assert "changed since you loaded it" in body["error"]
    assert body["item"]["maker"] == "Saodat (from the CLI)"
    assert headers["etag"] == f'"{body["item"]["version"]}"' != f'"{version}"'


@pytest.mark.parametrize(
    ("change", "cli_args"),
    [
        ({"set": {"consent": "sometimes"}}, ["--set", "consent=sometimes"]),
        ({"set": {"colour": "red"}}, ["--set", "colour=red"]),
        ({"add": {"technique": "weaving-xyz"}}, ["--add", "technique=weaving-xyz"]),
        ({"set": {"taken_at": "last summer"}}, ["--set", "taken_at=last summer"]),
    ],
    ids=["bad-consent", "unknown-field", "unknown-term", "bad-date"],
)
def test_a_value_the_cli_refuses_is_400_with_the_cli_message(served, change, cli_args) -> None:
    server, archive, key = served
    version = version_of(server, key)
    status, _, body = server.request(
        "PATCH", f"/api/items/{key}", change, {"If-Match": f'"{version}"'}
    )
    refused = cli("-a", str(archive), "edit", key, *cli_args, check=False)
    assert refused.returncode == 2
    assert status == 400
    assert refused.stderr.strip() == f"Error: {body['error']}"
    assert version_of(server, key) == version


def test_a_script_in_a_title_stays_text_on_every_page(served) -> None:
    server, _, key = served
    version = version_of(server, key)
    evil = "<script>alert('x')</script>"
    status, _, _ = server.request(
        "PATCH", f"/api/items/{key}", {"set": {"title.en": evil}}, {"If-Match": f'"{version}"'}
    )
    assert status == 200
    for path in ("/", f"/items/{key}", "/todo", f"/items/{key}/history"):
        status, _, page = server.request("GET", path)
        assert status == 200, path
        assert "<script>alert" not in page, path
        assert "built-in method" not in page, path  # every word is a word, not a repr
    assert "&lt;script&gt;alert(" in server.request("GET", f"/items/{key}")[2]


def test_no_path_from_a_request_reaches_outside_the_archive(served, tmp_path) -> None:
    server, archive, key = served
    secret = archive.parent / "secret.txt"
    secret.write_text("not for the web", encoding="utf-8")
    for path in (
        f"/media/{key}/..%2F..%2Farchive.toml",
        f"/media/{key}/../../archive.toml",
        "/media/..%2F..%2Fsecret.txt/thumb",
        "/static/..%2Fapp.py",
        "/static/%2E%2E%2Fapp.py",
    ):
        status, _, body = server.request("GET", path)
        assert status == 404, path
        assert "not for the web" not in str(body) and "[derivatives" not in str(body)
    # Even a catalogue row that points outside is not followed.
    with sqlite3.connect(archive / "catalog.sqlite") as db:
        db.execute("UPDATE derivatives SET path = '../secret.txt' WHERE key = ? AND spec = 'mid'",
                   (key,))  # fmt: skip
    status, _, body = server.request("GET", f"/media/{key}/mid")
    assert status == 404 and "not for the web" not in str(body)
    assert server.request("GET", f"/media/{key}/thumb")[0] == 200


def test_a_change_from_another_site_is_403(served) -> None:
    server, _, key = served
    version = version_of(server, key)
    for headers in (
        {"Origin": "http://evil.example"},
        {"Referer": "http://evil.example/page.html"},
        {"Origin": "null"},
    ):
        headers["If-Match"] = f'"{version}"'
        status, _, body = server.request(
            "PATCH", f"/api/items/{key}", {"set": {"maker": "Attacker"}}, headers
        )
        assert status == 403, headers
    status, _, _ = server.request(
        "POST", "/api/history/1/undo", {}, {"Origin": "http://evil.example"}
    )
    assert status == 403
    own = server.url.rstrip("/")
    status, _, item = server.request(
        "PATCH", f"/api/items/{key}", {"set": {"maker": "Own page"}},
        {"If-Match": f'"{version}"', "Origin": own},
    )  # fmt: skip
    assert status == 200 and item["maker"] == "Own page"
    assert server.request("GET", "/api/items", headers={"Host": "evil.example"})[0] == 403


def test_forms_need_the_csrf_token_and_uploads_are_refused(served) -> None:
    server, _, key = served
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for path in ("/publish", "/conflicts/take", f"/items/{key}/undo"):
        status, _, _ = server.request("POST", path, raw=b"take=archive&event=1", headers=form)
        assert status == 403, path
    upload = {"Content-Type": "multipart/form-data; boundary=x"}
    body = (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nAAA\r\n--x--'
    )
    assert server.request("POST", "/api/items", raw=body, headers=upload)[0] == 415


def test_todo_history_and_undo(served) -> None:
    server, _, key = served
    status, _, todo = server.request("GET", "/api/todo")
    assert status == 200 and {"items", "groups", "open"} <= set(todo)
    version = version_of(server, key)
    server.request("PATCH", f"/api/items/{key}", {"set": {"rights": "CC BY 4.0"}},
                   {"If-Match": f'"{version}"'})  # fmt: skip
    status, _, history = server.request("GET", f"/api/items/{key}/history")
    assert status == 200
    event = [e for e in history["events"] if e["field"] == "rights"][-1]
    status, _, undone = server.request("POST", f"/api/history/{event['id']}/undo", {})
    assert status == 200 and undone["undone"] == event["id"]
    assert server.request("GET", f"/api/items/{key}")[2]["rights"] is None
    status, _, again = server.request("POST", f"/api/history/{event['id']}/undo", {})
    assert status == 400 and "already holds the old value" in again["error"]
    assert server.request("POST", "/api/history/999999/undo", {})[0] == 400


def test_a_write_waits_for_another_commands_lock_and_says_so(served) -> None:
    server, archive, key = served
    version = version_of(server, key)
    answers: list[int] = []
    release = threading.Event()
    held = threading.Event()

    def hold() -> None:
        with archive_lock(Layout(archive), "ingest"):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    patch = threading.Thread(
        target=lambda: answers.append(
            server.request(
                "PATCH",
                f"/api/items/{key}",
                {"set": {"event": "Navruz fair"}},
                {"If-Match": f'"{version}"'},
            )[0]  # fmt: skip
        )
    )
    patch.start()
    try:
        wait_until(lambda: server.request("GET", "/api/lock")[2]["waiting"] is not None,
                   timeout=15, what="the app to report that it waits for the lock")  # fmt: skip
        assert not answers  # still waiting, not failed
        assert server.request("GET", f"/api/items/{key}")[0] == 200  # reads never wait
    finally:
        release.set()
        holder.join()
    patch.join(30)
    assert answers == [200]
    assert server.request("GET", f"/api/items/{key}")[2]["event"] == "Navruz fair"
    assert server.request("GET", "/api/lock")[2] == {"writes": 0, "waiting": None}


def test_term_suggestions_in_every_script(served) -> None:
    server, _, _ = served
    for typed in ("намад", "felt", "valyanie", "войлок"):
        status, _, found = server.request("GET", f"/api/terms/technique?q={quote(typed)}")
        assert status == 200
        assert found["terms"][0]["slug"] == "felting", typed


def quote(text: str) -> str:
    from urllib.parse import quote as q

    return q(text)


def test_off_this_machine_every_request_needs_the_token(tmp_path, running) -> None:
    archive, _ = make_archive(tmp_path, PHOTO)
    toml = archive / "archive.toml"
    setting = '\n[serve]\ntoken = "office-token-0123456789"\n'
    toml.write_text(toml.read_text(encoding="utf-8") + setting, encoding="utf-8")
    site = tmp_path / "site"
    server = running(archive, "--host", "127.0.0.2", "--oai", "--site", str(site))
    assert server.token == "office-token-0123456789"
    assert server.request("GET", "/api/items")[0] == 401
    assert server.request("GET", "/")[0] == 401
    assert server.request("GET", "/api/items", headers={"Authorization": "Bearer wrong"})[0] == 401
    good = {"Authorization": f"Bearer {server.token}"}
    assert server.request("GET", "/api/items", headers=good)[0] == 200
    assert server.request("GET", "/login?token=wrong")[0] == 401
    # The same server answers OAI-PMH (--oai) and publishes the site with progress (--site).
    status, _, xml = server.request("GET", "/oai?verb=Identify", headers=good)
    assert status == 200 and "<Identify>" in xml
    _, headers, page = server.request("GET", "/publish", headers=good)
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    session = re.search(r"archive_session=([^;]+)", headers["set-cookie"]).group(1)
    form = {**good, "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"archive_session={session}"}  # fmt: skip
    assert server.request("POST", "/publish", raw=f"csrf={csrf}".encode(), headers=form)[0] == 200
    wait_until(lambda: server.request("GET", "/api/publish", headers=good)[2]["stage"] == "done",
               timeout=60, what="the export started by Publish to finish")  # fmt: skip
    progress = server.request("GET", "/api/publish", headers=good)[2]
    assert progress["report"]["written"] > 0 and (site / "index.html").is_file()
