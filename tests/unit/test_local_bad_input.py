"""Input that used to end in HTTP 500 or hours of CPU, against the real backend on loopback:
each is now a parameter error naming the field; a full disk says so and leaves nothing."""

from __future__ import annotations

import errno
import io
import os
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.backend_fixtures import BACKEND_TOKEN, Loopback, wav_bytes
from tests.disk_fixtures import small_tmpfs
from voiceprint_studio.api import (
    AudioUpload,
    CozeClient,
    InvalidRequestError,
    LocalValidationError,
    StorageFullError,
)
from voiceprint_studio.local import workspace as workspace_module
from voiceprint_studio.local.app import create_app
from voiceprint_studio.local.server import LoopbackServer

GROUPS = "/v1/audio/voiceprint_groups"


def _wav_at(rate: int, frames: int) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(2 * frames))
    return buf.getvalue()


@pytest.fixture
def http(loopback: Loopback) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=loopback.url, headers=loopback.headers, timeout=30) as client:
        yield client


@pytest.fixture
def group_id(http: httpx.Client) -> str:
    return str(http.post(GROUPS, json={"name": "g"}).json()["data"]["id"])


# -- sample rates -----------------------------------------------------------------


@pytest.mark.parametrize(("rate", "frames"), [(1, 48000), (4000, 48000), (96000, 96000)])
def test_a_wav_with_an_absurd_rate_is_refused_before_decoding(
    loopback: Loopback, group_id: str, tmp_path: Path, rate: int, frames: int
) -> None:
    path = tmp_path / "odd.wav"
    path.write_bytes(_wav_at(rate, frames))  # 96 KB at 1 Hz: 13 hours of "audio"
    with CozeClient(loopback.token, loopback.url, max_attempts=1) as client:
        started = time.monotonic()
        with pytest.raises(InvalidRequestError) as caught:
            client.create_voiceprint(group_id, "odd", AudioUpload.from_path(path))
        elapsed = time.monotonic() - started
    assert caught.value.code == 4000
    assert "sample_rate" in caught.value.server_message
    assert f"got {rate} Hz" in caught.value.server_message
    assert elapsed < 2.0, elapsed
    assert loopback.app.store.list_features(group_id)[1] == 0


def test_rates_at_the_bounds_are_accepted(http: httpx.Client, group_id: str) -> None:
    for rate in (8000, 48000):
        files = {"file": ("ok.wav", wav_bytes(0.5, rate=rate))}
        answer = http.post(f"{GROUPS}/{group_id}/features", data={"name": f"r{rate}"}, files=files)
        assert answer.json()["code"] == 0, answer.text


# -- 4000 instead of 500 ------------------------------------------------------------


@pytest.mark.parametrize("path", [GROUPS, GROUPS + "/{gid}/features"])
@pytest.mark.parametrize("page_num", [str(2**63), "1" + "0" * 30, "9" * 5000])
def test_a_huge_page_num_is_a_4000_naming_it(
    http: httpx.Client, group_id: str, path: str, page_num: str
) -> None:
    answer = http.get(path.format(gid=group_id), params={"page_num": page_num})
    assert answer.status_code == 200
    body = answer.json()
    assert body["code"] == 4000
    assert body["msg"].startswith("page_num:")
    assert len(body["msg"]) < 200  # the value is echoed bounded


@pytest.mark.parametrize(
    "case",
    [
        ("POST", GROUPS, b'{"name": "a\\ud800b"}', "name"),
        ("POST", GROUPS, b'{"name": "ok", "desc": "\\udc00"}', "desc"),
        ("PUT", GROUPS + "/{gid}", b'{"name": "\\ud800"}', "name"),
        ("PUT", GROUPS + "/{gid}", b'{"\\ud800": "x"}', "\\ud800"),
    ],
)
def test_a_lone_surrogate_is_a_4000_naming_the_field(
    http: httpx.Client, group_id: str, case: tuple[str, str, bytes, str]
) -> None:
    method, path, raw, field = case
    answer = http.request(method, path.format(gid=group_id), content=raw)
    assert answer.status_code == 200
    body = answer.json()
    assert body["code"] == 4000
    assert body["msg"].startswith(f"{field}:"), body["msg"]


def test_deeply_nested_json_is_a_4000(http: httpx.Client, group_id: str) -> None:
    nested = b'{"name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    for method, path in (("POST", GROUPS), ("PUT", f"{GROUPS}/{group_id}")):
        body = http.request(method, path, content=nested).json()
        assert body["code"] == 4000
        assert body["msg"].startswith("request body:")


def test_minimax_bad_input_is_2013(http: httpx.Client) -> None:
    nested = b'{"voice_type": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    body = http.post("/v1/get_voice", content=nested).json()
    assert body["base_resp"]["status_code"] == 2013
    raw = b'{"voice_type": "voice_cloning", "voice_id": "\\ud800"}'
    body = http.post("/v1/delete_voice", content=raw).json()
    assert body["base_resp"]["status_code"] == 2013
    assert "voice_id" in body["base_resp"]["status_msg"]


def test_the_client_refuses_a_lone_surrogate_itself(loopback: Loopback) -> None:
    with CozeClient(loopback.token, loopback.url) as client:
        with pytest.raises(LocalValidationError) as caught:
            client.create_group("a\ud800")
        assert caught.value.field == "name"
        with pytest.raises(LocalValidationError):
            client.create_group("ok", desc="\udfff")


# -- a full disk during an upload -------------------------------------------------


class _FullDiskFile(io.FileIO):
    """A file on a disk with ``room`` bytes left: writes past it fail with ENOSPC."""

    room = 1000

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > self.room:
            written = super().write(bytes(data)[: max(0, self.room - self.tell())])
            if written == 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self.name)
            return written
        return super().write(data)


def _full_disk_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
    if "w" in mode and str(file).endswith(".part"):
        return io.BufferedWriter(_FullDiskFile(file, "w"))
    return open(file, mode, *args, **kwargs)


def _assert_disk_full_reported(loopback: Loopback, group_id: str, tmp_path: Path) -> None:
    take = tmp_path / "take.wav"
    take.write_bytes(wav_bytes(3.0))
    with CozeClient(loopback.token, loopback.url, max_attempts=1) as client:
        with pytest.raises(StorageFullError) as caught:
            client.create_voiceprint(group_id, "take", AudioUpload.from_path(take))
        assert caught.value.code == 4901
        assert caught.value.http_status == 507
        assert "disk" in caught.value.user_message
        assert "full" in caught.value.user_message
        assert "support" not in caught.value.next_step
        assert "Free some disk space" in caught.value.next_step
        assert not caught.value.retryable
    audio_dir = loopback.app.store.audio_dir
    assert [p.name for p in audio_dir.iterdir()] == []  # no .part, no half file
    assert loopback.app.store.list_features(group_id)[1] == 0


def test_a_full_disk_during_an_upload_says_so_and_leaves_no_part_file(
    loopback: Loopback, group_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # injected ENOSPC (the open of the store's atomic writer); the tmpfs test below is the
    # real thing
    monkeypatch.setattr(workspace_module, "open", _full_disk_open, raising=False)
    _assert_disk_full_reported(loopback, group_id, tmp_path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_really_full_disk_during_an_upload(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "small", "1m") as disk:
        app = create_app(disk / "workspace", BACKEND_TOKEN)
        try:
            with LoopbackServer(app) as server:
                loop = Loopback(server.url, BACKEND_TOKEN, app)
                with httpx.Client(base_url=server.url, headers=loop.headers) as http:
                    gid = str(http.post(GROUPS, json={"name": "g"}).json()["data"]["id"])
                # fill the disk, leaving less than the upload needs
                free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
                (disk / "filler").write_bytes(bytes(max(0, free - 20_000)))
                _assert_disk_full_reported(loop, gid, tmp_path)
                # space again: the same upload works
                (disk / "filler").unlink()
                take = tmp_path / "take.wav"
                with CozeClient(BACKEND_TOKEN, server.url) as client:
                    assert client.create_voiceprint(gid, "take", AudioUpload.from_path(take))
        finally:
            app.close()
