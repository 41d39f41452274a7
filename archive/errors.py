"""Errors the application raises; the CLI turns each into one sentence and an exit code."""


class ArchiveError(Exception):
    """Something stops a command; the message says what and what to do next."""


class NotAnArchive(ArchiveError):
    """The folder is not an archive (no archive.toml)."""


class ArchiveBusy(ArchiveError):
    """Another command holds the archive's lock."""


class ConfigError(ArchiveError):
    """archive.toml has a value that cannot be used."""


class LayoutTooNew(ArchiveError):
    """The archive was written by a newer version of the program."""


class LayoutTooOld(ArchiveError):
    """The archive has an older layout; `archive upgrade` moves it forward."""


class UsageProblem(ArchiveError):
    """The command was given values that do not fit together (exit code 2)."""


class StaleVersion(ArchiveError):
    """An edit was based on an older version of the item: someone else saved first."""

    def __init__(self, key: str, expected: str, current: str) -> None:
        super().__init__(
            f"{key} was changed since you loaded it (your version {expected}, now {current});"
            " load it again and reapply your change"
        )
        self.key, self.expected, self.current = key, expected, current
