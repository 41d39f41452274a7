"""`archive metadata export --format dc-xml|omeka-csv`: Dublin Core for catalogues and Omeka S."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from archive import access
from archive.config import load
from archive.dublincore import DcRecord, dc_xml_chunks, describe
from archive.errors import ArchiveError, UsageProblem
from archive.export.published import item_media
from archive.layout import Layout
from archive.metadata import SheetWritten
from archive.metadata import export as sheet_export
from archive.searching import matching_keys
from archive.storage.derivatives import DerivativeFiles
from archive.terms import vocabularies
from catalog.models import TEXT_LANGUAGES, Item


class Format(StrEnum):
    SHEET = "sheet"  # the editable spreadsheet (.xlsx or .csv): archive/metadata.py
    DC_XML = "dc-xml"
    OMEKA_CSV = "omeka-csv"


# Omeka S columns, in this order; each DCMI term may repeat (one value per column) and is
# followed by columns for its values in other languages ("dcterms:title @ru").
OMEKA_TERMS = (
    "identifier",
    "title",
    "description",
    "creator",
    "contributor",
    "subject",
    "type",
    "format",
    "date",
    "spatial",
    "temporal",
    "language",
    "rights",
    "isPartOf",
)
MEDIA_COLUMN = "Media URL"


@dataclass(frozen=True)
class RecordsWritten:
    """Where the records went, how many, and in which format."""

    path: str
    rows: int
    format: str
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rows": self.rows,
            "format": self.format,
            "warnings": list(self.warnings),
        }


def export_as(
    layout: Layout,
    path: Path,
    format: str = Format.SHEET,
    *,
    query: str | None = None,
    everything: bool = False,
    base_url: str | None = None,
) -> SheetWritten | RecordsWritten:
    """Write the items' metadata in ``format``.

    The spreadsheet has every item (or those ``query`` finds), as it always had. Dublin
    Core XML and Omeka S CSV are for publishing: public items only unless ``everything``,
    and never a GPS position or camera. ``base_url`` is where the exported site is
    published: item pages become identifiers, and Omeka S gets media URLs to fetch.
    """
    chosen = Format(format)
    if chosen is Format.SHEET:
        if everything or base_url:
            raise UsageProblem(
                "--all and --base-url are for --format dc-xml or omeka-csv; "
                "the spreadsheet always lists every item"
            )
        return sheet_export(layout, path, query=query)
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise UsageProblem(f"--base-url {base_url!r} must start with http:// or https://")
    terms = vocabularies(layout)
    settings = load(layout)
    specs = {s.name: s for s in settings.specs}
    warnings: list[str] = []
    with access.reading(layout) as catalog:
        keys = None if query is None else matching_keys(layout, catalog, query, locked=False)
        items = catalog.items(public_only=not everything, keys=keys)
        derivatives = catalog.all_derivatives() if chosen is Format.OMEKA_CSV else {}
    if not everything:
        items = [i for i in items if i.is_public]  # never rely on one check
    records = [describe(i, terms, url=_page(base_url, i)) for i in items]
    if chosen is Format.DC_XML:
        _write(path, dc_xml_chunks(records))
    else:
        media = {}
        if base_url is None:
            warnings.append("no --base-url: the CSV has no media URLs for Omeka S to fetch")
        else:
            files = DerivativeFiles(layout, settings)  # URLs only: nothing is downloaded
            for item in items:
                found = item_media(
                    layout, item, derivatives.get(item.key, {}), specs, warnings, files, fetch=False
                )
                chosen_media = found.video or found.image
                if chosen_media is not None:
                    media[item.key] = base_url.rstrip("/") + "/" + chosen_media.url
        _write(path, [_omeka_csv(records, media)])
    return RecordsWritten(str(path), len(records), chosen.value, tuple(warnings))


def _page(base_url: str | None, item: Item) -> str | None:
    """The item's page on the published site (in the site's first language)."""
    return f"{base_url.rstrip('/')}/items/{item.key}/" if base_url else None


def _omeka_csv(records: list[DcRecord], media: dict[str, str]) -> bytes:
    """One row per item; a column per value, headed by its DCMI term (and language)."""
    columns: dict[str, int] = {}  # header → how many columns it needs
    cells: list[dict[str, list[str]]] = []
    for record in records:
        row: dict[str, list[str]] = {}
        for value in record.values:
            header = _header(value.term, value.lang)
            row.setdefault(header, []).append(value.value)
        for header, values in row.items():
            columns[header] = max(columns.get(header, 0), len(values))
        cells.append(row)
    headers = sorted(columns, key=_order)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([h for h in headers for _ in range(columns[h])] + [MEDIA_COLUMN])
    for record, row in zip(records, cells, strict=True):
        line: list[str] = []
        for header in headers:
            values = row.get(header, [])
            line += values + [""] * (columns[header] - len(values))
        writer.writerow(line + [media.get(record.key, "")])
    return buffer.getvalue().encode("utf-8")


def _header(term: str, lang: str | None) -> str:
    name = "date" if term == "created" else "isPartOf" if term == "relation" else term
    return f"dcterms:{name}" + (f" @{lang}" if lang and lang != "en" else "")


def _order(header: str) -> tuple[int, int, str]:
    term, _, lang = header.removeprefix("dcterms:").partition(" @")
    languages = ("", *TEXT_LANGUAGES)
    return (
        OMEKA_TERMS.index(term) if term in OMEKA_TERMS else len(OMEKA_TERMS),
        languages.index(lang) if lang in languages else len(languages),
        lang,
    )


def _write(path: Path, chunks: Iterable[bytes]) -> None:
    """Write through a temporary file, so a failed run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.writelines(chunks)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ArchiveError(f"{path} cannot be written: {exc.strerror or exc}") from exc
