"""The sample site's home page: collections and events apart, each card with its own picture."""

from __future__ import annotations

import re

from tests.site.conftest import SampleSite


def test_events_are_listed_apart_from_collections_with_their_own_covers(sample_site: SampleSite):
    html = (sample_site.root / "index.html").read_text(encoding="utf-8")
    sections = dict(
        re.findall(r'<h2 id="h-cards-\d">([^<]+)</h2>\s*<ul class="cards">(.*?)</ul>', html, re.S)
    )
    assert set(sections) == {"Collections", "Events"}
    assert "events/" in sections["Events"] and "events/" not in sections["Collections"]
    covers = re.findall(r'<li class="card">\s*<a [^>]*>\s*<img src="([^"]+)"', html)
    assert len(covers) == 3 and len(set(covers)) == 3, covers  # no two cards share a picture
