"""The client against a hostile HTTP server on loopback: deadlines, cancel, body caps.

The server is a small threaded socket server in this file (127.0.0.1 only) whose
connections each run one behaviour: trickle the response head or body one byte a
second, answer with an endless body or an endless gzip bomb, or never answer. The
client is the real :class:`CozeClient` with its real httpx transport and sockets.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import threading
import time
import wave
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from voiceprint_studio.api import (
    AudioUpload,
    CancelToken,
    CozeClient,
    DeadlineExceededError,
    NetworkTimeoutError,
    ResponseTooLargeError,
    Timeouts,
    UploadCancelledError,
)
from voiceprint_studio.api._guard import GuardedBackend
from voiceprint_studio.api.coze import LIST_GROUPS

TOKEN = "pat_hostile_test_token_0123456789"
Behaviour = Callable[[socket.socket, threading.Event], None]


class HostileServer:
    """Accepts connections on 127.0.0.1 and runs ``behaviour`` on each after reading
    the request (head and a Content-Length body)."""

    def __init__(self, behaviour: Behaviour) -> None:
        self._behaviour = behaviour
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.bytes_sent = 0
        self.requests = 0
        self._acceptor = threading.Thread(target=self._accept, name="hostile-accept")
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), name="hostile-conn")
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.settimeout(5.0)
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                head += chunk
            head, _, body = head.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                body += chunk
            self.requests += 1
            self._behaviour(_Counting(conn, self), self._stop)

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        self._acceptor.join(5)
        for thread in self._threads:
            thread.join(5)


class _Counting:
    """A socket wrapper counting what the server sends."""

    def __init__(self, conn: socket.socket, server: HostileServer) -> None:
        self._conn = conn
        self._server = server

    def sendall(self, data: bytes) -> None:
        self._conn.sendall(data)
        self._server.bytes_sent += len(data)

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)


@contextlib.contextmanager
def hostile(behaviour: Behaviour) -> Iterator[HostileServer]:
    server = HostileServer(behaviour)
    try:
        yield server
    finally:
        server.close()


def _pause(stop: threading.Event, seconds: float) -> bool:
    """Wait, returning True when the test is over."""
    return stop.wait(seconds)


def trickle_head(conn: socket.socket, stop: threading.Event) -> None:
    """The status line, then a header one byte a second, forever."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    while not _pause(stop, 1.0):
        conn.sendall(b"a")


def trickle_body(conn: socket.socket, stop: threading.Event) -> None:
    """A whole head announcing a large JSON body, then the body one byte a second."""
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
    )
    while not _pause(stop, 1.0):
        conn.sendall(b" ")


def endless_body(conn: socket.socket, stop: threading.Event) -> None:
    """A close-delimited body that never ends (spaces: a valid start of JSON)."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")
    block = b" " * 65536
    while not stop.is_set():
        conn.sendall(block)


def gzip_bomb(conn: socket.socket, stop: threading.Event) -> None:
    """An endless gzip stream of zeros (about 1000:1), made as it is sent."""
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Encoding: gzip\r\nConnection: close\r\n\r\n"
    )
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1024 * 1024)
    while not stop.is_set():
        data = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
        conn.sendall(data)


def never_answer(_conn: socket.socket, stop: threading.Event) -> None:
    """Read the request, then say nothing until the test ends."""
    stop.wait(30)


def _client(url: str, **timeouts: float) -> CozeClient:
    return CozeClient(TOKEN, url, timeouts=Timeouts(**timeouts), max_attempts=1)


class _RssPeak:
    """Samples this process's resident set size (Linux /proc) while a block runs."""

    def __init__(self) -> None:
        self.baseline = self._rss()
        self.peak = self.baseline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="rss-sampler")

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _sample(self) -> None:
        while not self._stop.wait(0.002):
            self.peak = max(self.peak, self._rss())

    def __enter__(self) -> _RssPeak:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.baseline) / (1024 * 1024)


needs_proc = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="RSS is sampled from /proc"
)


# -- deadlines --------------------------------------------------------------------


def test_the_real_transport_is_guarded() -> None:
    with CozeClient(TOKEN, "http://127.0.0.1:9") as client:
        assert client._http.guarded_pools >= 1
        pool = client._http._client._transport._pool  # type: ignore[attr-defined]
        assert isinstance(pool._network_backend, GuardedBackend)


@pytest.mark.parametrize("behaviour", [trickle_head, trickle_body], ids=["head", "body"])
def test_one_byte_a_second_ends_at_the_deadline(behaviour: Behaviour) -> None:
    # the per-read timeout (5 s) never fires: a byte comes every second
    with hostile(behaviour) as server, _client(server.url, deadline=3.0, read=5.0) as client:
        started = time.monotonic()
        with pytest.raises(DeadlineExceededError) as caught:
            client.list_groups()
        elapsed = time.monotonic() - started
    assert 2.9 <= elapsed < 3.8, elapsed
    error = caught.value
    assert not error.retryable
    assert "3 seconds" in error.user_message
    assert "try again" in error.next_step
    assert server.bytes_sent >= 2  # it did trickle


def test_the_deadline_covers_the_retries() -> None:
    # every attempt meets a silent server; a short read timeout makes each attempt
    # fail and be retried, and the deadline ends the whole call
    with (
        hostile(never_answer) as server,
        CozeClient(
            TOKEN, server.url, timeouts=Timeouts(deadline=2.5, read=0.8, list_read=0.8)
        ) as client,
    ):
        started = time.monotonic()
        with pytest.raises(NetworkTimeoutError) as caught:
            client.list_groups()
        elapsed = time.monotonic() - started
    # a timeout of the last attempt, or the deadline itself: never past the deadline
    assert elapsed < 2.5 + 0.3, elapsed
    assert server.requests >= 2
    assert isinstance(caught.value, NetworkTimeoutError)


def test_an_upload_has_its_own_longer_deadline(tmp_path: Path) -> None:
    wav = _small_wav(tmp_path)
    with (
        hostile(trickle_head) as server,
        _client(server.url, deadline=1.0, upload_deadline=2.5, read=5.0) as client,
    ):
        started = time.monotonic()
        with pytest.raises(DeadlineExceededError) as caught:
            client.create_voiceprint("1234", "name", AudioUpload.from_path(wav))
        elapsed = time.monotonic() - started
    assert 2.4 <= elapsed < 3.3, elapsed
    assert caught.value.detail["seconds"] == "2.5"


# -- cancel -----------------------------------------------------------------------


def _small_wav(tmp_path: Path) -> Path:
    path = tmp_path / "take.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(bytes(32000))
    return path


class _Canceller(threading.Thread):
    """Cancels ``token`` after ``seconds``; ``at`` is when it did (monotonic)."""

    def __init__(self, token: CancelToken, seconds: float) -> None:
        super().__init__()
        self.token, self.seconds, self.at = token, seconds, 0.0

    def run(self) -> None:
        time.sleep(self.seconds)
        self.at = time.monotonic()
        self.token.cancel()


def _cancel_after(token: CancelToken, seconds: float) -> _Canceller:
    thread = _Canceller(token, seconds)
    thread.start()
    return thread


def test_cancel_ends_an_upload_whose_server_never_answers(tmp_path: Path) -> None:
    token = CancelToken()
    with hostile(never_answer) as server, _client(server.url, read=30.0) as client:
        canceller = _cancel_after(token, 0.5)
        started = time.monotonic()
        with pytest.raises(UploadCancelledError):
            client.create_voiceprint(
                "1234", "name", AudioUpload.from_path(_small_wav(tmp_path)), cancel=token
            )
        ended = time.monotonic()
        canceller.join()
    assert server.requests == 1  # the body went out; the wait for the answer was cut
    # it waited for the cancel, and ended at it (timed from the cancel itself: the
    # canceller's sleep can run late on a loaded machine)
    assert ended - started >= 0.45, ended - started
    assert ended - canceller.at < 0.5, ended - canceller.at


def test_cancel_ends_a_download_that_trickles() -> None:
    token = CancelToken()
    with hostile(trickle_body) as server, _client(server.url, read=30.0) as client:
        canceller = _cancel_after(token, 0.5)
        with pytest.raises(UploadCancelledError):
            client.download_audio(server.url + "/files/audio/x.wav", cancel=token)
        ended = time.monotonic()
        canceller.join()
    assert ended - canceller.at < 0.5, ended - canceller.at  # at the cancel, not later


def test_cancel_interrupts_the_wait_between_retries() -> None:
    # a 503 asking for a 30 s pause; the cancel must not wait for it
    def busy(conn: socket.socket, _stop: threading.Event) -> None:
        conn.sendall(
            b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 30\r\n"
            b"Content-Length: 0\r\nConnection: close\r\n\r\n"
        )

    token = CancelToken()
    with hostile(busy) as server, CozeClient(TOKEN, server.url) as client:
        canceller = _cancel_after(token, 0.5)
        with pytest.raises(UploadCancelledError):
            client._http.call(LIST_GROUPS, lambda data: data, cancel=token)
        ended = time.monotonic()
        canceller.join()
    assert server.requests == 1
    assert ended - canceller.at < 0.5, ended - canceller.at  # not the 30 s asked for


# -- body caps ------------------------------------------------------------------


@needs_proc
@pytest.mark.parametrize("behaviour", [endless_body, gzip_bomb], ids=["endless", "gzip-bomb"])
def test_an_endless_body_stops_at_the_cap_with_memory_bounded(behaviour: Behaviour) -> None:
    with hostile(behaviour) as server, _client(server.url, deadline=30.0) as client:
        started = time.monotonic()
        with _RssPeak() as rss, pytest.raises(ResponseTooLargeError) as caught:
            client.list_groups()
        elapsed = time.monotonic() - started
    assert "4 MB" in caught.value.user_message
    assert not caught.value.retryable
    # the cap is 4 MB of decoded JSON; memory grows by a few times that at most
    assert rss.growth_mb < 40, rss.growth_mb
    assert elapsed < 10, elapsed


@needs_proc
def test_a_download_bomb_stops_at_the_audio_cap() -> None:
    with (
        hostile(gzip_bomb) as server,
        _client(server.url, download_deadline=30.0) as client,
        _RssPeak() as rss,
        pytest.raises(ResponseTooLargeError) as caught,
    ):
        client.download_audio(server.url + "/files/audio/x.wav")
    assert caught.value.detail["limit"] == "5 MB"
    assert rss.growth_mb < 40, rss.growth_mb


def test_a_declared_length_over_the_cap_is_refused_before_reading() -> None:
    def huge(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: 999999999999\r\n\r\n{"
        )
        stop.wait(30)

    with hostile(huge) as server, _client(server.url, deadline=30.0) as client:
        started = time.monotonic()
        with pytest.raises(ResponseTooLargeError):
            client.list_groups()
    assert time.monotonic() - started < 1.0
