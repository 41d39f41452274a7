"""IIIF in the exported site: Presentation 3 manifests checked against the official schema,
level-0 tiles checked by iiif-validator and opened by Mirador in chromium, incremental
writes, and tiles that carry nothing of the camera's metadata."""

from __future__ import annotations

import io
import json
import math
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
from iiif_validator.validator import ValidationInfo
from PIL import Image

from archive import config
from archive.export.site import export_site
from archive.layout import Layout
from catalog.store import Catalog
from tests.archive.conftest import Cli, make_photo
from tests.conftest import skip_unless_ci
from tests.links import broken_links
from tests.site.conftest import REPO, SampleSite, open_page, serve

SCHEMA = REPO.parent / "shared" / "schemas" / "iiif-presentation-3.json"
# Mirador 4.0.0's own warning on the console under React 19 (it works all the same).
MIRADOR_NOISE = "Accessing element.ref was removed in React 19"
PUBLIC = 'consent = "public"\ntitle = { en = "Felt", tg = "Намади Хоруғ" }\nrights = "CC BY 4.0"\n'


def _validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def _documents(site: Path) -> dict[str, dict]:
    """Every IIIF Presentation document of the site, by site-relative path."""
    return {
        p.relative_to(site).as_posix(): json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("*.json"))
        if not p.relative_to(site).as_posix().startswith(("media/", "."))
    }


def _expected_files(info: dict) -> set[str]:
    """The files a level-0 service must hold for its info.json, computed here from the
    Image API's rules (not from the exporter's code): each tile at each scale factor, and
    the whole image at each listed size."""
    width, height = info["width"], info["height"]
    (tiles,) = info["tiles"]
    edge = tiles["width"]
    files = {"info.json"}
    for factor in tiles["scaleFactors"]:
        span = edge * factor
        for y in range(0, height, span):
            for x in range(0, width, span):
                w, h = min(span, width - x), min(span, height - y)
                sw, sh = math.ceil(w / factor), math.ceil(h / factor)
                region = "full" if (x, y, w, h) == (0, 0, width, height) else f"{x},{y},{w},{h}"
                size = "max" if (sw, sh) == (width, height) else f"{sw},{sh}"
                files.add(f"{region}/{size}/0/default.jpg")
    for size in info["sizes"]:
        pair = (size["width"], size["height"])
        name = "max" if pair == (width, height) else f"{pair[0]},{pair[1]}"
        files.add(f"full/{name}/0/default.jpg")
    return files


def _pixels(path: str, info: dict) -> tuple[int, int]:
    size = path.split("/")[1]
    if size == "max":
        region = path.split("/")[0]
        if region == "full":
            return info["width"], info["height"]
        return tuple(int(v) for v in region.split(",")[2:])  # type: ignore[return-value]
    w, h = size.split(",")
    return int(w), int(h)


def _assert_clean_jpeg(data: bytes, where: str) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG", where
    for marker in (b"Exif\x00", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"JFIF\x00"):
        assert marker not in data, f"{where} carries {marker!r}"
    assert len(image.getexif()) == 0, where
    assert "exif" not in image.info and "icc_profile" not in image.info, where
    return image


# -- manifests -----------------------------------------------------------------------
def test_every_manifest_and_collection_is_valid_presentation_3(sample_site: SampleSite) -> None:
    site, keys = sample_site.root, sample_site.keys
    documents = _documents(site)
    validator = _validator()
    invalid = {
        path: [f"{list(e.path)}: {e.message[:200]}" for e in validator.iter_errors(doc)]
        for path, doc in documents.items()
    }
    assert {p: e for p, e in invalid.items() if e} == {}
    items = {p.name for p in (site / "items").iterdir()}
    manifests = {p.split("/")[1] for p in documents if p.endswith("/manifest.json")}
    assert manifests == items  # one per published item, none for the rest
    site_collection = documents["collection.json"]
    assert site_collection["type"] == "Collection"
    assert {m["id"].split("/")[-2] for m in site_collection["items"]} == items
    groups = [p for p in documents if p.startswith(("collections/", "events/"))]
    assert groups and all(documents[p]["items"] for p in groups)
    assert broken_links(site) == []

    photo = documents[f"items/{keys['IMG_2682.heic']}/manifest.json"]
    (canvas,) = photo["items"]
    body = canvas["items"][0]["items"][0]["body"]
    assert body["type"] == "Image" and body["service"][0]["profile"] == "level0"
    service = body["service"][0]["id"].split("/", 3)[-1]
    info = json.loads((site / service / "info.json").read_text())
    assert (canvas["width"], canvas["height"]) == (info["width"], info["height"])
    assert photo["rendering"][0]["id"].endswith(".webp")
    assert {"en", "ru", "tg"} <= set(photo["metadata"][0]["label"])
    rights = [d for p, d in documents.items() if p.endswith("manifest.json") and "Mardi" in str(d)]
    assert rights and all(
        d["requiredStatement"]["value"] == {"none": ["CC BY 4.0, Pamir Craft Archive sample"]}
        for d in rights
    )

    video = documents[f"items/{keys['carding-machine.avi']}/manifest.json"]
    (canvas,) = video["items"]
    body = canvas["items"][0]["items"][0]["body"]
    assert body["type"] == "Video" and body["format"] == "video/mp4"
    assert canvas["duration"] > 0 and (site / body["id"].split("/", 3)[-1]).is_file()
    ranges = video["structures"]
    assert [r["items"][0]["id"].split("#t=")[1] for r in ranges] == ["0,1.2", "1.2,2.7"]
    assert ranges[1]["label"]["en"] == ["Spinning the wool"]


def test_item_pages_link_their_manifest_and_the_viewer(sample_site: SampleSite) -> None:
    site, keys = sample_site.root, sample_site.keys
    photo = (site / f"items/{keys['felt-drying.jpg']}/index.html").read_text()
    assert f'href="../../items/{keys["felt-drying.jpg"]}/manifest.json"' in photo
    assert "viewer/index.html?manifest=" in photo
    # The IIIF logo is drawn in the page (no request of its own), inside the manifest's link,
    # hidden from screen readers: the link's text says what it is.
    link = re.search(r'<a class="iiif-link" href="([^"]+)"[^>]*>(.*?)</a>', photo, re.DOTALL)
    assert link and link[1] == f"../../items/{keys['felt-drying.jpg']}/manifest.json"
    assert link[2].startswith('<svg class="iiif-logo"') and 'aria-hidden="true"' in link[2]
    assert link[2].endswith("</svg> IIIF manifest (for image viewers)")
    assert "iiif-logo.svg" not in photo and not (site / "static/iiif-logo.svg").exists()
    assert "mirador" not in photo.lower()  # the viewer's script loads on its own page only
    video = (site / f"ru/items/{keys['carding-machine.avi']}/index.html").read_text()
    assert "manifest.json" in video and "viewer/index.html" not in video  # no tiles to zoom
    assert (site / "static/mirador/mirador.min.js").is_file()
    assert "Apache License" in (site / "static/mirador/LICENSE").read_text()


# -- tiles ---------------------------------------------------------------------------
def test_tiles_are_the_ones_info_json_lists_at_their_sizes(sample_site: SampleSite) -> None:
    services = sorted((sample_site.root / "media" / "iiif").iterdir())
    assert len(services) == 5  # the public photos; the video has none
    for folder in services:
        info = json.loads((folder / "info.json").read_text())
        assert info["id"].endswith(f"/media/iiif/{folder.name}") and info["profile"] == "level0"
        written = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        assert written == _expected_files(info), folder.name
        for rel in written - {"info.json"}:
            image = _assert_clean_jpeg((folder / rel).read_bytes(), f"{folder.name}/{rel}")
            assert image.size == _pixels(rel, info), f"{folder.name}/{rel}"
    big = services[0].parent / sample_site.keys["IMG_2682.heic"] / "info.json"
    big = json.loads(big.read_text())
    assert big["tiles"][0]["scaleFactors"] == [1, 2, 4, 8]  # a phone photo gets deep zoom


def test_tiles_are_upright_carry_no_gps_and_are_written_once(tmp_path: Path) -> None:
    """A turned camera photo with GPS: tiles upright, nothing of its EXIF; a second export
    writes nothing; unpublished, its tiles go."""
    sources = tmp_path / "DCIM"
    make_photo(sources / "turned.jpg", size=(1100, 700), gps=(37.489, 71.553), orientation=6)
    (sources / "turned.jpg.toml").write_text(PUBLIC, encoding="utf-8")
    cli = Cli(tmp_path / "archive")
    cli("ingest", "-q", "--jobs", "1", str(sources))
    (key,) = [i["key"] for i in cli.json("list")]
    site = tmp_path / "site"
    first = cli.json("export", str(site))
    tiles = [p for p in first["written"] if p.startswith(f"media/iiif/{key}/")]
    assert len(tiles) > 5
    info = json.loads((site / f"media/iiif/{key}/info.json").read_text())
    assert (info["width"], info["height"]) == (700, 1100)  # as the camera meant it
    for rel in tiles:
        data = (site / rel).read_bytes()
        assert b"Canon" not in data and b"GPS" not in data, rel
        if rel.endswith(".jpg"):
            _assert_clean_jpeg(data, rel)

    second = cli.json("export", str(site))
    assert second["written"] == [] and second["removed"] == []
    (site / tiles[-1]).unlink()  # a lost tile is written again, alone
    third = cli.json("export", str(site))
    assert third["written"] == [tiles[-1]]

    with Catalog(tmp_path / "archive" / "catalog.sqlite") as catalog:
        catalog.update(key, {"consent": "internal"})
    last = cli.json("export", str(site))
    assert set(tiles) <= set(last["removed"])
    assert not (site / "media" / "iiif").exists()
    assert not (site / "static" / "mirador").exists()  # no photo left to zoom into


FORMATS = [
    "gps-iphone.heic",
    "jpeg-xl-recompressed-jpeg-orientation-6.jxl",
    "bigtiff-exif-orientation-6.tif",
    "orientation-6.jpg",
    "raw-nikon-z9-jxl-compressed.dng",  # camera RAW: tiled from its display image
]


def test_tiles_of_every_photo_format_are_upright_and_clean(tmp_path: Path, data_dir) -> None:
    """Each format's tiles have the shape of its display image (which ingest made upright)
    and none carries the original's EXIF."""
    sources = tmp_path / "in"
    sources.mkdir()
    for name in FORMATS:
        shutil.copy(data_dir / name, sources / name)
        (sources / f"{name}.toml").write_text(PUBLIC, encoding="utf-8")
    cli = Cli(tmp_path / "archive")
    cli("ingest", "-q", "--jobs", "1", str(sources))
    site = tmp_path / "site"
    report = cli.json("export", str(site))
    assert report["warnings"] == []
    listed = {Path(i["source_paths"][0]).name: i for i in cli.json("list")}
    assert set(listed) == set(FORMATS)
    for name, item in listed.items():
        info = json.loads((site / f"media/iiif/{item['key']}/info.json").read_text())
        display = cli.json("show", item["key"])["derivatives"]["display"]
        shape = (info["width"] >= info["height"], display["width"] >= display["height"])
        assert shape[0] == shape[1], f"{name}: tiles {info['width']}x{info['height']}"
        assert abs(info["width"] / info["height"] - display["width"] / display["height"]) < 0.02
        for tile in (site / f"media/iiif/{item['key']}").rglob("*.jpg"):
            _assert_clean_jpeg(tile.read_bytes(), f"{name}: {tile.relative_to(site)}")


def test_iiif_validator_passes_level_0(tmp_path: Path) -> None:
    """The validator's own test pattern (10 × 10 squares of known colours), ingested and
    exported, its tiles served on 127.0.0.1 and checked by iiif-validate.py at level 0."""
    script = Path(sys.executable).parent / "iiif-validate.py"
    if not script.is_file():
        skip_unless_ci("iiif-validate.py is not installed (pip install -e '.[test]')")
    colours = ValidationInfo().colorInfo
    pattern = Image.new("RGB", (1000, 1000))
    for x in range(10):
        for y in range(10):
            pattern.paste(tuple(colours[x][y]), (x * 100, y * 100, x * 100 + 100, y * 100 + 100))
    sources = tmp_path / "in"
    sources.mkdir()
    pattern.save(sources / "squares.png")
    (sources / "squares.png.toml").write_text(PUBLIC, encoding="utf-8")
    cli = Cli(tmp_path / "archive")
    cli("ingest", "-q", "--jobs", "1", str(sources))
    (key,) = [i["key"] for i in cli.json("list")]
    site = tmp_path / "site"
    site.mkdir()
    with serve(site) as origin:
        layout = Layout(tmp_path / "archive")
        with Catalog(layout.catalog) as catalog:
            export_site(layout, catalog, config.load(layout), site, base_url=origin)
        server = origin.removeprefix("http://").rstrip("/")
        run = subprocess.run(
            [sys.executable, str(script), "-s", server, "-p", "media/iiif", "-i", key,
             "--version=3.0", "--level=0"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    assert "FAIL" not in report and "Done (" in report and ", 0 failures)" in report


# -- Mirador ---------------------------------------------------------------------------
def test_mirador_opens_a_manifest_and_every_tile_loads(browser, server, sample_site) -> None:
    key = sample_site.keys["IMG_2682.heic"]
    item = f"items/{key}/index.html"
    page, watch = open_page(browser, server, viewport={"width": 1280, "height": 900})
    page.goto(server + item)
    page.wait_for_load_state("networkidle")
    assert not [u for u in watch.bytes if "mirador" in u]  # not loaded by the item page
    tiles: dict[str, int] = {}
    page.on(
        "response",
        lambda r: tiles.__setitem__(r.url, r.status) if "/media/iiif/" in r.url else None,
    )
    page.click("a.zoom")
    page.wait_for_url(lambda url: "/viewer/index.html?manifest=" in url)
    deadline = time.monotonic() + 60
    while not any(u.endswith("/default.jpg") for u in tiles) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # a last tile asked for as the canvas settles
    page.wait_for_load_state("networkidle")
    shown = [u for u in tiles if u.endswith("/default.jpg")]
    assert shown, f"Mirador asked for no tile ({sorted(tiles)})"
    assert any(u.endswith(f"/media/iiif/{key}/info.json") for u in tiles)
    assert {u: s for u, s in tiles.items() if s != 200} == {}
    assert any(u.endswith("mirador.min.js") for u in watch.bytes)
    errors = [e for e in watch.errors if MIRADOR_NOISE not in e]
    assert watch.outside == [] and watch.failed == [] and errors == []
    page.context.close()


def test_the_viewer_opened_from_files_shows_the_picture(browser, sample_site) -> None:
    origin = sample_site.root.resolve().as_uri() + "/"
    page, watch = open_page(browser, origin)
    page.goto(origin + f"items/{sample_site.keys['felt-drying.jpg']}/index.html")
    page.click("a.zoom")
    page.wait_for_selector("#viewer img")
    assert page.evaluate("document.querySelector('#viewer img').naturalWidth") > 0
    assert "web server" in page.inner_text("#viewer")
    assert not [u for u in watch.bytes if "mirador" in u]
    assert watch.outside == [] and watch.failed == [] and watch.errors == []
    page.context.close()


def test_mirador_is_vendored_whole_with_its_licence() -> None:
    folder = REPO / "archive" / "export" / "vendor" / "mirador"
    script = (folder / "mirador.min.js").read_bytes()
    assert script.startswith(b"(function(") and b"G.Mirador={}" in script[:400]
    assert len(script) > 2_000_000  # the whole UMD build
    assert "Apache License" in (folder / "LICENSE").read_text()
