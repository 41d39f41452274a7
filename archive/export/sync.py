"""Bring a site folder in line with the planned files, touching only the files it owns.

The folder's manifest (``.pamir-export.json``) lists the files an export wrote. A file is
written only when its bytes differ from what is on disk (through a temporary file and an
atomic rename); a file the manifest lists that is no longer planned is deleted; nothing the
manifest does not list is ever deleted. Media are hard-linked from the archive where the
file system allows it (copied otherwise), so a site on the same disk costs no space; a
linked file is always replaced, never written in place, so the archive's copy stays intact.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from archive.errors import ArchiveError

MANIFEST = ".pamir-export.json"
MANIFEST_FORMAT = 1
# What mkstemp makes in _replace: ".<name>.<8 random characters>.tmp".
_TEMPORARY = re.compile(r"\.(.+)\.[A-Za-z0-9_]{8}\.tmp")


@dataclass(frozen=True)
class Planned:
    """One file of the site: its site-relative POSIX path and its bytes, a source file, or
    a function that renders the bytes.

    A rendered file carries the fingerprint of everything it is made from; when the last
    export recorded the same fingerprint and the file is still there, it is not rendered
    again (a second export of an unchanged archive then costs a stat per page).
    """

    path: str
    data: bytes | None = None
    source: Path | None = None  # a file to hard-link or copy
    render: Callable[[], bytes] | None = field(default=None, compare=False)
    fingerprint: str | None = None


@dataclass(frozen=True)
class SyncReport:
    """What bringing the folder in line did, by site-relative path."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    warnings: tuple[str, ...]


def is_safe_relative(path: str) -> bool:
    """True for a plain relative POSIX path that cannot leave the folder it is joined to."""
    if not path or "\\" in path or "\x00" in path:
        return False
    pure = PurePosixPath(path)
    if pure.is_absolute():
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


class SiteFolder:
    """The export's destination folder; refuses a non-empty folder it did not make."""

    def __init__(self, dest: Path) -> None:
        self.dest = Path(dest)
        self.manifest = self.dest / MANIFEST
        self.owned: set[str] = set()
        self.complete = True
        self.fingerprints: dict[str, str] = {}
        self.state: str | None = None  # the archive state the last complete export was of
        self.items = 0
        self._claimed: list[str] | None = None  # files to claim before the first write
        self._parents: dict[Path, bool] = {}
        self._warnings: list[str] = []
        self._check()

    def _check(self) -> None:
        if self.dest.exists() and not self.dest.is_dir():
            raise ArchiveError(f"{self.dest} is a file; give a folder to export the site into")
        if not self.dest.exists():
            return
        if self.manifest.is_file():
            self._load_manifest()
            return
        # Hidden entries (.git, .DS_Store) do not count: a site can live in a git checkout.
        foreign = sorted(p.name for p in self.dest.iterdir() if not p.name.startswith("."))
        if foreign:
            shown = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
            raise ArchiveError(
                f"{self.dest} is not empty ({shown}) and holds no earlier export "
                f"(no {MANIFEST}); export into a new or empty folder"
            )

    def _load_manifest(self) -> None:
        try:
            data = json.loads(self.manifest.read_text(encoding="utf-8"))
            files = data["files"]
            if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
                raise ValueError("'files' is not a list of paths")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ArchiveError(
                f"{self.manifest} cannot be read ({exc}); export into a new folder, "
                "or delete the old site folder first"
            ) from exc
        for name in files:
            if is_safe_relative(name) and name != MANIFEST:
                self.owned.add(name)
            else:
                self._warnings.append(
                    f"{MANIFEST} lists {name!r}, which is not a site path; left alone"
                )
        self.complete = bool(data.get("complete", False))
        prints = data.get("fingerprints")
        if self.complete and isinstance(data.get("state"), str):
            self.state = data["state"]
            self.items = int(data.get("items") or 0)
        if self.complete and isinstance(prints, dict):
            self.fingerprints = {
                k: v for k, v in prints.items() if isinstance(k, str) and isinstance(v, str)
            }

    def is_current(self, state: str) -> bool:
        """True when the last export finished, was made from ``state``, and every file it
        wrote is still in place."""
        if not (self.complete and self.state == state and self.owned) or self._warnings:
            return False  # an odd manifest is worth a full look (and its warnings)
        if self._manifest_temporaries():
            return False  # a killed export left one: apply removes it
        return all(os.path.isfile(self.dest / path) for path in self.owned)

    def _manifest_temporaries(self) -> list[Path]:
        """Half-written manifests: the one file a killed export can leave beside a manifest
        that still says the site is complete (every other write comes after one that says
        it is not)."""
        try:
            found = self.dest.glob(f".{MANIFEST}.*.tmp")
            return [p for p in found if _TEMPORARY.fullmatch(p.name)]
        except OSError:
            return []

    # -- applying a plan -------------------------------------------------------
    def apply(
        self, planned: list[Planned], *, state: str | None = None, items: int = 0
    ) -> SyncReport:
        """Write what differs, delete owned files no longer planned, then the manifest."""
        paths = [p.path for p in planned]
        if len(set(paths)) != len(paths):
            raise ArchiveError("the site plan names one file twice (a bug in the export)")
        for path in paths:
            if not is_safe_relative(path) or path == MANIFEST:
                raise ArchiveError(f"refusing to write {path!r}: not a plain path inside the site")
        self.dest.mkdir(parents=True, exist_ok=True)
        root = self.dest.resolve()
        # Before anything is written, the half-written copies a killed export left: beside
        # every file it may have written when it did not finish, beside the manifest always.
        if not self.complete or not self.manifest.is_file():
            self._remove_temporaries(root, self.owned | set(paths) | {MANIFEST})
        else:
            self._remove_temporaries(root, {MANIFEST})
        wanted = set(paths)
        # Claim every file we may write before writing it, so an interrupted export
        # still knows, next time, which files are its own, and that it did not finish.
        self._claimed = sorted(self.owned | wanted)
        if not wanted <= self.owned or not self.manifest.is_file():
            self._claim()

        written: list[str] = []
        unchanged: list[str] = []
        prints: dict[str, str] = {}
        # The home page goes last: a site cut short keeps its old home page, or has none,
        # so it never looks complete while the pages it links to are missing.
        for item in sorted(planned, key=lambda p: (_is_home(p.path), p.path)):
            target = self._inside(root, item.path)
            if item.fingerprint is not None:
                prints[item.path] = item.fingerprint
            if item.render is not None:
                if (
                    item.fingerprint is not None
                    and self.fingerprints.get(item.path) == item.fingerprint
                    and target.is_file()
                ):
                    unchanged.append(item.path)
                    continue
                changed = self._put_bytes(target, item.render())
            elif item.data is not None:
                changed = self._put_bytes(target, item.data)
            else:
                changed = self._put_file(target, item.source)
            (written if changed else unchanged).append(item.path)

        removed: list[str] = []
        for path in sorted(self.owned - wanted):
            target = self._inside(root, path, must=False)
            if target is None:
                self._warnings.append(f"{path}: outside the site folder; left alone")
                continue
            if target.is_symlink() or target.is_file():
                try:
                    target.unlink()
                except OSError as exc:
                    raise ArchiveError(f"cannot delete {target}: {exc}") from exc
                removed.append(path)
                self._prune(target.parent, root)
            elif target.exists():
                self._warnings.append(f"{path}: is a folder now; left alone")

        self._claimed = None
        self._write_manifest(
            sorted(wanted), complete=True, fingerprints=prints, state=state, items=items
        )
        self.owned, self.complete, self.fingerprints = wanted, True, prints
        self.state, self.items = state, items
        return SyncReport(tuple(written), tuple(unchanged), tuple(removed), tuple(self._warnings))

    def _inside(self, root: Path, path: str, *, must: bool = True) -> Path | None:
        target = root / path
        inside = self._parents.get(target.parent)
        if inside is None:
            try:
                target.parent.resolve().relative_to(root)
                inside = True
            except ValueError:
                inside = False
            self._parents[target.parent] = inside
        if not inside:
            if must:
                raise ArchiveError(
                    f"refusing to write {path}: a link inside {self.dest} leads out of it"
                ) from None
            return None
        return target

    def _put_bytes(self, target: Path, data: bytes) -> bool:
        try:
            if (
                target.is_file()
                and target.stat().st_size == len(data)
                and target.read_bytes() == data
            ):
                return False
        except OSError:
            pass

        def fill(tmp: Path) -> None:
            tmp.write_bytes(data)
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; a web server must read the site

        self._replace(target, fill)
        return True

    def _put_file(self, target: Path, source: Path | None) -> bool:
        if source is None:  # pragma: no cover - Planned always has one of the two
            raise ArchiveError(f"nothing to write for {target}")
        try:
            if target.is_file():
                if os.path.samefile(source, target):
                    return False
                if target.stat().st_size == source.stat().st_size and filecmp.cmp(
                    source, target, shallow=False
                ):
                    return False
        except OSError:
            pass

        def link_or_copy(tmp: Path) -> None:
            tmp.unlink()
            try:
                os.link(source, tmp)
            except OSError:
                shutil.copyfile(source, tmp)

        self._replace(target, link_or_copy)
        return True

    def _claim(self) -> None:
        """Mark the manifest incomplete (listing every file we may write) before a write."""
        if self._claimed is not None:
            files, self._claimed = self._claimed, None
            self._write_manifest(files, complete=False)

    def _replace(self, target: Path, fill: Callable[[Path], None]) -> None:
        if target != self.manifest:
            self._claim()
        tmp: Path | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(fd)
            tmp = Path(name)
            fill(tmp)
            os.replace(tmp, target)
        except OSError as exc:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
            raise ArchiveError(f"cannot write {target}: {exc}") from exc

    def _remove_temporaries(self, root: Path, paths: set[str]) -> None:
        """Delete the half-written copies an export killed mid-write left beside our files."""
        names: dict[str, set[str]] = {}
        for path in paths:
            pure = PurePosixPath(path)
            names.setdefault(str(pure.parent), set()).add(pure.name)
        for folder, owned in names.items():
            directory = self._inside(root, f"{folder}/x" if folder != "." else "x", must=False)
            if directory is None or not directory.parent.is_dir():
                continue
            for entry in directory.parent.glob(".*.tmp"):
                match = _TEMPORARY.fullmatch(entry.name)
                if match and match.group(1) in owned and entry.is_file() and not entry.is_symlink():
                    entry.unlink(missing_ok=True)

    def _prune(self, folder: Path, root: Path) -> None:
        """Remove folders left empty by a deletion, up to (not including) the site folder."""
        while folder != root and root in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent

    def _write_manifest(
        self,
        files: list[str],
        *,
        complete: bool,
        fingerprints: dict[str, str] | None = None,
        state: str | None = None,
        items: int = 0,
    ) -> None:
        data: dict[str, object] = {
            "format": MANIFEST_FORMAT,
            "generator": "pamir-craft-archive",
            "complete": complete,
            "files": files,
        }
        if complete and state is not None:
            data["state"] = state
            data["items"] = items
        if fingerprints:
            data["fingerprints"] = dict(sorted(fingerprints.items()))
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        self._put_bytes(self.manifest, text.encode("utf-8"))


def _is_home(path: str) -> bool:
    """A home page (``index.html``, ``ru/index.html``): written last, after what it links to."""
    pure = PurePosixPath(path)
    return pure.name == "index.html" and len(pure.parts) <= 2
