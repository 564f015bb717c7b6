"""Shared helpers for the audio tests: espeak-ng speech, generated signals, a synthetic mic.

Plain functions and classes (import them); nothing here is a pytest plugin.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import soundfile

RATE = 16000

ZH_TEXT = (
    "你好，我正在录制一段声纹样本。今天天气很好，我们一起去公园散步吧。"
    "这是一个用于测试的句子，请仔细听。我的声音应该被清楚地识别出来。"
)
ZH_SHORT_TEXT = "你好，我正在录制一段声纹样本。今天天气很好，我们一起去公园散步吧。"
EN_TEXT = (
    "Hello, this is a voiceprint enrollment sample. The quick brown fox jumps over the "
    "lazy dog. I am speaking clearly and naturally, so that the system can learn my voice. "
    "One, two, three, four, five."
)


def espeak_wav(folder: Path, voice: str = "zh", text: str = ZH_TEXT, name: str = "") -> Path:
    """espeak-ng speech converted by sox to 16 kHz mono 16-bit; skips if a tool is missing."""
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt install espeak-ng sox)")
    raw = folder / f"{name or voice}-raw.wav"
    out = folder / f"{name or voice}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True, timeout=60)
    subprocess.run(
        ["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True, timeout=60
    )
    return out


def read_mono(path: Path) -> npt.NDArray[np.float32]:
    """A wav as 1-D float32."""
    data, _ = soundfile.read(str(path), dtype="float32", always_2d=True)
    return np.ascontiguousarray(data[:, 0])


def tone(seconds: float, freq: float = 440.0, amp: float = 0.5, rate: int = RATE) -> Any:
    """A sine tone, float32."""
    t = np.arange(int(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def white_noise(seconds: float, amp: float = 0.1, rate: int = RATE, seed: int = 0) -> Any:
    """Gaussian noise with RMS ``amp``, float32, clipped to [-1, 1]."""
    rng = np.random.default_rng(seed)
    return np.clip(amp * rng.standard_normal(int(seconds * rate)), -1, 1).astype(np.float32)


def silence(seconds: float, rate: int = RATE) -> Any:
    """Digital silence."""
    return np.zeros(int(seconds * rate), np.float32)


class SyntheticStream:
    """An input stream that feeds ``signal`` to the callback from a thread, like PortAudio.

    ``speed`` > 1 delivers faster than real time; ``die_after`` seconds of audio
    makes it stop delivering and become inactive (an unplugged device).
    """

    def __init__(
        self,
        signal: npt.NDArray[np.float32],
        rate: int,
        channels: int,
        callback: Callable[..., None],
        *,
        block: int = 1024,
        speed: float = 1.0,
        die_after: float | None = None,
    ) -> None:
        self._signal = signal
        self._rate = rate
        self._channels = channels
        self._callback = callback
        self._block = block
        self._speed = speed
        self._die_after = die_after
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="synthetic-mic", daemon=True)
        self.alive = False

    @property
    def active(self) -> bool:
        return self.alive

    def start(self) -> None:
        self.alive = True
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)
        self.alive = False

    def close(self) -> None:
        self.stop()

    def _run(self) -> None:
        pos = 0
        start = time.monotonic()
        n = self._signal.shape[0]
        while not self._stop.is_set():
            if self._die_after is not None and pos >= self._die_after * self._rate:
                self.alive = False
                return
            idx = np.arange(pos, pos + self._block) % n
            block = np.repeat(self._signal[idx, None], self._channels, axis=1).astype(np.float32)
            self._callback(block, self._block, None, None)
            pos += self._block
            due = start + pos / self._rate / self._speed
            delay = due - time.monotonic()
            if delay > 0:
                self._stop.wait(delay)


def synthetic_factory(
    signal: npt.NDArray[np.float32], **kwargs: Any
) -> Callable[[Any, int, int, Callable[..., None]], SyntheticStream]:
    """A Recorder ``stream_factory`` that plays ``signal`` (16 kHz mono) at the asked rate."""

    def factory(
        device: Any, rate: int, channels: int, callback: Callable[..., None]
    ) -> SyntheticStream:
        import soxr

        resampled = (
            np.asarray(soxr.resample(signal, RATE, rate), np.float32) if rate != RATE else signal
        )
        return SyntheticStream(resampled, rate, channels, callback, **kwargs)

    return factory


def last_elapsed(rest: str, read: float) -> float:
    """The last ``elapsed_seconds`` a killed child printed: ``rest`` is what it wrote after
    the value ``read`` (a line cut by the kill is left out)."""
    lines = rest.split("\n")[:-1]  # the last piece has no newline: empty, or cut
    return float(lines[-1]) if lines else read


def record_from_virtual_mic(qtbot: Any, recorder: Any, clip: Path) -> None:
    """Start ``recorder`` (a RecorderPanel), wait until audio flows, play ``clip`` into the
    PulseAudio virtual microphone with paplay and wait until it has played; the take is
    still recording when this returns."""
    recorder.record_button.click()
    qtbot.waitUntil(recorder.timer.isActive, timeout=10000)
    # PulseAudio's first read can stall about 0.8 s: wait for audio to flow.
    qtbot.waitUntil(
        lambda: recorder._recorder is not None and recorder._recorder.elapsed_seconds >= 1.0,
        timeout=10000,
    )
    player = subprocess.Popen(["paplay", str(clip)])
    try:
        qtbot.waitUntil(lambda: player.poll() is not None, timeout=60000)
    finally:
        if player.poll() is None:
            player.kill()
        player.wait(10)
    assert player.returncode == 0


_SPEECH_CACHE: dict[tuple[str, str], Path] = {}


def speech_file(dest: Path, voice: str = "en-us", text: str = EN_TEXT) -> Path:
    """A copy at ``dest`` of espeak-ng speech that passes the enrollment check (16 kHz
    mono 16-bit; made once per test process and voice)."""
    import tempfile

    key = (voice, text)
    made = _SPEECH_CACHE.get(key)
    if made is None or not made.exists():
        folder = Path(tempfile.mkdtemp(prefix="vps-speech-"))
        made = _SPEECH_CACHE[key] = espeak_wav(folder, voice, text, name="speech")
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(made, dest)
    return dest


def long_speech_file(dest: Path, seconds: float) -> Path:
    """Speech of about ``seconds`` at ``dest`` (the espeak-ng sample repeated), 16-bit."""
    once = read_mono(speech_file(dest))
    reps = int(np.ceil(seconds * RATE / len(once)))
    samples = np.tile(once, reps)[: int(seconds * RATE)]
    soundfile.write(str(dest), samples, RATE, subtype="PCM_16")
    return dest
