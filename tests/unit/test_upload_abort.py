"""Cancel aborts the upload's connection, over real sockets to the loopback backend.

A :class:`~tests.net_fixtures.SlowLink` between the client and the server makes the
upload take seconds, so Cancel lands while the body is still going out: the client
gives up at once and the server, which never got the whole body, creates nothing.
A server that answers late shows the other case: the body was sent, Cancel still
ends the wait at once, and the error says the create may have happened.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.backend_fixtures import BACKEND_TOKEN, Loopback, wav_bytes
from tests.net_fixtures import SilentServer, SlowLink
from voiceprint_studio.api import AudioUpload, CancelToken, CozeClient, Timeouts
from voiceprint_studio.api.errors import NetworkTimeoutError, UploadCancelledError
from voiceprint_studio.local.app import create_app
from voiceprint_studio.local.server import LoopbackServer


@pytest.fixture
def take(tmp_path: Path) -> AudioUpload:
    path = tmp_path / "li-na.wav"
    path.write_bytes(wav_bytes(seconds=40.0))  # ~1.3 MB: seconds over the slow link
    return AudioUpload.from_path(path)


@pytest.fixture
def late_loopback(tmp_path: Path) -> Iterator[Loopback]:
    """A backend that answers each request 1.5 s after carrying it out."""
    app = create_app(tmp_path / "late", BACKEND_TOKEN, latency=1.5)
    try:
        with LoopbackServer(app) as server:
            yield Loopback(server.url, app.token, app)
    finally:
        app.close()


class _Upload(threading.Thread):
    """``create_voiceprint`` on a thread, recording bytes sent and how it ended."""

    def __init__(self, client: CozeClient, group_id: str, audio: AudioUpload) -> None:
        super().__init__()
        self.client, self.group_id, self.audio = client, group_id, audio
        self.token = CancelToken()
        self.sent = 0
        self.error: BaseException | None = None
        self.result: str | None = None
        self.ended = 0.0

    def _progress(self, done: int, _total: int) -> None:
        self.sent = done

    def run(self) -> None:
        try:
            self.result = self.client.create_voiceprint(
                self.group_id, "Li Na", self.audio, progress=self._progress, cancel=self.token
            )
        except BaseException as exc:
            self.error = exc
        self.ended = time.monotonic()


def _wait(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_cancel_before_the_body_is_sent_creates_nothing(
    loopback: Loopback, take: AudioUpload
) -> None:
    group = loopback.app.store.create_group("Team").id
    port = int(loopback.url.rsplit(":", 1)[1])
    # A slow uplink holds little in flight: a small send buffer (Linux otherwise lets the
    # kernel take a few MB at once on loopback, and the "upload" ends in a millisecond).
    transport = httpx.HTTPTransport(socket_options=[(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)])
    with (
        SlowLink(port) as link,
        CozeClient(loopback.token, link.url, transport=transport) as client,
    ):
        upload = _Upload(client, group, take)
        upload.start()
        _wait(lambda: link.forwarded > 128 * 1024)  # the body is on its way, far from done
        assert upload.sent < take.size
        pressed = time.monotonic()
        upload.token.cancel()
        upload.join(5)
        assert not upload.is_alive()
        waited = upload.ended - pressed
        assert isinstance(upload.error, UploadCancelledError)
        assert upload.error.request_sent is False  # nothing can have been created
        assert waited < 0.5, f"Cancel took {waited:.2f} s"
        link.client_closed.wait(5)  # the server's side is closed with a partial body
        forwarded = link.forwarded
    print(
        f"\ncancel before the body: client free after {waited * 1000:.0f} ms, "
        f"{forwarded} of {take.size} bytes reached the server"
    )
    assert forwarded < take.size
    # The server saw an incomplete body and answered nothing: no voiceprint.
    assert loopback.app.store.list_features(group)[1] == 0


def test_cancel_while_waiting_for_the_answer_says_it_may_exist(
    late_loopback: Loopback, take: AudioUpload
) -> None:
    store = late_loopback.app.store
    group = store.create_group("Team").id
    with CozeClient(late_loopback.token, late_loopback.url) as client:
        upload = _Upload(client, group, take)
        upload.start()
        _wait(lambda: store.list_features(group)[1] == 1)  # created; the answer is 1.5 s away
        pressed = time.monotonic()
        upload.token.cancel()
        upload.join(5)
        waited = upload.ended - pressed
    assert isinstance(upload.error, UploadCancelledError)
    assert upload.error.request_sent is True
    assert waited < 0.5, f"Cancel took {waited:.2f} s"


def test_a_server_that_never_answers_is_cut_off_by_cancel(take: AudioUpload) -> None:
    with SilentServer() as server, CozeClient("pat_x", server.url) as client:
        upload = _Upload(client, "7386986548345703798", take)
        upload.start()
        _wait(lambda: upload.sent == take.size)
        time.sleep(0.2)  # waiting for an answer that never comes
        pressed = time.monotonic()
        upload.token.cancel()
        upload.join(5)
        waited = upload.ended - pressed
    assert isinstance(upload.error, UploadCancelledError)
    assert upload.error.request_sent is True
    assert waited < 0.5


def test_closing_the_client_ends_a_call_in_flight_at_once(take: AudioUpload) -> None:
    timeouts = Timeouts(read=30.0, list_read=30.0)
    with SilentServer() as server:
        client = CozeClient("pat_x", server.url, timeouts=timeouts)
        errors: list[BaseException] = []

        def call() -> None:
            try:
                client.list_groups()
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=call)
        thread.start()
        _wait(lambda: server.accepted >= 1)
        time.sleep(0.1)
        pressed = time.monotonic()
        client.close()  # from another thread, as the window does on quit
        thread.join(5)
        waited = time.monotonic() - pressed
    assert not thread.is_alive()
    assert len(errors) == 1
    assert waited < 0.5, f"close took {waited:.2f} s to end the call"
    assert server.accepted == 1  # no retry after close


def test_timeouts_still_apply_without_cancel(tmp_path: Path, take: AudioUpload) -> None:
    with (
        SilentServer() as server,
        CozeClient("pat_x", server.url, timeouts=Timeouts(read=0.3)) as client,
    ):
        upload = _Upload(client, "7386986548345703798", take)
        upload.run()
    assert isinstance(upload.error, NetworkTimeoutError)
    assert upload.error.request_sent is True
