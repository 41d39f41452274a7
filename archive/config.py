"""Settings read from archive.toml, checked, as frozen values."""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from archive.errors import ConfigError
from archive.layout import Layout
from media.derivatives import DEFAULT_SPECS, Spec
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
        if values.get("role") not in ("image", "poster", "video"):
            raise ConfigError(f"[derivatives.{name}] role must be image, poster or video")
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
