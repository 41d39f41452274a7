"""`archive search` and `archive vocab` through the command line, as staff type them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.archive.conftest import Cli, make_photo

# name: (sidecar TOML, colour so that every photo differs)
CAPTIONED = {
    "felt-khorog.jpg": ('title = { en = "Felt rugs drying in Khorog" }\n', (200, 40, 40)),
    "jurab-ru.jpg": ('title = { ru = "Бабушкины джурабы" }\n', (40, 200, 40)),
    "jurab-tg.jpg": ('title = { tg = "Ҷӯроб аз пашми гӯсфанд" }\n', (40, 40, 200)),
    "socks-en.jpg": ('description = "Knitted socks for the winter fair"\n', (200, 200, 40)),
    "felt-tg.jpg": ('title = { tg = "Намадмолӣ дар Ванҷ" }\n', (40, 200, 200)),
    "rubab.jpg": (
        'title = "Rubab maker"\nplace = "dushanbe"\ntechnique = ["instrument-making"]\n',
        (120, 120, 120),
    ),
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    root = tmp_path_factory.mktemp("search")
    source = root / "field"
    for index, (name, (sidecar, color)) in enumerate(CAPTIONED.items()):
        make_photo(source / name, color=color, taken=f"201{index}:08:14 10:30:00")
        (source / f"{name}.toml").write_text(sidecar, encoding="utf-8")
    cli = Cli(root / "archive")
    cli("ingest", str(source), "-q")
    return cli


def names(cli: Cli, *query: str) -> set[str]:
    """The source file names of the items a search finds."""
    data = cli.json("search", *query, "--limit", "50")
    found = set()
    for hit in data["hits"]:
        item = cli.json("show", hit["key"])
        found |= {Path(p).name for p in item["source_paths"]}
    return found


@pytest.mark.parametrize("text", ["хорог", "khorugh", "horog~", "Хоруғ"])
def test_any_spelling_of_khorog_finds_the_item_described_with_khorog(
    archive: Cli, text: str
) -> None:
    assert names(archive, text) == {"felt-khorog.jpg"}


def test_jurab_finds_russian_and_tajik_captions(archive: Cli) -> None:
    assert names(archive, "jurab") >= {"jurab-ru.jpg", "jurab-tg.jpg"}


def test_knitting_finds_knitted_socks(archive: Cli) -> None:
    assert names(archive, "knitting") == {"socks-en.jpg"}


def test_technique_felting_finds_an_item_captioned_only_in_tajik(archive: Cli) -> None:
    assert names(archive, "technique:felting") >= {"felt-tg.jpg", "felt-khorog.jpg"}


def test_a_place_filter_includes_the_places_under_it(archive: Cli) -> None:
    assert names(archive, "place:gbao") == {"felt-khorog.jpg", "felt-tg.jpg"}
    assert names(archive, "place:tajikistan") == {"felt-khorog.jpg", "felt-tg.jpg", "rubab.jpg"}


def test_json_keeps_its_shape_and_adds_facets_and_snippets(archive: Cli) -> None:
    data = archive.json("search", "socks", "--facets")
    assert data["total"] >= 1
    hit = next(h for h in data["hits"] if h["snippet"])
    assert {"key", "score", "title", "snippet", "highlights"} <= set(hit)
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end].lower() == "socks"
    assert {"technique", "material", "place", "object_type", "kind", "year"} <= set(data["facets"])
    everything = archive.json("search", "--facets")["facets"]
    assert {"value": "photo", "label": "photo", "count": 6} in everything["kind"]


def test_nothing_found_suggests_what_was_meant(archive: Cli) -> None:
    data = archive.json("search", "rubeb")
    assert data["total"] == 0
    assert data["did_you_mean"] == "rubab"
    result = archive("search", "rubeb")
    assert "Did you mean: rubab" in result.stderr


def test_sort_by_date_and_paging(archive: Cli) -> None:
    hits = archive.json("search", "--sort", "date", "--limit", "2", "--offset", "1")["hits"]
    assert [h["taken"][:4] for h in hits] == ["2011", "2012"]


def test_nl_prints_one_hit_a_line(archive: Cli) -> None:
    lines = archive("search", "place:gbao", "--nl").stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith('{"key"') for line in lines)


def test_text_output_shows_the_snippet_under_the_title(archive: Cli) -> None:
    out = archive("search", "winter").stdout
    assert "Knitted socks for the winter fair" in out


def test_an_unknown_field_is_one_sentence_listing_the_known_ones(archive: Cli) -> None:
    result = archive("search", "colour:red", code=2)
    assert "unknown search field 'colour'" in result.stderr
    assert "technique" in result.stderr and "place" in result.stderr


def test_a_deleted_index_is_rebuilt_not_a_crash(archive: Cli) -> None:
    for path in (archive.archive / "index").iterdir():
        path.unlink()
    assert names(archive, "хорог") == {"felt-khorog.jpg"}


def test_vocab_lists_vocabularies_and_terms(archive: Cli) -> None:
    assert archive.json("vocab")["place"] >= 18
    terms = {t["slug"]: t for t in archive.json("vocab", "technique")}
    assert terms["felting"]["labels"]["tg"] == "намадмолӣ"
    assert "Khorugh" in archive("vocab", "place").stdout
    assert "no vocabulary named 'colour'" in archive("vocab", "colour", code=2).stderr


def test_an_archive_vocabulary_extends_search_and_rebuilds_the_index(tmp_path: Path) -> None:
    source = tmp_path / "field"
    make_photo(source / "zanuj.jpg")
    (source / "zanuj.jpg.toml").write_text('title = "Spinning in Zanuj"\n', encoding="utf-8")
    cli = Cli(tmp_path / "archive")
    cli("ingest", str(source), "-q")
    assert cli.json("search", "place:gbao")["total"] == 0
    folder = tmp_path / "archive" / "vocabularies"
    folder.mkdir()
    (folder / "place.toml").write_text(
        '[zanuj]\nparent = "rushan"\nen = "Zanuj"\nru = "Зануздж"\ntg = "Занузҷ"\n',
        encoding="utf-8",
    )
    assert cli.json("search", "place:gbao")["total"] == 1
    assert cli.json("search", "Занузҷ")["total"] == 1
    assert any(t["slug"] == "zanuj" for t in cli.json("vocab", "place"))
