"""Serve a :class:`~voiceprint_studio.local.app.BackendApp` on loopback from a thread.

``LoopbackServer(app)`` is a context manager: entering starts a threaded werkzeug server on
``127.0.0.1`` (port 0 picks a free one) in a background thread, ``.url`` is its base URL;
leaving stops accepting, lets requests in flight finish for a short grace period, then
shuts down the connections still open and joins every thread it started (with a bound).
Werkzeug's per-request logging goes to this module's logger at DEBUG level.

Bounds, so that no client can hold the server (decisions where nothing was specified):

* ``idle_timeout`` (20 s): every read and write on a connection has this timeout, so a
  client that opens a connection and sends nothing, or stops in the middle of a request,
  is dropped (werkzeug treats it as a dropped connection).
* ``max_connections`` (64): connections beyond it get an immediate ``503`` with
  ``Retry-After: 1`` and are closed, so the server never runs out of threads or
  descriptors because of its own clients.
* Out of file descriptors (``EMFILE``/``ENFILE``): ``accept`` fails while the listening
  socket stays readable, and socketserver's loop would spin on it at full speed; the
  loop pauses :data:`ACCEPT_BACKOFF_SECONDS` instead.
* :meth:`LoopbackServer.wait_quiet` waits until no connection is open or waiting to be
  accepted: what a client that is gone (a killed process) had sent has been carried out.
* :meth:`LoopbackServer.stop` returns within ``grace`` + :data:`JOIN_SECONDS` (about
  1.1 s): idle keep-alive connections are shut down at once, requests in flight get
  ``grace`` to finish, then their sockets are shut down too (``shutdown(SHUT_RDWR)``
  wakes a handler blocked on a stalled client). A handler stuck in the app itself is
  left behind as a daemon thread (logged), so a process can always exit.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import select
import socket
import threading
import time
from types import TracebackType
from typing import Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from voiceprint_studio.local.app import BackendApp

_log = logging.getLogger(__name__)
_LEVELS = {"info": logging.DEBUG, "warning": logging.WARNING, "error": logging.WARNING}

IDLE_TIMEOUT_SECONDS = 20.0
MAX_CONNECTIONS = 64
GRACE_SECONDS = 0.8
JOIN_SECONDS = 0.3
ACCEPT_BACKOFF_SECONDS = 0.1
ACCEPT_POLL_SECONDS = 0.05  # serve_forever's poll interval
_OUT_OF_DESCRIPTORS = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}
_BUSY_BODY = b'{"code": 5000, "msg": "too many connections, retry in a second", "data": null}'
_BUSY_503 = (
    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: application/json\r\n"
    + f"Content-Length: {len(_BUSY_BODY)}\r\nConnection: close\r\n\r\n".encode()
    + _BUSY_BODY
)


class _QuietHandler(WSGIRequestHandler):
    """Request handler logging through :mod:`logging` at DEBUG instead of stderr; it tells
    the server when a request is in progress on its connection."""

    server: _Server

    def log(self, type: str, message: str, *args: Any) -> None:
        _log.log(_LEVELS.get(type, logging.DEBUG), "%s " + message, self.address_string(), *args)

    def parse_request(self) -> bool:
        # the request line has arrived: from here until the answer is sent, it is in flight
        self.server.mark_busy(self.connection, busy=True)
        return bool(super().parse_request())

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        finally:
            self.server.mark_busy(self.connection, busy=False)


class _Server(ThreadedWSGIServer):
    """A threaded werkzeug server with bounded connections and a bounded shutdown."""

    daemon_threads = True  # a last resort: stop() joins them, with a bound
    block_on_close = False

    def __init__(self, *args: Any, max_connections: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # a connection has closed
        self._slots = threading.BoundedSemaphore(max_connections)
        self._connections: dict[socket.socket, bool] = {}  # socket -> request in flight
        self._handlers: set[threading.Thread] = set()
        self._untracked = 0  # accepted, not yet in _connections (nor refused)
        self.refused = 0
        self.starved = False  # accept() is failing for want of file descriptors

    def log(self, type: str, message: str, *args: Any) -> None:
        _log.log(_LEVELS.get(type, logging.DEBUG), message, *args)

    # -- accepting ------------------------------------------------------------------

    def get_request(self) -> tuple[socket.socket, Any]:
        try:
            accepted = super().get_request()
        except OSError as exc:
            if exc.errno in _OUT_OF_DESCRIPTORS:
                # the listening socket stays readable: pause rather than spin
                if not self.starved:
                    _log.warning("cannot accept connections (%s); pausing", exc.strerror)
                self.starved = True
                time.sleep(ACCEPT_BACKOFF_SECONDS)
            raise
        if self.starved:
            _log.warning("accepting connections again")
            self.starved = False
        with self._lock:
            self._untracked += 1
        return accepted

    def process_request(self, request: Any, client_address: Any) -> None:
        try:
            self._process_request(request, client_address)
        finally:
            with self._lock:
                self._untracked -= 1
                self._changed.notify_all()

    def _process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.refused += 1
            with contextlib.suppress(OSError):
                request.settimeout(1.0)
                request.sendall(_BUSY_503)
            self.shutdown_request(request)
            return
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name="voiceprint-loopback-conn",
            daemon=True,
        )
        with self._lock:
            self._connections[request] = False
            self._handlers.add(thread)
        thread.start()

    def _serve_connection(self, request: socket.socket, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            with self._lock:
                self._connections.pop(request, None)
                self._handlers.discard(threading.current_thread())
                self._changed.notify_all()
            self.shutdown_request(request)
            self._slots.release()

    def mark_busy(self, connection: socket.socket, *, busy: bool) -> None:
        with self._lock:
            if connection in self._connections:
                self._connections[connection] = busy

    def wait_quiet(self, seconds: float) -> bool:
        """Wait up to ``seconds`` until no connection is open or waiting to be accepted;
        return whether that came."""
        deadline = time.monotonic() + seconds
        with self._lock:
            # (one accepted and not yet tracked -- the accept thread held up between the
            # two on a loaded machine -- is neither in the backlog nor in _connections)
            while self._connections or self._untracked or self._waiting_to_be_accepted():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                # (a connection in the listening socket's backlog is not notified: look
                # again after a short while)
                self._changed.wait(min(left, ACCEPT_POLL_SECONDS))
        return True

    def _waiting_to_be_accepted(self) -> bool:
        with contextlib.suppress(OSError, ValueError):
            readable, _, _ = select.select([self.socket], [], [], 0)
            return bool(readable)
        return False

    # -- stopping -------------------------------------------------------------------

    def drop_connections(self, *, idle_only: bool) -> int:
        """Shut down open connections (only those without a request in flight when
        ``idle_only``); return how many."""
        with self._lock:
            chosen = [s for s, busy in self._connections.items() if not (idle_only and busy)]
        for sock in chosen:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        return len(chosen)

    def join_handlers(self, seconds: float) -> list[threading.Thread]:
        """Wait up to ``seconds`` in all for the connection threads; return those alive."""
        deadline = time.monotonic() + seconds
        with self._lock:
            handlers = list(self._handlers)
        for thread in handlers:
            thread.join(max(0.0, deadline - time.monotonic()))
        return [t for t in handlers if t.is_alive()]


class LoopbackServer:
    """Run ``app`` on ``host:port`` in a background thread (a context manager)."""

    def __init__(
        self,
        app: BackendApp,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        idle_timeout: float = IDLE_TIMEOUT_SECONDS,
        max_connections: int = MAX_CONNECTIONS,
        grace: float = GRACE_SECONDS,
    ) -> None:
        self.app = app
        self._host = host
        self._port = port
        self._idle_timeout = idle_timeout
        self._max_connections = max_connections
        self._grace = grace
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        if self._server is None:
            raise RuntimeError("server is not running")
        return f"http://{self._host}:{self._server.server_port}"

    @property
    def token(self) -> str:
        """The bearer token the app accepts."""
        return self.app.token

    def start(self) -> None:
        """Bind the socket and start serving in a thread."""
        if self._server is not None:
            raise RuntimeError("server already started")
        # one handler class per server: werkzeug sets protocol_version on it
        handler = type("_Handler", (_QuietHandler,), {"timeout": self._idle_timeout})
        self._server = _Server(
            self._host, self._port, self.app, handler=handler, max_connections=self._max_connections
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": ACCEPT_POLL_SECONDS},
            name="voiceprint-loopback-server",
        )
        self._thread.start()
        _log.info("serving %s", self.url)

    def stop(self) -> None:
        """Stop accepting, give requests in flight ``grace`` seconds, then drop what is left
        and join the threads (returns within about ``grace`` + 0.4 s)."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.shutdown()  # serve_forever returns within its poll interval, closes the socket
        thread.join()
        server.drop_connections(idle_only=True)
        left = server.join_handlers(self._grace)
        if left:
            server.drop_connections(idle_only=False)
            left = server.join_handlers(JOIN_SECONDS)
        if left:
            _log.warning("%d request(s) still running at shutdown were abandoned", len(left))
        self._server = self._thread = None

    def wait_quiet(self, seconds: float = 30.0) -> bool:
        """Wait up to ``seconds`` until the server holds no connection and none waits to be
        accepted: whatever a client that is gone (a killed process) had sent has been
        carried out, or dropped. Return whether that came (False also when not running)."""
        server = self._server
        return server is not None and server.wait_quiet(seconds)

    def __enter__(self) -> LoopbackServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
