"""Printed products from real photos, read back with pypdf: the calendar and the catalogue."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner
from PIL import Image, ImageStat

from archive.cli import main
from archive.printing.words import MONTHS, WEEKDAYS
from tests.conftest import skip_unless_ci

MM = 72 / 25.4  # PDF points per millimetre
A4 = (210 * MM, 297 * MM)
A3_LANDSCAPE = (420 * MM, 297 * MM)
BLEED = 3 * MM
TAJIK = "ҒғӢӣҚқӮӯҲҳҶҷ"
LANDSCAPES = [f"Landscape_{n}.jpg" for n in range(1, 9)]  # 1800x1200 as shown, EXIF 1-8
OTHERS = [
    "Olympus PEN E-P3.jpg",  # 1280x960
    "portrait.jpg",  # 840x700, despite its name a landscape picture
    "HTC Desire.jpg",  # 776x909: portrait
    "Canon EOS 7D.jpg",  # 600x900: portrait
    "Kodak DC210.jpg",  # 640x480
    "Multiple ICC segments.jpg",  # 140x140 CMYK with a SWOP ICC profile
]
SIDECARS = {
    "Landscape_1.jpg": 'title = { en = "Jurab socks", ru = "Джурабы", tg = "Ҷӯроби пашмин" }\n'
    'description = { en = "Knitted by hand in natural wool.", tg = "Бо дасти худ бофта шуд." }\n'
    'price = "25 EUR"\navailable = 3\ndimensions = "24 × 10 cm"\n'
    'object_type = ["jurab"]\ntechnique = ["knitting"]\nmaterial = ["sheep-wool"]\n',
    "Olympus PEN E-P3.jpg": 'title = { en = "Felt rug", tg = "Намади нақшдор" }\n'
    'price = "1 200 TJS"\nobject_type = ["felt-rug"]\ntechnique = ["felting"]\n',
    "Multiple ICC segments.jpg": 'title = "Embroidered cap"\nprice = "40 EUR"\n',
    "Kodak DC210.jpg": 'title = "Sold-out mittens"\nprice = "15 EUR"\navailable = 0\n',
}
SECRET = "Secret portrait of a felt maker"


@pytest.fixture(scope="module")
def made(corpus: Path, tmp_path_factory) -> dict[str, Any]:
    """An archive of 14 public corpus photos and a withheld one with GPS, and the PDFs
    made from it (each once: the tests below read them)."""
    root = tmp_path_factory.mktemp("print")
    source = root / "source"
    source.mkdir()
    for name in LANDSCAPES + OTHERS:
        shutil.copy2(corpus / "photos" / name, source / name)
    for name, text in SIDECARS.items():
        (source / f"{name}.toml").write_text(text, encoding="utf-8")
    (source / "_folder.toml").write_text(
        'consent = "public"\nmaker = "Gulnora Mamadnazarova"\nplace = "khorog"\n'
        'title = { en = "Felt from Khorog", tg = "Намади Хоруғ" }\n',
        encoding="utf-8",
    )
    private = source / "private"
    private.mkdir()
    # Larger than most public ones and landscape: only its consent keeps it out.
    shutil.copy2(corpus / "photos" / "Apple iPhone 4.jpg", private / "gps.jpg")
    (private / "gps.jpg.toml").write_text(
        f'consent = "withheld"\ntitle = "{SECRET}"\nprice = "99 EUR"\n', encoding="utf-8"
    )
    archive = root / "archive"
    run(archive, "ingest", str(source), "--jobs", "2")
    keys = {Path(i["source_paths"][0]).name: i["key"] for i in run_json(archive, "list")}
    calendar = root / "calendar.pdf"
    cal = run_json(
        archive,
        "print",
        "calendar",
        "--year",
        "2027",
        "--language",
        "en+ru+tg",
        "--holidays",
        "tajikistan",
        "--holidays",
        "estonia",
        "--pick",
        f"december={keys['Multiple ICC segments.jpg']}",
        "--bleed",
        str(calendar),
    )
    catalogue = root / "catalogue.pdf"
    cat = run_json(archive, "print", "catalogue", "--language", "en+tg", "--pdfx", str(catalogue))
    return {
        "archive": archive,
        "keys": keys,
        "calendar": (pypdf.PdfReader(calendar), cal, calendar),
        "catalogue": (pypdf.PdfReader(catalogue), cat, catalogue),
    }


def run(archive: Path, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(main, ["-a", str(archive), *args], catch_exceptions=False)
    assert result.exit_code == code, result.stderr
    return result


def run_json(archive: Path, *args: str) -> Any:
    return json.loads(run(archive, *args, "--json").stdout)


# -- reading a PDF back ---------------------------------------------------------------------


def box(page: pypdf.PageObject, name: str) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in page[name])  # type: ignore[return-value]


def size(rect: tuple[float, float, float, float]) -> tuple[float, float]:
    return rect[2] - rect[0], rect[3] - rect[1]


def close(a: tuple[float, ...], b: tuple[float, ...], tolerance: float = 0.5) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def images(page: pypdf.PageObject) -> list[dict[str, Any]]:
    """Every image drawn on the page: its pixels, drawn size and effective dpi."""
    xobjects = page["/Resources"].get("/XObject") or {}
    drawn: list[dict[str, Any]] = []

    def visit(op: bytes, args: list[Any], cm: list[float], tm: list[float]) -> None:
        if op != b"Do" or args[0] not in xobjects:
            return
        image = xobjects[args[0]].get_object()
        if image.get("/Subtype") != "/Image":
            return
        width_in, height_in = abs(cm[0]) / 72, abs(cm[3]) / 72
        drawn.append(
            {
                "name": args[0],
                "pixels": (int(image["/Width"]), int(image["/Height"])),
                "dpi": min(image["/Width"] / width_in, image["/Height"] / height_in),
                "colour": image.get("/ColorSpace"),
                "filter": image.get("/Filter"),
                "data": image.get_data() if image.get("/Filter") == "/DCTDecode" else b"",
            }
        )

    page.extract_text(visitor_operand_before=visit)
    return drawn


def fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Every font's name → whether its file is embedded."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            font = ref.get_object()
            for part in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                descriptor = part.get("/FontDescriptor")
                if descriptor is not None:
                    d = descriptor.get_object()
                    embedded = any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                    found[str(font["/BaseFont"])] = embedded
    return found


# -- the calendar ---------------------------------------------------------------------------


def test_the_calendar_has_a_cover_and_twelve_a4_pages_with_bleed(made):
    reader, report, _ = made["calendar"]
    assert len(reader.pages) == 13 == report["pages"]
    for page in reader.pages:
        trim, bleed, media = box(page, "/TrimBox"), box(page, "/BleedBox"), box(page, "/MediaBox")
        assert close(size(trim), A4)
        assert close(bleed, (trim[0] - BLEED, trim[1] - BLEED, trim[2] + BLEED, trim[3] + BLEED))
        assert close(media, bleed)


def test_every_month_page_names_its_month_and_the_weekdays_in_each_language(made):
    reader, _, _ = made["calendar"]
    for number, page in enumerate(reader.pages[1:], start=1):
        text = page.extract_text()
        for lang in ("en", "ru", "tg"):
            assert MONTHS[lang][number - 1] in text, (number, lang)
            missing = [day for day in WEEKDAYS[lang] if day not in text]
            assert missing == [], (number, lang)
    assert {c for c in reader.pages[3].extract_text() if c in TAJIK} >= set("ҷӯ")


def test_holidays_of_both_countries_are_marked_with_their_names(made):
    reader, _, _ = made["calendar"]
    march = reader.pages[3].extract_text()
    assert "21–24" in march and "Иди байналмилалии Наврӯз" in march  # Navruz, four days
    assert "Easter Sunday" in march and "Пасха" in march  # 28 March 2027, computed
    assert "≈ 10" in march and "Иди Рамазон" in march  # an estimated lunar date
    may = reader.pages[5].extract_text()
    assert "Whit Sunday" in may and "Spring Day" in may and "Рӯзи Ғалаба" in may


def test_the_photos_are_public_different_and_the_picked_one_is_in_december(made):
    reader, report, _ = made["calendar"]
    keys = made["keys"]
    month_keys = {p["page"]: p["key"] for p in report["placements"] if p["page"] > 1}
    assert sorted(month_keys) == list(range(2, 14))
    assert len(set(month_keys.values())) == 12
    assert month_keys[13] == keys["Multiple ICC segments.jpg"]
    assert keys["gps.jpg"] not in month_keys.values()
    # The page's slot is landscape: the two portrait photos wait while landscape ones remain.
    assert {keys["HTC Desire.jpg"], keys["Canon EOS 7D.jpg"]}.isdisjoint(month_keys.values())
    texts = "".join(page.extract_text() for page in reader.pages)
    assert SECRET not in texts and "Canon" not in texts


def test_every_image_is_300_dpi_where_placed_or_named_in_a_warning(made):
    reader, report, _ = made["calendar"]
    placements = {(p["page"], p["key"]): p for p in report["placements"]}
    for number, page in enumerate(reader.pages, start=1):
        drawn = images(page)
        assert len(drawn) == (12 if number == 1 else 1)
        for image in drawn:
            assert image["colour"] == "/DeviceRGB" and image["filter"] == "/DCTDecode"
            assert b"Exif" not in image["data"] and b"GPS" not in image["data"]
        if number == 1:
            continue
        (placed,) = [p for (n, _), p in placements.items() if n == number]
        dpi = drawn[0]["dpi"]
        assert abs(dpi - placed["dpi"]) <= 2, (number, dpi, placed)
        if dpi < 299:
            (warning,) = [w for w in report["warnings"] if placed["file"] in w]
            assert f"{placed['dpi']} dpi" in warning
        else:  # never more pixels than 300 dpi needs
            assert dpi < 310
    tiny = next(w for w in report["warnings"] if "Multiple ICC segments.jpg" in w)
    assert re.search(r"prints at (\d+) dpi on page 13", tiny)


def test_fonts_are_embedded_subsets_with_every_tajik_letter(made):
    for name in ("calendar", "catalogue"):
        reader, report, _ = made[name]
        used = fonts(reader)
        assert used and all(used.values()), used
        assert all(re.fullmatch(r"/[A-Z]{6}\+[\w-]+", f) for f in used), used
        assert not [f for f in used if "Liberation" in f or "Arial" in f]
        assert not [w for w in report["warnings"] if "Tajik letters" in w]


def test_pages_render_to_png(made, tmp_path: Path):
    if shutil.which("pdftoppm") is None:
        skip_unless_ci("pdftoppm (poppler-utils) is not installed")
    _, _, path = made["calendar"]
    subprocess.run(
        ["pdftoppm", "-r", "20", "-png", "-f", "4", "-l", "4", str(path), str(tmp_path / "p")],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    with Image.open(png) as page:
        assert abs(page.width / page.height - 216 / 303) < 0.02  # A4 with its bleed
        assert ImageStat.Stat(page.convert("L")).stddev[0] > 20  # a photo and a grid, not blank


# -- the catalogue --------------------------------------------------------------------------


def test_the_catalogue_lists_public_products_with_prices(made):
    reader, report, _ = made["catalogue"]
    assert len(reader.pages) == 4 == report["pages"]  # cover, two product pages, price list
    for page in reader.pages:
        assert close(size(box(page, "/TrimBox")), A4) and close(box(page, "/MediaBox"), (0, 0, *A4))
    text = "".join(page.extract_text() for page in reader.pages)
    for words in ("Jurab socks", "Ҷӯроби пашмин", "Бо дасти худ бофта шуд.", "25 EUR", "1,200 TJS"):
        assert words in text
    for words in ("Нарх", "Нархнома", "Ҳунарманд", "Андоза", "24 × 10 cm", "Gulnora Mamadnazarova"):
        assert words in text
    assert "Sold-out mittens" not in text and SECRET not in text and "99 EUR" not in text
    assert any("sold out" in line for line in report["left_out"])


def test_the_catalogue_is_pdf_x4_with_srgb_images(made):
    reader, _, path = made["catalogue"]
    assert path.read_bytes().startswith(b"%PDF-1.6")
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFX"
    assert b"PDF/X-4" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    drawn = [image for page in reader.pages for image in images(page)]
    assert drawn and all(image["colour"] == "/DeviceRGB" for image in drawn)  # CMYK converted


def test_a_theme_restyles_the_catalogue_and_a_font_without_tajik_letters_is_named(
    made, tmp_path: Path
):
    theme = tmp_path / "theme"
    (theme / "static").mkdir(parents=True)
    (theme / "static" / "print.css").write_text(
        '.price::after { content: " (VAT included)"; }\n'
        '.product h2 { font-family: "DejaVu Sans Mono"; }\n',
        encoding="utf-8",
    )
    out = tmp_path / "restyled.pdf"
    report = run_json(
        made["archive"], "print", "catalogue", "--language", "tg", "--theme", str(theme), str(out)
    )
    text = "".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert "25 EUR (VAT included)" in text
    assert any("DejaVu Sans Mono lacks Tajik letters" in w for w in report["warnings"])


def test_an_a3_landscape_calendar_takes_portrait_photos_first(made, tmp_path: Path):
    out = tmp_path / "a3.pdf"
    report = run_json(
        made["archive"],
        "print",
        "calendar",
        "--year",
        "2028",
        "--size",
        "a3",
        "--landscape",
        "--language",
        "tg",
        str(out),
    )
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 13
    for page in reader.pages:
        assert close(box(page, "/TrimBox"), (0, 0, *A3_LANDSCAPE))
        assert close(box(page, "/MediaBox"), box(page, "/TrimBox"))  # no bleed asked
    months = {p["page"]: p["file"] for p in report["placements"] if p["page"] > 1}
    # The slot beside the month is portrait: the two portrait photos, the larger first.
    assert (months[2], months[3]) == ("HTC Desire.jpg", "Canon EOS 7D.jpg")
    february = reader.pages[2].extract_text()
    assert "Феврал" in february and "Панҷшанбе" in february and "Ҷумъа" in february


def test_pdfx_takes_the_press_profile_a_theme_names(made, corpus: Path, tmp_path: Path):
    theme = tmp_path / "press"
    (theme / "static").mkdir(parents=True)
    with Image.open(corpus / "photos" / "Multiple ICC segments.jpg") as cmyk:
        (theme / "static" / "swop.icc").write_bytes(cmyk.info["icc_profile"])
    css = theme / "static" / "print.css"
    css.write_text("@color-profile device-cmyk { src: url(swop.icc); }\n", encoding="utf-8")
    out = tmp_path / "press.pdf"
    args = ["print", "catalogue", "--pdfx", "--theme", str(theme), str(out)]
    refused = run(made["archive"], *args, code=1)
    assert "needs its components" in refused.stderr and not out.exists()
    css.write_text(
        "@color-profile device-cmyk { src: url(swop.icc); "
        "components: cyan, magenta, yellow, black; }\n",
        encoding="utf-8",
    )
    run(made["archive"], *args)
    (intent,) = pypdf.PdfReader(out).trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/OutputConditionIdentifier"] == "U.S. Web Coated (SWOP) v2"
    assert intent["/DestOutputProfile"].get_object()["/N"] == 4
