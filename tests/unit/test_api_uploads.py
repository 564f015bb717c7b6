"""Upload progress, cancellation and the multipart body."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest

from tests.unit.api_samples import (
    CREATE_FEATURE_DOC,
    IDENTIFY_DOC,
    UPDATE_FEATURE_DOC,
    Recorder,
    coze_client,
    json_response,
    never_called,
    write_wav,
)
from voiceprint_studio.api import AudioUpload, CancelToken, UploadCancelledError


@pytest.fixture
def big_wav(tmp_path: Path) -> AudioUpload:
    return AudioUpload.from_path(write_wav(tmp_path / "big.wav", 4 * 1024 * 1024 - 44))


def test_progress_is_monotonic_and_ends_at_the_total(big_wav: AudioUpload) -> None:
    seen: list[tuple[int, int]] = []
    rec = Recorder(json_response(CREATE_FEATURE_DOC))
    with coze_client(rec) as client:
        client.create_voiceprint("1", "n", big_wav, progress=lambda s, t: seen.append((s, t)))
    assert len(seen) > 10  # streamed in chunks, not in one piece
    sent = [s for s, _ in seen]
    assert sent == sorted(sent)
    assert len(set(sent)) == len(sent)
    assert {t for _, t in seen} == {big_wav.size}
    assert seen[-1] == (big_wav.size, big_wav.size)
    request = rec.requests[0]
    assert int(request.headers["content-length"]) == len(request.content)
    assert len(request.content) > big_wav.size


def test_the_file_arrives_intact(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "x.wav", 300_000)
    payload = path.read_bytes()
    rec = Recorder(json_response(IDENTIFY_DOC))
    with coze_client(rec) as client:
        client.identify("1", AudioUpload.from_path(path))
    assert payload in rec.requests[0].content


def test_cancel_mid_upload(big_wav: AudioUpload) -> None:
    token = CancelToken()
    seen: list[int] = []

    def progress(sent: int, total: int) -> None:
        seen.append(sent)
        if sent >= total // 4:
            token.cancel()

    rec = Recorder(json_response(CREATE_FEATURE_DOC))
    with coze_client(rec) as client, pytest.raises(UploadCancelledError) as info:
        client.create_voiceprint("1", "n", big_wav, progress=progress, cancel=token)
    assert token.cancelled
    assert seen[-1] < big_wav.size
    assert info.value.endpoint == "POST /v1/audio/voiceprint_groups/{group_id}/features"
    assert info.value.user_message
    assert rec.count == 0  # the transport never got a complete request


def test_cancel_from_another_thread(big_wav: AudioUpload) -> None:
    token = CancelToken()
    started = threading.Event()

    def progress(sent: int, total: int) -> None:
        started.set()
        if not token.cancelled:
            # Block the upload until the other thread has cancelled.
            assert cancelled.wait(5)

    cancelled = threading.Event()

    def canceller() -> None:
        assert started.wait(5)
        token.cancel()
        cancelled.set()

    thread = threading.Thread(target=canceller)
    thread.start()
    try:
        with (
            coze_client(Recorder(json_response(UPDATE_FEATURE_DOC))) as client,
            pytest.raises(UploadCancelledError),
        ):
            client.update_voiceprint("1", "2", audio=big_wav, progress=progress, cancel=token)
    finally:
        thread.join(5)


def test_cancelled_before_start_sends_nothing(big_wav: AudioUpload) -> None:
    token = CancelToken()
    token.cancel()
    with coze_client(never_called) as client, pytest.raises(UploadCancelledError):
        client.identify("1", big_wav, cancel=token)


def test_cancelled_upload_is_not_retried(big_wav: AudioUpload) -> None:
    token = CancelToken()
    calls: list[int] = []

    def progress(sent: int, total: int) -> None:
        calls.append(sent)
        token.cancel()

    with coze_client(never_called) as client, pytest.raises(UploadCancelledError):
        client.update_voiceprint("1", "2", audio=big_wav, progress=progress, cancel=token)
    assert len(calls) == 1


def test_uploads_use_the_longer_write_timeout(big_wav: AudioUpload) -> None:
    from voiceprint_studio.api import Timeouts

    timeouts: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"])
        return json_response(CREATE_FEATURE_DOC)

    custom = Timeouts(connect=1.0, read=2.0, write=3.0, pool=4.0, upload_write=99.0)
    with coze_client(handler, timeouts=custom) as client:
        client.create_voiceprint("1", "n", big_wav)
        client.list_groups()
    assert timeouts[0] == {"connect": 1.0, "read": 2.0, "write": 99.0, "pool": 4.0}
    assert timeouts[1] == {"connect": 1.0, "read": 2.0, "write": 3.0, "pool": 4.0}


def test_gets_wait_less_for_the_answer() -> None:
    from voiceprint_studio.api import Timeouts

    timeouts: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"])
        return json_response(CREATE_FEATURE_DOC)

    with coze_client(handler) as client:
        client.list_groups()
    assert timeouts[0] == {"connect": 10.0, "read": 15.0, "write": 30.0, "pool": 10.0}
    custom = Timeouts(read=40.0, list_read=5.0)
    assert custom.for_requests().read == 40.0
    assert custom.for_reads().read == 5.0
