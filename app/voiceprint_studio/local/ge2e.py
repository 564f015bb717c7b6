"""The fallback built-in speaker engine: Resemblyzer's GE2E voice encoder, run with numpy.

The weights are those of ``resemblyzer`` 0.1.4 (Apache-2.0; Wan et al., "Generalized
End-to-End Loss for Speaker Verification", trained on LibriSpeech, VoxCeleb 1 and 2), converted
to float16 by ``packaging/build_speaker_model.py`` and shipped inside the package
(``local/models/``, identity pinned in :mod:`.models`). Nothing is downloaded at run time,
and neither torch nor librosa is needed:

* **Front end** (as Resemblyzer's ``preprocess_wav`` and ``wav_to_mel_spectrogram``): speech
  frames only (Silero VAD from :mod:`voiceprint_studio.audio.vad`, where Resemblyzer used
  webrtcvad), volume brought to -30 dBFS -- raised if quieter, lowered if louder (Resemblyzer
  only raises it; lowering too makes the score blind to the recording level) -- then a
  40-band mel power spectrogram
  (25 ms Hann window, 10 ms hop, Slaney mel scale, as librosa computes it).
* **Network**: three LSTM layers of 256 units, a 256 x 256 linear layer, ReLU, L2 norm, on
  partial utterances of 160 frames (1.6 s) taken 1.3 times a second; the utterance
  embedding is the normalised mean of the partial embeddings. Long audio is processed in
  batches of :data:`BATCH_PARTIALS` partials, so memory stays bounded.
* **Score**: the cosine similarity of two embeddings, mapped to 0..100 by
  :func:`similarity_to_score` (see there for the curve and its calibration).

The weights file is checked against :data:`MODEL_SHA256` when it is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from voiceprint_studio.local import embedding
from voiceprint_studio.local.embedding import (
    SAMPLE_RATE,
    EmbeddingEngine,
    LoadOnce,
    ScoreCurve,
    read_checked_model,
)
from voiceprint_studio.local.models import MODEL_ID, MODEL_SHA256, model_path

if TYPE_CHECKING:
    from pathlib import Path

    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]

BUILD_SCRIPT = "build_speaker_model.py"
# The weights file is missing or damaged (shared by the engines).
ModelFileError = embedding.ModelFileError
# The default hit threshold (shared by the engines).
THRESHOLD_SCORE = embedding.THRESHOLD_SCORE
N_FFT = 400  # 25 ms
HOP = 160  # 10 ms
N_MELS = 40
PARTIAL_FRAMES = 160  # 1.6 s
PARTIAL_RATE = 1.3  # partials per second
MIN_COVERAGE = 0.75
HIDDEN = 256
LAYERS = 3
TARGET_DBFS = -30.0
# Partial utterances run through the network at once (bounds memory on long audio; larger
# batches use the CPU better: 8.4 ms per partial at 32, 11 ms at 16, 13 ms at 13).
BATCH_PARTIALS = 32
# Time steps whose input projection is computed at once.
INPUT_CHUNK_STEPS = 40
# STFT frames computed at once (5 s of audio; bounds memory on long audio).
MEL_BLOCK_FRAMES = 500

# -- the similarity -> score curve ------------------------------------------------------------
# Cosine similarity at which a score of 40 (:data:`THRESHOLD_SCORE`) is given: the
# equal-error point of the calibration speech, clean and degraded probes pooled (0.705;
# README, "Offline speaker identification").
THRESHOLD_SIMILARITY = 0.70
# Similarity at or below which the score is 0 (GE2E embeddings are non-negative, so
# unrelated voices rarely fall below 0.5); puts a different speaker's median score near 20.
FLOOR_SIMILARITY = 0.51
# GE2E's similarity -> score curve (see :class:`~.embedding.ScoreCurve`).
CURVE = ScoreCurve(floor=FLOOR_SIMILARITY, threshold=THRESHOLD_SIMILARITY)


def similarity_to_score(similarity: float) -> float:
    """Map a cosine similarity to a 0..100 score with :data:`CURVE`."""
    return CURVE.score(similarity)


@dataclass(frozen=True)
class Ge2eWeights:
    """The network's weights in float32, laid out for the numpy forward pass."""

    w_ih: tuple[FloatArray, ...]  # per layer, transposed: (in, 4H)
    w_hh: tuple[FloatArray, ...]  # per layer, transposed: (H, 4H)
    bias: tuple[FloatArray, ...]  # per layer: b_ih + b_hh, (4H,)
    linear_w: FloatArray  # transposed: (H, E)
    linear_b: FloatArray  # (E,)

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Ge2eWeights:
        """Build from the state-dict names (``lstm.weight_ih_l0``, ``linear.bias``, ...).

        torch orders an LSTM's gates (input, forget, cell, output); they are reordered to
        (input, forget, output, cell) so the three sigmoid gates are one contiguous slice,
        and those three are pre-scaled by 1/2: ``sigmoid(x) = (1 + tanh(x / 2)) / 2``, so one
        ``tanh`` over all four gates serves them all (and cannot overflow).
        """
        order = np.r_[0 : 2 * HIDDEN, 3 * HIDDEN : 4 * HIDDEN, 2 * HIDDEN : 3 * HIDDEN]
        scale = np.ones(4 * HIDDEN, dtype=np.float32)
        scale[: 3 * HIDDEN] = 0.5

        def f32(name: str) -> FloatArray:
            return np.asarray(arrays[name], dtype=np.float32)

        def gates(name: str) -> FloatArray:
            scaled: FloatArray = (f32(name)[order].T * scale).T
            return scaled

        return cls(
            w_ih=tuple(
                np.ascontiguousarray(gates(f"lstm.weight_ih_l{k}").T) for k in range(LAYERS)
            ),
            w_hh=tuple(
                np.ascontiguousarray(gates(f"lstm.weight_hh_l{k}").T) for k in range(LAYERS)
            ),
            bias=tuple(
                gates(f"lstm.bias_ih_l{k}") + gates(f"lstm.bias_hh_l{k}") for k in range(LAYERS)
            ),
            linear_w=np.ascontiguousarray(f32("linear.weight").T),
            linear_b=f32("linear.bias"),
        )


def load_weights(
    path: Path | None = None, *, expected_sha256: str | None = MODEL_SHA256
) -> Ge2eWeights:
    """Read and check the weights file (``expected_sha256=None`` skips the check)."""
    data = read_checked_model(path or model_path(), expected_sha256, BUILD_SCRIPT)
    import io

    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return Ge2eWeights.from_arrays({name: npz[name] for name in npz.files})


# -- front end ----------------------------------------------------------------------------


# Slaney's mel scale (librosa's default): linear below 1 kHz, logarithmic above.
_MEL_F_SP = 200.0 / 3  # Hz per mel in the linear part
_MEL_MIN_LOG_HZ = 1000.0
_MEL_MIN_LOG_MEL = _MEL_MIN_LOG_HZ / _MEL_F_SP
_MEL_LOGSTEP = float(np.log(6.4) / 27.0)


def _hz_to_mel(freq: float) -> float:
    if freq < _MEL_MIN_LOG_HZ:
        return freq / _MEL_F_SP
    return _MEL_MIN_LOG_MEL + float(np.log(freq / _MEL_MIN_LOG_HZ)) / _MEL_LOGSTEP


def _mel_to_hz(mels: np.ndarray) -> np.ndarray:
    mels = np.asarray(mels, dtype=np.float64)
    freqs = _MEL_F_SP * mels
    high = mels >= _MEL_MIN_LOG_MEL
    freqs[high] = _MEL_MIN_LOG_HZ * np.exp(_MEL_LOGSTEP * (mels[high] - _MEL_MIN_LOG_MEL))
    return freqs


def mel_filterbank() -> FloatArray:
    """The (N_MELS, N_FFT // 2 + 1) Slaney-normalised triangular filters librosa builds."""
    fft_freqs = np.linspace(0.0, SAMPLE_RATE / 2, N_FFT // 2 + 1)
    mel_f = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fft_freqs)
    weights = np.zeros((N_MELS, fft_freqs.size))
    for i in range(N_MELS):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_f[2 : N_MELS + 2] - mel_f[:N_MELS]))[:, None]
    return weights.astype(np.float32)


_FILTERS = mel_filterbank()
_WINDOW = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)


def mel_spectrogram(wav: FloatArray) -> FloatArray:
    """(frames, 40) mel power spectrogram, centred frames with reflect padding (as librosa)."""
    pad = N_FFT // 2
    if wav.size <= pad:
        padded = np.pad(wav, pad, mode="constant")
    else:
        padded = np.pad(wav, pad, mode="reflect")
    n_frames = 1 + (padded.size - N_FFT) // HOP
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP][:n_frames]
    out = np.empty((n_frames, N_MELS), dtype=np.float32)
    for start in range(0, n_frames, MEL_BLOCK_FRAMES):
        block = frames[start : start + MEL_BLOCK_FRAMES] * _WINDOW
        power = np.abs(np.fft.rfft(block, axis=1)) ** 2
        out[start : start + block.shape[0]] = power.astype(np.float32) @ _FILTERS.T
    return out


def normalize_volume(wav: FloatArray) -> FloatArray:
    """Bring the level to -30 dBFS, up or down (Resemblyzer only raised it)."""
    rms = float(np.sqrt(np.mean(np.square(wav, dtype=np.float64)))) if wav.size else 0.0
    if rms <= 0.0:
        return wav
    change = TARGET_DBFS - 20 * np.log10(rms)
    levelled: FloatArray = (wav * np.float32(10 ** (change / 20))).astype(np.float32)
    return levelled


def partial_starts(n_samples: int) -> list[int]:
    """Mel-frame offsets of the 1.6 s partial utterances (Resemblyzer's slicing)."""
    n_frames = int(np.ceil((n_samples + 1) / HOP))
    step = int(np.round((SAMPLE_RATE / PARTIAL_RATE) / HOP))
    starts = list(range(0, max(1, n_frames - PARTIAL_FRAMES + step + 1), step))
    coverage = (n_samples - starts[-1] * HOP) / (PARTIAL_FRAMES * HOP)
    if coverage < MIN_COVERAGE and len(starts) > 1:
        starts.pop()
    return starts


# -- network ------------------------------------------------------------------------------


def forward(weights: Ge2eWeights, mels: FloatArray) -> FloatArray:
    """Embeddings (B, 256), L2-normalised, of a batch of (B, 160, 40) mel partials.

    Time-major, in place on preallocated buffers; the input projection is computed
    :data:`INPUT_CHUNK_STEPS` steps at a time, so memory stays small for large batches.
    """
    batch, steps, _ = mels.shape
    x = np.ascontiguousarray(mels.transpose(1, 0, 2))  # (steps, batch, features)
    h = np.zeros((batch, HIDDEN), dtype=np.float32)
    c = np.empty((batch, HIDDEN), dtype=np.float32)
    gates = np.empty((batch, 4 * HIDDEN), dtype=np.float32)
    tmp = np.empty((batch, HIDDEN), dtype=np.float32)
    sig = gates[:, : 3 * HIDDEN]
    i, f, o = (gates[:, k * HIDDEN : (k + 1) * HIDDEN] for k in range(3))
    g = gates[:, 3 * HIDDEN :]
    for layer in range(LAYERS):
        w_ih, w_hh, bias = weights.w_ih[layer], weights.w_hh[layer], weights.bias[layer]
        h = np.zeros((batch, HIDDEN), dtype=np.float32)
        c.fill(0.0)
        outputs = np.empty((steps, batch, HIDDEN), dtype=np.float32) if layer < LAYERS - 1 else None
        for first in range(0, steps, INPUT_CHUNK_STEPS):
            chunk = x[first : first + INPUT_CHUNK_STEPS]
            gates_in = (chunk.reshape(-1, chunk.shape[2]) @ w_ih).reshape(len(chunk), batch, -1)
            gates_in += bias
            for t in range(len(chunk)):
                np.matmul(h, w_hh, out=gates)
                gates += gates_in[t]
                np.tanh(gates, out=gates)  # i, f, o were pre-scaled by 1/2 (see Ge2eWeights)
                sig *= 0.5
                sig += 0.5
                c *= f
                np.multiply(i, g, out=tmp)
                c += tmp
                np.tanh(c, out=tmp)
                np.multiply(o, tmp, out=h)
                if outputs is not None:
                    outputs[first + t] = h
        if outputs is not None:
            x = outputs
    raw = np.maximum(h @ weights.linear_w + weights.linear_b, 0.0)
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    embeddings: FloatArray = (raw / np.maximum(norms, 1e-12)).astype(np.float32)
    return embeddings


class Ge2eEngine(EmbeddingEngine[Ge2eWeights]):
    """The built-in :class:`~voiceprint_studio.local.engine.SpeakerEngine` (thread-safe)."""

    model_id = MODEL_ID
    curve = CURVE

    @classmethod
    def read_weights(cls, path: Path | None) -> Ge2eWeights:
        """The packaged (or given) weights file, checked against its pinned sha256."""
        return load_weights(path)

    def embed_speech(self, wav: FloatArray) -> FloatArray:
        """The 256-dim embedding of mono float32 16 kHz speech ``wav``."""
        wav = normalize_volume(wav)
        starts = partial_starts(wav.size)
        needed = (starts[-1] + PARTIAL_FRAMES) * HOP
        if needed > wav.size:
            wav = np.pad(wav, (0, needed - wav.size))
        mel = mel_spectrogram(wav)
        total = np.zeros(HIDDEN, dtype=np.float64)
        for first in range(0, len(starts), BATCH_PARTIALS):
            batch = starts[first : first + BATCH_PARTIALS]
            mels = np.stack([mel[s : s + PARTIAL_FRAMES] for s in batch])
            total += forward(self.weights, mels).sum(axis=0)
        mean = total / len(starts)
        return (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)


_shared = LoadOnce(Ge2eEngine.load)


def shared_engine() -> Ge2eEngine:
    """The packaged engine, loaded once per process (thread-safe)."""
    return _shared.get()
