"""`archive export s3://…`: the site goes to a bucket, and a second export uploads nothing."""

from __future__ import annotations

from pathlib import Path

from tests.archive.conftest import Cli, make_photo
from tests.storage.conftest import client, s3_archive
from tests.storage.seaweed import Seaweed


def test_export_to_a_bucket_uploads_only_what_changed(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    root = s3_archive(tmp_path / "archive", seaweed, bucket)
    for number in range(2):
        make_photo(tmp_path / "src" / f"public-{number}.jpg", color=(number * 80, 0, 0))
    cli = Cli(root)
    outcomes = cli.json("ingest", str(tmp_path / "src"), "--jobs", "1")["outcomes"]
    first_key, second_key = (o["key"] for o in outcomes)
    for key in (first_key, second_key):
        cli("edit", key, "--set", "consent=public")
    site = f"s3://{bucket}/site/"

    first = cli.json("export", site)

    uploaded = first["published"]["uploaded"]
    assert "index.html" in uploaded and first["published"]["deleted"] == []
    s3 = client(seaweed)
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="site/")["Contents"]}
    assert keys == {f"site/{path}" for path in uploaded}
    page = s3.head_object(Bucket=bucket, Key="site/index.html")
    assert page["ContentType"] == "text/html; charset=utf-8"
    assert page["CacheControl"] == "public, max-age=0, must-revalidate"
    image = next(p for p in uploaded if p.endswith(".webp"))
    assert s3.head_object(Bucket=bucket, Key=f"site/{image}")["ContentType"] == "image/webp"

    again = cli.json("export", site)
    assert again["published"]["uploaded"] == []
    assert again["published"]["unchanged"] == len(uploaded)

    cli("edit", second_key, "--set", "consent=withheld")
    third = cli.json("export", site)
    assert third["published"]["deleted"], "the unpublished item's page is deleted"
    assert "index.html" in third["published"]["uploaded"]
    assert len(third["published"]["uploaded"]) < len(uploaded)
    left = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="site/")["Contents"]}
    assert not left & {f"site/{p}" for p in third["published"]["deleted"]}


def test_deep_zoom_tiles_of_originals_in_a_bucket_come_from_the_display_image(
    tmp_path: Path, seaweed: Seaweed, bucket: str
) -> None:
    """An export downloads no original: the zoom goes as deep as the display image."""
    import json

    root = s3_archive(tmp_path / "archive", seaweed, bucket)
    make_photo(tmp_path / "src" / "public-zoom.jpg", size=(900, 600), color=(20, 90, 160))
    cli = Cli(root)
    (outcome,) = cli.json("ingest", str(tmp_path / "src"), "--jobs", "1")["outcomes"]
    cli("edit", outcome["key"], "--set", "consent=public")

    report = cli.json("export", str(tmp_path / "site"))

    assert not [w for w in report["warnings"] if "original" in w], report["warnings"]
    info = json.loads(
        (tmp_path / "site" / "media" / "iiif" / outcome["key"] / "info.json").read_text()
    )
    largest = tmp_path / "site" / "media" / "iiif" / outcome["key"] / "full" / "max" / "0"
    assert (largest / "default.jpg").is_file()
    assert (info["width"], info["height"]) == (900, 600)  # the display image is not enlarged
    cached = root / "cache" / "originals"
    assert not cached.exists() or not any(p.is_file() for p in cached.rglob("*"))
