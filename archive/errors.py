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
