"""Response samples from the API docs (../shared/api and the Chinese seeds) and test helpers.

The doc examples are copied as the docs show them, including their oddities:
bare-number user ids, ids with ``***`` masking, millisecond timestamps.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from voiceprint_studio.api import CozeClient, MiniMaxClient, RetryPolicy

TOKEN = "pat_OYDacMzM3WyOWV3Dtj2bHRMymzxPsecretTOKEN42"
MINIMAX_KEY = "eyJhbGciOiJSUzI1NiJ9.minimax-secret-key-0123456789"

# No waiting between attempts: tests never sleep for real.
FAST_RETRY = RetryPolicy(attempts=4, wait_initial=0.0, wait_max=0.0, wait_jitter=0.0)

Handler = Callable[[httpx.Request], httpx.Response]


def coze_ok(data: Any = None, logid: str = "20250604155538LOGID") -> dict[str, Any]:
    """A Coze success envelope."""
    body: dict[str, Any] = {"code": 0, "msg": "", "detail": {"logid": logid}}
    if data is not None:
        body["data"] = data
    return body


def coze_fail(code: int, msg: str = "failed", logid: str = "LOGID-FAIL") -> dict[str, Any]:
    """A Coze failure envelope (HTTP 200)."""
    return {"code": code, "msg": msg, "detail": {"logid": logid}}


def minimax_ok(**fields: Any) -> dict[str, Any]:
    """A MiniMax success body."""
    return {**fields, "base_resp": {"status_code": 0, "status_msg": "success"}}


def minimax_fail(code: int, msg: str = "failed") -> dict[str, Any]:
    """A MiniMax failure body."""
    return {"base_resp": {"status_code": code, "status_msg": msg}}


class Recorder:
    """A MockTransport handler that records requests and plays a script of answers.

    Each answer is an ``httpx.Response``, an exception to raise, or a callable
    taking the request. The last answer repeats.
    """

    def __init__(self, *answers: httpx.Response | BaseException | Handler) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return answer(request)

    @property
    def count(self) -> int:
        """How many requests reached the transport."""
        return len(self.requests)


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> httpx.Response:
    """A JSON response (a fresh object each time)."""
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )


def coze_client(handler: Handler, **kwargs: Any) -> CozeClient:
    """A Coze client on a MockTransport, with instant retries."""
    kwargs.setdefault("retry", FAST_RETRY)
    return CozeClient(
        TOKEN, "https://api.coze.cn", transport=httpx.MockTransport(handler), **kwargs
    )


def minimax_client(handler: Handler, **kwargs: Any) -> MiniMaxClient:
    """A MiniMax client on a MockTransport, with instant retries."""
    kwargs.setdefault("retry", FAST_RETRY)
    return MiniMaxClient(
        MINIMAX_KEY, "https://api.minimaxi.com", transport=httpx.MockTransport(handler), **kwargs
    )


def never_called(request: httpx.Request) -> httpx.Response:
    """A handler that fails the test if any request reaches it."""
    raise AssertionError(f"the network must not be used: {request.method} {request.url}")


def write_wav(path: Path, payload_bytes: int = 3200) -> Path:
    """Write a minimal 16 kHz mono 16-bit wav file with ``payload_bytes`` of silence."""
    header = (
        b"RIFF"
        + (36 + payload_bytes).to_bytes(4, "little")
        + b"WAVEfmt "
        + (16).to_bytes(4, "little")
        + (1).to_bytes(2, "little")
        + (1).to_bytes(2, "little")
        + (16000).to_bytes(4, "little")
        + (32000).to_bytes(4, "little")
        + (2).to_bytes(2, "little")
        + (16).to_bytes(2, "little")
        + b"data"
        + payload_bytes.to_bytes(4, "little")
    )
    path.write_bytes(header + b"\x00" * payload_bytes)
    return path


# --------------------------------------------------------------------------
# Doc examples
# --------------------------------------------------------------------------

# seeds/002 (list groups), verbatim apart from JSON-izing the masked number:
# the doc shows "id": 14891859095***, a bare number; we use a full 14-digit one.
LIST_GROUPS_DOC = {
    "detail": {"logid": "2025060415553824EF7ACB121****"},
    "data": {
        "total": 1,
        "items": [
            {
                "feature_count": 0,
                "desc": "This is a test group",
                "name": "test_group",
                "icon_url": "https://example.***/obj/ocean-cloud-tos/voiceprint/default_voiceprint_group_icon.png",
                "user_info": {
                    "avatar_url": "https://p3-passport.byteacctimg.com/img/user-avatar/x.image",
                    "id": 14891859095123,
                    "name": "testcase1",
                    "nickname": "5707",
                },
                "id": "751198840854***",
                "created_at": 1749021940,
                "updated_at": 1749021940,
            }
        ],
    },
    "code": 0,
    "msg": "",
}

# seeds/002 field table: string user id and millisecond timestamps.
GROUP_TABLE_EXAMPLE = {
    "id": "7514303811737812345",
    "desc": "声纹组1",
    "name": "声纹组1",
    "icon_url": "https://example.com/avatar/751427391012944.jpg",
    "user_info": {
        "id": "324566624",
        "name": "小王",
        "nickname": "小王",
        "avatar_url": "https://example.com/avatar/751427391012944.jpg",
    },
    "created_at": 1714567890123,
    "updated_at": 1714567890223,
    "feature_count": 3,
}

# seeds/001 (create group)
CREATE_GROUP_DOC = {
    "msg": "",
    "detail": {"logid": "202506091635425D49D29729AD9****"},
    "data": {"id": "75138649771889***"},
    "code": 0,
}

# seeds/000 (delete group): no data at all.
DELETE_GROUP_DOC = {"code": 0, "msg": "", "detail": {"logid": "20241210191248C8EF7607554A6****"}}

# seeds/004 (update voiceprint): the example has data.id although the table says none.
UPDATE_FEATURE_DOC = {
    "code": 0,
    "msg": "",
    "detail": {"logid": "202506091643272FB1EDC9***"},
    "data": {"id": "751386528331282****"},
}

# api/coze-voiceprint.md (create voiceprint, identify)
CREATE_FEATURE_DOC = {
    "code": 0,
    "msg": "",
    "data": {"id": "75138652833128..."},
    "detail": {"logid": "..."},
}
IDENTIFY_DOC = {
    "code": 0,
    "msg": "",
    "data": {
        "feature_score_list": [
            {
                "score": 23.139079321463843,
                "feature_name": "妈妈的声音",
                "feature_desc": "妈妈的声音",
                "feature_id": "7513865283312...",
            }
        ]
    },
    "detail": {"logid": "..."},
}

# api/minimax-voice.md (get_voice)
GET_VOICE_DOC = {
    "system_voice": [
        {"voice_id": "male-qn-qingse", "voice_name": "青涩青年音", "description": ["..."]}
    ],
    "voice_cloning": [
        {"voice_id": "my_voice_01", "description": ["..."], "created_time": "2025-01-15"}
    ],
    "voice_generation": [
        {"voice_id": "ttv-voice-2025...", "description": ["..."], "created_time": "2025-01-15"}
    ],
    "base_resp": {"status_code": 0, "status_msg": "success"},
}

# seeds/003 (delete voice): created_time is a Unix timestamp in a string.
DELETE_VOICE_DOC = {
    "voice_id": "yanshang11123",
    "created_time": "1728962464",
    "base_resp": {"status_code": 0, "status_msg": "success"},
}
