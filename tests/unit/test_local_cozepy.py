"""The official Coze Python SDK (cozepy), which nobody here wrote, against the loopback backend.

Known cozepy weaknesses the backend must accommodate: ``user_info.id`` must be a JSON string
(its model declares ``str``), and form fields must be passed as strings (httpx refuses ints
in multipart data), so ``sample_rate``/``channel`` are not passed as ints here.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator

import httpx
import pytest

from tests.backend_fixtures import Loopback, pcm_bytes, wav_bytes

with warnings.catch_warnings():
    # cozepy 0.20 imports authlib.jose, which warns that it is deprecated (not our concern).
    # authlib.deprecate installs an "always" filter for its warning class when imported, so
    # import it first and put the narrow "ignore" in front of that.
    pytest.importorskip("authlib.deprecate")
    warnings.filterwarnings("ignore", message=r"authlib\.jose module is deprecated")
    cozepy = pytest.importorskip("cozepy")


@pytest.fixture
def coze(loopback: Loopback) -> Iterator[object]:
    http = cozepy.SyncHTTPClient(timeout=10)
    client = cozepy.Coze(
        auth=cozepy.TokenAuth(loopback.token), base_url=loopback.url, http_client=http
    )
    try:
        yield client
    finally:
        http.close()


def test_cozepy_voiceprint_calls(coze: object, loopback: Loopback) -> None:
    c = coze
    me = c.users.me()  # type: ignore[attr-defined]
    assert me.user_id == loopback.app.user.user_id
    assert me.nick_name == loopback.app.user.nick_name

    groups = c.audio.voiceprint_groups  # type: ignore[attr-defined]
    created = groups.create(name="音箱1的声纹组", desc="客厅")
    gid = created.id
    assert len(gid) == 19
    other = groups.create(name="卧室").id

    page = groups.list(page_num=1, page_size=10)
    assert page.total == 2
    assert {g.id for g in page.items} == {gid, other}
    by_name = groups.list(name="音箱")
    assert [g.id for g in by_name.items] == [gid]
    group = groups.list(group_id=gid).items[0]
    assert group.name == "音箱1的声纹组"
    assert group.desc == "客厅"
    assert group.feature_count == 0
    assert group.user_info.id == loopback.app.user.user_id
    mine = groups.list(user_id=loopback.app.user.user_id)
    assert mine.total == 2
    # iterate every page (cozepy's pager follows total)
    assert {g.id for g in groups.list(page_size=1)} == {gid, other}

    groups.update(group_id=gid, name="新名字", desc="新描述")
    group = groups.list(group_id=gid).items[0]
    assert (group.name, group.desc) == ("新名字", "新描述")

    features = groups.features
    wav = wav_bytes(0.3)
    fid = features.create(
        group_id=gid, name="妈妈的声音", desc="妈妈", file=("mum.wav", io.BytesIO(wav))
    ).id
    pcm_id = features.create(
        group_id=gid, name="爸爸", file=("dad.pcm", io.BytesIO(pcm_bytes()))
    ).id
    listed = features.list(group_id=gid, page_size=10)
    assert listed.total == 2
    items = {f.id: f for f in listed.items}
    assert set(items) == {fid, pcm_id}
    feature = items[fid]
    assert (feature.name, feature.desc, feature.group_id) == ("妈妈的声音", "妈妈", gid)
    assert feature.user_info.id == loopback.app.user.user_id
    assert httpx.get(feature.audio_url).content == wav
    assert {f.id for f in features.list(group_id=gid, page_size=1)} == {fid, pcm_id}

    features.update(group_id=gid, feature_id=fid, name="外婆")
    new_wav = wav_bytes(0.4, freq=330)
    features.update(
        group_id=gid, feature_id=fid, desc="新录音", file=("new.wav", io.BytesIO(new_wav))
    )
    feature = {f.id: f for f in features.list(group_id=gid).items}[fid]
    assert (feature.name, feature.desc) == ("外婆", "新录音")
    assert httpx.get(feature.audio_url).content == new_wav

    with pytest.raises(cozepy.CozeAPIError) as info:
        groups.speaker_identify(group_id=gid, file=("q.wav", io.BytesIO(wav)))
    assert info.value.code == 4900
    assert info.value.logid

    features.delete(group_id=gid, feature_id=pcm_id)
    assert [f.id for f in features.list(group_id=gid).items] == [fid]

    with pytest.raises(cozepy.CozeAPIError) as info:
        groups.create(name="x" * 21)
    assert info.value.code == 4000

    groups.delete(group_id=gid)
    assert [g.id for g in groups.list().items] == [other]
    with pytest.raises(cozepy.CozeAPIError) as info:
        features.list(group_id=gid)
    assert info.value.code == 4200


def test_cozepy_bad_token(loopback: Loopback) -> None:
    with cozepy.SyncHTTPClient(timeout=10) as http:
        client = cozepy.Coze(
            auth=cozepy.TokenAuth("wrong"), base_url=loopback.url, http_client=http
        )
        with pytest.raises(cozepy.CozeAPIError) as info:
            client.users.me()
    assert info.value.code == 4100
