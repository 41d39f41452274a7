"""media.derivatives: what a visitor sees: upright small WebP, a phone-ready MP4, no metadata."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat

from media.derivatives import DEFAULT_SPECS, Made, Spec, make_derivatives
from media.errors import MediaError
from media.probe import probe

SPECS = {spec.name: spec for spec in DEFAULT_SPECS}

# exiftool groups that would leak camera, place or person from a published file.
PRIVATE_GROUPS = {"EXIF", "XMP", "GPS", "IPTC", "MakerNotes", "Photoshop", "JFIF"}
# QuickTime/ffprobe tags that would leak the same from a web video.
PRIVATE_VIDEO_TAGS = ("location", "make", "model", "creation", "gps", "iso6709", "software", "date")


def _outputs(folder: Path, *names: str) -> dict[str, Path]:
    return {name: folder / name / f"out{SPECS[name].extension}" for name in names}


def _by_spec(made: list[Made]) -> dict[str, Made]:
    return {m.spec: m for m in made}


def _groups(tags: dict[str, Any]) -> set[str]:
    return {key.split(":", 1)[0] for key in tags if ":" in key}


def _top_level_boxes(path: Path) -> list[tuple[bytes, int]]:
    """The top-level MP4 boxes in order, as (type, byte offset)."""
    data = path.read_bytes()
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        kind = data[offset + 4 : offset + 8]
        if size == 1:
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        elif size == 0:
            size = len(data) - offset
        if size < 8:
            raise AssertionError(f"bad box size {size} at {offset}")
        boxes.append((kind, offset))
        offset += size
    return boxes


def _mean_brightness(path: Path) -> float:
    with Image.open(path) as image:
        return ImageStat.Stat(image.convert("L")).mean[0]


# ---- specs -------------------------------------------------------------------


def test_spec_fingerprint_is_stable_and_ignores_the_name() -> None:
    thumb = SPECS["thumb"]
    assert thumb.fingerprint() == replace(thumb).fingerprint()
    assert thumb.fingerprint() == replace(thumb, name="small").fingerprint()
    assert len(thumb.fingerprint()) == 16


@pytest.mark.parametrize("change", [{"quality": 90}, {"max_size": 400}, {"method": 6}])
def test_spec_fingerprint_changes_with_the_recipe(change: dict[str, Any]) -> None:
    thumb = SPECS["thumb"]
    assert replace(thumb, **change).fingerprint() != thumb.fingerprint()


def test_spec_extension_and_mime() -> None:
    assert (SPECS["thumb"].extension, SPECS["thumb"].mime) == (".webp", "image/webp")
    assert (SPECS["preview"].extension, SPECS["preview"].mime) == (".mp4", "video/mp4")


# ---- photos ------------------------------------------------------------------


def test_photo_portrait_display_gives_portrait_derivatives(data_dir: Path, tmp_path: Path) -> None:
    # Stored 4032x3024 with EXIF orientation 6: a phone held upright.
    outputs = _outputs(tmp_path, "thumb", "display")
    made = _by_spec(
        make_derivatives(
            data_dir / "motion-photo-orientation-6.jpg", "photo", list(DEFAULT_SPECS), outputs
        )
    )
    assert set(made) == {"thumb", "display"}
    assert (made["thumb"].width, made["thumb"].height) == (240, 320)
    assert (made["display"].width, made["display"].height) == (1200, 1600)
    for name, m in made.items():
        with Image.open(m.path) as image:
            assert image.format == "WEBP"
            assert image.size == (m.width, m.height)
        assert m.mime == "image/webp"
        assert m.size == m.path.stat().st_size
        assert m.fingerprint == SPECS[name].fingerprint()


def test_photo_orientation_6_landscape(data_dir: Path, tmp_path: Path) -> None:
    # Stored 1200x1800 with orientation 6: shown as a 1800x1200 landscape.
    outputs = _outputs(tmp_path, "thumb", "display")
    made = _by_spec(
        make_derivatives(data_dir / "orientation-6.jpg", "photo", list(DEFAULT_SPECS), outputs)
    )
    assert (made["thumb"].width, made["thumb"].height) == (320, 213)
    assert (made["display"].width, made["display"].height) == (1600, 1067)


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_photo_derivatives_are_upright(
    oriented_jpeg: Callable[..., Path],
    assert_upright: Callable[[Image.Image], None],
    tmp_path: Path,
    orientation: int,
) -> None:
    source = oriented_jpeg(orientation, 400, 640)  # a portrait picture
    outputs = _outputs(tmp_path, "thumb")
    (made,) = make_derivatives(source, "photo", [SPECS["thumb"]], outputs)
    assert (made.width, made.height) == (200, 320)
    with Image.open(made.path) as image:
        assert_upright(image)


def test_small_photo_is_never_upscaled(data_dir: Path, tmp_path: Path) -> None:
    outputs = _outputs(tmp_path, "thumb", "display")
    made = _by_spec(
        make_derivatives(data_dir / "camera-canon-40d.jpg", "photo", list(DEFAULT_SPECS), outputs)
    )
    assert (made["thumb"].width, made["thumb"].height) == (100, 68)
    assert (made["display"].width, made["display"].height) == (100, 68)


def test_heic_derivatives(data_dir: Path, tmp_path: Path) -> None:
    outputs = _outputs(tmp_path, "thumb")
    (made,) = make_derivatives(data_dir / "gps-iphone.heic", "photo", [SPECS["thumb"]], outputs)
    assert (made.width, made.height) == (320, 240)


@pytest.mark.parametrize(
    "name",
    [
        "gps-htc-desire.jpg",
        "gps-iphone.heic",
        "camera-canon-40d.jpg",
        "cmyk.jpg",
        "png-with-exif.png",
    ],
)
def test_photo_derivatives_carry_no_metadata(
    data_dir: Path, tmp_path: Path, exiftool: Callable[[Path], dict[str, Any]], name: str
) -> None:
    assert _groups(exiftool(data_dir / name)) & {"EXIF", "XMP", "IPTC"}  # the source has some
    outputs = _outputs(tmp_path, "thumb")
    (made,) = make_derivatives(data_dir / name, "photo", [SPECS["thumb"]], outputs)
    tags = exiftool(made.path)
    assert not _groups(tags) & PRIVATE_GROUPS, sorted(tags)
    assert not [key for key in tags if "GPS" in key or key.endswith((":Make", ":Model"))]


def test_photo_only_requested_outputs(data_dir: Path, tmp_path: Path) -> None:
    outputs = _outputs(tmp_path, "display")
    made = make_derivatives(
        data_dir / "camera-canon-40d.jpg", "photo", list(DEFAULT_SPECS), outputs
    )
    assert [m.spec for m in made] == ["display"]
    assert not (tmp_path / "thumb").exists()


def test_photo_video_specs_are_ignored(data_dir: Path, tmp_path: Path) -> None:
    outputs = _outputs(tmp_path, "poster", "preview")
    assert (
        make_derivatives(data_dir / "camera-canon-40d.jpg", "photo", list(DEFAULT_SPECS), outputs)
        == []
    )


def test_photo_that_cannot_be_decoded_is_a_media_error(tmp_path: Path) -> None:
    source = tmp_path / "only-magic-bytes.jpg"
    source.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 32)
    with pytest.raises(MediaError):
        make_derivatives(source, "photo", [SPECS["thumb"]], _outputs(tmp_path, "thumb"))


# ---- videos: made once per source for all the checks below ---------------------


def _make_video_derivatives(source: Path, folder: Path) -> dict[str, Made]:
    info = probe(source)
    outputs = _outputs(folder, "thumb", "poster", "preview")
    made = make_derivatives(
        source,
        "video",
        list(DEFAULT_SPECS),
        outputs,
        duration=info.duration,
        has_audio=info.has_audio,
        video_height=info.height,
        threads=2,
    )
    return _by_spec(made)


@pytest.fixture(scope="module")
def rotated_mov(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, ffmpeg_tools: None
) -> dict[str, Made]:
    """Derivatives of an iPhone clip: stored 568x320, turned 90 degrees, with sound, GPS, camera."""
    return _make_video_derivatives(data_dir / "rotated-90-gps.mov", tmp_path_factory.mktemp("mov"))


@pytest.fixture(scope="module")
def silent_webm(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, ffmpeg_tools: None
) -> dict[str, Made]:
    """Derivatives of a VP9 WebM without sound."""
    return _make_video_derivatives(data_dir / "no-audio-vp9.webm", tmp_path_factory.mktemp("webm"))


def test_video_gets_thumb_poster_and_preview(rotated_mov: dict[str, Made]) -> None:
    assert set(rotated_mov) == {"thumb", "poster", "preview"}
    assert rotated_mov["preview"].mime == "video/mp4"


def test_video_poster_is_portrait_webp_and_not_black(rotated_mov: dict[str, Made]) -> None:
    poster, thumb = rotated_mov["poster"], rotated_mov["thumb"]
    assert (poster.width, poster.height) == (320, 568)  # never upscaled to 1280
    assert (thumb.width, thumb.height) == (180, 320)
    for m in (poster, thumb):
        with Image.open(m.path) as image:
            assert image.format == "WEBP"
        assert _mean_brightness(m.path) > 30


def test_video_stills_carry_no_metadata(
    rotated_mov: dict[str, Made], exiftool: Callable[[Path], dict[str, Any]]
) -> None:
    for name in ("thumb", "poster"):
        assert not _groups(exiftool(rotated_mov[name].path)) & PRIVATE_GROUPS


def test_video_preview_is_h264_aac_yuv420p(
    rotated_mov: dict[str, Made], ffprobe: Callable[[Path], dict[str, Any]]
) -> None:
    data = ffprobe(rotated_mov["preview"].path)
    streams = {s["codec_type"]: s for s in data["streams"]}
    assert streams["video"]["codec_name"] == "h264"
    assert streams["video"]["pix_fmt"] == "yuv420p"
    assert streams["audio"]["codec_name"] == "aac"
    # The rotation is baked into the pixels: a portrait picture with no display matrix.
    assert (streams["video"]["width"], streams["video"]["height"]) == (320, 568)
    assert not streams["video"].get("side_data_list")
    assert streams["video"]["height"] <= 720


def test_video_preview_is_faststart(rotated_mov: dict[str, Made]) -> None:
    boxes = dict(_top_level_boxes(rotated_mov["preview"].path))
    assert b"moov" in boxes and b"mdat" in boxes
    assert boxes[b"moov"] < boxes[b"mdat"], "moov after mdat: a browser must download it all first"


def test_video_preview_carries_no_metadata(
    rotated_mov: dict[str, Made],
    ffprobe: Callable[[Path], dict[str, Any]],
    exiftool: Callable[[Path], dict[str, Any]],
) -> None:
    path = rotated_mov["preview"].path
    data = ffprobe(path)
    tags = dict(data["format"].get("tags") or {})
    for stream in data["streams"]:
        tags.update(stream.get("tags") or {})
    leaks = [key for key in tags if any(word in key.lower() for word in PRIVATE_VIDEO_TAGS)]
    assert not leaks, tags
    exif = exiftool(path)
    assert not _groups(exif) & (PRIVATE_GROUPS | {"Keys", "UserData", "ItemList"}), sorted(exif)
    for key in ("QuickTime:CreateDate", "QuickTime:TrackCreateDate", "QuickTime:MediaCreateDate"):
        assert str(exif.get(key, "0000:00:00 00:00:00")).startswith("0000"), (key, exif.get(key))
    assert not [key for key in exif if "GPS" in key or key.endswith((":Make", ":Model"))]


def test_video_preview_without_audio_has_no_audio_stream(
    silent_webm: dict[str, Made], ffprobe: Callable[[Path], dict[str, Any]]
) -> None:
    data = ffprobe(silent_webm["preview"].path)
    kinds = [s["codec_type"] for s in data["streams"]]
    assert kinds == ["video"]
    video = data["streams"][0]
    assert (video["codec_name"], video["pix_fmt"], video["width"], video["height"]) == (
        "h264",
        "yuv420p",
        320,
        240,
    )


def test_video_preview_is_never_taller_than_720(
    data_dir: Path, tmp_path: Path, ffprobe: Callable[[Path], dict[str, Any]], ffmpeg_tools: None
) -> None:
    spec = replace(SPECS["preview"], max_height=120, preset="ultrafast")
    outputs = {spec.name: tmp_path / "preview.mp4"}
    (made,) = make_derivatives(
        data_dir / "no-audio-vp9.webm", "video", [spec], outputs, duration=2.7, video_height=240
    )
    video = ffprobe(made.path)["streams"][0]
    assert (video["width"], video["height"]) == (160, 120)
    assert made.height == 120


def test_video_poster_of_a_file_without_duration(
    data_dir: Path, tmp_path: Path, ffmpeg_tools: None
) -> None:
    outputs = _outputs(tmp_path, "poster")
    (made,) = make_derivatives(
        data_dir / "amr-audio.3gp", "video", [SPECS["poster"]], outputs, duration=None
    )
    assert (made.width, made.height) == (176, 144)


def test_dark_first_frame_is_skipped(
    tmp_path: Path, ffprobe: Callable[[Path], dict[str, Any]], ffmpeg_tools: None
) -> None:
    # 1 s of black, then 3 s of a colour test pattern: the poster must show the pattern.
    source = tmp_path / "fade-in.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-nostdin",
            "-f",
            "lavfi",
            "-i",
            "color=c=black:s=160x120:d=1:r=10",
            "-f",
            "lavfi",
            "-i",
            "testsrc=s=160x120:d=3:r=10",
            "-filter_complex",
            "[0:v][1:v]concat=n=2:v=1[v]",
            "-map",
            "[v]",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            str(source),
        ],
        check=True,
    )
    outputs = _outputs(tmp_path, "poster")
    (made,) = make_derivatives(source, "video", [SPECS["poster"]], outputs, duration=4.0)
    assert _mean_brightness(made.path) > 30


def test_custom_spec_names_are_used(data_dir: Path, tmp_path: Path) -> None:
    spec = Spec("tiny", "image", ("photo",), max_size=32, quality=50, method=0)
    (made,) = make_derivatives(
        data_dir / "camera-canon-40d.jpg", "photo", [spec], {"tiny": tmp_path / "t.webp"}
    )
    assert (made.spec, made.width, made.height) == ("tiny", 32, 22)
