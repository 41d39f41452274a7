"""The archive folder: where each part lives, and creating a new archive."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from archive.errors import NotAnArchive

LAYOUT_VERSION = 1


@dataclass(frozen=True)
class Layout:
    """Paths of one archive folder (DESIGN.md section 3)."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "archive.toml"

    @property
    def catalog(self) -> Path:
        return self.root / "catalog.sqlite"

    @property
    def index(self) -> Path:
        return self.root / "index"

    @property
    def vocabularies(self) -> Path:
        return self.root / "vocabularies"

    @property
    def originals(self) -> Path:
        return self.root / "originals"

    @property
    def derivatives(self) -> Path:
        return self.root / "derivatives"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    @property
    def lock(self) -> Path:
        return self.root / ".lock"

    @property
    def lock_holder(self) -> Path:
        """Who holds the lock, for messages (the lock file itself is the library's)."""
        return self.root / ".lock.holder"

    def exists(self) -> bool:
        return self.config.is_file()

    def original_path(self, sha256: str, extension: str) -> Path:
        return self.originals / sha256[:2] / f"{sha256}{extension}"

    def derivative_path(self, spec: str, sha256: str, extension: str) -> Path:
        return self.derivatives / spec / sha256[:2] / f"{sha256}{extension}"

    def relative(self, path: Path) -> str:
        """An archive-relative POSIX path, as stored in the catalogue."""
        return Path(os.path.relpath(path, self.root)).as_posix()

    def absolute(self, relative: str) -> Path:
        return self.root / relative

    def create(self) -> None:
        """Make a new, empty archive folder (nothing is overwritten)."""
        self.root.mkdir(parents=True, exist_ok=True)
        for folder in (self.originals, self.derivatives, self.runs, self.index):
            folder.mkdir(exist_ok=True)
        if not self.config.exists():
            # Imported here: config reads archive.toml through Layout, and its default
            # text is made from the derivative specs, whose module loads Pillow.
            from archive.config import DEFAULT_TOML

            tmp = self.config.with_suffix(".toml.tmp")
            tmp.write_text(DEFAULT_TOML, encoding="utf-8")
            os.replace(tmp, self.config)

    def require(self) -> Layout:
        if not self.exists():
            raise NotAnArchive(
                f"{self.root} is not an archive (no archive.toml); "
                "run `archive ingest SOURCE` to create one, or pass -a PATH"
            )
        return self


def locate(option: str | os.PathLike[str] | None) -> Layout:
    """The archive named by -a/--archive, else $PAMIR_ARCHIVE, else ./archive."""
    if option:
        return Layout(Path(option).expanduser().absolute())
    env = os.environ.get("PAMIR_ARCHIVE")
    if env:
        return Layout(Path(env).expanduser().absolute())
    return Layout(Path.cwd() / "archive")
