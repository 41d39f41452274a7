"""The static site export: what is published, what never is, and incremental writes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from archive import config
from archive.errors import ArchiveError
from archive.export.site import ExportReport, export_site
from archive.export.sync import MANIFEST
from archive.layout import Layout
from archive.records import derivative_record
from catalog.models import Item
from catalog.store import Catalog
from media.derivatives import DEFAULT_SPECS, make_derivatives
from media.probe import probe
from tests.links import broken_links

# Each case: name, corpus file, consent, title, taken_at.
CASES = [
    ("felt", "photos/Canon_40D.jpg", "public", "Felt carpet, Roshtqala", "2021-06-01T10:00:00"),
    ("socks", "photos/Landscape_6.jpg", "public", "Jurab socks", "2022-03-04T09:30:00+05:00"),
    ("bear", "videos/bear-vp9.webm", "public", "Spinning wool", None),
    ("secret", "photos/Nikon_D70.jpg", "internal", "Secret internal portrait", "2023-01-01"),
    ("hidden", "photos/Pentax_K10D.jpg", "withheld", "Withheld family photo", "2020-01-01"),
]
CAMERA_MODEL = "Canon EOS 40D Test Model"
LENS = "EF-S 17-85mm Test Lens"


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, corpus: Path, ffmpeg_tools: None
) -> tuple[Path, dict[str, str]]:
    """One small archive with derivatives made from the corpus; tests copy it."""
    root = tmp_path_factory.mktemp("built") / "arch"
    layout = Layout(root)
    layout.create()
    keys: dict[str, str] = {}
    with Catalog(layout.catalog) as catalog:
        for name, rel, consent, title, taken in CASES:
            keys[name] = _add(layout, catalog, corpus / rel, consent, title, taken)
    return root, keys


def _add(
    layout: Layout, catalog: Catalog, path: Path, consent: str, title: str, taken: str | None
) -> str:
    """Store one original's derivatives and its catalogue rows, as ingest would."""
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    key = sha[:16]
    info = probe(path)
    outputs = {
        s.name: layout.derivative_path(s.name, sha, s.extension)
        for s in DEFAULT_SPECS
        if info.kind in s.kinds
    }
    for out in outputs.values():
        out.parent.mkdir(parents=True, exist_ok=True)
    made = make_derivatives(
        path,
        info.kind,
        list(DEFAULT_SPECS),
        outputs,
        duration=info.duration,
        has_audio=info.has_audio,
        video_height=info.height,
    )
    catalog.add_item(
        Item(
            key=key,
            sha256=sha,
            kind=info.kind,
            mime=info.mime,
            size=path.stat().st_size,
            original=layout.relative(layout.original_path(sha, info.extension)),
            width=info.width,
            height=info.height,
            duration=info.duration,
            taken_at=taken,
            camera_make="Canon",
            camera_model=CAMERA_MODEL,
            lens=LENS,
            gps_lat=38.123456,
            gps_lon=71.654321,
            gps_alt=2100.5,
            ingested_at="2024-01-01T00:00:00+00:00",
        )
    )
    for m in made:
        catalog.set_derivative(derivative_record(layout, key, m, "2024-01-01T00:00:00+00:00"))
    catalog.update(
        key,
        {
            "consent": consent,
            "title": title,
            "description": f"About {title}.\nSecond line.",
            "maker": "Gulnora",
            "technique": ["felting", "knitting"],
            "place": "Roshtqala",
        },
    )
    return key


class Env:
    """One test's copy of the archive, and a way to export it."""

    def __init__(self, root: Path, keys: dict[str, str], tmp: Path) -> None:
        self.layout = Layout(root)
        self.keys = keys
        self.catalog = Catalog(self.layout.catalog)
        self.settings = config.load(self.layout)
        self.site = tmp / "site"

    def export(self, **kwargs: object) -> ExportReport:
        return export_site(self.layout, self.catalog, self.settings, self.site, **kwargs)

    def files(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.site).as_posix(): p.read_bytes()
            for p in sorted(self.site.rglob("*"))
            if p.is_file()
        }


@pytest.fixture
def env(built: tuple[Path, dict[str, str]], tmp_path: Path):
    root, keys = built
    copy = tmp_path / "arch"
    shutil.copytree(root, copy)
    e = Env(copy, keys, tmp_path)
    yield e
    e.catalog.close()


# -- link checking -------------------------------------------------------------------
def _broken_links(site: Path) -> list[str]:
    return broken_links(site)


# -- what is published ---------------------------------------------------------------
def test_public_items_get_pages_media_and_links(env: Env) -> None:
    report = env.export()
    keys = env.keys
    assert report.items == 3
    assert report.removed == ()
    files = env.files()
    for name in ("felt", "socks", "bear"):
        assert f"items/{keys[name]}/index.html" in files
        assert f"media/thumb/{keys[name]}.webp" in files
    assert f"media/display/{keys['felt']}.webp" in files
    assert f"media/poster/{keys['bear']}.webp" in files
    assert f"media/preview/{keys['bear']}.mp4" in files
    assert {"index.html", "404.html", "static/style.css", MANIFEST} <= set(files)
    assert set(report.written) == set(files) - {MANIFEST}
    assert _broken_links(env.site) == []

    index = files["index.html"].decode()
    assert '<html lang="en">' in index and 'name="viewport"' in index
    # Newest taken first, undated last.
    order = [index.index(f"items/{keys[n]}/index.html") for n in ("socks", "felt", "bear")]
    assert order == sorted(order)
    assert 'alt="Jurab socks"' in index and 'width="' in index and 'height="' in index

    video = files[f"items/{keys['bear']}/index.html"].decode()
    assert '<video id="player" controls preload="none"' in video
    assert f'poster="../../media/poster/{keys["bear"]}.webp"' in video
    assert f'<source src="../../media/preview/{keys["bear"]}.mp4" type="video/mp4">' in video
    photo = files[f"items/{keys['felt']}/index.html"].decode()
    assert f'src="../../media/display/{keys["felt"]}.webp"' in photo
    for text in ("Felt carpet, Roshtqala", "Gulnora", "2021-06-01", "Photo"):
        assert text in photo
    # Vocabulary values show their labels and link to their term pages.
    assert 'href="../../technique/felting/index.html">felting</a>' in photo
    assert 'href="../../place/roshtqala/index.html">Roshtqal&#39;a</a>' in photo
    assert 'rel="prev"' in photo and 'rel="next"' in photo


def test_media_are_hard_linked_from_the_archive(env: Env) -> None:
    env.export()
    key = env.keys["felt"]
    derivative = env.catalog.derivatives(key)["display"]
    assert os.path.samefile(
        env.layout.absolute(derivative.path), env.site / f"media/display/{key}.webp"
    )


def test_internal_and_withheld_items_leave_no_trace(env: Env) -> None:
    env.export()
    secrets = [env.keys["secret"], env.keys["hidden"], "Secret internal", "Withheld family"]
    shas = {env.catalog.get(env.keys[n]).sha256 for n in env.keys}
    for rel, data in env.files().items():
        for secret in [*secrets, *shas]:
            assert secret.encode() not in data, f"{secret!r} found in {rel}"


def test_no_private_technical_metadata_is_published(env: Env) -> None:
    env.export()
    forbidden = [CAMERA_MODEL, LENS, "38.12", "71.65", "2100.5", "gps", "Canon_40D", "originals/"]
    for rel, data in env.files().items():
        if rel.startswith("media/"):  # binary: look for the camera's own EXIF, not short words
            assert b"Canon EOS 40D" not in data and b"EXIF" not in data[:4096], rel
            continue
        text = data.decode("utf-8").lower()
        for word in forbidden:
            assert word.lower() not in text, f"{word!r} found in {rel}"


def test_hostile_text_is_escaped(env: Env) -> None:
    key = env.keys["felt"]
    env.catalog.update(key, {"title": "<script>alert(1)</script>", "maker": '"><img src=x>'})
    env.export()
    for page in ("index.html", f"items/{key}/index.html"):
        html = (env.site / page).read_text(encoding="utf-8")
        assert "<script>" not in html and "<img src=x>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert _broken_links(env.site) == []


def test_a_bad_key_never_leads_outside_the_site(env: Env, tmp_path: Path) -> None:
    env.catalog.add_item(
        Item(
            key="../../evil",
            sha256="e" * 64,
            kind="photo",
            mime="image/jpeg",
            size=1,
            original="originals/ee/e.jpg",
            consent="public",
        )
    )
    report = env.export()
    assert any("evil" in w for w in report.warnings)
    assert not (tmp_path / "evil").exists() and not (env.site.parent / "evil").exists()
    assert all("evil" not in p for p in report.written)


# -- incremental ---------------------------------------------------------------------
def test_second_export_writes_nothing(env: Env) -> None:
    first = env.export()
    manifest = (env.site / MANIFEST).stat().st_mtime_ns
    second = env.export()
    assert second.written == () and second.removed == ()
    assert set(second.unchanged) == set(first.written)
    assert (env.site / MANIFEST).stat().st_mtime_ns == manifest
    json.dumps(second.to_dict())  # JSON-ready


def test_changing_a_title_rewrites_that_page_and_the_home_page(env: Env) -> None:
    env.export()
    key = env.keys["socks"]
    env.catalog.update(key, {"title": "Jurab socks from Bartang"})
    report = env.export()
    written = set(report.written)
    pages = {f"{lang}items/{key}/index.html" for lang in ("", "ru/", "tg/")}
    assert pages | {"index.html", "search/data.js"} <= written
    for path in written - pages:  # only the lists the item is in: they show its title
        assert path.endswith("search/data.js") or key in (env.site / path).read_text(), path
    others = [k for n, k in env.keys.items() if n in ("felt", "bear")]
    assert not any(k in path for k in others for path in written)
    assert "Jurab socks from Bartang" in (env.site / f"items/{key}/index.html").read_text()


def test_unpublishing_removes_page_and_media(env: Env) -> None:
    env.export()
    key = env.keys["bear"]
    env.catalog.update(key, {"consent": "internal"})
    report = env.export()
    removed = set(report.removed)
    assert {
        f"items/{key}/index.html",
        f"ru/items/{key}/index.html",
        f"tg/items/{key}/index.html",
        f"media/thumb/{key}.webp",
        f"media/poster/{key}.webp",
        f"media/preview/{key}.mp4",
    } <= removed
    for path in removed:  # besides its own files, only lists left empty (its year, say)
        assert key in path or "/index.html" in path, path
    assert not (env.site / "items" / key).exists()
    assert report.items == 2
    for rel, data in env.files().items():
        assert key.encode() not in data, rel
    assert _broken_links(env.site) == []


def test_missing_derivative_is_left_out_with_a_warning(env: Env) -> None:
    key = env.keys["felt"]
    env.layout.absolute(env.catalog.derivatives(key)["display"].path).unlink()
    report = env.export()
    assert any(key in w and "display" in w for w in report.warnings)
    assert f"items/{key}/index.html" in report.written
    assert f"media/display/{key}.webp" not in report.written
    assert _broken_links(env.site) == []


# -- the destination folder ----------------------------------------------------------
def test_refuses_a_foreign_folder(env: Env) -> None:
    env.site.mkdir()
    (env.site / "notes.txt").write_text("mine")
    with pytest.raises(ArchiveError, match="not empty"):
        env.export()
    assert (env.site / "notes.txt").read_text() == "mine"
    assert not (env.site / "index.html").exists()


def test_empty_folder_is_fine_and_foreign_files_are_kept(env: Env) -> None:
    env.site.mkdir()
    env.export()
    (env.site / "extra.html").write_text("<p>mine</p>")
    env.catalog.update(env.keys["felt"], {"consent": "withheld"})
    report = env.export()
    assert report.removed and (env.site / "extra.html").read_text() == "<p>mine</p>"


def test_manifest_entries_outside_the_site_are_ignored(env: Env, tmp_path: Path) -> None:
    env.export()
    outside = tmp_path / "precious.txt"
    outside.write_text("keep")
    manifest = json.loads((env.site / MANIFEST).read_text())
    manifest["files"].append("../precious.txt")
    (env.site / MANIFEST).write_text(json.dumps(manifest))
    report = env.export()
    assert outside.read_text() == "keep"
    assert any("precious" in w for w in report.warnings)


def test_a_theme_overrides_templates_and_static_files(env: Env, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "static").mkdir()
    (theme / "static" / "style.css").write_text("body { color: teal; }\n")
    (theme / "templates" / "index.html").write_text(
        '{% extends "default:index.html" %}{% block intro %}<p>Our own intro</p>{% endblock %}'
    )
    env.export(theme=theme)
    assert (env.site / "static/style.css").read_text() == "body { color: teal; }\n"
    index = (env.site / "index.html").read_text()
    assert "Our own intro" in index and "items/" in index
    assert _broken_links(env.site) == []


def test_an_interrupted_export_still_owns_what_it_wrote(env: Env, monkeypatch) -> None:
    from archive.export import sync

    def fail(self, target, source):  # the first media file fails to copy
        raise ArchiveError(f"disk full writing {target}")

    monkeypatch.setattr(sync.SiteFolder, "_put_file", fail)
    with pytest.raises(ArchiveError, match="disk full"):
        env.export()
    manifest = json.loads((env.site / MANIFEST).read_text())
    assert manifest["complete"] is False
    assert f"items/{env.keys['felt']}/index.html" in manifest["files"]
    monkeypatch.undo()
    env.catalog.update(env.keys["felt"], {"consent": "internal"})
    report = env.export()
    assert f"items/{env.keys['felt']}/index.html" in report.removed
    assert json.loads((env.site / MANIFEST).read_text())["complete"] is True


def test_refuses_a_file_as_destination(env: Env) -> None:
    env.site.write_text("not a folder")
    with pytest.raises(ArchiveError, match="is a file"):
        env.export()


def test_a_half_written_manifest_beside_a_complete_one_is_removed(env: Env) -> None:
    """What an export killed while it claimed the folder leaves: the manifest still says
    complete; the next export removes the half-written copy, even with nothing to write."""
    env.export()
    stray = env.site / f".{MANIFEST}.k1ll3d_x.tmp"
    stray.write_text('{"format": 1, "comp')
    other = env.site / ".notes.txt.k1ll3d_x.tmp"  # not the export's own: left alone
    other.write_text("mine")
    report = env.export()
    assert report.written == () and not stray.exists()
    assert other.exists()
    assert json.loads((env.site / MANIFEST).read_text())["complete"] is True
