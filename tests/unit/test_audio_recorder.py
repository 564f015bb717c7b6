"""The Recorder core with a synthetic input stream, takes on disk, and sound-system failures.

The real-microphone variants are in ``tests/e2e/test_audio_mic.py``.
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
from typing import Any

import numpy as np
import pytest
import soundfile

from tests.audio_fixtures import espeak_wav, last_elapsed, read_mono, synthetic_factory, tone
from voiceprint_studio.audio import (
    AudioSystemError,
    InputDevice,
    Recorder,
    StopReason,
    check_file,
    delete_take,
    list_takes,
)
from voiceprint_studio.audio.devices import device_key
from voiceprint_studio.audio.takes import recordings_dir

REPO = Path(__file__).resolve().parents[2]


def _device(rate: float = 48000) -> InputDevice:
    return InputDevice(3, "Synthetic mic", "Test API", rate, 2, True)


def _wait(predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_records_speech_converted_to_16k_and_passes_the_checker(tmp_path: Path) -> None:
    speech = read_mono(espeak_wav(tmp_path, "zh"))
    recorder = Recorder(tmp_path / "recs", stream_factory=synthetic_factory(speech, speed=8))
    path = recorder.start(_device(48000))
    assert recorder.is_recording and recorder.input_rate == 48000
    _wait(lambda: recorder.elapsed_seconds >= speech.size / 16000)
    level = recorder.level()
    assert -20 < level.peak_dbfs <= 0 and not level.clipped and level.overflows == 0
    wave_now = recorder.waveform(2.0)
    assert wave_now.shape == (32000,) and wave_now.dtype == np.float32
    take = recorder.stop()
    assert take is not None and take.path == path
    assert recorder.stop_reason is StopReason.USER and recorder.error is None
    assert not recorder.is_recording
    info = soundfile.info(str(path))
    assert (info.samplerate, info.channels, info.subtype) == (16000, 1, "PCM_16")
    report = check_file(path)
    assert not report.blocking, report.findings
    assert report.speech_seconds is not None and report.speech_seconds > 15


def test_level_reports_clipping_and_resets(tmp_path: Path) -> None:
    loud = np.clip(tone(2, amp=1.5), -1, 1)
    recorder = Recorder(tmp_path, stream_factory=synthetic_factory(loud, speed=4))
    recorder.start(_device(16000))
    _wait(lambda: recorder.elapsed_seconds > 0.5)
    first = recorder.level()
    assert first.clipped and first.peak_dbfs > -0.1
    recorder.stop()
    recorder.level()
    assert recorder.level().peak_dbfs == -120.0  # reset after reading


def test_auto_stop_at_size_limit(tmp_path: Path) -> None:
    finished: list[StopReason] = []
    recorder = Recorder(
        tmp_path,
        max_bytes=44 + 2 * 16000,  # one second
        stream_factory=synthetic_factory(tone(3), speed=20),
        on_finished=lambda take, reason, error: finished.append(reason),
    )
    # stop() from the on_finished callback (the writer thread) must not deadlock
    recorder._on_finished = lambda take, reason, error: (finished.append(reason), recorder.stop())
    assert recorder.limit_seconds == 1.0
    recorder.start(_device(44100))
    _wait(lambda: not recorder.is_recording)
    assert recorder.stop_reason is StopReason.LIMIT
    take = recorder.stop()
    assert take is not None and take.size_bytes <= 44 + 2 * 16000
    assert soundfile.info(str(take.path)).frames == 16000
    assert finished == [StopReason.LIMIT]


def test_default_limit_is_about_131_seconds() -> None:
    assert 131 < Recorder().limit_seconds < 131.1


def test_device_lost_mid_take_keeps_the_take(tmp_path: Path) -> None:
    recorder = Recorder(
        tmp_path, stream_factory=synthetic_factory(tone(5), speed=10, die_after=1.5)
    )
    recorder.start(_device(48000))
    _wait(lambda: not recorder.is_recording)
    take = recorder.stop()
    assert recorder.stop_reason is StopReason.DEVICE_LOST
    error = recorder.error
    assert isinstance(error, AudioSystemError) and error.key == "device_lost"
    assert error.next_step
    assert take is not None and 1.3 < take.duration_seconds < 1.7


def test_busy_device_is_a_typed_error(tmp_path: Path) -> None:
    def busy(*args: Any) -> Any:
        raise RuntimeError("Error opening InputStream: Device unavailable [PaErrorCode -9985]")

    recorder = Recorder(tmp_path, stream_factory=busy)
    with pytest.raises(AudioSystemError) as err:
        recorder.start(_device())
    assert err.value.key == "device_busy" and err.value.next_step
    assert not recorder.is_recording
    assert list_takes(tmp_path) == []  # the empty file is removed


def test_second_start_while_recording_is_refused(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path, stream_factory=synthetic_factory(tone(2)))
    recorder.start(_device())
    try:
        with pytest.raises(RuntimeError):
            recorder.start(_device())
    finally:
        recorder.stop()


def test_recent_takes_newest_first_and_delete(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path, stream_factory=synthetic_factory(tone(1), speed=10))
    paths = []
    for _ in range(3):
        paths.append(recorder.start(_device(16000)))
        _wait(lambda: recorder.elapsed_seconds > 0.3)
        recorder.stop()
        time.sleep(0.01)
    takes = list_takes(tmp_path)
    assert [t.path for t in takes] == paths[::-1]
    assert all(t.duration_seconds > 0.3 and t.size_bytes > 44 for t in takes)
    delete_take(takes[0])
    assert [t.path for t in list_takes(tmp_path)] == paths[1::-1]


def test_a_converted_copy_is_named_labelled_and_deleted_when_nobody_waits(
    tmp_path: Path,
) -> None:
    from voiceprint_studio.audio.takes import convert_into_takes, take_speaker

    src = tmp_path / "chosen.wav"
    soundfile.write(str(src), tone(2, rate=44100), 44100)
    folder = tmp_path / "recs"
    first = convert_into_takes(src, folder, trim=False, speaker="Li Na")
    second = convert_into_takes(src, folder, trim=False)
    assert first is not None and first.name == "chosen-16k.wav"
    assert second is not None and second.name == "chosen-16k-1.wav"  # never over the first
    assert take_speaker(first) == "Li Na" and take_speaker(second) == ""
    assert soundfile.info(str(first)).samplerate == 16000
    before = sorted(p.name for p in folder.iterdir())
    assert (
        convert_into_takes(src, folder, trim=False, speaker="Li Na", cancelled=lambda: True) is None
    )
    assert sorted(p.name for p in folder.iterdir()) == before  # no copy, no label, no temp
    assert src.exists()


def test_recordings_dir_defaults_to_user_data(tmp_path: Path) -> None:
    folder = recordings_dir()
    assert folder.is_dir() and folder.name == "recordings"
    assert str(folder).startswith(os.environ["XDG_DATA_HOME"])


def test_device_key_is_stable() -> None:
    dev = _device()
    assert dev.key == device_key("Synthetic mic", "Test API") == "Test API::Synthetic mic"


def test_callback_only_copies(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path)
    block = np.ones((256, 1), np.float32)
    recorder._callback(block, 256, None, None)
    block[:] = 0
    assert float(recorder._queue.get_nowait().max()) == 1.0


_KILL_CHILD = textwrap.dedent(
    """
    import sys, time
    from tests.audio_fixtures import synthetic_factory, tone
    from voiceprint_studio.audio import InputDevice, Recorder
    rec = Recorder(sys.argv[1], stream_factory=synthetic_factory(tone(60, amp=0.4)))
    print(rec.start(InputDevice(0, "x", "y", 48000.0, 1)), flush=True)
    while True:
        time.sleep(0.1)
        print(rec.elapsed_seconds, flush=True)
    """
)


def test_sigkill_mid_take_leaves_a_readable_wav(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _KILL_CHILD, str(tmp_path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    path = Path(child.stdout.readline().strip())
    elapsed = 0.0
    while elapsed < 3.0:
        elapsed = float(child.stdout.readline())
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    # the take's length at the kill: the child went on recording (and printing) while
    # this test was held up between its read and the kill on a loaded machine
    elapsed = last_elapsed(child.stdout.read(), elapsed)
    child.stdout.close()
    # The strict stdlib reader agrees with the header: sizes were kept up to date.
    with wave.open(str(path)) as wav:
        frames = wav.getnframes()
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16000, 1, 2)
    # Audio written after the last header update (< 0.5 s) is all that is lost.
    assert 0 <= path.stat().st_size - (44 + 2 * frames) <= 2 * 16000
    assert elapsed - 1.0 <= frames / 16000 <= elapsed + 1.0
    data, _ = soundfile.read(str(path), dtype="float32")
    assert abs(float(np.abs(data).max()) - 0.4) < 0.02


def _run_child(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        check=False,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


_SYSTEM_CHILD = """
    import sys
    from voiceprint_studio.audio import AudioSystemError, Recorder, list_input_devices
    from voiceprint_studio.audio import check_file
    try:
        list_input_devices()
        print("listed")
    except AudioSystemError as exc:
        print("list", exc.key)
    try:
        Recorder(sys.argv[0] if False else ".").start()
        print("started")
    except AudioSystemError as exc:
        print("start", exc.key, "|", exc.message, "|", exc.next_step)
    report = check_file("missing.wav")
    print("check", report.findings[0].key)
"""


def test_no_portaudio_gives_a_typed_error(tmp_path: Path) -> None:
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text(
        "import ctypes.util\n"
        "_real = ctypes.util.find_library\n"
        "def _find(name):\n"
        "    return None if 'portaudio' in name else _real(name)\n"
        "ctypes.util.find_library = _find\n",
        encoding="utf-8",
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(hide), str(REPO)]))
    out = _run_child(_SYSTEM_CHILD, env)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "list no_portaudio"
    assert lines[1].startswith("start no_portaudio | The sound system library (PortAudio)")
    assert "libportaudio2" in lines[1]
    assert lines[2] == "check unreadable"  # files still work


def test_no_input_device_gives_a_typed_error(tmp_path: Path) -> None:
    pytest.importorskip("sounddevice", reason="needs the PortAudio library")
    empty = tmp_path / "runtime"
    empty.mkdir(mode=0o700)
    # PulseAudio unreachable, and no sound card on this machine (or hidden via ALSA's null).
    asound = tmp_path / "asound.conf"
    asound.write_text("pcm.!default { type null }\n", encoding="utf-8")
    env = dict(
        os.environ,
        XDG_RUNTIME_DIR=str(empty),
        PULSE_SERVER="unix:/nonexistent",
        PYTHONPATH=str(REPO),
    )
    out = _run_child(
        """
        from voiceprint_studio.audio import list_input_devices
        print(len([d for d in list_input_devices() if d.name not in ("default", "pulse")]))
        """,
        env,
    )
    if out.returncode != 0 or out.stdout.strip() != "0":
        pytest.skip(f"this machine has a real input device: {out.stdout} {out.stderr}")
    out = _run_child(_SYSTEM_CHILD, env)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[1].startswith("start no_device | No microphone was found"), lines
    assert lines[2] == "check unreadable"


def test_a_takes_name_is_never_read_half_written(tmp_path: Path) -> None:
    """The name is replaced whole: a list of the takes read while it is being written (on
    another thread) saw an empty file, and the take as having no name."""
    import threading

    from voiceprint_studio.audio.takes import set_take_speaker, take_speaker

    take = tmp_path / "take-20261205-100000-000000.wav"
    take.write_bytes(b"RIFF")
    set_take_speaker(take, "Wang Fang")
    done = threading.Event()
    seen: set[str] = set()

    def read() -> None:
        while not done.is_set():
            seen.add(take_speaker(take))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(300):
            set_take_speaker(take, f"Wang Fang {n % 2}")
    finally:
        done.set()
        reader.join()
    assert "" not in seen and seen <= {"Wang Fang", "Wang Fang 0", "Wang Fang 1"}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
