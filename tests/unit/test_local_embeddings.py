"""How the backend keeps enrolled embeddings: per model, remade when stale, replaced with the
audio, and the schema migration that added the model column."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tests.backend_fixtures import BACKEND_TOKEN, wav_bytes, wsgi_client
from tests.toy_engine import SpectrumEngine
from voiceprint_studio.local.app import BackendApp, create_app
from voiceprint_studio.local.ge2e import ModelFileError
from voiceprint_studio.local.store import SCHEMA_VERSION

GROUPS = "/v1/audio/voiceprint_groups"


class RenamedEngine(SpectrumEngine):
    """The toy engine under another model id (as after an engine upgrade)."""

    model_id = "toy-spectrum/2"


def rows(data_dir: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / "backend.sqlite3") as conn:
        return conn.execute("SELECT name, embedding, embedding_model FROM features").fetchall()


def enroll(app: BackendApp, tones: dict[str, float]) -> str:
    with wsgi_client(app) as c:
        gid = str(c.post(GROUPS, json={"name": "g"}).json()["data"]["id"])
        for name, freq in tones.items():
            files = {"file": (f"{name}.wav", wav_bytes(1.0, freq=freq))}
            assert (
                c.post(f"{GROUPS}/{gid}/features", data={"name": name}, files=files).json()["code"]
                == 0
            )
    return gid


def identify(app: BackendApp, gid: str, freq: float) -> list[str]:
    with wsgi_client(app) as c:
        files = {"file": ("q.wav", wav_bytes(1.0, freq=freq))}
        body = c.post(f"{GROUPS}/{gid}/speaker_identify", files=files).json()
    assert body["code"] == 0, body
    return [s["feature_name"] for s in body["data"]["feature_score_list"]]


def test_embeddings_of_another_model_or_none_are_remade_on_identify(tmp_path: Path) -> None:
    data = tmp_path / "b"
    app = create_app(data, BACKEND_TOKEN)  # no engine: nothing embedded
    gid = enroll(app, {"low": 200.0})
    app.close()
    app = create_app(data, BACKEND_TOKEN, engine=SpectrumEngine())
    enroll_more = wsgi_client(app)
    files = {"file": ("high.wav", wav_bytes(1.0, freq=900.0))}
    enroll_more.post(f"{GROUPS}/{gid}/features", data={"name": "high"}, files=files)
    enroll_more.close()
    assert {(r[0], r[2]) for r in rows(data)} == {("low", None), ("high", "toy-spectrum/1")}
    assert identify(app, gid, 200.0) == ["low", "high"]
    assert identify(app, gid, 900.0) == ["high", "low"]
    assert {r[2] for r in rows(data)} == {"toy-spectrum/1"}
    app.close()

    app = create_app(data, BACKEND_TOKEN, engine=RenamedEngine())
    try:
        assert identify(app, gid, 900.0) == ["high", "low"]
        assert {r[2] for r in rows(data)} == {"toy-spectrum/2"}
    finally:
        app.close()


def test_replacing_the_audio_replaces_the_embedding(tmp_path: Path) -> None:
    app = create_app(tmp_path / "b", BACKEND_TOKEN, engine=SpectrumEngine())
    try:
        gid = enroll(app, {"a": 300.0, "b": 1200.0})
        before = {r[0]: r[1] for r in rows(tmp_path / "b")}
        assert identify(app, gid, 300.0)[0] == "a"
        with wsgi_client(app) as c:
            fid = next(
                f["id"]
                for f in c.get(f"{GROUPS}/{gid}/features").json()["data"]["items"]
                if f["name"] == "a"
            )
            files = {"file": ("a2.wav", wav_bytes(1.0, freq=1250.0))}
            assert c.put(f"{GROUPS}/{gid}/features/{fid}", files=files).json()["code"] == 0
        after = {r[0]: r[1] for r in rows(tmp_path / "b")}
        assert after["b"] == before["b"]
        assert after["a"] != before["a"]
        assert isinstance(after["a"], bytes)
        assert np.frombuffer(after["a"], dtype=np.float32).shape == (257,)
        assert identify(app, gid, 300.0)[0] != "a"
    finally:
        app.close()


def test_schema_1_databases_gain_the_model_column(tmp_path: Path) -> None:
    data = tmp_path / "b"
    app = create_app(data, BACKEND_TOKEN, engine=SpectrumEngine())
    gid = enroll(app, {"kept": 440.0})
    app.close()
    with sqlite3.connect(data / "backend.sqlite3") as conn:  # make it look like schema 1
        conn.execute("ALTER TABLE features DROP COLUMN embedding_model")
        conn.execute("PRAGMA user_version=1")
    app = create_app(data, BACKEND_TOKEN, engine=SpectrumEngine())
    try:
        with sqlite3.connect(data / "backend.sqlite3") as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
        assert rows(data)[0][2] is None  # unknown model: remade on the next identify
        assert identify(app, gid, 440.0) == ["kept"]
        assert rows(data)[0][2] == "toy-spectrum/1"
    finally:
        app.close()


class BrokenEngine(SpectrumEngine):
    """An engine whose model cannot be loaded here (as with a damaged weights file)."""

    def embed(self, samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        raise ModelFileError("the speaker model x.npz has sha256 0, expected 1")


def test_an_engine_that_cannot_run_leaves_enrollment_working_and_identify_says_why(
    tmp_path: Path,
) -> None:
    data = tmp_path / "b"
    app = create_app(data, BACKEND_TOKEN, engine=BrokenEngine())
    try:
        gid = enroll(app, {"kept": 440.0})  # enrollment succeeds without an embedding
        assert rows(data)[0][1:] == (None, None)
        with wsgi_client(app) as c:
            files = {"file": ("q.wav", wav_bytes(1.0, freq=440.0))}
            body = c.post(f"{GROUPS}/{gid}/speaker_identify", files=files).json()
        assert body["code"] == 4900
        assert "speaker identification is not available" in body["msg"]
        assert "sha256" in body["msg"]
    finally:
        app.close()
    app = create_app(data, BACKEND_TOKEN, engine=SpectrumEngine())  # repaired
    try:
        assert identify(app, gid, 440.0) == ["kept"]
    finally:
        app.close()
