"""Privacy: a site exported from the whole corpus, every item public, carries no camera, place or
source metadata; internal and withheld items leave no trace in any page, data file or media."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from archive.config import load
from archive.edit import edit
from archive.export.site import export_site
from archive.ingest import ingest
from archive.layout import Layout
from catalog.store import Catalog
from tests.conftest import skip_unless_ci

# exiftool -G1 groups that say nothing about the camera, the place or the people.
HARMLESS_GROUPS = {"ExifTool", "System", "File", "RIFF", "Composite", "QuickTime", "ItemList"}
HARMLESS_GROUPS |= {f"Track{n}" for n in range(1, 9)}
PRIVATE_TAG = re.compile(
    r"GPS|Make|Model|Serial|Lens|Location|Artist|Author|Creator|Copyright|Owner|"
    r"Keyword|Caption|Headline|Description|Comment|Subject|Title|UserComment",
    re.IGNORECASE,
)
HARMLESS_TAGS = {"HandlerDescription", "SampleGroupDescription"}  # "VideoHandler", "roll"
# Tags ffmpeg itself writes into a web preview; anything else is a leak.
HARMLESS_FORMAT_TAGS = {"major_brand", "minor_version", "compatible_brands", "encoder"}
HARMLESS_STREAM_TAGS = {"language", "handler_name", "vendor_id", "encoder"}
TEXT_SUFFIXES = {".html", ".json", ".js", ".css", ".xml", ".txt", ".webmanifest", ".svg"}
MEDIA_SUFFIXES = {".webp", ".jpg", ".jpeg", ".png", ".gif", ".avif", ".mp4", ".webm"}


def _tools() -> None:
    if not (shutil.which("exiftool") and shutil.which("ffprobe")):
        skip_unless_ci("exiftool and ffprobe are needed to look inside the exported media")


@pytest.fixture(scope="module")
def public_corpus(corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    """The whole corpus ingested, every item public, exported once."""
    _tools()
    root = tmp_path_factory.mktemp("privacy")
    layout = Layout(root / "archive")
    ingest(layout, [corpus / "photos", corpus / "videos", corpus / "odd"], jobs=2)
    with Catalog(layout.catalog) as catalog:
        keys = catalog.keys()
    edit(layout, list(keys), set_=["consent=public"])
    site = root / "site"
    with Catalog(layout.catalog) as catalog:
        export_site(layout, catalog, load(layout), site)
    return layout, site


def site_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file())


def exiftool(paths: list[Path]) -> list[dict]:
    out = subprocess.run(
        ["exiftool", "-j", "-G1", "-a", "-u", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(out.stdout or "[]")


def ffprobe(path: Path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", "-show_format", "-show_streams", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_exported_images_and_videos_carry_no_metadata(public_corpus) -> None:
    _layout, site = public_corpus
    media = [p for p in site_files(site) if p.suffix.lower() in MEDIA_SUFFIXES]
    assert any(p.suffix == ".mp4" for p in media) and any(p.suffix == ".webp" for p in media)
    records = exiftool(media)
    # exiftool exits non-zero when one file troubles it, so it runs unchecked: it must
    # still have answered for every file, or the test would look into nothing.
    assert sorted(r["SourceFile"] for r in records) == sorted(map(str, media))
    leaks = {}
    for record in records:
        tags = {k for k in record if ":" in k}
        groups = {k.split(":")[0] for k in tags} - HARMLESS_GROUPS
        named = {
            k
            for k in tags
            if k.split(":")[0] != "System"
            and k.split(":")[1] not in HARMLESS_TAGS
            and PRIVATE_TAG.search(k)
        }
        if groups or named:
            leaks[record["SourceFile"]] = sorted(groups | named)
    assert leaks == {}  # no EXIF, GPS, XMP, IPTC, ICC owner or maker notes
    for video in (p for p in media if p.suffix in (".mp4", ".webm")):
        probe = ffprobe(video)
        assert set(probe["format"].get("tags", {})) <= HARMLESS_FORMAT_TAGS, video
        for stream in probe["streams"]:
            assert set(stream.get("tags", {})) <= HARMLESS_STREAM_TAGS, (video, stream["tags"])


def test_no_coordinates_camera_or_source_paths_in_any_text_file(public_corpus) -> None:
    layout, site = public_corpus
    texts = {
        p: p.read_text(encoding="utf-8") for p in site_files(site) if p.suffix in TEXT_SUFFIXES
    }
    assert any(p.suffix == ".html" for p in texts)
    joined = "\n".join(texts.values())
    forbidden: set[str] = {str(layout.root), "originals/", "derivatives/"}
    coordinates: set[float] = set()
    cameras: set[str] = set()
    with Catalog(layout.catalog) as catalog:
        for item in catalog.items():
            for value in (item.gps_lat, item.gps_lon):
                if value not in (None, 0.0):
                    coordinates.add(value)
                    forbidden |= {f"{value:.3f}", f"{value:.4f}", repr(value)}
            if item.camera_model and len(item.camera_model) > 4:
                cameras.add(item.camera_model)
                forbidden.add(item.camera_model)
            for source in item.source_paths:
                forbidden |= {source, str(Path(source).parent)}
                if len(Path(source).stem) > 6:
                    forbidden.add(Path(source).name)
            forbidden.add(item.sha256)
    assert coordinates and cameras, "the corpus must give coordinates and cameras to look for"
    found = sorted(word for word in forbidden if word in joined)
    assert found == []


def test_internal_and_withheld_items_leave_no_trace(public_corpus, tmp_path: Path) -> None:
    layout, site = public_corpus
    with Catalog(layout.catalog) as catalog:
        chosen = catalog.items()[:6]
        derived = {
            item.key: [layout.absolute(d.path) for d in catalog.derivatives(item.key).values()]
            for item in chosen
        }
    for i, item in enumerate(chosen):
        consent = "internal" if i % 2 else "withheld"
        edit(layout, [item.key], set_=[f"consent={consent}", f"title=Private family {i:02d}"])
    fresh = tmp_path / "fresh"
    with Catalog(layout.catalog) as catalog:
        export_site(layout, catalog, load(layout), site)  # the same folder: pages removed
        export_site(layout, catalog, load(layout), fresh)  # a new folder: never written
    private_bytes = {
        hashlib.sha256(p.read_bytes()).hexdigest() for paths in derived.values() for p in paths
    }
    secrets = [item.key for item in chosen] + [item.sha256 for item in chosen]
    secrets += [f"Private family {i:02d}" for i in range(len(chosen))]
    for folder in (site, fresh):
        for path in site_files(folder):
            rel = path.relative_to(folder).as_posix()
            data = path.read_bytes()
            assert not any(s in rel for s in secrets), rel
            assert not any(s.encode() in data for s in secrets), rel
            assert hashlib.sha256(data).hexdigest() not in private_bytes, rel
