"""Typed audio errors: each carries a stable ``key``, a plain message and the next step."""

from __future__ import annotations


class AudioError(Exception):
    """Base of the audio errors; ``str(err)`` is the plain message."""

    def __init__(self, key: str, message: str, next_step: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message
        self.next_step = next_step

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r}, {self.message!r})"


class AudioSystemError(AudioError):
    """The sound system failed: no PortAudio, no input device, device busy or unplugged.

    Keys: ``no_portaudio``, ``no_device``, ``device_busy``, ``device_lost``,
    ``device_error``, ``disk_error``.
    """


class AudioFileError(AudioError):
    """A file could not be read as audio, or could not be written.

    Keys: ``unreadable``, ``empty``, ``not_audio``, ``too_long``, ``bad_pcm``,
    ``write_failed``, ``same_file`` (a conversion's target is its source).
    """
