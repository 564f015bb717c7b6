"""Qt-free HTTP clients for the Coze voiceprint API and MiniMax voice management.

Public surface: :class:`CozeClient`, :class:`MiniMaxClient`, the records
(:class:`VoiceprintGroup`, :class:`Voiceprint`, ...), :class:`Page`,
:class:`AudioUpload`/:class:`CancelToken` for uploads, the error hierarchy
rooted at :class:`ApiError`, base URL profiles and the redaction helpers.

The clients and the HTTP machinery are loaded on first use (PEP 562), so
importing records, errors or uploads does not pull in httpx: the GUI starts
without paying for the HTTP stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    MESSAGES,
    ApiError,
    AuthenticationError,
    ConnectionFailedError,
    ConnectionLostError,
    FeatureUnavailableError,
    FileRejectedError,
    InsufficientBalanceError,
    InvalidRequestError,
    LocalValidationError,
    NetworkError,
    NetworkTimeoutError,
    NotFoundError,
    PermissionDeniedError,
    ProtocolError,
    RiskControlError,
    ServerError,
    ThrottledError,
    TlsError,
    UploadCancelledError,
)
from .models import (
    FeatureScore,
    Me,
    MiniMaxVoice,
    Page,
    UserInfo,
    Voiceprint,
    VoiceprintGroup,
)
from .profiles import (
    COZE_CN,
    COZE_COM,
    MINIMAX_CN,
    MINIMAX_INTL,
    PROFILES,
    BaseUrlProfile,
    validate_base_url,
)
from .redact import RedactingFilter, Secret, redact
from .uploads import MAX_AUDIO_BYTES, AudioUpload, CancelToken, ProgressCallback

if TYPE_CHECKING:
    from ._http import LOGGER_NAME, RetryPolicy, Timeouts, parse_retry_after
    from .coze import CozeClient
    from .minimax import MiniMaxClient

_SOURCES: dict[str, str] = {
    "LOGGER_NAME": "_http",
    "RetryPolicy": "_http",
    "Timeouts": "_http",
    "parse_retry_after": "_http",
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
    "CancelToken",
    "ConnectionFailedError",
    "ConnectionLostError",
    "CozeClient",
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
    "Page",
    "PermissionDeniedError",
    "ProgressCallback",
    "ProtocolError",
    "RedactingFilter",
    "RetryPolicy",
    "RiskControlError",
    "Secret",
    "ServerError",
    "ThrottledError",
    "Timeouts",
    "TlsError",
    "UploadCancelledError",
    "UserInfo",
    "Voiceprint",
    "VoiceprintGroup",
    "parse_retry_after",
    "redact",
    "validate_base_url",
]


def __getattr__(name: str) -> Any:
    module = _SOURCES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
