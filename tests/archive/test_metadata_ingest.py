"""At ingest: embedded captions, XMP sidecars from digiKam/Lightroom, sidecars; which wins."""

from __future__ import annotations

from pathlib import Path

from archive.ingest import ingest
from archive.layout import Layout
from catalog.store import Catalog

XMP_SIDECAR = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:digiKam="http://www.digikam.org/ns/1.0/">
 <rdf:Description rdf:about="">
  <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Қолини намадӣ</rdf:li></rdf:Alt></dc:title>
  <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Drying felt</rdf:li></rdf:Alt>
  </dc:description>
  <dc:subject><rdf:Bag><rdf:li>wool</rdf:li></rdf:Bag></dc:subject>
  <digiKam:TagsList><rdf:Seq><rdf:li>Technique/намадмолӣ</rdf:li>
   <rdf:li>Place/Khorugh</rdf:li></rdf:Seq></digiKam:TagsList>
 </rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""


def _items(layout: Layout) -> dict[str, object]:
    with Catalog(layout.catalog) as catalog:
        return {Path(i.source_paths[0]).name: (i, catalog.events(i.key)) for i in catalog.items()}


def test_an_xmp_sidecar_fills_fields_and_a_toml_sidecar_wins(tmp_path: Path, photos: Path):
    (photos / "IMG_0001.xmp").write_text(XMP_SIDECAR, encoding="utf-8")
    (photos / "IMG_0001.jpg.toml").write_text('description = "Felt in the sun"\n')
    layout = Layout(tmp_path / "archive")
    ingest(layout, [photos], jobs=1)
    item, events = _items(layout)["IMG_0001.jpg"]
    assert item.title_tg == "Қолини намадӣ"
    assert item.description == "Felt in the sun"
    assert (item.technique, item.place, item.keywords) == (("felting",), "khorog", ("wool",))
    via = {e.field: e.detail["via"] for e in events if e.action == "edited"}
    assert via == {
        "title_tg": "xmp-sidecar",
        "description_en": "sidecar",
        "keywords": "xmp-sidecar",
        "technique": "xmp-sidecar",
        "place": "xmp-sidecar",
    }


def test_embedded_captions_are_read_and_an_unknown_term_is_not_stored(tmp_path: Path, corpus: Path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "blue.jpg").write_bytes((corpus / "photos" / "BlueSquare.jpg").read_bytes())
    (source / "blue.jpg.toml").write_text('technique = ["feltin"]\n')
    layout = Layout(tmp_path / "archive")
    report = ingest(layout, [source], jobs=1)
    assert "technique: 'feltin' is not a known term; felting? (намадмолӣ)" in (
        report.outcomes[0].reason or ""
    )
    item, events = _items(layout)["blue.jpg"]
    assert item.title_en == "Blue Square Test File - .jpg"
    assert item.keywords == ("XMP", "Blue Square", "test file", "Photoshop", ".jpg")
    assert item.technique == ()
    assert {e.detail["via"] for e in events if e.action == "edited"} == {"embedded"}
