"""Retries: reads, updates and deletes retry; creates only when the request never left.

Waits are zero (``FAST_RETRY``) and ``time.sleep`` is replaced by a recorder,
so no test sleeps for real and Retry-After can be asserted exactly.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import stamina

from tests.unit.api_samples import (
    CREATE_GROUP_DOC,
    DELETE_GROUP_DOC,
    GET_VOICE_DOC,
    IDENTIFY_DOC,
    Recorder,
    coze_client,
    coze_fail,
    coze_ok,
    json_response,
    minimax_client,
    minimax_fail,
    write_wav,
)
from voiceprint_studio.api import (
    ApiError,
    AudioUpload,
    AuthenticationError,
    ConnectionFailedError,
    NetworkTimeoutError,
    RetryPolicy,
    ServerError,
    ThrottledError,
)
from voiceprint_studio.api._http import HttpCore, Timeouts

LIST_OK = coze_ok({"items": [{"id": "1"}], "total": 1})


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Record every sleep the retry machinery asks for instead of sleeping."""
    recorded: list[float] = []
    monkeypatch.setattr(time, "sleep", recorded.append)
    yield recorded


def _fail_then_ok(failure: httpx.Response | BaseException, times: int, ok: object) -> Recorder:
    return Recorder(*([failure] * times), json_response(ok))


# -- reads and idempotent writes ----------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        json_response(coze_fail(5000)),
        json_response(coze_fail(4020)),
        json_response(coze_fail(4009)),
        httpx.Response(503, text="busy"),
        httpx.Response(429, text="slow"),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("reset"),
    ],
)
def test_reads_retry_until_success(failure: object, sleeps: list[float]) -> None:
    rec = _fail_then_ok(failure, 3, LIST_OK)  # type: ignore[arg-type]
    with coze_client(rec) as client:
        page = client.list_groups()
    assert [g.id for g in page.items] == ["1"]
    assert rec.count == 4


def test_reads_give_up_after_max_attempts(sleeps: list[float]) -> None:
    rec = Recorder(json_response(coze_fail(5000, logid="LAST")))
    with coze_client(rec, max_attempts=3) as client, pytest.raises(ServerError) as info:
        client.list_groups()
    assert rec.count == 3
    assert info.value.request_id == "LAST"


@pytest.mark.parametrize(
    "failure", [json_response(coze_fail(4100)), json_response(coze_fail(4008))]
)
def test_non_retryable_errors_are_not_retried(failure: httpx.Response, sleeps: list[float]) -> None:
    rec = Recorder(failure)
    with coze_client(rec) as client, pytest.raises((AuthenticationError, ThrottledError)):
        client.list_groups()
    assert rec.count == 1


def test_me_and_download_retry(sleeps: list[float]) -> None:
    rec = Recorder(
        httpx.ReadTimeout("slow"),
        json_response(coze_ok({"user_id": "1"})),
        httpx.ReadTimeout("slow"),
        httpx.Response(200, content=b"RIFF", headers={"content-type": "audio/wav"}),
    )
    with coze_client(rec) as client:
        assert client.me().user_id == "1"
        assert client.download_audio("https://api.coze.cn/a.wav") == b"RIFF"
    assert rec.count == 4


def test_update_and_delete_retry_after_the_request_was_sent(sleeps: list[float]) -> None:
    rec = Recorder(
        httpx.ReadTimeout("slow"),
        json_response(DELETE_GROUP_DOC),
        json_response(coze_fail(5000)),
        json_response(DELETE_GROUP_DOC),
        httpx.RemoteProtocolError("reset"),
        json_response(DELETE_GROUP_DOC),
    )
    with coze_client(rec) as client:
        client.update_group("1", name="n")
        client.delete_group("1")
        client.delete_voiceprint("1", "2")
    assert rec.count == 6


def test_minimax_list_and_delete_retry(sleeps: list[float]) -> None:
    rec = Recorder(
        json_response(minimax_fail(1002)),
        json_response(GET_VOICE_DOC),
        json_response(minimax_fail(1001)),
        json_response(minimax_fail(0)),
    )
    with minimax_client(rec) as client:
        assert len(client.list_voices()) == 3
        client.delete_voice("voice_generation", "ttv-1")
    assert rec.count == 4


# -- creates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("slow"),
        httpx.WriteTimeout("slow"),
        httpx.RemoteProtocolError("Server disconnected"),
        json_response(coze_fail(5000)),
        json_response(coze_fail(4020)),
        httpx.Response(502, text="<html>bad gateway</html>"),
    ],
)
def test_create_group_is_not_retried_once_sent(failure: object, sleeps: list[float]) -> None:
    rec = _fail_then_ok(failure, 1, CREATE_GROUP_DOC)  # type: ignore[arg-type]
    with coze_client(rec) as client, pytest.raises(ApiError):
        client.create_group("g")
    assert rec.count == 1


@pytest.mark.parametrize(
    "failure", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("")]
)
def test_create_group_retries_when_the_request_never_left(
    failure: BaseException, sleeps: list[float]
) -> None:
    rec = _fail_then_ok(failure, 2, CREATE_GROUP_DOC)
    with coze_client(rec) as client:
        assert client.create_group("g") == "75138649771889***"
    assert rec.count == 3


def test_create_group_connect_error_gives_up(sleeps: list[float]) -> None:
    rec = Recorder(httpx.ConnectError("refused"))
    with coze_client(rec, max_attempts=2) as client, pytest.raises(ConnectionFailedError):
        client.create_group("g")
    assert rec.count == 2


def test_identify_is_billed_so_not_retried_after_sending(
    tmp_path: Path, sleeps: list[float]
) -> None:
    audio = AudioUpload.from_path(write_wav(tmp_path / "a.wav"))
    rec = _fail_then_ok(httpx.ReadTimeout("slow"), 1, IDENTIFY_DOC)
    with coze_client(rec) as client, pytest.raises(NetworkTimeoutError):
        client.identify("1", audio)
    assert rec.count == 1


def test_create_voiceprint_retries_after_connect_error_and_resends_the_file(
    tmp_path: Path, sleeps: list[float]
) -> None:
    audio = AudioUpload.from_path(write_wav(tmp_path / "a.wav", 200_000))
    rec = _fail_then_ok(httpx.ConnectError("refused"), 1, CREATE_GROUP_DOC)
    seen: list[tuple[int, int]] = []
    with coze_client(rec) as client:
        client.create_voiceprint("1", "n", audio, progress=lambda s, t: seen.append((s, t)))
    assert rec.count == 2
    assert len(rec.requests[1].content) > audio.size
    assert seen[-1] == (audio.size, audio.size)


def test_update_voiceprint_with_audio_retries(tmp_path: Path, sleeps: list[float]) -> None:
    audio = AudioUpload.from_path(write_wav(tmp_path / "a.wav"))
    rec = _fail_then_ok(httpx.ReadTimeout("slow"), 1, DELETE_GROUP_DOC)
    with coze_client(rec) as client:
        assert client.update_voiceprint("1", "2", audio=audio) is None
    assert rec.count == 2
    assert b'filename="a.wav"' in rec.requests[1].content


# -- Retry-After ---------------------------------------------------------------------------


def test_retry_after_seconds_is_the_wait(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(429, headers={"Retry-After": "3"}), json_response(LIST_OK))
    with coze_client(rec) as client:
        client.list_groups()
    assert rec.count == 2
    assert sleeps == [3.0]


def test_retry_after_http_date(sleeps: list[float]) -> None:
    when = time.time() + 20
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(when))
    rec = Recorder(
        json_response(coze_fail(4020), headers={"Retry-After": date}), json_response(LIST_OK)
    )
    with coze_client(rec) as client:
        client.list_groups()
    assert len(sleeps) == 1
    assert 17.0 <= sleeps[0] <= 20.0


def test_retry_after_is_capped(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(503, headers={"Retry-After": "86400"}), json_response(LIST_OK))
    policy = RetryPolicy(wait_initial=0.0, wait_max=0.0, wait_jitter=0.0, retry_after_cap=60.0)
    # (a deadline longer than the cap: a wait that would pass the deadline is not taken)
    with coze_client(rec, retry=policy, timeouts=Timeouts(deadline=120.0)) as client:
        client.list_groups()
    assert sleeps == [60.0]


def test_a_wait_past_the_deadline_is_not_taken(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(503, headers={"Retry-After": "30"}), json_response(LIST_OK))
    with (
        coze_client(rec, timeouts=Timeouts(deadline=10.0)) as client,
        pytest.raises(ServerError),
    ):
        client.list_groups()
    assert sleeps == []
    assert rec.count == 1


def test_backoff_without_retry_after_uses_the_policy(sleeps: list[float]) -> None:
    rec = Recorder(
        json_response(coze_fail(5000)), json_response(coze_fail(5000)), json_response(LIST_OK)
    )
    policy = RetryPolicy(wait_initial=0.25, wait_max=10.0, wait_jitter=0.0, wait_exp_base=2.0)
    with coze_client(rec, retry=policy) as client:
        client.list_groups()
    assert sleeps == [0.25, 0.5]


def test_retry_decision_hook() -> None:
    core = HttpCore.__new__(HttpCore)
    core.retry = RetryPolicy(retry_after_cap=30.0)
    core._closed = False
    read, create = core.retry_decision(True), core.retry_decision(False)
    throttled = ThrottledError(retry_after=5.0)
    assert read(throttled) == 5.0
    assert read(ThrottledError(retry_after=500.0)) == 30.0
    assert read(ServerError()) is True
    assert create(ServerError()) is False
    assert create(ConnectionFailedError(request_sent=False)) is True
    assert create(NetworkTimeoutError(request_sent=True)) is False
    assert read(ThrottledError(message_key="throttled.daily_cap")) is False
    assert read(ValueError("not ours")) is False


def test_stamina_testing_mode_is_respected() -> None:
    rec = Recorder(json_response(coze_fail(5000)))
    with (
        stamina.set_testing(True, attempts=2),
        coze_client(rec, retry=RetryPolicy()) as client,
        pytest.raises(ServerError),
    ):
        client.list_groups()
    assert rec.count == 2
