"""Fixtures that start the embedded backend (registered as a plugin by ``tests/conftest.py``).

* ``backend_app`` - an in-process :class:`BackendApp` on ``tmp_path / "backend"``;
* ``loopback`` - that app served on 127.0.0.1 (:class:`Loopback`: ``url``, ``token``, ``app``),
  stopped and joined after the test;
* ``small_loopback`` - like ``loopback`` with tiny limits;
* ``wav_bytes`` / ``pcm_bytes`` helpers build small 16 kHz test audio.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
import pytest
import soundfile

from voiceprint_studio.local.app import BackendApp, create_app
from voiceprint_studio.local.server import LoopbackServer

BACKEND_TOKEN = "pat_test_local_backend_token"


def make_samples(seconds: float = 0.25, rate: int = 16000, freq: float = 220.0) -> np.ndarray:
    """A sine tone as float32 samples."""
    t = np.arange(int(seconds * rate), dtype=np.float64) / rate
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def wav_bytes(seconds: float = 0.25, rate: int = 16000, freq: float = 220.0) -> bytes:
    """A mono 16-bit wav file in memory."""
    buf = io.BytesIO()
    soundfile.write(buf, make_samples(seconds, rate, freq), rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def pcm_bytes(seconds: float = 0.25, freq: float = 220.0) -> bytes:
    """Raw 16 kHz mono 16-bit little-endian pcm."""
    return (make_samples(seconds, 16000, freq) * 32767).astype("<i2").tobytes()


@dataclass(frozen=True)
class Loopback:
    """A running loopback backend."""

    url: str
    token: str
    app: BackendApp

    @property
    def headers(self) -> dict[str, str]:
        """The Authorization header for the app's token."""
        return {"Authorization": f"Bearer {self.token}"}


class Refusing(httpx.BaseTransport):
    """The real backend in-process, but the ``method`` requests to a path containing
    ``path`` are refused as the service refuses (HTTP ``status``, Coze ``code``: nothing
    is changed) -- every one, or only the n-th ones in ``which``; while ``refusing`` is
    False they go through."""

    def __init__(
        self,
        app: BackendApp,
        method: str,
        path: str,
        *,
        which: tuple[int, ...] = (),
        status: int = 400,
        code: int = 4000,
    ) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.method, self.path, self.which = method, path, which
        self.status, self.code = status, code
        self.refusing = True
        self.count = 0  # the requests it watched

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == self.method and self.path in request.url.path:
            self.count += 1
            if self.refusing and (not self.which or self.count in self.which):
                request.read()
                body = {"code": self.code, "msg": "refused", "detail": {"logid": "r"}}
                return httpx.Response(self.status, json=body)
        return self.inner.handle_request(request)


class SlowThenLost(httpx.BaseTransport):
    """The first voiceprint create takes ``seconds`` on a slow link (the clock is moved on
    by that much), then gets no answer; the service is still making it."""

    def __init__(self, app: BackendApp, clock: list[float], seconds: float) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.clock, self.seconds = clock, seconds
        self.creates = 0
        self.held: httpx.Request | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/features"):
            self.creates += 1
            if self.creates == 1:
                request.read()
                self.clock[0] += self.seconds
                self.held = request
                raise httpx.ReadTimeout("no answer", request=request)
        return self.inner.handle_request(request)


def wsgi_client(app: BackendApp) -> httpx.Client:
    """An httpx client that calls ``app`` in-process with its token."""
    return httpx.Client(
        transport=httpx.WSGITransport(app=app),
        base_url="http://offline.local",
        headers={"Authorization": f"Bearer {app.token}"},
    )


@pytest.fixture
def backend_app(tmp_path: Path) -> Iterator[BackendApp]:
    """An in-process backend on a fresh data directory (small limits are not applied)."""
    app = create_app(tmp_path / "backend", BACKEND_TOKEN)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def loopback(backend_app: BackendApp) -> Iterator[Loopback]:
    """``backend_app`` served on 127.0.0.1; stopped (threads joined) after the test."""
    with LoopbackServer(backend_app) as server:
        yield Loopback(server.url, backend_app.token, backend_app)


@pytest.fixture
def small_loopback(tmp_path: Path) -> Iterator[Loopback]:
    """A loopback backend with tiny limits (3 groups, 2 voiceprints per group, 64 KiB files)."""
    app = create_app(
        tmp_path / "small", BACKEND_TOKEN, max_groups=3, max_features=2, max_file_bytes=64 * 1024
    )
    try:
        with LoopbackServer(app) as server:
            yield Loopback(server.url, app.token, app)
    finally:
        app.close()
