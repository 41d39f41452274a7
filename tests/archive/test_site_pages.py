"""What a visitor reads on the site's pages: titles, labels, counts and the details kept aside."""

from __future__ import annotations

import re

from archive import config
from tests.archive import test_export as base
from tests.archive.test_export import Env

built, env = base.built, base.env  # the archive made from the corpus, and a copy per test


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_an_untitled_item_is_named_by_its_terms_and_place(env: Env) -> None:
    key = env.keys["felt"]
    env.catalog.update(key, {"title": None, "object_type": ["jurab"]})
    env.export()
    en = (env.site / f"items/{key}/index.html").read_text()
    assert "<h1>Patterned wool socks (jurab), Roshtqal&#39;a</h1>" in en  # what, then where
    assert key[:8] not in _main(en).split("</h1>")[0]
    ru = (env.site / f"ru/items/{key}/index.html").read_text()
    assert re.search(r"<h1[^>]*>Джурабы, Рошткал", ru), _main(ru)[:300]
    assert "Patterned wool socks (jurab), Roshtqal" in (env.site / "index.html").read_text()


def test_the_photographer_label_is_not_printed_twice(env: Env) -> None:
    key = env.keys["socks"]
    env.catalog.update(key, {"photographer": "Photographer: Carol M. Highsmith"})
    env.export()
    html = (env.site / f"items/{key}/index.html").read_text()
    assert "<dt>Photographer</dt>\n<dd><span>Carol M. Highsmith</span>" in html
    assert "Photographer: Carol" not in html


def test_visitors_see_no_key_or_pixels_and_details_are_closed(env: Env) -> None:
    key = env.keys["felt"]
    env.export()
    for prefix in ("", "ru/", "tg/"):
        main = _main((env.site / f"{prefix}items/{key}/index.html").read_text())
        assert " px" not in main and "Catalogue key" not in main and "Шифр" not in main
        assert key not in re.sub(r'(href|src|srcset)="[^"]*"', "", main)
        assert '<details class="details">' in main  # closed: no "open" attribute
    assert "<summary>Тафсилот</summary>" in (env.site / f"tg/items/{key}/index.html").read_text()


def test_a_term_page_shows_one_label_in_its_language(env: Env) -> None:
    env.export()
    en = _main((env.site / "technique/felting/index.html").read_text())
    assert "<h1>felting</h1>" in en
    assert "валяние" not in en and "намадмолӣ" not in en and "felt-making" not in en
    tg = _main((env.site / "tg/technique/felting/index.html").read_text())
    assert "<h1>намадмолӣ</h1>" in tg
    assert "felting" not in tg.lower() and "валяние" not in tg


def test_counts_take_the_plural_form_of_the_page_language(env: Env) -> None:
    env.export()
    ru = (env.site / "ru/technique/felting/index.html").read_text()
    assert '<p class="count">3 материала</p>' in ru
    tg = (env.site / "tg/technique/felting/index.html").read_text()
    assert '<p class="count">3 мавод</p>' in tg
    en = (env.site / "technique/knitting/index.html").read_text()
    assert '<p class="count">3 items</p>' in en


def test_about_and_introduction_come_from_markdown_with_a_note_when_borrowed(env: Env) -> None:
    folder = env.layout.root / "site"
    folder.mkdir()
    (folder / "about.en.md").write_text("# About us\n\nWe record *crafts*.\n\n<script>x</script>\n")
    (folder / "about.ru.md").write_text("# О нас\n\nМы записываем ремёсла.\n")
    (folder / "intro.en.md").write_text("Photos of **felt** and socks.\n")
    toml = env.layout.config.read_text()
    env.layout.config.write_text(
        toml.replace(
            "[site]\n",
            '[site]\norganisation = { en = "Khorog Crafts Society", ru = "Общество ремёсел" }\n'
            'licence = "Photos CC BY 4.0"\ncontact = "archive@example.org"\n',
        )
    )
    env.settings = config.load(env.layout)
    env.export()
    about = (env.site / "about/index.html").read_text()
    assert "<h1>About us</h1>" in about and "<em>crafts</em>" in about
    assert "<script>x</script>" not in about  # raw HTML in the Markdown is not passed on
    assert "not yet available" not in about
    tg = (env.site / "tg/about/index.html").read_text()
    assert '<div class="prose" lang="ru">' in tg and "<h1>О нас</h1>" in tg
    assert "Ин матн ҳоло ба тоҷикӣ тарҷума нашудааст." in tg  # the note: borrowed text
    home = (env.site / "index.html").read_text()
    assert "<strong>felt</strong>" in home and 'href="about/index.html"' in home
    assert "Khorog Crafts Society" in home and "Photos CC BY 4.0" in home
    assert 'href="mailto:archive@example.org"' in home
    assert "Общество ремёсел" in (env.site / "ru/index.html").read_text()


def test_each_language_has_an_atom_feed_of_the_latest_items(env: Env) -> None:
    import xml.etree.ElementTree as ET

    env.export()
    atom = "{http://www.w3.org/2005/Atom}"
    for prefix in ("", "ru/", "tg/"):
        feed = ET.parse(env.site / f"{prefix}feed.xml").getroot()
        entries = feed.findall(f"{atom}entry")
        assert len(entries) == 3  # the public items
        for entry in entries:
            href = entry.find(f"{atom}link").get("href")
            assert (env.site / prefix / href).is_file()  # relative to the feed
        updated = feed.find(f"{atom}updated").text
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", updated)
    home = (env.site / "ru/index.html").read_text()
    assert 'type="application/atom+xml" href="feed.xml"' in home
    again = env.export()
    assert again.written == ()  # the feed does not depend on the time of the export


def test_index_pages_show_a_picture_and_count_and_places_as_their_hierarchy(env: Env) -> None:
    env.export()
    techniques = _main((env.site / "technique/index.html").read_text())
    assert techniques.count("<img ") == 2 and "3 items" in techniques
    places = _main((env.site / "place/index.html").read_text())
    order = [
        re.search(rf"place/{s}/index.html", places).start()
        for s in ("tajikistan", "gbao", "roshtqala")
    ]
    assert order == sorted(order)
    assert re.search(r'class="term depth-0">\s*<a href="\.\./place/tajikistan/', places)
    assert re.search(r'class="term depth-2">\s*<a href="\.\./place/roshtqala/', places)


def test_the_picture_is_a_link_to_its_full_size(env: Env) -> None:
    key = env.keys["socks"]
    env.export()
    html = (env.site / f"items/{key}/index.html").read_text()
    link = re.search(r'<a class="enlarge" href="([^"]+)"', html)
    assert link and link.group(1).endswith(f"media/display/{key}.webp")
    assert 'src="../../static/enlarge.js"' in html
    assert (env.site / "static/enlarge.js").is_file()
