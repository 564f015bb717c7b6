"""Contract tests: the doc examples and their variants go through the clients and parsers."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from tests.unit.api_samples import (
    CREATE_FEATURE_DOC,
    CREATE_GROUP_DOC,
    DELETE_GROUP_DOC,
    DELETE_VOICE_DOC,
    GET_VOICE_DOC,
    GROUP_TABLE_EXAMPLE,
    IDENTIFY_DOC,
    LIST_GROUPS_DOC,
    TOKEN,
    UPDATE_FEATURE_DOC,
    Recorder,
    coze_client,
    coze_ok,
    json_response,
    minimax_client,
    minimax_ok,
    write_wav,
)
from voiceprint_studio.api import (
    AudioUpload,
    FeatureScore,
    Me,
    MiniMaxVoice,
    Page,
    ProtocolError,
    UserInfo,
    Voiceprint,
    VoiceprintGroup,
)
from voiceprint_studio.api.models import (
    ResponseShapeError,
    parse_group,
    parse_id,
    parse_minimax_voices,
    parse_timestamp,
    parse_voiceprint,
)

UTC = timezone.utc


# -- field parsers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7511988408546279468", "7511988408546279468"),
        (7511988408546279468, "7511988408546279468"),  # 19 digits, bare number
        (14891859095123, "14891859095123"),
        ("  42 ", "42"),
        ("751198840854***", "751198840854***"),  # masked doc example, kept verbatim
        (324566624.0, "324566624"),  # an exact float is acceptable
    ],
)
def test_parse_id_keeps_ids_as_exact_strings(raw: object, expected: str) -> None:
    assert parse_id(raw) == expected


@pytest.mark.parametrize("raw", [7.511988408546279e18, 1.5, float("nan"), True, None, "", [], {}])
def test_parse_id_rejects_floats_that_lost_digits_and_non_ids(raw: object) -> None:
    with pytest.raises(ResponseShapeError):
        parse_id(raw)


def test_json_19_digit_ids_never_pass_through_a_float() -> None:
    body = json.loads('{"id": 7511988408546279468}')
    assert parse_id(body["id"]) == "7511988408546279468"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1749021940, datetime(2025, 6, 4, 7, 25, 40, tzinfo=UTC)),
        (1714567890123, datetime(2024, 5, 1, 12, 51, 30, 123000, tzinfo=UTC)),  # ms
        ("1749021940", datetime(2025, 6, 4, 7, 25, 40, tzinfo=UTC)),
        (1749021940.5, datetime(2025, 6, 4, 7, 25, 40, 500000, tzinfo=UTC)),
        (None, None),
        (0, None),
        (-5, None),
        ("yesterday", None),
        (True, None),
        (float("inf"), None),
        (10**30, None),
        ([], None),
    ],
)
def test_parse_timestamp_seconds_or_milliseconds(raw: object, expected: datetime | None) -> None:
    parsed = parse_timestamp(raw)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is not None


def test_group_from_field_table_with_ms_timestamps_and_string_user_id() -> None:
    group = parse_group(GROUP_TABLE_EXAMPLE)
    assert group == VoiceprintGroup(
        id="7514303811737812345",
        name="声纹组1",
        desc="声纹组1",
        icon_url="https://example.com/avatar/751427391012944.jpg",
        user_info=UserInfo(
            id="324566624",
            name="小王",
            nickname="小王",
            avatar_url="https://example.com/avatar/751427391012944.jpg",
        ),
        created_at=datetime(2024, 5, 1, 12, 51, 30, 123000, tzinfo=UTC),
        updated_at=datetime(2024, 5, 1, 12, 51, 30, 223000, tzinfo=UTC),
        feature_count=3,
    )


def test_group_with_only_an_id_and_unknown_fields() -> None:
    group = parse_group({"id": 7511988408546279468, "future_field": {"x": [1, 2]}})
    assert group == VoiceprintGroup(id="7511988408546279468")
    assert group.user_info is None
    assert group.created_at is None


def test_voiceprint_missing_group_id_is_filled_from_the_request() -> None:
    vp = parse_voiceprint({"id": "7513865283312", "audio_url": "https://cdn/x.wav"}, "99")
    assert vp.group_id == "99"
    assert vp.audio_url == "https://cdn/x.wav"


def test_fast_built_records_equal_normally_built_ones() -> None:
    import dataclasses

    group = parse_group(GROUP_TABLE_EXAMPLE)
    rebuilt = VoiceprintGroup(**{f.name: getattr(group, f.name) for f in dataclasses.fields(group)})
    assert group == rebuilt
    assert hash(group) == hash(rebuilt)
    assert repr(group) == repr(rebuilt)
    with pytest.raises(dataclasses.FrozenInstanceError):
        group.name = "changed"  # type: ignore[misc]
    vp = parse_voiceprint({"id": "1", "user_info": {"id": 2}}, "9")
    assert vp == Voiceprint(id="1", group_id="9", user_info=UserInfo(id="2"))
    assert not hasattr(vp, "__dict__")


def test_page_items_by_the_same_creator_share_only_identical_user_info() -> None:
    from voiceprint_studio.api.models import parse_group_page

    same = {"id": "5", "name": "a", "nickname": "b", "avatar_url": "c"}
    page = parse_group_page(
        {
            "items": [
                {"id": "1", "user_info": dict(same)},
                {"id": "2", "user_info": dict(same)},
                {"id": "3", "user_info": dict(same, nickname="other")},
                {"id": "4", "user_info": {"id": "5", "name": "a", "nickname": "b"}},
            ]
        },
        1,
        10,
    )
    users = [g.user_info for g in page.items]
    assert users[0] is users[1]
    assert users[2] == UserInfo("5", "a", "other", "c")
    assert users[3] == UserInfo("5", "a", "b", "")


# -- Coze endpoints ------------------------------------------------------------


def test_list_groups_doc_example() -> None:
    rec = Recorder(json_response(LIST_GROUPS_DOC))
    with coze_client(rec) as client:
        page = client.list_groups(1, 10, group_id="7511988408546279468")
    assert isinstance(page, Page)
    assert page.total == 1
    assert page.page_num == 1
    assert page.page_size == 10
    assert not page.has_more
    (group,) = page.items
    assert group.id == "751198840854***"
    assert group.name == "test_group"
    assert group.desc == "This is a test group"
    assert group.feature_count == 0
    assert group.user_info == UserInfo(
        id="14891859095123",
        name="testcase1",
        nickname="5707",
        avatar_url="https://p3-passport.byteacctimg.com/img/user-avatar/x.image",
    )
    assert group.created_at == datetime(2025, 6, 4, 7, 25, 40, tzinfo=UTC)
    request = rec.requests[0]
    assert request.method == "GET"
    assert request.url.path == "/v1/audio/voiceprint_groups"
    assert parse_qs(request.url.query.decode()) == {
        "page_num": ["1"],
        "page_size": ["10"],
        "group_id": ["7511988408546279468"],
    }
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("items", [None, "absent", []])
def test_list_groups_null_or_absent_items_is_an_empty_page(items: object) -> None:
    data: dict[str, object] = {"total": 0}
    if items != "absent":
        data["items"] = items
    with coze_client(Recorder(json_response(coze_ok(data)))) as client:
        page = client.list_groups()
    assert page.items == ()
    assert page.total == 0
    assert not page.has_more


def test_list_groups_missing_total_counts_items() -> None:
    data = {"items": [{"id": "1"}, {"id": 2}]}
    with coze_client(Recorder(json_response(coze_ok(data)))) as client:
        page = client.list_groups(page_size=2)
    assert page.total == 2
    assert [g.id for g in page.items] == ["1", "2"]


def test_list_groups_filters_are_sent() -> None:
    rec = Recorder(json_response(coze_ok({"items": [], "total": 0})))
    with coze_client(rec) as client:
        client.list_groups(2, 50, name=" 音箱 ", user_id="757378123")
    assert parse_qs(rec.requests[0].url.query.decode()) == {
        "page_num": ["2"],
        "page_size": ["50"],
        "name": ["音箱"],
        "user_id": ["757378123"],
    }


def test_iter_groups_walks_every_page() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page_num = int(request.url.params["page_num"])
        start = (page_num - 1) * 2
        ids = [str(7000000000000000000 + i) for i in range(start, min(start + 2, 5))]
        return json_response(coze_ok({"items": [{"id": i} for i in ids], "total": 5}))

    rec = Recorder(handler)
    with coze_client(rec) as client:
        groups = list(client.iter_groups(page_size=2))
    assert [g.id for g in groups] == [str(7000000000000000000 + i) for i in range(5)]
    assert rec.count == 3


def test_iter_groups_stops_on_an_empty_page_even_if_total_lies() -> None:
    rec = Recorder(
        json_response(coze_ok({"items": [{"id": "1"}], "total": 1000})),
        json_response(coze_ok({"items": [], "total": 1000})),
    )
    with coze_client(rec) as client:
        assert [g.id for g in client.iter_groups(page_size=1)] == ["1"]
    assert rec.count == 2


def test_create_group_doc_example() -> None:
    rec = Recorder(json_response(CREATE_GROUP_DOC))
    with coze_client(rec) as client:
        group_id = client.create_group(" 音箱1的声纹组 ", desc="音箱1的声纹组")
    assert group_id == "75138649771889***"
    request = rec.requests[0]
    assert request.method == "POST"
    assert json.loads(request.content) == {"name": "音箱1的声纹组", "desc": "音箱1的声纹组"}


def test_create_group_numeric_id() -> None:
    body = coze_ok({"id": 7513864977188912345})
    with coze_client(Recorder(json_response(body))) as client:
        assert client.create_group("g") == "7513864977188912345"


def test_create_group_without_data_is_a_protocol_error() -> None:
    with (
        coze_client(Recorder(json_response(DELETE_GROUP_DOC))) as client,
        pytest.raises(ProtocolError) as info,
    ):
        client.create_group("g")
    assert info.value.request_id == "20241210191248C8EF7607554A6****"


def test_update_and_delete_group() -> None:
    rec = Recorder(json_response(DELETE_GROUP_DOC))
    with coze_client(rec) as client:
        client.update_group("7509775482326", name="new", desc="")
        client.delete_group("7509775482326")
    update, delete = rec.requests
    assert (update.method, update.url.path) == ("PUT", "/v1/audio/voiceprint_groups/7509775482326")
    assert json.loads(update.content) == {"name": "new", "desc": ""}
    assert (delete.method, delete.url.path) == (
        "DELETE",
        "/v1/audio/voiceprint_groups/7509775482326",
    )


def test_list_voiceprints() -> None:
    data = {
        "total": 11,
        "items": [
            {
                "id": 7513865283312812345,
                "group_id": "7511988408546279468",
                "name": "妈妈的声音",
                "desc": "",
                "audio_url": "https://api.coze.cn/audio/1.wav",
                "created_at": 1714567890123,
                "user_info": {"id": "1"},
                "extra": None,
            }
        ],
    }
    rec = Recorder(json_response(coze_ok(data)))
    with coze_client(rec) as client:
        page = client.list_voiceprints("7511988408546279468", 1, 10)
    assert page.has_more
    (vp,) = page.items
    assert vp.id == "7513865283312812345"
    assert vp.group_id == "7511988408546279468"
    assert vp.audio_url == "https://api.coze.cn/audio/1.wav"
    assert vp.created_at == datetime(2024, 5, 1, 12, 51, 30, 123000, tzinfo=UTC)
    assert rec.requests[0].url.path == "/v1/audio/voiceprint_groups/7511988408546279468/features"


def test_iter_voiceprints() -> None:
    rec = Recorder(json_response(coze_ok({"items": [{"id": "1"}, {"id": "2"}], "total": 2})))
    with coze_client(rec) as client:
        assert [v.id for v in client.iter_voiceprints("5")] == ["1", "2"]
    assert rec.requests[0].url.params["page_size"] == "200"


def test_create_voiceprint_doc_example(tmp_path: Path) -> None:
    audio = AudioUpload.from_path(write_wav(tmp_path / "test_1.wav"))
    rec = Recorder(json_response(CREATE_FEATURE_DOC))
    with coze_client(rec) as client:
        feature_id = client.create_voiceprint(
            "751198840854627", "妈妈的声音", audio, desc="妈妈的声音"
        )
    assert feature_id == "75138652833128..."
    request = rec.requests[0]
    assert request.url.path == "/v1/audio/voiceprint_groups/751198840854627/features"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = request.content
    assert 'name="name"\r\n\r\n妈妈的声音'.encode() in body
    assert 'name="desc"\r\n\r\n妈妈的声音'.encode() in body
    assert b'name="file"; filename="test_1.wav"' in body
    assert b"Content-Type: audio/wav" in body
    assert b'name="sample_rate"' not in body  # wav: the server reads the header


def test_create_voiceprint_pcm_sends_sample_rate_and_channel(tmp_path: Path) -> None:
    pcm = tmp_path / "a.pcm"
    pcm.write_bytes(b"\x00\x01" * 800)
    rec = Recorder(json_response(CREATE_FEATURE_DOC))
    with coze_client(rec) as client:
        client.create_voiceprint("1", "n", AudioUpload.from_path(pcm))
    body = rec.requests[0].content
    assert b'name="sample_rate"\r\n\r\n16000' in body
    assert b'name="channel"\r\n\r\n1' in body


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (UPDATE_FEATURE_DOC, "751386528331282****"),
        (DELETE_GROUP_DOC, None),
        (coze_ok({}), None),
        (coze_ok({"id": 751386528331282123}), "751386528331282123"),
    ],
)
def test_update_voiceprint_with_or_without_data_id(body: object, expected: str | None) -> None:
    rec = Recorder(json_response(body))
    with coze_client(rec) as client:
        assert (
            client.update_voiceprint("751198840854627", "75119956441528", name="妈妈") == expected
        )
    request = rec.requests[0]
    assert request.method == "PUT"
    assert request.url.path == "/v1/audio/voiceprint_groups/751198840854627/features/75119956441528"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert 'name="name"\r\n\r\n妈妈'.encode() in request.content


def test_update_voiceprint_with_new_audio(tmp_path: Path) -> None:
    audio = AudioUpload.from_path(write_wav(tmp_path / "new.wav"))
    rec = Recorder(json_response(UPDATE_FEATURE_DOC))
    with coze_client(rec) as client:
        client.update_voiceprint("1", "2", audio=audio)
    assert b'filename="new.wav"' in rec.requests[0].content


def test_delete_voiceprint() -> None:
    rec = Recorder(json_response(DELETE_GROUP_DOC))
    with coze_client(rec) as client:
        client.delete_voiceprint("1", "2")
    assert rec.requests[0].method == "DELETE"
    assert rec.requests[0].url.path == "/v1/audio/voiceprint_groups/1/features/2"


def test_identify_doc_example(tmp_path: Path) -> None:
    audio = AudioUpload.from_path(write_wav(tmp_path / "test_3.wav"))
    rec = Recorder(json_response(IDENTIFY_DOC))
    with coze_client(rec) as client:
        scores = client.identify("751198840854627", audio)
    assert scores == [
        FeatureScore(
            feature_id="7513865283312...",
            feature_name="妈妈的声音",
            feature_desc="妈妈的声音",
            score=23.139079321463843,
        )
    ]
    assert (
        rec.requests[0].url.path == "/v1/audio/voiceprint_groups/751198840854627/speaker_identify"
    )
    assert b'name="top_k"' not in rec.requests[0].content


def test_identify_sorts_best_first_and_sends_top_k(tmp_path: Path) -> None:
    audio = AudioUpload.from_path(write_wav(tmp_path / "x.wav"))
    data = {
        "feature_score_list": [
            {"feature_id": "1", "score": 12.5},
            {"feature_id": 2, "score": 88},
            {"feature_id": "3", "score": "40.0", "unknown": True},
        ]
    }
    rec = Recorder(json_response(coze_ok(data)))
    with coze_client(rec) as client:
        scores = client.identify("9", audio, top_k=3)
    assert [(s.feature_id, s.score) for s in scores] == [("2", 88.0), ("3", 40.0), ("1", 12.5)]
    assert b'name="top_k"\r\n\r\n3' in rec.requests[0].content


@pytest.mark.parametrize("data", [None, {}, {"feature_score_list": None}])
def test_identify_no_matches(tmp_path: Path, data: object) -> None:
    audio = AudioUpload.from_path(write_wav(tmp_path / "x.wav"))
    with coze_client(
        Recorder(json_response(coze_ok(data) if data is not None else coze_ok()))
    ) as c:
        if data is None:
            with pytest.raises(ProtocolError):
                c.identify("9", audio)
        else:
            assert c.identify("9", audio) == []


def test_me() -> None:
    body = coze_ok(
        {"user_id": 7573781234567890123, "user_name": "u", "nick_name": "n", "avatar_url": "a"}
    )
    rec = Recorder(json_response(body))
    with coze_client(rec) as client:
        assert client.me() == Me("7573781234567890123", "u", "n", "a")
    assert rec.requests[0].url.path == "/v1/users/me"


def test_download_audio_sends_token_only_to_the_api_host() -> None:
    rec = Recorder(httpx.Response(200, content=b"RIFFdata", headers={"content-type": "audio/wav"}))
    with coze_client(rec) as client:
        assert client.download_audio("https://api.coze.cn/v1/audio/files/1.wav") == b"RIFFdata"
        assert client.download_audio("https://cdn.example.com/1.wav") == b"RIFFdata"
        assert client.download_audio("/v1/audio/files/2.wav") == b"RIFFdata"
        client.download_audio("http://api.coze.cn/v1/audio/files/3.wav")  # other scheme
    own, cdn, relative, plain = rec.requests
    assert own.headers["authorization"] == f"Bearer {TOKEN}"
    assert "authorization" not in cdn.headers
    assert relative.url == httpx.URL("https://api.coze.cn/v1/audio/files/2.wav")
    assert relative.headers["authorization"] == f"Bearer {TOKEN}"
    assert "authorization" not in plain.headers


def test_download_audio_json_error_envelope() -> None:
    from voiceprint_studio.api import NotFoundError

    rec = Recorder(json_response({"code": 4200, "msg": "gone", "detail": {"logid": "L"}}))
    with coze_client(rec) as client, pytest.raises(NotFoundError):
        client.download_audio("https://api.coze.cn/x.wav")


# -- MiniMax -----------------------------------------------------------------------


def test_get_voice_doc_example() -> None:
    rec = Recorder(json_response(GET_VOICE_DOC))
    with minimax_client(rec) as client:
        voices = client.list_voices()
    assert voices == [
        MiniMaxVoice("male-qn-qingse", "system", "青涩青年音", ("...",), ""),
        MiniMaxVoice("my_voice_01", "voice_cloning", "", ("...",), "2025-01-15"),
        MiniMaxVoice("ttv-voice-2025...", "voice_generation", "", ("...",), "2025-01-15"),
    ]
    assert [v.deletable for v in voices] == [False, True, True]
    assert voices[1].display_name == "my_voice_01"
    request = rec.requests[0]
    assert (request.method, request.url.path) == ("POST", "/v1/get_voice")
    assert json.loads(request.content) == {"voice_type": "all"}


def test_get_voice_lenient_shapes() -> None:
    body = minimax_ok(
        system_voice=None,
        voice_cloning=[
            {"voice_id": "a", "description": "just a string", "created_time": "1728962464"},
            {"voice_id": "b", "created_time": "1728962464000", "unknown": 1},
            {"voice_id": "c", "description": [], "created_time": 1728962464},
        ],
    )
    voices = parse_minimax_voices(body)
    assert [(v.voice_id, v.description, v.created_time) for v in voices] == [
        ("a", ("just a string",), "2024-10-15"),
        ("b", (), "2024-10-15"),
        ("c", (), "2024-10-15"),
    ]


def test_list_voices_by_type_filters() -> None:
    rec = Recorder(json_response(GET_VOICE_DOC))
    with minimax_client(rec) as client:
        voices = client.list_voices("voice_cloning")
    assert [v.voice_id for v in voices] == ["my_voice_01"]
    assert json.loads(rec.requests[0].content) == {"voice_type": "voice_cloning"}


def test_delete_voice_doc_example() -> None:
    rec = Recorder(json_response(DELETE_VOICE_DOC, headers={"Trace-Id": "trace-1"}))
    with minimax_client(rec) as client:
        client.delete_voice("voice_cloning", "yanshang11123")
    request = rec.requests[0]
    assert (request.method, request.url.path) == ("POST", "/v1/delete_voice")
    assert json.loads(request.content) == {
        "voice_type": "voice_cloning",
        "voice_id": "yanshang11123",
    }
    assert request.headers["authorization"].startswith("Bearer ")
