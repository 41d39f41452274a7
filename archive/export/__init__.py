"""Export: writing the static catalogue website (the work is in archive.export.site)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive import access
from archive.layout import Layout

if TYPE_CHECKING:
    from archive.export.site import ExportReport
    from archive.storage.publish import PublishReport


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


def publish_site(
    layout: Layout, location: str, **options: Any
) -> tuple[ExportReport, PublishReport]:
    """Export the site into a staging folder of the archive, then upload to the bucket at
    ``location`` only the files that changed since the last publish there."""
    from archive.config import load
    from archive.storage import check_location, open_store
    from archive.storage.publish import publish, staging_folder

    location = check_location(location)
    report = export(layout, staging_folder(layout.root, location), **options)
    store = open_store(load(layout).storage.config(location))
    return report, publish(staging_folder(layout.root, location), store)
