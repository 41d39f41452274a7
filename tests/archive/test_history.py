"""Every change is an event with old and new values, and an edit can be undone."""

from __future__ import annotations

from pathlib import Path

from tests.archive.conftest import Cli


def test_history_lists_edits_and_undo_puts_the_old_value_back(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    cli("edit", key, "--set", "title=Felt rug", "--add", "technique=валяние")
    cli("edit", key, "--set", "title=Felt rug, Khorog")
    events = cli.json("history", key)["events"]
    titles = [e for e in events if e["field"] == "title_en"]
    assert [(e["old"], e["new"]) for e in titles] == [
        (None, "Felt rug"),
        ("Felt rug", "Felt rug, Khorog"),
    ]
    technique = next(e for e in events if e["field"] == "technique")
    assert technique["new"] == ["felting"]

    # The earlier edit cannot be undone while a later one changed the same field.
    refused = cli("history", "--undo", str(titles[0]["id"]), code=1)
    assert "changed since" in refused.stderr
    cli("history", "--undo", str(titles[1]["id"]))
    cli("history", "--undo", str(technique["id"]))
    item = cli.json("show", key)
    item = item.get("item", item)
    assert (item["title"], item["technique"]) == ("Felt rug", [])
    undos = [e for e in cli.json("history", key)["events"] if e["detail"].get("via") == "undo"]
    assert [e["detail"]["undoes"] for e in undos] == [titles[1]["id"], technique["id"]]


def test_only_edits_can_be_undone(cli: Cli, photos: Path):
    cli("ingest", str(photos), "--jobs", "1")
    key = cli.json("list")[0]["key"]
    ingested = cli.json("history", key)["events"][0]
    assert ingested["action"] == "ingested"
    result = cli("history", "--undo", str(ingested["id"]), code=1)
    assert "only edits can be undone" in result.stderr
