"""Microphone capture: a :class:`Recorder` that streams a take to disk as it is recorded.

Threads and data flow::

    PortAudio thread  --callback copies the block-->  queue  -->  writer thread
                                                                  | mono, level, clip
                                                                  | soxr -> 16 kHz int16
                                                                  | WAV on disk (header
                                                                  |  updated every 0.5 s)
                                                                  | waveform ring buffer

The device is opened at a rate it supports (its default rate first) and the
writer converts to 16 kHz mono 16-bit on the fly, so the take on disk is what
Coze wants. Every :data:`HEADER_UPDATE_SECONDS` the file is flushed and its
RIFF/data sizes are rewritten, so a crash or SIGKILL loses at most about the
last second. The take stops by itself when the file would pass 4 MB
(:attr:`Recorder.limit_seconds`, about 131 s), or when the device disappears
(the take so far is kept and :attr:`Recorder.error` says what happened).

The getters (:meth:`Recorder.level`, :meth:`Recorder.waveform`,
:attr:`Recorder.elapsed_seconds`, ...) are thread-safe and cheap, for a UI
polling at 20 Hz or more. Nothing here imports Qt.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import importlib
import math
import os
import queue
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from . import thresholds as th
from .devices import InputDevice, find_input_device, import_sounddevice, no_device_error
from .errors import AudioSystemError
from .takes import Take, new_take_path, recordings_dir

HEADER_UPDATE_SECONDS = 0.5
"""How often the WAV on disk is flushed and its header sizes rewritten."""
STOP_GRACE_SECONDS = 0.5
"""Sound the card delivers this long after Stop still joins the take (it was captured
before the press and sat in the card's buffer); later blocks are dropped. A driver
whose stop hangs goes on delivering, and the take grew past the Stop by as long as it
hung."""
STALL_SECONDS = 3.0
"""No audio for this long means the device is gone (PulseAudio's first read can take 0.8 s)."""
WAVEFORM_SECONDS = 10.0
"""How much recent audio :meth:`Recorder.waveform` can return."""
CANDIDATE_RATES = (48000, 44100, 16000, 32000, 22050, 96000)

AudioCallback = Callable[[npt.NDArray[np.float32], int, Any, Any], None]


class InputStreamLike(Protocol):
    """What the recorder needs of a ``sounddevice.InputStream``."""

    @property
    def active(self) -> bool:
        """True while the stream delivers audio."""
        ...

    def start(self) -> None:
        """Start delivering blocks to the callback."""
        ...

    def stop(self) -> None:
        """Stop delivering blocks."""
        ...

    def close(self) -> None:
        """Release the device."""
        ...


StreamFactory = Callable[[InputDevice | None, int, int, AudioCallback], InputStreamLike]
"""``(device, samplerate, channels, callback) -> stream``; the callback takes
``(indata float32 (frames, channels), frames, time, status)``."""


class StopReason(str, enum.Enum):
    """Why a take ended."""

    USER = "user"
    LIMIT = "limit"
    DEVICE_LOST = "device_lost"
    DISK_FULL = "disk_full"


@dataclass(frozen=True)
class LevelReading:
    """Input level since the previous :meth:`Recorder.level` call."""

    peak_dbfs: float
    clipped: bool
    overflows: int
    """Blocks PortAudio dropped since the take started (0 is the goal)."""


def _dbfs(peak: float) -> float:
    return max(th.LEVEL_FLOOR_DBFS, 20 * math.log10(peak)) if peak > 0 else th.LEVEL_FLOOR_DBFS


def _busy_or_error(exc: Exception, device: InputDevice | None) -> AudioSystemError:
    text = str(exc)
    name = str(device) if device else "the microphone"
    low = text.lower()
    if "querying device -1" in low or "no default" in low:
        return no_device_error(text)
    if "unavailable" in low or "busy" in low:
        return AudioSystemError(
            "device_busy",
            f"{name} is in use by another program or not available ({text}).",
            "Close other programs that use the microphone, or choose another one.",
        )
    return AudioSystemError(
        "device_error",
        f"{name} could not be opened ({text}).",
        "Choose another microphone, or reconnect this one and try again.",
    )


def default_stream_factory(
    device: InputDevice | None, samplerate: int, channels: int, callback: AudioCallback
) -> InputStreamLike:
    """A ``sounddevice.InputStream`` (float32, high latency for robustness)."""
    sd = import_sounddevice()
    stream: InputStreamLike = sd.InputStream(
        device=None if device is None else device.index,
        samplerate=samplerate,
        channels=channels,
        dtype="float32",
        latency="high",
        callback=callback,
    )
    return stream


def pick_stream_settings(device: InputDevice, samplerate: int | None = None) -> tuple[int, int]:
    """A (rate, channels) the device accepts: ``samplerate`` if given, else its default first."""
    sd = import_sounddevice()
    rates = [samplerate] if samplerate else [int(device.default_samplerate), *CANDIDATE_RATES]
    channel_options = [1, 2] if device.max_input_channels >= 2 else [1]
    last: Exception | None = None
    for channels in channel_options:
        for rate in dict.fromkeys(r for r in rates if r > 0):
            try:
                sd.check_input_settings(
                    device=device.index, samplerate=rate, channels=channels, dtype="float32"
                )
            except Exception as exc:
                last = exc
                continue
            return rate, channels
    raise _busy_or_error(last or RuntimeError("no usable sample rate"), device)


_DISK_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _wav_header(data_bytes: int) -> bytes:
    """The 44-byte header of a 16 kHz mono 16-bit PCM WAV holding ``data_bytes``."""
    rate, channels, width = th.TARGET_SAMPLE_RATE, 1, 2
    return (
        b"RIFF"
        + struct.pack("<I", 36 + data_bytes)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * channels * width, width, 16)
        + b"data"
        + struct.pack("<I", data_bytes)
    )


def _is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS


def _disk_full_error(seconds: float) -> AudioSystemError:
    return AudioSystemError(
        "disk_full",
        f"The disk is full, so the recording stopped. The {seconds:.1f} s recorded so far "
        "are kept.",
        "Free some disk space, then record again or use the take so far.",
    )


class _WavStream:
    """A 16 kHz mono 16-bit WAV written as it grows, its header kept valid on disk.

    Written with plain unbuffered file I/O (not libsndfile, whose "System error." hides
    the errno): ``data_bytes`` counts what reached the file, so when the disk fills up
    mid-block :meth:`close` still leaves a valid WAV of exactly the samples written. One
    handle only: a second handle on the take would make Windows refuse to replace or
    delete the file while it is open.
    """

    HEADER_BYTES = 44

    def __init__(self, path: Path) -> None:
        self.path = path
        self.frames = 0
        self.data_bytes = 0
        self._file = open(path, "w+b", buffering=0)  # noqa: SIM115 - held for the take
        try:
            self._write_all(_wav_header(0))
        except BaseException:
            self._file.close()
            raise

    def _write_all(self, data: bytes) -> int:
        view = memoryview(data)
        done = 0
        while done < len(view):
            n = self._file.write(view[done:])
            if not n:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))
            done += n
        return done

    def write(self, samples: npt.NDArray[np.int16]) -> None:
        data = np.ascontiguousarray(samples, dtype="<i2").tobytes()
        view = memoryview(data)
        while view:
            try:
                n = self._file.write(view)
            except OSError:
                self.frames = self.data_bytes // 2
                raise
            if not n:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))
            self.data_bytes += n
            view = view[n:]
        self.frames = self.data_bytes // 2

    def _patch_sizes(self, data_bytes: int) -> None:
        end = self._file.tell()
        self._file.seek(4)
        self._file.write(struct.pack("<I", 36 + data_bytes))
        self._file.seek(self.HEADER_BYTES - 4)
        self._file.write(struct.pack("<I", data_bytes))
        self._file.seek(end)

    def update_header(self) -> None:
        """Write the current sizes into the RIFF and data headers and sync the file."""
        self._patch_sizes(self.data_bytes - self.data_bytes % 2)
        with contextlib.suppress(OSError):
            os.fsync(self._file.fileno())

    def close(self) -> None:
        """Drop a half sample left by a short write, write the final sizes, close."""
        try:
            whole = self.data_bytes - self.data_bytes % 2
            if whole != self.data_bytes:
                self._file.truncate(self.HEADER_BYTES + whole)
                self.data_bytes = whole
            self._patch_sizes(whole)
            with contextlib.suppress(OSError):
                os.fsync(self._file.fileno())
        finally:
            self._file.close()


class Recorder:
    """Records one take at a time from an input device into the recordings folder.

    ``on_finished(take, reason, error)`` is called from the writer thread when a
    take ends for any reason (the UI adapter turns it into a signal); the UI can
    also poll :attr:`is_recording`. Call :meth:`stop` to end a take and to
    release the writer thread even after an automatic stop.
    """

    def __init__(
        self,
        folder: str | os.PathLike[str] | None = None,
        *,
        max_bytes: int = th.MAX_UPLOAD_BYTES,
        stream_factory: StreamFactory | None = None,
        on_finished: Callable[[Take, StopReason, AudioSystemError | None], None] | None = None,
    ) -> None:
        self._folder = None if folder is None else Path(folder)
        self._max_frames = th.max_take_frames(max_bytes)
        self._factory = stream_factory
        self._on_finished = on_finished
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[npt.NDArray[np.float32]] = queue.SimpleQueue()
        self._stop_event = threading.Event()
        self._stop_asked = 0.0  # time.monotonic() of the first stop of the take; 0: none
        self._thread: threading.Thread | None = None
        self._stream: InputStreamLike | None = None
        self._path: Path | None = None
        self._input_rate = 0
        self._frames = 0
        self._peak = 0.0
        self._clipped = False
        self._overflows = 0
        self._ring = np.zeros(int(WAVEFORM_SECONDS * th.TARGET_SAMPLE_RATE), np.float32)
        self._ring_pos = 0
        self._ring_filled = 0
        self._reason: StopReason | None = None
        self._error: AudioSystemError | None = None
        self._take: Take | None = None
        self._last_block = 0.0

    # --- getters (thread-safe) -------------------------------------------------

    @property
    def is_recording(self) -> bool:
        """True from :meth:`start` until the take ends (by stop, limit or device loss)."""
        with self._lock:
            return self._thread is not None and self._reason is None

    @property
    def saving(self) -> bool:
        """True while a take that was asked to end is still being closed (its writer waits
        for the sound card to let the stream go)."""
        with self._lock:
            thread = self._thread
        return thread is not None and thread.is_alive() and self._stop_event.is_set()

    @property
    def limit_seconds(self) -> float:
        """The longest take that fits the size limit (about 131 s for 4 MB)."""
        return self._max_frames / th.TARGET_SAMPLE_RATE

    @property
    def elapsed_seconds(self) -> float:
        """Seconds of audio written so far in this take."""
        with self._lock:
            return self._frames / th.TARGET_SAMPLE_RATE

    @property
    def path(self) -> Path | None:
        """The file of the current (or last) take."""
        with self._lock:
            return self._path

    @property
    def input_rate(self) -> int:
        """The rate the device was opened at."""
        with self._lock:
            return self._input_rate

    @property
    def stop_reason(self) -> StopReason | None:
        """Why the last take ended; ``None`` while recording."""
        with self._lock:
            return self._reason

    @property
    def error(self) -> AudioSystemError | None:
        """What went wrong with the device during the take, if anything."""
        with self._lock:
            return self._error

    def level(self) -> LevelReading:
        """Peak level and clipping since the previous call (then reset)."""
        with self._lock:
            reading = LevelReading(_dbfs(self._peak), self._clipped, self._overflows)
            self._peak, self._clipped = 0.0, False
        return reading

    def waveform(self, seconds: float = 5.0) -> npt.NDArray[np.float32]:
        """A copy of the last ``seconds`` of the take (16 kHz mono float32, oldest first)."""
        want = int(min(seconds, WAVEFORM_SECONDS) * th.TARGET_SAMPLE_RATE)
        with self._lock:
            n = min(want, self._ring_filled)
            end = self._ring_pos
            idx = np.arange(end - n, end) % self._ring.size
            return self._ring[idx]

    # --- control -----------------------------------------------------------------

    def start(self, device: InputDevice | str | None = None, samplerate: int | None = None) -> Path:
        """Start a take from ``device`` (an :class:`InputDevice`, a device key, or the default).

        The device is opened at ``samplerate`` if given, else at a rate it supports
        (its default first); the take is converted to 16 kHz mono 16-bit either way.

        Returns the path of the WAV being written. Raises :class:`AudioSystemError`
        (no PortAudio, no device, busy device) or :class:`RuntimeError` if a take runs.
        """
        with self._lock:
            if self._thread is not None:
                raise RuntimeError("a take is already being recorded; stop it first")
        dev: InputDevice | None
        if self._factory is None:
            chosen = device if isinstance(device, InputDevice) else find_input_device(device)
            rate, channels = pick_stream_settings(chosen, samplerate)
            dev = chosen
            factory: StreamFactory = default_stream_factory
        else:
            dev = device if isinstance(device, InputDevice) else None
            rate = samplerate or (int(dev.default_samplerate) if dev else 48000)
            channels = 1
            factory = self._factory
        try:
            folder = recordings_dir(self._folder)
            path = new_take_path(folder)
            writer = _WavStream(path)
        except OSError as exc:
            if _is_disk_full(exc):
                raise _disk_full_error(0.0) from None
            raise AudioSystemError(
                "disk_error",
                f"The recording cannot be saved ({exc}).",
                "Free some disk space or check the recordings folder can be written.",
            ) from None
        except RuntimeError as exc:
            raise AudioSystemError(
                "disk_error",
                f"The recording cannot be saved ({exc}).",
                "Free some disk space or check the recordings folder can be written.",
            ) from None
        self._reset(path, rate)
        try:
            stream = factory(dev, rate, channels, self._callback)
            stream.start()
        except AudioSystemError:
            self._abandon(writer)
            raise
        except Exception as exc:
            self._abandon(writer)
            raise _busy_or_error(exc, dev) from None
        thread = threading.Thread(
            target=self._run, args=(stream, writer, rate), name="vps-recorder-writer", daemon=True
        )
        with self._lock:
            self._stream = stream
            self._thread = thread
        thread.start()
        return path

    def stop(self, timeout: float = 10.0) -> Take | None:
        """End the take (if still running), wait for the file to be closed, and describe it."""
        with self._lock:
            thread = self._thread
        if thread is None:
            return self._take
        if not self._stop_event.is_set():
            self._stop_asked = time.monotonic()
            self._stop_event.set()
        if thread is threading.current_thread():  # stop() from on_finished
            return None
        thread.join(timeout)
        with self._lock:
            if not thread.is_alive():
                self._thread = None
            return self._take

    # --- internals -----------------------------------------------------------------

    def _reset(self, path: Path, rate: int) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._stop_asked = 0.0
        self._stop_event.clear()
        with self._lock:
            self._path = path
            self._input_rate = rate
            self._frames = 0
            self._peak, self._clipped, self._overflows = 0.0, False, 0
            self._ring[:] = 0
            self._ring_pos = self._ring_filled = 0
            self._reason, self._error, self._take = None, None, None
            self._last_block = time.monotonic()

    def _abandon(self, writer: _WavStream) -> None:
        with contextlib.suppress(Exception):
            writer.close()
        writer.path.unlink(missing_ok=True)
        with self._lock:
            self._path = None

    def _callback(
        self, indata: npt.NDArray[np.float32], frames: int, time_: Any, status: Any
    ) -> None:
        """PortAudio's thread: copy the block out and return."""
        asked = self._stop_asked
        if asked and time.monotonic() - asked > STOP_GRACE_SECONDS:
            return  # after the Stop: not the take's
        self._queue.put(indata.copy())
        if status and getattr(status, "input_overflow", False):
            self._overflows += 1

    def _run(self, stream: InputStreamLike, writer: _WavStream, rate: int) -> None:
        reason = StopReason.USER
        error: AudioSystemError | None = None
        resampler: Any = None
        if rate != th.TARGET_SAMPLE_RATE:
            soxr = importlib.import_module("soxr")
            resampler = soxr.ResampleStream(rate, th.TARGET_SAMPLE_RATE, 1, "float32", "HQ")
        next_header = time.monotonic() + HEADER_UPDATE_SECONDS
        last_block = time.monotonic()
        try:
            while not self._stop_event.is_set():
                try:
                    block = self._queue.get(timeout=0.05)
                except queue.Empty:
                    block = None
                now = time.monotonic()
                if block is not None:
                    last_block = now
                    if self._consume(block, resampler, writer, last=False):
                        reason = StopReason.LIMIT
                        break
                elif now - last_block > STALL_SECONDS or not stream.active:
                    reason = StopReason.DEVICE_LOST
                    error = AudioSystemError(
                        "device_lost",
                        "The microphone stopped delivering sound (unplugged or taken by "
                        "another program). The recording so far is kept.",
                        "Reconnect the microphone, then record again or use the take so far.",
                    )
                    break
                if now >= next_header:
                    writer.update_header()
                    next_header = now + HEADER_UPDATE_SECONDS
        except OSError as exc:
            if _is_disk_full(exc):
                reason = StopReason.DISK_FULL
                error = _disk_full_error(writer.frames / th.TARGET_SAMPLE_RATE)
            else:
                error = AudioSystemError(
                    "disk_error",
                    f"Writing the recording failed ({exc}); the take so far is kept.",
                    "Free some disk space and record again.",
                )
        except Exception as exc:  # the writer must never die silently
            error = AudioSystemError(
                "disk_error",
                f"Writing the recording failed ({type(exc).__name__}: {exc}); the take so far "
                "is kept.",
                "Record again; if it keeps happening, report it.",
            )
        finally:
            with contextlib.suppress(Exception):
                stream.stop()
            with contextlib.suppress(Exception):
                stream.close()
            if reason is StopReason.USER and error is None:
                # Blocks captured before the stream stopped still belong to the take.
                while True:
                    try:
                        block = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if self._consume(block, resampler, writer, last=False):
                        reason = StopReason.LIMIT
                        break
            writing_failed = error is not None and error.key in ("disk_full", "disk_error")
            if resampler is not None and reason is not StopReason.LIMIT and not writing_failed:
                with contextlib.suppress(Exception):
                    self._consume(np.zeros((0, 1), np.float32), resampler, writer, last=True)
            with contextlib.suppress(Exception):
                writer.close()
            take: Take | None = None
            with contextlib.suppress(OSError):
                take = Take.from_path(writer.path)
            with self._lock:
                self._reason = reason
                self._error = error
                self._take = take
            if self._on_finished is not None and take is not None:
                self._on_finished(take, reason, error)

    def _consume(
        self, block: npt.NDArray[np.float32], resampler: Any, writer: _WavStream, *, last: bool
    ) -> bool:
        """Process one device block; return True when the size limit is reached."""
        mono = block[:, 0] if block.shape[1] == 1 else block.mean(axis=1, dtype=np.float32)
        peak = float(np.max(np.abs(block))) if block.size else 0.0
        if resampler is not None:
            out = np.asarray(resampler.resample_chunk(mono, last=last), dtype=np.float32)
        else:
            out = np.ascontiguousarray(mono, dtype=np.float32)
        room = self._max_frames - writer.frames
        limit = bool(out.shape[0] >= room)
        out = out[:room]
        pcm = np.clip(np.rint(out * 32768.0), -32768, 32767).astype(np.int16)
        writer.write(pcm)
        n = out.shape[0]
        with self._lock:
            self._frames = writer.frames
            self._peak = max(self._peak, peak)
            self._clipped = self._clipped or peak >= th.CLIP_LEVEL
            size = self._ring.size
            if n >= size:
                self._ring[:] = out[-size:]
                self._ring_pos = 0
            else:
                first = min(n, size - self._ring_pos)
                self._ring[self._ring_pos : self._ring_pos + first] = out[:first]
                self._ring[: n - first] = out[first:]
                self._ring_pos = (self._ring_pos + n) % size
            self._ring_filled = min(size, self._ring_filled + n)
        return limit
