"""`archive bag`: hand items to an institution as a BagIt 1.0 bag with their metadata."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from archive import __version__, access, bagit_files
from archive.config import load
from archive.dublincore import DcRecord, dc_xml_chunks, describe
from archive.errors import ArchiveError, UsageProblem
from archive.formats import with_format_id
from archive.layout import Layout
from archive.premis import premis_chunks
from archive.searching import matching_keys
from archive.storage.cache import local_original
from archive.terms import vocabularies
from catalog.models import Item
from catalog.store import Catalog

# A folder being written is DEST.partial with this file in it; only the last step renames it.
PARTIAL_MARK = ".bag-in-progress"
# Archivematica's CSV import: the filename column, then Dublin Core elements.
ARCHIVEMATICA_COLUMNS = (
    "title",
    "creator",
    "contributor",
    "subject",
    "description",
    "date",
    "type",
    "format",
    "identifier",
    "coverage",
    "language",
    "rights",
    "relation",
)
ITEMS_CSV_COLUMNS = ("key", "sha256", "file", "kind", "mime", "size", "source_files", "title")


@dataclass(frozen=True)
class BagProgress:
    """How far the payload has got: files and bytes placed of the totals."""

    done_files: int
    total_files: int
    done_bytes: int
    total_bytes: int


@dataclass(frozen=True)
class BagReport:
    """The finished bag."""

    path: str
    items: int
    payload_files: int
    payload_bytes: int
    linked: int  # payload files that are hard links to the archive's originals
    verified: bool  # every original was hashed again on the way in
    external_identifier: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "items": self.items,
            "payload_files": self.payload_files,
            "payload_bytes": self.payload_bytes,
            "linked": self.linked,
            "verified": self.verified,
            "external_identifier": self.external_identifier,
        }


class BagIncomplete(ArchiveError):
    """Some originals could not be bagged; no bag was made."""


def bag(
    layout: Layout,
    dest: Path,
    *,
    query: str | None = None,
    public_only: bool = False,
    verify: bool = False,
    copy: bool = False,
    organization: str | None = None,
    progress: Callable[[BagProgress], None] | None = None,
) -> BagReport:
    """Write a BagIt 1.0 bag of the items (all, public ones, or what ``query`` finds).

    The payload is the originals, bit-exact, as hard links where the file system allows
    (``copy`` forces copies), and ``data/items.csv``. The manifest reuses the SHA-256 the
    archive holds; ``verify`` hashes every original again and refuses one that changed.
    The bag is written into ``DEST.partial`` and renamed to ``DEST`` only when complete.
    """
    dest = Path(dest).absolute()
    if dest.exists():
        raise UsageProblem(f"{dest} already exists; a bag is written into a new folder")
    partial = dest.with_name(dest.name + ".partial")
    settings = load(layout)
    terms = vocabularies(layout)
    with access.reading(layout) as catalog:
        keys = None if query is None else matching_keys(layout, catalog, query, locked=False)
        found = catalog.items(public_only=public_only, keys=keys)
        items = [with_format_id(layout, item) for item in found]
        if not items:
            raise ArchiveError("no items to bag (check --query and --public-only)")
        _start(partial)
        try:
            writer = _BagWriter(layout, partial, link=not copy, verify=verify, progress=progress)
            writer.payload(items)
            records = [describe(item, terms) for item in items]
            writer.payload_file("data/items.csv", _items_csv(items, records))
            writer.metadata(catalog, items, records)
            org = organization or settings.site.title
            identifier = writer.finish(org, len(items))
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    # The mark goes last: a rename that fails leaves a folder the next run may clear.
    (partial / PARTIAL_MARK).unlink()
    os.rename(partial, dest)
    return BagReport(
        str(dest),
        len(items),
        len(writer.manifest),
        writer.octets,
        writer.linked,
        verify,
        identifier,
    )


def _start(partial: Path) -> None:
    """An empty DEST.partial; one left by an interrupted bag is cleared, anything else kept."""
    if partial.exists():
        if not (partial / PARTIAL_MARK).is_file():
            raise UsageProblem(
                f"{partial} exists and is not an unfinished bag; move it away or choose "
                "another DEST"
            )
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    (partial / PARTIAL_MARK).write_text("an unfinished bag: not to be used\n", encoding="utf-8")


class _BagWriter:
    """Places payload files, collects the manifest, writes the tag files."""

    def __init__(
        self,
        layout: Layout,
        root: Path,
        *,
        link: bool,
        verify: bool,
        progress: Callable[[BagProgress], None] | None,
    ) -> None:
        self.layout = layout
        self.root = root
        self.link = link
        self.verify = verify
        self.progress = progress
        self.manifest: dict[str, str] = {}  # bag path → sha256
        self.octets = 0
        self.linked = 0

    def payload(self, items: list[Item]) -> None:
        total = sum(item.size for item in items)
        problems: list[str] = []
        done = 0
        for number, item in enumerate(items, start=1):
            problem = self._original(item)
            if problem:
                problems.append(problem)
            done += item.size
            if self.progress:
                self.progress(BagProgress(number, len(items), done, total))
        if problems:
            shown = "; ".join(problems[:5]) + (" …" if len(problems) > 5 else "")
            raise BagIncomplete(
                f"{len(problems)} originals cannot be bagged, so no bag was made: {shown}. "
                "Run `archive check` and restore them from a backup."
            )

    def _original(self, item: Item) -> str | None:
        source = local_original(self.layout, item.original, item.sha256)
        name = f"{item.sha256}{PurePosixPath(item.original).suffix.lower()}"
        path = f"data/originals/{item.sha256[:2]}/{name}"
        try:
            size = source.stat().st_size
        except OSError:
            return f"{item.original} (item {item.key}) is missing"
        if size != item.size:
            return f"{item.original} (item {item.key}) is {size} bytes, not {item.size}"
        target = self.root / path
        if target.exists():  # the same original twice cannot happen; refuse to guess
            return f"{path} would be written twice"
        if bagit_files.place_file(source, target, link=self.link):
            self.linked += 1
        if self.verify and bagit_files.sha256_of(target) != item.sha256:
            return f"{item.original} (item {item.key}) no longer matches its SHA-256"
        self.manifest[path] = item.sha256
        self.octets += item.size
        return None

    def payload_file(self, path: str, data: bytes) -> None:
        self.manifest[path] = bagit_files.write_file(self.root / path, data)
        self.octets += len(data)

    def metadata(self, catalog: Catalog, items: list[Item], records: list[DcRecord]) -> None:
        folder = self.root / "metadata"
        folder.mkdir()
        with open(folder / "dublin-core.xml", "wb") as out:
            out.writelines(dc_xml_chunks(records))
        bagit_files.write_file(folder / "metadata.csv", _archivematica_csv(items, records))
        with open(folder / "items.json", "w", encoding="utf-8") as out:
            _json_list(out, "items", (item.to_dict() for item in items))
        with open(folder / "history.json", "w", encoding="utf-8") as out:
            _json_list(
                out,
                "history",
                (
                    {"key": i.key, "events": [e.to_dict() for e in catalog.events(i.key)]}
                    for i in items
                ),
            )
        with open(folder / "premis.xml", "wb") as out:
            out.writelines(premis_chunks(items, catalog.events))

    def finish(self, organization: str, items: int) -> str:
        """Manifest, bag-info.txt, bagit.txt and the tag manifest; returns the identifier."""
        lines = [bagit_files.manifest_line(self.manifest[p], p) for p in sorted(self.manifest)]
        manifest = "".join(lines).encode("utf-8")
        bagit_files.write_file(self.root / "manifest-sha256.txt", manifest)
        today = datetime.now(UTC).date().isoformat()
        identifier = f"pamir-craft-archive-{today}-{bagit_files.sha256_bytes(manifest)[:12]}"
        info = [
            ("Source-Organization", organization),
            ("Bagging-Date", today),
            ("Payload-Oxum", bagit_files.payload_oxum(self.octets, len(self.manifest))),
            ("Bag-Size", bagit_files.human_size(self.octets)),
            ("External-Identifier", identifier),
            (
                "External-Description",
                f"{items} items of a Pamir Craft Archive: originals, "
                "Dublin Core, the archive's records and history, PREMIS events",
            ),
            ("BagIt-Profile-Identifier", bagit_files.PROFILE_ID),
            ("Bag-Software-Agent", f"pamir-craft-archive {__version__}"),
        ]
        bagit_files.write_file(self.root / "bag-info.txt", bagit_files.bag_info(info))
        bagit_files.write_file(self.root / "bagit.txt", bagit_files.bagit_txt())
        tags = [
            bagit_files.manifest_line(bagit_files.sha256_of(self.root / rel), rel)
            for rel in bagit_files.tag_files(self.root)
            if rel != PARTIAL_MARK
        ]
        bagit_files.write_file(self.root / "tagmanifest-sha256.txt", "".join(tags).encode())
        return identifier


def _json_list(out: Any, name: str, values: Any) -> None:
    """``{"name": [ … ]}`` written a value at a time."""
    out.write(f'{{\n  "{name}": [')
    for number, value in enumerate(values):
        out.write(("\n    " if number == 0 else ",\n    ") + json.dumps(value, ensure_ascii=False))
    out.write("\n  ]\n}\n")


def _items_csv(items: list[Item], records: list[DcRecord]) -> bytes:
    """data/items.csv: which original is which item, and the names it had in the sources."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ITEMS_CSV_COLUMNS)
    for item, record in zip(items, records, strict=True):
        suffix = PurePosixPath(item.original).suffix.lower()
        writer.writerow(
            [
                item.key,
                item.sha256,
                f"originals/{item.sha256[:2]}/{item.sha256}{suffix}",
                item.kind,
                item.mime,
                item.size,
                "; ".join(PurePosixPath(p).name for p in item.source_paths),
                record.first("title") or "",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _archivematica_csv(items: list[Item], records: list[DcRecord]) -> bytes:
    """metadata/metadata.csv: Archivematica's ``filename`` and ``dc.*`` columns, a row per
    original (several values of one element joined by "; ")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["filename", *(f"dc.{name}" for name in ARCHIVEMATICA_COLUMNS)])
    for item, record in zip(items, records, strict=True):
        suffix = PurePosixPath(item.original).suffix.lower()
        row = [f"data/originals/{item.sha256[:2]}/{item.sha256}{suffix}"]
        for name in ARCHIVEMATICA_COLUMNS:
            values = record.of(name)
            if name in ("title", "description"):
                row.append(record.first(name) or "")
            else:
                english = [v.value for v in values if v.lang in (None, "en")]
                row.append("; ".join(dict.fromkeys(english or [v.value for v in values])))
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")
