"""Errors raised by the media layer, each with a reason a person understands."""


class MediaError(Exception):
    """A file could not be read or converted; ``str(error)`` is the reason."""


class UnsupportedFile(MediaError):
    """The file is not a photo or video the archive takes."""


class CorruptFile(MediaError):
    """The file claims a known format but cannot be decoded."""


class TooLarge(MediaError):
    """The image declares more pixels than the archive will decode."""


class TookTooLong(MediaError):
    """An external program ran past its time limit and was stopped.

    ``program`` is its name, ``seconds`` the limit, and ``limit`` names which limit it was
    (``probe`` or ``transcode``), so that the caller can say which setting raises it.
    """

    def __init__(self, program: str, seconds: float, limit: str) -> None:
        super().__init__(f"{program} took longer than {seconds:g} s")
        self.program = program
        self.seconds = seconds
        self.limit = limit

    def __reduce__(self) -> tuple[type, tuple[str, float, str]]:  # crosses process pools
        return (TookTooLong, (self.program, self.seconds, self.limit))


class NoDecoder(MediaError):
    """A known photo format that this machine cannot turn into pixels (no decoder for it,
    or a variant the decoder does not support). The original is still worth keeping."""
