"""Collections and events: created, filled in order, named by a folder file at ingest."""

from __future__ import annotations

from pathlib import Path

from tests.archive.conftest import Cli


def test_an_event_keeps_dates_place_and_the_order_items_were_put_in(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    first, second = [i["key"] for i in cli.json("list")]
    made = cli.json(
        "collection", "create", "Felt 2015", "--event", "--start", "2015-08-10",
        "--end", "2015-08-14", "--place", "Хорог", "--title", "en=Felt days",
        "--title", "ru=Дни войлока",
    )  # fmt: skip
    assert (made["slug"], made["kind"], made["place"]) == ("felt-2015", "event", "khorog")
    cli("collection", "add", "felt-2015", first)
    cli("collection", "add", "felt-2015", second, "--at", "1")
    shown = cli.json("collection", "show", "felt-2015")
    assert shown["items"] == [second, first]
    assert shown["title"] == {"en": "Felt days", "ru": "Дни войлока"}
    cli("collection", "remove", "felt-2015", second)
    listed = cli.json("collection", "list")
    assert [(c["slug"], c["count"]) for c in listed] == [("felt-2015", 1)]
    fields = [e["field"] for e in cli.json("history", second)["events"] if e["action"] == "edited"]
    assert fields == ["collections", "collections"]  # added, then removed: both are events


def test_a_folder_file_names_the_collection_of_its_items(cli: Cli, photos: Path):
    (photos / "_folder.toml").write_text('collections = ["Jurab socks"]\n', encoding="utf-8")
    cli("ingest", str(photos), "--jobs", "1")
    shown = cli.json("collection", "show", "jurab-socks")
    assert len(shown["items"]) == 2


def test_editing_into_a_missing_collection_is_refused(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    result = cli("edit", key, "--add", "collections=nowhere", code=2)
    assert "archive collection create nowhere" in result.stderr
