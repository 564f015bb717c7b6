"""The token never shows up in logs, exception text or reprs."""

from __future__ import annotations

import logging
import ssl

import httpx
import pytest

from tests.unit.api_samples import (
    MINIMAX_KEY,
    TOKEN,
    Recorder,
    coze_client,
    coze_fail,
    json_response,
    minimax_client,
    minimax_fail,
)
from voiceprint_studio.api import (
    LOGGER_NAME,
    ApiError,
    RedactingFilter,
    Secret,
    redact,
)


def _everything_visible(err: BaseException, caplog: pytest.LogCaptureFixture) -> str:
    parts = [str(err), repr(err), repr(err.args)]
    for attr in ("user_message", "next_step", "server_message"):
        parts.append(str(getattr(err, attr, "")))
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(repr(record.__dict__))
    parts.append(caplog.text)
    return "\n".join(parts)


FAILURES = [
    json_response(coze_fail(4100, f"invalid token Bearer {TOKEN}")),
    json_response(coze_fail(777, f"echo {TOKEN}")),
    httpx.Response(500, text=f"<html>Authorization: Bearer {TOKEN}</html>"),
    httpx.Response(401, json={"code": 4100, "msg": f"token {TOKEN} expired"}),
    httpx.ConnectError(f"failed for Authorization: Bearer {TOKEN}"),
    ssl.SSLError(1, f"bad {TOKEN}"),
    httpx.Response(200, text="not json"),
]


@pytest.mark.parametrize("failure", FAILURES)
def test_token_absent_from_logs_and_errors(
    failure: object, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    rec = Recorder(failure)  # type: ignore[arg-type]
    with coze_client(rec, max_attempts=2) as client, pytest.raises(ApiError) as info:
        client.list_groups()
    assert rec.requests[0].headers["authorization"] == f"Bearer {TOKEN}"  # it was sent
    visible = _everything_visible(info.value, caplog)
    assert TOKEN not in visible
    assert TOKEN[4:20] not in visible
    assert any(r.name == LOGGER_NAME for r in caplog.records)


def test_minimax_key_absent(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    rec = Recorder(json_response(minimax_fail(2049, f"key {MINIMAX_KEY} invalid")))
    with minimax_client(rec) as client, pytest.raises(ApiError) as info:
        client.list_voices()
    assert MINIMAX_KEY not in _everything_visible(info.value, caplog)


def test_client_reprs_hide_the_token() -> None:
    with coze_client(Recorder()) as coze, minimax_client(Recorder()) as mm:
        for text in (
            repr(coze),
            str(coze),
            repr(coze._http),
            repr(vars(coze)),
            repr(mm),
            repr(vars(mm)),
        ):
            assert TOKEN not in text
            assert MINIMAX_KEY not in text


def test_every_request_is_logged_with_its_details(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    rec = Recorder(
        json_response(coze_fail(5000, logid="L-FAIL")),
        json_response({"code": 0, "data": {"items": []}, "detail": {"logid": "L-OK"}}),
    )
    with coze_client(rec) as client:
        client.list_groups(page_size=20)
    records = [r for r in caplog.records if r.name == LOGGER_NAME]
    assert len(records) == 2
    failed, ok = records
    assert failed.levelno == logging.WARNING
    assert ok.levelno == logging.INFO
    for record, attempt, code, rid, status in (
        (failed, 1, 5000, "L-FAIL", 200),
        (ok, 2, 0, "L-OK", 200),
    ):
        message = record.getMessage()
        assert "GET /v1/audio/voiceprint_groups" in message
        assert rid in message
        assert f"attempt {attempt}" in message
        assert " ms " in message
        assert record.api_attempt == attempt  # type: ignore[attr-defined]
        assert record.api_code == code  # type: ignore[attr-defined]
        assert record.api_request_id == rid  # type: ignore[attr-defined]
        assert record.api_status == status  # type: ignore[attr-defined]
        assert record.api_duration_ms >= 0  # type: ignore[attr-defined]
        assert TOKEN not in message


def test_the_log_filter_is_detached_on_close() -> None:
    logger = logging.getLogger(LOGGER_NAME)
    before = list(logger.filters)
    client = coze_client(Recorder())
    assert len(logger.filters) == len(before) + 1
    client.close()
    client.close()
    assert logger.filters == before


# -- the helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc.def-ghi", "Authorization: Bearer ***"),
        ("bearer xyz", "bearer ***"),
        ("token pat_OYDacMzM3WyOWV3Dtj2bHRMymzxP**** here", "token pat_*** here"),
        ("sat_abcdefgh1234", "sat_***"),
        ("compat_layer is fine", "compat_layer is fine"),
        ("nothing to see", "nothing to see"),
    ],
)
def test_redact_patterns(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_redact_registered_secret() -> None:
    assert redact("key=sk-live-123456 ok", ["sk-live-123456"]) == "key=*** ok"


def test_redacting_filter_scrubs_message_and_args() -> None:
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "sent %s with %r",
        (f"Bearer {TOKEN}", {"k": "s3cr3tval"}),
        None,
    )
    assert RedactingFilter(["s3cr3tval"]).filter(record)
    message = record.getMessage()
    assert TOKEN not in message
    assert "s3cr3tval" not in message
    assert "Bearer ***" in message


def test_redacting_filter_on_a_handler(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("voiceprint_studio.test_redaction")
    filt = RedactingFilter()
    filt.add_secret("hunter2-secret")
    logger.addFilter(filt)
    try:
        with caplog.at_level(logging.INFO, logger=logger.name):
            logger.info("password %s and pat_abcdefgh12345", "hunter2-secret")
    finally:
        logger.removeFilter(filt)
    assert "hunter2-secret" not in caplog.text
    assert "pat_abcdefgh12345" not in caplog.text


def test_secret_wrapper() -> None:
    secret = Secret(TOKEN)
    assert TOKEN not in repr(secret)
    assert TOKEN not in str(secret)
    assert TOKEN not in f"{secret}"
    assert secret.reveal() == TOKEN
    assert secret == Secret(TOKEN)
    with pytest.raises(TypeError):
        secret.__reduce__()
