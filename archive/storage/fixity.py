"""Fixity of one original in its store: its stored checksum, else its bytes re-hashed."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from archive.storage import Store


class State(enum.StrEnum):
    OK = "ok"
    MISSING = "missing"
    CHANGED = "failed"  # another size, or other bytes


@dataclass(frozen=True)
class Verdict:
    state: State
    detail: str = ""
    checked: bool = False  # was the SHA-256 compared (fixity)
    downloaded: bool = False  # were the bytes read to compare it


def verify(
    store: Store, key: str, sha256: str, size: int, *, fixity: bool, deep: bool = False
) -> Verdict:
    """Compare the object under ``key`` with the catalogue's size and, with ``fixity``, its
    SHA-256: from the store's checksum unless ``deep`` or the store keeps none."""
    found = store.stat(key)
    if found is None:
        return Verdict(State.MISSING, "the original file is missing", checked=fixity)
    if found.size != size:
        return Verdict(
            State.CHANGED, f"the original is {found.size} bytes, the catalogue says {size}", fixity
        )
    if not fixity:
        return Verdict(State.OK)
    vouched = None if deep else found.verified_sha256
    downloaded = vouched is None
    actual = store.hash(key) if downloaded else vouched
    if actual != sha256:
        detail = (
            "the original's bytes no longer match its SHA-256"
            if downloaded
            else "the store's checksum of the original no longer matches its SHA-256"
        )
        return Verdict(State.CHANGED, detail, True, downloaded)
    return Verdict(State.OK, checked=True, downloaded=downloaded)
