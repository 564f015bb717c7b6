"""A deterministic toy speaker engine for tests: the normalised average magnitude spectrum.

Not a speaker model: two clips "match" when their spectra have the same shape,
which is enough to tell generated tones and noises apart and rank them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FRAME = 512


class SpectrumEngine:
    """Embeds audio as its unit-length average magnitude spectrum; scores by cosine x 100."""

    model_id = "toy-spectrum/1"

    def embed(self, samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        usable = samples[: samples.size - samples.size % FRAME]
        if usable.size == 0:
            usable = np.pad(samples, (0, FRAME - samples.size))
        frames = usable.reshape(-1, FRAME).astype(np.float64) * np.hanning(FRAME)
        spectrum = np.abs(np.fft.rfft(frames, axis=1)).mean(axis=0)
        norm = float(np.linalg.norm(spectrum))
        out: npt.NDArray[np.float32] = np.asarray(
            spectrum / norm if norm > 0 else spectrum, dtype=np.float32
        )
        return out

    def score(self, a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float:
        return float(np.clip(float(np.dot(a, b)), 0.0, 1.0)) * 100.0
