"""Settings read from archive.toml, checked, as frozen values."""

from __future__ import annotations

import json
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from archive.errors import ConfigError
from archive.layout import LAYOUT_VERSION, Layout
from archive.storage.settings import StorageSettings, storage_settings
from media.derivatives import DEFAULT_SPECS, Role, Spec
from media.video import Limits

# [media] setting, the environment variable that overrides it, and the Limits field it sets.
LIMIT_SETTINGS = (
    ("probe_timeout", "PAMIR_PROBE_TIMEOUT", "probe"),
    ("transcode_timeout", "PAMIR_TRANSCODE_TIMEOUT", "transcode"),
)


@dataclass(frozen=True)
class SiteSettings:
    title: str = "Pamir Craft Archive"
    languages: tuple[str, ...] = ("en", "ru", "tg")
    about: str = ""


@dataclass(frozen=True)
class Settings:
    specs: tuple[Spec, ...]
    site: SiteSettings
    ignore: tuple[str, ...]
    raw: dict[str, Any]
    limits: Limits = Limits()
    storage: StorageSettings = StorageSettings()


# The settings archive.toml shows for a spec of each role; the others keep Spec's defaults.
_SHOWN: dict[Role, tuple[str, ...]] = {
    Role.IMAGE: ("max_size", "quality"),
    Role.POSTER: ("max_size", "quality", "position"),
    Role.VIDEO: ("max_height", "crf", "preset", "audio_bitrate"),
}


def _toml(value: Any) -> str:
    """A string, number or list of strings as a TOML value (JSON's form of these is TOML's)."""
    return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)


def _spec_toml(spec: Spec) -> str:
    lines = [f"[derivatives.{spec.name}]"]
    for name in ("role", "kinds", *_SHOWN[spec.role]):
        lines.append(f"{name} = {_toml(getattr(spec, name))}")
    return "\n".join(lines) + "\n"


# What a new archive's archive.toml says: the defaults above, written out for people to edit.
DEFAULT_TOML = f"""\
# Pamir Craft Archive settings. Lines starting with # are comments.
layout_version = {LAYOUT_VERSION}

[site]
title = {_toml(SiteSettings.title)}
languages = {_toml(SiteSettings.languages)}

[ingest]
# Glob patterns of names to leave out, besides hidden files.
ignore = ["Thumbs.db", "*.tmp", "*.part"]

[media]
# How long, in seconds, ffprobe may read one video (and ffmpeg take each still frame)
# before the file is given up as failed. PAMIR_PROBE_TIMEOUT overrides it.
# probe_timeout = 60
# How long ffmpeg may make one web preview. Unset, it is 300 s plus 10 s per second of
# video (an hour when the video does not say how long it is). PAMIR_TRANSCODE_TIMEOUT
# overrides it.
# transcode_timeout = 1800

# Derivative specs. Changing a value re-makes that derivative at the next
# ingest or `archive rebuild --derivatives`.
""" + "\n".join(_spec_toml(spec) for spec in DEFAULT_SPECS)


def load(layout: Layout, environ: Mapping[str, str] | None = None) -> Settings:
    """Read archive.toml; a missing file gives the defaults. The environment (``environ``,
    else ``os.environ``) may override the time limits of [media]."""
    data: dict[str, Any] = {}
    if layout.config.exists():
        try:
            data = tomllib.loads(layout.config.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{layout.config} is not valid TOML: {exc}") from exc
    return Settings(
        specs=_specs(data.get("derivatives")),
        site=_site(data.get("site") or {}),
        ignore=tuple(str(p) for p in (data.get("ingest") or {}).get("ignore", [])),
        raw=data,
        limits=_limits(data.get("media", {}), os.environ if environ is None else environ),
        storage=storage_settings(data.get("storage", {})),
    )


def limit_hint(limit: str) -> str:
    """What raises the time limit named ``limit`` (``probe`` or ``transcode``)."""
    for key, variable, name in LIMIT_SETTINGS:
        if name == limit:
            return f"raise [media] {key} or {variable}"
    return "raise the time limits in [media]"


def _limits(table: Any, environ: Mapping[str, str]) -> Limits:
    if not isinstance(table, dict):
        raise ConfigError("[media] in archive.toml must be a table")
    unknown = set(table) - {key for key, _, _ in LIMIT_SETTINGS}
    if unknown:
        raise ConfigError(f"[media] has unknown settings: {', '.join(sorted(unknown))}")
    values: dict[str, float] = {}
    for key, variable, name in LIMIT_SETTINGS:
        if environ.get(variable, "").strip():
            values[name] = _seconds(environ[variable].strip(), variable)
        elif key in table:
            values[name] = _seconds(table[key], f"[media] {key} in archive.toml")
    return Limits(**values)


def _seconds(value: Any, where: str) -> float:
    number = math.nan
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            pass
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    if not 0 < number < math.inf:  # NaN fails too
        raise ConfigError(f"{where} must be a number of seconds above 0, not {value!r}")
    return number


def _specs(table: Any) -> tuple[Spec, ...]:
    if not table:
        return DEFAULT_SPECS
    if not isinstance(table, dict):
        raise ConfigError("[derivatives] in archive.toml must be a table of specs")
    allowed = {f.name for f in fields(Spec)} - {"name"}
    specs = []
    for name, values in table.items():
        if not isinstance(values, dict):
            raise ConfigError(f"[derivatives.{name}] must be a table")
        unknown = set(values) - allowed
        if unknown:
            raise ConfigError(
                f"[derivatives.{name}] has unknown settings: {', '.join(sorted(unknown))}"
            )
        values = dict(values)
        if "kinds" in values:
            values["kinds"] = tuple(values["kinds"])
        roles = [role.value for role in Role]
        if values.get("role") not in roles:
            raise ConfigError(
                f"[derivatives.{name}] role must be {', '.join(roles[:-1])} or {roles[-1]}"
            )
        values["role"] = Role(values["role"])
        try:
            specs.append(Spec(name=name, **values))
        except TypeError as exc:
            raise ConfigError(f"[derivatives.{name}]: {exc}") from exc
    names = {s.name for s in specs}
    for required in ("thumb",):
        if required not in names:
            raise ConfigError(f"archive.toml must keep a [derivatives.{required}] spec")
    return tuple(specs)


def _site(table: dict[str, Any]) -> SiteSettings:
    return SiteSettings(
        title=str(table.get("title") or SiteSettings.title),
        languages=tuple(table.get("languages") or SiteSettings.languages),
        about=str(table.get("about") or ""),
    )
