"""The store goes away mid-ingest: failed outcomes with reasons, nothing half-added, and a
second run, with the store back, completes."""

from __future__ import annotations

import threading
from pathlib import Path

from archive.layout import Layout
from tests.archive.conftest import Cli, make_photo
from tests.conftest import wait_until
from tests.storage.conftest import client, new_bucket, padded_photo, s3_archive
from tests.storage.seaweed import Seaweed, weed_binary


def test_the_store_going_away_mid_ingest(tmp_path: Path, credentials: None) -> None:
    server = Seaweed(tmp_path / "seaweed", weed_binary() or "weed")
    server.start()
    try:
        bucket = new_bucket(server)
        root = s3_archive(tmp_path / "archive", server, bucket)
        src = tmp_path / "src"
        padded_photo(src / "first-large.jpg", 6)
        padded_photo(src / "second-large.jpg", 7)
        make_photo(src / "small-a.jpg", size=(64, 48), color=(10, 9, 9))
        make_photo(src / "small-b.jpg", size=(64, 48), color=(200, 9, 9))
        s3 = client(server)

        def kill_after_first_object() -> None:
            def stored() -> bool:
                return bool(s3.list_objects_v2(Bucket=bucket).get("KeyCount"))

            wait_until(stored, timeout=60, what="the first original in the bucket")
            server.stop()

        killer = threading.Thread(target=kill_after_first_object)
        killer.start()
        cli = Cli(root)
        first = cli.json("ingest", str(src), "--jobs", "1", code=3)
        killer.join()
        assert server.process is None, "the server was killed during the run"
        failed = [o for o in first["outcomes"] if o["outcome"] == "failed"]
        added = [o for o in first["outcomes"] if o["outcome"] == "added"]
        assert added and failed and len(added) + len(failed) == 4
        for outcome in failed:
            assert "cannot be reached" in outcome["reason"], outcome
        assert len(cli.json("list")) == len(added), "no record without its original"
        thumbs = list((Layout(root).derivatives / "thumb").rglob("*.*"))
        assert len(thumbs) == len(added), "no derivatives of the files that failed"

        server.start()
        second = cli.json("ingest", str(src), "--jobs", "1")
        assert second["counts"]["added"] == len(failed), second["outcomes"]
        assert second["counts"]["skipped"] == len(added)
        assert cli.json("check", "--fixity")["ok"]
        assert client(server).list_objects_v2(Bucket=bucket)["KeyCount"] == 4
        assert not client(server).list_multipart_uploads(Bucket=bucket).get("Uploads")
    finally:
        server.stop()
