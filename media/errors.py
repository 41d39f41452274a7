"""Errors raised by the media layer, each with a reason a person understands."""


class MediaError(Exception):
    """A file could not be read or converted; ``str(error)`` is the reason."""


class UnsupportedFile(MediaError):
    """The file is not a photo or video the archive takes."""


class CorruptFile(MediaError):
    """The file claims a known format but cannot be decoded."""


class TooLarge(MediaError):
    """The image declares more pixels than the archive will decode."""


class NoDecoder(MediaError):
    """A known photo format that this machine cannot turn into pixels (no decoder for it,
    or a variant the decoder does not support). The original is still worth keeping."""
