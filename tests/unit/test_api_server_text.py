"""What a server says is bounded and escaped before it is shown or logged.

A 1 MB ``msg`` froze the error dialog for 19 s, and a newline in one could forge a
log line. The error carries at most a few hundred characters, with control
characters, line separators and bidi overrides as visible escapes; the request id
likewise; the token is masked even where the cut falls inside it.
"""

from __future__ import annotations

import logging

import httpx
import pytest

from tests.unit.api_samples import TOKEN, Recorder, coze_client, coze_fail, json_response
from voiceprint_studio.api import ApiError, server_text

FORGED = "\n2026-01-01 00:00:00 CRITICAL voiceprint_studio: token accepted\r\n"


def test_a_huge_message_is_cut_and_its_length_told() -> None:
    text = server_text("x" * 1_000_000)
    assert len(text) < 400
    assert text.endswith("(999700 more characters)")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\r\\nb"),
        ("a\x1b[31mred", "a\\x1b[31mred"),
        ("a\u2028b", "a\\u2028b"),
        ("left\u202eright", "left\\u202eright"),
        ("lone \ud800 surrogate", "lone \\ud800 surrogate"),
        ("中文 and tabs\tok", "中文 and tabs\\tok"),
    ],
)
def test_control_characters_are_escaped(raw: str, shown: str) -> None:
    assert server_text(raw) == shown


def test_the_token_is_masked_even_across_the_cut() -> None:
    text = "y" * 290 + TOKEN + "z" * 100
    shown = server_text(text, secrets=(TOKEN,))
    assert TOKEN[:12] not in shown
    assert "pat_" not in shown.replace("***", "")


def test_a_hostile_error_reaches_the_app_bounded_and_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    message = FORGED + ("spam " * 200_000) + TOKEN
    rec = Recorder(json_response(coze_fail(4000, msg=message, logid="LOG\nID" + "9" * 10_000)))
    with (
        caplog.at_level(logging.WARNING, logger="voiceprint_studio.api"),
        coze_client(rec) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.list_groups()
    error = caught.value
    for text in (error.server_message, error.user_message, str(error)):
        assert "\n" not in text and "\r" not in text
        assert len(text) < 1000
        assert TOKEN not in text
    assert error.server_message.startswith("\\n2026-01-01")
    assert error.request_id is not None
    assert len(error.request_id) < 200 and "\n" not in error.request_id
    records = [r for r in caplog.records if r.name == "voiceprint_studio.api"]
    assert records
    for record in records:
        line = record.getMessage()
        assert "\n" not in line and len(line) < 1500


def test_an_http_error_page_with_a_huge_reason_is_bounded() -> None:
    rec = Recorder(httpx.Response(502, content=b"<html>" + b"x" * 2_000_000))
    with coze_client(rec, max_attempts=1) as client, pytest.raises(ApiError) as caught:
        client.list_groups()
    assert len(caught.value.server_message) < 200
    assert "HTML page" in caught.value.server_message
