"""Export: writing the static catalogue website (the work is in archive.export.site)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from archive import access
from archive.layout import Layout

if TYPE_CHECKING:
    from archive.export.site import ExportReport


def export(
    layout: Layout,
    dest: Path,
    *,
    theme: Path | None = None,
    base_url: str | None = None,
    collection: str | None = None,
    wait: float = 0.0,
) -> ExportReport:
    """Write the website of the public items into ``dest``, writing only what changed.

    The archive's lock is held while the site is written, so that no ingest or edit
    changes the items or their derivatives half-way through.
    """
    from archive.config import load
    from archive.export.site import export_site  # Jinja2 loads only for an export

    with access.writing(layout, "export", wait=wait) as catalog:
        return export_site(
            layout,
            catalog,
            load(layout),
            Path(dest).absolute(),
            theme=theme,
            base_url=base_url,
            collection=collection,
        )
