"""media.probe: one call gives kind, displayed size, date, camera and place, or a clear reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from media.errors import MediaError, TooLarge, UnsupportedFile
from media.probe import probe


def test_probe_camera_jpeg(data_dir: Path) -> None:
    info = probe(data_dir / "camera-canon-40d.jpg")
    assert (info.kind, info.mime, info.format, info.extension) == (
        "photo",
        "image/jpeg",
        "JPEG",
        ".jpg",
    )
    assert (info.width, info.height, info.orientation) == (100, 68, 1)
    assert (info.camera_make, info.camera_model) == ("Canon", "Canon EOS 40D")
    assert info.taken_at == "2008-05-30T15:56:01"
    assert info.notes == ()


def test_probe_orientation_6_swaps_width_and_height(data_dir: Path) -> None:
    info = probe(data_dir / "orientation-6.jpg")  # stored 1200x1800
    assert (info.width, info.height, info.orientation) == (1800, 1200, 6)


def test_probe_portrait_motion_photo(data_dir: Path) -> None:
    info = probe(data_dir / "motion-photo-orientation-6.jpg")  # a JPEG with an MP4 appended
    assert (info.kind, info.width, info.height) == ("photo", 3024, 4032)
    assert (info.camera_make, info.camera_model) == ("Google", "Pixel 4 XL")
    assert info.taken_at == "2020-12-17T10:03:00+00:00"


def test_probe_gps_jpeg(data_dir: Path) -> None:
    info = probe(data_dir / "gps-htc-desire.jpg")
    assert (round(info.gps_lat, 5), round(info.gps_lon, 5)) == (45.50067, 9.11033)


def test_probe_heic(data_dir: Path) -> None:
    info = probe(data_dir / "gps-iphone.heic")
    assert (info.kind, info.mime, info.width, info.height) == ("photo", "image/heic", 4032, 3024)
    assert (info.camera_make, info.camera_model) == ("Apple", "iPhone 7")
    assert (info.gps_lat, info.gps_lon) == (pytest.approx(41.2203), pytest.approx(-96.071625))


def test_probe_animated_gif_counts_frames(data_dir: Path) -> None:
    info = probe(data_dir / "animated.gif")
    assert (info.kind, info.width, info.height, info.frames) == ("photo", 320, 240, 31)


def test_probe_png_exif(data_dir: Path) -> None:
    info = probe(data_dir / "png-with-exif.png")
    assert (info.camera_make, info.camera_model) == ("Google", "Pixel 4 XL")


def test_probe_photo_without_metadata(data_dir: Path) -> None:
    info = probe(data_dir / "no-exif-progressive.jpg")
    assert (info.width, info.height) == (100, 100)
    assert (info.taken_at, info.camera_make, info.gps_lat, info.orientation) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_probe_made_orientations(oriented_jpeg: Callable[..., Path], orientation: int) -> None:
    info = probe(oriented_jpeg(orientation, 300, 200))
    assert (info.width, info.height, info.orientation) == (300, 200, orientation)


def test_probe_rotated_video(data_dir: Path, ffmpeg_tools: None) -> None:
    info = probe(data_dir / "rotated-90-gps.mov")
    assert (info.kind, info.mime, info.format) == ("video", "video/quicktime", "QuickTime")
    assert (info.width, info.height, info.rotation) == (320, 568, 90)
    assert info.has_audio and info.audio_codec == "aac"
    assert info.taken_at == "2019-07-24T11:25:40+03:00"
    assert (info.camera_make, info.camera_model) == ("Apple", "iPhone 6")
    assert (info.gps_lat, info.gps_lon, info.gps_alt) == (32.0929, 34.862, 28.516)
    assert info.frame_rate and 29 < info.frame_rate < 31


def test_probe_video_without_audio(data_dir: Path, ffmpeg_tools: None) -> None:
    info = probe(data_dir / "no-audio-vp9.webm")
    assert (info.kind, info.format, info.has_audio, info.audio_codec) == (
        "video",
        "WebM",
        False,
        None,
    )
    assert info.taken_at is None


def test_probe_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.touch()
    with pytest.raises(UnsupportedFile, match="empty"):
        probe(path)


def test_probe_text_named_jpg(tmp_path: Path) -> None:
    path = tmp_path / "caption.jpg"
    path.write_text("Felt rug, Roshtqal'a, 2019\n")
    with pytest.raises(UnsupportedFile, match="text file"):
        probe(path)


def test_probe_jpeg_named_mp4_is_a_photo_with_a_note(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes((data_dir / "camera-canon-40d.jpg").read_bytes())
    info = probe(path)
    assert (info.kind, info.format, info.extension) == ("photo", "JPEG", ".jpg")
    assert info.notes == ("named .mp4 but the content is JPEG",)


def test_probe_mov_named_mp4_needs_no_note(
    tmp_path: Path, data_dir: Path, ffmpeg_tools: None
) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes((data_dir / "rotated-90-gps.mov").read_bytes())
    assert probe(path).notes == ()


def test_probe_file_without_extension(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "IMG_0001"
    path.write_bytes((data_dir / "camera-canon-40d.jpg").read_bytes())
    assert probe(path).notes == ("named (no extension) but the content is JPEG",)


def test_probe_truncated_jpeg_reads_the_header(truncated_jpeg: Path) -> None:
    info = probe(truncated_jpeg)
    assert (info.kind, info.width, info.height) == ("photo", 1800, 1200)


def test_probe_huge_declared_size_is_too_large(huge_jpeg: Path) -> None:
    with pytest.raises(TooLarge) as caught:
        probe(huge_jpeg)
    reason = str(caught.value)
    assert "60000x60000" in reason and "3600 MP" in reason


def test_probe_truncated_video(tmp_path: Path, data_dir: Path, ffmpeg_tools: None) -> None:
    """A 3GP cut to its first third still probes: its header (moov) comes first."""
    data = (data_dir / "amr-audio.3gp").read_bytes()
    path = tmp_path / "cut.3gp"
    path.write_bytes(data[: len(data) // 3])
    info = probe(path)
    assert (info.kind, info.width, info.height, info.video_codec) == ("video", 176, 144, "mpeg4")


def test_probe_mp4_header_only(tmp_path: Path, ffmpeg_tools: None) -> None:
    path = tmp_path / "header-only.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2")
    with pytest.raises(MediaError) as caught:
        probe(path)
    assert str(caught.value)


def test_probe_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        probe(tmp_path / "gone.jpg")
