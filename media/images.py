"""Pillow (with pillow-heif and pillow-jxl-plugin): image headers, EXIF, resized WebP and
print copies."""

from __future__ import annotations

import io
import math
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms, ImageFile, ImageOps, ImageStat, UnidentifiedImageError
from PIL import features as _features

from media.errors import CorruptFile, MediaError, TooLarge, UnsupportedFile
from media.temporary import temporary_path

try:  # HEIC/HEIF from phones; pillow-heif is a Pillow plugin.
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF = True
except ImportError:  # pragma: no cover - pillow-heif is a declared dependency
    HEIF = False

try:  # JPEG XL; importing the plugin registers it with Pillow.
    from pillow_jxl import JpegXLImagePlugin  # noqa: F401

    JXL = True
except ImportError:  # pragma: no cover - pillow-jxl-plugin is a declared dependency
    JXL = False

# Refuse decompression bombs ourselves, with a clear reason, before decoding.
MAX_PIXELS = 250_000_000
Image.MAX_IMAGE_PIXELS = None
ImageFile.LOAD_TRUNCATED_IMAGES = False

# Formats whose decoder already applies the container's rotation (HEIF irot/imir).
_TRANSFORMED_BY_DECODER = {"HEIF", "AVIF"}

# A JPEG 2000 file's EXIF lives in a uuid box with this id (as exiftool and cameras write it).
_JP2_EXIF_UUID = b"JpgTiffExif->JP2"


def decoder_missing(fmt: str) -> str | None:
    """Why this machine cannot decode photos of ``fmt`` (a format name from media.kinds),
    or None when it can."""
    missing = {
        "JPEG XL": (JXL, "no JPEG XL decoder here (pip install pillow-jxl-plugin)"),
        "JPEG 2000": (
            _features.check_codec("jpg_2000"),
            "this Pillow has no JPEG 2000 decoder (OpenJPEG)",
        ),
        "HEIF": (HEIF, "no HEIF decoder here (pip install pillow-heif)"),
        "AVIF": (_features.check("avif"), "this Pillow has no AVIF decoder"),
        "WebP": (has_webp(), "this Pillow has no WebP decoder"),
    }
    can, reason = missing.get(fmt, (True, ""))
    return None if can else reason


@dataclass(frozen=True)
class ImageHeader:
    """What Pillow reads from an image without decoding its pixels."""

    format: str
    width: int  # as stored (before EXIF orientation)
    height: int
    frames: int
    mode: str
    exif: bytes | None  # the raw EXIF block, when the format carries one
    decoder_applies_orientation: bool


@dataclass(frozen=True)
class Written:
    """One image file written: where, and its pixel size and byte size."""

    path: Path
    width: int
    height: int
    size: int


def has_webp() -> bool:
    return bool(_features.check("webp"))


def read_header(path: Path, max_pixels: int = MAX_PIXELS) -> ImageHeader:
    """Open an image lazily and return its header; raise a MediaError with the reason."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as im:
                width, height = im.size
                if width <= 0 or height <= 0:
                    raise CorruptFile("the image declares no pixels")
                if width * height > max_pixels:
                    raise TooLarge(
                        f"the image declares {width}x{height} pixels "
                        f"({width * height / 1e6:.0f} MP), more than the limit of "
                        f"{max_pixels / 1e6:.0f} MP (a decompression bomb or a damaged header)"
                    )
                exif = im.info.get("exif")
                if exif is None and im.format == "JPEG2000":
                    exif = _jp2_exif(path)
                if exif is None and hasattr(im, "getexif"):
                    try:
                        data = im.getexif()
                        if getattr(data, "bigtiff", False):
                            data = _classic_exif(data)  # exifread reads classic TIFF only
                        exif = data.tobytes() if len(data) else None
                    except Exception:
                        exif = None
                return ImageHeader(
                    format=str(im.format),
                    width=width,
                    height=height,
                    frames=int(getattr(im, "n_frames", 1) or 1),
                    mode=im.mode,
                    exif=exif if isinstance(exif, bytes) else None,
                    decoder_applies_orientation=_decoder_turns(im),
                )
    except UnidentifiedImageError as exc:
        raise CorruptFile(
            "the file starts like an image but cannot be decoded (damaged or incomplete)"
        ) from exc
    except Image.DecompressionBombError as exc:
        raise TooLarge(f"the image is too large to decode safely: {_short(exc)}") from exc
    # RuntimeError: the AVIF and HEIF decoders' word for a damaged file.
    except (OSError, SyntaxError, ValueError, EOFError, RuntimeError, struct_error()) as exc:
        raise CorruptFile(f"the image is damaged: {_short(exc)}") from exc
    except MediaError:
        raise
    except Exception as exc:  # Pillow's plugins raise KeyError, TypeError… on hostile bytes
        raise CorruptFile(f"the image is damaged: {type(exc).__name__}: {_short(exc)}") from exc


def write_sizes(
    source: Path,
    targets: list[tuple[Path, int, int, int]],
    *,
    max_pixels: int = MAX_PIXELS,
) -> list[Written]:
    """Decode ``source`` once and write WebP copies, largest first.

    ``targets`` holds (path, long edge, quality, method) tuples. EXIF orientation
    is applied, and no metadata (EXIF, XMP, ICC) is written into the copies. Each
    smaller size is made from the previous one.
    """
    ordered = sorted(targets, key=lambda t: t[1], reverse=True)
    try:
        try:
            frame = _decode(source, ordered[0][1], max_pixels, truncated=False)
        except OSError as exc:
            if "truncated" not in str(exc):
                raise
            # A file cut short (a card pulled early): keep what decodes, the rest is grey.
            frame = _decode(source, ordered[0][1], max_pixels, truncated=True)
        return _write_all(frame, ordered)
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise UnsupportedFile(f"the image cannot be read: {_short(exc)}") from exc
    # RuntimeError: the AVIF and HEIF decoders' word for a damaged file.
    except (OSError, SyntaxError, ValueError, EOFError, RuntimeError, struct_error()) as exc:
        raise CorruptFile(f"the image cannot be decoded: {_short(exc)}") from exc
    except MediaError:
        raise
    except Exception as exc:  # Pillow's plugins raise KeyError, TypeError… on hostile bytes
        raise CorruptFile(
            f"the image cannot be decoded: {type(exc).__name__}: {_short(exc)}"
        ) from exc


def write_picture_sizes(
    picture: Any, targets: list[tuple[Path, int, int, int]], *, orientation: int = 1
) -> list[Written]:
    """Like write_sizes, for a picture held in memory: JPEG bytes (a RAW's embedded
    preview, turned by ``orientation``, its own EXIF ignored) or an RGB array (a RAW
    developed by LibRaw, already turned)."""
    ordered = sorted(targets, key=lambda t: t[1], reverse=True)
    try:
        if isinstance(picture, bytes):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with Image.open(io.BytesIO(picture)) as im:
                    if im.size[0] * im.size[1] > MAX_PIXELS:
                        raise TooLarge(f"the preview declares {im.size[0]}x{im.size[1]} pixels")
                    if im.format == "JPEG":
                        im.draft("RGB", (ordered[0][1], ordered[0][1]))
                    im.load()
                    frame = _to_rgb(_turn(im, orientation))
        else:
            frame = _turn(Image.fromarray(picture), orientation).convert("RGB")
        return _write_all(frame, ordered)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise CorruptFile(f"the embedded picture cannot be decoded: {_short(exc)}") from exc


def picture_size(picture: Any) -> tuple[int, int]:
    """(width, height) of JPEG bytes or an RGB array, as stored; (0, 0) if unreadable."""
    if not isinstance(picture, bytes):
        return int(picture.shape[1]), int(picture.shape[0])
    try:
        with Image.open(io.BytesIO(picture)) as im:
            return im.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return 0, 0


def decode_upright(source: Path, largest: int, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Decode ``source`` upright (EXIF orientation applied), as RGB(A), at least ``largest``
    pixels on its long side where the file has them (JPEGs decode DCT-scaled); metadata is
    not carried: the image's ``info`` is emptied. Raise a MediaError with the reason."""
    try:
        try:
            frame = _decode(source, largest, max_pixels, truncated=False)
        except OSError as exc:
            if "truncated" not in str(exc):
                raise
            frame = _decode(source, largest, max_pixels, truncated=True)  # as write_sizes does
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise UnsupportedFile(f"the image cannot be read: {_short(exc)}") from exc
    except MediaError:
        raise
    except Exception as exc:  # Pillow's plugins raise anything on hostile bytes
        raise CorruptFile(
            f"the image cannot be decoded: {type(exc).__name__}: {_short(exc)}"
        ) from exc
    frame.info = {}
    return frame


def upright_size(source: Path) -> tuple[int, int]:
    """(width, height) of an image as shown (EXIF orientation applied), from its header
    alone; raise a MediaError with the reason."""
    header = read_header(source)
    width, height = header.width, header.height
    if header.decoder_applies_orientation or header.exif is None:
        return width, height
    try:
        orientation = Image.Exif()
        orientation.load(header.exif)
        turned = orientation.get(0x0112) in (5, 6, 7, 8)
    except Exception:  # an unreadable EXIF block: exif_transpose would ignore it too
        turned = False
    return (height, width) if turned else (width, height)


def _write_all(frame: Image.Image, ordered: list[tuple[Path, int, int, int]]) -> list[Written]:
    written: list[Written] = []
    for path, edge, quality, method in ordered:
        frame = _shrink(frame, edge)
        written.append(save_webp(frame, path, quality=quality, method=method))
    return written


# EXIF orientation → the Pillow transposition that shows the picture upright.
_TURN = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _turn(image: Image.Image, orientation: int) -> Image.Image:
    method = _TURN.get(orientation)
    return image.transpose(method) if method is not None else image


def _decode(source: Path, largest: int, max_pixels: int, *, truncated: bool) -> Image.Image:
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(source) as im:
                if im.size[0] * im.size[1] > max_pixels:
                    raise TooLarge(f"the image declares {im.size[0]}x{im.size[1]} pixels")
                if im.format == "JPEG":
                    # DCT scaling: decode at the smallest power-of-two scale still >= target.
                    im.draft("RGB", (largest, largest))
                im.load()
                if im.format == "JXL" and _decoder_turns(im):
                    return _to_rgb(im)  # the codestream's orientation is applied already
                return _to_rgb(ImageOps.exif_transpose(im))
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _decoder_turns(im: Image.Image) -> bool:
    """True when the decoder has turned the picture itself: HEIF and AVIF (irot/imir),
    JPEG XL with its own codestream (not a recompressed JPEG, whose EXIF says how to turn),
    and a TIFF whose size Pillow reports already turned."""
    if im.format == "JXL":
        return not getattr(im, "jpeg", False)
    if im.format == "TIFF":  # Pillow 12 and later report a TIFF's size as displayed
        stored = (getattr(im, "tag_v2", {}).get(256), getattr(im, "tag_v2", {}).get(257))
        return im.size != stored and im.size == stored[::-1]
    return im.format in _TRANSFORMED_BY_DECODER


# Tags of a TIFF's own image data: no use in an EXIF block, and large (ICC) or positional.
_IMAGE_DATA_TAGS = {273, 279, 324, 325, 34675}


def _classic_exif(data: Image.Exif) -> Image.Exif:
    """A BigTIFF's tags as a classic EXIF block: IFD0 with its EXIF and GPS directories."""
    classic = Image.Exif()
    for tag, value in data.items():
        if tag not in _IMAGE_DATA_TAGS and tag not in (0x8769, 0x8825):
            classic[tag] = value
    for pointer in (0x8769, 0x8825):
        found = data.get_ifd(pointer)
        if found:
            classic.get_ifd(pointer).update(found)  # before the pointer: nothing to read yet
            classic[pointer] = 0
    return classic


def _jp2_exif(path: Path) -> bytes | None:
    """The EXIF block of a JPEG 2000 file: a top-level uuid box, TIFF data after the id."""
    with open(path, "rb") as handle:
        at, end = 0, os.fstat(handle.fileno()).st_size
        for _ in range(64):  # a JP2 has a handful of top-level boxes
            handle.seek(at)
            header = handle.read(24)
            if len(header) < 8:
                return None
            size, kind = int.from_bytes(header[:4], "big"), header[4:8]
            body = 8
            if size == 1:
                size, body = int.from_bytes(header[8:16], "big"), 16
            elif size == 0:
                size = end - at
            if size < body or at + size > end:
                return None
            if kind == b"uuid" and header[body : body + 16] == _JP2_EXIF_UUID:
                length = size - body - 16
                if not 0 < length <= 4 * 1024 * 1024:
                    return None
                data = handle.read(length)
                return data[6:] if data.startswith(b"Exif\x00\x00") else data
            at += size
    return None


def write_print_copy(
    source: Path,
    dest: Path,
    width: int,
    height: int,
    *,
    cover: bool,
    quality: int = 92,
    max_pixels: int = MAX_PIXELS,
) -> Written:
    """Write an sRGB JPEG of ``source`` for print, without any metadata (no EXIF, GPS, XMP).

    The copy is made just large enough to fill (``cover``) or fit inside a box of
    ``width`` x ``height`` pixels, and never enlarged: a small original stays small.
    EXIF orientation is applied; colours are converted to sRGB through the embedded ICC
    profile (CMYK and wide-gamut photos), and transparency is laid on white.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(source) as im:
                if im.size[0] * im.size[1] > max_pixels:
                    raise TooLarge(f"the image declares {im.size[0]}x{im.size[1]} pixels")
                if im.format == "JPEG" and im.mode == "RGB":
                    longest = max(width, height)  # the box may be turned by the orientation
                    im.draft("RGB", (longest, longest))
                im.load()
                icc = im.info.get("icc_profile")
                frame = ImageOps.exif_transpose(im)
                if frame.mode not in ("RGB", "RGBA", "CMYK", "L", "LA"):
                    frame, icc = _to_rgb(frame), None  # palettes, 16-bit: no profile applies
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise UnsupportedFile(f"the image cannot be read: {_short(exc)}") from exc
    except (OSError, SyntaxError, ValueError, EOFError, RuntimeError, struct_error()) as exc:
        raise CorruptFile(f"the image cannot be decoded: {_short(exc)}") from exc
    scale = (max if cover else min)(width / frame.width, height / frame.height)
    if scale < 1:
        size = (max(1, math.ceil(frame.width * scale)), max(1, math.ceil(frame.height * scale)))
        frame = frame.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    frame = _to_srgb(frame, icc)  # after resizing: the colour transform costs by the pixel
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    frame.info = {}
    try:
        frame.save(tmp, "JPEG", quality=quality, exif=b"")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return Written(path=dest, width=frame.width, height=frame.height, size=dest.stat().st_size)


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB in sRGB: through the image's own ICC profile where it has one."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGB", rgba.size, (255, 255, 255))
        paper.paste(rgba, mask=rgba.getchannel("A"))
        image, icc = paper, icc if image.mode == "RGBA" else None
    if icc and image.mode in ("RGB", "CMYK", "L"):
        try:
            return ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"),
                renderingIntent=ImageCms.Intent.PERCEPTUAL,
                outputMode="RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a damaged or mismatched profile: convert as if it had none
    return _to_rgb(image).convert("RGB")


def is_mostly_dark(path: Path, threshold: float = 16.0) -> bool:
    """True when an image's mean brightness is below ``threshold`` (0-255)."""
    with Image.open(path) as im:
        gray = im.convert("L")
        gray.thumbnail((64, 64))
        return ImageStat.Stat(gray).mean[0] < threshold


def is_blank(path: Path) -> bool:
    """True for a frame that shows nothing: nearly black, nearly white, or one flat colour
    (a fade, a lens cap, a washed-out first second)."""
    with Image.open(path) as im:
        gray = im.convert("L")
        gray.thumbnail((64, 64))
        stat = ImageStat.Stat(gray)
        mean, spread = stat.mean[0], stat.stddev[0]
        return mean < 16 or mean > 240 or spread < 6


def save_webp(image: Image.Image, path: Path, *, quality: int, method: int) -> Written:
    """Write ``image`` as WebP through a temporary file; no metadata is carried over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(path)
    clean = image.copy()
    clean.info = {}
    try:
        clean.save(tmp, "WEBP", quality=quality, method=method, exif=b"")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return Written(path=path, width=clean.width, height=clean.height, size=path.stat().st_size)


def _shrink(image: Image.Image, edge: int) -> Image.Image:
    if max(image.size) <= edge:
        return image
    copy = image.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return copy


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    if image.mode == "CMYK":
        # Adobe CMYK JPEGs are stored inverted; Pillow's conversion handles both.
        return image.convert("RGB")
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        return ImageOps.autocontrast(
            image.convert("I").point(lambda v: v / 256).convert("L")
        ).convert("RGB")
    return image.convert("RGB")


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def struct_error() -> type[BaseException]:
    import struct

    return struct.error
