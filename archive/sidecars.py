"""Human-written metadata beside the sources: NAME.ext.toml/.yaml and _folder.toml."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from catalog.models import DESCRIPTIVE_FIELDS, LIST_FIELDS

SIDECAR_SUFFIXES = (".toml", ".yaml", ".yml")
FOLDER_FILES = ("_folder.toml", "_folder.yaml", "_folder.yml")
# Files that describe other files (or belong to photo tools) and are never ingested.
NOT_MEDIA_SUFFIXES = SIDECAR_SUFFIXES + (".xmp", ".aae", ".json", ".txt", ".md")

_LANGS = ("en", "ru", "tg", "et")


@dataclass(frozen=True)
class SidecarValues:
    """Descriptive fields from a file's sidecars, merged, with where they came from."""

    fields: dict[str, Any]
    sources: tuple[str, ...]
    digest: str | None
    problems: tuple[str, ...] = ()


class SidecarError(Exception):
    """A sidecar file cannot be read; the message names the file and the reason."""


def sidecars_for(path: Path, source_root: Path) -> list[Path]:
    """The sidecar files that apply to ``path``, weakest first.

    Folder files from the source root down to the file's folder, then the file's own
    sidecar (``IMG_1.jpg.toml``, or ``IMG_1.toml`` beside ``IMG_1.jpg``).
    """
    found: list[Path] = []
    folder = path.parent
    chain = [folder]
    try:
        relative = folder.relative_to(source_root)
        chain = [source_root / Path(*relative.parts[:i]) for i in range(len(relative.parts) + 1)]
    except ValueError:
        pass
    for directory in chain:
        for name in FOLDER_FILES:
            candidate = directory / name
            if candidate.is_file():
                found.append(candidate)
                break
    for suffix in SIDECAR_SUFFIXES:
        for candidate in (
            path.with_name(path.name + suffix),
            path.with_name(path.stem + suffix),
        ):
            if candidate.is_file() and candidate not in found:
                found.append(candidate)
                return found
    return found


def read_sidecars(files: list[Path]) -> SidecarValues:
    """Merge the given sidecars (later ones win) into catalogue field values."""
    merged: dict[str, Any] = {}
    problems: list[str] = []
    digest = hashlib.sha256()
    for file in files:
        raw = file.read_bytes()
        digest.update(str(file).encode("utf-8", "surrogateescape") + b"\0" + raw + b"\0")
        data = _parse(file, raw)
        for key, value in data.items():
            name = key.strip().lower()
            if name not in DESCRIPTIVE_FIELDS:
                known = ", ".join(DESCRIPTIVE_FIELDS)
                problems.append(f"{file.name}: unknown key {key!r} ignored (known: {known})")
                continue
            converted, problem = _convert(name, value)
            if problem:
                problems.append(f"{file.name}: {problem}")
                continue
            merged[name] = converted
    return SidecarValues(
        fields=merged,
        sources=tuple(str(f) for f in files),
        digest=digest.hexdigest() if files else None,
        problems=tuple(problems),
    )


def _parse(file: Path, raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SidecarError(f"{file}: not UTF-8 text ({exc.reason})") from exc
    try:
        if file.suffix == ".toml":
            data = tomllib.loads(text)
        else:
            data = yaml.safe_load(text) or {}
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        reason = str(exc).splitlines()[0]
        raise SidecarError(f"{file}: cannot be read: {reason}") from exc
    if not isinstance(data, dict):
        raise SidecarError(f"{file}: must hold key = value pairs")
    return data


def _convert(name: str, value: Any) -> tuple[Any, str | None]:
    """A sidecar value in the catalogue's form; per-language tables keep every language."""
    if isinstance(value, dict):
        if name in LIST_FIELDS:
            return None, f"{name} takes a list, not a table"
        texts = {str(k): str(v).strip() for k, v in value.items() if str(v).strip()}
        if not texts:
            return None, None
        first = next((texts[lang] for lang in _LANGS if lang in texts), next(iter(texts.values())))
        return {"text": first, "languages": texts}, None
    if name in LIST_FIELDS:
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()], None
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()], None
        return [str(value)], None
    if isinstance(value, list):
        return None, f"{name} takes text, not a list"
    return str(value).strip(), None
