"""Tokens live in the OS keyring, one entry per connection profile, and nowhere else.

Reads are tolerant: a missing, locked or broken keyring never raises. When no
usable keyring exists the token is held in this process's memory for the
session only (``persistent`` is then False and ``problem`` says why, for the
UI's warning); nothing is ever written to a file as a fallback.

Keyring calls may talk D-Bus or prompt the user, so callers on the GUI thread
should go through a worker.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger(__name__)

SERVICE = "voiceprint-studio"


class SecretStore:
    """Per-profile tokens in the keyring, with a memory-only fallback."""

    def __init__(self, backend: Any | None = None, service: str = SERVICE) -> None:
        self._backend = backend
        self._service = service
        self._memory: dict[str, str] = {}
        self._lock = threading.Lock()
        self.problem: str | None = None

    def __repr__(self) -> str:
        return f"SecretStore(service={self._service!r}, persistent={self.persistent})"

    @property
    def persistent(self) -> bool:
        """Whether tokens are kept by the OS keyring (False: this session only)."""
        return self.problem is None

    def _keyring(self) -> Any:
        if self._backend is None:
            import keyring  # imported lazily: it scans entry points on import

            self._backend = keyring.get_keyring()
        return self._backend

    def _failed(self, action: str, exc: BaseException) -> None:
        # Only the exception's type goes to the log and the UI: a backend's
        # message could echo what it was given.
        self.problem = f"The system keyring is not available ({type(exc).__name__} on {action})."
        log.warning("keyring %s failed: %s; tokens kept in memory only", action, type(exc).__name__)

    def get(self, profile: str) -> str | None:
        """The token stored for ``profile``, or None."""
        with self._lock:
            if profile in self._memory:
                return self._memory[profile]
            if self.problem is not None:
                return None
            try:
                value = self._keyring().get_password(self._service, profile)
            except Exception as exc:
                self._failed("read", exc)
                return None
            return value if isinstance(value, str) and value else None

    def set(self, profile: str, token: str) -> bool:
        """Keep ``token`` for ``profile``; returns whether the keyring stored it."""
        with self._lock:
            if self.problem is None:
                try:
                    self._keyring().set_password(self._service, profile, token)
                except Exception as exc:
                    self._failed("write", exc)
                else:
                    self._memory.pop(profile, None)
                    return True
            self._memory[profile] = token
            return False

    def delete(self, profile: str) -> None:
        """Forget the token of ``profile`` (memory and keyring)."""
        with self._lock:
            self._memory.pop(profile, None)
            if self.problem is not None:
                return
            try:
                self._keyring().delete_password(self._service, profile)
            except Exception as exc:
                if type(exc).__name__ != "PasswordDeleteError":
                    self._failed("delete", exc)
