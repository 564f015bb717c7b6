"""Recording through the PulseAudio virtual microphone (what ``paplay`` plays is what we record).

Runs where ``scripts/test.sh`` started PulseAudio with sink ``vspeaker`` and
source ``vmic`` (``VPS_REAL_PARTS=1``); elsewhere skipped with the reason.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import wave
from pathlib import Path

import httpx
import numpy as np
import pytest
import soundfile

from tests.audio_fixtures import EN_TEXT, ZH_SHORT_TEXT, espeak_wav, last_elapsed
from tests.backend_fixtures import BACKEND_TOKEN
from voiceprint_studio.api import AudioUpload, CozeClient
from voiceprint_studio.audio import (
    Recorder,
    Severity,
    StopReason,
    check_file,
    default_input_device,
    find_input_device,
    list_input_devices,
)
from voiceprint_studio.local.app import BackendApp

pytestmark = [
    pytest.mark.realparts,
    pytest.mark.skipif(
        os.environ.get("VPS_REAL_PARTS") != "1",
        reason="needs the PulseAudio virtual microphone scripts/test.sh starts (VPS_REAL_PARTS=1)",
    ),
]

REPO = Path(__file__).resolve().parents[2]


def _record_while(recorder: Recorder, play: Path | None, seconds: float = 3.0) -> Path:
    recorder.start()
    try:
        time.sleep(1.0)  # PulseAudio's first read can stall ~0.8 s
        if play is not None:
            subprocess.run(["paplay", str(play)], check=True, timeout=120)
        else:
            time.sleep(seconds)
        time.sleep(0.5)
    finally:
        take = recorder.stop()
    assert take is not None
    assert recorder.stop_reason is StopReason.USER, recorder.error
    return take.path


def test_the_default_device_is_found_and_remembered() -> None:
    devices = list_input_devices()
    assert devices
    default = default_input_device()
    assert default.is_default
    assert find_input_device(default.key) == default
    assert find_input_device("No API::no such mic") == default


def test_recorded_speech_passes_the_checker_and_enrolls(
    tmp_path: Path, backend_app: BackendApp
) -> None:
    speech = espeak_wav(tmp_path, "zh", ZH_SHORT_TEXT)
    recorder = Recorder(tmp_path / "recs")
    take = _record_while(recorder, speech)
    assert recorder.level().overflows == 0
    report = check_file(take)
    assert not report.blocking, report.findings
    played = check_file(speech)
    assert played.speech_seconds is not None and report.speech_seconds is not None
    assert abs(report.speech_seconds - played.speech_seconds) < 1.0
    assert report.sample_rate == 16000 and report.channels == 1

    client = CozeClient(
        BACKEND_TOKEN, "http://localhost", transport=httpx.WSGITransport(app=backend_app)
    )
    try:
        group = client.create_group("mic test")
        feature = client.create_voiceprint(group, "speaker", AudioUpload.from_path(take))
        assert feature
        assert [v.id for v in client.list_voiceprints(group).items] == [feature]
    finally:
        client.close()


def test_nothing_played_means_no_speech(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "recs")
    take = _record_while(recorder, None, seconds=4.0)
    report = check_file(take)
    speech = report.finding("speech")
    assert speech is not None and speech.severity is Severity.BLOCKING
    assert report.speech_seconds is not None and report.speech_seconds < 0.5
    assert report.blocking


_KILL_CHILD = textwrap.dedent(
    """
    import sys, time
    from voiceprint_studio.audio import Recorder
    rec = Recorder(sys.argv[1])
    print(rec.start(), flush=True)
    while True:
        time.sleep(0.1)
        print(rec.elapsed_seconds, flush=True)
    """
)


def test_sigkill_while_recording_from_the_mic_keeps_the_take(tmp_path: Path) -> None:
    speech = espeak_wav(tmp_path, "en", EN_TEXT)
    player: subprocess.Popen[bytes] | None = None
    child = subprocess.Popen(
        [sys.executable, "-c", _KILL_CHILD, str(tmp_path / "recs")],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        path = Path(child.stdout.readline().strip())
        player = subprocess.Popen(["paplay", str(speech)])
        elapsed = 0.0
        while elapsed < 4.0:
            elapsed = float(child.stdout.readline())
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        # the take's length at the kill (the child went on while this test was held up)
        elapsed = last_elapsed(child.stdout.read(), elapsed)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        if child.stdout is not None:
            child.stdout.close()
        if player is not None:
            player.terminate()
            player.wait(10)
    with wave.open(str(path)) as wav:
        frames = wav.getnframes()
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16000, 1, 2)
    assert elapsed - 1.0 <= frames / 16000 <= elapsed + 1.0
    data, _ = soundfile.read(str(path), dtype="float32")
    assert float(np.abs(data).max()) > 0.1  # the speech is there
