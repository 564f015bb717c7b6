"""What the built-in speaker engines share (Qt-free, no engine imported here).

* :class:`EngineUnavailableError` and :class:`ModelFileError`;
* :func:`read_checked_model`: a packaged weights file read and checked against its pinned sha256;
* :class:`ScoreCurve`: the piecewise-linear map from cosine similarity to a 0..100 score that
  each engine calibrates so that :data:`THRESHOLD_SCORE` sits at its equal-error point;
* :func:`speech_only` / :func:`speech_seconds`: the speech in a clip (Silero VAD, the same
  detector as the recording checker) and how long it is -- below
  :data:`MIN_CONFIDENT_SPEECH_SECONDS` a verdict is not confident (see
  :func:`voiceprint_studio.api.verdict.decide`);
* :func:`single_threaded_blas`;
* :class:`EmbeddingEngine`: what an engine class wraps around its network (load with the
  checksum and one BLAS thread, keep the speech, cosine similarity, score on its curve), and
  :class:`LoadOnce`: the engine each module shares per process.

``engine.py`` (the seam), ``ge2e.py`` and ``campp.py`` import this module; it imports none of
them, so there is no import cycle between the seam and the engines. It loads numpy only when
a function needs it, so the backend imports the seam without numpy (listing groups stays
cheap).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]

# Sample rate of the arrays the engines embed.
SAMPLE_RATE = 16000
# The app's (and the Coze console's) default hit threshold.
THRESHOLD_SCORE = 40.0
# Below this much detected speech a clip is too short for a confident verdict: the
# curves were calibrated on longer clips, and on 2 s of speech CAM++'s equal error rate
# was 5.1 % against 2.2 % on full-length probes (README, "Offline speaker identification").
MIN_CONFIDENT_SPEECH_SECONDS = 3.0
# Below this much detected speech, the whole clip is used instead of the speech frames.
MIN_SPEECH_SECONDS = 0.5
# Speech segments are widened by this much on each side before they are joined.
SPEECH_PAD_SECONDS = 0.1


class EngineUnavailableError(RuntimeError):
    """The engine cannot run here (its model file is missing or damaged, or the VAD cannot
    load). Enrollment then stores the audio without an embedding (made on a later identify)
    and identify answers code 4900 with this message."""


class ModelFileError(EngineUnavailableError):
    """A weights file is missing or is not the file this version of the app expects."""


def read_checked_model(path: Path, expected_sha256: str | None, build_script: str) -> bytes:
    """The bytes of the weights file ``path``, refused unless they have ``expected_sha256``
    (``None`` skips the check). ``build_script`` is named in the message that says how to
    (re)build it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelFileError(
            f"the speaker model {path} is missing; run packaging/{build_script}"
        ) from exc
    digest = hashlib.sha256(data).hexdigest()
    if expected_sha256 is not None and digest != expected_sha256:
        raise ModelFileError(
            f"the speaker model {path} has sha256 {digest}, expected {expected_sha256}; "
            f"rebuild it with packaging/{build_script}"
        )
    return data


@dataclass(frozen=True)
class ScoreCurve:
    """Cosine similarity -> 0..100, piecewise linear through three points:

    * ``similarity <= floor`` -> 0
    * ``floor .. threshold`` -> 0 .. :data:`THRESHOLD_SCORE`, linearly
    * ``threshold .. 1`` -> :data:`THRESHOLD_SCORE` .. 100, linearly

    ``threshold`` is the similarity at the engine's equal-error point on the calibration
    speech, so the default hit threshold of 40 means the same thing for every engine.
    """

    floor: float
    threshold: float

    def score(self, similarity: float) -> float:
        """The 0..100 score of a cosine ``similarity`` (monotonic, clamped)."""
        if similarity <= self.floor:
            return 0.0
        if similarity <= self.threshold:
            return THRESHOLD_SCORE * (similarity - self.floor) / (self.threshold - self.floor)
        span = 1.0 - self.threshold
        rise = (100.0 - THRESHOLD_SCORE) * (similarity - self.threshold) / span
        return min(100.0, THRESHOLD_SCORE + rise)


def cosine(a: FloatArray, b: FloatArray) -> float:
    """Cosine similarity of two embeddings (0 when one is all zeros)."""
    import numpy as np

    denom = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.dot(a, b) / denom) if denom > 0 else 0.0


def _speech_mask(wav: FloatArray) -> npt.NDArray[np.bool_]:
    import numpy as np

    from voiceprint_studio.audio.vad import speech_segments

    pad = int(SPEECH_PAD_SECONDS * SAMPLE_RATE)

    keep = np.zeros(wav.size, dtype=bool)
    for start, end in speech_segments(wav):
        keep[max(0, int(start * SAMPLE_RATE) - pad) : int(end * SAMPLE_RATE) + pad] = True
    return keep


def speech_only(wav: FloatArray) -> FloatArray:
    """The speech frames of ``wav`` (Silero VAD), or all of it when too little speech is found."""
    keep = _speech_mask(wav)
    if keep.sum() < MIN_SPEECH_SECONDS * SAMPLE_RATE:
        return wav
    return wav[keep]


def speech_seconds(wav: FloatArray) -> float:
    """Seconds of speech Silero VAD finds in 16 kHz mono ``wav`` (as the recording checker's
    ``AudioReport.speech_seconds``)."""
    from voiceprint_studio.audio.vad import speech_segments

    return float(sum(end - start for start, end in speech_segments(wav)))


_lock = threading.Lock()
_blas_limit: object | None = None


def single_threaded_blas() -> None:
    """Limit numpy's BLAS to one thread (once per process; kept for the process's life).

    The engines' matrices are small, and a second BLAS thread only adds hand-offs -- on a
    busy two-core machine it made a GE2E embedding ten times slower. Nothing else in the app
    does large matrix work.
    """
    global _blas_limit  # noqa: PLW0603 -- a process-wide setting, made once
    with _lock:
        if _blas_limit is None:
            from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

            _blas_limit = threadpool_limits(limits=1, user_api="blas")


WeightsT = TypeVar("WeightsT")
EngineT = TypeVar("EngineT", bound="EmbeddingEngine[Any]")
LoadedT = TypeVar("LoadedT")


class EmbeddingEngine(Generic[WeightsT]):
    """The wrapper each engine puts around its network (a
    :class:`~voiceprint_studio.local.engine.SpeakerEngine`; thread-safe).

    A subclass sets :attr:`model_id` and :attr:`curve` and defines :meth:`read_weights` and
    :meth:`embed_speech`.
    """

    model_id: str
    curve: ScoreCurve

    def __init__(self, weights: WeightsT, *, use_vad: bool = True) -> None:
        self.weights = weights
        self.use_vad = use_vad

    @classmethod
    def read_weights(cls, path: Path | None) -> WeightsT:
        """The packaged (or given) weights file, checked against its pinned sha256."""
        raise NotImplementedError

    @classmethod
    def load(cls: type[EngineT], path: Path | None = None) -> EngineT:
        """Load the packaged (or given) weights file, checking its sha256 (and limit BLAS to
        one thread: :func:`single_threaded_blas`)."""
        single_threaded_blas()
        return cls(cls.read_weights(path))

    def embed(self, samples: FloatArray) -> FloatArray:
        """The embedding of mono float32 16 kHz ``samples`` (of their speech, with the VAD)."""
        import numpy as np

        wav = np.asarray(samples, dtype=np.float32)
        if self.use_vad and wav.size:
            wav = speech_only(wav)
        return self.embed_speech(wav)

    def embed_speech(self, wav: FloatArray) -> FloatArray:
        """The L2-normalised embedding of ``wav`` as it is (no VAD)."""
        raise NotImplementedError

    def similarity(self, a: FloatArray, b: FloatArray) -> float:
        """Cosine similarity of two embeddings."""
        return cosine(a, b)

    def score(self, a: FloatArray, b: FloatArray) -> float:
        """0..100 from the cosine similarity (the engine's :attr:`curve`)."""
        return self.curve.score(self.similarity(a, b))


class LoadOnce(Generic[LoadedT]):
    """``load()``'s result, made on the first call and kept for the process (thread-safe)."""

    def __init__(self, load: Callable[[], LoadedT]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._loaded: LoadedT | None = None

    def get(self) -> LoadedT:
        """The loaded object (loading it now if this is the first call)."""
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded
