"""The built-in speaker engines (CAM++, the default, and GE2E, the fallback) on espeak-ng
voices and generated audio, the CAM++ port against reference values of the original network,
the verdict rule, and identification through the backend and cozepy.

cozepy sends ``top_k`` as a multipart field, and httpx refuses ints there, so it is passed
as a string (as the other form fields in tests/unit/test_local_cozepy.py).

espeak voices are synthetic, so the matrix is a smoke test of ranking, not a calibration (the
README's "Offline speaker identification" section has the calibration on real speech).
"""

from __future__ import annotations

import io
import itertools
import json
import sqlite3
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from tests.audio_fixtures import espeak_wav, read_mono
from tests.backend_fixtures import BACKEND_TOKEN, wsgi_client
from voiceprint_studio.local import campp, embedding, ge2e, models
from voiceprint_studio.local.app import create_app
from voiceprint_studio.local.engine import BuiltinEngine
from voiceprint_studio.local.server import LoopbackServer

#: (label, espeak voice): five English and three Chinese voices.
VOICES = (
    ("en-us m1", "en-us+m1"),
    ("en-us f3", "en-us+f3"),
    ("en m3", "en+m3"),
    ("en f2", "en+f2"),
    ("en-us m7", "en-us+m7"),
    ("zh m2", "cmn+m2"),
    ("zh f4", "cmn+f4"),
    ("zh f1", "cmn+f1"),
)
ENROLL_TEXT = {
    "en": "The quick brown fox jumps over the lazy dog while the sun sets slowly behind the "
    "hills, and the children walk home.",
    "zh": "今天天气很好，我们一起去公园散步吧，顺便买一些水果回来，晚上再一起做饭。",
}
TEST_TEXT = {
    "en": "Please remember to bring the documents to the meeting on Thursday morning at nine.",
    "zh": "请在周四上午九点之前把文件带到会议室，谢谢你的帮助。",
}
REFERENCE = Path(__file__).with_name("campp_reference.json")

FloatArray = npt.NDArray[np.float32]
Engine = Any  # campp.CamppEngine | ge2e.Ge2eEngine (same methods)


def reference_clip(seconds: float = 4.0, rate: int = 16000) -> FloatArray:
    """A fixed, speech-like test clip: a harmonic voice with a gliding pitch and syllable
    envelope, plus quiet noise (numpy's PCG64 stream with seed 13 is stable across versions).
    campp_reference.json holds the original network's output for it."""
    t = np.arange(int(seconds * rate)) / rate
    f0 = 140 + 40 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    voice = sum(np.sin(k * phase) / k for k in range(1, 25))
    envelope = np.clip(np.sin(2 * np.pi * 3.1 * t), 0, None) ** 0.5
    noise = np.random.default_rng(13).standard_normal(t.size)
    return np.asarray(0.08 * voice * envelope + 0.003 * noise, dtype=np.float32)


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """label -> (enrollment wav, test wav), each voice speaking two different texts."""
    folder = tmp_path_factory.mktemp("espeak")
    out = {}
    for i, (label, voice) in enumerate(VOICES):
        lang = label.split()[0][:2]
        enroll = espeak_wav(folder, voice, ENROLL_TEXT[lang], name=f"enroll{i}")
        test = espeak_wav(folder, voice, TEST_TEXT[lang], name=f"test{i}")
        out[label] = (enroll, test)
    return out


@pytest.fixture(scope="module", params=["campp", "ge2e"])
def engine(request: pytest.FixtureRequest) -> Engine:
    return campp.shared_engine() if request.param == "campp" else ge2e.shared_engine()


@pytest.fixture(scope="module")
def embedded(
    clips: dict[str, tuple[Path, Path]], engine: Engine
) -> dict[str, tuple[FloatArray, FloatArray]]:
    """label -> (enrollment embedding, test embedding) by ``engine`` (made once per engine)."""
    return {
        label: (engine.embed(read_mono(enroll)), engine.embed(read_mono(test)))
        for label, (enroll, test) in clips.items()
    }


def test_same_voice_ranks_first_for_every_espeak_voice(
    embedded: dict[str, tuple[FloatArray, FloatArray]], engine: Engine
) -> None:
    labels = list(embedded)
    enrolled = [embedded[label][0] for label in labels]
    tested = [embedded[label][1] for label in labels]
    scores = np.array([[engine.score(t, e) for e in enrolled] for t in tested])
    width = max(len(label) for label in labels)
    print(f"\n{engine.model_id}: score matrix (rows: test clip of a voice, columns: enrolled)")
    print(" " * width + "".join(f"{label:>10}" for label in labels))
    for label, row in zip(labels, scores, strict=True):
        print(f"{label:<{width}}" + "".join(f"{value:10.1f}" for value in row))
    assert list(scores.argmax(axis=1)) == list(range(len(labels))), scores
    assert (np.diag(scores) >= embedding.THRESHOLD_SCORE).all()
    assert ((scores >= 0) & (scores <= 100)).all()


def test_embedding_is_unit_length_and_ignores_silence(
    clips: dict[str, tuple[Path, Path]],
    embedded: dict[str, tuple[FloatArray, FloatArray]],
    engine: Engine,
) -> None:
    speech = read_mono(clips["zh f4"][0])
    quiet = np.zeros(3 * 16000, dtype=np.float32)
    padded = np.concatenate([quiet, speech, quiet, quiet])
    a, b = embedded["zh f4"][0], engine.embed(padded)
    size = 192 if engine.model_id == models.CAMPP_ID else 256
    assert a.shape == (size,) and a.dtype == np.float32
    assert abs(float(np.linalg.norm(a)) - 1.0) < 1e-5
    # speech frames only: nine seconds of silence around the speech barely move it
    assert engine.similarity(a, b) > 0.98
    # ... while the network on the raw padded clip (no VAD) lands elsewhere
    raw = type(engine)(engine.weights, use_vad=False).embed(padded)
    assert engine.similarity(a, raw) < engine.similarity(a, b)


def test_the_same_speaker_20_db_quieter_still_scores_above_the_threshold(
    clips: dict[str, tuple[Path, Path]],
    embedded: dict[str, tuple[FloatArray, FloatArray]],
    engine: Engine,
) -> None:
    for label in ("en-us m1", "zh f4"):
        enrolled, normal = embedded[label]
        probe = read_mono(clips[label][1])
        quieter = engine.embed(probe * np.float32(0.1))
        assert engine.score(quieter, enrolled) >= embedding.THRESHOLD_SCORE
        # loudness barely matters, in either direction (GE2E levels both ways since /2)
        assert engine.similarity(normal, quieter) > 0.99
        louder = engine.embed(np.clip(probe * np.float32(1.8), -1, 1))
        assert engine.similarity(normal, louder) > 0.98


def test_ge2e_long_audio_is_processed_in_batches_with_the_same_result(
    clips: dict[str, tuple[Path, Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = ge2e.shared_engine()
    speech = np.tile(read_mono(clips["en f2"][0]), 4)  # about 30 s: several batches of 4
    whole = engine.embed(speech)
    monkeypatch.setattr(ge2e, "BATCH_PARTIALS", 4)
    monkeypatch.setattr(ge2e, "MEL_BLOCK_FRAMES", 100)
    chunked = engine.embed(speech)
    np.testing.assert_allclose(chunked, whole, atol=1e-5)


def test_campp_blocks_give_the_same_result_and_long_audio_is_segmented(
    clips: dict[str, tuple[Path, Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = campp.shared_engine()
    speech = read_mono(clips["en f2"][0])
    whole = engine.embed(speech)
    monkeypatch.setattr(campp, "HEAD_BLOCK_FLOATS", 1000)  # one frequency at a time
    monkeypatch.setattr(campp, "FBANK_BLOCK_FRAMES", 50)
    np.testing.assert_allclose(engine.embed(speech), whole, atol=1e-5)
    # speech longer than a segment is embedded piecewise: close to the whole, not equal
    monkeypatch.setattr(campp, "MAX_SEGMENT_SECONDS", 2.5)
    pieces = engine.embed(speech)
    assert 0.9 < engine.similarity(pieces, whole) < 0.99999


@pytest.mark.parametrize("curve", [campp.CURVE, ge2e.CURVE], ids=["campp", "ge2e"])
def test_score_curve_is_monotonic_with_the_threshold_at_40(curve: embedding.ScoreCurve) -> None:
    sims = np.linspace(-1.0, 1.0, 2001)
    scores = [curve.score(float(s)) for s in sims]
    assert all(b >= a for a, b in itertools.pairwise(scores))
    assert scores[0] == 0.0 and scores[-1] == 100.0
    assert curve.score(curve.threshold) == pytest.approx(40.0)
    assert curve.score(curve.floor) == 0.0
    assert ge2e.similarity_to_score(ge2e.THRESHOLD_SIMILARITY) == pytest.approx(40.0)


def test_campp_port_reproduces_the_original_network() -> None:
    """Against values computed once with torch and torchaudio (see the JSON's note)."""
    reference = json.loads(REFERENCE.read_text())
    clip = reference_clip()
    feats = campp.fbank(clip)
    assert feats.shape == (reference["n_frames"], 80)
    expected = np.array(reference["fbank"], dtype=np.float32)
    np.testing.assert_allclose(feats[reference["fbank_frames"]], expected, atol=1e-3)
    engine = campp.CamppEngine(campp.shared_engine().weights, use_vad=False)
    ours = engine.embed(clip)
    theirs = np.array(reference["embedding"], dtype=np.float32)
    assert engine.similarity(ours, theirs) > 0.99999
    np.testing.assert_allclose(ours, theirs / np.linalg.norm(theirs), atol=2e-3)


def test_engines_do_not_import_the_seam() -> None:
    """No import cycle: the engines share local/embedding.py, not local/engine.py."""
    code = (
        "import sys\n"
        "import voiceprint_studio.local.campp, voiceprint_studio.local.ge2e\n"
        "print('voiceprint_studio.local.engine' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "False"


def test_builtin_engine_is_campp_and_falls_back_to_ge2e_when_campp_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert BuiltinEngine().model_id == models.CAMPP_ID
    assert BuiltinEngine("ge2e").model_id == models.MODEL_ID
    monkeypatch.setattr(models, "CAMPP_FILE", "not-installed.npz")
    fallback = BuiltinEngine()
    assert fallback.name == "ge2e" and fallback.model_id == models.MODEL_ID
    strict = BuiltinEngine(fallback=False)
    assert strict.name == "campp"


def test_switching_engines_re_embeds_stored_audio_lazily(
    clips: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    data = tmp_path / "backend"
    groups = "/v1/audio/voiceprint_groups"

    def identify(app: Any, gid: str, label: str) -> str:
        with wsgi_client(app) as c:
            files = {"file": ("q.wav", clips[label][1].read_bytes())}
            body = c.post(f"{groups}/{gid}/speaker_identify", files=files).json()
        assert body["code"] == 0, body
        return str(body["data"]["feature_score_list"][0]["feature_name"])

    def models_stored() -> set[str]:
        with sqlite3.connect(data / "backend.sqlite3") as conn:
            return {row[0] for row in conn.execute("SELECT embedding_model FROM features")}

    app = create_app(data, BACKEND_TOKEN, engine=BuiltinEngine("ge2e"))
    try:
        with wsgi_client(app) as c:
            gid = str(c.post(groups, json={"name": "g"}).json()["data"]["id"])
            for label in ("en-us m1", "zh f4"):
                files = {"file": ("e.wav", clips[label][0].read_bytes())}
                reply = c.post(f"{groups}/{gid}/features", data={"name": label}, files=files)
                assert reply.json()["code"] == 0
        assert models_stored() == {models.MODEL_ID}
    finally:
        app.close()
    app = create_app(data, BACKEND_TOKEN, engine=BuiltinEngine("campp"))
    try:
        assert identify(app, gid, "zh f4") == "zh f4"
        assert models_stored() == {models.CAMPP_ID}
    finally:
        app.close()


def test_speech_seconds_measures_the_speech_not_the_silence(
    clips: dict[str, tuple[Path, Path]],
) -> None:
    speech = read_mono(clips["zh f4"][1])
    quiet = np.zeros(5 * 16000, dtype=np.float32)
    seconds = embedding.speech_seconds(np.concatenate([quiet, speech, quiet]))
    assert 0.6 * speech.size / 16000 < seconds <= speech.size / 16000 + 0.5
    assert embedding.speech_seconds(quiet) == 0.0


with warnings.catch_warnings():
    # see tests/unit/test_local_cozepy.py: authlib warns about itself when cozepy imports it
    pytest.importorskip("authlib.deprecate")
    warnings.filterwarnings("ignore", message=r"authlib\.jose module is deprecated")
    cozepy = pytest.importorskip("cozepy")


@pytest.fixture
def engine_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    app = create_app(tmp_path / "backend", BACKEND_TOKEN, engine=BuiltinEngine())
    try:
        with LoopbackServer(app) as server:
            yield server.url, app.token
    finally:
        app.close()


def test_identify_through_loopback_with_cozepy(
    clips: dict[str, tuple[Path, Path]], engine_server: tuple[str, str]
) -> None:
    url, token = engine_server
    with cozepy.SyncHTTPClient(timeout=30) as http:
        coze = cozepy.Coze(auth=cozepy.TokenAuth(token), base_url=url, http_client=http)
        groups = coze.audio.voiceprint_groups
        gid = groups.create(name="客厅音箱").id
        labels = ["en-us m1", "en f2", "zh m2", "zh f4"]
        ids = {}
        for label in labels:
            wav = clips[label][0].read_bytes()
            ids[label] = groups.features.create(
                group_id=gid, name=label, file=("enroll.wav", io.BytesIO(wav))
            ).id
        for label in labels:
            query = clips[label][1].read_bytes()
            result = groups.speaker_identify(group_id=gid, file=("q.wav", io.BytesIO(query)))
            scores = result.feature_score_list
            assert scores[0].feature_id == ids[label]
            assert len(scores) == len(labels)
            values = [s.score for s in scores]
            assert values == sorted(values, reverse=True)
            assert all(0.0 <= v <= 100.0 for v in values)
            assert scores[0].feature_name == label
            if label == labels[0]:  # top_k once (each identify embeds the query again)
                top = groups.speaker_identify(
                    group_id=gid, file=("q.wav", io.BytesIO(query)), top_k="2"
                ).feature_score_list
                assert [s.feature_id for s in top] == [s.feature_id for s in scores[:2]]
