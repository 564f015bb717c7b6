"""Right about the real services (issue 10): what Coze and MiniMax answer in the field.

The real loopback backend where it can produce the case (4101 for a non-creator, 4200
for a deleted group, 20132 for a deleted voice, a lost answer to a delete); injected
server replies (``httpx.MockTransport``) for the codes only the real services send
(billing, plan limits, throttling codes, OAuth bodies, a non-JSON 404).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.backend_fixtures import BACKEND_TOKEN, Loopback, wav_bytes
from tests.unit.api_samples import (
    GET_VOICE_DOC,
    LIST_GROUPS_DOC,
    Recorder,
    coze_client,
    coze_fail,
    json_response,
    minimax_client,
    minimax_fail,
    write_wav,
)
from voiceprint_studio.api import (
    ApiError,
    AudioUpload,
    AuthenticationError,
    CozeClient,
    InsufficientBalanceError,
    InvalidRequestError,
    MiniMaxClient,
    NotFoundError,
    NotOfferedError,
    PermissionDeniedError,
    PlanLimitError,
    ThrottledError,
)
from voiceprint_studio.api.errors import SHOWN_MESSAGE_LIMIT
from voiceprint_studio.local.store import LocalUser

LIST_OK = LIST_GROUPS_DOC


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Record the retry machinery's sleeps instead of sleeping."""
    recorded: list[float] = []
    monkeypatch.setattr(time, "sleep", recorded.append)
    yield recorded


class _Counter:
    """A CallObserver that keeps what it was told."""

    def __init__(self) -> None:
        self.attempts: list[str] = []
        self.failures: list[ApiError] = []

    def on_attempt(self, service: str, endpoint: str) -> None:
        self.attempts.append(f"{service} {endpoint}")

    def on_unsent(self, service: str, endpoint: str) -> None:
        self.attempts.remove(f"{service} {endpoint}")

    def on_failure(self, error: ApiError) -> None:
        self.failures.append(error)


# -- 4101: three causes, the permission named, the server quoted (bounded) -----------------


def test_4101_from_the_real_backend_names_all_three_causes(loopback: Loopback) -> None:
    store = loopback.app.store
    colleague = LocalUser("7480000000000000777", "colleague", "同事")
    store.add_user(colleague)
    theirs = store.create_group("同事的组", user_id=colleague.user_id).id
    with (
        CozeClient(loopback.token, loopback.url, max_attempts=1) as client,
        pytest.raises(PermissionDeniedError) as info,
    ):
        client.delete_group(theirs)
    err = info.value
    assert err.code == 4101
    text = f"{err.user_message} {err.next_step}"
    assert "deleteVoiceprintGroup" in text  # the permission, named
    assert "token is wrong" in text  # a wrong token
    assert "another workspace" in err.user_message
    assert "created by someone else" in err.user_message
    assert "only the creator" in err.user_message  # the server's own words, quoted


def test_4101_quotes_a_huge_server_message_bounded_and_on_one_line() -> None:
    message = "no permission\nFAKE LOG LINE " + "x" * 1_000_000
    rec = Recorder(json_response(coze_fail(4101, message)))
    with coze_client(rec) as client, pytest.raises(PermissionDeniedError) as info:
        client.list_groups()
    err = info.value
    assert "listVoiceprintGroup" in err.user_message
    assert "\n" not in err.user_message
    # the newline is shown escaped, so it cannot start a forged line anywhere
    assert "no permission\\nFAKE LOG LINE" in err.user_message
    assert err.user_message.endswith("…")
    quoted = err.user_message.split("Coze said: ", 1)[1]
    assert len(quoted) == SHOWN_MESSAGE_LIMIT
    # the details keep a bounded head and say how much more there was
    assert len(err.server_message) < 1000
    assert err.server_message.endswith("more characters)")
    assert rec.count == 1  # never retried


def test_4101_without_a_known_permission_still_names_the_causes() -> None:
    rec = Recorder(json_response({"code": 4101, "msg": "denied"}, status=403))
    with coze_client(rec) as client, pytest.raises(PermissionDeniedError) as info:
        client.download_audio("/files/audio/x.wav")
    assert info.value.permission is None
    assert "token is wrong" in info.value.user_message
    assert "created by someone else" in info.value.user_message


# -- billing and plan limits: own messages, never retried ---------------------------------


@pytest.mark.parametrize(
    ("code", "words", "step"),
    [
        (4011, "balance is too low", "Top up"),
        (4019, "in arrears", "Pay the outstanding bill"),
    ],
)
def test_coze_billing_codes_have_their_own_message(
    code: int, words: str, step: str, sleeps: list[float]
) -> None:
    rec = Recorder(json_response(coze_fail(code, "balance")))
    with coze_client(rec) as client, pytest.raises(InsufficientBalanceError) as info:
        client.list_groups()
    assert words in info.value.user_message
    assert "identification is billed" in info.value.user_message
    assert step in info.value.next_step
    assert "contact support" not in info.value.next_step
    assert not info.value.retryable
    assert rec.count == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("code", "words", "step"),
    [
        (2056, "used up what its plan allows", "Upgrade the plan"),
        (1039, "limit on usage per minute", "Wait a minute"),
    ],
)
def test_minimax_plan_limit_codes_have_their_own_message(
    code: int, words: str, step: str, sleeps: list[float]
) -> None:
    rec = Recorder(json_response(minimax_fail(code, "limit")))
    with minimax_client(rec) as client, pytest.raises(PlanLimitError) as info:
        client.list_voices()
    assert words in info.value.user_message
    assert step in info.value.next_step
    assert rec.count == 1
    assert sleeps == []


# -- throttling codes: backed off and retried where retrying is safe ----------------------


@pytest.mark.parametrize("code", [2045, 1041])
def test_minimax_throttling_codes_are_retried(code: int, sleeps: list[float]) -> None:
    rec = Recorder(
        json_response(minimax_fail(code, "slow down")),
        json_response(minimax_fail(code, "slow down")),
        json_response(GET_VOICE_DOC),
    )
    with minimax_client(rec) as client:
        voices = client.list_voices()
    assert {v.voice_id for v in voices} >= {"male-qn-qingse"}
    assert rec.count == 3
    assert len(sleeps) == 2


def test_minimax_delete_is_retried_on_throttling(sleeps: list[float]) -> None:
    rec = Recorder(
        json_response(minimax_fail(2045)),
        json_response({"voice_id": "v1", "base_resp": {"status_code": 0}}),
    )
    with minimax_client(rec) as client:
        client.delete_voice("voice_cloning", "v1")
    assert rec.count == 2


def test_coze_4013_is_throttling_and_retried_for_reads(sleeps: list[float]) -> None:
    rec = Recorder(json_response(coze_fail(4013, "rate limit")), json_response(LIST_OK))
    with coze_client(rec) as client:
        page = client.list_groups()
    assert page.total == 1
    assert rec.count == 2


@pytest.mark.parametrize("call", ["create_group", "identify"])
def test_coze_4013_never_retries_a_create_or_an_identify(
    call: str, sleeps: list[float], tmp_path: Path
) -> None:
    rec = Recorder(json_response(coze_fail(4013, "rate limit")))
    audio = AudioUpload.from_path(write_wav(tmp_path / "a.wav"))
    with coze_client(rec) as client, pytest.raises(ThrottledError) as info:
        if call == "create_group":
            client.create_group("g")
        else:
            client.identify("7511988408546279468", audio)
    assert info.value.retryable  # throttling, yet a create is not blindly sent again
    assert rec.count == 1
    assert sleeps == []


# -- a retried delete whose first attempt succeeded -----------------------------------------


class _LoseFirstAnswer(httpx.BaseTransport):
    """Forwards to the real loopback server; the first DELETE's answer is lost on the way
    back (the server did the work), like a connection reset after the request was handled."""

    def __init__(self, method: str = "DELETE", path_part: str = "") -> None:
        self._inner = httpx.HTTPTransport()
        self._method = method
        self._path_part = path_part
        self.lost = 0
        self.seen: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        response.read()
        self.seen.append(f"{request.method} {request.url.path}")
        if request.method == self._method and self._path_part in request.url.path and not self.lost:
            self.lost += 1
            raise httpx.ReadError("connection reset by peer")
        return response

    def close(self) -> None:
        self._inner.close()


def test_retried_group_delete_that_finds_nothing_succeeded(
    loopback: Loopback, sleeps: list[float]
) -> None:
    transport = _LoseFirstAnswer()
    with CozeClient(loopback.token, loopback.url, transport=transport) as client:
        group_id = client.create_group("gone soon")
        client.delete_group(group_id)  # no "no longer exists" for our own delete
        assert transport.lost == 1
        assert transport.seen.count(f"DELETE /v1/audio/voiceprint_groups/{group_id}") == 2
        assert client.list_groups().total == 0
        # A delete that finds nothing on its first attempt still says so.
        with pytest.raises(NotFoundError):
            client.delete_group(group_id)


def test_retried_voiceprint_delete_that_finds_nothing_succeeded(
    loopback: Loopback, sleeps: list[float], tmp_path: Path
) -> None:
    wav = tmp_path / "v.wav"
    wav.write_bytes(wav_bytes(1.0))
    transport = _LoseFirstAnswer(path_part="/features/")
    with CozeClient(loopback.token, loopback.url, transport=transport) as client:
        group_id = client.create_group("g")
        feature_id = client.create_voiceprint(group_id, "v", AudioUpload.from_path(wav))
        client.delete_voiceprint(group_id, feature_id)
        assert transport.lost == 1
        assert client.list_voiceprints(group_id).total == 0


def test_retried_minimax_delete_that_finds_nothing_succeeded(
    loopback: Loopback, sleeps: list[float]
) -> None:
    loopback.app.store.add_voice("voice_cloning", "clone_lost_answer", "test")
    transport = _LoseFirstAnswer(method="POST", path_part="/v1/delete_voice")
    with MiniMaxClient(BACKEND_TOKEN, loopback.url, transport=transport) as client:
        client.delete_voice("voice_cloning", "clone_lost_answer")
        assert transport.lost == 1
        assert "clone_lost_answer" not in {v.voice_id for v in client.list_voices()}
        with pytest.raises(InvalidRequestError) as info:  # a first-attempt 20132 stays
            client.delete_voice("voice_cloning", "clone_lost_answer")
    assert info.value.code == 20132


# -- OAuth-style bodies ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 401])
def test_oauth_expired_token_body_is_an_authentication_error(status: int) -> None:
    body = {"error_code": "expired_token", "error_message": "The token has expired."}
    rec = Recorder(json_response(body, status=status, headers={"x-tt-logid": "L-OAUTH"}))
    with coze_client(rec) as client, pytest.raises(AuthenticationError) as info:
        client.list_groups()
    assert "The token has expired." in info.value.user_message
    assert info.value.request_id == "L-OAUTH"
    assert rec.count == 1


def test_oauth_body_with_only_a_message_shows_it() -> None:
    body = {"error_code": "invalid_request", "error_message": "bad client id"}
    rec = Recorder(json_response(body))
    with coze_client(rec) as client, pytest.raises(ApiError) as info:
        client.list_groups()
    assert info.value.kind == "unknown"  # not "could not understand" (protocol)
    assert "bad client id" in info.value.user_message


def test_oauth_body_with_an_integer_code_reads_like_an_envelope() -> None:
    rec = Recorder(json_response({"error_code": 4100, "error_message": "token invalid"}))
    with coze_client(rec) as client, pytest.raises(AuthenticationError) as info:
        client.list_groups()
    assert info.value.code == 4100


def test_oauth_slow_down_is_throttling_and_retried(sleeps: list[float]) -> None:
    rec = Recorder(
        json_response({"error_code": "slow_down", "error_message": "slow"}),
        json_response(LIST_OK),
    )
    with coze_client(rec) as client:
        assert client.list_groups().total == 1
    assert rec.count == 2


def test_oauth_body_echoing_the_token_is_scrubbed() -> None:
    from tests.unit.api_samples import TOKEN

    rec = Recorder(json_response({"error_message": f"bad token {TOKEN}"}))
    with coze_client(rec) as client, pytest.raises(ApiError) as info:
        client.list_groups()
    assert TOKEN not in info.value.user_message
    assert TOKEN not in str(info.value)


# -- a 404 that is not the service's JSON ---------------------------------------------------


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(404, text="<html><body>404 Not Found</body></html>"),
        httpx.Response(404),
        json_response({"message": "no route"}, status=404),
    ],
)
def test_non_json_404_says_the_address_does_not_offer_it(response: httpx.Response) -> None:
    rec = Recorder(response)
    with coze_client(rec) as client, pytest.raises(NotOfferedError) as info:
        client.delete_group("7511988408546279468")
    err = info.value
    assert not isinstance(err, NotFoundError)  # the views must not refresh for it
    assert "does not offer this function" in err.user_message
    assert "no longer exists" not in err.user_message
    assert "api.coze.cn" in err.next_step


def test_a_download_404_is_the_file_being_gone() -> None:
    rec = Recorder(httpx.Response(404, text="<html>gone</html>"))
    with coze_client(rec) as client, pytest.raises(NotFoundError) as info:
        client.download_audio("https://cdn.example.com/a.wav")
    assert not isinstance(info.value, NotOfferedError)


def test_404_with_the_services_json_is_still_not_found(loopback: Loopback) -> None:
    with (
        CozeClient(loopback.token, loopback.url, max_attempts=1) as client,
        pytest.raises(NotFoundError) as info,
    ):
        client.update_group("7511988408546279468", name="x")
    assert info.value.code == 4200


def test_unknown_route_of_the_real_backend_is_json_404_not_found(loopback: Loopback) -> None:
    # The backend's own choice (docs/offline-backend-codes.md): 4200 with HTTP 404.
    response = httpx.get(
        f"{loopback.url}/v1/no/such/route", headers={"Authorization": f"Bearer {loopback.token}"}
    )
    assert response.status_code == 404
    assert response.json()["code"] == 4200


# -- MiniMax: voices of other kinds --------------------------------------------------------


def test_get_voice_keeps_voices_of_undocumented_kinds_read_only() -> None:
    body = {
        **GET_VOICE_DOC,
        "music_voice": [
            {"voice_id": "music-01", "voice_name": "钢琴", "description": "for songs"},
            {"no_voice_id": True},
            "junk",
        ],
        "future_flag": True,
        "other_list": None,
    }
    rec = Recorder(json_response(body))
    with minimax_client(rec) as client:
        voices = client.list_voices()
        system_only = client.list_voices("system")
    other = [v for v in voices if v.voice_type == "other"]
    assert [(v.voice_id, v.list_key, v.voice_name) for v in other] == [
        ("music-01", "music_voice", "钢琴")
    ]
    assert not other[0].deletable
    assert {v.voice_type for v in voices} == {
        "system",
        "voice_cloning",
        "voice_generation",
        "other",
    }
    assert all(v.voice_type == "system" for v in system_only)


# -- the observer: each attempt counted, retries included -----------------------------------


def test_observer_counts_retries_and_not_unsent_attempts(sleeps: list[float]) -> None:
    counter = _Counter()
    rec = Recorder(
        httpx.ConnectError("refused"),  # never reached the server: not a call
        json_response(coze_fail(5000)),
        json_response(coze_fail(4020)),
        json_response(LIST_OK),
    )
    with coze_client(rec, observer=counter) as client:
        client.list_groups()
    assert rec.count == 4
    assert counter.attempts == ["coze GET /v1/audio/voiceprint_groups"] * 3
    assert [e.code for e in counter.failures] == [None, 5000, 4020]


def test_a_call_is_counted_as_it_is_sent_not_when_its_answer_comes(loopback: Loopback) -> None:
    """The tester's: calls in flight when the app was killed were never counted (the count
    came with the answer). The server, answering, already finds the call counted."""
    counter = _Counter()
    seen_at_server: list[int] = []
    inner = httpx.HTTPTransport()

    class Watching(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            seen_at_server.append(len(counter.attempts))
            return inner.handle_request(request)

    with CozeClient(loopback.token, loopback.url, observer=counter, transport=Watching()) as c:
        c.create_group("counted early")
        c.list_groups()
    assert seen_at_server == [1, 2]
    assert len(counter.attempts) == 2


def test_observer_counts_real_backend_calls(loopback: Loopback, tmp_path: Path) -> None:
    counter = _Counter()
    take = tmp_path / "take.wav"
    take.write_bytes(wav_bytes(0.3))
    with CozeClient(loopback.token, loopback.url, observer=counter) as client:
        client.me()
        gid = client.create_group("counted")
        client.list_groups()
        client.create_voiceprint(gid, "Li", AudioUpload.from_path(take))
        (voiceprint,) = list(client.iter_voiceprints(gid))
        client.download_audio(voiceprint.audio_url)  # a file, not an API call
    assert counter.attempts == [
        "coze GET /v1/users/me",
        "coze POST /v1/audio/voiceprint_groups",
        "coze GET /v1/audio/voiceprint_groups",
        "coze POST /v1/audio/voiceprint_groups/{group_id}/features",
        "coze GET /v1/audio/voiceprint_groups/{group_id}/features",
    ]
