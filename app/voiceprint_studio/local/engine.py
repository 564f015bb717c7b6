"""The speaker-engine seam of the embedded backend.

An engine turns 16 kHz mono audio into an embedding and scores two embeddings from 0 to
100 (higher: more likely the same speaker; the app's default hit threshold is 40, as on the
Coze console). When one is given to :func:`voiceprint_studio.local.app.create_app`,
enrollment stores the engine's embedding of the uploaded audio (tagged with the engine's
``model_id``; embeddings of another model are remade from the stored audio on the next
identify) and ``speaker_identify`` scores the query audio against every enrolled feature of
the group. Without an engine, identify answers code 4900 and never invents a score.

The built-in engine is :class:`BuiltinEngine`: Resemblyzer's GE2E encoder run with numpy
(:mod:`voiceprint_studio.local.ge2e`), its weights shipped inside the package. It loads on
first use, so creating it costs nothing at start-up. A larger engine (for example an
ECAPA-TDNN on onnxruntime, as an optional extra) plugs in by implementing
:class:`SpeakerEngine` and being passed as ``engine=``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: Sample rate of the arrays handed to :meth:`SpeakerEngine.embed`.
ENGINE_SAMPLE_RATE = 16000


class EngineUnavailableError(RuntimeError):
    """The engine cannot run here (its model file is missing or damaged, or the VAD cannot
    load). Enrollment then stores the audio without an embedding (made on a later identify)
    and identify answers code 4900 with this message."""


class SpeakerEngine(Protocol):
    """Turns audio into speaker embeddings and compares them."""

    #: Names the model (and version) that makes the embeddings; stored with each one.
    model_id: str

    def embed(self, samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Return the embedding of mono float32 ``samples`` at 16 kHz (values in -1..1)."""
        ...

    def score(self, a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float:
        """Return a similarity score from 0 to 100 (higher is a closer match)."""
        ...


class BuiltinEngine:
    """The packaged GE2E engine, loaded (weights read and checked) on the first call."""

    def __init__(self) -> None:
        from voiceprint_studio.local.models import MODEL_ID

        self.model_id = MODEL_ID

    def embed(self, samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """The GE2E embedding of ``samples`` (see :meth:`.ge2e.Ge2eEngine.embed`)."""
        from voiceprint_studio.audio.vad import VadUnavailableError
        from voiceprint_studio.local.ge2e import shared_engine

        try:
            return shared_engine().embed(samples)
        except VadUnavailableError as exc:
            raise EngineUnavailableError(str(exc)) from exc

    def score(self, a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float:
        """0..100 from the cosine similarity (:func:`.ge2e.similarity_to_score`)."""
        from voiceprint_studio.local.ge2e import shared_engine

        return shared_engine().score(a, b)
