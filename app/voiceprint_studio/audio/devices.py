"""Microphones: listing input devices, the default one, and a stable key to remember a choice.

``sounddevice`` is imported lazily; without the PortAudio library (``OSError``
on import) or without any input device, these functions raise
:class:`.errors.AudioSystemError` with a plain message and next step, so the
app can still work with files.

The key of a device (:attr:`InputDevice.key`) is ``"<host API>::<name>"``: it
survives reboots and re-plugging, unlike PortAudio's index. The UI stores the
key (in its settings) and passes it to :func:`find_input_device`.

PortAudio lists each microphone once per host API (on Windows: MME, DirectSound,
WASAPI and WDM-KS, four entries for one microphone). :func:`list_input_devices`
keeps one host API (:func:`preferred_host_api`): WASAPI on Windows, else the one
of the default input device.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .errors import AudioSystemError

KEY_SEPARATOR = "::"
# Host APIs in order of preference on Windows (WASAPI: the system mixer's own
# devices with their full names; MME cuts names to 31 characters).
WINDOWS_HOST_APIS = ("Windows WASAPI", "Windows DirectSound", "MME", "Windows WDM-KS")


RECORD_WITHOUT_PORTAUDIO = (
    "Install PortAudio (on Debian/Ubuntu: apt install libportaudio2) to record; "
    "you can still check and upload audio files."
)


def import_sounddevice(next_step: str = RECORD_WITHOUT_PORTAUDIO) -> Any:
    """Import ``sounddevice``; raise :class:`AudioSystemError` when PortAudio is missing.

    ``next_step`` is the advice shown then (recording and playback differ).
    """
    try:
        return importlib.import_module("sounddevice")
    except (OSError, ImportError) as exc:
        raise AudioSystemError(
            "no_portaudio",
            f"The sound system library (PortAudio) is not available: {exc}.",
            next_step,
        ) from None


def no_device_error(detail: str = "") -> AudioSystemError:
    """The error for "no microphone"."""
    extra = f" ({detail})" if detail else ""
    return AudioSystemError(
        "no_device",
        f"No microphone was found{extra}.",
        "Connect a microphone (and allow this app to use it in the system's privacy "
        "settings), then refresh the device list; or choose an audio file instead.",
    )


@dataclass(frozen=True)
class InputDevice:
    """One input device as PortAudio lists it."""

    index: int
    name: str
    host_api: str
    default_samplerate: float
    max_input_channels: int
    is_default: bool = False

    @property
    def key(self) -> str:
        """A stable identifier (host API + name) to remember the choice."""
        return device_key(self.name, self.host_api)

    def __str__(self) -> str:
        return f"{self.name} ({self.host_api})"


def device_key(name: str, host_api: str) -> str:
    """The stable key of a device."""
    return f"{host_api}{KEY_SEPARATOR}{name}"


def preferred_host_api(
    host_apis: Sequence[str], default_api: str | None, platform: str = sys.platform
) -> str | None:
    """The one host API to list devices of, among ``host_apis`` (those with inputs).

    On Windows the first of :data:`WINDOWS_HOST_APIS` present; elsewhere (and as the
    fallback) the default input device's host API, else the first listed.
    """
    if platform == "win32":
        for name in WINDOWS_HOST_APIS:
            if name in host_apis:
                return name
    if default_api in host_apis:
        return default_api
    return host_apis[0] if host_apis else None


def list_input_devices() -> list[InputDevice]:
    """Every input device of one host API (:func:`preferred_host_api`); may be empty.

    Raises ``no_portaudio``.
    """
    sd = import_sounddevice()
    try:
        devices = sd.query_devices()
        apis = sd.query_hostapis()
    except Exception as exc:
        raise AudioSystemError(
            "device_error",
            f"The sound system could not list devices: {exc}.",
            "Restart the app; if it persists, check the system's sound settings.",
        ) from None
    try:
        default_index = int(sd.default.device[0])
    except Exception:
        default_index = -1
    if default_index < 0:
        try:
            default_index = int(sd.query_devices(kind="input")["index"])
        except Exception:
            default_index = -1
    found: list[InputDevice] = []
    for dev in devices:
        if int(dev["max_input_channels"]) <= 0:
            continue
        index = int(dev["index"])
        found.append(
            InputDevice(
                index=index,
                name=str(dev["name"]),
                host_api=str(apis[int(dev["hostapi"])]["name"]),
                default_samplerate=float(dev["default_samplerate"]),
                max_input_channels=int(dev["max_input_channels"]),
                is_default=index == default_index,
            )
        )
    default_api = next((d.host_api for d in found if d.is_default), None)
    keep = preferred_host_api(list(dict.fromkeys(d.host_api for d in found)), default_api)
    return [d for d in found if d.host_api == keep]


def default_input_device() -> InputDevice:
    """The system's default input device (or the first one). Raises ``no_device``."""
    devices = list_input_devices()
    if not devices:
        raise no_device_error()
    return next((d for d in devices if d.is_default), devices[0])


def find_input_device(key: str | None) -> InputDevice:
    """The device with ``key``, else the default one. Raises ``no_device``/``no_portaudio``."""
    if key:
        for dev in list_input_devices():
            if dev.key == key:
                return dev
    return default_input_device()
