"""User preferences, each declared once with its key, type and default.

Stored with ``QSettings`` (the platform's native place: the registry on
Windows, a plist on macOS, an INI file under ``$XDG_CONFIG_HOME`` on Linux).
Tokens are never preferences: they live in the keyring.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")


@dataclass(frozen=True)
class Option(Generic[T]):
    """One preference: where it is stored, its type and its default."""

    key: str
    type: type[T]
    default: T


COZE_PROFILE = Option("connection/coze_profile", str, "offline")
COZE_CUSTOM_URL = Option("connection/coze_custom_url", str, "")
MINIMAX_PROFILE = Option("connection/minimax_profile", str, "offline")
MINIMAX_CUSTOM_URL = Option("connection/minimax_custom_url", str, "")
OFFLINE_BANNER_DISMISSED = Option("ui/offline_banner_dismissed", bool, False)
LANGUAGE = Option("ui/language", str, "")  # "" follows the system locale
PAGE_SIZE = Option("ui/page_size", int, 20)
WINDOW_GEOMETRY = Option("ui/window_geometry", QByteArray, QByteArray())
IDENTIFY_THRESHOLD = Option("identify/threshold", int, 40)
IDENTIFY_TOP_K = Option("identify/top_k", int, 5)
DUPLICATE_CHECK_OFFLINE = Option("enroll/duplicate_check_offline", bool, True)
DUPLICATE_CHECK_COZE = Option("enroll/duplicate_check_coze", bool, False)  # billed
INPUT_DEVICE = Option("audio/input_device", str, "")
ENROLL_SOURCE = Option("enroll/source", str, "microphone")  # or "file": the last choice


class Preferences:
    """Typed access to the declared options."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings if settings is not None else QSettings()

    def get(self, option: Option[T]) -> T:
        """The stored value, or the default when absent or of the wrong type."""
        raw = self._settings.value(option.key, None)
        if raw is None:
            return option.default
        try:
            if option.type is bool:
                if isinstance(raw, str):
                    return cast(T, raw.strip().lower() in ("true", "1", "yes"))
                return cast(T, bool(raw))
            if option.type is int:
                return cast(T, int(cast(str, raw)))
            if option.type is QByteArray:
                return cast(T, raw if isinstance(raw, QByteArray) else option.default)
            return cast(T, str(raw))
        except (TypeError, ValueError):
            return option.default

    def set(self, option: Option[T], value: T) -> None:
        """Store a value (written to disk by Qt in the background and on exit)."""
        self._settings.setValue(option.key, value)

    def sync(self) -> None:
        """Write pending changes now."""
        self._settings.sync()
