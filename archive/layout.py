"""The archive folder: where each part lives, and creating a new archive."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from archive.errors import NotAnArchive

LAYOUT_VERSION = 1

DEFAULT_TOML = """\
# Pamir Craft Archive settings. Lines starting with # are comments.
layout_version = 1

[site]
title = "Pamir Craft Archive"
languages = ["en", "ru", "tg"]

[ingest]
# Glob patterns of names to leave out, besides hidden files.
ignore = ["Thumbs.db", "*.tmp", "*.part"]

[media]
# How long, in seconds, ffprobe may read one video (and ffmpeg take each still frame)
# before the file is given up as failed. PAMIR_PROBE_TIMEOUT overrides it.
# probe_timeout = 60
# How long ffmpeg may make one web preview. Unset, it is 300 s plus 10 s per second of
# video (an hour when the video does not say how long it is). PAMIR_TRANSCODE_TIMEOUT
# overrides it.
# transcode_timeout = 1800

# Derivative specs. Changing a value re-makes that derivative at the next
# ingest or `archive rebuild --derivatives`.
[derivatives.thumb]
role = "image"
kinds = ["photo", "video"]
max_size = 320
quality = 72

[derivatives.display]
role = "image"
kinds = ["photo"]
max_size = 1600
quality = 80

[derivatives.poster]
role = "poster"
kinds = ["video"]
max_size = 1280
quality = 78
position = 0.1

[derivatives.preview]
role = "video"
kinds = ["video"]
max_height = 720
crf = 26
preset = "veryfast"
audio_bitrate = "96k"
"""


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
