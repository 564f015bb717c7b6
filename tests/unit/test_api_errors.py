"""Fault matrix: every failure kind maps to its error class with the details the UI needs."""

from __future__ import annotations

import ssl
from datetime import datetime, timezone

import httpx
import pytest

from tests.unit.api_samples import (
    Recorder,
    coze_client,
    coze_fail,
    json_response,
    minimax_client,
    minimax_fail,
)
from voiceprint_studio.api import (
    MESSAGES,
    ApiError,
    AuthenticationError,
    ConnectionFailedError,
    ConnectionLostError,
    FeatureUnavailableError,
    FileRejectedError,
    InsufficientBalanceError,
    InvalidRequestError,
    NetworkError,
    NetworkTimeoutError,
    NotFoundError,
    NotOfferedError,
    PermissionDeniedError,
    ProtocolError,
    RiskControlError,
    ServerError,
    ThrottledError,
    TlsError,
    parse_retry_after,
)
from voiceprint_studio.api.coze import ENDPOINTS
from voiceprint_studio.api.errors import COZE_PERMISSIONS


def _assert_explained(err: ApiError) -> None:
    assert err.user_message.strip()
    assert err.next_step.strip()
    assert "{" not in err.user_message  # every placeholder was filled
    assert "{" not in err.next_step
    assert err.user_message in str(err)


# -- Coze envelope codes ---------------------------------------------------------

COZE_CODE_CASES = [
    (4000, InvalidRequestError),
    (4100, AuthenticationError),
    (4101, PermissionDeniedError),
    (4102, RiskControlError),
    (4200, NotFoundError),
    (4300, FileRejectedError),
    (4301, FileRejectedError),
    (4302, FileRejectedError),
    (4303, FileRejectedError),
    (4304, FileRejectedError),
    (4008, ThrottledError),
    (4009, ThrottledError),
    (4020, ThrottledError),
    (5000, ServerError),
    (4900, FeatureUnavailableError),
    (4999, ApiError),
]


@pytest.mark.parametrize(("code", "cls"), COZE_CODE_CASES)
def test_coze_codes_map_to_classes(code: int, cls: type[ApiError]) -> None:
    rec = Recorder(json_response(coze_fail(code, "server words", logid="LOG-123")))
    with coze_client(rec, max_attempts=1) as client, pytest.raises(ApiError) as info:
        client.list_groups()
    err = info.value
    assert type(err) is cls
    assert err.service == "coze"
    assert err.endpoint == "GET /v1/audio/voiceprint_groups"
    assert err.http_status == 200
    assert err.code == code
    assert err.server_message == "server words"
    assert err.request_id == "LOG-123"
    _assert_explained(err)


def test_file_rejections_each_have_their_own_message() -> None:
    messages = set()
    for code in (4300, 4301, 4302, 4303, 4304):
        with (
            coze_client(Recorder(json_response(coze_fail(code)))) as client,
            pytest.raises(FileRejectedError) as info,
        ):
            client.list_groups()
        messages.add(info.value.user_message)
    assert len(messages) == 5
    assert any("4 MB" in m for m in messages)
    assert any("wav and pcm" in m for m in messages)


def test_authentication_message_mentions_both_sites() -> None:
    with (
        coze_client(Recorder(json_response(coze_fail(4100)))) as client,
        pytest.raises(AuthenticationError) as info,
    ):
        client.me()
    assert "coze.cn" in info.value.user_message
    assert "coze.com" in info.value.user_message


@pytest.mark.parametrize("endpoint", sorted(COZE_PERMISSIONS))
def test_permission_table_covers_the_endpoints(endpoint: str) -> None:
    assert endpoint in {e.name for e in ENDPOINTS}


def test_permission_denied_names_the_permission() -> None:
    with (
        coze_client(Recorder(json_response(coze_fail(4101)))) as client,
        pytest.raises(PermissionDeniedError) as info,
    ):
        client.create_group("g")
    err = info.value
    assert err.permission == "createVoiceprintGroup"
    assert "createVoiceprintGroup" in err.user_message
    assert "createVoiceprintGroup" in err.next_step


def test_permission_denied_on_http_403_for_delete_voiceprint() -> None:
    rec = Recorder(json_response({"code": 4101, "msg": "no"}, status=403))
    with coze_client(rec) as client, pytest.raises(PermissionDeniedError) as info:
        client.delete_voiceprint("1", "2")
    assert info.value.permission == "deleteVoiceprintFeature"
    assert info.value.endpoint == (
        "DELETE /v1/audio/voiceprint_groups/{group_id}/features/{feature_id}"
    )


def test_daily_cap_says_tomorrow_and_is_not_retryable() -> None:
    rec = Recorder(json_response(coze_fail(4008)))
    with coze_client(rec) as client, pytest.raises(ThrottledError) as info:
        client.list_groups()
    assert info.value.daily_cap
    assert "tomorrow" in info.value.next_step
    assert not info.value.retryable
    assert rec.count == 1


def test_feature_unavailable_in_offline_workspace() -> None:
    with (
        coze_client(Recorder(json_response(coze_fail(4900)))) as client,
        pytest.raises(FeatureUnavailableError) as info,
    ):
        client.list_groups()
    assert "Speaker identification could not run in the offline workspace" in (
        info.value.user_message
    )


def test_unmapped_code_shows_message_and_request_id_verbatim() -> None:
    rec = Recorder(json_response(coze_fail(777001, "Something odd happened", logid="LX9")))
    with coze_client(rec) as client, pytest.raises(ApiError) as info:
        client.list_groups()
    assert type(info.value) is ApiError
    assert "Something odd happened" in info.value.user_message
    assert "LX9" in info.value.next_step


# -- request id sources ------------------------------------------------------------


def test_request_id_from_header_when_body_has_none() -> None:
    rec = Recorder(json_response({"code": 4200, "msg": "x"}, headers={"x-tt-logid": "HDR-1"}))
    with coze_client(rec) as client, pytest.raises(NotFoundError) as info:
        client.list_groups()
    assert info.value.request_id == "HDR-1"


def test_request_id_prefers_detail_logid() -> None:
    rec = Recorder(json_response(coze_fail(4200, logid="BODY-1"), headers={"x-tt-logid": "HDR"}))
    with coze_client(rec) as client, pytest.raises(NotFoundError) as info:
        client.list_groups()
    assert info.value.request_id == "BODY-1"


# -- HTTP-level failures -------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, InvalidRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotOfferedError),  # no service JSON: not "the group is gone"
        (413, FileRejectedError),
        (418, ApiError),
        (429, ThrottledError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
    ],
)
def test_http_status_without_envelope(status: int, cls: type[ApiError]) -> None:
    rec = Recorder(httpx.Response(status, text="nope", headers={"x-tt-logid": "H-7"}))
    with coze_client(rec, max_attempts=1) as client, pytest.raises(ApiError) as info:
        client.list_groups()
    assert type(info.value) is cls
    assert info.value.http_status == status
    assert info.value.request_id == "H-7"
    _assert_explained(info.value)


def test_http_401_with_coze_code() -> None:
    rec = Recorder(json_response(coze_fail(4100, logid="L401"), status=401))
    with coze_client(rec) as client, pytest.raises(AuthenticationError) as info:
        client.list_groups()
    assert info.value.code == 4100
    assert info.value.request_id == "L401"


HTML_502 = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
)


def test_html_502_page_is_a_server_error() -> None:
    rec = Recorder(httpx.Response(502, text=HTML_502, headers={"content-type": "text/html"}))
    with coze_client(rec, max_attempts=1) as client, pytest.raises(ServerError) as info:
        client.list_groups()
    assert "HTML" in info.value.server_message
    assert "nginx" not in str(info.value)  # the page itself is not dumped into the message


@pytest.mark.parametrize(
    "content",
    [
        HTML_502.encode(),
        b'{"code": 0, "msg": "", "data": {"items": [',  # truncated
        b"[1, 2, 3]",  # a list, not an object
        b'{"msg": "", "data": {}}',  # no code
        b'{"code": "0", "data": {}}',  # code of the wrong type
        b'{"code": 0, "data": {"items": "many", "total": 1}}',  # wrong types
        b'{"code": 0, "data": {"items": [{"name": "no id"}]}}',
        b"",
        b"\xff\xfe\x00garbage",
        b"null",
    ],
)
def test_malformed_success_responses_are_protocol_errors(content: bytes) -> None:
    rec = Recorder(httpx.Response(200, content=content, headers={"x-tt-logid": "P-1"}))
    with coze_client(rec) as client, pytest.raises(ProtocolError) as info:
        client.list_groups()
    assert info.value.request_id == "P-1"
    assert rec.count == 1  # not retried
    _assert_explained(info.value)


def test_unexpected_redirect_is_a_protocol_error() -> None:
    rec = Recorder(httpx.Response(302, headers={"location": "https://elsewhere/"}))
    with coze_client(rec) as client, pytest.raises(ProtocolError):
        client.list_groups()


# -- transport failures ------------------------------------------------------------------


def _tls_connect_error() -> httpx.ConnectError:
    try:
        raise ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate")
    except ssl.SSLError as exc:
        try:
            raise httpx.ConnectError("handshake failed") from exc
        except httpx.ConnectError as wrapped:
            return wrapped


@pytest.mark.parametrize(
    ("exc", "cls", "sent"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), ConnectionFailedError, False),
        (httpx.ConnectTimeout("timed out"), NetworkTimeoutError, False),
        (httpx.PoolTimeout("pool"), NetworkTimeoutError, False),
        (httpx.ReadTimeout("timed out"), NetworkTimeoutError, True),
        (httpx.WriteTimeout("timed out"), NetworkTimeoutError, True),
        (httpx.RemoteProtocolError("Server disconnected"), ConnectionLostError, True),
        (httpx.ReadError("[Errno 104] Connection reset by peer"), ConnectionLostError, True),
        (ConnectionResetError(104, "Connection reset by peer"), ConnectionLostError, True),
        (ConnectionRefusedError(111, "refused"), ConnectionFailedError, False),
        (ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"), TlsError, False),
        (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate"), TlsError, False),
        (_tls_connect_error(), TlsError, False),
        (httpx.ProxyError("proxy said no"), ConnectionFailedError, False),
    ],
)
def test_transport_failures(exc: BaseException, cls: type[NetworkError], sent: bool) -> None:
    rec = Recorder(exc)
    with coze_client(rec, max_attempts=1) as client, pytest.raises(NetworkError) as info:
        client.list_groups()
    err = info.value
    assert type(err) is cls
    assert err.request_sent is sent
    assert err.endpoint == "GET /v1/audio/voiceprint_groups"
    assert err.http_status is None
    _assert_explained(err)


def test_tls_errors_are_not_retried() -> None:
    rec = Recorder(ssl.SSLError(1, "bad cert"))
    with coze_client(rec) as client, pytest.raises(TlsError):
        client.list_groups()
    assert rec.count == 1


# -- MiniMax ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (1000, ServerError),
        (1001, ServerError),
        (1002, ThrottledError),
        (1004, AuthenticationError),
        (1008, InsufficientBalanceError),
        (1024, ServerError),
        (1033, ServerError),
        (2013, InvalidRequestError),
        (20132, InvalidRequestError),
        (2042, PermissionDeniedError),
        (2049, AuthenticationError),
        (9999, ApiError),
    ],
)
def test_minimax_codes(code: int, cls: type[ApiError]) -> None:
    rec = Recorder(json_response(minimax_fail(code, "mm says"), headers={"Trace-Id": "TR-9"}))
    with minimax_client(rec, max_attempts=1) as client, pytest.raises(ApiError) as info:
        client.list_voices()
    err = info.value
    assert type(err) is cls
    assert err.service == "minimax"
    assert err.endpoint == "POST /v1/get_voice"
    assert err.code == code
    assert err.request_id == "TR-9"
    assert err.server_message == "mm says"
    _assert_explained(err)


def test_minimax_auth_message_mentions_both_hosts() -> None:
    rec = Recorder(json_response(minimax_fail(2049)))
    with minimax_client(rec) as client, pytest.raises(AuthenticationError) as info:
        client.delete_voice("voice_cloning", "v1")
    assert "api.minimaxi.com" in info.value.user_message
    assert "api.minimax.io" in info.value.user_message


@pytest.mark.parametrize(
    "content",
    [b"{}", b'{"base_resp": null}', b'{"base_resp": {"status_msg": "ok"}}', b"<html></html>"],
)
def test_minimax_missing_envelope_is_protocol_error(content: bytes) -> None:
    with (
        minimax_client(Recorder(httpx.Response(200, content=content))) as client,
        pytest.raises(ProtocolError),
    ):
        client.list_voices()


def test_minimax_http_401() -> None:
    with (
        minimax_client(Recorder(httpx.Response(401, text="unauthorized"))) as client,
        pytest.raises(AuthenticationError) as info,
    ):
        client.list_voices()
    assert "api.minimax.io" in info.value.user_message


# -- the wording table -------------------------------------------------------------------------


def test_every_message_has_both_sentences() -> None:
    for key, (message, next_step) in MESSAGES.items():
        assert message.strip(), key
        assert next_step.strip(), key


# -- Retry-After parsing ---------------------------------------------------------------------


def test_parse_retry_after() -> None:
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("1.5") == 1.5
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("-3") is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 01 Jan 2025 12:00:30 GMT", now=lambda: now) == 30.0
    assert parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now=lambda: now) == 0.0


def test_throttled_error_carries_retry_after() -> None:
    rec = Recorder(httpx.Response(429, text="slow down", headers={"Retry-After": "12"}))
    with coze_client(rec, max_attempts=1) as client, pytest.raises(ThrottledError) as info:
        client.list_groups()
    assert info.value.retry_after == 12.0


def test_errors_survive_pickle_and_copy() -> None:
    import copy
    import pickle

    rec = Recorder(json_response(coze_fail(4101, "no", logid="L-P")))
    with coze_client(rec) as client, pytest.raises(PermissionDeniedError) as info:
        client.create_group("g")
    pickled = pickle.loads(pickle.dumps(info.value))  # noqa: S301 - our own bytes
    for clone in (pickled, copy.deepcopy(info.value)):
        assert type(clone) is PermissionDeniedError
        assert str(clone) == str(info.value)
        assert clone.permission == "createVoiceprintGroup"
        assert clone.request_id == "L-P"


def test_render_translates_templates_then_fills_placeholders() -> None:
    from voiceprint_studio.api.errors import PermissionDeniedError

    error = PermissionDeniedError(
        service="coze",
        endpoint="POST /v1/audio/voiceprint_groups",
        code=4101,
        request_id="LOG1",
        detail={"permission": "createVoiceprintGroup"},
    )
    seen: list[str] = []

    def translate(text: str) -> str:
        seen.append(text)
        return "译文 {permission} {typo}"

    message, step = error.render(translate)
    assert message == step == "译文 createVoiceprintGroup {typo}"
    assert all("{permission}" in text for text in seen)
    assert "createVoiceprintGroup" in error.user_message
