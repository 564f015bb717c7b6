"""Serve a :class:`~voiceprint_studio.local.app.BackendApp` on loopback from a thread.

``LoopbackServer(app)`` is a context manager: entering starts a threaded werkzeug server on
``127.0.0.1`` (port 0 picks a free one) in a background thread, ``.url`` is its base URL;
leaving stops accepting, waits for in-flight requests and joins every thread it started.
Werkzeug's per-request logging goes to this module's logger at DEBUG level.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType
from typing import Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from voiceprint_studio.local.app import BackendApp

_log = logging.getLogger(__name__)
_LEVELS = {"info": logging.DEBUG, "warning": logging.WARNING, "error": logging.WARNING}


class _QuietHandler(WSGIRequestHandler):
    """Request handler logging through :mod:`logging` at DEBUG instead of stderr."""

    def log(self, type: str, message: str, *args: Any) -> None:
        _log.log(_LEVELS.get(type, logging.DEBUG), "%s " + message, self.address_string(), *args)


class _Server(ThreadedWSGIServer):
    # join request threads on close instead of abandoning them as daemons
    daemon_threads = False
    block_on_close = True

    def log(self, type: str, message: str, *args: Any) -> None:
        _log.log(_LEVELS.get(type, logging.DEBUG), message, *args)


class LoopbackServer:
    """Run ``app`` on ``host:port`` in a background thread (a context manager)."""

    def __init__(self, app: BackendApp, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self._host = host
        self._port = port
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
        self._server = _Server(self._host, self._port, self.app, handler=_QuietHandler)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="voiceprint-loopback-server",
        )
        self._thread.start()
        _log.info("serving %s", self.url)

    def stop(self) -> None:
        """Stop serving, wait for in-flight requests and join all server threads."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.shutdown()  # serve_forever returns, then closes the socket and joins handlers
        thread.join()
        self._server = self._thread = None

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
