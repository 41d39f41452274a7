"""The tag files of a BagIt 1.0 bag (RFC 8493): bagit.txt, manifests, bag-info.txt."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

BAGIT_VERSION = "1.0"
# The profile this archive's bags follow; its text is docs/bagit-profile.json.
PROFILE_ID = "urn:pamir-craft-archive:bagit-profile:1.0"
CHUNK = 1024 * 1024


def bagit_txt() -> bytes:
    return f"BagIt-Version: {BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n".encode()


def encode_path(path: str) -> str:
    """A manifest path: CR, LF and % percent-encoded, as RFC 8493 section 2.1.3 asks."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def manifest_line(sha256: str, path: str) -> str:
    return f"{sha256}  {encode_path(path)}\n"


def bag_info(fields: Iterable[tuple[str, str]]) -> bytes:
    """bag-info.txt: ``Label: value`` lines; a value never spans lines."""
    lines = []
    for label, value in fields:
        flat = " ".join(str(value).split())
        lines.append(f"{label}: {flat}\n")
    return "".join(lines).encode("utf-8")


def payload_oxum(octets: int, files: int) -> str:
    return f"{octets}.{files}"


def human_size(octets: int) -> str:
    """Bag-Size as people read it: ``3.2 MB``."""
    size = float(octets)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{octets} bytes"  # pragma: no cover - the loop always returns


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_file(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path`` (making its folder) and return its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def place_file(source: Path, target: Path, *, link: bool) -> bool:
    """Put ``source`` at ``target``: a hard link where allowed (and wanted), else a streamed
    copy. Returns whether it is a link."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if link:
        try:
            os.link(source, target)
            return True
        except OSError:
            pass  # another file system, or one without hard links: copy
    with open(source, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk)
    return False


def tag_files(root: Path) -> list[str]:
    """Every file outside data/ but the tag manifests, as bag-relative POSIX paths."""
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel.startswith("data/") or rel.startswith("tagmanifest-"):
            continue
        found.append(rel)
    return found
