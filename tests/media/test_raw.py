"""Camera RAW photos: kind, metadata, size and derivatives, read through LibRaw (rawpy).

The real RAW here is the Nikon Z 9 DNG of the corpus (its sensor data is JPEG XL-compressed,
which LibRaw cannot develop). The other DNGs are written on the spot as cameras write them
(a colour filter array, with or without an embedded JPEG preview) and read by the real LibRaw.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from media import raw
from media.derivatives import (
    DEFAULT_SPECS,
    FROM_LIBRAW,
    FROM_PREVIEW,
    FROM_SMALL_PREVIEW,
    Made,
    Spec,
    make_derivatives,
)
from media.errors import CorruptFile, NoDecoder
from media.probe import probe
from tests.media.conftest import dominant_quadrants, quadrant_image, stored_as

Z9 = "raw-nikon-z9-jxl-compressed.dng"
UPRIGHT = {"top_left": "r", "top_right": "g", "bottom_left": "b", "bottom_right": "white"}


def _derive(path: Path, tmp_path: Path, specs: tuple[Spec, ...] = DEFAULT_SPECS) -> dict[str, Made]:
    outputs = {s.name: tmp_path / "out" / f"{path.stem}-{s.name}.webp" for s in specs}
    made = make_derivatives(path, "photo", list(specs), outputs)
    return {m.spec: m for m in made}


# ---- the real DNG ---------------------------------------------------------------------------


def test_dng_fields_match_exiftool(
    data_dir: Path, exiftool: Callable[[Path], dict[str, Any]]
) -> None:
    path = data_dir / Z9
    truth = exiftool(path)
    info = probe(path)
    assert (info.kind, info.format, info.mime, info.extension) == (
        "photo",
        "DNG",
        "image/x-adobe-dng",
        ".dng",
    )
    width, height = (int(v) for v in truth["Composite:ImageSize"].split("x"))
    assert (info.width, info.height) == (width, height) == (5392, 3592)  # not the 256 x 171 preview
    assert info.camera_make == truth["EXIF:Make"]
    assert info.camera_model == truth["EXIF:Model"]
    assert info.lens == truth["EXIF:LensModel"]
    date = truth["EXIF:DateTimeOriginal"].replace(":", "-", 2).replace(" ", "T")
    assert info.taken_at == date + truth["EXIF:OffsetTimeOriginal"]
    assert info.orientation == 1 and truth["EXIF:Orientation"] == "Horizontal (normal)"
    assert info.notes == ()


def test_dng_that_libraw_cannot_develop_uses_its_preview_and_says_so(
    data_dir: Path, tmp_path: Path
) -> None:
    """Its largest preview is 640 x 424, smaller than the display size: LibRaw is asked to
    develop it, cannot (JPEG XL-compressed sensor data), and the preview is used after all."""
    made = _derive(data_dir / Z9, tmp_path)
    assert {m.source for m in made.values()} == {FROM_SMALL_PREVIEW}
    assert (made["display"].width, made["display"].height) == (640, 424)
    assert (made["thumb"].width, made["thumb"].height) == (320, 212)
    with Image.open(made["display"].path) as im:
        assert im.format == "WEBP" and im.size == (640, 424)


def test_preview_at_least_the_largest_size_is_used_without_developing(
    data_dir: Path, tmp_path: Path
) -> None:
    specs = (
        Spec("thumb", "image", ("photo",), max_size=160),
        Spec("display", "image", ("photo",), max_size=600),
    )
    made = _derive(data_dir / Z9, tmp_path, specs)
    assert {m.source for m in made.values()} == {FROM_PREVIEW}
    assert (made["display"].width, made["display"].height) == (600, 398)


# ---- DNGs written as cameras write them --------------------------------------------------------


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_raw_without_preview_is_developed_upright(
    made_dng: Callable[..., Path], tmp_path: Path, orientation: int
) -> None:
    path = made_dng(
        f"developed-{orientation}.dng",
        stored_as(quadrant_image(600, 400), orientation),
        orientation=orientation,
    )
    info = probe(path)
    assert (info.width, info.height, info.orientation) == (600, 400, orientation)
    made = _derive(path, tmp_path)
    assert {m.source for m in made.values()} == {FROM_LIBRAW}
    # half size: each 2 x 2 block of the sensor is one pixel
    assert (made["display"].width, made["display"].height) == (300, 200)
    with Image.open(made["display"].path) as im:
        assert dominant_quadrants(im) == UPRIGHT


@pytest.mark.parametrize("orientation", [1, 6, 8])
def test_large_embedded_preview_is_used_and_turned(
    made_dng: Callable[..., Path], tmp_path: Path, orientation: int
) -> None:
    path = made_dng(
        f"preview-{orientation}.dng",
        stored_as(quadrant_image(60, 40), orientation),
        orientation=orientation,
        preview=stored_as(quadrant_image(1800, 1200), orientation),
    )
    made = _derive(path, tmp_path)
    assert {m.source for m in made.values()} == {FROM_PREVIEW}
    assert (made["display"].width, made["display"].height) == (1600, 1067)
    assert (made["thumb"].width, made["thumb"].height) == (320, 213)
    with Image.open(made["display"].path) as im:
        assert dominant_quadrants(im) == UPRIGHT


def test_small_preview_gives_way_to_developing(
    made_dng: Callable[..., Path], tmp_path: Path
) -> None:
    path = made_dng(
        "small-preview.dng",
        quadrant_image(600, 400),
        preview=quadrant_image(160, 107),
    )
    made = _derive(path, tmp_path)
    assert {m.source for m in made.values()} == {FROM_LIBRAW}
    assert made["display"].width == 300


def test_raw_libraw_cannot_develop_and_without_preview_has_no_decoder(
    made_dng: Callable[..., Path], tmp_path: Path
) -> None:
    """Sensor data in a compression LibRaw does not know, and no preview: a known photo that
    this machine cannot show. The probe still reads it; making derivatives says why not."""
    path = made_dng("unknown-compression.dng", quadrant_image(600, 400), compression=52546)
    info = probe(path)
    assert (info.kind, info.format, info.width, info.height) == ("photo", "DNG", 600, 400)
    assert info.camera_make == "PamirCam"
    with pytest.raises(NoDecoder, match="LibRaw cannot develop"):
        _derive(path, tmp_path)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_truncated_raw_is_damaged_not_undecodable(
    made_dng: Callable[..., Path], tmp_path: Path
) -> None:
    """A card pulled out mid-copy: a damaged file (it fails), not an unknown variant (kept)."""
    whole = made_dng("whole.dng", quadrant_image(600, 400))
    cut = tmp_path / "cut.dng"
    cut.write_bytes(whole.read_bytes()[:2000])
    with pytest.raises(CorruptFile, match="Input/output error"):
        _derive(cut, tmp_path)


# ---- where a RAW that is not a TIFF keeps its EXIF ----------------------------------------------


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def _tiff_block(tags: dict[int, Any]) -> bytes:
    exif = Image.Exif()
    for tag, value in tags.items():
        exif[tag] = value
    data = exif.tobytes()
    return data[6:] if data.startswith(b"Exif\x00\x00") else data


def test_cr3_exif_is_read_from_its_cmt_boxes(tmp_path: Path) -> None:
    """The CR3 layout (ftyp crx, moov, Canon's uuid box with CMT1-CMT4) built around real
    TIFF blocks; LibRaw does not read this stand-in, so the probe keeps it without a size."""
    from PIL.TiffImagePlugin import IFDRational

    cmt1 = _tiff_block({271: "Canon", 272: "Canon EOS R5", 274: 8})
    cmt2 = _tiff_block(
        {36867: "2023:07:14 09:41:05", 36881: "+05:00", 42036: "RF24-105mm F4 L IS USM"}
    )
    cmt4 = _tiff_block(
        {
            1: "N",
            2: (IFDRational(37), IFDRational(29), IFDRational(24)),
            3: "E",
            4: (IFDRational(71), IFDRational(33), IFDRational(36)),
        }
    )
    canon = raw._CANON_UUID + b"".join(
        _box(name, body)
        for name, body in (
            (b"CNCV", b"CanonCR3_001/00.09.00/00.00.00"),
            (b"CMT1", cmt1),
            (b"CMT2", cmt2),
            (b"CMT3", b"II*\x00\x08\x00\x00\x00\x00\x00"),
            (b"CMT4", cmt4),
        )
    )
    ftyp = _box(b"ftyp", b"crx \x00\x00\x00\x01crx isom")
    path = tmp_path / "IMG_0001.CR3"
    path.write_bytes(ftyp + _box(b"moov", _box(b"uuid", canon)) + _box(b"mdat", b"\x00" * 64))
    assert raw.cr3_exif_blocks(path) == {"CMT1": cmt1, "CMT2": cmt2, "CMT4": cmt4}
    info = probe(path)
    assert (info.kind, info.format, info.extension) == ("photo", "Canon CR3", ".cr3")
    assert (info.camera_make, info.camera_model, info.orientation) == ("Canon", "Canon EOS R5", 8)
    assert info.taken_at == "2023-07-14T09:41:05+05:00"
    assert info.lens == "RF24-105mm F4 L IS USM"
    assert info.gps_lat == pytest.approx(37.49, abs=1e-4)
    assert info.gps_lon == pytest.approx(71.56, abs=1e-4)


def test_raf_exif_is_read_from_its_jpeg(tmp_path: Path, data_dir: Path) -> None:
    """A RAF header pointing at a real camera JPEG (which is where Fujifilm keeps the EXIF)."""
    jpeg = (data_dir / "camera-canon-40d.jpg").read_bytes()
    header = b"FUJIFILMCCD-RAW 0201FF393801X-T3".ljust(84, b"\x00")
    header += struct.pack(">II", 148, len(jpeg)) + b"\x00" * 56
    path = tmp_path / "DSCF0001.RAF"
    path.write_bytes(header + jpeg)
    assert raw.raf_jpeg(path) == jpeg
    info = probe(path)
    assert (info.kind, info.format) == ("photo", "Fujifilm RAF")
    assert (info.camera_make, info.camera_model) == ("Canon", "Canon EOS 40D")
    assert info.taken_at == "2008-05-30T15:56:01"


def test_libraw_flip_becomes_exif_orientation() -> None:
    # LibRaw's flip: 3 half turn, 5 a quarter turn counter-clockwise, 6 clockwise.
    assert [raw._FLIP_TO_ORIENTATION[f] for f in (0, 3, 5, 6)] == [1, 3, 8, 6]


def test_preview_bytes_are_a_jpeg(data_dir: Path) -> None:
    preview = raw.embedded_preview(data_dir / Z9)
    assert preview is not None and preview.jpeg is not None
    with Image.open(io.BytesIO(preview.jpeg)) as im:
        assert (im.format, im.size) == ("JPEG", (640, 424))
