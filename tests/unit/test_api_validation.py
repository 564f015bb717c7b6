"""Local validation: invalid input raises LocalValidationError and never reaches the network."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.unit.api_samples import coze_client, minimax_client, never_called, write_wav
from voiceprint_studio.api import (
    COZE_CN,
    COZE_COM,
    MINIMAX_CN,
    MINIMAX_INTL,
    PROFILES,
    AudioUpload,
    CozeClient,
    LocalValidationError,
    MiniMaxClient,
    validate_base_url,
)

CozeCall = Callable[[CozeClient], object]


@pytest.fixture
def wav(tmp_path: Path) -> AudioUpload:
    return AudioUpload.from_path(write_wav(tmp_path / "ok.wav"))


COZE_INVALID: list[tuple[str, CozeCall]] = [
    ("page_num 0", lambda c: c.list_groups(0)),
    ("page_num negative", lambda c: c.list_groups(-1)),
    ("page_size 0", lambda c: c.list_groups(1, 0)),
    ("page_size 201", lambda c: c.list_groups(1, 201)),
    ("page_size bool", lambda c: c.list_groups(1, True)),
    ("page_size float", lambda c: c.list_groups(1, 10.0)),  # type: ignore[arg-type]
    ("user_id letters", lambda c: c.list_groups(user_id="abc")),
    ("group_id filter empty", lambda c: c.list_groups(group_id="")),
    ("name filter too long", lambda c: c.list_groups(name="x" * 21)),
    ("iter page_size", lambda c: list(c.iter_groups(page_size=500))),
    ("group name empty", lambda c: c.create_group("")),
    ("group name spaces", lambda c: c.create_group("   ")),
    ("group name 21", lambda c: c.create_group("字" * 21)),
    ("group name not str", lambda c: c.create_group(None)),  # type: ignore[arg-type]
    ("desc 501", lambda c: c.create_group("ok", desc="d" * 501)),
    ("update nothing", lambda c: c.update_group("1")),
    ("update bad id", lambda c: c.update_group("12a", name="x")),
    ("update name too long", lambda c: c.update_group("1", name="n" * 21)),
    ("delete empty id", lambda c: c.delete_group("")),
    ("delete id with slash", lambda c: c.delete_group("1/../2")),
    ("delete negative id", lambda c: c.delete_group("-1")),
    ("list vp bad group", lambda c: c.list_voiceprints("x")),
    ("list vp page", lambda c: c.list_voiceprints("1", 0)),
    ("iter vp bad group", lambda c: list(c.iter_voiceprints(" "))),
    ("delete vp bad feature", lambda c: c.delete_voiceprint("1", "f")),
    ("update vp nothing", lambda c: c.update_voiceprint("1", "2")),
    ("update vp bad desc", lambda c: c.update_voiceprint("1", "2", desc="d" * 501)),
    ("create vp not an upload", lambda c: c.create_voiceprint("1", "n", "a.wav")),  # type: ignore[arg-type]
    ("identify not an upload", lambda c: c.identify("1", None)),  # type: ignore[arg-type]
    ("download empty url", lambda c: c.download_audio("")),
    ("download file url", lambda c: c.download_audio("file:///etc/passwd")),
]


@pytest.mark.parametrize(("label", "call"), COZE_INVALID, ids=[c[0] for c in COZE_INVALID])
def test_invalid_coze_calls_never_reach_the_network(label: str, call: CozeCall) -> None:
    with coze_client(never_called) as client, pytest.raises(LocalValidationError) as info:
        call(client)
    assert info.value.field
    assert info.value.user_message
    assert info.value.next_step


@pytest.mark.parametrize(
    ("label", "call"),
    [
        ("empty name", lambda c, a: c.create_voiceprint("1", "", a)),
        ("long name", lambda c, a: c.create_voiceprint("1", "n" * 21, a)),
        ("bad group", lambda c, a: c.create_voiceprint("g", "n", a)),
        ("long desc", lambda c, a: c.create_voiceprint("1", "n", a, desc="d" * 501)),
        ("top_k 0", lambda c, a: c.identify("1", a, top_k=0)),
        ("top_k bool", lambda c, a: c.identify("1", a, top_k=True)),
        ("identify bad group", lambda c, a: c.identify("", a)),
    ],
)
def test_invalid_upload_calls_never_reach_the_network(
    label: str, call: Callable[[CozeClient, AudioUpload], object], wav: AudioUpload
) -> None:
    with coze_client(never_called) as client, pytest.raises(LocalValidationError):
        call(client, wav)


@pytest.mark.parametrize(
    ("label", "call"),
    [
        ("list bad type", lambda c: c.list_voices("cloned")),
        ("delete system", lambda c: c.delete_voice("system", "male-qn-qingse")),
        ("delete all", lambda c: c.delete_voice("all", "x")),
        ("delete empty id", lambda c: c.delete_voice("voice_cloning", "  ")),
        ("delete id with space", lambda c: c.delete_voice("voice_cloning", "a b")),
    ],
)
def test_invalid_minimax_calls_never_reach_the_network(
    label: str, call: Callable[[MiniMaxClient], object]
) -> None:
    with minimax_client(never_called) as client, pytest.raises(LocalValidationError):
        call(client)


def test_delete_system_voice_message() -> None:
    with minimax_client(never_called) as client, pytest.raises(LocalValidationError) as info:
        client.delete_voice("system", "male-qn-qingse")
    assert "System voices cannot be deleted" in info.value.user_message


@pytest.mark.parametrize("token", ["", "   ", "pat abc", "pat\nabc"])
def test_bad_tokens_are_refused(token: str) -> None:
    with pytest.raises(LocalValidationError):
        CozeClient(token, transport=None)


def test_max_attempts_must_be_positive() -> None:
    from voiceprint_studio.api import RetryPolicy

    with pytest.raises(LocalValidationError):
        CozeClient("pat_x", max_attempts=0)
    with pytest.raises(LocalValidationError):
        MiniMaxClient("key", retry=RetryPolicy(attempts=0))


# -- AudioUpload -----------------------------------------------------------------------


def test_audio_upload_wav(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "Voice.WAV", 1000)
    audio = AudioUpload.from_path(path)
    assert audio.format == "wav"
    assert audio.size == 1044
    assert audio.sample_rate is None
    assert audio.form_fields() == {}


def test_audio_upload_pcm_defaults(tmp_path: Path) -> None:
    path = tmp_path / "v.pcm"
    path.write_bytes(b"\x00" * 3200)
    audio = AudioUpload.from_path(path)
    assert (audio.format, audio.sample_rate, audio.channels) == ("pcm", 16000, 1)
    assert audio.form_fields() == {"sample_rate": "16000", "channel": "1"}


def test_audio_upload_exactly_4_mb_is_fine(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "big.wav", 4 * 1024 * 1024 - 44)
    assert AudioUpload.from_path(path).size == 4 * 1024 * 1024


def _bad_audio(tmp_path: Path, kind: str) -> tuple[Path, dict[str, Any]]:
    if kind == "too big":
        return write_wav(tmp_path / "big.wav", 4 * 1024 * 1024 - 43), {}
    if kind == "mp3":
        path = tmp_path / "a.mp3"
        path.write_bytes(b"ID3" + b"\x00" * 100)
        return path, {}
    if kind == "missing":
        return tmp_path / "nope.wav", {}
    if kind == "empty":
        path = tmp_path / "e.wav"
        path.write_bytes(b"")
        return path, {}
    if kind == "not wav":
        path = tmp_path / "fake.wav"
        path.write_bytes(b"ID3" + b"\x00" * 100)
        return path, {}
    if kind == "directory":
        path = tmp_path / "dir.wav"
        path.mkdir()
        return path, {}
    path = tmp_path / "a.pcm"
    path.write_bytes(b"\x00" * (3201 if kind == "odd pcm" else 3200))
    return path, {
        "pcm 8k": {"sample_rate": 8000},
        "pcm stereo": {"channels": 2},
        "pcm zero rate": {"sample_rate": 0},
        "odd pcm": {},
    }[kind]


@pytest.mark.parametrize(
    "kind",
    [
        "too big",
        "mp3",
        "missing",
        "empty",
        "not wav",
        "directory",
        "pcm 8k",
        "pcm stereo",
        "pcm zero rate",
        "odd pcm",
    ],
)
def test_audio_upload_rejects(tmp_path: Path, kind: str) -> None:
    path, kwargs = _bad_audio(tmp_path, kind)
    with pytest.raises(LocalValidationError) as info:
        AudioUpload.from_path(path, **kwargs)
    assert info.value.user_message


def test_file_grown_past_4_mb_after_validation_is_refused_before_sending(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "a.wav")
    audio = AudioUpload.from_path(path)
    path.write_bytes(path.read_bytes() + b"\x00" * (4 * 1024 * 1024))
    with coze_client(never_called) as client, pytest.raises(LocalValidationError):
        client.create_voiceprint("1", "n", audio)


# -- base URLs -------------------------------------------------------------------------


def test_profiles() -> None:
    assert COZE_CN.base_url == "https://api.coze.cn"
    assert COZE_COM.base_url == "https://api.coze.com"
    assert MINIMAX_CN.base_url == "https://api.minimaxi.com"
    assert MINIMAX_INTL.base_url == "https://api.minimax.io"
    assert len({p.key for p in PROFILES}) == 4
    for profile in PROFILES:
        assert validate_base_url(profile.base_url) == profile.base_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.coze.cn/", "https://api.coze.cn"),
        ("  https://api.coze.com  ", "https://api.coze.com"),
        ("HTTPS://proxy.example.org:8443/coze/", "https://proxy.example.org:8443/coze"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://127.10.0.1", "http://127.10.0.1"),
        ("http://localhost:5000/", "http://localhost:5000"),
        ("http://[::1]:8080", "http://[::1]:8080"),
        ("https://10.0.0.5", "https://10.0.0.5"),
    ],
)
def test_validate_base_url_accepts(url: str, expected: str) -> None:
    assert validate_base_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://api.coze.cn",
        "http://192.168.1.10:8000",
        "http://[::2]",
        "http://localhost.evil.com",
        "ftp://api.coze.cn",
        "api.coze.cn",
        "",
        "   ",
        "https://",
        "https://exa mple.com",
        "https://user:pw@api.coze.cn",
        "https://api.coze.cn/?x=1",
        "https://api.coze.cn/#frag",
        "https://api.coze.cn:99999",
        "https://-bad-.com",
        "https://a..b",
        "javascript:alert(1)",
        "https://api.coze.cn\n.evil",
        "https://%41%41",
    ],
)
def test_validate_base_url_refuses(url: str) -> None:
    with pytest.raises(LocalValidationError):
        validate_base_url(url)


def test_clients_validate_their_base_url() -> None:
    with pytest.raises(LocalValidationError):
        CozeClient("pat_x", "http://api.coze.cn")
    with pytest.raises(LocalValidationError):
        MiniMaxClient("key", "http://api.minimax.io")
