"""Derivatives in a bucket ([storage] derivatives): uploaded when made, checked and rebuilt
there, and read by the site export through the local cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.layout import Layout
from archive.storage.s3 import S3Store
from tests.archive.conftest import Cli, make_photo
from tests.storage.conftest import client, s3_archive
from tests.storage.seaweed import Seaweed


def media(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.glob("media/**/*.*")}


def files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def made_public(cli: Cli, src: Path) -> list[str]:
    report = cli.json("ingest", str(src), "--jobs", "1")
    assert report["counts"]["added"] == 2, report
    keys = [o["key"] for o in report["outcomes"]]
    for key in keys:
        cli("edit", key, "--set", "consent=public")
    return keys


@pytest.fixture
def gets(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of every object downloaded (S3 GETs of whole objects) in this test."""
    seen: list[str] = []
    real = S3Store.get

    def counted(self: S3Store, key: str, target: Path) -> None:
        seen.append(key)
        real(self, key, target)

    monkeypatch.setattr(S3Store, "get", counted)
    return seen


def test_derivatives_in_a_bucket_are_uploaded_and_exported_through_the_cache(
    tmp_path: Path, seaweed: Seaweed, bucket: str, gets: list[str]
) -> None:
    src = tmp_path / "src"
    make_photo(src / "felt-rug.jpg", size=(96, 64), color=(150, 30, 20))
    make_photo(src / "embroidered-cap.jpg", size=(64, 96), color=(20, 90, 160))
    local = Cli(tmp_path / "local")
    Layout(local.archive).create()
    made_public(local, src)
    local.json("export", str(tmp_path / "site-local"))

    root = s3_archive(  # originals stay local: the site's deep-zoom tiles are cut from them
        tmp_path / "bucketed",
        seaweed,
        bucket,
        originals=None,
        derivatives=f"s3://{bucket}/derivatives",
    )
    cli = Cli(root)
    made_public(cli, src)

    listed = client(seaweed).list_objects_v2(Bucket=bucket, Prefix="derivatives/")["Contents"]
    stored = {o["Key"] for o in listed}
    expected = {
        p.relative_to(local.archive).as_posix() for p in files(local.archive / "derivatives")
    }
    assert stored == expected and expected
    thumb = next(k for k in stored if k.startswith("derivatives/thumb/"))
    head = client(seaweed).head_object(Bucket=bucket, Key=thumb)
    assert head["ContentType"] == "image/webp"
    assert not files(Layout(root).derivatives), "derivatives live in the bucket only"
    assert cli.json("check")["ok"]
    assert not gets, "ingest and check download nothing"

    cli.json("export", str(tmp_path / "site-1"))
    published = media(tmp_path / "site-1")
    assert published == media(tmp_path / "site-local") and published
    derived = [url for url in published if not url.startswith("media/iiif/")]  # tiles: made
    assert len(gets) == len(derived), "only the derivatives the site publishes are fetched"
    assert len(gets) < len(stored), "the display-size stills are not published, not fetched"

    gets.clear()
    cli.json("export", str(tmp_path / "site-2"))
    assert media(tmp_path / "site-2") == published
    assert gets == [], "a second export finds every derivative in the cache"

    toml = root / "archive.toml"  # a new thumb spec: the thumbnails are made again
    toml.write_text(toml.read_text().replace("quality = 72", "quality = 30", 1))
    assert cli.json("rebuild", "--derivatives", "--jobs", "1")["derivatives_made"] == 2
    gets.clear()
    cli.json("export", str(tmp_path / "site-3"))
    thumbs = {k: v for k, v in media(tmp_path / "site-3").items() if k.startswith("media/thumb/")}
    assert len(gets) == len(thumbs) == 2, "only the new thumbnails are fetched"
    s3 = client(seaweed)
    for url, data in thumbs.items():
        assert data != published[url], "not the cached thumbnail of the old spec"
        key = f"derivatives/thumb/{Path(url).stem[:2]}/"
        assert data in {
            s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
            for o in s3.list_objects_v2(Bucket=bucket, Prefix=key)["Contents"]
        }


def test_check_and_rebuild_see_derivatives_in_the_bucket(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    src = tmp_path / "src"
    make_photo(src / "lost-thumb.jpg", size=(64, 48), color=(200, 10, 10))
    make_photo(src / "kept-thumb.jpg", size=(64, 48), color=(10, 200, 10))
    root = s3_archive(
        tmp_path / "archive", seaweed, bucket, derivatives=f"s3://{bucket}/derivatives"
    )
    cli = Cli(root)
    cli.json("ingest", str(src), "--jobs", "1")
    s3 = client(seaweed)
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="derivatives/")["Contents"]}
    lost = sorted(k for k in keys if k.startswith("derivatives/thumb/"))[0]
    s3.delete_object(Bucket=bucket, Key=lost)
    stray = "derivatives/thumb/ff/" + "f" * 64 + ".webp"
    s3.put_object(Bucket=bucket, Key=stray, Body=b"no record names me")

    report = cli.json("check", code=3)
    found = {(p["kind"], p["path"]) for p in report["problems"]}
    assert found == {("missing-derivative", lost), ("orphan-derivative", stray)}, report

    rebuilt = cli.json("rebuild", "--derivatives", "--jobs", "1")
    assert rebuilt["derivatives_made"] == 1 and stray in rebuilt["removed"], rebuilt
    after = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="derivatives/")["Contents"]}
    assert after == keys
    assert not files(Layout(root).derivatives)
    assert cli.json("check")["ok"]


def test_an_archive_moves_its_derivatives_to_a_bucket_by_a_rebuild(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    make_photo(tmp_path / "src" / "moved-derivatives.jpg", size=(64, 48))
    root = tmp_path / "archive"
    cli = Cli(root)
    Layout(root).create()
    cli.json("ingest", str(tmp_path / "src"), "--jobs", "1")
    before = {p.relative_to(root).as_posix(): p.read_bytes() for p in files(root / "derivatives")}
    with open(root / "archive.toml", "a", encoding="utf-8") as toml:
        toml.write(
            f'\n[storage]\nderivatives = "s3://{bucket}/d"\nendpoint = "{seaweed.endpoint}"\n'
        )
    kinds = {p["kind"] for p in cli.json("check", code=3)["problems"]}
    assert kinds == {"missing-derivative"}

    cli.json("rebuild", "--derivatives", "--jobs", "1")

    s3 = client(seaweed)
    stored = {
        "derivatives/" + o["Key"][2:]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
        for o in s3.list_objects_v2(Bucket=bucket, Prefix="d/")["Contents"]
    }
    assert stored == before
    assert not files(root / "derivatives")
    assert cli.json("check")["ok"]


def test_the_browser_app_shows_derivatives_from_the_bucket(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    """`archive serve` serves a thumbnail kept in the bucket (fetched into the cache)."""
    from archive.serve.app import _derivative_path
    from catalog.store import Catalog

    src = tmp_path / "src"
    make_photo(src / "felt-rug.jpg", size=(96, 64), color=(150, 30, 20))
    make_photo(src / "embroidered-cap.jpg", size=(64, 96), color=(20, 90, 160))
    root = s3_archive(
        tmp_path / "bucketed", seaweed, bucket, originals=None, derivatives=f"s3://{bucket}/d"
    )
    key = made_public(Cli(root), src)[0]
    with Catalog(root / "catalog.sqlite") as catalog:
        stored = catalog.derivatives(key)["thumb"].path
    assert not (root / stored).exists()

    path = _derivative_path(Layout(root), key, "thumb")

    assert path is not None and path.is_relative_to(root / "cache")
    kept = client(seaweed).get_object(Bucket=bucket, Key="d/" + stored.split("/", 1)[1])
    assert path.read_bytes() == kept["Body"].read()
    assert _derivative_path(Layout(root), key, "no-such-spec") is None
