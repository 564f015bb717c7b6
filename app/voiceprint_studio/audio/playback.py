"""A tiny Qt-free player for enrollment audio (a voiceprint's downloaded wav or pcm).

:func:`decode_audio` turns downloaded bytes into a :class:`Clip` (wav through
soundfile; anything without a RIFF header is taken as Coze's raw pcm: 16 kHz,
mono, 16-bit little-endian). :class:`Player` plays a clip through sounddevice;
:meth:`Player.play` blocks, so call it on a worker thread, and stop it from any
thread by setting the ``stop`` event it was given.

sounddevice (and with it the PortAudio library) is imported on first use.
Without PortAudio, or without an output device, :meth:`Player.play` raises
:class:`~voiceprint_studio.audio.errors.AudioSystemError` with the key
``no_portaudio`` or ``no_device``, so the caller can offer to save the file instead.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy is loaded when a clip is decoded, not when the GUI starts
    import numpy as np
    import numpy.typing as npt

from .devices import import_sounddevice
from .errors import AudioFileError, AudioSystemError

__all__ = ["PCM_RATE", "Clip", "Player", "decode_audio", "is_wav"]

# The layout of raw pcm enrollment audio (Coze accepts only this one).
PCM_RATE = 16000
_BLOCK_SECONDS = 0.05  # how quickly a stop request is noticed


@dataclass(frozen=True)
class Clip:
    """Decoded audio: float32 samples shaped ``(frames, channels)`` and the sample rate."""

    samples: npt.NDArray[np.float32]
    rate: int

    @property
    def channels(self) -> int:
        """Number of channels."""
        return int(self.samples.shape[1])

    @property
    def frames(self) -> int:
        """Number of frames."""
        return int(self.samples.shape[0])

    @property
    def seconds(self) -> float:
        """Duration in seconds."""
        return self.frames / self.rate if self.rate else 0.0


def is_wav(data: bytes) -> bool:
    """Whether ``data`` starts with a RIFF/RF64 WAVE header."""
    return len(data) >= 12 and data[:4] in (b"RIFF", b"RF64") and data[8:12] == b"WAVE"


def decode_audio(data: bytes) -> Clip:
    """Decode wav bytes, or raw 16 kHz mono 16-bit pcm; :class:`AudioFileError` if neither."""
    import numpy as np

    if not data:
        raise AudioFileError("empty", "The audio is empty.", "Record or upload the audio again.")
    if is_wav(data):
        import soundfile

        try:
            samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
        except (RuntimeError, ValueError, TypeError) as exc:  # soundfile.LibsndfileError
            raise AudioFileError(
                "not_audio",
                f"The audio could not be decoded: {exc}",
                "Save the audio as a file and open it in another program.",
            ) from exc
        return Clip(np.ascontiguousarray(samples, dtype=np.float32), int(rate))
    if len(data) % 2:
        raise AudioFileError(
            "bad_pcm",
            "The audio is neither a wav file nor 16-bit pcm.",
            "Save the audio as a file and open it in another program.",
        )
    pcm = np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0
    return Clip(pcm.reshape(-1, 1), PCM_RATE)


def _import_sounddevice() -> Any:
    return import_sounddevice(
        "Install PortAudio (on Debian/Ubuntu: apt install libportaudio2), "
        "or save the audio and play it in another program."
    )


class Player:
    """Plays clips through the default output device (one clip at a time per call).

    ``sounddevice`` may be injected (a module-like object) for tests; by
    default it is imported on the first :meth:`play`.
    """

    def __init__(self, sounddevice_loader: Callable[[], Any] = _import_sounddevice) -> None:
        self._load = sounddevice_loader

    def play(self, clip: Clip, stop: threading.Event) -> bool:
        """Play ``clip`` to the end (True) or until ``stop`` is set (False). Blocks.

        Raises :class:`AudioSystemError` (``no_portaudio``, ``no_device`` or
        ``device_error``) when the sound system cannot play.
        """
        sd = self._load()
        port_audio_error: type[BaseException] = getattr(sd, "PortAudioError", OSError)
        try:
            sd.query_devices(kind="output")
            stream = sd.OutputStream(samplerate=clip.rate, channels=clip.channels, dtype="float32")
        except (port_audio_error, ValueError) as exc:
            raise AudioSystemError(
                "no_device",
                f"No sound output device is available: {exc}.",
                "Connect speakers or headphones, or save the audio and play it elsewhere.",
            ) from exc
        block = max(1, int(clip.rate * _BLOCK_SECONDS))
        try:
            with stream:
                for start in range(0, clip.frames, block):
                    if stop.is_set():
                        stream.abort()
                        return False
                    stream.write(clip.samples[start : start + block])
        except port_audio_error as exc:
            raise AudioSystemError(
                "device_error",
                f"The sound output failed: {exc}.",
                "Check the output device, or save the audio and play it elsewhere.",
            ) from exc
        return not stop.is_set()
