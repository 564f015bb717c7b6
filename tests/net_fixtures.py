"""Real sockets that misbehave: a slow link in front of a server, and a server that never answers.

* :class:`SlowLink` -- a TCP proxy on 127.0.0.1 that passes what the client sends to the
  server at a few hundred KB/s through a tiny receive buffer (a slow uplink: an upload
  takes seconds, so Cancel can land before the body is sent) and the answers back at
  full speed. When the client's side closes, the server's side is closed at once, with
  whatever part of the body it had.
* :class:`SilentServer` -- accepts connections and reads requests, never answers.

Both are context managers; leaving closes every socket and joins every thread.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType


def _listener(rcvbuf: int | None = None) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf is not None:  # inherited by accepted sockets (the advertised window)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.05)
    return sock


class _Served:
    """A listening socket with an accept loop on a thread; subclasses handle connections."""

    def __init__(self, rcvbuf: int | None = None) -> None:
        self._sock = _listener(rcvbuf)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._acceptor: threading.Thread | None = None
        self.accepted = 0

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, target: object, *args: object) -> threading.Thread:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        with self._lock:
            self._threads.append(thread)
        thread.start()
        return thread

    def _track(self, conn: socket.socket) -> None:
        with self._lock:
            self._conns.append(conn)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self._track(conn)
            self._handle(conn)

    def _handle(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def __enter__(self) -> _Served:
        self._acceptor = self._spawn(self._accept_loop)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        # The accept loop ends first: a connection it accepts while this runs (its last
        # accept() in flight, or the thread held up between accept and _track on a loaded
        # machine) is tracked before the list below is read. Read first, such a
        # connection was never closed: a ResourceWarning when collected, an error under
        # ``filterwarnings = error``.
        if self._acceptor is not None:
            self._acceptor.join(5)
        self._sock.close()  # what is still in the backlog is refused
        with self._lock:
            conns = list(self._conns)
            threads = list(self._threads)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        for thread in threads:
            thread.join(5)


class SilentServer(_Served):
    """Accepts, reads whatever comes, and never answers."""

    def _handle(self, conn: socket.socket) -> None:
        self._spawn(self._drain, conn)

    def _drain(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(0.05)
        except OSError:  # closed by __exit__ before this thread got to run (under load)
            return
        while not self._stop.is_set():
            try:
                if not conn.recv(65536):
                    return
            except TimeoutError:
                continue
            except OSError:
                return


class SlowLink(_Served):
    """A proxy to ``upstream_port`` whose client-to-server direction is slow."""

    def __init__(self, upstream_port: int, *, rate: int = 256 * 1024, chunk: int = 4096) -> None:
        super().__init__(rcvbuf=4096)
        self.upstream_port = upstream_port
        self.rate = rate
        self.chunk = chunk
        self.forwarded = 0  # bytes passed to the server, client to server
        self.client_closed = threading.Event()

    def _handle(self, conn: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        self._track(upstream)
        self._spawn(self._up, conn, upstream)
        self._spawn(self._down, upstream, conn)

    def _up(self, src: socket.socket, dst: socket.socket) -> None:
        pause = self.chunk / self.rate
        try:
            src.settimeout(0.05)  # (in the try: __exit__ may have closed it already)
            while not self._stop.is_set():
                try:
                    data = src.recv(self.chunk)
                except TimeoutError:
                    continue
                if not data:
                    break
                dst.sendall(data)
                self.forwarded += len(data)
                time.sleep(pause)
        except OSError:
            pass
        finally:
            self.client_closed.set()
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_RDWR)  # the server sees the body end here

    def _down(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            src.settimeout(0.05)  # (in the try: __exit__ may have closed it already)
            while not self._stop.is_set():
                try:
                    data = src.recv(65536)
                except TimeoutError:
                    continue
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_WR)
