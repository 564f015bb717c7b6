"""A disk that fills up during a take, and float wavs holding NaN or infinite samples.

The take runs through the real :class:`Recorder` (synthetic input stream, real writer
thread, real files). The full disk is a real 1 MB tmpfs where the test may mount one
(root), and an injected ``ENOSPC`` everywhere else.
"""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile

from tests.audio_fixtures import synthetic_factory, tone
from tests.disk_fixtures import small_tmpfs
from voiceprint_studio.audio import InputDevice, Recorder, StopReason, check_file
from voiceprint_studio.audio import recorder as recorder_module
from voiceprint_studio.audio.errors import AudioSystemError


def _device() -> InputDevice:
    return InputDevice(3, "Synthetic mic", "Test API", 16000, 1, True)


def _record_until_finished(folder: Path) -> tuple[Recorder, list[Any]]:
    finished: list[Any] = []
    ended = threading.Event()

    def on_finished(take: Any, reason: StopReason, error: Any) -> None:
        finished.append((take, reason, error))
        ended.set()

    recorder = Recorder(
        folder, stream_factory=synthetic_factory(tone(60), speed=20), on_finished=on_finished
    )
    recorder.start(_device())
    assert ended.wait(30), "the take did not end by itself"
    recorder.stop()
    return recorder, finished


def _assert_disk_full_take(recorder: Recorder, finished: list[Any], written: int) -> None:
    take, reason, error = finished[0]
    assert reason is StopReason.DISK_FULL
    assert isinstance(error, AudioSystemError)
    assert error.key == "disk_full"
    assert "disk is full" in error.message
    assert "kept" in error.message
    assert "Free some disk space" in error.next_step
    assert recorder.error is error
    # what was written stays a valid wav of exactly the samples that reached the disk
    info = soundfile.info(str(take.path))
    assert (info.samplerate, info.channels, info.subtype) == (16000, 1, "PCM_16")
    assert info.frames == (take.path.stat().st_size - 44) // 2
    assert abs(info.frames - written // 2) <= 1
    assert info.frames > 16000  # more than a second was kept
    data, _rate = soundfile.read(str(take.path), dtype="float32")
    assert float(np.abs(data).max()) > 0.1  # the tone, not silence


class _FullDisk:
    """``open`` for the recorder module: its take file gets ``room`` bytes, then ENOSPC
    (a short write first, as a real disk gives)."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.written = 0

    def __call__(self, file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = open(file, mode, *args, **kwargs)  # noqa: SIM115
        if "w" not in mode:
            return handle
        disk = self

        class Limited:
            def __getattr__(self, name: str) -> Any:
                return getattr(handle, name)

            def write(self, data: Any) -> int:
                position = handle.tell()
                room = disk.room - position
                if room <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                n = int(handle.write(bytes(data)[:room]))
                disk.written = max(disk.written, position + n - 44)
                return n

        return Limited()


def test_injected_disk_full_mid_take_is_reported_and_the_take_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = _FullDisk(room=44 + 2 * 16000 * 2 + 1)  # two seconds and a half sample
    monkeypatch.setattr(recorder_module, "open", disk, raising=False)
    recorder, finished = _record_until_finished(tmp_path / "recs")
    _assert_disk_full_take(recorder, finished, disk.written)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_really_full_disk_mid_take(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "small", "256k") as disk:
        recorder, finished = _record_until_finished(disk)
        take = finished[0][0]
        _assert_disk_full_take(recorder, finished, take.path.stat().st_size - 44)


def test_a_full_disk_before_the_take_starts_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recorder_module, "open", _FullDisk(room=0), raising=False)
    recorder = Recorder(tmp_path / "recs", stream_factory=synthetic_factory(tone(1)))
    with pytest.raises(AudioSystemError) as caught:
        recorder.start(_device())
    assert caught.value.key == "disk_full"
    assert not recorder.is_recording


# -- NaN and infinite samples ----------------------------------------------------


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("subtype", ["FLOAT", "DOUBLE"])
def test_a_float_wav_with_non_finite_samples_is_blocked(
    tmp_path: Path, bad: float, subtype: str
) -> None:
    samples = tone(12, amp=0.3).astype(np.float64)
    samples[16000:16100] = bad
    path = tmp_path / "bad.wav"
    soundfile.write(str(path), samples, 16000, subtype=subtype)
    report = check_file(path)
    assert report.blocking
    finding = report.finding("non_finite")
    assert finding is not None
    assert finding.severity.value == "blocking"
    assert "100 samples" in finding.message
    assert "never match" in finding.message
    assert not finding.convertible


def test_the_same_float_wav_without_them_is_not_blocked_for_it(tmp_path: Path) -> None:
    path = tmp_path / "ok.wav"
    soundfile.write(str(path), tone(12, amp=0.3), 16000, subtype="FLOAT")
    assert check_file(path).finding("non_finite") is None
