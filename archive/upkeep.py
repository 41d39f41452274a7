"""Looking after an archive: check what disagrees, rebuild what can be derived, upgrade."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from archive import access
from archive.layout import LAYOUT_VERSION, Layout
from archive.lock import archive_lock
from archive.versions import UpgradeReport, read_version, require_current, upgrade_steps

if TYPE_CHECKING:
    from archive.check import CheckReport, RebuildReport


def check(
    layout: Layout,
    *,
    fixity: bool = False,
    deep: bool = False,
    repair: bool = False,
    wait: float = 0.0,
) -> CheckReport:
    """What disagrees between the catalogue and the folders. A plain check only reads;
    with ``fixity`` every original is compared with its SHA-256 (from the store's checksum
    where it keeps one, re-hashed when ``deep`` or when it keeps none) and the outcome
    recorded as an event, so it takes the lock like every command that writes. With
    ``repair``, damaged copies are restored from a good one (archive/replica.py)."""
    from archive.check import find_problems

    if fixity or deep or repair:
        with access.writing(layout, "check --fixity", wait=wait) as catalog:
            report = find_problems(layout, catalog, fixity=True, deep=deep)
            if repair:
                from archive.replica import repair as run_repair

                report = run_repair(layout, catalog, report, deep=deep)
            return report
    with access.reading(layout) as catalog:
        return find_problems(layout, catalog)


def rebuild(
    layout: Layout,
    *,
    index: bool = False,
    derivatives: bool = False,
    force: bool = False,
    jobs: int | None = None,
    wait: float = 0.0,
    on_item: Callable[[str], None] | None = None,
) -> RebuildReport:
    """Regenerate the index and/or the derivatives; asked for neither, do both and remove
    what an interrupted run left behind."""
    from archive.check import regenerate

    both = not (index or derivatives)
    with access.writing(layout, "rebuild", wait=wait) as catalog:
        return regenerate(
            layout,
            catalog,
            index=both or index,
            derivatives=both or derivatives,
            force=force,
            jobs=jobs or os.cpu_count() or 1,
            on_item=on_item,
        )


def upgrade(layout: Layout, *, wait: float = 0.0) -> UpgradeReport:
    """Move an archive of an older layout to the one this program uses."""
    layout.require()
    with archive_lock(layout, "upgrade", wait=wait):
        before = read_version(layout)
        if before > LAYOUT_VERSION:
            require_current(layout)  # refuses, saying which program to update
        after = upgrade_steps(layout, before)
    return UpgradeReport(str(layout.root), before, after)
