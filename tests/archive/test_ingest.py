"""Ingest as a user sees it: outcomes, copies, re-runs, duplicates, bad files, sidecars."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from archive.ingest import ingest
from archive.layout import Layout
from catalog.store import Catalog
from tests.archive.conftest import make_photo

WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def outcomes_by_name(report) -> dict[str, tuple[str, str | None]]:
    return {Path(o.path).name: (o.outcome, o.reason) for o in report.outcomes}


def test_first_ingest_creates_the_archive_and_adds_every_file(tmp_path, photos):
    layout = Layout(tmp_path / "archive")
    report = ingest(layout, [photos], jobs=1)
    assert report.counts["added"] == 2
    assert (layout.root / "archive.toml").is_file()
    with Catalog(layout.catalog) as catalog:
        items = catalog.items()
        assert len(items) == 2
        for item in items:
            original = layout.absolute(item.original)
            assert original.read_bytes() == (photos / Path(item.source_paths[0]).name).read_bytes()
            # The mode, not os.access: root may write any file, so access says nothing there.
            mode = stat.S_IMODE(original.stat().st_mode)
            assert mode & WRITE_BITS == 0, f"the original is writable: {oct(mode)}"
            made = catalog.derivatives(item.key)
            assert set(made) == {"thumb", "mid", "display"}
            assert all(layout.absolute(d.path).is_file() for d in made.values())
            assert [e.action for e in catalog.events(item.key)][0] == "ingested"


def test_metadata_is_read_from_exif(tmp_path, photos):
    layout = Layout(tmp_path / "archive")
    ingest(layout, [photos], jobs=1)
    with Catalog(layout.catalog) as catalog:
        by_name = {Path(i.source_paths[0]).name: i for i in catalog.items()}
    first = by_name["IMG_0001.jpg"]
    assert first.taken_at == "2015-08-14T10:30:00"
    assert (first.camera_make, first.camera_model) == ("Canon", "Canon EOS 7D")
    assert round(first.gps_lat, 3) == 37.489 and round(first.gps_lon, 3) == 71.553
    assert (first.width, first.height, first.kind, first.mime) == (640, 480, "photo", "image/jpeg")
    assert by_name["IMG_0002.jpg"].gps_lat is None


def test_second_run_adds_nothing_and_skips_before_hashing(tmp_path, photos):
    layout = Layout(tmp_path / "archive")
    ingest(layout, [photos], jobs=1)
    with Catalog(layout.catalog) as catalog:
        events_before = sum(len(catalog.events(k)) for k in catalog.keys())
    again = ingest(layout, [photos], jobs=1)
    assert again.counts["skipped"] == 2 and again.counts["added"] == 0
    with Catalog(layout.catalog) as catalog:
        assert sum(len(catalog.events(k)) for k in catalog.keys()) == events_before


def test_the_same_photo_at_another_path_is_a_duplicate(tmp_path, photos):
    layout = Layout(tmp_path / "archive")
    ingest(layout, [photos], jobs=1)
    copy = tmp_path / "usb" / "copy.jpg"
    copy.parent.mkdir()
    shutil.copy(photos / "IMG_0001.jpg", copy)
    report = ingest(layout, [copy.parent], jobs=1)
    ((outcome, reason),) = outcomes_by_name(report).values()
    assert outcome == "duplicate" and "already in the archive" in reason
    with Catalog(layout.catalog) as catalog:
        assert catalog.count() == 2
        item = catalog.get(report.outcomes[0].key)
        assert {Path(p).name for p in item.source_paths} == {"IMG_0001.jpg", "copy.jpg"}


def test_bad_files_fail_with_their_path_and_a_reason_and_the_run_goes_on(tmp_path, photos):
    (photos / "empty.jpg").write_bytes(b"")
    (photos / "notes.jpg").write_text("shopping list: wool, dye\n")
    good = (photos / "IMG_0001.jpg").read_bytes()
    (photos / "cut-short.jpg").write_bytes(good[:200])
    (photos / "random.mp4").write_bytes(os.urandom(2048))
    layout = Layout(tmp_path / "archive")
    report = ingest(layout, [photos], jobs=1)
    by_name = outcomes_by_name(report)
    assert by_name["IMG_0001.jpg"][0] == "added" and by_name["IMG_0002.jpg"][0] == "added"
    assert by_name["empty.jpg"] == ("failed", "empty file (0 bytes)")
    assert by_name["notes.jpg"] == ("failed", "a text file, not a photo or video")
    assert by_name["cut-short.jpg"][0] == "failed"
    assert (
        by_name["random.mp4"][0] == "failed" and "not a photo or video" in by_name["random.mp4"][1]
    )
    assert report.failed
    # Nothing of the failed files is left in the archive.
    with Catalog(layout.catalog) as catalog:
        kept = {layout.absolute(i.original) for i in catalog.items()}
    stored = {p for p in layout.originals.rglob("*") if p.is_file()}
    assert stored == kept


def test_a_jpeg_named_mp4_is_ingested_as_a_photo(tmp_path):
    source = make_photo(tmp_path / "src" / "clip.mp4")
    layout = Layout(tmp_path / "archive")
    report = ingest(layout, [source.parent], jobs=1)
    outcome = report.outcomes[0]
    assert outcome.outcome == "added" and "content is JPEG" in outcome.reason
    with Catalog(layout.catalog) as catalog:
        item = catalog.get(outcome.key)
    assert (item.kind, item.mime) == ("photo", "image/jpeg")
    assert item.original.endswith(".jpg")


def test_sources_are_never_modified(tmp_path, photos):
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in photos.iterdir()}
    ingest(Layout(tmp_path / "archive"), [photos], jobs=1)
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in photos.iterdir()}
    assert before == after


def test_sidecars_set_fields_and_record_events(tmp_path, photos):
    (photos / "_folder.toml").write_text('place = "khorog"\nconsent = "public"\n')
    (photos / "IMG_0001.jpg.toml").write_text(
        'title = { en = "Felt rug", ru = "Войлочный ковёр" }\n'
        'keywords = ["felt", "rug"]\ntechnique = ["felting"]\n'
    )
    (photos / "IMG_0002.jpg.yaml").write_text("title: Jurab socks\nconsent: withheld\n")
    layout = Layout(tmp_path / "archive")
    ingest(layout, [photos], jobs=1)
    with Catalog(layout.catalog) as catalog:
        by_name = {Path(i.source_paths[0]).name: i for i in catalog.items()}
        first, second = by_name["IMG_0001.jpg"], by_name["IMG_0002.jpg"]
        assert first.title == "Felt rug"
        assert (first.title_en, first.title_ru) == ("Felt rug", "Войлочный ковёр")
        assert first.texts("title") == {"en": "Felt rug", "ru": "Войлочный ковёр"}
        assert first.keywords == ("felt", "rug") and first.technique == ("felting",)
        assert (first.place, first.consent) == ("khorog", "public")
        assert (second.title, second.place, second.consent) == ("Jurab socks", "khorog", "withheld")
        edits = [e for e in catalog.events(first.key) if e.action == "edited"]
        assert {e.field for e in edits} >= {
            "title_en",
            "title_ru",
            "keywords",
            "technique",
            "place",
            "consent",
        }
        assert all(e.detail.get("via") == "sidecar" for e in edits)


def test_a_changed_sidecar_updates_the_item_on_the_next_run(tmp_path, photos):
    sidecar = photos / "IMG_0001.jpg.toml"
    sidecar.write_text('title = "First title"\n')
    layout = Layout(tmp_path / "archive")
    ingest(layout, [photos], jobs=1)
    sidecar.write_text('title = "Better title"\n')
    report = ingest(layout, [photos], jobs=1)
    by_name = outcomes_by_name(report)
    assert by_name["IMG_0001.jpg"][0] == "updated"
    assert by_name["IMG_0002.jpg"][0] == "skipped"
    with Catalog(layout.catalog) as catalog:
        item = catalog.get(
            report.outcomes[0].key
            if report.outcomes[0].outcome == "updated"
            else report.outcomes[1].key
        )
        assert item.title == "Better title"
        titles = [(e.old, e.new) for e in catalog.events(item.key) if e.field == "title_en"]
        assert titles == [(None, "First title"), ("First title", "Better title")]


def test_a_sidecar_with_an_unknown_key_or_bad_value_is_reported(tmp_path, photos):
    (photos / "IMG_0001.jpg.toml").write_text('titel = "typo"\nconsent = "maybe"\n')
    layout = Layout(tmp_path / "archive")
    report = ingest(layout, [photos], jobs=1)
    outcome, reason = outcomes_by_name(report)["IMG_0001.jpg"]
    assert outcome == "added"
    assert "unknown key 'titel'" in reason and "consent must be one of" in reason
    with Catalog(layout.catalog) as catalog:
        assert catalog.get(report.outcomes[0].key).consent == "internal"


def test_a_broken_sidecar_fails_that_file_but_keeps_the_original(tmp_path, photos):
    (photos / "IMG_0001.jpg.toml").write_text('title = "unclosed\n')
    layout = Layout(tmp_path / "archive")
    report = ingest(layout, [photos], jobs=1)
    outcome, reason = outcomes_by_name(report)["IMG_0001.jpg"]
    assert outcome == "failed" and "IMG_0001.jpg.toml" in reason
    assert outcomes_by_name(report)["IMG_0002.jpg"][0] == "added"


def test_dry_run_changes_nothing(tmp_path, photos):
    layout = Layout(tmp_path / "archive")
    report = ingest(layout, [photos], dry_run=True)
    assert report.dry_run and len(report.outcomes) == 2
    assert not layout.root.exists()


def test_worker_processes_give_the_same_catalogue(tmp_path, samples):
    one, two = Layout(tmp_path / "one"), Layout(tmp_path / "two")
    ingest(one, [samples], jobs=1)
    ingest(two, [samples], jobs=2)
    with Catalog(one.catalog) as a, Catalog(two.catalog) as b:

        def facts(catalog):
            return sorted(
                (i.key, i.kind, i.width, i.height, i.taken_at, i.title, i.consent)
                for i in catalog.items()
            )

        assert facts(a) == facts(b)
        assert len(facts(a)) == 8


def test_videos_get_a_poster_a_thumbnail_and_a_web_preview(tmp_path, data_dir):
    layout = Layout(tmp_path / "archive")
    ingest(layout, [data_dir / "rotated-90-gps.mov"], jobs=1)
    with Catalog(layout.catalog) as catalog:
        (item,) = catalog.items()
        made = catalog.derivatives(item.key)
    assert item.kind == "video" and item.rotation == 90
    assert (item.width, item.height) == (320, 568)  # as displayed: portrait
    assert set(made) == {"thumb", "poster", "preview"}
    assert made["poster"].height > made["poster"].width  # the poster is turned upright too
    assert made["preview"].mime == "video/mp4"


def test_run_log_has_one_line_per_file(tmp_path, photos):
    import json

    layout = Layout(tmp_path / "archive")
    report = ingest(layout, [photos], jobs=1)
    lines = [json.loads(x) for x in (layout.root / report.run_log).read_text().splitlines()]
    files = [x for x in lines if x["event"] == "file"]
    assert {Path(x["path"]).name for x in files} == {"IMG_0001.jpg", "IMG_0002.jpg"}
    assert lines[0]["event"] == "start" and lines[-1]["event"] == "end"
