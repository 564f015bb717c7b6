"""The built-in speaker engine on espeak-ng voices, and through the backend and cozepy.

cozepy sends ``top_k`` as a multipart field, and httpx refuses ints there, so it is passed
as a string (as the other form fields in tests/unit/test_local_cozepy.py).

espeak voices are synthetic, so this is a smoke test of ranking, not a calibration (the
README's "Offline speaker identification" section has the calibration on real speech).
"""

from __future__ import annotations

import io
import itertools
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from tests.audio_fixtures import espeak_wav, read_mono
from tests.backend_fixtures import BACKEND_TOKEN
from voiceprint_studio.local import ge2e
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

FloatArray = npt.NDArray[np.float32]


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


@pytest.fixture(scope="module")
def engine() -> ge2e.Ge2eEngine:
    return ge2e.shared_engine()


def test_same_voice_ranks_first_for_every_espeak_voice(
    clips: dict[str, tuple[Path, Path]], engine: ge2e.Ge2eEngine
) -> None:
    labels = list(clips)
    enrolled = [engine.embed(read_mono(clips[label][0])) for label in labels]
    tested = [engine.embed(read_mono(clips[label][1])) for label in labels]
    scores = np.array([[engine.score(t, e) for e in enrolled] for t in tested])
    width = max(len(label) for label in labels)
    print("\nscore matrix (rows: test clip of a voice, columns: enrolled voice)")
    print(" " * width + "".join(f"{label:>10}" for label in labels))
    for label, row in zip(labels, scores, strict=True):
        print(f"{label:<{width}}" + "".join(f"{value:10.1f}" for value in row))
    assert list(scores.argmax(axis=1)) == list(range(len(labels))), scores
    assert (np.diag(scores) >= ge2e.THRESHOLD_SCORE).all()
    assert ((scores >= 0) & (scores <= 100)).all()


def test_embedding_is_unit_length_and_ignores_silence(
    clips: dict[str, tuple[Path, Path]], engine: ge2e.Ge2eEngine
) -> None:
    speech = read_mono(clips["zh f4"][0])
    quiet = np.zeros(3 * 16000, dtype=np.float32)
    padded = np.concatenate([quiet, speech, quiet, quiet])
    a, b = engine.embed(speech), engine.embed(padded)
    assert a.shape == (256,) and a.dtype == np.float32
    assert abs(float(np.linalg.norm(a)) - 1.0) < 1e-5
    # speech frames only: nine seconds of silence around the speech barely move it
    assert engine.similarity(a, b) > 0.99
    # ... while the network on the raw padded clip (no VAD) lands elsewhere
    raw = ge2e.Ge2eEngine(engine.weights, use_vad=False).embed(padded)
    assert engine.similarity(a, raw) < engine.similarity(a, b)


def test_long_audio_is_processed_in_batches_with_the_same_result(
    clips: dict[str, tuple[Path, Path]], engine: ge2e.Ge2eEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    speech = np.tile(read_mono(clips["en f2"][0]), 4)  # about 30 s: several batches of 4
    whole = engine.embed(speech)
    monkeypatch.setattr(ge2e, "BATCH_PARTIALS", 4)
    monkeypatch.setattr(ge2e, "MEL_BLOCK_FRAMES", 100)
    chunked = engine.embed(speech)
    np.testing.assert_allclose(chunked, whole, atol=1e-5)


def test_score_curve_is_monotonic_with_the_threshold_at_40() -> None:
    sims = np.linspace(-1.0, 1.0, 2001)
    scores = [ge2e.similarity_to_score(float(s)) for s in sims]
    assert all(b >= a for a, b in itertools.pairwise(scores))
    assert scores[0] == 0.0 and scores[-1] == 100.0
    assert ge2e.similarity_to_score(ge2e.THRESHOLD_SIMILARITY) == pytest.approx(40.0)
    assert ge2e.similarity_to_score(ge2e.FLOOR_SIMILARITY) == 0.0


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
            top = groups.speaker_identify(
                group_id=gid, file=("q.wav", io.BytesIO(query)), top_k="2"
            ).feature_score_list
            assert [s.feature_id for s in top] == [s.feature_id for s in scores[:2]]
