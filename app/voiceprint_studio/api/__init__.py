"""Qt-free HTTP clients for the Coze voiceprint API and MiniMax voice management.

Public surface: :class:`CozeClient`, :class:`MiniMaxClient`, the records
(:class:`VoiceprintGroup`, :class:`Voiceprint`, ...), :class:`Page`,
:class:`AudioUpload`/:class:`CancelToken` for uploads, the error hierarchy
rooted at :class:`ApiError`, base URL profiles and the redaction helpers.

Only the errors and the redaction helpers are imported with the package; the
rest is loaded on first use (PEP 562): importing records, errors or uploads
does not pull in httpx, and the GUI's shell (which needs only the errors)
starts without paying for the records either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from voiceprint_studio._lazy import lazy_exports

from .errors import (
    MESSAGES,
    ApiError,
    AuthenticationError,
    ConnectionFailedError,
    ConnectionLostError,
    DeadlineExceededError,
    FeatureUnavailableError,
    FileRejectedError,
    InsufficientBalanceError,
    InvalidRequestError,
    LocalValidationError,
    NetworkError,
    NetworkTimeoutError,
    NotFoundError,
    NotOfferedError,
    PermissionDeniedError,
    PlanLimitError,
    ProtocolError,
    ResponseTooLargeError,
    RiskControlError,
    ServerError,
    StorageFullError,
    ThrottledError,
    TlsError,
    UploadCancelledError,
)

# Eager, and after the submodule: importing ``api.redact`` sets the package's
# ``redact`` attribute to the module, so the function must be bound here.
from .redact import RedactingFilter, Secret, redact

if TYPE_CHECKING:
    from ._http import LOGGER_NAME, RetryPolicy, Timeouts, parse_retry_after, server_text
    from ._validate import check_token, token_problem
    from .coze import CozeClient
    from .minimax import MiniMaxClient
    from .models import (
        FeatureScore,
        Me,
        MiniMaxVoice,
        Page,
        UserInfo,
        Voiceprint,
        VoiceprintGroup,
    )
    from .observer import CallObserver
    from .profiles import (
        COZE_CN,
        COZE_COM,
        MINIMAX_CN,
        MINIMAX_INTL,
        PROFILES,
        BaseUrlProfile,
        validate_base_url,
    )
    from .uploads import MAX_AUDIO_BYTES, AudioUpload, CancelToken, ProgressCallback

_SOURCES: dict[str, str] = {
    **dict.fromkeys(
        ("FeatureScore", "Me", "MiniMaxVoice", "Page", "UserInfo", "Voiceprint", "VoiceprintGroup"),
        "models",
    ),
    **dict.fromkeys(
        (
            "COZE_CN",
            "COZE_COM",
            "MINIMAX_CN",
            "MINIMAX_INTL",
            "PROFILES",
            "BaseUrlProfile",
            "validate_base_url",
        ),
        "profiles",
    ),
    **dict.fromkeys(
        ("MAX_AUDIO_BYTES", "AudioUpload", "CancelToken", "ProgressCallback"), "uploads"
    ),
    "LOGGER_NAME": "_http",
    "RetryPolicy": "_http",
    "Timeouts": "_http",
    "parse_retry_after": "_http",
    "server_text": "_http",
    "check_token": "_validate",
    "token_problem": "_validate",
    "CallObserver": "observer",
    "CozeClient": "coze",
    "MiniMaxClient": "minimax",
}

__all__ = [
    "COZE_CN",
    "COZE_COM",
    "LOGGER_NAME",
    "MAX_AUDIO_BYTES",
    "MESSAGES",
    "MINIMAX_CN",
    "MINIMAX_INTL",
    "PROFILES",
    "ApiError",
    "AudioUpload",
    "AuthenticationError",
    "BaseUrlProfile",
    "CallObserver",
    "CancelToken",
    "ConnectionFailedError",
    "ConnectionLostError",
    "CozeClient",
    "DeadlineExceededError",
    "FeatureScore",
    "FeatureUnavailableError",
    "FileRejectedError",
    "InsufficientBalanceError",
    "InvalidRequestError",
    "LocalValidationError",
    "Me",
    "MiniMaxClient",
    "MiniMaxVoice",
    "NetworkError",
    "NetworkTimeoutError",
    "NotFoundError",
    "NotOfferedError",
    "Page",
    "PermissionDeniedError",
    "PlanLimitError",
    "ProgressCallback",
    "ProtocolError",
    "RedactingFilter",
    "ResponseTooLargeError",
    "RetryPolicy",
    "RiskControlError",
    "Secret",
    "ServerError",
    "StorageFullError",
    "ThrottledError",
    "Timeouts",
    "TlsError",
    "UploadCancelledError",
    "UserInfo",
    "Voiceprint",
    "VoiceprintGroup",
    "check_token",
    "parse_retry_after",
    "redact",
    "server_text",
    "token_problem",
    "validate_base_url",
]


__getattr__, __dir__ = lazy_exports(__name__, _SOURCES, globals())
