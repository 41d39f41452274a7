"""Fingerprints of everything an export reads, so that an unchanged site is not re-rendered."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from archive import __version__
from archive.config import Settings
from archive.export.look import Look
from archive.export.static import static_files
from archive.layout import Layout
from catalog.store import Catalog

# (name, source) of every template a page may use.
TemplateSources = Iterable[tuple[str, str]]


def archive_state(
    layout: Layout,
    catalog: Catalog,
    settings: Settings,
    templates: TemplateSources,
    theme: Path | None,
    base_url: str | None,
    collection: str | None,
    dest: Path,
) -> str:
    """A fingerprint of everything an export reads: the catalogue's generation (every
    change to items and collections bumps it), the derivatives, the settings, the theme and
    its static files, the vocabularies, and the export's own code and options."""
    digest = hashlib.sha256()
    row = catalog.db.execute(
        "SELECT count(*), coalesce(sum(size), 0), coalesce(max(made_at), '') FROM derivatives"
    ).fetchone()
    prints = catalog.db.execute(
        "SELECT group_concat(key || spec || fingerprint || path, ',') FROM "
        "(SELECT key, spec, fingerprint, path FROM derivatives ORDER BY key, spec)"
    ).fetchone()[0]
    digest.update(repr((catalog.generation(), tuple(row), prints)).encode("utf-8"))
    digest.update(repr((settings.specs, settings.site, base_url, collection)).encode("utf-8"))
    digest.update(repr((str(Path(dest).name), str(theme))).encode("utf-8"))
    for folder in (layout.root / "vocabularies", resources.files("catalog") / "vocabularies"):
        if folder.is_dir():
            for entry in sorted(folder.iterdir(), key=lambda e: e.name):
                if entry.name.endswith(".toml"):
                    digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    for planned in static_files(theme):
        digest.update(planned.path.encode() + b"\0" + (planned.data or b""))
    if layout.config.is_file():
        digest.update(layout.config.read_bytes())
    digest.update(code_fingerprint(templates, None, None, None, "").encode())
    return digest.hexdigest()


def code_fingerprint(
    templates: TemplateSources,
    look: Look | None,
    base_url: str | None,
    gallery: str | None,
    folder: str,
) -> str:
    """What every page depends on besides its own values: the templates it may use, the
    export code, the interface words, the site's look and options."""
    digest = hashlib.sha256()
    digest.update(repr((__version__, look, base_url, gallery, folder)).encode("utf-8"))
    for name, source in sorted(templates):
        digest.update(name.encode() + b"\0" + source.encode("utf-8") + b"\0")
    package = resources.files("archive.export")
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()
