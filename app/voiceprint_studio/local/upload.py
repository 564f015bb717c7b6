"""Validation of uploaded enrollment and identification audio (Coze rules).

The rules, with the codes the backend answers:

* empty file -> 4300; more than ``max_bytes`` (4 MB) -> 4302;
* the type is decided by extension first and content second: ``.wav`` / ``.pcm`` (any case)
  are taken at their word unless the content is recognisably another container (MP3, Ogg,
  FLAC, MP4, ...), which is 4303; a name without an extension is sniffed (``RIFF....WAVE``
  is wav, a recognisable other format is 4303, anything else is 4303 as well because raw
  pcm cannot be told from noise); any other extension is 4303;
* wav must be decodable by ``soundfile``, hold at least one frame and (float wav) no NaN
  or infinite sample, else 4304; its
  sample rate (read from the header, before any decoding) must be 8000..48000 Hz, else
  4000 naming ``sample_rate`` (a 96 KB file claiming 1 Hz made the engine upsample it to
  3 GB and 6 minutes of CPU);
* pcm must be 16 kHz mono 16-bit little-endian: the ``sample_rate`` / ``channel`` form fields
  (defaults 16000 and 1) must be integers (4000 otherwise) equal to 16000 and 1 (4000 with a
  message naming the field otherwise), and the byte count must be even and non-zero (4304).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# numpy and soundfile are imported where used: listing groups in the offline
# workspace should not load them into the GUI process.

from voiceprint_studio.local.engine import ENGINE_SAMPLE_RATE

MAX_FILE_BYTES = 4 * 1024 * 1024
MIN_WAV_RATE = 8000
MAX_WAV_RATE = 48000

_FOREIGN_MAGIC: tuple[tuple[int, bytes], ...] = (
    (0, b"ID3"),  # mp3 with ID3 tag
    (0, b"OggS"),
    (0, b"fLaC"),
    (4, b"ftyp"),  # mp4 / m4a
    (0, b"\x1a\x45\xdf\xa3"),  # webm / matroska
    (0, b"#!AMR"),
    (0, b"%PDF"),
    (0, b"\x89PNG"),
    (0, b"\xff\xd8\xff"),  # jpeg
    (0, b"PK\x03\x04"),  # zip
)


class UploadError(Exception):
    """An upload failed validation; ``code`` is the Coze error code."""

    def __init__(self, code: int, msg: str) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg


@dataclass(frozen=True)
class CheckedAudio:
    """An upload that passed validation.

    Validation reads only the header; the samples are decoded on first use
    (only a speaker engine needs them), which keeps a 4 MB upload cheap.
    """

    fmt: str  # "wav" or "pcm"
    data: bytes  # exactly the uploaded bytes
    sample_rate: int

    @cached_property
    def samples(self) -> npt.NDArray[np.float32]:
        """Mono float32 samples at ``sample_rate``."""
        import numpy as np
        import soundfile

        if self.fmt == "pcm":
            return np.frombuffer(self.data, dtype="<i2").astype(np.float32) / 32768.0
        raw, _rate = soundfile.read(io.BytesIO(self.data), dtype="float32", always_2d=True)
        mono: npt.NDArray[np.float32] = np.asarray(raw, dtype=np.float32).mean(axis=1)
        return mono.astype(np.float32)

    def engine_samples(self) -> npt.NDArray[np.float32]:
        """Return the samples resampled to 16 kHz (soxr, high quality) for an engine."""
        from voiceprint_studio.audio.audiofile import resample

        return resample(self.samples, self.sample_rate, ENGINE_SAMPLE_RATE)


def _is_wav(data: bytes) -> bool:
    return len(data) >= 12 and data[:4] in (b"RIFF", b"RIFX", b"RF64") and data[8:12] == b"WAVE"


def _is_foreign(data: bytes, *, loose: bool) -> bool:
    if any(data[off : off + len(magic)] == magic for off, magic in _FOREIGN_MAGIC):
        return True
    # MPEG audio frame sync (mp3 without ID3 tag); too weak for .pcm, whose first sample
    # may well look like it
    return (
        loose
        and len(data) >= 2
        and data[0] == 0xFF
        and (data[1] & 0xE0) == 0xE0
        and data[1] != 0xFF
    )


def _int_field(name: str, value: str | None, default: int) -> int:
    if value is None or value.strip() == "":
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise UploadError(4000, f"{name}: must be an integer, got {value!r}") from None


def detect_format(filename: str | None, data: bytes) -> str:
    """Return "wav" or "pcm" for the upload, or raise 4303."""
    name = (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not _is_wav(data) and _is_foreign(data, loose=ext != "pcm"):
        raise UploadError(4303, "unsupported file type: only wav and pcm are accepted")
    if ext == "wav":
        return "wav"
    if ext == "pcm":
        return "wav" if _is_wav(data) else "pcm"
    if ext == "" and _is_wav(data):
        return "wav"
    shown = f".{ext}" if ext else "unknown"
    raise UploadError(4303, f"unsupported file type ({shown}): only wav and pcm are accepted")


def check_upload(
    filename: str | None,
    data: bytes,
    *,
    sample_rate: str | None = None,
    channel: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> CheckedAudio:
    """Validate one uploaded file and decode it; raise :class:`UploadError` when invalid."""
    if not data:
        raise UploadError(4300, "file is empty")
    if len(data) > max_bytes:
        raise UploadError(
            4302, f"file is too large: {len(data)} bytes, the limit is {max_bytes} bytes"
        )
    fmt = detect_format(filename, data)
    if fmt == "pcm":
        rate = _int_field("sample_rate", sample_rate, ENGINE_SAMPLE_RATE)
        channels = _int_field("channel", channel, 1)
        if rate != ENGINE_SAMPLE_RATE:
            raise UploadError(4000, f"sample_rate: pcm must be 16000 Hz, got {rate}")
        if channels != 1:
            raise UploadError(4000, f"channel: pcm must be mono (1), got {channels}")
        if len(data) % 2:
            raise UploadError(4304, "invalid pcm: 16-bit audio needs an even number of bytes")
        return CheckedAudio("pcm", data, ENGINE_SAMPLE_RATE)
    import soundfile

    try:
        info = soundfile.info(io.BytesIO(data))
    except Exception as exc:  # soundfile raises several types for garbage
        raise UploadError(4304, f"invalid wav file: {exc}") from None
    if info.frames <= 0 or info.samplerate <= 0 or info.channels <= 0:
        raise UploadError(4304, "invalid wav file: no audio frames")
    if not MIN_WAV_RATE <= info.samplerate <= MAX_WAV_RATE:
        raise UploadError(
            4000,
            f"sample_rate: the wav's sample rate must be {MIN_WAV_RATE} to {MAX_WAV_RATE} Hz, "
            f"got {info.samplerate} Hz; convert the recording (16 kHz is best)",
        )
    if info.subtype in ("FLOAT", "DOUBLE"):
        # float samples can be NaN or infinite, which gives an embedding that never matches
        import numpy as np

        samples, _rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
        if not np.isfinite(samples).all():
            raise UploadError(4304, "invalid wav file: it holds NaN or infinite samples")
    return CheckedAudio("wav", data, int(info.samplerate))
