"""Human-written metadata beside the sources: NAME.ext.toml/.yaml and _folder.toml."""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from catalog.models import DESCRIPTIVE_FIELDS, LIST_FIELDS, PER_LANGUAGE_FIELDS, TEXT_LANGUAGES
from catalog.textlang import detect
from media.embedded import TextMeta, read_xmp_file

SIDECAR_SUFFIXES = (".toml", ".yaml", ".yml")
FOLDER_FILES = ("_folder.toml", "_folder.yaml", "_folder.yml")
# Files that describe other files (or belong to photo tools) and are never ingested.
NOT_MEDIA_SUFFIXES = SIDECAR_SUFFIXES + (".xmp", ".aae", ".json", ".txt", ".md")

XMP_SUFFIX = ".xmp"
# Top levels of hierarchical keywords (digiKam, Lightroom) that name one of our fields.
_TAG_ROOTS = {
    "technique": "technique",
    "material": "material",
    "object type": "object_type",
    "object": "object_type",
    "process step": "process_step",
    "step": "process_step",
    "place": "place",
    "places": "place",
    "collection": "collections",
    "collections": "collections",
    "event": "event",
}


@dataclass(frozen=True)
class Refused:
    """A key or value of a sidecar that was not taken, and why."""

    field: str
    value: str
    reason: str
    via: str
    file: str


@dataclass(frozen=True)
class SidecarValues:
    """Descriptive fields from a file's sidecars, merged, with where they came from."""

    fields: dict[str, Any]
    sources: tuple[str, ...]
    digest: str | None
    problems: tuple[str, ...] = ()
    via: dict[str, str] = field(default_factory=dict)  # field → "sidecar" or "xmp-sidecar"
    files: dict[str, str] = field(default_factory=dict)  # field → the file that gave it
    refused: tuple[Refused, ...] = ()


class SidecarError(Exception):
    """A sidecar file cannot be read; the message names the file and the reason."""


def sidecars_for(path: Path, source_root: Path) -> list[Path]:
    """The sidecar files that apply to ``path``, weakest first.

    An XMP sidecar written by digiKam or Lightroom (``IMG_1.jpg.xmp`` or ``IMG_1.xmp``), then
    folder files from the source root down to the file's folder, then the file's own
    sidecar (``IMG_1.jpg.toml``, or ``IMG_1.toml`` beside ``IMG_1.jpg``).
    """
    found: list[Path] = []
    for candidate in (
        path.with_name(path.name + XMP_SUFFIX),
        path.with_name(path.stem + XMP_SUFFIX),
        path.with_name(path.stem + XMP_SUFFIX.upper()),
    ):
        if _is_file(candidate):
            found.append(candidate)
            break
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
            if _is_file(candidate) and candidate not in found:
                found.append(candidate)
                return found
    return found


def _is_file(path: Path) -> bool:
    """Like Path.is_file, but a name too long for the file system has no sidecar either."""
    try:
        return path.is_file()
    except OSError:
        return False


def read_sidecars(files: list[Path]) -> SidecarValues:
    """Merge the given sidecars (later ones win) into catalogue field values."""
    merged: dict[str, Any] = {}
    via: dict[str, str] = {}
    origin: dict[str, str] = {}
    refused: list[Refused] = []
    digest = hashlib.sha256()
    for file in files:
        raw = file.read_bytes()
        digest.update(str(file).encode("utf-8", "surrogateescape") + b"\0" + raw + b"\0")
        if file.suffix.lower() == XMP_SUFFIX:
            for name, value in fields_from_meta(read_xmp_file(file)).items():
                merged[name] = value
                via[name] = "xmp-sidecar"
                origin[name] = str(file)
            continue
        data = _parse(file, raw)
        for key, value in data.items():
            name = key.strip().lower()
            if name not in DESCRIPTIVE_FIELDS:
                known = ", ".join(DESCRIPTIVE_FIELDS)
                reason = f"unknown key {key!r} ignored (known: {known})"
                refused.append(Refused(key, _shown(value), reason, "sidecar", str(file)))
                continue
            converted, problem = _convert(name, value)
            if problem:
                refused.append(Refused(name, _shown(value), problem, "sidecar", str(file)))
                continue
            merged[name] = converted
            via[name] = "sidecar"
            origin[name] = str(file)
    return SidecarValues(
        fields=merged,
        sources=tuple(str(f) for f in files),
        digest=digest.hexdigest() if files else None,
        problems=tuple(f"{Path(r.file).name}: {r.reason}" for r in refused),
        via=via,
        files=origin,
        refused=tuple(refused),
    )


def _shown(value: Any) -> str:
    """A sidecar value as text, to keep and show when it is not taken."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def fields_from_meta(meta: TextMeta) -> dict[str, Any]:
    """Embedded or XMP-sidecar metadata as catalogue field values.

    Titles and descriptions keep each language the file gives (``x-default`` is told from
    its script); hierarchical keywords under Technique, Material, Place, … fill that field;
    the city (else the location) is the place; the creator is the photographer.
    """
    found: dict[str, Any] = {}
    for name, plain, entries in (
        ("title", meta.title or meta.headline, meta.titles),
        ("description", meta.description, meta.descriptions),
    ):
        texts: dict[str, str] = {}
        for lang, text in entries:
            code = lang.split("-")[0].lower()
            if code in TEXT_LANGUAGES:
                texts.setdefault(code, text)
        if plain and plain not in texts.values():
            texts.setdefault(detect(plain), plain)
        if texts:
            found[name] = texts
    keywords = list(meta.keywords)
    for tag in meta.hierarchical:
        levels = [level.strip() for level in tag.split("|") if level.strip()]
        if not levels:
            continue
        target = _TAG_ROOTS.get(levels[0].lower()) if len(levels) > 1 else None
        if target in ("place", "event"):
            found[target] = levels[-1]
        elif target:
            found.setdefault(target, []).append(levels[-1])
        elif levels[-1] not in keywords:
            keywords.append(levels[-1])
    vocabulary_leaves = {v for k, v in found.items() if isinstance(v, list) for v in v}
    keywords = [k for k in keywords if k not in vocabulary_leaves]
    if keywords:
        found["keywords"] = keywords
    if "place" not in found and (meta.city or meta.location):
        found["place"] = meta.city or meta.location
    if meta.creator:
        found["photographer"] = "; ".join(meta.creator)
    return found


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
        if name == "consent":
            return {str(k): v for k, v in value.items()}, None
        if name not in PER_LANGUAGE_FIELDS:
            return None, f"{name} takes {'a list' if name in LIST_FIELDS else 'text'}, not a table"
        texts = {str(k).lower(): str(v).strip() for k, v in value.items() if str(v).strip()}
        unknown = sorted(set(texts) - set(TEXT_LANGUAGES))
        if unknown:
            return None, f"{name}: languages are {', '.join(TEXT_LANGUAGES)}, not {unknown}"
        return (texts or None), None
    if name in LIST_FIELDS:
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()], None
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()], None
        return [str(value)], None
    if isinstance(value, list):
        return None, f"{name} takes text, not a list"
    return str(value).strip(), None
