"""The offline backend's own choices are listed in the docs, and the docs say what it does.

``docs/offline-backend-codes.md`` lists the codes the public docs do not give for these
cases; each listed behaviour is checked here against the real loopback backend, and the
claim about the official SDK (an update without audio is sent as multipart) is checked
against cozepy itself.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import httpx
import pytest

from tests.backend_fixtures import Loopback, wav_bytes
from voiceprint_studio.local import app as backend_module
from voiceprint_studio.local.store import LocalUser, NewAudio

DOC = Path(__file__).resolve().parents[2] / "docs" / "offline-backend-codes.md"
GROUPS = "/v1/audio/voiceprint_groups"


def _code(response: httpx.Response) -> int:
    body = response.json()
    assert isinstance(body, dict)
    return int(body["code"])


def test_the_doc_lists_the_invented_codes_and_the_backend_answers_them(
    loopback: Loopback,
) -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert "this project's" in doc
    for case in ("another user created", "`user_id` other than", "unknown route"):
        assert case in doc

    store = loopback.app.store
    colleague = LocalUser("7480000000000000555", "colleague", "同事")
    store.add_user(colleague)
    theirs = store.create_group("同事的组", user_id=colleague.user_id).id
    feature = store.create_feature(
        theirs, "声纹", "", NewAudio(wav_bytes(), "wav"), user_id=colleague.user_id
    ).id
    with httpx.Client(base_url=loopback.url, headers=loopback.headers) as client:
        # 4101 for a non-creator (delete group, delete or update voiceprint)
        assert _code(client.delete(f"{GROUPS}/{theirs}")) == 4101
        assert _code(client.delete(f"{GROUPS}/{theirs}/features/{feature}")) == 4101
        # 4000 for another user_id, naming the field
        other = client.get(GROUPS, params={"user_id": colleague.user_id})
        assert _code(other) == 4000
        assert "user_id" in other.json()["msg"]
        # 4200 with HTTP 404 for an unknown route
        unknown = client.get("/v1/audio/not_a_route")
        assert unknown.status_code == 404
        assert _code(unknown) == 4200


def test_the_backend_docstring_points_at_the_doc_and_says_multipart() -> None:
    doc = backend_module.__doc__ or ""
    assert "docs/offline-backend-codes.md" in doc
    assert "the official SDK sends JSON then" not in doc
    assert "sends multipart text" in doc


def test_cozepy_sends_an_update_without_audio_as_multipart(loopback: Loopback) -> None:
    with warnings.catch_warnings():
        pytest.importorskip("authlib.deprecate")
        warnings.filterwarnings("ignore", message=r"authlib\.jose module is deprecated")
        cozepy = pytest.importorskip("cozepy")
    seen: list[str] = []
    inner = httpx.HTTPTransport()

    class Spy(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "PUT":
                seen.append(request.headers.get("content-type", ""))
            return inner.handle_request(request)

    store = loopback.app.store
    gid = store.create_group("g").id
    fid = store.create_feature(gid, "v", "", NewAudio(wav_bytes(), "wav")).id
    http = cozepy.SyncHTTPClient(timeout=10, transport=Spy())
    try:
        coze = cozepy.Coze(
            auth=cozepy.TokenAuth(loopback.token), base_url=loopback.url, http_client=http
        )
        coze.audio.voiceprint_groups.features.update(group_id=gid, feature_id=fid, name="外婆")
    finally:
        http.close()
        inner.close()
    assert len(seen) == 1
    assert seen[0].startswith("multipart/form-data")
    updated = store.get_feature(gid, fid)
    assert updated is not None and updated.name == "外婆"
