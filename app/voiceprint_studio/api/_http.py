"""The request machinery both clients share: envelopes, errors, retries, logging.

:class:`HttpCore` owns one :class:`httpx.Client` (with the injected transport)
and runs every call the same way:

1. send the request (JSON, query, or a streamed multipart upload with
   progress and cancellation) with explicit timeouts per phase and a total
   deadline per kind of call (:class:`Timeouts`), enforced below httpx by
   :mod:`._guard`; a cancel token ends the call wherever it waits;
2. read the body streamed, decoding it ourselves and stopping at a cap (a few MB
   for JSON, the audio limit plus a margin for downloads);
3. turn transport failures into :class:`~.errors.NetworkError` subclasses,
   noting whether the request provably never reached the server;
4. parse the body once, unwrap the service's envelope (Coze ``code``/``msg``/
   ``detail.logid``; MiniMax ``base_resp``) and map failures to the error
   hierarchy, with the request id (``detail.logid`` or ``x-tt-logid``; MiniMax
   ``Trace-Id``) and ``Retry-After``;
5. hand the payload to the endpoint's parser (shape problems become
   :class:`~.errors.ProtocolError`);
6. log one line per attempt (method, path, status, code, request id,
   duration, attempt) with the token redacted and whatever the server said
   bounded and escaped (:func:`server_text`);
7. retry with :mod:`stamina` (exponential backoff with jitter, ``Retry-After``
   honoured up to a cap) when it is safe: reads, updates and deletes on
   throttling, server and network errors; creates only when the connection
   could not be opened. No retry starts when its wait would pass the call's
   deadline, and a cancel interrupts the wait.
"""

from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import hashlib
import hmac
import json
import logging
import math
import os
import random
import secrets
import socket
import ssl
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import TracebackType
from typing import IO, Any, ClassVar, TypeVar, cast

import httpx
import orjson
import stamina

from .. import __version__
from . import _guard
from ._guard import BodyTooLargeError, BudgetExhaustedError, CallBudget, UndecodableBodyError
from ._validate import check_token
from .errors import (
    COZE_CODES,
    MINIMAX_CODES,
    QT_TRANSLATE_NOOP,
    ApiError,
    ConnectionFailedError,
    ConnectionLostError,
    DeadlineExceededError,
    LocalValidationError,
    NetworkError,
    NetworkTimeoutError,
    ProtocolError,
    ResponseTooLargeError,
    ServerError,
    TlsError,
    UploadCancelledError,
    error_for_code,
    error_for_http_status,
    error_for_oauth_body,
    means_gone,
)
from .models import ResponseShapeError
from .observer import CallObserver
from .profiles import validate_base_url
from .redact import RedactingFilter, Secret, redact
from .uploads import (
    MAX_AUDIO_BYTES,
    AudioUpload,
    CancelToken,
    ProgressCallback,
    ProgressReader,
    ambient_cancel,
)

__all__ = [
    "LOGGER_NAME",
    "Endpoint",
    "HttpCore",
    "RetryPolicy",
    "Timeouts",
    "parse_retry_after",
    "server_text",
]

T = TypeVar("T")

LOGGER_NAME = "voiceprint_studio.api"
_LOG = logging.getLogger(LOGGER_NAME)
_USER_AGENT = f"VoiceprintStudio/{__version__}"


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds allowed per phase; ``upload_write`` replaces ``write`` for uploads.

    ``list_read`` (when shorter than ``read``) bounds the wait for the answer to a
    ``GET`` (lists, ``users/me``): those answer in well under a second, and a server
    that does not answer one in time is better retried soon than waited for
    (with 4 attempts, a silent server held a list view for two minutes at 30 s).

    The per-phase timeouts restart with every byte, so each call also has a total
    deadline covering all its attempts and the waits between them: ``deadline`` for
    calls without audio (reads, creates, updates, deletes), ``upload_deadline`` for
    calls that send audio (4 MB at 128 kbit/s takes about 4 minutes) and
    ``download_deadline`` for audio downloads. Past it the call ends with
    :class:`~.errors.DeadlineExceededError`.
    """

    connect: float = 10.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0
    upload_write: float = 120.0
    list_read: float = 15.0
    deadline: float = 60.0
    upload_deadline: float = 300.0
    download_deadline: float = 120.0

    def for_requests(self) -> httpx.Timeout:
        """The timeout for ordinary calls."""
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)

    def for_reads(self) -> httpx.Timeout:
        """The timeout for ``GET`` calls (a shorter read, see ``list_read``)."""
        return httpx.Timeout(
            connect=self.connect,
            read=min(self.read, self.list_read),
            write=self.write,
            pool=self.pool,
        )

    def for_uploads(self) -> httpx.Timeout:
        """The timeout for multipart uploads (longer write)."""
        return httpx.Timeout(
            connect=self.connect, read=self.read, write=self.upload_write, pool=self.pool
        )


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to retry (see :func:`stamina.retry_context` for the wait formula).

    ``attempts`` counts the first try; ``total_timeout`` bounds the whole
    retrying (``None``: no bound); ``retry_after_cap`` caps a server's
    ``Retry-After``.
    """

    attempts: int = 4
    total_timeout: float | None = 90.0
    wait_initial: float = 0.5
    wait_max: float = 8.0
    wait_jitter: float = 0.5
    wait_exp_base: float = 2.0
    retry_after_cap: float = 60.0


# Per thread: whether the attempt in progress was counted as sent (see ``_count_sent``).
_SENT = threading.local()


def _may_have_acted(error: ApiError) -> bool:
    """Whether the service may have carried out the attempt that failed with ``error``:
    sent with no (or a broken, or a gateway's) answer."""
    if isinstance(error, (NetworkError, UploadCancelledError)):
        return error.request_sent
    return isinstance(error, (ServerError, ProtocolError))


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One API operation: method, path template, and whether retrying it is safe.

    ``idempotent`` is true for reads, updates and deletes. False marks creates
    (and billed identification), which are retried only when the request
    provably never reached the server.
    """

    method: str
    path: str
    idempotent: bool
    # A delete: on a retry, "no such item" (:func:`~.errors.means_gone`) means an
    # earlier attempt did delete it, so the call succeeded.
    gone_on_retry_is_done: bool = False
    # An API call the service counts (a plan's calls); False for a file download (a
    # voiceprint's ``audio_url``), which is not one.
    counted: bool = True

    @property
    def name(self) -> str:
        """``"METHOD /path/template"``, used in errors, logs and the permission table."""
        return f"{self.method} {self.path}"


@dataclass(slots=True)
class Upload:
    """A multipart body: text fields plus an optional audio file streamed from disk."""

    fields: dict[str, str]
    audio: AudioUpload | None = None
    progress: ProgressCallback | None = None
    cancel: CancelToken | None = None


def _loads(content: bytes) -> object:
    """Parse JSON with orjson (about 4x faster on a 200-item page), falling back to
    the standard library for what orjson refuses but the service may still send
    (integers beyond 64 bits, NaN)."""
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return json.loads(content)


_SERVER_TEXT_MAX = 300
# This process's random key for the token hash in :attr:`HttpCore.account_key`: the hash
# identifies an account within the process and says nothing about the token outside it.
_ACCOUNT_SALT = secrets.token_bytes(32)
_REQUEST_ID_MAX = 128
# C0 and C1 controls, DEL, the Unicode line and paragraph separators and the
# bidirectional overrides: shown as escapes, so a message cannot start a new
# log line, hide text or reorder what the operator reads.
_ESCAPES: dict[int, str] = {
    code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))
}
_ESCAPES.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
_ESCAPES.update(
    {
        code: f"\\u{code:04x}"
        for code in (0x200E, 0x200F, *range(0x2028, 0x202F), *range(0x2066, 0x206A), 0xFEFF)
    }
)


def server_text(text: str, *, limit: int = _SERVER_TEXT_MAX, secrets: tuple[str, ...] = ()) -> str:
    """What a server said, made safe to show and log: ``secrets`` and tokens masked, at
    most ``limit`` characters (the rest counted, not kept), control characters and
    lone surrogates escaped. A 1 MB message froze the error dialog for 19 s, and a
    newline in one could forge a log line."""
    longest = max((len(secret) for secret in secrets), default=0)
    head = redact(text[: limit + max(longest, 256)], secrets)
    cut = head[:limit]
    more = len(text) - limit if len(text) > limit else 0
    cleaned = cut.translate(_ESCAPES).encode("utf-8", "backslashreplace").decode("utf-8")
    return f"{cleaned} … ({more} more characters)" if more else cleaned


def _backoff(policy: RetryPolicy, failures: int) -> float:
    """The wait before retry number ``failures`` (stamina's formula, with jitter)."""
    jitter = random.uniform(0, policy.wait_jitter) if policy.wait_jitter else 0.0
    try:
        wait = policy.wait_initial * policy.wait_exp_base ** (failures - 1) + jitter
    except OverflowError:
        return policy.wait_max
    return min(policy.wait_max, wait)


def _stamina_testing() -> bool:
    is_testing = getattr(stamina, "is_testing", None)
    return bool(is_testing()) if callable(is_testing) else False


def _size(limit: int) -> str:
    return f"{limit / (1024 * 1024):.0f} MB" if limit >= 1024 * 1024 else f"{limit} bytes"


def parse_retry_after(
    value: str | None, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
) -> float | None:
    """Parse ``Retry-After``: delay seconds or an HTTP-date; ``None`` when absent or invalid."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - now()).total_seconds())


# --------------------------------------------------------------------------
# Envelopes
# --------------------------------------------------------------------------

_NOT_JSON = object()


@dataclass(frozen=True, slots=True)
class _Envelope:
    """What differs between Coze and MiniMax responses."""

    service: str
    request_id_header: str

    def request_id(self, body: object) -> str | None:
        raise NotImplementedError

    def status(self, body: Mapping[str, object], *, strict: bool) -> tuple[int | None, str]:
        """Return (code, message); with ``strict``, a missing/invalid code raises."""
        raise NotImplementedError

    def payload(self, body: Mapping[str, object]) -> object:
        raise NotImplementedError


def _message(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _code(value: object, what: str, *, strict: bool) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if strict:
        raise ResponseShapeError(f"the envelope's {what} is missing or not an integer")
    return None


@dataclass(frozen=True, slots=True)
class _CozeEnvelope(_Envelope):
    """``{"code", "msg", "data", "detail": {"logid"}}``."""

    def request_id(self, body: object) -> str | None:
        if isinstance(body, dict):
            detail = body.get("detail")
            if isinstance(detail, dict):
                logid = detail.get("logid")
                if isinstance(logid, str) and logid:
                    return logid
        return None

    def status(self, body: Mapping[str, object], *, strict: bool) -> tuple[int | None, str]:
        return _code(body.get("code"), "code", strict=strict), _message(body.get("msg"))

    def payload(self, body: Mapping[str, object]) -> object:
        return body.get("data")


@dataclass(frozen=True, slots=True)
class _MiniMaxEnvelope(_Envelope):
    """``{..., "base_resp": {"status_code", "status_msg"}}``; the whole body is the payload."""

    def request_id(self, body: object) -> str | None:
        if isinstance(body, dict):
            trace = body.get("trace_id")
            if isinstance(trace, str) and trace:
                return trace
        return None

    def status(self, body: Mapping[str, object], *, strict: bool) -> tuple[int | None, str]:
        base = body.get("base_resp")
        if not isinstance(base, dict):
            if strict:
                raise ResponseShapeError("base_resp is missing or not an object")
            return None, ""
        return (
            _code(base.get("status_code"), "status_code", strict=strict),
            _message(base.get("status_msg")),
        )

    def payload(self, body: Mapping[str, object]) -> object:
        return body


COZE_ENVELOPE: _Envelope = _CozeEnvelope("coze", "x-tt-logid")
MINIMAX_ENVELOPE: _Envelope = _MiniMaxEnvelope("minimax", "trace-id")

_RAW = object()  # parse marker: return the body bytes (downloads)


def _describe_non_json(response: httpx.Response, body: bytes) -> str:
    head = body[:256].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        kind = "an HTML page"
    elif not body:
        kind = "an empty body"
    else:
        kind = "a body that is not valid JSON"
    reason = server_text(response.reason_phrase or "", limit=80)
    return f"HTTP {response.status_code} {reason}".rstrip() + f" with {kind}"


# --------------------------------------------------------------------------
# Transport failures
# --------------------------------------------------------------------------


def _looks_like_tls(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError):
            return True
        text = str(current).upper()
        if "SSL" in text or "CERTIFICATE" in text or "TLS" in text:
            return True
        current = current.__cause__ or current.__context__
    return False


def _network_error(exc: BaseException, **ctx: Any) -> ApiError:
    """Map an httpx/OS transport exception to our error classes."""
    if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        return NetworkTimeoutError(request_sent=False, **ctx)
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return NetworkTimeoutError(request_sent=True, **ctx)
    if isinstance(exc, ssl.SSLError) or (
        isinstance(exc, httpx.ConnectError) and _looks_like_tls(exc)
    ):
        return TlsError(request_sent=False, **ctx)
    if isinstance(
        exc,
        httpx.ConnectError
        | httpx.ProxyError
        | httpx.UnsupportedProtocol
        | httpx.LocalProtocolError
        | ConnectionRefusedError,
    ):
        return ConnectionFailedError(request_sent=False, **ctx)
    if isinstance(
        exc,
        httpx.ReadError
        | httpx.WriteError
        | httpx.RemoteProtocolError
        | httpx.CloseError
        | ConnectionError,
    ):
        return ConnectionLostError(request_sent=True, **ctx)
    if isinstance(exc, httpx.DecodingError | httpx.TooManyRedirects):
        return ProtocolError(**ctx)
    return NetworkError(request_sent=True, **ctx)


_TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (httpx.HTTPError, ssl.SSLError, OSError)
# what can end an attempt before the whole body is in
_ATTEMPT_ERRORS: tuple[type[BaseException], ...] = (
    *_TRANSPORT_ERRORS,
    UploadCancelledError,
    BudgetExhaustedError,
    BodyTooLargeError,
    UndecodableBodyError,
)


# --------------------------------------------------------------------------
# The core
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _AttemptLog:
    endpoint: Endpoint
    path: str
    attempt: int
    started: float = field(default_factory=time.perf_counter)


class HttpCore:
    """One service's HTTP client: shared by :class:`CozeClient` and :class:`MiniMaxClient`.

    ``max_json_bytes`` and ``max_download_bytes`` cap response bodies (decoded);
    a larger one ends the call with :class:`~.errors.ResponseTooLargeError`.
    """

    max_json_bytes: int = 4 * 1024 * 1024
    max_download_bytes: int = MAX_AUDIO_BYTES + 1024 * 1024

    def __init__(
        self,
        *,
        envelope: _Envelope,
        token: str,
        base_url: str,
        transport: httpx.BaseTransport | None,
        timeouts: Timeouts | None,
        retry: RetryPolicy | None,
        max_attempts: int | None,
        observer: CallObserver | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        token = check_token(token)
        self._envelope = envelope
        self.service = envelope.service
        self._observer = observer
        # seconds this computer's clock is ahead of the service's, from the last answer's
        # ``Date`` (None before one came); within about a second (``Date`` is in seconds)
        self.clock_ahead: float | None = None
        self._secret = Secret(token)
        self.base_url = validate_base_url(base_url)
        self._base = httpx.URL(self.base_url)
        # who this client acts as, for state kept per account in memory: the base URL and
        # a hash of the token keyed by this process's random key (never the token)
        self.account_key = (
            self.base_url,
            hmac.new(_ACCOUNT_SALT, token.encode(), hashlib.sha256).hexdigest(),
        )
        self.timeouts = timeouts or Timeouts()
        policy = retry or RetryPolicy()
        if max_attempts is not None:
            policy = dataclasses.replace(policy, attempts=max_attempts)
        if (
            isinstance(policy.attempts, bool)
            or not isinstance(policy.attempts, int)
            or (policy.attempts < 1)
        ):
            raise LocalValidationError("max_attempts", "max_attempts must be at least 1.")
        self.retry = policy
        self._upload_timeout = self.timeouts.for_uploads()
        self._read_timeout = self.timeouts.for_reads()
        self._request_timeout = self.timeouts.for_requests()
        self._client = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            # (the certificates httpx would load, when made already: a job's own process)
            verify=tls if tls is not None else True,
            timeout=self._request_timeout,
            headers={
                "User-Agent": _USER_AGENT,
                "Accept": "application/json",
                # only what _guard.read_body decodes (httpx would also offer br/zstd
                # when those packages happen to be installed)
                "Accept-Encoding": _guard.ACCEPT_ENCODING,
            },
            follow_redirects=False,
        )
        # Sockets get the call's deadline and cancel (a no-op for WSGI/mock transports).
        self.guarded_pools = _guard.guard_client(self._client)
        # Our own records never carry the token, but a server may echo it in a
        # message: this filter masks it in everything logged under LOGGER_NAME.
        self._log_filter = RedactingFilter([self._secret.reveal()])
        _LOG.addFilter(self._log_filter)
        self._closed = False
        # The network streams this client opened (seen through httpcore's trace
        # extension), so that abort() can shut their sockets from another thread.
        self._streams: weakref.WeakSet[Any] = weakref.WeakSet()
        self._streams_lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------

    def close(self) -> None:
        """Abort the calls in flight, close the connection pool and detach the log
        filter (idempotent; may be called from any thread)."""
        if not self._closed:
            self._closed = True
            self.abort()
            self._client.close()
            _LOG.removeFilter(self._log_filter)

    def abort(self) -> None:
        """Shut down every connection this client has open (from any thread).

        A call blocked writing or waiting for its answer fails at once with a
        network error (a cancelled upload with :class:`UploadCancelledError`);
        calls after this open new connections. Does nothing for transports
        without sockets (in-process, mock).
        """
        with self._streams_lock:
            streams = list(self._streams)
        for stream in streams:
            sock = stream.get_extra_info("socket")
            if isinstance(sock, socket.socket):
                with contextlib.suppress(OSError):  # already closed
                    sock.shutdown(socket.SHUT_RDWR)

    def _trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpcore's trace hook: remember each network stream opened for this client."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            if stream is not None:
                with self._streams_lock:
                    self._streams.add(stream)

    def __repr__(self) -> str:
        return f"<HttpCore {self.service} {self.base_url} token={self._secret!r}>"

    # -- helpers --------------------------------------------------------

    def _auth(self) -> dict[str, str]:
        return {"Authorization": "Bearer " + self._secret.reveal()}

    def _scrub(self, text: str) -> str:
        return redact(text, (self._secret.reveal(),))

    def _said(self, text: str, limit: int = _SERVER_TEXT_MAX) -> str:
        """Server text (a message, an exception from the transport): masked, bounded, escaped."""
        return server_text(text, limit=limit, secrets=(self._secret.reveal(),))

    @staticmethod
    def _may_retry(exc: Exception, idempotent: bool) -> bool:
        if not isinstance(exc, ApiError) or not exc.retryable:
            return False
        return idempotent or (isinstance(exc, NetworkError) and not exc.request_sent)

    def retry_decision(
        self, idempotent: bool, budget: CallBudget | None = None
    ) -> Callable[[Exception], bool | float]:
        """The stamina backoff hook: False (give up), True (back off) or seconds to wait.

        With a ``budget`` the hook also gives up when the wait would pass the call's
        deadline, and waits itself (returning 0) when the call has a cancel token, so
        that a cancel ends the wait at once.
        """
        policy = self.retry
        cap = policy.retry_after_cap
        failures = 0

        def decide(exc: Exception) -> bool | float:
            nonlocal failures
            if self._closed:
                return False  # closing: no more attempts
            if not self._may_retry(exc, idempotent):
                return False
            assert isinstance(exc, ApiError)
            if budget is None:
                if exc.retry_after is not None:
                    return float(min(exc.retry_after, cap))
                return True
            failures += 1
            if budget.cancelled:
                return False
            if exc.retry_after is not None:
                wait = float(min(exc.retry_after, cap))
            else:
                wait = _backoff(policy, failures)
            if _stamina_testing():
                return wait  # stamina skips the wait itself
            if wait >= budget.remaining():
                return False  # no time left for another attempt: report this failure
            if budget.cancel is not None:
                budget.cancel.wait(wait)
                return False if budget.cancelled else 0.0
            return wait

        return decide

    def _attempts(
        self, idempotent: bool, budget: CallBudget | None = None
    ) -> Iterator[stamina.Attempt]:
        policy = self.retry
        return iter(
            stamina.retry_context(
                on=self.retry_decision(idempotent, budget),
                attempts=policy.attempts,
                timeout=policy.total_timeout,
                wait_initial=policy.wait_initial,
                wait_max=policy.wait_max,
                wait_jitter=policy.wait_jitter,
                wait_exp_base=policy.wait_exp_base,
            )
        )

    def _budget(self, seconds: float, cancel: CancelToken | None) -> CallBudget:
        return CallBudget(seconds, cancel)

    # -- public entry points ---------------------------------------------

    def call(
        self,
        endpoint: Endpoint,
        parse: Callable[[object], T],
        *,
        path_params: Mapping[str, str] | None = None,
        params: Mapping[str, str | int] | None = None,
        json_body: Mapping[str, object] | None = None,
        upload: Upload | None = None,
        cancel: CancelToken | None = None,
    ) -> T:
        """Run one API call with retries; return ``parse(payload)``.

        The whole call, retries included, ends by the deadline of its kind
        (:class:`Timeouts`); ``cancel`` (or the upload's token) ends it at once.
        """
        path = endpoint.path.format_map(path_params) if path_params else endpoint.path
        if cancel is None and upload is not None:
            cancel = upload.cancel
        if cancel is None and endpoint.method == "GET":
            cancel = ambient_cancel()  # a read ends with its view's Stop (see cancel_scope)
        has_audio = upload is not None and upload.audio is not None
        seconds = self.timeouts.upload_deadline if has_audio else self.timeouts.deadline
        budget = self._budget(seconds, cancel)

        def once(attempt: int) -> T:
            try:
                return self._once(
                    endpoint,
                    path,
                    parse,
                    params=params,
                    json_body=json_body,
                    upload=upload,
                    attempt=attempt,
                    budget=budget,
                )
            except ApiError as error:
                if attempt > 1 and endpoint.gone_on_retry_is_done and means_gone(error):
                    # An earlier attempt deleted it; only its answer was lost.
                    return parse(None)
                raise

        with budget.activate(), self._cancel_wins(endpoint, budget):
            return self._with_retries(endpoint, budget, once)

    def _with_retries(self, endpoint: Endpoint, budget: CallBudget, once: Callable[[int], T]) -> T:
        """``once(attempt number)``, run again as the retry policy allows.

        The first attempt runs outside stamina, so a call that succeeds (the common case)
        pays nothing for the retry machinery.
        """
        try:
            return once(1)
        except ApiError as error:
            if self.retry.attempts == 1 or not self._may_retry(error, endpoint.idempotent):
                raise
            first_failure: list[ApiError] = [error]
            reached = _may_have_acted(error)
        try:
            for attempt in self._attempts(endpoint.idempotent, budget):
                with attempt:
                    if first_failure:
                        # Replay attempt 1's failure so stamina computes the backoff for it.
                        raise first_failure.pop()
                    try:
                        return once(attempt.num)
                    except ApiError as error:
                        reached = reached or _may_have_acted(error)
                        raise
        except (NetworkError, UploadCancelledError) as error:
            # the call ends with its last attempt's error; when an earlier attempt may
            # have been carried out (sent, no answer), so may the call: a delete whose
            # last retry could not connect is not "surely not carried out"
            if reached and not error.request_sent:
                error.request_sent = True
            raise
        raise AssertionError("unreachable")  # pragma: no cover

    @contextlib.contextmanager
    def _cancel_wins(self, endpoint: Endpoint, budget: CallBudget) -> Iterator[None]:
        """A call cancelled while it waited to retry reports the cancel, not the failure."""
        try:
            yield
        except ApiError as error:
            if budget.cancelled and not isinstance(error, UploadCancelledError):
                raise self._failure(error, endpoint, budget, None) from None
            raise

    def download(self, url: str, *, cancel: CancelToken | None = None) -> bytes:
        """GET ``url`` (absolute, or relative to the base URL) and return the body.

        The Authorization header goes only to the base URL's own origin
        (scheme, host and port); redirects elsewhere drop it. The body is capped at
        ``max_download_bytes`` and the call at ``Timeouts.download_deadline``.
        """
        endpoint = Endpoint("GET", "<download>", idempotent=True, counted=False)
        if not isinstance(url, str) or not url.strip():
            raise LocalValidationError(
                "url", QT_TRANSLATE_NOOP("ApiErrors", "There is no audio address to download.")
            )
        try:
            target = self._base.join(url.strip())
        except (httpx.InvalidURL, ValueError):
            raise LocalValidationError(
                "url", QT_TRANSLATE_NOOP("ApiErrors", "The audio address is not a valid URL.")
            ) from None
        if target.scheme not in ("http", "https") or not target.host:
            raise LocalValidationError(
                "url", QT_TRANSLATE_NOOP("ApiErrors", "The audio address must be an http(s) URL.")
            )
        if cancel is None:
            cancel = ambient_cancel()
        budget = self._budget(self.timeouts.download_deadline, cancel)
        with budget.activate(), self._cancel_wins(endpoint, budget):
            return self._with_retries(
                endpoint,
                budget,
                lambda attempt: self._download_once(endpoint, target, attempt, budget),
            )

    # -- one attempt -------------------------------------------------------

    def _ctx(self, endpoint: Endpoint) -> dict[str, Any]:
        return {"service": self.service, "endpoint": endpoint.name}

    def _send(
        self,
        endpoint: Endpoint,
        path: str,
        params: Mapping[str, str | int] | None,
        json_body: Mapping[str, object] | None,
        upload: Upload | None,
        *,
        budget: CallBudget,
    ) -> httpx.Response:
        """Send the request and return the response with its body not read yet."""
        client = self._client
        if upload is None:
            timeout = self._read_timeout if endpoint.method == "GET" else self._request_timeout
            request = client.build_request(
                endpoint.method,
                path,
                params=params,
                json=json_body,
                headers=self._auth(),
                timeout=budget.httpx_timeout(timeout),
                extensions={"trace": self._trace},
            )
            self._count_sent(endpoint)
            return client.send(request, stream=True)
        if upload.cancel is not None and upload.cancel.cancelled:
            raise UploadCancelledError(**self._ctx(endpoint))
        timeout = budget.httpx_timeout(self._upload_timeout)
        if upload.audio is None:
            content, content_type = _encode_form_fields(upload.fields)
            headers = self._auth()
            headers["Content-Type"] = content_type
            request = client.build_request(
                endpoint.method,
                path,
                content=content,
                headers=headers,
                timeout=timeout,
                extensions={"trace": self._trace},
            )
            self._count_sent(endpoint)
            return client.send(request, stream=True)
        audio = upload.audio
        try:
            handle = audio.path.open("rb")
        except OSError:
            raise LocalValidationError(
                "audio",
                QT_TRANSLATE_NOOP("ApiErrors", "The file “{name}” cannot be read."),
                values={"name": audio.path.name},
                **self._ctx(endpoint),
            ) from None
        with handle:
            total = os.fstat(handle.fileno()).st_size
            if total == 0 or total > MAX_AUDIO_BYTES:
                raise LocalValidationError(
                    "audio",
                    QT_TRANSLATE_NOOP(
                        "ApiErrors",
                        "The audio file changed on disk and is now empty or larger than 4 MB.",
                    ),
                    **self._ctx(endpoint),
                )
            reader = ProgressReader(handle, total, upload.progress, upload.cancel)
            files = {"file": (audio.path.name, cast(IO[bytes], reader), audio.content_type)}
            request = client.build_request(
                endpoint.method,
                path,
                data=upload.fields,
                files=files,
                headers=self._auth(),
                timeout=timeout,
                extensions={"trace": self._trace},
            )
            # HTTP/1.1: the whole body is sent before the response head is read
            self._count_sent(endpoint)
            return client.send(request, stream=True)

    def _attempt_failed(
        self,
        exc: BaseException,
        endpoint: Endpoint,
        budget: CallBudget,
        response: httpx.Response | None,
        log: _AttemptLog,
    ) -> ApiError:
        """Close the response, count and log the failed attempt; return its error."""
        if response is not None:
            response.close()
        error = self._failure(exc, endpoint, budget, response)
        self._uncount_unsent(endpoint, error, exc)
        self._log_failure(log, response, error)
        return error

    def _failure(
        self,
        exc: BaseException,
        endpoint: Endpoint,
        budget: CallBudget,
        response: httpx.Response | None,
    ) -> ApiError:
        """The error for an attempt that did not get a whole body."""
        ctx = self._ctx(endpoint)
        if response is not None:
            ctx["http_status"] = response.status_code
            rid = response.headers.get(self._envelope.request_id_header)
            ctx["request_id"] = self._said(rid, _REQUEST_ID_MAX) if rid else None
        # What the budget says wins: a cancel or the deadline shows up below as a
        # timeout or a broken connection.
        if budget.cancelled or isinstance(exc, UploadCancelledError):
            # Sent or not, as far as the client knows: before the whole file went out the
            # server cannot have the complete request; after it, the create may be done.
            sent = budget.cancel is not None and budget.cancel.body_sent
            return UploadCancelledError(
                message_key="upload_cancelled" if endpoint.method != "GET" else "cancelled",
                request_sent=sent,
                **ctx,
            )
        if budget.expired:
            sent = not isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
            return DeadlineExceededError(
                request_sent=sent,
                server_message=f"no complete answer within {budget.seconds:g} s",
                detail={"seconds": f"{budget.seconds:g}"},
                **ctx,
            )
        if isinstance(exc, BodyTooLargeError):
            return ResponseTooLargeError(
                server_message=str(exc), detail={"limit": _size(exc.limit)}, **ctx
            )
        if isinstance(exc, UndecodableBodyError):
            return ProtocolError(server_message=str(exc), **ctx)
        return _network_error(exc, server_message=self._said(str(exc)), **ctx)

    def _once(
        self,
        endpoint: Endpoint,
        path: str,
        parse: Callable[[object], T],
        *,
        params: Mapping[str, str | int] | None,
        json_body: Mapping[str, object] | None,
        upload: Upload | None,
        attempt: int,
        budget: CallBudget,
    ) -> T:
        log = _AttemptLog(endpoint, path, attempt)
        response: httpx.Response | None = None
        _SENT.counted = False  # (set once this attempt is counted, as it is sent)
        try:
            budget.check()
            response = self._send(endpoint, path, params, json_body, upload, budget=budget)
            body = _guard.read_body(response, self.max_json_bytes, budget)
        except LocalValidationError:
            raise
        except _ATTEMPT_ERRORS as exc:
            raise self._attempt_failed(exc, endpoint, budget, response, log) from None
        try:
            result, request_id = self._decode(endpoint, response, body, parse)
        except ApiError as error:
            self._log_failure(log, response, error)
            raise
        self._log_success(log, response, request_id)
        return result

    def _get_following_redirects(
        self, url: httpx.URL, budget: CallBudget, max_redirects: int = 5
    ) -> httpx.Response:
        """GET ``url`` following redirects by hand: httpx reads a redirect's whole body
        (uncapped), and the Authorization header must only go to the base URL's origin."""
        for _ in range(max_redirects + 1):
            same_origin = (
                url.scheme == self._base.scheme
                and url.host == self._base.host
                and url.port == self._base.port
            )
            headers = self._auth() if same_origin else {}
            headers["Accept"] = "*/*"
            request = self._client.build_request(
                "GET",
                url,
                headers=headers,
                timeout=budget.httpx_timeout(self._request_timeout),
                extensions={"trace": self._trace},
            )
            response = self._client.send(request, stream=True)
            location = response.headers.get("location")
            if not (response.is_redirect and location):
                return response
            response.close()
            try:
                url = url.join(location)
            except (httpx.InvalidURL, ValueError):
                raise httpx.RemoteProtocolError("invalid redirect location") from None
            if url.scheme not in ("http", "https"):
                raise httpx.RemoteProtocolError("redirect to a non-http(s) address")
        raise httpx.TooManyRedirects("too many redirects")

    def _download_once(
        self, endpoint: Endpoint, url: httpx.URL, attempt: int, budget: CallBudget
    ) -> bytes:
        log = _AttemptLog(endpoint, url.path, attempt)
        response: httpx.Response | None = None
        _SENT.counted = False
        try:
            budget.check()
            response = self._get_following_redirects(url, budget)
            body = _guard.read_body(response, self.max_download_bytes, budget)
        except _ATTEMPT_ERRORS as exc:
            raise self._attempt_failed(exc, endpoint, budget, response, log) from None
        try:
            if response.is_success and not response.headers.get("content-type", "").startswith(
                "application/json"
            ):
                result = body
                rid = response.headers.get(self._envelope.request_id_header)
                request_id = self._said(rid, _REQUEST_ID_MAX) if rid else None
            else:
                result, request_id = self._decode(endpoint, response, body, _raw_content(body))
        except ApiError as error:
            self._log_failure(log, response, error)
            raise
        self._log_success(log, response, request_id)
        return result

    # -- the service's clock ---------------------------------------------------

    def _note_server_clock(self, response: httpx.Response) -> None:
        """Note how far this computer's clock is ahead of the service's, from an answer's
        ``Date`` (whole seconds; its time is taken when the answer arrived)."""
        value = response.headers.get("date")
        if not value:
            return
        try:
            served = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return
        if served.tzinfo is None:
            return
        self.clock_ahead = time.time() - served.timestamp()

    # -- decoding ------------------------------------------------------------

    def _decode(
        self,
        endpoint: Endpoint,
        response: httpx.Response,
        content: bytes,
        parse: Callable[[object], T],
    ) -> tuple[T, str | None]:
        env = self._envelope
        status = response.status_code
        self._note_server_clock(response)
        header_rid = response.headers.get(env.request_id_header) or None
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        body: object
        try:
            body = _loads(content) if content else _NOT_JSON
        except (ValueError, RecursionError):
            body = _NOT_JSON
        raw_rid = env.request_id(body) or header_rid
        request_id = self._said(raw_rid, _REQUEST_ID_MAX) if raw_rid else None
        ctx: dict[str, Any] = {
            "service": self.service,
            "endpoint": endpoint.name,
            "http_status": status,
            "request_id": request_id,
            "retry_after": retry_after,
        }
        if isinstance(body, dict) and self.service == "coze":
            oauth = error_for_oauth_body(body, **ctx)
            if oauth is not None:
                oauth.server_message = self._scrub(oauth.server_message)
                oauth.rekey(oauth.message_key)
                raise oauth
        if not 200 <= status < 300:
            code: int | None = None
            message = ""
            if isinstance(body, dict):
                code, message = env.status(body, strict=False)
            message = self._said(message)
            if code and status >= 400 and self._known_code(code):
                raise error_for_code(code, server_message=message, **ctx)
            if status >= 400:
                raise error_for_http_status(
                    code=code or None,
                    server_message=message or _describe_non_json(response, content),
                    **ctx,
                )
            raise ProtocolError(server_message=f"unexpected HTTP {status} response", **ctx)
        if body is _NOT_JSON:
            raise ProtocolError(server_message=_describe_non_json(response, content), **ctx)
        if not isinstance(body, dict):
            raise ProtocolError(
                server_message=f"the response is a JSON {type(body).__name__}, not an object",
                **ctx,
            )
        try:
            code, message = env.status(body, strict=True)
            if code != 0:
                raise error_for_code(cast(int, code), server_message=self._said(message), **ctx)
            return parse(env.payload(body)), request_id
        except ApiError:
            raise
        except (ResponseShapeError, TypeError, ValueError, KeyError, AttributeError) as exc:
            raise ProtocolError(server_message=self._said(str(exc)), **ctx) from exc
        except RecursionError:
            raise ProtocolError(server_message="the response is nested too deeply", **ctx) from None

    def _count_sent(self, endpoint: Endpoint) -> None:
        """Tell the observer about an attempt as it is sent (before its answer: an app
        killed while it waits has counted it, as the service has)."""
        if self._observer is None or not endpoint.counted:
            return
        _SENT.counted = True
        self._observer.on_attempt(self.service, endpoint.name)

    def _uncount_unsent(self, endpoint: Endpoint, error: ApiError, exc: BaseException) -> None:
        """An attempt counted as it was sent that provably never left (its connection could
        not be opened): the observer takes it back."""
        counted = getattr(_SENT, "counted", False)
        _SENT.counted = False
        if self._observer is None or not counted or not endpoint.counted:
            return
        if isinstance(error, (NetworkError, UploadCancelledError)) and not error.request_sent:
            take_back = getattr(self._observer, "on_unsent", None)
            if take_back is not None:
                take_back(self.service, endpoint.name)

    def _known_code(self, code: int) -> bool:
        return code in (COZE_CODES if self.service == "coze" else MINIMAX_CODES)

    # -- logging -------------------------------------------------------------

    def _log_success(
        self, log: _AttemptLog, response: httpx.Response, request_id: str | None
    ) -> None:
        if not _LOG.isEnabledFor(logging.INFO):
            return
        ms = (time.perf_counter() - log.started) * 1000.0
        _LOG.info(
            "%s %s %s -> HTTP %s code 0 request_id=%s %.1f ms attempt %d",
            self.service,
            log.endpoint.method,
            log.path,
            response.status_code,
            request_id,
            ms,
            log.attempt,
            extra={
                "api_service": self.service,
                "api_method": log.endpoint.method,
                "api_path": log.path,
                "api_endpoint": log.endpoint.name,
                "api_status": response.status_code,
                "api_code": 0,
                "api_request_id": request_id,
                "api_duration_ms": ms,
                "api_attempt": log.attempt,
            },
        )

    def _log_failure(
        self, log: _AttemptLog, response: httpx.Response | None, error: ApiError
    ) -> None:
        if self._observer is not None:
            self._observer.on_failure(error)
        if not _LOG.isEnabledFor(logging.WARNING):
            return
        ms = (time.perf_counter() - log.started) * 1000.0
        status = response.status_code if response is not None else None
        _LOG.warning(
            "%s %s %s -> HTTP %s code %s request_id=%s %.1f ms attempt %d failed: %s: %s",
            self.service,
            log.endpoint.method,
            log.path,
            status,
            error.code,
            error.request_id,
            ms,
            log.attempt,
            type(error).__name__,
            error.server_message,
            extra={
                "api_service": self.service,
                "api_method": log.endpoint.method,
                "api_path": log.path,
                "api_endpoint": log.endpoint.name,
                "api_status": status,
                "api_code": error.code,
                "api_request_id": error.request_id,
                "api_duration_ms": ms,
                "api_attempt": log.attempt,
                "api_error": type(error).__name__,
            },
        )


def _raw_content(content: bytes) -> Callable[[object], bytes]:
    """Parser for a JSON download body that carried ``code == 0``: return the bytes."""

    def parse(_payload: object) -> bytes:
        return content

    return parse


def _encode_form_fields(fields: Mapping[str, str]) -> tuple[bytes, str]:
    """A multipart/form-data body with text fields only (httpx would send urlencoded)."""
    boundary = os.urandom(16).hex()
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode("utf-8")
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


C = TypeVar("C", bound="ServiceClient")


class ServiceClient:
    """What the Coze and MiniMax clients share: one :class:`HttpCore`, its lifecycle.

    Subclasses set :attr:`envelope` and add the service's calls.
    """

    envelope: ClassVar[_Envelope]

    def __init__(
        self,
        token: str,
        base_url: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeouts: Timeouts | None = None,
        max_attempts: int | None = None,
        retry: RetryPolicy | None = None,
        observer: CallObserver | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._http = HttpCore(
            envelope=self.envelope,
            token=token,
            base_url=base_url,
            transport=transport,
            timeouts=timeouts,
            retry=retry,
            max_attempts=max_attempts,
            observer=observer,
            tls=tls,
        )

    @property
    def base_url(self) -> str:
        """The validated base URL (no trailing slash)."""
        return self._http.base_url

    @property
    def clock_ahead(self) -> float | None:
        """Seconds this computer's clock is ahead of the service's (negative: behind), as
        the last answer's ``Date`` said, within about a second; None before an answer."""
        return self._http.clock_ahead

    @property
    def account_key(self) -> tuple[str, str]:
        """Who this client acts as, to key state kept per account in memory (the pace of
        creates): the base URL and an HMAC of the token under a key random to this process
        -- never the token, and not to be written anywhere."""
        return self._http.account_key

    def close(self) -> None:
        """Release the connection pool."""
        self._http.close()

    def __enter__(self: C) -> C:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.base_url} token=***>"
