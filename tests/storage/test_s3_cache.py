"""Work that needs an original's bytes reads it through a bounded local cache."""

from __future__ import annotations

import shutil
from pathlib import Path

from archive.layout import Layout
from tests.archive.conftest import Cli, make_photo
from tests.storage.conftest import s3_archive
from tests.storage.seaweed import Seaweed


def cached(root: Path) -> list[Path]:
    return [p for p in (root / "cache" / "originals").rglob("*") if p.is_file()]


def test_rebuild_fetches_originals_into_the_cache_and_keeps_it_bounded(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    root = s3_archive(tmp_path / "archive", seaweed, bucket, cache_size=1)
    for number in range(2):
        make_photo(tmp_path / "src" / f"photo-{number}.jpg", color=(number * 80, 9, 9))
    cli = Cli(root)
    cli.json("ingest", str(tmp_path / "src"), "--jobs", "1")
    assert not cached(root), "ingest derives from the source file: nothing downloaded"
    shutil.rmtree(Layout(root).derivatives)

    report = cli.json("rebuild", "--derivatives", "--jobs", "1")

    assert report["derivatives_made"] >= 2 and not report["failures"], report
    assert (root / "cache" / "originals").is_dir(), "the originals were fetched"
    assert not cached(root), "a cache of 1 byte keeps nothing after the work"
    assert cli.json("check")["ok"]


def test_the_cache_keeps_originals_up_to_its_size_and_export_downloads_none(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    root = s3_archive(tmp_path / "archive", seaweed, bucket, cache_size="10MB")
    make_photo(tmp_path / "src" / "kept-in-cache.jpg", size=(64, 48))
    cli = Cli(root)
    [added] = cli.json("ingest", str(tmp_path / "src"), "--jobs", "1")["outcomes"]
    cli("edit", added["key"], "--set", "consent=public", code=None)
    cli.json("export", str(tmp_path / "site"))
    assert not cached(root), "a site export needs no original"
    shutil.rmtree(Layout(root).derivatives)
    cli.json("rebuild", "--derivatives", "--jobs", "1")
    [copy] = cached(root)
    assert copy.read_bytes() == (tmp_path / "src" / "kept-in-cache.jpg").read_bytes()
