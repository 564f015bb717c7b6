"""Keeping tokens and API keys out of logs, exception text and reprs.

* :class:`Secret` holds a token; its ``repr``/``str`` are masked, and the
  value only comes out through :meth:`Secret.reveal`.
* :func:`redact` scrubs a string: ``Bearer <x>``, anything that looks like a
  Coze ``pat_...``/``sat_...`` token and any explicitly given secret strings.
* :class:`RedactingFilter` is a :class:`logging.Filter` that applies
  :func:`redact` to a record's message and arguments. The clients attach one
  (knowing their own token) to the ``voiceprint_studio.api`` logger; the app
  may add another to its handlers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

__all__ = ["MASK", "RedactingFilter", "Secret", "redact"]

MASK = "***"

_BEARER_RE = re.compile(r"(?i)\b(bearer)\s+[^\s,;\"']+")
_TOKEN_RE = re.compile(r"\b(pat|sat)_[A-Za-z0-9._\-*]{4,}")
_MIN_SECRET_LEN = 4


class Secret:
    """A secret string whose ``repr`` and ``str`` never show the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret value (only for building the auth header)."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return f"Secret('{MASK}')"

    def __str__(self) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        msg = "Secret objects cannot be pickled"
        raise TypeError(msg)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Return ``text`` with bearer tokens, ``pat_``/``sat_`` tokens and ``secrets`` masked."""
    for secret in secrets:
        if len(secret) >= _MIN_SECRET_LEN and secret in text:
            text = text.replace(secret, MASK)
    if "earer" in text or "EARER" in text:
        text = _BEARER_RE.sub(lambda m: f"{m.group(1)} {MASK}", text)
    if "at_" in text:
        text = _TOKEN_RE.sub(lambda m: f"{m.group(1)}_{MASK}", text)
    return text


class RedactingFilter(logging.Filter):
    """Scrub secrets from log records' message and arguments; never drops a record."""

    def __init__(self, secrets: Iterable[str] = (), name: str = "") -> None:
        super().__init__(name)
        self._secrets: list[str] = [s for s in secrets if s]

    def add_secret(self, secret: str) -> None:
        """Register one more literal string to mask."""
        if secret and secret not in self._secrets:
            self._secrets.append(secret)

    def __repr__(self) -> str:
        return f"<RedactingFilter secrets={len(self._secrets)}>"

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace ``record.msg``/``record.args`` by the scrubbed formatted message."""
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: scrub the pieces instead
            message = f"{record.msg} {record.args}"
        record.msg = redact(message, self._secrets)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        return True
