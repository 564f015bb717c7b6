"""The embedded backend over loopback with raw httpx: every endpoint, success and failure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.backend_fixtures import Loopback, pcm_bytes, wav_bytes
from voiceprint_studio.local.store import LocalUser, NewAudio
from voiceprint_studio.local.workspace import audio_files

GROUPS = "/v1/audio/voiceprint_groups"


@pytest.fixture
def client(loopback: Loopback) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=loopback.url, headers=loopback.headers, timeout=10) as c:
        yield c


@pytest.fixture
def small(small_loopback: Loopback) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=small_loopback.url, headers=small_loopback.headers, timeout=10) as c:
        yield c


def ok(resp: httpx.Response) -> Any:
    body = resp.json()
    assert resp.status_code == 200, body
    assert body["code"] == 0, body
    assert body["msg"] == ""
    assert body["detail"]["logid"] == resp.headers["x-tt-logid"]
    return body["data"]


def fails(resp: httpx.Response, code: int, status: int = 200, *, mentions: str = "") -> str:
    body = resp.json()
    assert resp.status_code == status, body
    assert body["code"] == code, body
    assert body["detail"]["logid"] == resp.headers["x-tt-logid"]
    assert "data" in body
    assert mentions in body["msg"]
    return str(body["msg"])


def new_group(c: httpx.Client, name: str = "客厅音箱", desc: str = "") -> str:
    gid = ok(c.post(GROUPS, json={"name": name, "desc": desc}))["id"]
    assert isinstance(gid, str)
    return gid


def upload(
    c: httpx.Client,
    gid: str,
    name: str = "妈妈的声音",
    content: bytes | None = None,
    filename: str = "voice.wav",
    **fields: str,
) -> httpx.Response:
    data = {"name": name, **fields}
    body = wav_bytes() if content is None else content
    return c.post(f"{GROUPS}/{gid}/features", data=data, files={"file": (filename, body)})


def new_feature(c: httpx.Client, gid: str, name: str = "妈妈的声音", **kw: Any) -> str:
    return str(ok(upload(c, gid, name, **kw))["id"])


# -- auth, users/me, routing -----------------------------------------------------------------


def test_users_me(client: httpx.Client, loopback: Loopback) -> None:
    data = ok(client.get("/v1/users/me"))
    assert data["user_id"] == loopback.app.user.user_id
    assert set(data) == {"user_id", "user_name", "nick_name", "avatar_url"}
    assert client.get(data["avatar_url"]).headers["content-type"].startswith("image/svg+xml")


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}, {"Authorization": ""}],
)
def test_bad_token_is_4100(loopback: Loopback, headers: dict[str, str]) -> None:
    with httpx.Client(base_url=loopback.url, headers=headers) as c:
        for resp in (c.get("/v1/users/me"), c.post(GROUPS, json={"name": "x"})):
            fails(resp, 4100, 401)


def test_unknown_route_and_wrong_method(client: httpx.Client) -> None:
    fails(client.get("/v1/nothing/here"), 4200, 404)
    resp = client.delete(GROUPS)
    fails(resp, 4000, 405, mentions="DELETE")
    assert "POST" in resp.headers["allow"]


# -- groups ---------------------------------------------------------------------------------


def test_group_lifecycle(client: httpx.Client, loopback: Loopback) -> None:
    gid = new_group(client, "音箱1的声纹组", "音箱1的声纹组")
    assert len(gid) == 19
    assert gid.isdigit()
    data = ok(client.get(GROUPS, params={"group_id": gid}))
    assert data["total"] == 1
    (group,) = data["items"]
    assert group["id"] == gid
    assert group["name"] == "音箱1的声纹组"
    assert group["desc"] == "音箱1的声纹组"
    assert group["feature_count"] == 0
    assert group["icon_url"].startswith(loopback.url)
    user = loopback.app.user
    assert group["user_info"] == {
        "id": user.user_id,
        "name": user.user_name,
        "nickname": user.nick_name,
        "avatar_url": f"{loopback.url}/static/avatar.svg",
    }
    assert isinstance(group["created_at"], int)
    assert 1_600_000_000 < group["created_at"] < 10_000_000_000  # seconds, not ms

    assert ok(client.put(f"{GROUPS}/{gid}", json={"name": "新名字"})) == {}
    group = ok(client.get(GROUPS, params={"group_id": gid}))["items"][0]
    assert (group["name"], group["desc"]) == ("新名字", "音箱1的声纹组")
    ok(client.put(f"{GROUPS}/{gid}", json={"desc": ""}))
    assert ok(client.get(GROUPS, params={"group_id": gid}))["items"][0]["desc"] == ""

    assert ok(client.delete(f"{GROUPS}/{gid}")) == {}
    assert ok(client.get(GROUPS))["total"] == 0
    fails(client.delete(f"{GROUPS}/{gid}"), 4200)
    fails(client.put(f"{GROUPS}/{gid}", json={"name": "x"}), 4200)
    fails(client.delete(f"{GROUPS}/not-a-number"), 4200)


def test_group_field_validation(client: httpx.Client) -> None:
    ok(client.post(GROUPS, json={"name": "名" * 20, "desc": "d" * 500}))
    fails(client.post(GROUPS, json={"name": "名" * 21}), 4000, mentions="name")
    fails(client.post(GROUPS, json={"name": "x", "desc": "d" * 501}), 4000, mentions="desc")
    fails(client.post(GROUPS, json={"desc": "no name"}), 4000, mentions="name")
    fails(client.post(GROUPS, json={"name": "   "}), 4000, mentions="name")
    fails(client.post(GROUPS, json={"name": 5}), 4000, mentions="name")
    fails(
        client.post(GROUPS, content=b"{not json", headers={"content-type": "application/json"}),
        4000,
    )
    fails(client.post(GROUPS, json=["name"]), 4000)
    gid = new_group(client)
    fails(client.put(f"{GROUPS}/{gid}", json={"name": "n" * 21}), 4000, mentions="name")
    fails(client.put(f"{GROUPS}/{gid}", json={"desc": "d" * 501}), 4000, mentions="desc")


def test_group_limit(small: httpx.Client) -> None:
    for i in range(3):
        new_group(small, f"g{i}")
    fails(small.post(GROUPS, json={"name": "one too many"}), 4000, mentions="limit")
    assert ok(small.get(GROUPS))["total"] == 3


def test_pagination(client: httpx.Client) -> None:
    ids = [new_group(client, f"g{i:02d}") for i in range(12)]
    first = ok(client.get(GROUPS))
    assert first["total"] == 12
    assert len(first["items"]) == 10  # default page_size
    seen = []
    for page in (1, 2, 3):
        data = ok(client.get(GROUPS, params={"page_num": page, "page_size": 5}))
        assert data["total"] == 12
        seen += [g["id"] for g in data["items"]]
    assert seen == sorted(ids, reverse=True)  # newest first, nothing lost or repeated
    past = ok(client.get(GROUPS, params={"page_num": 99, "page_size": 5}))
    assert past == {"items": [], "total": 12}
    assert len(ok(client.get(GROUPS, params={"page_size": 200}))["items"]) == 12
    for params in ({"page_num": 0}, {"page_size": 0}, {"page_size": 201}, {"page_num": "x"}):
        key = next(iter(params))
        fails(client.get(GROUPS, params=params), 4000, mentions=key)


def test_name_prefix_search(client: httpx.Client) -> None:
    new_group(client, "客厅音箱")
    new_group(client, "客厅电视")
    new_group(client, "卧室客厅")
    data = ok(client.get(GROUPS, params={"name": "客厅"}))
    assert sorted(g["name"] for g in data["items"]) == ["客厅电视", "客厅音箱"]
    assert data["total"] == 2
    assert ok(client.get(GROUPS, params={"name": "客厅音"}))["total"] == 1
    assert ok(client.get(GROUPS, params={"name": "%"}))["total"] == 0
    assert ok(client.get(GROUPS, params={"name": ""}))["total"] == 3


def test_user_id_and_group_id_filters(client: httpx.Client, loopback: Loopback) -> None:
    store = loopback.app.store
    colleague = LocalUser("7480000000000000999", "colleague", "同事")
    store.add_user(colleague)
    theirs = store.create_group("同事的组", user_id=colleague.user_id).id
    mine = new_group(client, "我的组")
    everyone = ok(client.get(GROUPS))
    assert {g["id"] for g in everyone["items"]} == {theirs, mine}
    by_id = {g["id"]: g for g in everyone["items"]}
    assert by_id[theirs]["user_info"]["id"] == colleague.user_id
    assert by_id[theirs]["user_info"]["nickname"] == "同事"
    me = ok(client.get(GROUPS, params={"user_id": loopback.app.user.user_id}))
    assert [g["id"] for g in me["items"]] == [mine]
    fails(client.get(GROUPS, params={"user_id": colleague.user_id}), 4000, mentions="user_id")
    assert [g["id"] for g in ok(client.get(GROUPS, params={"group_id": theirs}))["items"]] == [
        theirs
    ]
    assert ok(client.get(GROUPS, params={"group_id": "1234567890123456789"}))["total"] == 0
    fails(client.get(GROUPS, params={"group_id": "abc"}), 4000, mentions="group_id")
    # only the creator may delete a group, or update or delete a voiceprint
    fails(client.delete(f"{GROUPS}/{theirs}"), 4101)
    audio = NewAudio(wav_bytes(), "wav")
    fid = store.create_feature(theirs, "同事", "", audio, user_id=colleague.user_id).id
    fails(client.put(f"{GROUPS}/{theirs}/features/{fid}", json={"name": "x"}), 4101)
    fails(client.delete(f"{GROUPS}/{theirs}/features/{fid}"), 4101)
    listed = ok(client.get(f"{GROUPS}/{theirs}/features"))["items"]
    assert [(f["id"], f["user_info"]["id"]) for f in listed] == [(fid, colleague.user_id)]


def test_group_delete_cascades(client: httpx.Client, loopback: Loopback) -> None:
    gid = new_group(client)
    other = new_group(client, "其他")
    new_feature(client, gid, "a")
    new_feature(client, gid, "b", content=pcm_bytes(), filename="b.pcm")
    kept = new_feature(client, other, "c")
    audio_dir = loopback.app.store.audio_dir
    assert len(audio_files(audio_dir)) == 3
    assert len(list(audio_dir.iterdir())) == 6  # each with its sidecar
    assert ok(client.get(GROUPS, params={"group_id": gid}))["items"][0]["feature_count"] == 2
    ok(client.delete(f"{GROUPS}/{gid}"))
    remaining = audio_files(audio_dir)
    assert len(list(audio_dir.iterdir())) == 2  # the sidecars went too
    assert len(remaining) == 1
    assert remaining[0].name.startswith(kept)
    fails(client.get(f"{GROUPS}/{gid}/features"), 4200)
    assert ok(client.get(f"{GROUPS}/{other}/features"))["total"] == 1


# -- features -------------------------------------------------------------------------------


def test_feature_lifecycle_and_audio_url(client: httpx.Client, loopback: Loopback) -> None:
    gid = new_group(client)
    wav = wav_bytes(0.3)
    pcm = pcm_bytes(0.2)
    f_wav = new_feature(client, gid, "妈妈的声音", content=wav, desc="妈妈")
    f_pcm = new_feature(
        client, gid, "爸爸", content=pcm, filename="dad.PCM", sample_rate="16000", channel="1"
    )
    data = ok(client.get(f"{GROUPS}/{gid}/features"))
    assert data["total"] == 2
    items = {f["id"]: f for f in data["items"]}
    assert [f["id"] for f in data["items"]] == [f_pcm, f_wav]  # newest first
    feature = items[f_wav]
    assert set(feature) == {
        "id", "group_id", "name", "desc", "icon_url", "audio_url", "user_info", "created_at",
        "updated_at",
    }  # fmt: skip
    assert (feature["group_id"], feature["name"], feature["desc"]) == (gid, "妈妈的声音", "妈妈")
    assert feature["user_info"]["id"] == loopback.app.user.user_id
    assert ok(client.get(GROUPS, params={"group_id": gid}))["items"][0]["feature_count"] == 2

    # the audio URL works without the bearer header and serves the bytes exactly
    with httpx.Client() as anonymous:
        got = anonymous.get(feature["audio_url"])
        assert got.status_code == 200
        assert got.content == wav
        assert got.headers["content-type"] == "audio/wav"
        got = anonymous.get(items[f_pcm]["audio_url"])
        assert got.content == pcm
        assert got.headers["content-type"] == "application/octet-stream"
        url = httpx.URL(feature["audio_url"])
        assert anonymous.get(url.copy_with(query=None)).status_code == 403
        assert anonymous.get(url.copy_merge_params({"sig": "0" * 32})).status_code == 403

    # page past the end, bad paging
    assert ok(client.get(f"{GROUPS}/{gid}/features", params={"page_num": 5})) == {
        "items": [],
        "total": 2,
    }
    fails(client.get(f"{GROUPS}/{gid}/features", params={"page_size": 500}), 4000)

    # update: name only (JSON, as the official SDK sends it), then new audio (multipart)
    assert ok(client.put(f"{GROUPS}/{gid}/features/{f_wav}", json={"name": "外婆"})) == {
        "id": f_wav
    }
    new_wav = wav_bytes(0.5, freq=440)
    resp = client.put(
        f"{GROUPS}/{gid}/features/{f_wav}",
        data={"desc": "新的录音"},
        files={"file": ("new.wav", new_wav)},
    )
    assert ok(resp) == {"id": f_wav}
    feature = {f["id"]: f for f in ok(client.get(f"{GROUPS}/{gid}/features"))["items"]}[f_wav]
    assert (feature["name"], feature["desc"]) == ("外婆", "新的录音")
    assert httpx.get(feature["audio_url"]).content == new_wav
    assert len(audio_files(loopback.app.store.audio_dir)) == 2  # old audio removed
    assert len(list(loopback.app.store.audio_dir.iterdir())) == 4  # with their sidecars
    fails(client.put(f"{GROUPS}/{gid}/features/{f_wav}", json={"name": "x" * 21}), 4000)
    fails(client.put(f"{GROUPS}/{gid}/features/1234567890123456789", json={"name": "x"}), 4200)
    fails(client.put(f"{GROUPS}/1234567890123456789/features/{f_wav}", json={"name": "x"}), 4200)

    # delete
    assert ok(client.delete(f"{GROUPS}/{gid}/features/{f_wav}")) == {}
    fails(client.delete(f"{GROUPS}/{gid}/features/{f_wav}"), 4200)
    assert httpx.get(feature["audio_url"]).status_code == 404
    assert ok(client.get(f"{GROUPS}/{gid}/features"))["total"] == 1
    assert len(audio_files(loopback.app.store.audio_dir)) == 1
    assert len(list(loopback.app.store.audio_dir.iterdir())) == 2


def test_feature_limit_per_group(small: httpx.Client) -> None:
    gid = new_group(small)
    new_feature(small, gid, "a")
    new_feature(small, gid, "b")
    fails(upload(small, gid, "c"), 4000, mentions="voiceprints")
    assert ok(small.get(f"{GROUPS}/{gid}/features"))["total"] == 2


def test_feature_on_missing_group(client: httpx.Client) -> None:
    fails(upload(client, "1234567890123456789"), 4200)
    fails(client.get(f"{GROUPS}/1234567890123456789/features"), 4200)


def test_file_size_limit(client: httpx.Client, small: httpx.Client) -> None:
    gid = new_group(client)
    four_mb = 4 * 1024 * 1024
    fails(upload(client, gid, content=b"\0" * (four_mb + 2), filename="big.pcm"), 4302)
    new_feature(client, gid, content=b"\0" * four_mb, filename="max.pcm")
    # a body far beyond any valid upload is refused before it is parsed
    fails(upload(client, gid, content=b"\0" * (13 * 1024 * 1024), filename="huge.pcm"), 4302)
    small_gid = new_group(small)
    fails(upload(small, small_gid, content=wav_bytes(3.0)), 4302, mentions="large")


@pytest.fixture
def spools(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """The body sizes for which werkzeug made a spool file (a temporary file past 500 KB)."""
    import werkzeug.wrappers.request as wz_request

    made: list[int | None] = []
    real = wz_request.default_stream_factory

    def spy(total_content_length: int | None, *args: Any, **kwargs: Any) -> Any:
        made.append(total_content_length)
        return real(total_content_length, *args, **kwargs)

    monkeypatch.setattr(wz_request, "default_stream_factory", spy)
    return made


def test_an_upload_of_the_size_limit_is_parsed_in_memory(
    client: httpx.Client, spools: list[int | None]
) -> None:
    from voiceprint_studio.local import app as local_app

    gid = new_group(client)
    four_mb = 4 * 1024 * 1024
    new_feature(client, gid, content=b"\0" * four_mb, filename="max.pcm")
    assert spools == []  # no temporary file: the body was parsed in memory
    # a file one byte too large fits the in-memory body too, and is still refused
    fails(upload(client, gid, content=b"\0" * (four_mb + 2), filename="big.pcm"), 4302)
    assert spools == []
    assert local_app._MEMORY.used == 0  # every request gave its memory back


def test_bodies_beyond_one_file_or_the_memory_budget_are_spooled(
    client: httpx.Client, spools: list[int | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    from voiceprint_studio.local import app as local_app

    gid = new_group(client)
    four_mb = 4 * 1024 * 1024
    # a body larger than one file of the limit (refused when read, as before)
    fails(upload(client, gid, content=b"\0" * (6 * 1024 * 1024), filename="big.pcm"), 4302)
    assert len(spools) == 1 and (spools[0] or 0) > 6 * 1024 * 1024
    # the budget of bodies in memory at once is spent (by other requests): spooled, and
    # the upload works as before
    monkeypatch.setattr(local_app._MEMORY, "used", local_app._MEMORY.limit - four_mb)
    new_feature(client, gid, content=b"\0" * four_mb, filename="max.pcm")
    assert len(spools) == 2
    assert local_app._MEMORY.used == local_app._MEMORY.limit - four_mb


def test_an_upload_cut_short_gives_its_memory_back(loopback: Loopback) -> None:
    """A client that goes away mid-body: the request ends (4000 or a dropped connection)
    and the bytes it reserved in memory are given back."""
    import socket

    from voiceprint_studio.local import app as local_app

    with httpx.Client(base_url=loopback.url, headers=loopback.headers, timeout=10) as c:
        gid = new_group(c)
    host, port = loopback.url.removeprefix("http://").split(":")
    boundary = "cut"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pcm"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    length = len(head) + 1024 * 1024
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(
            (
                f"POST {GROUPS}/{gid}/features HTTP/1.1\r\nHost: {host}\r\n"
                f"Authorization: {loopback.headers['Authorization']}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {length}\r\n\r\n"
            ).encode()
            + head
            + b"\0" * (256 * 1024)
        )
        sock.shutdown(socket.SHUT_WR)  # the rest of the body never comes
        sock.settimeout(10)
        reply = b""
        while chunk := sock.recv(65536):  # (the server closes the connection after it)
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 400") and b"4000" in reply, reply
    assert local_app._MEMORY.used == 0


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("voice.mp3", b"ID3\x03\x00" + b"\0" * 100),
        ("voice.txt", b"hello"),
        ("voice.wav", b"OggS" + b"\0" * 100),
        ("voice.pcm", b"fLaC" + b"\0" * 100),
        ("voice", b"\x01\x02\x03\x04"),
    ],
)
def test_wrong_file_type_is_4303(client: httpx.Client, filename: str, content: bytes) -> None:
    gid = new_group(client)
    fails(upload(client, gid, content=content, filename=filename), 4303)


def test_pcm_format_rules(client: httpx.Client) -> None:
    gid = new_group(client)
    fails(
        upload(client, gid, content=pcm_bytes(), filename="a.pcm", sample_rate="8000"),
        4000,
        mentions="sample_rate",
    )
    fails(
        upload(client, gid, content=pcm_bytes(), filename="a.pcm", channel="2"),
        4000,
        mentions="channel",
    )
    fails(
        upload(client, gid, content=pcm_bytes(), filename="a.pcm", sample_rate="fast"),
        4000,
        mentions="sample_rate",
    )
    fails(upload(client, gid, content=pcm_bytes() + b"\0", filename="a.pcm"), 4304)
    # wav carries its own format; sample_rate does not apply
    new_feature(client, gid, content=wav_bytes(rate=8000), sample_rate="8000")
    # a wav named .pcm is taken as the wav it is
    new_feature(client, gid, "b", content=wav_bytes(), filename="really-wav.pcm")
    new_feature(client, gid, "c", content=wav_bytes(), filename="no-extension")


@pytest.mark.parametrize(
    "content",
    [b"RIFF\x24\x00\x00\x00WAVEfmt garbage" + b"\0" * 30, b"\x01\x02" * 500, b"RIFF"],
)
def test_unreadable_wav_is_4304(client: httpx.Client, content: bytes) -> None:
    gid = new_group(client)
    fails(upload(client, gid, content=content), 4304)


def test_upload_shape_errors(client: httpx.Client) -> None:
    gid = new_group(client)
    url = f"{GROUPS}/{gid}/features"
    two = [("file", ("a.wav", wav_bytes())), ("file", ("b.wav", wav_bytes()))]
    fails(client.post(url, data={"name": "x"}, files=two), 4301)
    fails(upload(client, gid, content=b""), 4300)
    fails(client.post(url, json={"name": "x"}), 4300, mentions="multipart")
    fails(client.post(url, data={"name": "x"}), 4300)
    # a multipart body without any file
    fails(client.post(url, data={"name": "x"}, files={"other": (None, b"v")}), 4300)
    fails(client.post(url, files={"file": ("a.wav", wav_bytes())}), 4000, mentions="name")
    fails(upload(client, gid, name="n" * 21), 4000, mentions="name")
    fails(upload(client, gid, desc="d" * 501), 4000, mentions="desc")
    fails(upload(client, gid, name=""), 4000, mentions="name")
    assert ok(client.get(url))["total"] == 0


def test_feature_update_file_rules(client: httpx.Client) -> None:
    gid = new_group(client)
    fid = new_feature(client, gid)
    url = f"{GROUPS}/{gid}/features/{fid}"
    fails(client.put(url, files={"file": ("a.mp3", b"ID3" + b"\0" * 10)}), 4303)
    two = [("file", ("a.wav", wav_bytes())), ("file", ("b.wav", wav_bytes()))]
    fails(client.put(url, files=two), 4301)
    fails(client.put(url, files={"file": ("a.pcm", b"")}), 4300)
    assert ok(client.put(url, data={"name": "form only"})) == {"id": fid}


# -- identify -------------------------------------------------------------------------------


def test_identify_without_engine_is_4900(client: httpx.Client) -> None:
    gid = new_group(client)
    new_feature(client, gid)
    url = f"{GROUPS}/{gid}/speaker_identify"
    msg = fails(client.post(url, files={"file": ("q.wav", wav_bytes())}), 4900)
    assert msg == "speaker identification is not available in the offline workspace"
    fails(client.post(url, data={"top_k": "1"}, files={"file": ("q.pcm", pcm_bytes())}), 4900)
    # the usual validation comes first
    fails(
        client.post(
            f"{GROUPS}/1234567890123456789/speaker_identify", files={"file": ("q.wav", wav_bytes())}
        ),
        4200,
    )
    fails(client.post(url, files={"file": ("q.mp3", b"ID3" + b"\0" * 10)}), 4303)
    fails(client.post(url, files={"file": ("q.wav", b"")}), 4300)
    fails(client.post(url, json={}), 4300)
    fails(client.post(url, data={"top_k": "zero"}, files={"file": ("q.wav", wav_bytes())}), 4000)
    with httpx.Client(base_url=str(client.base_url)) as anonymous:
        fails(anonymous.post(url, files={"file": ("q.wav", wav_bytes())}), 4100, 401)


# -- MiniMax --------------------------------------------------------------------------------


def mm(resp: httpx.Response, status_code: int = 0) -> dict[str, Any]:
    assert resp.status_code == 200
    assert resp.headers["trace-id"]
    body: dict[str, Any] = resp.json()
    assert body["base_resp"]["status_code"] == status_code, body
    return body


def test_minimax_voices(client: httpx.Client, loopback: Loopback) -> None:
    store = loopback.app.store
    store.add_voice("voice_cloning", "my_voice_01", "我的克隆音色", created_time="2025-01-15")
    store.add_voice("voice_generation", "ttv-voice-2025011512", ["温柔", "女声"])
    system = mm(client.post("/v1/get_voice", json={"voice_type": "system"}))
    assert set(system) == {"system_voice", "base_resp"}
    ids = [v["voice_id"] for v in system["system_voice"]]
    assert "male-qn-qingse" in ids
    assert all(
        v["voice_name"] and isinstance(v["description"], list) for v in system["system_voice"]
    )
    cloning = mm(client.post("/v1/get_voice", json={"voice_type": "voice_cloning"}))
    assert cloning["voice_cloning"] == [
        {"voice_id": "my_voice_01", "description": ["我的克隆音色"], "created_time": "2025-01-15"}
    ]
    generation = mm(client.post("/v1/get_voice", json={"voice_type": "voice_generation"}))
    assert generation["voice_generation"][0]["description"] == ["温柔", "女声"]
    every = mm(client.post("/v1/get_voice", json={"voice_type": "all"}))
    assert {k: len(v) for k, v in every.items() if k != "base_resp"} == {
        "system_voice": len(ids),
        "voice_cloning": 1,
        "voice_generation": 1,
    }
    mm(client.post("/v1/get_voice", json={"voice_type": "nope"}), 2013)
    mm(client.post("/v1/get_voice", content=b"not json"), 2013)

    # delete
    deleted = mm(
        client.post(
            "/v1/delete_voice", json={"voice_type": "voice_cloning", "voice_id": "my_voice_01"}
        )
    )
    assert deleted["voice_id"] == "my_voice_01"
    assert deleted["created_time"] == "2025-01-15"
    assert (
        mm(client.post("/v1/get_voice", json={"voice_type": "voice_cloning"}))["voice_cloning"]
        == []
    )
    delete = "/v1/delete_voice"
    mm(client.post(delete, json={"voice_type": "voice_cloning", "voice_id": "my_voice_01"}), 20132)
    mm(
        client.post(
            delete, json={"voice_type": "voice_cloning", "voice_id": "ttv-voice-2025011512"}
        ),
        20132,
    )
    mm(client.post(delete, json={"voice_type": "system", "voice_id": "male-qn-qingse"}), 2013)
    mm(
        client.post(delete, json={"voice_type": "voice_cloning", "voice_id": "male-qn-qingse"}),
        2013,
    )
    mm(client.post(delete, json={"voice_type": "voice_cloning"}), 2013)
    mm(
        client.post(
            delete, json={"voice_type": "voice_generation", "voice_id": "ttv-voice-2025011512"}
        )
    )
    assert len(
        mm(client.post("/v1/get_voice", json={"voice_type": "system"}))["system_voice"]
    ) == len(ids)


def test_minimax_auth(loopback: Loopback) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}):
        with httpx.Client(base_url=loopback.url, headers=headers) as c:
            body = mm(c.post("/v1/get_voice", json={"voice_type": "all"}), 1004)
            assert set(body) == {"base_resp"}
            mm(
                c.post("/v1/delete_voice", json={"voice_type": "voice_cloning", "voice_id": "x"}),
                1004,
            )
