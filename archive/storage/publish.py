"""Publishing an exported site folder to a bucket: only what changed, typed and cached."""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from archive.errors import ArchiveError
from archive.storage import Store
from media.hashing import sha256_file

STATE = "published.json"  # beside the staging folder: what the bucket holds, by path
EXPORT_MANIFEST = ".pamir-export.json"
SAVE_EVERY = 50  # uploads between saves of the state (an interrupted publish resumes)
# Pages and data change with every export: a browser asks again; media keeps a day.
PAGES = {".html", ".json", ".xml", ".txt", ".js", ".css", ".webmanifest", ".rss", ".atom"}
TYPES = {
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".js": "text/javascript",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".mp4": "video/mp4",
    ".vtt": "text/vtt",
    ".xml": "application/xml",
}


@dataclass(frozen=True)
class PublishReport:
    location: str
    uploaded: tuple[str, ...]
    unchanged: int
    deleted: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "uploaded": list(self.uploaded),
            "unchanged": self.unchanged,
            "deleted": list(self.deleted),
        }


def staging_folder(root: Path, location: str) -> Path:
    """Where the site for ``location`` is exported before it is published."""
    return root / "cache" / "site" / hashlib.sha256(location.encode()).hexdigest()[:16] / "files"


def content_type(path: str) -> str:
    suffix = PurePosixPath(path).suffix.lower()
    found = TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{found}; charset=utf-8" if found.startswith("text/") or suffix in PAGES else found


def cache_control(path: str) -> str:
    if PurePosixPath(path).suffix.lower() in PAGES:
        return "public, max-age=0, must-revalidate"
    return "public, max-age=86400"


def publish(staging: Path, store: Store) -> PublishReport:
    """Upload the files of the export in ``staging`` that the bucket does not hold yet (or
    holds older), delete the ones the export no longer has."""
    try:
        files = json.loads((staging / EXPORT_MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError) as exc:
        raise ArchiveError(f"{staging} holds no complete export to publish ({exc})") from exc
    state = _load(staging.parent / STATE, store.location)
    uploaded: list[str] = []
    unchanged = 0
    for path in files:
        source = staging / path
        stat = source.stat()
        record = state.get(path)
        if record and record[:2] == [stat.st_size, stat.st_mtime_ns]:
            unchanged += 1
            continue
        digest = sha256_file(source)
        if not (record and record[2] == digest):
            store.put(path, source, content_type=content_type(path), cache=cache_control(path))
            uploaded.append(path)
        else:
            unchanged += 1
        state[path] = [stat.st_size, stat.st_mtime_ns, digest]
        if len(uploaded) % SAVE_EVERY == 0:
            _save(staging.parent / STATE, store.location, state)
    deleted = sorted(set(state) - set(files))
    for path in deleted:
        store.delete(path)
        del state[path]
    _save(staging.parent / STATE, store.location, state)
    return PublishReport(store.location, tuple(uploaded), unchanged, tuple(deleted))


def _load(path: Path, location: str) -> dict[str, list[Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("location") != location or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def _save(path: Path, location: str, state: dict[str, list[Any]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"location": location, "files": state}), encoding="utf-8")
    os.replace(tmp, path)
