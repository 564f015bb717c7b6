"""The embedded backend in-process (httpx.WSGITransport) and its store on its own."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from tests.backend_fixtures import BACKEND_TOKEN, wav_bytes, wsgi_client
from voiceprint_studio.local.app import BackendApp, create_app
from voiceprint_studio.local.store import SCHEMA_VERSION, NewAudio, Store

GROUPS = "/v1/audio/voiceprint_groups"


class ToneEngine:
    """A toy engine: the embedding is the dominant frequency; closer tones score higher."""

    model_id = "toy-tone/1"

    def embed(self, samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        spectrum = np.abs(np.fft.rfft(samples))
        peak = float(np.argmax(spectrum)) * 16000 / samples.size
        return np.array([peak], dtype=np.float32)

    def score(self, a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float:
        return max(0.0, 100.0 - abs(float(a[0]) - float(b[0])) / 10.0)


def test_in_process_round_trip(backend_app: BackendApp) -> None:
    with wsgi_client(backend_app) as c:
        me = c.get("/v1/users/me").json()
        assert me["data"]["user_id"] == backend_app.user.user_id
        gid = c.post(GROUPS, json={"name": "离线"}).json()["data"]["id"]
        resp = c.post(
            f"{GROUPS}/{gid}/features", data={"name": "a"}, files={"file": ("a.wav", wav_bytes())}
        )
        assert resp.json()["code"] == 0
        item = c.get(f"{GROUPS}/{gid}/features").json()["data"]["items"][0]
        assert item["audio_url"].startswith("http://offline.local/files/audio/")
        audio = c.get(item["audio_url"], headers={"Authorization": ""})
        assert audio.content == wav_bytes()


def test_identify_with_engine_scores_best_first(tmp_path: Path) -> None:
    app = create_app(tmp_path / "b", BACKEND_TOKEN, engine=ToneEngine())
    try:
        with wsgi_client(app) as c:
            gid = c.post(GROUPS, json={"name": "g"}).json()["data"]["id"]
            ids = {}
            for name, freq in (("low", 220.0), ("mid", 440.0), ("high", 880.0)):
                resp = c.post(
                    f"{GROUPS}/{gid}/features",
                    data={"name": name, "desc": f"{freq} Hz"},
                    files={"file": ("x.wav", wav_bytes(0.5, freq=freq))},
                )
                ids[name] = resp.json()["data"]["id"]
            query = {"file": ("q.wav", wav_bytes(0.5, rate=8000, freq=460.0))}
            data = c.post(f"{GROUPS}/{gid}/speaker_identify", files=query).json()["data"]
            scores = data["feature_score_list"]
            assert [s["feature_name"] for s in scores] == ["mid", "low", "high"]
            assert scores[0]["feature_id"] == ids["mid"]
            assert scores[0]["feature_desc"] == "440.0 Hz"
            assert all(0.0 <= s["score"] <= 100.0 for s in scores)
            assert scores[0]["score"] > scores[1]["score"] >= scores[2]["score"]
            top = c.post(
                f"{GROUPS}/{gid}/speaker_identify", data={"top_k": "1"}, files=query
            ).json()["data"]["feature_score_list"]
            assert [s["feature_name"] for s in top] == ["mid"]
    finally:
        app.close()


def test_unexpected_exception_is_5000_without_traceback(
    backend_app: BackendApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(backend_app.store, "list_groups", boom)
    with wsgi_client(backend_app) as c:
        resp = c.get(GROUPS)
    body = resp.json()
    assert resp.status_code == 500
    assert body["code"] == 5000
    assert body["detail"]["logid"] == resp.headers["x-tt-logid"]
    assert "secret" not in resp.text
    assert "Traceback" not in resp.text


def test_latency_is_injected(tmp_path: Path) -> None:
    app = create_app(tmp_path / "b", BACKEND_TOKEN, latency=0.15)
    try:
        with wsgi_client(app) as c:
            start = time.monotonic()
            assert c.get("/v1/users/me").json()["code"] == 0
            assert time.monotonic() - start >= 0.15
    finally:
        app.close()


def test_schema_is_versioned_and_wal(tmp_path: Path) -> None:
    store = Store(tmp_path)
    # each commit on the disk when it returns: audio replaced or deleted is unlinked after
    # its commit, so a commit lost to a power cut would leave a row without its file
    with store._conn() as conn:  # (a connection's setting: only the store's own tell)
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    store.close()
    with sqlite3.connect(tmp_path / "backend.sqlite3") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        Store(tmp_path)


def test_reopen_keeps_data_and_quarantines_orphans(tmp_path: Path) -> None:
    store = Store(tmp_path)
    group = store.create_group("g")
    feature = store.create_feature(group.id, "f", "", NewAudio(wav_bytes(), "wav"))
    store.add_voice("voice_cloning", "v1", "d")
    store.close()
    (tmp_path / "audio" / "123-deadbeef.wav").write_bytes(b"orphan")
    (tmp_path / "audio" / ".x.wav.1234.part").write_bytes(b"half written")
    store = Store(tmp_path)
    try:
        assert sorted(p.name for p in (tmp_path / "audio").iterdir()) == [
            feature.audio_file,
            f"{feature.audio_file}.json",
        ]
        # the unreferenced recording is kept in the quarantine folder; the temp file is gone
        assert (tmp_path / "quarantine" / "123-deadbeef.wav").read_bytes() == b"orphan"
        assert [q.path.name for q in store.quarantined()] == ["123-deadbeef.wav"]
        assert store.quarantined_on_open == ["123-deadbeef.wav"]
        assert store.get_feature(group.id, feature.id) == feature
        assert [v.voice_id for v in store.list_voices("voice_cloning")] == ["v1"]
        # system voices are seeded once, not again on re-open
        assert len(store.list_voices("system")) == len(
            {v.voice_id for v in store.list_voices("system")}
        )
    finally:
        store.close()


def test_add_voice_rejects_bad_input(tmp_path: Path) -> None:
    from voiceprint_studio.local.store import VoiceError

    store = Store(tmp_path)
    try:
        store.add_voice("voice_generation", "ttv-1", ["a", "b"])
        with pytest.raises(VoiceError):
            store.add_voice("voice_generation", "ttv-1", "again")
        with pytest.raises(VoiceError):
            store.add_voice("robot", "x", "")
    finally:
        store.close()
