"""Ingest of what cameras and phones write beyond JPEG: RAW, JPEG XL, JPEG 2000, BigTIFF; and
a photo of a known format that this machine cannot decode, kept without a preview."""

from __future__ import annotations

import shutil
from pathlib import Path

from archive.ingest import ingest
from archive.layout import Layout
from catalog.store import Catalog
from media.derivatives import DEFAULT_SPECS
from tests.archive.conftest import Cli
from tests.media.conftest import quadrant_image, stored_as, write_dng

NEW_FORMATS = {
    "raw-nikon-z9-jxl-compressed.dng": ("DNG", "image/x-adobe-dng", ".dng"),
    "jpeg-xl-exif-gps.jxl": ("JPEG XL", "image/jxl", ".jxl"),
    "jpeg-2000-exif-gps.jp2": ("JPEG 2000", "image/jp2", ".jp2"),
    "bigtiff-exif-orientation-6.tif": ("BigTIFF", "image/tiff", ".tif"),
}


def _outcomes(report) -> dict[str, tuple[str, str | None]]:
    return {Path(o.path).name: (o.outcome, o.reason) for o in report.outcomes}


def test_new_formats_are_added_with_their_derivatives(tmp_path: Path, data_dir: Path) -> None:
    source = tmp_path / "card"
    source.mkdir()
    for name in NEW_FORMATS:
        shutil.copy(data_dir / name, source / name)
    write_dng(
        source / "DSC_0042.dng",
        stored_as(quadrant_image(60, 40), 6),
        orientation=6,
        preview=stored_as(quadrant_image(1800, 1200), 6),
    )
    layout = Layout(tmp_path / "archive")
    report = ingest(layout, [source], jobs=1)
    outcomes = _outcomes(report)
    assert {o for o, _ in outcomes.values()} == {"added"}, outcomes
    with Catalog(layout.catalog) as catalog:
        items = {Path(i.source_paths[0]).name: i for i in catalog.items()}
        for name, (fmt, mime, extension) in NEW_FORMATS.items():
            item = items[name]
            assert (item.kind, item.extra["format"], item.mime) == ("photo", fmt, mime)
            assert item.original.endswith(extension)
            assert layout.absolute(item.original).read_bytes() == (source / name).read_bytes()
            made = catalog.derivatives(item.key)
            assert set(made) == {s.name for s in DEFAULT_SPECS if "photo" in s.kinds}
            assert all(layout.absolute(d.path).is_file() for d in made.values())
        z9 = catalog.derivatives(items["raw-nikon-z9-jxl-compressed.dng"].key)
        assert z9["display"].source == "embedded preview (LibRaw cannot develop this file)"
        assert (items["raw-nikon-z9-jxl-compressed.dng"].width, z9["display"].width) == (5392, 640)
        made = catalog.derivatives(items["DSC_0042.dng"].key)
        assert {d.source for d in made.values()} == {"embedded preview"}
        # stored portrait with orientation 6: shown landscape
        assert (made["display"].width, made["display"].height) == (1600, 1067)
        assert catalog.derivatives(items["jpeg-xl-exif-gps.jxl"].key)["display"].source is None


def test_show_json_tells_what_a_raw_derivative_was_made_from(tmp_path: Path, cli: Cli) -> None:
    source = tmp_path / "card"
    source.mkdir()
    write_dng(source / "DSC_0001.dng", quadrant_image(600, 400))
    cli("ingest", str(source), "--jobs", "1")
    (item,) = cli.json("list")
    shown = cli.json("show", item["key"])
    assert shown["derivatives"]["display"]["source"] == "developed with LibRaw"
    assert shown["derivatives"]["display"]["width"] == 300
    derivative_events = [e for e in shown["events"] if e["action"] == "derivative"]
    assert {e["detail"]["source"] for e in derivative_events} == {"developed with LibRaw"}


def test_a_known_photo_this_machine_cannot_decode_is_kept_without_a_preview(
    tmp_path: Path,
) -> None:
    source = tmp_path / "card"
    source.mkdir()
    path = write_dng(source / "DSC_0099.dng", quadrant_image(600, 400), compression=52546)
    layout = Layout(tmp_path / "archive")
    report = ingest(layout, [source], jobs=1)
    outcome, reason = _outcomes(report)["DSC_0099.dng"]
    assert outcome == "added"
    assert reason is not None and reason.startswith("no preview: LibRaw cannot develop this file")
    assert report.counts.get("failed", 0) == 0
    with Catalog(layout.catalog) as catalog:
        (item,) = catalog.items()
        assert (item.kind, item.extra["format"], item.width, item.height) == (
            "photo",
            "DNG",
            600,
            400,
        )
        assert layout.absolute(item.original).read_bytes() == path.read_bytes()
        assert catalog.derivatives(item.key) == {}
    assert not any(p.is_file() for p in layout.derivatives.rglob("*"))


def test_a_damaged_raw_still_fails_and_leaves_no_original(tmp_path: Path) -> None:
    source = tmp_path / "card"
    source.mkdir()
    whole = write_dng(tmp_path / "whole.dng", quadrant_image(600, 400))
    (source / "DSC_0100.dng").write_bytes(whole.read_bytes()[:2000])
    layout = Layout(tmp_path / "archive")
    report = ingest(layout, [source], jobs=1)
    outcome, reason = _outcomes(report)["DSC_0100.dng"]
    assert outcome == "failed"
    assert reason is not None and "LibRaw" in reason
    assert not any(p.is_file() for p in layout.originals.rglob("*"))
