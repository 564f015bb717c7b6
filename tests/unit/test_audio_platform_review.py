"""Fixes from the Windows/macOS review: one handle on a take, one host API per microphone.

On Windows a file with a second open handle cannot be replaced or deleted, so the
recorder must hold exactly one (libsndfile's) while it writes; that is checked here
through ``/proc/self/fd`` (Linux). PortAudio lists each microphone once per host API;
:func:`preferred_host_api` picks the one the device list keeps.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import soundfile

from tests.audio_fixtures import synthetic_factory, tone
from voiceprint_studio.audio import InputDevice, Recorder
from voiceprint_studio.audio.devices import preferred_host_api

WINDOWS_APIS = ["MME", "Windows DirectSound", "Windows WASAPI", "Windows WDM-KS"]


def _open_handles(path: Path) -> int:
    fd_dir = Path("/proc/self/fd")
    count = 0
    for entry in fd_dir.iterdir():
        try:
            if os.readlink(entry) == str(path):
                count += 1
        except OSError:
            continue  # closed meanwhile
    return count


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
def test_a_take_being_written_has_one_handle_and_a_valid_header(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path, stream_factory=synthetic_factory(tone(30, amp=0.4), speed=4))
    path = recorder.start(InputDevice(0, "Synthetic mic", "Test API", 48000.0, 1))
    try:
        deadline = time.monotonic() + 10
        while recorder.elapsed_seconds < 2.0:
            assert time.monotonic() < deadline, "the synthetic take did not grow"
            time.sleep(0.02)
        assert _open_handles(path) == 1
        # The header on disk is rewritten as the take grows (read through a second handle;
        # every 0.5 s: waited for, with a bound, as a starved writer thread may be late).
        deadline = time.monotonic() + 10
        while soundfile.info(str(path)).frames < 16000:
            assert time.monotonic() < deadline, "the header on disk was not rewritten"
            time.sleep(0.05)
    finally:
        take = recorder.stop()
    assert take is not None and _open_handles(path) == 0
    assert take.duration_seconds >= 2.0


def test_windows_keeps_wasapi_only() -> None:
    assert preferred_host_api(WINDOWS_APIS, "MME", platform="win32") == "Windows WASAPI"


def test_windows_without_wasapi_falls_back_in_order() -> None:
    apis = ["MME", "Windows WDM-KS", "Windows DirectSound"]
    assert preferred_host_api(apis, "MME", platform="win32") == "Windows DirectSound"


def test_elsewhere_the_default_devices_host_api_is_kept() -> None:
    assert preferred_host_api(["ALSA", "JACK Audio Connection Kit"], "ALSA", "linux") == "ALSA"
    assert preferred_host_api(["ALSA", "JACK Audio Connection Kit"], None, "linux") == "ALSA"
    assert preferred_host_api(["Core Audio"], "Core Audio", "darwin") == "Core Audio"
    assert preferred_host_api([], None, "linux") is None
