"""Property tests: whatever a server sends, every call gives a result or an ApiError."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.api_samples import coze_client, minimax_client, write_wav
from voiceprint_studio.api import (
    ApiError,
    AudioUpload,
    CozeClient,
    FeatureScore,
    Me,
    MiniMaxClient,
    MiniMaxVoice,
    Page,
)

KEYS = st.sampled_from(
    [
        "code",
        "msg",
        "data",
        "detail",
        "logid",
        "items",
        "total",
        "id",
        "name",
        "desc",
        "user_info",
        "created_at",
        "updated_at",
        "feature_count",
        "feature_score_list",
        "feature_id",
        "score",
        "user_id",
        "base_resp",
        "status_code",
        "status_msg",
        "system_voice",
        "voice_cloning",
        "voice_generation",
        "voice_id",
        "description",
        "created_time",
        "audio_url",
    ]
) | st.text(max_size=8)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.sampled_from(
        [0, 1714567890123, "0", "1714567890123", "2025-01-15", "", "7511988408546279468"]
    ),
)

JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=8,
)


def _coze_envelopes(data: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries(
        {"code": st.sampled_from([0, 0, 0, 4000, 4101, 4200, 5000, 1, -1]) | JSON},
        optional={"msg": JSON, "data": data, "detail": JSON},
    )


ITEM_LISTS = st.fixed_dictionaries(
    {},
    optional={
        "items": st.lists(st.dictionaries(KEYS, JSON, max_size=5), max_size=3) | JSON,
        "total": JSON,
        "feature_score_list": st.lists(st.dictionaries(KEYS, JSON, max_size=4), max_size=3) | JSON,
        "id": JSON,
        "user_id": JSON,
    },
)

MINIMAX_BODIES = st.fixed_dictionaries(
    {},
    optional={
        "base_resp": st.fixed_dictionaries(
            {"status_code": st.sampled_from([0, 0, 1002, 2013]) | JSON},
            optional={"status_msg": JSON},
        )
        | JSON,
        "system_voice": st.lists(st.dictionaries(KEYS, JSON, max_size=4), max_size=2) | JSON,
        "voice_cloning": st.lists(st.dictionaries(KEYS, JSON, max_size=4), max_size=2) | JSON,
        "voice_generation": st.lists(st.dictionaries(KEYS, JSON, max_size=5), max_size=3) | JSON,
    },
)


def _encode(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


BODIES = st.one_of(
    st.binary(max_size=200),
    JSON.map(_encode),
    _coze_envelopes(JSON).map(_encode),
    _coze_envelopes(ITEM_LISTS).map(_encode),
    MINIMAX_BODIES.map(_encode),
    JSON.map(_encode).map(lambda b: b[: max(1, len(b) // 2)]),  # truncated JSON
)
RESPONSES = st.tuples(
    st.sampled_from([200, 200, 200, 201, 204, 302, 400, 401, 403, 404, 429, 500, 502]),
    BODIES,
    st.sampled_from(["application/json", "text/html", "audio/wav", ""]),
    st.sampled_from([None, "5", "-1", "soon", "Wed, 01 Jan 2025 12:00:30 GMT"]),
)


@pytest.fixture(scope="module")
def audio(tmp_path_factory: pytest.TempPathFactory) -> AudioUpload:
    return AudioUpload.from_path(write_wav(tmp_path_factory.mktemp("audio") / "a.wav"))


CozeCall = Callable[[CozeClient, AudioUpload], object]

COZE_CALLS: dict[str, tuple[CozeCall, Callable[[object], bool]]] = {
    "me": (lambda c, a: c.me(), lambda r: isinstance(r, Me)),
    "list_groups": (lambda c, a: c.list_groups(1, 200), lambda r: isinstance(r, Page)),
    "iter_groups": (
        lambda c, a: list(c.iter_groups(page_size=200)),
        lambda r: isinstance(r, list),
    ),
    "create_group": (lambda c, a: c.create_group("g"), lambda r: isinstance(r, str) and r != ""),
    "update_group": (lambda c, a: c.update_group("1", name="n"), lambda r: r is None),
    "delete_group": (lambda c, a: c.delete_group("1"), lambda r: r is None),
    "list_voiceprints": (lambda c, a: c.list_voiceprints("1"), lambda r: isinstance(r, Page)),
    "create_voiceprint": (
        lambda c, a: c.create_voiceprint("1", "n", a),
        lambda r: isinstance(r, str) and r != "",
    ),
    "update_voiceprint": (
        lambda c, a: c.update_voiceprint("1", "2", name="n"),
        lambda r: r is None or isinstance(r, str),
    ),
    "delete_voiceprint": (lambda c, a: c.delete_voiceprint("1", "2"), lambda r: r is None),
    "identify": (
        lambda c, a: c.identify("1", a),
        lambda r: isinstance(r, list) and all(isinstance(s, FeatureScore) for s in r),
    ),
    "download_audio": (
        lambda c, a: c.download_audio("https://api.coze.cn/a.wav"),
        lambda r: isinstance(r, bytes),
    ),
}

MiniMaxCall = Callable[[MiniMaxClient], object]

MINIMAX_CALLS: dict[str, tuple[MiniMaxCall, Callable[[object], bool]]] = {
    "list_voices": (
        lambda c: c.list_voices(),
        lambda r: isinstance(r, list) and all(isinstance(v, MiniMaxVoice) for v in r),
    ),
    "list_voices_cloning": (
        lambda c: c.list_voices("voice_cloning"),
        lambda r: isinstance(r, list) and all(v.voice_type == "voice_cloning" for v in r),  # type: ignore[attr-defined]
    ),
    "delete_voice": (lambda c: c.delete_voice("voice_cloning", "v1"), lambda r: r is None),
}

Answer = tuple[int, bytes, str, str | None]


class _Server:
    """A MockTransport handler that answers with whatever the current example says."""

    def __init__(self) -> None:
        self.answer: Answer = (200, b"{}", "application/json", None)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        status, body, content_type, retry_after = self.answer
        headers = {"content-type": content_type} if content_type else {}
        if retry_after is not None:
            headers["retry-after"] = retry_after
        return httpx.Response(status, content=body, headers=headers)


# Per endpoint; the parsers get 200 examples each below, without HTTP around them.
PROPERTY_SETTINGS = settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("name", sorted(COZE_CALLS))
def test_coze_calls_never_raise_anything_else(name: str, audio: AudioUpload) -> None:
    call, valid = COZE_CALLS[name]
    server = _Server()
    client = coze_client(server, max_attempts=1)

    @PROPERTY_SETTINGS
    @given(answer=RESPONSES)
    def run(answer: Answer) -> None:
        server.answer = answer
        try:
            result = call(client, audio)
        except ApiError as err:
            assert err.user_message
            assert err.next_step
            return
        assert valid(result), result

    try:
        run()
    finally:
        client.close()


@pytest.mark.parametrize("name", sorted(MINIMAX_CALLS))
def test_minimax_calls_never_raise_anything_else(name: str) -> None:
    call, valid = MINIMAX_CALLS[name]
    server = _Server()
    client = minimax_client(server, max_attempts=1)

    @PROPERTY_SETTINGS
    @given(answer=RESPONSES)
    def run(answer: Answer) -> None:
        server.answer = answer
        try:
            result = call(client)
        except ApiError as err:
            assert err.user_message
            return
        assert valid(result), result

    try:
        run()
    finally:
        client.close()


@settings(max_examples=200, deadline=None)
@given(value=JSON | ITEM_LISTS | MINIMAX_BODIES)
def test_parsers_directly(value: Any) -> None:
    from voiceprint_studio.api import models

    parsers: list[Callable[[object], object]] = [
        models.parse_me,
        lambda v: models.parse_group_page(v, 1, 10),
        lambda v: models.parse_voiceprint_page(v, 1, 10, "1"),
        models.parse_feature_scores,
        models.parse_minimax_voices,
        models.parse_created_id,
        models.parse_optional_id,
        models.parse_timestamp,
    ]
    for parse in parsers:
        with contextlib.suppress(models.ResponseShapeError):
            parse(value)


def test_valid_shapes_parse(tmp_path: Path) -> None:
    """A sanity anchor for the property tests: a good body does give a result."""
    server = _Server()
    server.answer = (
        200,
        _encode({"code": 0, "data": {"items": [{"id": 1}], "total": 1}}),
        "application/json",
        None,
    )
    with coze_client(server) as client:
        assert client.list_groups().items[0].id == "1"
