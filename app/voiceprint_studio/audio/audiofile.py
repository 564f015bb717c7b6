"""Reading wav/pcm (and anything else libsndfile reads) and converting to 16 kHz mono 16-bit.

* :func:`read_audio` decodes a file into float32 samples with soundfile; ``.pcm``
  and ``.raw`` files are raw little-endian 16-bit (16 kHz mono unless told).
* :func:`to_target` mixes to mono and resamples with soxr (high quality).
* :func:`convert_file` writes the 16 kHz mono 16-bit WAV Coze wants, optionally
  trimming long leading/trailing silence, leaving the original untouched.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile

from .errors import AudioFileError
from .thresholds import (
    MAX_CHECK_SECONDS,
    TARGET_CHANNELS,
    TARGET_SAMPLE_RATE,
    TRIM_MARGIN_SECONDS,
)

FloatArray = npt.NDArray[np.float32]
Int16Array = npt.NDArray[np.int16]

PCM_SUFFIXES = frozenset({".pcm", ".raw"})


@dataclass(frozen=True)
class AudioInfo:
    """What a file's header says, read without decoding the samples."""

    path: Path
    size_bytes: int
    container: str
    """``WAV``, ``RAW`` (pcm), or another libsndfile major format (``FLAC``, ``OGG``...)."""
    subtype: str
    """``PCM_16``, ``PCM_24``, ``PCM_32``, ``FLOAT``, ``ULAW``..."""
    sample_rate: int
    channels: int
    frames: int

    @property
    def duration_seconds(self) -> float:
        """Length in seconds."""
        return self.frames / self.sample_rate if self.sample_rate > 0 else 0.0

    @property
    def is_pcm(self) -> bool:
        """True for headerless raw pcm."""
        return self.container == "RAW"


@dataclass(frozen=True)
class AudioData:
    """Decoded audio: ``samples`` is float32 with shape (frames, channels), range [-1, 1].

    ``non_finite`` counts the NaN or infinite values the file held; they are replaced
    (NaN by 0, infinities by full scale) so that analysis can run, and the checker
    blocks such a file.
    """

    info: AudioInfo
    samples: FloatArray
    non_finite: int = 0

    @property
    def sample_rate(self) -> int:
        """Sampling rate in Hz."""
        return self.info.sample_rate


def probe_audio(
    path: str | os.PathLike[str],
    *,
    pcm_rate: int = TARGET_SAMPLE_RATE,
    pcm_channels: int = TARGET_CHANNELS,
) -> AudioInfo:
    """Read the header of ``path``; raise :class:`AudioFileError` if it is not audio."""
    file_path = Path(path)
    try:
        size = file_path.stat().st_size
    except OSError as exc:
        raise AudioFileError(
            "unreadable",
            f"The file {file_path.name} cannot be opened ({exc.strerror or exc}).",
            "Check that the file exists and that you may read it.",
        ) from None
    if not file_path.is_file():
        raise AudioFileError(
            "unreadable", f"{file_path.name} is not a file.", "Choose an audio file."
        )
    if size == 0:
        raise AudioFileError("empty", "The file is empty.", "Record again or choose another file.")
    if file_path.suffix.lower() in PCM_SUFFIXES:
        if pcm_rate <= 0 or pcm_channels <= 0:
            raise AudioFileError(
                "bad_pcm",
                "The pcm sample rate and channel count must be positive.",
                "Give the rate and channels the pcm file was recorded with.",
            )
        frame_bytes = 2 * pcm_channels
        if size % frame_bytes:
            raise AudioFileError(
                "bad_pcm",
                f"The pcm file has {size} bytes, which is not a whole number of "
                f"16-bit {pcm_channels}-channel frames.",
                "Check that it is 16-bit little-endian pcm with the given channel count, "
                "or export it again as wav.",
            )
        return AudioInfo(
            file_path, size, "RAW", "PCM_16", pcm_rate, pcm_channels, size // frame_bytes
        )
    try:
        info = soundfile.info(str(file_path))
    except Exception:  # libsndfile raises several types for garbage input
        raise AudioFileError(
            "not_audio",
            f"{file_path.name} is not an audio file this app can read.",
            "Choose a wav file (or pcm: 16 kHz, mono, 16-bit).",
        ) from None
    if info.samplerate <= 0 or info.channels <= 0:
        raise AudioFileError(
            "not_audio",
            f"{file_path.name} has an invalid audio header.",
            "Choose a wav file (or pcm: 16 kHz, mono, 16-bit).",
        )
    return AudioInfo(
        file_path,
        size,
        str(info.format),
        str(info.subtype),
        int(info.samplerate),
        int(info.channels),
        int(info.frames),
    )


def read_audio(
    path: str | os.PathLike[str],
    *,
    pcm_rate: int = TARGET_SAMPLE_RATE,
    pcm_channels: int = TARGET_CHANNELS,
    max_seconds: float = MAX_CHECK_SECONDS,
) -> AudioData:
    """Decode ``path`` into float32 samples; raise :class:`AudioFileError` when it can't."""
    info = probe_audio(path, pcm_rate=pcm_rate, pcm_channels=pcm_channels)
    if info.duration_seconds > max_seconds:
        raise AudioFileError(
            "too_long",
            f"The recording is {info.duration_seconds / 60:.0f} minutes long; "
            f"files over {max_seconds / 60:.0f} minutes are not checked.",
            "Use a recording of 10 to 60 seconds.",
        )
    try:
        if info.is_pcm:
            raw = np.fromfile(info.path, dtype="<i2")
            samples = (raw.astype(np.float32) / 32768.0).reshape(-1, info.channels)
        else:
            data, _rate = soundfile.read(
                str(info.path), dtype="float32", always_2d=True, frames=info.frames
            )
            samples = np.ascontiguousarray(data, dtype=np.float32)
    except (AudioFileError, MemoryError):
        raise
    except Exception:
        raise AudioFileError(
            "unreadable",
            f"{info.path.name} is damaged: its audio data cannot be decoded.",
            "Record again or export the file again as wav.",
        ) from None
    if samples.shape[0] == 0:
        raise AudioFileError("empty", "The file holds no audio.", "Record again.")
    # Float files may hold NaN/inf or values far above full scale.
    finite = np.isfinite(samples)
    non_finite = int(finite.size - np.count_nonzero(finite))
    if non_finite:
        samples = np.nan_to_num(samples, nan=0.0, posinf=1.0, neginf=-1.0)
    return AudioData(info, samples, non_finite)


def to_mono(samples: FloatArray) -> FloatArray:
    """Average the channels of a (frames, channels) array into a 1-D float32 array."""
    if samples.ndim == 1:
        return samples.astype(np.float32, copy=False)
    if samples.shape[1] == 1:
        return np.ascontiguousarray(samples[:, 0], dtype=np.float32)
    mixed: FloatArray = samples.mean(axis=1, dtype=np.float32)
    return mixed


def resample(samples: FloatArray, rate: int, target: int = TARGET_SAMPLE_RATE) -> FloatArray:
    """Resample a 1-D float32 signal with soxr (high quality); a no-op at the same rate."""
    if rate == target or samples.size == 0:
        return np.ascontiguousarray(samples, dtype=np.float32)
    soxr = importlib.import_module("soxr")
    out = soxr.resample(np.ascontiguousarray(samples, dtype=np.float32), rate, target, "HQ")
    return np.asarray(out, dtype=np.float32)


def to_target(audio: AudioData) -> FloatArray:
    """The audio as 16 kHz mono float32 (not yet quantised)."""
    return resample(to_mono(audio.samples), audio.sample_rate, TARGET_SAMPLE_RATE)


def to_int16(samples: FloatArray) -> Int16Array:
    """Quantise float samples to int16, clipping at full scale."""
    scaled = np.clip(np.rint(samples * 32768.0), -32768, 32767)
    out: Int16Array = scaled.astype(np.int16)
    return out


def trim_bounds(
    n_samples: int,
    segments: list[tuple[float, float]],
    rate: int = TARGET_SAMPLE_RATE,
    margin: float = TRIM_MARGIN_SECONDS,
) -> tuple[int, int]:
    """Sample range to keep: from ``margin`` before the first speech to after the last.

    With no speech segments everything is kept.
    """
    if not segments:
        return 0, n_samples
    start = max(0, int((segments[0][0] - margin) * rate))
    end = min(n_samples, int(np.ceil((segments[-1][1] + margin) * rate)))
    if end <= start:
        return 0, n_samples
    return start, end


def write_wav16(path: str | os.PathLike[str], samples: FloatArray | Int16Array) -> Path:
    """Write 16 kHz mono 16-bit WAV atomically (temp file + rename)."""
    target = Path(path)
    data = samples if samples.dtype == np.int16 else to_int16(samples.astype(np.float32))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".wav", dir=target.parent)
    os.close(fd)
    try:
        soundfile.write(tmp_name, data, TARGET_SAMPLE_RATE, format="WAV", subtype="PCM_16")
        os.replace(tmp_name, target)
    except Exception as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise AudioFileError(
            "write_failed",
            f"The converted file could not be written to {target} ({exc}).",
            "Choose a folder you can write to, with free space.",
        ) from None
    return target


def convert_file(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    *,
    trim: bool = True,
    pcm_rate: int = TARGET_SAMPLE_RATE,
    pcm_channels: int = TARGET_CHANNELS,
    segments: Sequence[tuple[float, float]] | None = None,
) -> Path:
    """Write ``src`` as 16 kHz mono 16-bit WAV to ``dst``; ``src`` is never modified.

    With ``trim``, long silence before the first and after the last speech
    (found by the voice-activity detector) is cut, keeping a short margin;
    pass ``segments`` (an :class:`AudioReport`'s ``speech_segments`` for the
    same file) to skip running the detector again.
    Raises :class:`AudioFileError` when ``src`` can't be read or ``dst`` written.
    """
    if Path(src).resolve() == Path(dst).resolve():
        raise AudioFileError(
            "same_file",
            "The converted file would overwrite the original.",
            "Choose another name for the converted file.",
        )
    audio = read_audio(src, pcm_rate=pcm_rate, pcm_channels=pcm_channels)
    mono = to_target(audio)
    if trim:
        if segments is None:
            from .vad import speech_segments

            try:
                segments = speech_segments(mono)
            except Exception:  # no VAD available: keep everything
                segments = []
        start, end = trim_bounds(mono.size, list(segments))
        mono = mono[start:end]
    return write_wav16(dst, mono)
