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
