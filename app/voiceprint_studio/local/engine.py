"""The speaker-engine seam of the embedded backend.

An engine turns 16 kHz mono audio into an embedding and scores two embeddings from 0 to
100 (higher: more likely the same speaker; the app's default hit threshold is 40, as on the
Coze console, and every built-in engine's score curve puts 40 at its equal-error point).
When one is given to :func:`voiceprint_studio.local.app.create_app`, enrollment stores the
engine's embedding of the uploaded audio (tagged with the engine's ``model_id``; embeddings
of another model -- an older version, or the other engine -- are remade from the stored audio
on the next identify) and ``speaker_identify`` scores the query audio against every enrolled
feature of the group. Without an engine, identify answers code 4900 and never invents a score.

The built-in engine is :class:`BuiltinEngine`: by default 3D-Speaker's CAM++
(:mod:`voiceprint_studio.local.campp`), with Resemblyzer's GE2E
(:mod:`voiceprint_studio.local.ge2e`) as the fallback when the CAM++ weights are not
installed; both run with numpy, their weights shipped inside the package. It loads on first
use, so creating it costs nothing at start-up. Any other engine plugs in by implementing
:class:`SpeakerEngine` and being passed as ``engine=``.

Clips with less than :data:`~.embedding.MIN_CONFIDENT_SPEECH_SECONDS` of speech get scores,
but not confident ones: :func:`voiceprint_studio.api.verdict.decide` turns scores and the
clip's speech length into the verdict the app shows.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Literal, Protocol

from voiceprint_studio.local.embedding import SAMPLE_RATE, EngineUnavailableError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# Sample rate of the arrays handed to :meth:`SpeakerEngine.embed`.
ENGINE_SAMPLE_RATE = SAMPLE_RATE

# The built-in engines by name (``"campp"`` is the default).
EngineName = Literal["campp", "ge2e"]

_log = logging.getLogger(__name__)

__all__ = [
    "ENGINE_SAMPLE_RATE",
    "BuiltinEngine",
    "EngineName",
    "EngineUnavailableError",
    "SpeakerEngine",
]


class SpeakerEngine(Protocol):
    """Turns audio into speaker embeddings and compares them."""

    @property
    def model_id(self) -> str:
        """Names the model (and version) that makes the embeddings; stored with each one."""
        ...

    def embed(self, samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Return the embedding of mono float32 ``samples`` at 16 kHz (values in -1..1)."""
        ...

    def score(self, a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float:
        """Return a similarity score from 0 to 100 (higher is a closer match)."""
        ...


class _Loaded(SpeakerEngine, Protocol):
    def similarity(self, a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float: ...


def _load(name: EngineName) -> _Loaded:
    if name == "campp":
        from voiceprint_studio.local import campp

        return campp.shared_engine()
    from voiceprint_studio.local import ge2e

    return ge2e.shared_engine()


def _installed(name: EngineName) -> bool:
    from voiceprint_studio.local import models

    file = models.CAMPP_FILE if name == "campp" else models.MODEL_FILE
    return models.model_path(file).exists()


class BuiltinEngine:
    """A packaged engine, loaded (weights read and checked) on the first call (thread-safe).

    ``name`` picks the engine: ``"campp"`` (default) or ``"ge2e"``. With ``fallback`` (the
    default), a missing CAM++ weights file selects GE2E instead, with a warning in the log; a
    weights file that is present but damaged is refused (:class:`EngineUnavailableError`),
    never silently replaced. ``model_id`` names the engine that runs, so switching engines
    makes the backend re-embed stored audio lazily.
    """

    def __init__(self, name: EngineName = "campp", *, fallback: bool = True) -> None:
        self.requested: EngineName = name
        self.fallback = fallback
        self._lock = threading.Lock()
        self._name: EngineName | None = None

    @property
    def name(self) -> EngineName:
        """The engine that runs (decided on first use; cheap: no weights are read)."""
        with self._lock:
            if self._name is None:
                name = self.requested
                if name == "campp" and self.fallback and not _installed("campp"):
                    _log.warning(
                        "the CAM++ speaker model is not installed (run "
                        "packaging/build_campp_model.py); using the GE2E engine"
                    )
                    name = "ge2e"
                self._name = name
            return self._name

    @property
    def model_id(self) -> str:
        """The ``model_id`` of the engine that runs."""
        from voiceprint_studio.local import models

        return models.CAMPP_ID if self.name == "campp" else models.MODEL_ID

    def _engine(self) -> _Loaded:
        return _load(self.name)

    def embed(self, samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """The running engine's embedding of ``samples``."""
        from voiceprint_studio.audio.vad import VadUnavailableError

        try:
            return self._engine().embed(samples)
        except VadUnavailableError as exc:
            raise EngineUnavailableError(str(exc)) from exc

    def similarity(self, a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float:
        """Cosine similarity of two embeddings."""
        return self._engine().similarity(a, b)

    def score(self, a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float:
        """0..100 on the running engine's own score curve."""
        return self._engine().score(a, b)
