"""Deadlines, cancellation and size caps for one client call, below httpx.

httpx has per-phase timeouts (connect, read, write, pool) but no total one: its read
timeout restarts with every byte, so a server that sends one byte a second holds a
call forever, and a cancel only reaches the code between chunks of an upload. This
module adds what is missing, without forking httpx:

* :class:`CallBudget` -- the monotonic deadline of one call (all its attempts) and its
  :class:`~.uploads.CancelToken`. While an attempt runs, the budget is the calling
  thread's *current* budget (:func:`active`).
* :class:`GuardedBackend` -- an httpcore network backend wrapping the default one. Every
  blocking socket operation (connect, TLS handshake, each read and each write) gets a
  timeout no longer than the time left in the current budget, so no operation can
  outlive the deadline; and while an operation waits, a cancel shuts the socket down
  (``shutdown(SHUT_RDWR)``, which wakes a blocked ``recv``/``send`` at once on every
  platform) -- the watchdog is the cancel token's callback, no extra thread.
  :func:`guard_client` installs it in an ``httpx.Client``'s connection pools.
* :func:`read_body` -- streams a response body, decoding ``gzip``/``deflate`` itself with
  ``zlib``'s ``max_length`` so that decoded bytes are counted as they are produced: an
  endless body or a compression bomb stops at the cap with memory bounded by it (httpx's
  own decoder inflates a whole network chunk at once, about 64 MB for 64 KiB of zeros).

Transports that do not go through sockets (``httpx.WSGITransport`` for the offline
workspace, ``httpx.MockTransport`` in tests) get the budget checked between chunks.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import httpcore
import httpx

from .uploads import CancelToken

__all__ = [
    "BodyTooLargeError",
    "BudgetExhaustedError",
    "CallBudget",
    "GuardedBackend",
    "UndecodableBodyError",
    "active",
    "guard_client",
    "read_body",
]

# The encodings :func:`read_body` decodes (sent as ``Accept-Encoding``).
ACCEPT_ENCODING = "gzip, deflate"
# The most one socket read asks for (see :meth:`_GuardedStream.read`).
READ_BYTES = 1024 * 1024


class BudgetExhaustedError(Exception):
    """The call's deadline passed, or it was cancelled (see the budget's flags)."""


class BodyTooLargeError(Exception):
    """The (decoded) response body is larger than the cap."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the response is larger than {limit} bytes")
        self.limit = limit


class UndecodableBodyError(Exception):
    """The body's ``Content-Encoding`` is unknown or its compressed data is corrupt."""


class CallBudget:
    """How long one call may take, and its cancel token; shared by all its attempts.

    ``seconds`` is the total allowed; :meth:`remaining` what is left. While an
    operation waits on a socket, :meth:`watching` registers it so that a cancel
    shuts that socket down.
    """

    def __init__(
        self,
        seconds: float,
        cancel: CancelToken | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self.cancel = cancel
        self._clock = clock
        self.deadline = clock() + seconds
        self._lock = threading.Lock()
        self._waiting: set[socket.socket] = set()
        self._expired = False

    def __repr__(self) -> str:
        return f"<CallBudget {self.remaining():.1f}/{self.seconds:g} s cancelled={self.cancelled}>"

    def remaining(self) -> float:
        """Seconds left before the deadline (negative once it passed)."""
        return self.deadline - self._clock()

    @property
    def cancelled(self) -> bool:
        """True once the call's cancel token was set."""
        return self.cancel is not None and self.cancel.cancelled

    @property
    def expired(self) -> bool:
        """True once the deadline passed (sticky: stays true once seen)."""
        if not self._expired and self.remaining() <= 0:
            self._expired = True
        return self._expired

    def check(self) -> None:
        """Raise :class:`BudgetExhaustedError` when cancelled or past the deadline."""
        if self.cancelled or self.expired:
            raise BudgetExhaustedError

    def clamp(self, timeout: float | None) -> float:
        """``timeout`` cut to the time left; raises when nothing is left."""
        self.check()
        left = self.remaining()
        return left if timeout is None else min(timeout, left)

    def httpx_timeout(self, timeout: httpx.Timeout) -> httpx.Timeout:
        """Every phase of ``timeout`` cut to the time left (for the pool wait above all)."""
        left = max(0.001, self.remaining())

        def cut(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(
            connect=cut(timeout.connect),
            read=cut(timeout.read),
            write=cut(timeout.write),
            pool=cut(timeout.pool),
        )

    @contextlib.contextmanager
    def watching(self, sock: socket.socket | None) -> Iterator[None]:
        """While the block runs, a cancel shuts ``sock`` down (waking a blocked call)."""
        if sock is None or self.cancel is None:
            yield
            return
        with self._lock:
            self._waiting.add(sock)
        try:
            if self.cancel.cancelled:  # cancelled just before we started waiting
                _shutdown(sock)
            yield
        finally:
            with self._lock:
                self._waiting.discard(sock)

    def abort(self) -> None:
        """Shut down every socket an operation of this call is waiting on (the watchdog)."""
        with self._lock:
            waiting = list(self._waiting)
        for sock in waiting:
            _shutdown(sock)

    @contextlib.contextmanager
    def activate(self) -> Iterator[CallBudget]:
        """Make this the calling thread's budget; a cancel meanwhile aborts its waits."""
        previous = getattr(_LOCAL, "budget", None)
        _LOCAL.budget = self
        remove = self.cancel.add_callback(self.abort) if self.cancel is not None else None
        try:
            yield self
        finally:
            if remove is not None:
                remove()
            _LOCAL.budget = previous


_LOCAL = threading.local()


def active() -> CallBudget | None:
    """The budget of the call running on this thread, if any."""
    budget: CallBudget | None = getattr(_LOCAL, "budget", None)
    return budget


def _shutdown(sock: socket.socket) -> None:
    # socket.socket.shutdown, not SSLSocket.shutdown: the latter also drops the TLS
    # object the waiting thread is using. Shutting down (not closing) is safe while
    # another thread waits on the descriptor, and wakes it on Linux, macOS and Windows.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


# --------------------------------------------------------------------------
# The network backend
# --------------------------------------------------------------------------


def _socket_of(stream: httpcore.NetworkStream) -> socket.socket | None:
    try:
        sock = stream.get_extra_info("socket")
    except Exception:  # a stream that does not know; cancel then waits for the timeout
        return None
    return sock if isinstance(sock, socket.socket) else None


class _GuardedStream(httpcore.NetworkStream):
    """A network stream whose operations honour the current :class:`CallBudget`."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        # httpcore asks for 64 KiB at a time; a 4 MB download then took 64 trips through
        # h11 and this guard, about 15 ms of a worker's CPU (and GIL). The socket hands
        # over what it has, up to READ_BYTES; h11 buffers whatever it is given.
        max_bytes = max(max_bytes, READ_BYTES)
        budget = active()
        if budget is None:
            return self._inner.read(max_bytes, timeout)
        with budget.watching(_socket_of(self._inner)):
            return self._inner.read(max_bytes, budget.clamp(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        budget = active()
        if budget is None:
            self._inner.write(buffer, timeout)
            return
        with budget.watching(_socket_of(self._inner)):
            # sendall's timeout bounds the whole buffer (Python >= 3.5)
            self._inner.write(buffer, budget.clamp(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        budget = active()
        if budget is not None:
            with budget.watching(_socket_of(self._inner)):
                tls = self._inner.start_tls(ssl_context, server_hostname, budget.clamp(timeout))
        else:
            tls = self._inner.start_tls(ssl_context, server_hostname, timeout)
        return _GuardedStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's backend with every blocking call bounded by the current budget."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None) -> None:
        self._inner = inner if inner is not None else httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        budget = active()
        if budget is not None:
            timeout = budget.clamp(timeout)
        stream = self._inner.connect_tcp(
            host, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )
        return _GuardedStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:  # pragma: no cover - unix sockets are not used by the app
        budget = active()
        if budget is not None:
            timeout = budget.clamp(timeout)
        return _GuardedStream(
            self._inner.connect_unix_socket(path, timeout=timeout, socket_options=socket_options)
        )

    def sleep(self, seconds: float) -> None:  # pragma: no cover - httpcore retries only
        self._inner.sleep(seconds)


def guard_client(client: httpx.Client) -> int:
    """Install :class:`GuardedBackend` in ``client``'s socket pools; return how many.

    httpx builds its pools itself (the default transport and one per proxy from the
    environment) and does not take a network backend, so the pool's backend is
    replaced right after the client is built, before any connection exists. Transports
    without a pool (WSGI, mock) are left alone. A test asserts that the real default
    transport gets guarded, so an httpx upgrade that moves the attribute is noticed.
    """
    count = 0
    transports: list[object] = [getattr(client, "_transport", None)]
    transports += list(getattr(client, "_mounts", {}).values())
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, GuardedBackend):
            count += 1
        elif isinstance(backend, httpcore.NetworkBackend):
            pool._network_backend = GuardedBackend(backend)  # type: ignore[union-attr]
            count += 1
    return count


# --------------------------------------------------------------------------
# Bodies
# --------------------------------------------------------------------------


class _Inflate:
    """zlib decoding with bounded output per step (gzip, or deflate with or without header)."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
        self._d = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes, room: int) -> Iterator[bytes]:
        """Decode ``data``, yielding pieces; stops early once ``room`` bytes were yielded."""
        while data and room > 0:
            try:
                out = self._d.decompress(data, room)
            except zlib.error:
                if self._encoding == "deflate" and not self._started:
                    # "deflate" sent as a raw stream, without the zlib header
                    self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._started = True
                    continue
                raise UndecodableBodyError(
                    f"the {self._encoding} body is corrupt or truncated"
                ) from None
            self._started = True
            room -= len(out)
            yield out
            data = self._d.unconsumed_tail

    def flush(self) -> bytes:
        return self._d.flush()


def _decoder(header: str | None) -> _Inflate | None:
    encodings = [t.strip().lower() for t in (header or "").split(",")]
    encodings = [e for e in encodings if e not in ("", "identity")]
    if not encodings:
        return None
    if len(encodings) == 1 and encodings[0] in ("gzip", "x-gzip"):
        return _Inflate("gzip")
    if encodings == ["deflate"]:
        return _Inflate("deflate")
    shown = ", ".join(encodings)[:60]
    raise UndecodableBodyError(f"unsupported Content-Encoding {shown!r}")


def read_body(response: httpx.Response, limit: int, budget: CallBudget | None = None) -> bytes:
    """The decoded body of a streamed ``response`` (closed afterwards), at most ``limit`` bytes.

    Raises :class:`BodyTooLargeError` as soon as more than ``limit`` decoded bytes
    arrive (or the ``Content-Length`` of an uncompressed body says so),
    :class:`UndecodableBodyError` for an unknown or corrupt encoding, and
    :class:`BudgetExhaustedError` when the budget runs out between chunks.
    """
    try:
        try:
            ready = response.content  # a mock transport may hand out a read response
        except httpx.ResponseNotRead:
            pass
        else:
            if len(ready) > limit:
                raise BodyTooLargeError(limit)
            return ready
        decoder = _decoder(response.headers.get("content-encoding"))
        declared = response.headers.get("content-length", "").strip()
        if decoder is None and declared.isdigit() and int(declared) > limit:
            raise BodyTooLargeError(limit)
        # the pieces as the socket gave them (an iter_raw chunk size copies each twice
        # more), joined once at the end: a 4 MB body was copied five times in this
        # process, each copy holding the GIL
        pieces: list[bytes] = []
        size = 0
        for raw in response.iter_raw():
            if budget is not None:
                budget.check()
            for piece in (raw,) if decoder is None else decoder.feed(raw, limit + 1 - size):
                pieces.append(piece)
                size += len(piece)
            if size > limit:
                raise BodyTooLargeError(limit)
        if decoder is not None:
            tail = decoder.flush()
            pieces.append(tail)
            size += len(tail)
        if size > limit:
            raise BodyTooLargeError(limit)
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)
    finally:
        response.close()
