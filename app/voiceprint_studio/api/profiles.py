"""Base URL profiles for Coze and MiniMax, and base URL validation.

The four known servers are fixed profiles; anything else is a custom URL that
must pass :func:`validate_base_url`: ``https://`` always, plain ``http://``
only for loopback hosts (127.0.0.0/8, ``::1``, ``localhost``), which is what
the embedded offline backend and test servers use.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import QT_TRANSLATE_NOOP, LocalValidationError

__all__ = [
    "COZE_CN",
    "COZE_COM",
    "MINIMAX_CN",
    "MINIMAX_INTL",
    "PROFILES",
    "BaseUrlProfile",
    "is_loopback_host",
    "validate_base_url",
]


@dataclass(frozen=True, slots=True)
class BaseUrlProfile:
    """A named server: ``key`` for settings, ``service`` ("coze"/"minimax"), label, URL."""

    key: str
    service: str
    label: str
    base_url: str


COZE_CN = BaseUrlProfile("coze_cn", "coze", "Coze China (api.coze.cn)", "https://api.coze.cn")
COZE_COM = BaseUrlProfile(
    "coze_com", "coze", "Coze international (api.coze.com)", "https://api.coze.com"
)
MINIMAX_CN = BaseUrlProfile(
    "minimax_cn", "minimax", "MiniMax China (api.minimaxi.com)", "https://api.minimaxi.com"
)
MINIMAX_INTL = BaseUrlProfile(
    "minimax_intl", "minimax", "MiniMax international (api.minimax.io)", "https://api.minimax.io"
)
# The known servers; "custom" is any other URL that passes validate_base_url().
PROFILES: tuple[BaseUrlProfile, ...] = (COZE_CN, COZE_COM, MINIMAX_CN, MINIMAX_INTL)

_LABEL_RE = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_MAX_URL_LEN = 2048


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (127.0.0.0/8, ``::1``)."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    return bool(labels) and all(_LABEL_RE.match(label) for label in labels)


def validate_base_url(url: str) -> str:
    """Check a base URL and return it normalised (no trailing slash).

    Raises :class:`LocalValidationError` (field ``"base_url"``) for anything
    that is not an ``https://`` URL with a valid host, or an ``http://`` URL
    whose host is loopback. User info, query strings and fragments are refused.
    """

    def fail(why: str) -> LocalValidationError:
        return LocalValidationError("base_url", why)

    if not isinstance(url, str):
        raise fail(QT_TRANSLATE_NOOP("ApiErrors", "The server address must be text."))
    text = url.strip()
    if not text:
        raise fail(
            QT_TRANSLATE_NOOP(
                "ApiErrors",
                "Enter a server address, such as https://api.coze.cn for Coze or "
                "https://api.minimaxi.com for MiniMax.",
            )
        )
    if len(text) > _MAX_URL_LEN or any(c.isspace() or ord(c) < 0x20 for c in text):
        raise fail(QT_TRANSLATE_NOOP("ApiErrors", "The server address is not a valid URL."))
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise fail(
            QT_TRANSLATE_NOOP("ApiErrors", "The server address is not a valid URL.")
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise fail(QT_TRANSLATE_NOOP("ApiErrors", "The server address must start with https://."))
    host = parts.hostname or ""
    if not host or not _valid_host(host):
        raise fail(QT_TRANSLATE_NOOP("ApiErrors", "The server address has no valid host name."))
    if parts.username is not None or parts.password is not None:
        raise fail(
            QT_TRANSLATE_NOOP(
                "ApiErrors", "The server address must not contain a user name or password."
            )
        )
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise fail(
            QT_TRANSLATE_NOOP("ApiErrors", "The server address must not contain '?' or '#'.")
        )
    if port == 0:
        raise fail(QT_TRANSLATE_NOOP("ApiErrors", "The server address has an invalid port."))
    if scheme == "http" and not is_loopback_host(host):
        raise fail(
            QT_TRANSLATE_NOOP(
                "ApiErrors",
                "Plain http:// is only allowed for this computer (localhost); use https://.",
            )
        )
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    path = parts.path.rstrip("/")
    return f"{scheme}://{netloc}{path}"
