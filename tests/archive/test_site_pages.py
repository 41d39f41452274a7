"""What a visitor reads on the site's pages: titles, labels, counts and the details kept aside."""

from __future__ import annotations

import re

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

