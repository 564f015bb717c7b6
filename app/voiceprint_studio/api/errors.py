"""One error hierarchy for the Coze and MiniMax clients.

Every failure a client call can produce is an :class:`ApiError` subclass that
carries where it happened (``service``, ``endpoint`` as a path template such as
``"GET /v1/audio/voiceprint_groups"``), what the server said (``http_status``,
``code``, ``server_message``, ``request_id``, ``retry_after``) and what to tell
the operator (``user_message`` and ``next_step``).

The operator-facing wording lives in one table, :data:`MESSAGES`, keyed by a
``message_key`` (``"authentication.coze"``, ``"file_rejected.4302"`` ...). The
UI translates by that key later; the English text here is the source.

The code tables (:data:`COZE_CODES`, :data:`MINIMAX_CODES`) and the per-endpoint
permission table (:data:`COZE_PERMISSIONS`) are also kept here so that all the
knowledge about failures sits in one module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

__all__ = [
    "COZE_CODES",
    "COZE_PERMISSIONS",
    "MESSAGES",
    "MINIMAX_CODES",
    "ApiError",
    "AuthenticationError",
    "ConnectionFailedError",
    "ConnectionLostError",
    "DeadlineExceededError",
    "FeatureUnavailableError",
    "FileRejectedError",
    "InsufficientBalanceError",
    "InvalidRequestError",
    "LocalValidationError",
    "NetworkError",
    "NetworkTimeoutError",
    "NotFoundError",
    "NotOfferedError",
    "PermissionDeniedError",
    "PlanLimitError",
    "ProtocolError",
    "ResponseTooLargeError",
    "RiskControlError",
    "ServerError",
    "StorageFullError",
    "ThrottledError",
    "TlsError",
    "UploadCancelledError",
    "error_for_code",
    "error_for_http_status",
    "error_for_oauth_body",
    "means_gone",
    "shown_server_message",
]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark ``text`` for Qt's translation tools; returns it unchanged (no Qt here)."""
    return text


# --------------------------------------------------------------------------
# The wording table: message_key -> (user_message, next_step).
# Placeholders: {msg} (server message or local detail), {request_id},
# {permission}, {field}.
# --------------------------------------------------------------------------

MESSAGES: dict[str, tuple[str, str]] = {
    "unknown": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The server reported an error: {msg}",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "If it keeps happening, contact support and quote request id {request_id}.",
        ),
    ),
    "authentication.coze": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Coze rejected the access token: it is wrong or has expired, or it "
            "was created on the other Coze site (coze.cn and coze.com tokens are "
            "different).",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Paste the token again or create a new one on the Coze website, and "
            "choose the connection that matches the site the token came from.",
        ),
    ),
    "authentication.coze_expired": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Coze rejected the access token. It was saved {days} days ago and Coze "
            "tokens last at most 30 days, so it has probably expired.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Create a new token on the Coze website and paste it in Connection > Token….",
        ),
    ),
    "authentication.oauth": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The service rejected the sign-in: {msg}",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Paste the token again or create a new one, then try again.",
        ),
    ),
    "authentication.minimax": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "MiniMax rejected the API key. China keys only work on "
            "api.minimaxi.com and international keys only on api.minimax.io.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Check the key, and pick the server that matches the region the key came from.",
        ),
    ),
    "permission_denied": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Coze refused this action (code 4101). Coze gives this answer for three "
            'different reasons: the access token lacks the "{permission}" permission; the '
            "token is wrong; or the group or voiceprint belongs to another workspace or was "
            "created by someone else. Coze said: {msg}",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            'Check each in turn: enable "{permission}" on the token on the Coze website; '
            "paste the token again (or create a new one); and make sure the item was "
            "created by this account, in this token's workspace.",
        ),
    ),
    "permission_denied.unknown": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The service refused this action. Possible reasons: the access token lacks a "
            "permission this action needs; the token is wrong; or the item belongs to "
            "another workspace or was created by someone else. The service said: {msg}",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Check the token's permissions on the service's website, paste the token "
            "again, and make sure the item was created by this account.",
        ),
    ),
    "permission_denied.voice": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "This API key has no access to that voice.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Check that the voice belongs to the account the key comes from.",
        ),
    ),
    "risk_control": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Coze blocked this request for security reasons (risk control).",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Contact Coze support and quote request id {request_id}.",
        ),
    ),
    "not_found": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The group or voiceprint no longer exists.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Refresh the list; someone may have deleted it.",
        ),
    ),
    "not_offered": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The server at this address does not offer this function (HTTP 404 without "
            "the service's answer): {msg}",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Check the connection: Coze's voiceprint functions are documented for Coze "
            "China (api.coze.cn) only, and a custom server address may be wrong.",
        ),
    ),
    "invalid_request": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The server rejected the request: {msg}",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Check the values you entered and try again.",
        ),
    ),
    "invalid_request.voice_id": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The voice id is not valid: {msg}",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Refresh the voice list and pick the voice again.",
        ),
    ),
    "file_rejected.4300": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The server received no audio: the file was empty or not sent as a form upload.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Pick a non-empty wav or pcm file and try again.",
        ),
    ),
    "file_rejected.4301": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The server received more than one file; it accepts exactly one.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Upload a single audio file.",
        ),
    ),
    "file_rejected.4302": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The audio file is too large; the limit is 4 MB.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Use a shorter recording (a clip of 10 to 30 seconds is enough).",
        ),
    ),
    "file_rejected.4303": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The file type is not supported; only wav and pcm are accepted.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Convert the recording to wav or to pcm (16 kHz, mono, 16-bit).",
        ),
    ),
    "file_rejected.4304": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The server could not read the audio file.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Check that the file plays, re-record or convert it, and try again.",
        ),
    ),
    "throttled": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Too many requests right now; the server asked us to slow down.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Wait a moment and try again.",
        ),
    ),
    "throttled.daily_cap": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Your account has reached its daily cap for this kind of request.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Try again tomorrow.",
        ),
    ),
    "throttled.system": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The service is busy (system-wide request cap reached).",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Wait a few minutes and try again.",
        ),
    ),
    "server_error": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The server had an internal problem.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Try again later. If it keeps happening, contact support and quote "
            "request id {request_id}.",
        ),
    ),
    "insufficient_balance": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The MiniMax account has insufficient balance.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Top up the account on the MiniMax website, then try again.",
        ),
    ),
    "insufficient_balance.coze": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The Coze account's balance is too low for this call (code 4011). Speaker "
            "identification is billed per call.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Top up the account or change its plan on the Coze website, then try again.",
        ),
    ),
    "arrears.coze": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The Coze account is in arrears (code 4019): Coze refuses calls until the "
            "overdue amount is paid. Speaker identification is billed per call.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Pay the outstanding bill on the Coze website (billing page), then try again.",
        ),
    ),
    "plan_limit.minimax": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The MiniMax account has used up what its plan allows (code 2056).",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Upgrade the plan or wait for its allowance to renew (see the MiniMax "
            "website), then try again.",
        ),
    ),
    "plan_limit.minimax_tpm": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The MiniMax account reached its plan's limit on usage per minute (code 1039).",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Wait a minute and try again; if it happens often, upgrade the plan on the "
            "MiniMax website.",
        ),
    ),
    "network.timeout": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The server did not answer in time.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Check your internet connection and try again.",
        ),
    ),
    "network.connect": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Could not connect to the server.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Check your internet connection, and the server address in the Connection menu.",
        ),
    ),
    "network.reset": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The connection to the server broke off.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Try again; if it keeps happening, check your network or proxy.",
        ),
    ),
    "network.tls": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The secure connection to the server failed (certificate or TLS problem).",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Check the system clock, the server address and any proxy or "
            "antivirus that inspects HTTPS.",
        ),
    ),
    "network.other": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "A network problem stopped the request.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Check your internet connection and try again.",
        ),
    ),
    "protocol": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The server sent a response the app could not understand.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Try again later; if you use a custom server address, check that it is right.",
        ),
    ),
    "local_validation": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "{msg}",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Correct the value and try again.",
        ),
    ),
    "upload_cancelled": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The upload was cancelled.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Start the upload again when you are ready.",
        ),
    ),
    "feature_unavailable": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Speaker identification could not run in the offline workspace.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Its speaker model is missing or damaged (the details say which): install "
            "Voiceprint Studio again, or switch to a Coze workspace to identify speakers.",
        ),
    ),
    # -- limits the client puts on a call (deadline, cancel, response size) and the
    # offline workspace's full disk
    "network.deadline": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The server did not finish answering within {seconds} seconds, so the app "
            "stopped waiting.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Check your internet connection and try again. If you were saving or "
            "uploading, refresh the list first: the change may have arrived.",
        ),
    ),
    "protocol.too_large": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The server sent a much larger answer than expected (over {limit}), so the app "
            "stopped reading it.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Try again later; if you use a custom server address, check that it is right.",
        ),
    ),
    "cancelled": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The request was cancelled.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Start it again when you are ready.",
        ),
    ),
    "disk_full": (
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "The disk of the offline workspace is full, so nothing was saved.",
        ),
        QT_TRANSLATE_NOOP(
            "ApiErrors",
            "Free some disk space on this computer, then try again.",
        ),
    ),
}

# --------------------------------------------------------------------------
# Coze: the permission each endpoint needs (keyed by "METHOD /path/template").
# --------------------------------------------------------------------------

COZE_PERMISSIONS: dict[str, str] = {
    "POST /v1/audio/voiceprint_groups": "createVoiceprintGroup",
    "GET /v1/audio/voiceprint_groups": "listVoiceprintGroup",
    "PUT /v1/audio/voiceprint_groups/{group_id}": "updateVoiceprintGroup",
    "DELETE /v1/audio/voiceprint_groups/{group_id}": "deleteVoiceprintGroup",
    "POST /v1/audio/voiceprint_groups/{group_id}/features": "createVoiceprintFeature",
    "GET /v1/audio/voiceprint_groups/{group_id}/features": "listVoiceprintFeature",
    "PUT /v1/audio/voiceprint_groups/{group_id}/features/{feature_id}": ("updateVoiceprintFeature"),
    "DELETE /v1/audio/voiceprint_groups/{group_id}/features/{feature_id}": (
        "deleteVoiceprintFeature"
    ),
    "POST /v1/audio/voiceprint_groups/{group_id}/speaker_identify": ("identifyInVoiceprintGroup"),
}


# How much of a server's message an operator-facing sentence quotes (the full text
# stays in ``server_message`` for the details and the log).
SHOWN_MESSAGE_LIMIT = 300


def shown_server_message(text: str, limit: int = SHOWN_MESSAGE_LIMIT) -> str:
    """``text`` made safe to quote in a sentence: one line, control characters
    replaced, at most ``limit`` characters (an ellipsis marks a cut)."""
    cleaned = "".join(
        " " if (ch in "\r\n\t" or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0) else ch
        for ch in text[: limit * 2]
    ).strip()
    if len(cleaned) > limit or len(text) > limit * 2:
        return cleaned[: limit - 1].rstrip() + "…"
    return cleaned


class _Placeholders(dict[str, str]):
    """Fills placeholders; an unknown one (a translator's typo) stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class ApiError(Exception):
    """Base of every error the API clients raise.

    Attributes are plain data so the UI can show them and the log can keep
    them; ``str()`` is a one-line English summary that never contains a
    token (clients scrub the server message before building the error).
    """

    kind: ClassVar[str] = "unknown"
    default_key: ClassVar[str] = "unknown"
    _retryable: ClassVar[bool] = False

    def __init__(
        self,
        *,
        service: str = "",
        endpoint: str = "",
        http_status: int | None = None,
        code: int | None = None,
        server_message: str = "",
        request_id: str | None = None,
        retry_after: float | None = None,
        message_key: str | None = None,
        detail: Mapping[str, str] | None = None,
    ) -> None:
        self.service = service
        self.endpoint = endpoint
        self.http_status = http_status
        self.code = code
        self.server_message = server_message
        self.request_id = request_id
        self.retry_after = retry_after
        self.message_key = message_key or self.default_key
        self.detail: dict[str, str] = dict(detail or {})
        self.user_message, self.next_step = self._render()
        super().__init__(self.user_message)

    @property
    def retryable(self) -> bool:
        """Whether sending the same request again may succeed."""
        return self._retryable

    def _render(self) -> tuple[str, str]:
        return self.render()

    def render(self, translate: Callable[[str], str] = str) -> tuple[str, str]:
        """``(user_message, next_step)`` with the templates passed through ``translate``.

        The UI passes ``lambda s: QCoreApplication.translate("ApiErrors", s)``;
        the placeholders are filled after translation.
        """
        template = MESSAGES.get(self.message_key) or MESSAGES[self.default_key]
        values = _Placeholders(
            {
                "msg": shown_server_message(self.server_message) or "(no message)",
                "request_id": self.request_id or "(none)",
                "permission": "",
                "field": "",
            }
        )
        values.update(self.detail)
        return (
            translate(template[0]).format_map(values),
            translate(template[1]).format_map(values),
        )

    def rekey(self, message_key: str, **detail: str) -> None:
        """Say this failure with another entry of :data:`MESSAGES` (and more placeholders).

        Used where the caller knows more than the server said: a Coze 4100 for a
        token saved more than 30 days ago is "probably expired".
        """
        self.message_key = message_key
        self.detail.update(detail)
        self.user_message, self.next_step = self._render()
        self.args = (self.user_message,)

    def __str__(self) -> str:
        parts = [p for p in (self.service, self.endpoint) if p]
        if self.http_status is not None:
            parts.append(f"HTTP {self.http_status}")
        if self.code is not None:
            parts.append(f"code {self.code}")
        if self.request_id:
            parts.append(f"request id {self.request_id}")
        where = f" [{', '.join(parts)}]" if parts else ""
        said = f" Server said: {self.server_message}" if self.server_message else ""
        return f"{self.user_message}{where}{said}"

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only __init__: rebuild from the attributes (pickle, copy).
        return (_rebuild_error, (type(self), dict(self.__dict__)))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(service={self.service!r}, endpoint={self.endpoint!r}, "
            f"http_status={self.http_status!r}, code={self.code!r}, "
            f"request_id={self.request_id!r}, message_key={self.message_key!r})"
        )


def _rebuild_error(cls: type[ApiError], state: dict[str, object]) -> ApiError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    Exception.__init__(error, error.user_message)
    return error


class AuthenticationError(ApiError):
    """The token or API key is wrong, expired, or for the other region/site."""

    kind = "authentication"
    default_key = "authentication.coze"


class PermissionDeniedError(ApiError):
    """The token lacks the permission the endpoint needs (``permission``)."""

    kind = "permission_denied"
    default_key = "permission_denied"

    @property
    def permission(self) -> str | None:
        """The Coze permission name the endpoint needs, when known."""
        return self.detail.get("permission") or None


class RiskControlError(ApiError):
    """Coze blocked the call by risk control (4102)."""

    kind = "risk_control"
    default_key = "risk_control"


class NotFoundError(ApiError):
    """The group, voiceprint or voice does not exist (4200, or HTTP 404 with the service's JSON)."""

    kind = "not_found"
    default_key = "not_found"


class NotOfferedError(ApiError):
    """HTTP 404 that is not the service's JSON: nothing answers at that address.

    A route the site does not have (every public voiceprint source targets
    api.coze.cn; whether api.coze.com serves these endpoints is unknown), or a
    wrong custom server address. Not a :class:`NotFoundError`: the views must not
    read it as "the group no longer exists" and refresh.
    """

    kind = "not_offered"
    default_key = "not_offered"


class InvalidRequestError(ApiError):
    """The server rejected the parameters (4000, MiniMax 2013/20132)."""

    kind = "invalid_request"
    default_key = "invalid_request"


class FileRejectedError(ApiError):
    """The server rejected the uploaded audio (4300-4304)."""

    kind = "file_rejected"
    default_key = "file_rejected.4304"


class ThrottledError(ApiError):
    """Rate limited (HTTP 429, 4008/4009/4020, MiniMax 1002).

    ``daily_cap`` is true for Coze 4008, which is not worth retrying today.
    """

    kind = "throttled"
    default_key = "throttled"

    @property
    def daily_cap(self) -> bool:
        """True when the per-user daily cap is reached (retry tomorrow)."""
        return self.message_key == "throttled.daily_cap"

    @property
    def retryable(self) -> bool:
        """Throttling is retryable, except the daily cap."""
        return not self.daily_cap


class ServerError(ApiError):
    """The server failed (HTTP 5xx, 5000, MiniMax 1000/1001/1024/1033)."""

    kind = "server_error"
    default_key = "server_error"
    _retryable = True


class InsufficientBalanceError(ApiError):
    """The account cannot pay: MiniMax 1008, Coze 4011 (balance too low), 4019 (arrears).

    Not retried: waiting does not top up an account.
    """

    kind = "insufficient_balance"
    default_key = "insufficient_balance"


class PlanLimitError(ApiError):
    """The account's plan allows no more of this (MiniMax 2056, 1039).

    Not retried automatically: 2056 lasts until the plan renews; 1039 (a per-minute
    limit of the plan) is left to the operator, whose message says to wait a minute.
    """

    kind = "plan_limit"
    default_key = "plan_limit.minimax"


class FeatureUnavailableError(ApiError):
    """The embedded offline backend does not offer this feature (code 4900)."""

    kind = "feature_unavailable"
    default_key = "feature_unavailable"


class NetworkError(ApiError):
    """The request failed below HTTP: no answer, no connection, broken TLS.

    ``reason`` is one of ``"timeout"``, ``"connect"``, ``"reset"``, ``"tls"``,
    ``"other"``. ``request_sent`` is false only when the request provably
    never reached the server (connection could not be opened), which is the
    one case where a non-idempotent call may be retried.
    """

    kind = "network"
    default_key = "network.other"
    reason: ClassVar[str] = "other"
    _retryable = True

    def __init__(self, *, request_sent: bool = True, **kwargs: Any) -> None:
        self.request_sent = request_sent
        super().__init__(**kwargs)


class NetworkTimeoutError(NetworkError):
    """Connecting, sending or waiting for the answer took too long."""

    reason = "timeout"
    default_key = "network.timeout"


class ConnectionFailedError(NetworkError):
    """The connection could not be opened (refused, DNS failure, unreachable)."""

    reason = "connect"
    default_key = "network.connect"


class ConnectionLostError(NetworkError):
    """The connection broke off mid-request (reset, closed, protocol error)."""

    reason = "reset"
    default_key = "network.reset"


class TlsError(NetworkError):
    """The TLS handshake or certificate check failed; retrying will not help."""

    reason = "tls"
    default_key = "network.tls"
    _retryable = False


class DeadlineExceededError(NetworkTimeoutError):
    """The whole call (every attempt) took longer than its deadline; not retried.

    ``detail["seconds"]`` is the deadline.
    """

    default_key = "network.deadline"
    _retryable = False


class ProtocolError(ApiError):
    """The response was not what the contract promises.

    HTML instead of JSON, malformed or truncated JSON, a missing or invalid
    envelope, or fields of the wrong type.
    """

    kind = "protocol"
    default_key = "protocol"


class ResponseTooLargeError(ProtocolError):
    """The response body passed the client's cap (``detail["limit"]``, e.g. "4 MB")."""

    default_key = "protocol.too_large"


class StorageFullError(ApiError):
    """The offline workspace's disk is full (code 4901 of the embedded backend)."""

    kind = "disk_full"
    default_key = "disk_full"


class LocalValidationError(ApiError, ValueError):
    """An argument was invalid; raised before any request is made.

    ``field`` names the argument; ``str()``/``user_message`` say what is wrong.
    """

    kind = "local_validation"
    default_key = "local_validation"

    def __init__(
        self,
        field: str,
        message: str,
        *,
        service: str = "",
        endpoint: str = "",
        values: Mapping[str, str] | None = None,
    ) -> None:
        self.field = field
        # The message as written (a template when ``values`` fill its {placeholders}):
        # render() translates this, so a message marked with QT_TRANSLATE_NOOP("ApiErrors",
        # ...) where it is raised is shown in the UI language.
        self.template = message
        self.values = dict(values or {})
        super().__init__(
            service=service,
            endpoint=endpoint,
            server_message=message.format_map(_Placeholders(self.values)) if values else message,
            detail={"field": field},
        )

    def render(self, translate: Callable[[str], str] = str) -> tuple[str, str]:
        """``(message, next_step)``: the message itself translated, then filled."""
        message = translate(self.template)
        if self.values:
            message = message.format_map(_Placeholders(self.values))
        return message, translate(MESSAGES[self.default_key][1])

    def __str__(self) -> str:
        return f"{self.field}: {self.user_message}"


class UploadCancelledError(ApiError):
    """The operator cancelled an upload while it was being sent.

    ``request_sent`` is false when the cancel stopped the body before its end (the
    server cannot have the complete request, so nothing was created), true when the
    whole body had already gone out (the server may have saved it: check before
    sending it again).
    """

    kind = "upload_cancelled"
    default_key = "upload_cancelled"

    def __init__(self, *, request_sent: bool = False, **kwargs: Any) -> None:
        self.request_sent = request_sent
        super().__init__(**kwargs)


# --------------------------------------------------------------------------
# Code tables: code -> (error class, message key).
# --------------------------------------------------------------------------

COZE_CODES: dict[int, tuple[type[ApiError], str]] = {
    4000: (InvalidRequestError, "invalid_request"),
    4100: (AuthenticationError, "authentication.coze"),
    4101: (PermissionDeniedError, "permission_denied"),
    4102: (RiskControlError, "risk_control"),
    4200: (NotFoundError, "not_found"),
    4300: (FileRejectedError, "file_rejected.4300"),
    4301: (FileRejectedError, "file_rejected.4301"),
    4302: (FileRejectedError, "file_rejected.4302"),
    4303: (FileRejectedError, "file_rejected.4303"),
    4304: (FileRejectedError, "file_rejected.4304"),
    4008: (ThrottledError, "throttled.daily_cap"),
    4009: (ThrottledError, "throttled.system"),
    4020: (ThrottledError, "throttled"),
    # Not in the voiceprint docs' table; coze-js retries it as a rate limit.
    4013: (ThrottledError, "throttled"),
    # Billing (Coze's general error-code page); identify is billed.
    4011: (InsufficientBalanceError, "insufficient_balance.coze"),
    4019: (InsufficientBalanceError, "arrears.coze"),
    5000: (ServerError, "server_error"),
    # Not a Coze code: our embedded offline backend answers 4900 when speaker
    # identification cannot run (no engine, or its model file is missing or damaged).
    4900: (FeatureUnavailableError, "feature_unavailable"),
    # Not a Coze code either: the embedded backend's disk is full (HTTP 507).
    4901: (StorageFullError, "disk_full"),
}

MINIMAX_CODES: dict[int, tuple[type[ApiError], str]] = {
    1000: (ServerError, "server_error"),
    1001: (ServerError, "server_error"),
    1002: (ThrottledError, "throttled"),
    1004: (AuthenticationError, "authentication.minimax"),
    1008: (InsufficientBalanceError, "insufficient_balance"),
    1039: (PlanLimitError, "plan_limit.minimax_tpm"),
    1041: (ThrottledError, "throttled"),  # connection limit
    2045: (ThrottledError, "throttled"),  # request rate grew too fast
    2056: (PlanLimitError, "plan_limit.minimax"),
    1024: (ServerError, "server_error"),
    1033: (ServerError, "server_error"),
    2013: (InvalidRequestError, "invalid_request"),
    20132: (InvalidRequestError, "invalid_request.voice_id"),
    2042: (PermissionDeniedError, "permission_denied.voice"),
    2049: (AuthenticationError, "authentication.minimax"),
}


def _permission_detail(service: str, endpoint: str, key: str) -> tuple[str, dict[str, str]]:
    if key != "permission_denied":
        return key, {}
    permission = COZE_PERMISSIONS.get(endpoint) if service == "coze" else None
    if permission is None:
        return "permission_denied.unknown", {}
    return key, {"permission": permission}


def error_for_code(
    code: int,
    *,
    service: str,
    endpoint: str,
    http_status: int | None,
    server_message: str,
    request_id: str | None,
    retry_after: float | None,
) -> ApiError:
    """Build the error for a non-zero envelope code (Coze ``code`` or MiniMax ``status_code``).

    Codes not in the table give a generic :class:`ApiError` that shows the
    server's message and the request id verbatim.
    """
    table = COZE_CODES if service == "coze" else MINIMAX_CODES
    cls, key = table.get(code, (ApiError, "unknown"))
    key, detail = _permission_detail(service, endpoint, key)
    return cls(
        service=service,
        endpoint=endpoint,
        http_status=http_status,
        code=code,
        server_message=server_message,
        request_id=request_id,
        retry_after=retry_after,
        message_key=key,
        detail=detail,
    )


def error_for_http_status(
    *,
    http_status: int,
    service: str,
    endpoint: str,
    server_message: str,
    request_id: str | None,
    retry_after: float | None,
    code: int | None = None,
) -> ApiError:
    """Build the error for an HTTP-level failure (status >= 400) without a usable code."""
    status = http_status
    cls: type[ApiError]
    key: str
    if status == 401:
        cls = AuthenticationError
        key = "authentication.coze" if service == "coze" else "authentication.minimax"
    elif status == 403:
        cls, key = PermissionDeniedError, "permission_denied"
    elif status == 404 and code is None and not endpoint.endswith("<download>"):
        # No service JSON (no envelope code): nothing at this address serves the call.
        # (A download's 404 is the file being gone: "not found" below.)
        cls, key = NotOfferedError, "not_offered"
    elif status == 404:
        cls, key = NotFoundError, "not_found"
    elif status == 413:
        cls, key = FileRejectedError, "file_rejected.4302"
    elif status == 429:
        cls, key = ThrottledError, "throttled"
    elif status >= 500:
        cls, key = ServerError, "server_error"
    elif status == 400:
        cls, key = InvalidRequestError, "invalid_request"
    else:
        cls, key = ApiError, "unknown"
    key, detail = _permission_detail(service, endpoint, key)
    return cls(
        service=service,
        endpoint=endpoint,
        http_status=status,
        code=code,
        server_message=server_message or f"HTTP {status}",
        request_id=request_id,
        retry_after=retry_after,
        message_key=key,
        detail=detail,
    )


# --------------------------------------------------------------------------
# OAuth-style bodies: {"error_code": ..., "error_message": ...}
# --------------------------------------------------------------------------

# cozepy's CozePKCEAuthErrorType values and what they mean here.
_OAUTH_CODES: dict[str, tuple[type[ApiError], str]] = {
    "expired_token": (AuthenticationError, "authentication.oauth"),
    "access_denied": (AuthenticationError, "authentication.oauth"),
    "slow_down": (ThrottledError, "throttled"),
    "authorization_pending": (AuthenticationError, "authentication.oauth"),
}


def error_for_oauth_body(
    body: Mapping[str, object],
    *,
    service: str,
    endpoint: str,
    http_status: int | None,
    request_id: str | None,
    retry_after: float | None,
) -> ApiError | None:
    """The error an OAuth-style body stands for, or None when ``body`` is not one.

    Coze's auth layer answers ``{"error_code": ..., "error_message": ...}`` (no
    ``code``), sometimes with HTTP 200. Mapped like cozepy
    (``request._format_requests_code_msg``): a body with an envelope ``code`` is not
    one of these; an ``error_code`` of the OAuth kinds (``expired_token``,
    ``access_denied``, ``slow_down``, ``authorization_pending``) is a sign-in or
    throttling failure; an integer ``error_code`` is read like an envelope code; any
    other non-empty ``error_message`` is a failure that shows that message.
    """
    if "code" in body or ("error_code" not in body and "error_message" not in body):
        return None
    raw_code = body.get("error_code")
    raw_message = body.get("error_message")
    message = raw_message if isinstance(raw_message, str) else ""
    ctx: dict[str, Any] = {
        "service": service,
        "endpoint": endpoint,
        "http_status": http_status,
        "request_id": request_id,
        "retry_after": retry_after,
    }
    if isinstance(raw_code, int) and not isinstance(raw_code, bool) and raw_code != 0:
        return error_for_code(raw_code, server_message=message, **ctx)
    if isinstance(raw_code, str) and raw_code in _OAUTH_CODES:
        cls, key = _OAUTH_CODES[raw_code]
        return cls(server_message=message or raw_code, message_key=key, **ctx)
    if message:
        said = f"{raw_code}: {message}" if isinstance(raw_code, str) and raw_code else message
        return ApiError(server_message=said, message_key="unknown", **ctx)
    return None


def means_gone(error: ApiError) -> bool:
    """Whether ``error`` says the item does not exist (Coze 4200 or a service-JSON
    404; MiniMax 20132, invalid voice_id).

    A retried delete that gets this answer succeeded: its earlier attempt deleted
    the item and the answer to it was lost.
    """
    if isinstance(error, NotFoundError):
        return True
    return error.service == "minimax" and error.code == 20132


def not_carried_out(exc: BaseException) -> bool:
    """Whether a failed change (a delete, an update) surely changed nothing: the service
    answered with a refusal -- not "not found", which says it is gone already -- or the
    request never left. No answer, a gateway's error or a broken answer: it may have."""
    if isinstance(exc, (UploadCancelledError, NetworkError)):
        return not exc.request_sent
    if isinstance(exc, (NotFoundError, ServerError, ProtocolError)):
        return False
    return isinstance(exc, ApiError)


def say_if_expired(error: ApiError, days: int | None) -> None:
    """Re-word a Coze 4100 (or HTTP 401) as "probably expired" when the token was saved
    ``days`` ago (None: it is not known to be 30+ days old)."""
    if (
        days is not None
        and isinstance(error, AuthenticationError)
        and error.service == "coze"
        and (error.code == 4100 or (error.code is None and error.http_status == 401))
    ):
        error.rekey("authentication.coze_expired", days=str(days))
