"""The theme's static files (styles, scripts, images) over the default, and vendored Mirador."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from archive.export.sync import Planned, is_safe_relative


def static_files(theme: Path | None) -> list[Planned]:
    """The theme's static files under static/: the user's theme first, the default second."""
    found: dict[str, bytes] = {}
    default = resources.files("archive.export").joinpath("themes", "default", "static")
    _walk(default, "", found)
    if theme is not None and (Path(theme) / "static").is_dir():
        _walk(Path(theme) / "static", "", found)
    return [Planned(f"static/{rel}", data=data) for rel, data in sorted(found.items())]


def mirador_files() -> list[Planned]:
    """Mirador (Apache-2.0), vendored from npm: the deep-zoom viewer and its licence."""
    folder = resources.files("archive.export").joinpath("vendor", "mirador")
    return [
        Planned(f"static/mirador/{name}", data=folder.joinpath(name).read_bytes())
        for name in ("mirador.min.js", "LICENSE")
    ]


def _walk(folder: Traversable | Path, prefix: str, found: dict[str, bytes]) -> None:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        rel = f"{prefix}{entry.name}"
        if entry.is_dir():
            _walk(entry, rel + "/", found)
        elif entry.is_file() and is_safe_relative(rel):
            found[rel] = entry.read_bytes()
