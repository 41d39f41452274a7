"""Errors the application raises; the CLI turns each into one sentence and an exit code."""


class ArchiveError(Exception):
    """Something stops a command; the message says what and what to do next."""


class NotAnArchive(ArchiveError):
    """The folder is not an archive (no archive.toml)."""


class ArchiveBusy(ArchiveError):
    """Another command holds the archive's lock."""


class ConfigError(ArchiveError):
    """archive.toml has a value that cannot be used."""
