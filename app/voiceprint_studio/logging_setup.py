"""The application's log file: rotating, in the user's log folder, with secrets masked.

:func:`setup_logging` attaches one :class:`~logging.handlers.RotatingFileHandler`
(1 MB x 5 files by default) to the root logger. The handler carries the api's
:class:`~voiceprint_studio.api.redact.RedactingFilter`, so bearer headers and
``pat_``/``sat_`` tokens never reach the file; tokens of other shapes (MiniMax
keys) are masked once they are registered with :func:`register_secret`.

Qt-free: the GUI calls it from ``run_gui``; tests point it at ``tmp_path``.
"""

from __future__ import annotations

import logging
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from voiceprint_studio.api.redact import RedactingFilter, redact

APP_NAME = "Voiceprint Studio"
LOG_FILE_NAME = "voiceprint-studio.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"

log = logging.getLogger(__name__)

_lock = threading.Lock()
_handler: RotatingFileHandler | None = None
_filter: _FileRedactor | None = None
_pending_secrets: list[str] = []


class _FileRedactor(RedactingFilter):
    """A :class:`RedactingFilter` that also masks tracebacks and stack info."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Format the traceback now so that it is scrubbed too."""
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self._secrets)
        return super().filter(record)


def default_log_dir() -> Path:
    """The per-user log folder (``platformdirs.user_log_path``)."""
    import platformdirs

    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    """The folder of the active log file, or the default folder when none is set up."""
    with _lock:
        if _handler is not None:
            return Path(_handler.baseFilename).parent
    return default_log_dir()


def setup_logging(
    directory: Path | None = None,
    *,
    level: int = logging.INFO,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> Path:
    """Log to a rotating file in ``directory`` (default: the user log folder).

    Replaces a handler installed by an earlier call. Returns the log file's path.
    """
    global _handler, _filter
    folder = directory if directory is not None else default_log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    shutdown_logging()
    handler = RotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    redactor = _FileRedactor()
    handler.addFilter(redactor)
    root = logging.getLogger()
    with _lock:
        for secret in _pending_secrets:
            redactor.add_secret(secret)
        _handler, _filter = handler, redactor
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    # httpx logs every request line at INFO; URLs carry no secrets, but keep the file short.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return path


def register_secret(secret: str) -> None:
    """Mask ``secret`` in the log file from now on (a token the user entered)."""
    if not secret:
        return
    with _lock:
        if secret not in _pending_secrets:
            _pending_secrets.append(secret)
        if _filter is not None:
            _filter.add_secret(secret)


def shutdown_logging() -> None:
    """Flush, detach and close the file handler (if any)."""
    global _handler, _filter
    with _lock:
        handler, _handler, _filter = _handler, None, None
    if handler is not None:
        logging.getLogger().removeHandler(handler)
        handler.flush()
        handler.close()


def log_uncaught_exception(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
) -> None:
    """A ``sys.excepthook`` that writes the traceback to the log (and stderr)."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
    sys.__excepthook__(exc_type, exc, tb)
