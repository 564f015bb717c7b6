"""Audio uploads: the validated :class:`AudioUpload` record, cancellation and progress.

The file is never read into memory as a whole: the multipart body streams it
through :class:`ProgressReader`, which counts bytes for the ``progress(sent,
total)`` callback and checks the :class:`CancelToken` before every chunk
(cancelling raises :class:`~voiceprint_studio.api.errors.UploadCancelledError`).

Cancelling also runs the token's abort hooks at once, from the cancelling thread:
the HTTP core registers one that shuts down the connection, so an upload blocked
in a socket write (or waiting for the answer) stops at once instead of at its
next chunk or its timeout. The token remembers whether the whole file had been
handed to the connection (:attr:`CancelToken.body_sent`): before that, the server
cannot have the complete request; after it, the create may have happened.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import QT_TRANSLATE_NOOP, LocalValidationError, UploadCancelledError

__all__ = [
    "AUDIO_FORMATS",
    "MAX_AUDIO_BYTES",
    "PCM_CHANNELS",
    "PCM_SAMPLE_RATE",
    "AudioUpload",
    "CancelToken",
    "ProgressCallback",
    "ProgressReader",
    "ambient_cancel",
    "cancel_scope",
]

MAX_AUDIO_BYTES = 4 * 1024 * 1024
AUDIO_FORMATS = ("wav", "pcm")
# The only PCM layout Coze accepts (16 kHz, mono, 16-bit little-endian).
PCM_SAMPLE_RATE = 16000
PCM_CHANNELS = 1
_CONTENT_TYPES = {"wav": "audio/wav", "pcm": "application/octet-stream"}

ProgressCallback = Callable[[int, int], None]


class CancelToken:
    """A thread-safe flag to cancel a call in flight (set from the GUI thread).

    An upload checks it before every chunk it sends; while a call waits on the
    network, the call's watchdog (registered with :meth:`add_callback`) shuts the
    socket down, so a cancel ends even a call whose server has stopped answering.
    """

    __slots__ = ("_body_sent", "_callbacks", "_event", "_lock")

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []
        self._body_sent = False

    def cancel(self) -> None:
        """Ask the call to stop: it raises UploadCancelledError as soon as it notices."""
        with self._lock:
            self._event.set()
            callbacks = list(self._callbacks)
        for callback in callbacks:
            callback()

    def mark_body_sent(self) -> None:
        """Record that the whole file was handed to the connection."""
        self._body_sent = True

    @property
    def body_sent(self) -> bool:
        """Whether the whole file was handed to the connection (the server may have it)."""
        return self._body_sent

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``, waking early on a cancel; returns whether cancelled."""
        return self._event.wait(max(0.0, seconds))

    def add_callback(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback`` on :meth:`cancel` (at once if already cancelled); returns
        a function that unregisters it."""
        with self._lock:
            self._callbacks.append(callback)
            fire = self._event.is_set()
        if fire:
            callback()

        def remove() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._callbacks.remove(callback)

        return remove

    def raise_if_cancelled(self) -> None:
        """Raise :class:`UploadCancelledError` when cancelled."""
        if self._event.is_set():
            raise UploadCancelledError()

    def __repr__(self) -> str:
        return f"<CancelToken cancelled={self.cancelled}>"


_AMBIENT: ContextVar[CancelToken | None] = ContextVar("voiceprint_studio_cancel", default=None)


@contextlib.contextmanager
def cancel_scope(token: CancelToken) -> Iterator[CancelToken]:
    """Within the block, on this thread, reads (GET calls and downloads) that were given
    no token of their own end when ``token`` is cancelled.

    A view's worker runs its task in one, so its Stop (or closing the view) ends a page
    load that waits on a server at once instead of at the call's deadline. Calls that
    change something are left alone: ending one midway would leave the operator not
    knowing whether it happened; those take an explicit token (uploads do).
    """
    reset = _AMBIENT.set(token)
    try:
        yield token
    finally:
        _AMBIENT.reset(reset)


def ambient_cancel() -> CancelToken | None:
    """The token of the innermost :func:`cancel_scope` on this thread, if any."""
    return _AMBIENT.get()


@dataclass(frozen=True, slots=True)
class AudioUpload:
    """A local audio file checked against Coze's rules; build it with :meth:`from_path`.

    ``sample_rate``/``channels`` are always set for pcm (16000/1 by default)
    and sent as form fields; for wav they are ``None`` unless given, because
    the server reads them from the wav header.
    """

    path: Path
    format: str
    sample_rate: int | None
    channels: int | None
    size: int

    @classmethod
    def from_path(
        cls,
        path: str | os.PathLike[str],
        sample_rate: int | None = None,
        channels: int | None = None,
    ) -> AudioUpload:
        """Validate ``path`` (exists, wav/pcm, 1 byte..4 MB, pcm layout) and describe it."""
        file_path = Path(path)
        fmt = file_path.suffix.lower().lstrip(".")
        if fmt not in AUDIO_FORMATS:
            raise LocalValidationError(
                "audio",
                QT_TRANSLATE_NOOP(
                    "ApiErrors",
                    "Only wav and pcm files can be uploaded; convert the recording first.",
                ),
            )
        try:
            stat = file_path.stat()
        except OSError:
            raise LocalValidationError(
                "audio",
                QT_TRANSLATE_NOOP("ApiErrors", "The file “{name}” cannot be read."),
                values={"name": file_path.name},
            ) from None
        if not file_path.is_file():
            raise LocalValidationError(
                "audio",
                QT_TRANSLATE_NOOP("ApiErrors", "“{name}” is not a file."),
                values={"name": file_path.name},
            )
        size = stat.st_size
        if size == 0:
            raise LocalValidationError(
                "audio", QT_TRANSLATE_NOOP("ApiErrors", "The audio file is empty.")
            )
        if size > MAX_AUDIO_BYTES:
            raise LocalValidationError(
                "audio",
                QT_TRANSLATE_NOOP(
                    "ApiErrors", "The audio file is larger than 4 MB; use a shorter recording."
                ),
            )
        for name, value in (("sample_rate", sample_rate), ("channels", channels)):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value <= 0
            ):
                raise LocalValidationError(name, f"{name} must be a positive whole number.")
        if fmt == "pcm":
            sample_rate = PCM_SAMPLE_RATE if sample_rate is None else sample_rate
            channels = PCM_CHANNELS if channels is None else channels
            if sample_rate != PCM_SAMPLE_RATE or channels != PCM_CHANNELS:
                raise LocalValidationError(
                    "audio",
                    QT_TRANSLATE_NOOP(
                        "ApiErrors",
                        "PCM audio must be 16 kHz, mono, 16-bit; convert the recording first.",
                    ),
                )
            if size % 2:
                raise LocalValidationError(
                    "audio",
                    QT_TRANSLATE_NOOP(
                        "ApiErrors",
                        "The PCM file has an odd number of bytes, so it is not 16-bit audio.",
                    ),
                )
        else:
            try:
                with file_path.open("rb") as handle:
                    header = handle.read(12)
            except OSError:
                raise LocalValidationError(
                    "audio",
                    QT_TRANSLATE_NOOP("ApiErrors", "The file “{name}” cannot be read."),
                    values={"name": file_path.name},
                ) from None
            if len(header) < 12 or header[:4] not in (b"RIFF", b"RF64") or header[8:] != b"WAVE":
                raise LocalValidationError(
                    "audio",
                    QT_TRANSLATE_NOOP(
                        "ApiErrors", "The file is not a valid wav file (no RIFF/WAVE header)."
                    ),
                )
        return cls(
            path=file_path, format=fmt, sample_rate=sample_rate, channels=channels, size=size
        )

    @property
    def content_type(self) -> str:
        """MIME type sent with the file part."""
        return _CONTENT_TYPES[self.format]

    def form_fields(self) -> dict[str, str]:
        """``sample_rate``/``channel`` form fields (always for pcm, when known for wav)."""
        fields: dict[str, str] = {}
        if self.sample_rate is not None:
            fields["sample_rate"] = str(self.sample_rate)
        if self.channels is not None:
            fields["channel"] = str(self.channels)
        return fields


# The smallest chunk :class:`ProgressReader` reads when no one watches the progress.
QUIET_CHUNK = 1024 * 1024


class ProgressReader:
    """A read-only file wrapper that reports progress and honours cancellation.

    httpx's multipart encoder calls ``fileno()``/``seek``/``tell`` to learn the
    length (so the request gets a Content-Length) and then ``read(64 KiB)``
    until the end; every read checks the token and reports the running count.
    """

    __slots__ = ("_cancel", "_file", "_progress", "_sent", "_total", "name")

    def __init__(
        self,
        file: BinaryIO,
        total: int,
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
    ) -> None:
        self._file = file
        self._total = total
        self._progress = progress
        self._cancel = cancel
        self._sent = 0
        self.name = getattr(file, "name", "upload")

    def fileno(self) -> int:
        """The underlying descriptor (lets httpx stat the size)."""
        return self._file.fileno()

    def tell(self) -> int:
        """Current position."""
        return self._file.tell()

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        """Seek; rewinding to the start restarts the byte count."""
        position = self._file.seek(offset, whence)
        if position == 0:
            self._sent = 0
        return position

    def read(self, size: int = -1) -> bytes:
        """Read a chunk, after checking the cancel token; report progress after it.

        Without a progress callback the chunks are at least :data:`QUIET_CHUNK` bytes:
        each chunk costs the sending thread the GIL twice (after the read and after the
        send), and in the app's process every time it takes it back the GUI thread may
        wait; nobody watches the finer steps then (a cancel still shuts the socket).
        """
        if self._cancel is not None and self._cancel.cancelled:
            raise UploadCancelledError()
        if self._progress is None and 0 < size < QUIET_CHUNK:
            size = QUIET_CHUNK
        chunk = self._file.read(size)
        if chunk:
            self._sent += len(chunk)
            if self._progress is not None:
                self._progress(self._sent, self._total)
        elif self._cancel is not None and size != 0:
            self._cancel.mark_body_sent()
        return chunk
