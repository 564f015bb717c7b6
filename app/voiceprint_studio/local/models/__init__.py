"""The built-in speaker model's pinned identity (the weights files beside this module).

``ge2e-resemblyzer-0.1.4-fp16.npz``, ``LICENSE-resemblyzer.txt`` and ``MANIFEST.json`` are
built by ``packaging/build_speaker_model.py`` from the ``resemblyzer`` 0.1.4 wheel on PyPI
(the set-up scripts run it); they are never committed or edited. The conversion is
deterministic, so the weights file must have exactly :data:`MODEL_SHA256`: the app checks it
on load and the script checks its own output against it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

MODEL_FILE = "ge2e-resemblyzer-0.1.4-fp16.npz"
MODEL_SHA256 = "22f34f5c427b9dc10cea52855690163232415cbfe31fbee73111685d6994f407"
#: Tags the embeddings this model makes; bump the suffix when the front end changes.
MODEL_ID = "ge2e-resemblyzer-0.1.4-fp16/1"


def model_path() -> Path:
    """Where the package keeps the converted weights."""
    return Path(str(resources.files(__name__).joinpath(MODEL_FILE)))
