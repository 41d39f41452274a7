"""The site's pages: languages, structured data, galleries and the look from archive.toml."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from archive.errors import ArchiveError, ConfigError
from tests.archive import test_export as base
from tests.archive.test_export import Env, _broken_links

built, env = base.built, base.env  # the archive made from the corpus, and a copy per test

BASE = "https://crafts.example.org/catalogue/"


def _jsonld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', html, re.S)
    assert found, "no JSON-LD"
    return json.loads(found.group(1))


def test_every_page_exists_in_three_languages_with_a_switch(env: Env) -> None:
    key = env.keys["socks"]
    env.catalog.update(key, {"title_ru": "Джурабы"} if _has("title_ru", env) else {})
    env.export()
    for prefix, lang in (("", "en"), ("ru/", "ru"), ("tg/", "tg")):
        html = (env.site / f"{prefix}items/{key}/index.html").read_text()
        assert f'<html lang="{lang}">' in html
        assert 'hreflang="ru"' in html or lang == "ru"
    ru = (env.site / f"ru/items/{key}/index.html").read_text()
    assert "Техника" in ru and "валяние" in ru  # interface and vocabulary labels in Russian
    assert 'href="../../../tg/items/' in ru  # the switch keeps the page
    tg = (env.site / "tg/technique/felting/index.html").read_text()
    assert "намадмолӣ" in tg
    assert _broken_links(env.site) == []


def _has(field: str, env: Env) -> bool:
    return hasattr(env.catalog.get(env.keys["socks"]), field)


def test_term_place_year_and_search_pages(env: Env) -> None:
    env.export()
    felting = (env.site / "technique/felting/index.html").read_text()
    assert all(env.keys[n] in felting for n in ("felt", "socks", "bear"))
    gbao = (env.site / "place/gbao/index.html").read_text()  # Roshtqal'a lies in GBAO
    assert env.keys["felt"] in gbao and 'href="../../place/roshtqala/index.html"' in gbao
    assert 'href="../../place/tajikistan/index.html"' in gbao  # its parent region
    assert (env.site / "timeline/2021/index.html").is_file()
    data = (env.site / "search/data.js").read_text()
    assert data.startswith("window.PAMIR_SEARCH=") and "roshtqala" in data
    assert (env.site / "static/fold.js").read_text().startswith("window.PAMIR_FOLD=")


def test_structured_data_and_base_url(env: Env) -> None:
    env.export(base_url=BASE)
    felt, bear = env.keys["felt"], env.keys["bear"]
    photo = (env.site / f"items/{felt}/index.html").read_text()
    data = _jsonld(photo)
    assert data["@type"] == "VisualArtwork" and data["creator"]["name"] == "Gulnora"
    assert data["url"] == f"{BASE}items/{felt}/"
    assert data["locationCreated"]["name"] == "Roshtqal'a"
    assert f'<link rel="canonical" href="{BASE}items/{felt}/">' in photo
    assert f'<meta property="og:image" content="{BASE}media/display/{felt}.webp">' in photo
    video = _jsonld((env.site / f"ru/items/{bear}/index.html").read_text())
    assert video["@type"] == "VideoObject" and video["contentUrl"].startswith(BASE + "media/")
    sitemap = (env.site / "sitemap.xml").read_text()
    assert f"<loc>{BASE}ru/items/{felt}/</loc>" in sitemap and "404" not in sitemap
    assert f"Sitemap: {BASE}sitemap.xml" in (env.site / "robots.txt").read_text()
    assert env.export(base_url=BASE).written == ()
    with pytest.raises(ArchiveError, match="base-url"):
        env.export(base_url="crafts.example.org")


def test_without_base_url_no_sitemap_and_relative_structured_data(env: Env) -> None:
    env.export()
    assert not (env.site / "sitemap.xml").exists()
    assert (env.site / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    key = env.keys["felt"]
    data = _jsonld((env.site / f"items/{key}/index.html").read_text())
    assert data["image"] == f"../../media/display/{key}.webp" and "url" not in data


def test_a_collection_is_written_as_a_gallery_with_an_embed_snippet(env: Env) -> None:
    for name in ("felt", "bear"):
        env.catalog.update(env.keys[name], {"collections": ["felt-2021"]})
    env.export(collection="felt-2021")
    files = {p.relative_to(env.site).as_posix() for p in env.site.rglob("*") if p.is_file()}
    assert f"items/{env.keys['felt']}/index.html" in files
    assert f"items/{env.keys['socks']}/index.html" not in files
    assert not any(f.startswith(("search/", "technique/", "timeline/")) for f in files)
    embed = (env.site / "embed.html").read_text()
    assert f'href="site/items/{env.keys["bear"]}/index.html"' in embed  # the folder, beside
    assert _broken_links(env.site) == []
    for url in re.findall(r'(?:href|src)="([^"]+)"', embed):  # from a page beside the folder
        assert (env.site.parent / url).is_file(), url
    with pytest.raises(ArchiveError, match="no public item"):
        env.export(collection="nothing-here")


def test_colours_logo_and_about_come_from_archive_toml(env: Env, tmp_path: Path) -> None:
    logo = env.layout.root / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    text = env.layout.config.read_text()
    text = text.replace(
        "[site]\n",
        '[site]\nlogo = "logo.svg"\n'
        'about = { en = "Crafts of the Pamirs.", ru = "Ремёсла Памира." }\n'
        'colours = { accent = "#225588" }\n',
    )
    env.layout.config.write_text(text)
    from archive import config

    env.settings = config.load(env.layout)
    env.export()
    home = (env.site / "index.html").read_text()
    assert "<style>:root{--accent:#225588}</style>" in home
    assert 'src="static/logo.svg"' in home and (env.site / "static/logo.svg").is_file()
    assert "Crafts of the Pamirs." in home
    assert "Ремёсла Памира." in (env.site / "ru/index.html").read_text()
    env.layout.config.write_text(text.replace("#225588", "red; background: url(x)"))
    env.settings = config.load(env.layout)
    with pytest.raises(ConfigError, match="colour"):
        env.export()


def test_an_unchanged_archive_is_not_rendered_again(env: Env, monkeypatch) -> None:
    from archive.export import site

    env.export()
    calls: list[str] = []
    real = site._Builder.plan
    monkeypatch.setattr(site._Builder, "plan", lambda self: calls.append("plan") or real(self))
    again = env.export()
    assert calls == [] and again.written == () and again.removed == ()
    assert again.items == 3 and len(again.unchanged) > 10


def test_a_deleted_site_file_or_a_new_derivative_brings_the_export_back(env: Env) -> None:
    env.export()
    key = env.keys["socks"]
    page = env.site / f"items/{key}/index.html"
    page.unlink()
    assert env.export().written == (f"items/{key}/index.html",)
    thumb = env.catalog.derivatives(key)["thumb"]
    path = env.layout.absolute(thumb.path)
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data + b"\0")  # a re-made thumbnail: new bytes, new size
    from dataclasses import replace

    env.catalog.set_derivative(replace(thumb, size=len(data) + 1, made_at="2099-01-01T00:00:00"))
    written = env.export().written
    assert f"media/thumb/{key}.webp" in written
    assert not any(p.endswith("index.html") and "items/" in p for p in written)


def test_only_the_pages_that_show_an_edited_item_are_rendered_and_written(env: Env) -> None:
    env.export()
    before = env.files()
    env.catalog.update(env.keys["felt"], {"title": "A new felt title"})
    report = env.export()
    changed = {p for p, data in env.files().items() if before.get(p) != data} - {
        ".pamir-export.json"
    }
    assert set(report.written) == changed
    assert f"items/{env.keys['felt']}/index.html" in changed
    assert f"items/{env.keys['bear']}/index.html" not in changed


def _set_site(env: Env, lines: str) -> None:
    from archive import config

    kept = [x for x in env.layout.config.read_text().splitlines() if not x.startswith("page_size")]
    text = "\n".join(kept) + "\n"
    env.layout.config.write_text(text.replace("[site]\n", f"[site]\n{lines}\n"))
    env.settings = config.load(env.layout)


def _tile_keys(html: str, env: Env) -> set[str]:
    return {name for name, key in env.keys.items() if f"items/{key}/index.html" in html}


def test_long_lists_are_split_into_pages_that_link_to_each_other(env: Env) -> None:
    _set_site(env, "page_size = 2")
    env.export()
    first = (env.site / "technique/felting/index.html").read_text()
    second = (env.site / "technique/felting/page/2/index.html").read_text()
    assert "3 items · Page 1 of 2" in first and "3 items · Page 2 of 2" in second
    assert len(_tile_keys(first, env)) == 2 and len(_tile_keys(second, env)) == 1
    assert _tile_keys(first, env) | _tile_keys(second, env) == {"felt", "socks", "bear"}
    assert 'rel="next" href="../../technique/felting/page/2/index.html"' in first
    assert 'rel="prev" href="../../../../technique/felting/index.html"' in second
    assert 'aria-current="page">2<' in second and "<title>felting – Page 2 of 2 –" in second
    ru = (env.site / "ru/technique/felting/page/2/index.html").read_text()
    assert "Страница 2 из 2" in ru and "Предыдущая страница" in ru
    assert _broken_links(env.site) == []
    env.export(base_url=BASE)
    assert f"<loc>{BASE}technique/felting/page/2/</loc>" in (env.site / "sitemap.xml").read_text()

    _set_site(env, "page_size = 120")
    report = env.export()
    assert "technique/felting/page/2/index.html" in report.removed
    assert 'class="pager"' not in (env.site / "technique/felting/index.html").read_text()


def test_a_gallery_is_paged_too(env: Env) -> None:
    for name in ("felt", "bear"):
        env.catalog.update(env.keys[name], {"collections": ["felt-2021"]})
    _set_site(env, "page_size = 1")
    env.export(collection="felt-2021")
    pages = [env.site / "index.html", env.site / "page/2/index.html"]
    assert [len(_tile_keys(p.read_text(), env)) for p in pages] == [1, 1]
    assert _broken_links(env.site) == []


@pytest.mark.parametrize("value", ["0", "'ten'", "true", "20000"])
def test_a_page_size_that_is_not_a_count_is_refused(env: Env, value: str) -> None:
    _set_site(env, f"page_size = {value}")
    with pytest.raises(ConfigError, match="page_size"):
        env.export()
