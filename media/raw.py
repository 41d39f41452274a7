"""Camera RAW files through rawpy (LibRaw): sensor size, embedded preview, development."""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from media.errors import CorruptFile, NoDecoder, TooLarge

try:  # LibRaw in a wheel; a declared dependency, but the archive still keeps RAWs without it.
    import rawpy

    RAWPY = True
except ImportError:  # pragma: no cover - rawpy is a declared dependency
    RAWPY = False

# As for other photos: refuse to develop more pixels than this (a damaged or hostile header).
MAX_PIXELS = 250_000_000
# Metadata blocks read into memory are never larger than this.
_MAX_BLOCK = 32 * 1024 * 1024

# LibRaw's flip (bit 4: swap axes, 2: flip vertically, 1: flip horizontally) as EXIF orientation.
_FLIP_TO_ORIENTATION = {0: 1, 1: 2, 2: 4, 3: 3, 4: 5, 5: 8, 6: 6, 7: 7}


@dataclass(frozen=True)
class RawFacts:
    """What LibRaw says of a RAW file without developing it."""

    width: int  # the developed picture's size, before orientation
    height: int
    orientation: int  # EXIF style, 1-8, from LibRaw's reading of the file


@dataclass(frozen=True)
class Preview:
    """The largest picture the camera embedded: JPEG bytes, or RGB pixels (a bitmap)."""

    jpeg: bytes | None
    pixels: Any  # a numpy array (height, width, 3) of uint8 when not a JPEG
    orientation: int  # how to turn it: the RAW's orientation (previews are stored unturned)


def read_raw(path: Path) -> RawFacts:
    """Open ``path`` with LibRaw and read its size and orientation; raise a MediaError."""
    with _opened(path) as raw:
        sizes = raw.sizes
        return RawFacts(
            width=int(sizes.width),
            height=int(sizes.height),
            orientation=_FLIP_TO_ORIENTATION.get(int(sizes.flip), 1),
        )


def embedded_preview(path: Path) -> Preview | None:
    """The embedded preview LibRaw finds (the largest one), or None when there is none."""
    with _opened(path) as raw:
        orientation = _FLIP_TO_ORIENTATION.get(int(raw.sizes.flip), 1)
        try:
            thumb = raw.extract_thumb()
        except (rawpy.LibRawNoThumbnailError, rawpy.LibRawUnsupportedThumbnailError):
            return None
        except rawpy.LibRawError as exc:
            reason = _reason(exc)
            raise CorruptFile(f"the RAW file's preview cannot be read: {reason}") from exc
    if thumb.format == rawpy.ThumbFormat.JPEG:
        return Preview(jpeg=bytes(thumb.data), pixels=None, orientation=orientation)
    if getattr(thumb.data, "ndim", 0) == 3 and thumb.data.shape[2] == 3:
        return Preview(jpeg=None, pixels=thumb.data, orientation=orientation)
    return None


def develop(path: Path) -> Any:
    """Develop the RAW at half size (each 2x2 block of the sensor becomes one pixel) with
    the camera's white balance; an RGB array, already turned as the camera was held."""
    with _opened(path) as raw:
        sizes = raw.sizes
        if int(sizes.width) * int(sizes.height) > MAX_PIXELS:
            raise TooLarge(f"the RAW declares {sizes.width}x{sizes.height} pixels")
        try:
            return raw.postprocess(half_size=True, use_camera_wb=True, output_bps=8)
        except rawpy.LibRawFileUnsupportedError as exc:
            raise NoDecoder(f"LibRaw cannot develop this file: {_reason(exc)}") from exc
        except (rawpy.LibRawError, MemoryError) as exc:
            raise CorruptFile(f"LibRaw cannot develop the RAW file: {_reason(exc)}") from exc


@contextmanager
def _opened(path: Path) -> Iterator[Any]:
    if not RAWPY:
        raise NoDecoder("rawpy (LibRaw) is not installed here (pip install rawpy)")
    try:
        # LibRaw opens a path as bytes; a non-ASCII path on Windows goes in as a buffer.
        if os.name != "nt" or str(path).isascii():
            raw = rawpy.imread(os.fspath(path))
        else:
            with open(path, "rb") as handle:
                raw = rawpy.imread(io.BytesIO(handle.read()))
    except rawpy.LibRawFileUnsupportedError as exc:
        raise NoDecoder(f"LibRaw does not read this file: {_reason(exc)}") from exc
    except rawpy.LibRawTooBigError as exc:
        raise TooLarge(f"the RAW file is too large for LibRaw: {_reason(exc)}") from exc
    except rawpy.LibRawError as exc:
        raise CorruptFile(f"the RAW file is damaged: {_reason(exc)}") from exc
    try:
        yield raw
    finally:
        raw.close()


def _reason(exc: BaseException) -> str:
    """LibRaw's words (rawpy gives them as bytes)."""
    text = exc.args[0] if exc.args else exc
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return str(text).strip()[:200] or type(exc).__name__


# ---- where the EXIF of a RAW that is not a TIFF lies -------------------------------------

# Canon's box in a CR3's moov that holds CMT1 (IFD0), CMT2 (EXIF), CMT3 (maker notes), CMT4 (GPS).
_CANON_UUID = bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")


def cr3_exif_blocks(path: Path) -> dict[str, bytes]:
    """The TIFF blocks of a Canon CR3 by name (``CMT1``, ``CMT2``, ``CMT4``); empty if none."""
    with open(path, "rb") as handle:
        for kind, start, size in _boxes(handle, 0, os.fstat(handle.fileno()).st_size):
            if kind != b"moov":
                continue
            handle.seek(start)
            moov = handle.read(min(size, _MAX_BLOCK))
            for inner, at, length in _boxes(io.BytesIO(moov), 0, len(moov)):
                if inner == b"uuid" and moov[at : at + 16] == _CANON_UUID:
                    canon = moov[at + 16 : at + length]
                    return {
                        name.decode("ascii"): canon[where : where + n]
                        for name, where, n in _boxes(io.BytesIO(canon), 0, len(canon))
                        if name in (b"CMT1", b"CMT2", b"CMT4")
                    }
    return {}


def raf_jpeg(path: Path) -> bytes | None:
    """The full-size JPEG a Fujifilm RAF carries (it holds the camera's EXIF)."""
    with open(path, "rb") as handle:
        header = handle.read(92)
        if len(header) < 92 or not header.startswith(b"FUJIFILMCCD-RAW"):
            return None
        offset, length = struct.unpack(">II", header[84:92])
        if not 0 < length <= _MAX_BLOCK:
            return None
        handle.seek(offset)
        data = handle.read(length)
    return data if data.startswith(b"\xff\xd8") else None


def _boxes(handle: Any, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """ISO-BMFF boxes between ``start`` and ``end``: (type, where the body starts, its size)."""
    at = start
    while at + 8 <= end:
        handle.seek(at)
        header = handle.read(16)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header[:8])
        body = at + 8
        if size == 1 and len(header) == 16:
            size = struct.unpack(">Q", header[8:16])[0]
            body = at + 16
        elif size == 0:
            size = end - at
        if size < body - at or at + size > end:
            return
        yield kind, body, at + size - body
        at += size
