"""The archive folder's layout version: refuse newer archives, move older ones forward."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archive.errors import ConfigError, LayoutTooNew, LayoutTooOld
from archive.layout import LAYOUT_VERSION, Layout

_LINE = re.compile(r"(?m)^layout_version\s*=.*$")


def read_version(layout: Layout) -> int:
    """The layout version archive.toml declares; 0 for an archive from before the key."""
    try:
        data = tomllib.loads(layout.config.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{layout.config} cannot be read: {exc}") from exc
    value = data.get("layout_version", 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"{layout.config}: layout_version must be a whole number, not {value!r}")
    return value


def require_current(layout: Layout) -> None:
    """Raise unless this program can work on the archive's layout as it is."""
    version = read_version(layout)
    if version > LAYOUT_VERSION:
        raise LayoutTooNew(
            f"{layout.root} was written by a newer version of Pamir Craft Archive (layout "
            f"{version}; this one knows layouts up to {LAYOUT_VERSION}); update the program "
            "(pip install --upgrade pamir-craft-archive) before using this archive"
        )
    if version < LAYOUT_VERSION:
        raise LayoutTooOld(
            f"{layout.root} has the older layout {version} (this program uses "
            f"{LAYOUT_VERSION}); run `archive -a {layout.root} upgrade` to move it forward"
        )


@dataclass(frozen=True)
class UpgradeReport:
    """Which layout the archive had and has now."""

    archive: str
    before: int
    after: int

    def to_dict(self) -> dict[str, Any]:
        return {"archive": self.archive, "before": self.before, "after": self.after}


def _to_1(layout: Layout) -> None:
    """Layout 0 → 1: the folders every command expects, and the version written down."""
    for folder in (layout.originals, layout.derivatives, layout.runs, layout.index):
        folder.mkdir(exist_ok=True)


# Each step moves an archive from the version it is keyed by to the next one.
STEPS: dict[int, Callable[[Layout], None]] = {0: _to_1}


def upgrade_steps(layout: Layout, version: int) -> int:
    """Run the steps from ``version`` to the current layout (the caller holds the lock)."""
    while version < LAYOUT_VERSION:
        STEPS[version](layout)
        version += 1
        write_version(layout, version)
    return version


def write_version(layout: Layout, version: int) -> None:
    """Set layout_version in archive.toml, keeping every other line and comment."""
    text = layout.config.read_text(encoding="utf-8")
    line = f"layout_version = {version}"
    if _LINE.search(text):
        text = _LINE.sub(line, text, count=1)
    else:
        lines = text.splitlines(keepends=True)
        at = next((n for n, x in enumerate(lines) if not x.lstrip().startswith("#")), len(lines))
        lines.insert(at, line + "\n")
        text = "".join(lines)
    tmp = layout.config.with_name(f".{layout.config.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, layout.config)
