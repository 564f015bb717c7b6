"""The speaker-engine seam of the embedded backend.

No engine ships yet. When one is given to :func:`voiceprint_studio.local.app.create_app`,
enrollment stores the engine's embedding of the uploaded audio next to the feature row and
``speaker_identify`` scores the query audio against every enrolled feature of the group.
Without an engine, identify answers code 4900 and never invents a score.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: Sample rate of the arrays handed to :meth:`SpeakerEngine.embed`.
ENGINE_SAMPLE_RATE = 16000


class SpeakerEngine(Protocol):
    """Turns audio into speaker embeddings and compares them."""

    def embed(self, samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Return the embedding of mono float32 ``samples`` at 16 kHz (values in -1..1)."""
        ...

    def score(self, a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float:
        """Return a similarity score from 0 to 100 (higher is a closer match)."""
        ...
