"""The names of the temporary files the archive writes, and recognising them."""

from __future__ import annotations

import os
import re
from pathlib import Path

# ".NAME.PID.tmp": the hidden, half-written copy of NAME by process PID. Earlier versions
# named a web preview's ".STEM.PID.tmp.mp4"; that form is still recognised, so its leftovers
# are still found and removed.
TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>[0-9]+)\.tmp(?:\.mp4)?")
# The folder in the system's temporary folder where a video's still frame is taken.
FRAME_FOLDER = re.compile(r"pamir-frame-(?P<pid>[0-9]+)-.+")


def temporary_path(target: Path) -> Path:
    """Where ``target`` is written before it is renamed into place: beside it, hidden, and
    named after it and this process."""
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def frame_folder_prefix() -> str:
    """The prefix of a frame folder made by this process (for ``tempfile.mkdtemp``)."""
    return f"pamir-frame-{os.getpid()}-"


def temporary_pid(name: str) -> int | None:
    """The process id in a temporary file's name, or None when ``name`` is not one."""
    match = TEMPORARY.fullmatch(name)
    return int(match.group("pid")) if match else None


def is_temporary(name: str) -> bool:
    return TEMPORARY.fullmatch(name) is not None
