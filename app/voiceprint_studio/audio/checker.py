"""The enrollment checker: an :class:`AudioReport` of findings for one audio file.

:func:`check_file` never raises: unreadable or garbage input gives a report with a
blocking finding. Each :class:`Finding` has a ``severity`` (ok, warning,
blocking), a stable ``key`` (for translation), a plain English ``message``, what
to do (``advice``) and ``convertible`` when :func:`.audiofile.convert_file`
fixes it. Thresholds live in :mod:`.thresholds`.

Finding keys: ``unreadable``, ``empty``, ``not_audio``, ``too_long``, ``bad_pcm``,
``non_finite`` (a float file holding NaN or infinite samples: blocking, and nothing
else is measured -- such a take enrolled a voiceprint that never matched),
``container``, ``codec``, ``sample_rate``, ``channels``, ``bit_depth``,
``file_size``, ``duration``, ``speech``, ``level``, ``clipping``, ``noise``,
``leading_silence``, ``trailing_silence``, ``vad_unavailable``, ``internal_error``.
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from . import thresholds as th
from .audiofile import AudioData, AudioInfo, read_audio, to_target, trim_bounds
from .errors import AudioFileError
from .vad import FRAME_SAMPLES, FRAME_SECONDS, SpeechDetector, segments_from_probabilities

PCM_SUBTYPES = frozenset({"PCM_U8", "PCM_S8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE"})


class Severity(str, Enum):
    """How bad a finding is; ``blocking`` means Coze would reject it or enrollment would fail."""

    OK = "ok"
    WARNING = "warning"
    BLOCKING = "blocking"


_RANK = {Severity.OK: 0, Severity.WARNING: 1, Severity.BLOCKING: 2}


@dataclass(frozen=True)
class Finding:
    """One thing the checker found."""

    key: str
    severity: Severity
    message: str
    advice: str = ""
    convertible: bool = False
    value: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


@dataclass(frozen=True)
class AudioReport:
    """The checker's verdict on one file; measurements are ``None`` where not measured."""

    path: Path
    findings: tuple[Finding, ...]
    container: str | None = None
    subtype: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    size_bytes: int | None = None
    duration_seconds: float | None = None
    converted_size_bytes: int | None = None
    speech_seconds: float | None = None
    peak_dbfs: float | None = None
    clipped_fraction: float | None = None
    snr_db: float | None = None
    leading_silence_seconds: float | None = None
    trailing_silence_seconds: float | None = None
    speech_segments: tuple[tuple[float, float], ...] = field(default=(), repr=False)

    @property
    def severity(self) -> Severity:
        """The worst severity among the findings."""
        return max((f.severity for f in self.findings), key=_RANK.__getitem__, default=Severity.OK)

    @property
    def blocking(self) -> bool:
        """True when any finding is blocking."""
        return self.severity is Severity.BLOCKING

    def finding(self, key: str) -> Finding | None:
        """The finding with ``key``, if any."""
        return next((f for f in self.findings if f.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the CLI's ``--json`` shape)."""
        return {
            "path": str(self.path),
            "severity": self.severity.value,
            "blocking": self.blocking,
            "container": self.container,
            "subtype": self.subtype,
            "sample_rate": self.sample_rate,
            "channels": self.channels,
            "size_bytes": self.size_bytes,
            "duration_seconds": _round(self.duration_seconds),
            "converted_size_bytes": self.converted_size_bytes,
            "speech_seconds": _round(self.speech_seconds),
            "peak_dbfs": _round(self.peak_dbfs),
            "clipped_fraction": self.clipped_fraction,
            "snr_db": _round(self.snr_db),
            "leading_silence_seconds": _round(self.leading_silence_seconds),
            "trailing_silence_seconds": _round(self.trailing_silence_seconds),
            "findings": [f.to_dict() for f in self.findings],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _dbfs(level: float) -> float:
    return max(th.LEVEL_FLOOR_DBFS, 20.0 * math.log10(level)) if level > 0 else th.LEVEL_FLOOR_DBFS


def check_file(
    path: str | os.PathLike[str],
    *,
    pcm_rate: int = th.TARGET_SAMPLE_RATE,
    pcm_channels: int = th.TARGET_CHANNELS,
    detector: SpeechDetector | None = None,
) -> AudioReport:
    """Check one file for enrollment; never raises (bad input gives a blocking finding)."""
    file_path = Path(path)
    try:
        audio = read_audio(file_path, pcm_rate=pcm_rate, pcm_channels=pcm_channels)
    except AudioFileError as err:
        return AudioReport(
            file_path, (Finding(err.key, Severity.BLOCKING, err.message, err.next_step),)
        )
    except MemoryError:
        return AudioReport(file_path, (_internal("There is not enough memory to read it."),))
    except Exception as exc:  # belt and braces: the checker never raises
        return AudioReport(file_path, (_internal(str(exc)),))
    try:
        return check_audio(audio, detector=detector)
    except Exception as exc:
        return AudioReport(file_path, (_internal(str(exc)),))


def _internal(detail: str) -> Finding:
    return Finding(
        "internal_error",
        Severity.BLOCKING,
        f"The file could not be checked: {detail}",
        "Try another file; if this keeps happening, report it with the file.",
    )


def _format_findings(info: AudioInfo) -> list[Finding]:
    found: list[Finding] = []
    pcm = info.is_pcm
    if info.container in ("WAV", "RAW"):
        found.append(Finding("container", Severity.OK, f"{'PCM' if pcm else 'WAV'} file."))
    else:
        found.append(
            Finding(
                "container",
                Severity.BLOCKING,
                f"This is a {info.container} file; Coze accepts only wav and pcm.",
                "Convert it to a 16 kHz mono 16-bit wav.",
                convertible=True,
            )
        )
    if info.subtype not in PCM_SUBTYPES:
        found.append(
            Finding(
                "codec",
                Severity.BLOCKING,
                f"The audio is encoded as {info.subtype}, not plain PCM.",
                "Convert it to a 16 kHz mono 16-bit wav.",
                convertible=True,
            )
        )
    # A wav's header tells Coze its layout, so a different one is a warning;
    # pcm must be exactly 16 kHz mono 16-bit.
    off = Severity.BLOCKING if pcm else Severity.WARNING
    checks = (
        (
            "sample_rate",
            info.sample_rate == th.TARGET_SAMPLE_RATE,
            f"Sample rate {info.sample_rate} Hz",
            "16 kHz",
            float(info.sample_rate),
        ),
        (
            "channels",
            info.channels == th.TARGET_CHANNELS,
            f"{info.channels} channel{'s' if info.channels != 1 else ''}",
            "mono",
            float(info.channels),
        ),
        (
            "bit_depth",
            info.subtype == "PCM_16",
            f"Sample format {info.subtype}",
            "16-bit",
            None,
        ),
    )
    for key, good, what, want, value in checks:
        if good:
            found.append(Finding(key, Severity.OK, f"{what}.", value=value))
        elif key != "bit_depth" or info.subtype in PCM_SUBTYPES:
            found.append(
                Finding(
                    key,
                    off,
                    f"{what}; Coze expects {want}.",
                    "Conversion fixes this (16 kHz mono 16-bit wav).",
                    convertible=True,
                    value=value,
                )
            )
    return found


def check_audio(audio: AudioData, *, detector: SpeechDetector | None = None) -> AudioReport:
    """Check decoded audio (see :func:`check_file`, which also catches errors)."""
    info = audio.info
    findings = _format_findings(info)
    if audio.non_finite:
        findings.append(_non_finite_finding(audio.non_finite))
        return AudioReport(
            path=info.path,
            findings=tuple(findings),
            container=info.container,
            subtype=info.subtype,
            sample_rate=info.sample_rate,
            channels=info.channels,
            size_bytes=info.size_bytes,
            duration_seconds=info.duration_seconds,
        )
    duration = info.duration_seconds
    mono = to_target(audio)

    # Speech, by the voice-activity detector.
    segments: list[tuple[float, float]] | None
    try:
        if detector is None:
            from .vad import speech_probabilities

            probs = speech_probabilities(mono)
        else:
            probs = detector(mono)
        segments = segments_from_probabilities(probs)
    except Exception as exc:
        segments = None
        findings.append(
            Finding(
                "vad_unavailable",
                Severity.WARNING,
                f"Speech could not be measured ({exc}).",
                "Listen to the recording to make sure it holds at least 10 s of clear speech.",
            )
        )
    speech_seconds = None if segments is None else sum(e - s for s, e in segments)

    # Size after conversion (and after trimming edge silence).
    start, end = trim_bounds(mono.size, segments or [])
    converted_size = th.WAV_HEADER_BYTES + 2 * (end - start)
    if info.size_bytes <= th.MAX_UPLOAD_BYTES:
        findings.append(
            Finding("file_size", Severity.OK, f"{_mb(info.size_bytes)}.", value=info.size_bytes)
        )
    elif converted_size <= th.MAX_UPLOAD_BYTES:
        findings.append(
            Finding(
                "file_size",
                Severity.BLOCKING,
                f"The file is {_mb(info.size_bytes)}; Coze accepts at most 4 MB.",
                f"Conversion makes it {_mb(converted_size)}, which fits.",
                convertible=True,
                value=info.size_bytes,
            )
        )
    else:
        findings.append(
            Finding(
                "file_size",
                Severity.BLOCKING,
                f"The file is {_mb(info.size_bytes)} and still {_mb(converted_size)} after "
                "conversion; Coze accepts at most 4 MB.",
                f"Use a shorter recording (at most {th.max_take_seconds():.0f} s).",
                value=info.size_bytes,
            )
        )

    if duration < th.MIN_DURATION_SECONDS:
        findings.append(
            Finding(
                "duration",
                Severity.BLOCKING,
                f"The recording is only {duration:.1f} s long.",
                "Record at least 10 seconds of speech.",
                value=duration,
            )
        )
    else:
        findings.append(
            Finding("duration", Severity.OK, f"Length {duration:.1f} s.", value=duration)
        )

    if speech_seconds is not None:
        findings.append(_speech_finding(speech_seconds))

    # Level and clipping, on the original samples.
    magnitude = np.abs(audio.samples)
    peak = float(magnitude.max()) if magnitude.size else 0.0
    peak_dbfs = _dbfs(peak)
    clipped = float(np.count_nonzero(magnitude >= th.CLIP_LEVEL)) / max(1, magnitude.size)
    findings.append(_level_finding(peak_dbfs))
    findings.append(_clip_finding(clipped))

    snr: float | None = None
    leading = trailing = None
    if segments:
        snr = _snr_db(mono, segments)
        if snr is not None:
            findings.append(_noise_finding(snr))
        leading = segments[0][0]
        trailing = max(0.0, mono.size / th.TARGET_SAMPLE_RATE - segments[-1][1])
        for key, where, value in (
            ("leading_silence", "before the speech starts", leading),
            ("trailing_silence", "after the speech ends", trailing),
        ):
            if value > th.EDGE_SILENCE_WARNING_SECONDS:
                findings.append(
                    Finding(
                        key,
                        Severity.WARNING,
                        f"There are {value:.1f} s of silence {where}.",
                        "Conversion trims it, keeping a short margin.",
                        convertible=True,
                        value=value,
                    )
                )
            else:
                findings.append(Finding(key, Severity.OK, f"{value:.1f} s of silence {where}."))

    return AudioReport(
        path=info.path,
        findings=tuple(findings),
        container=info.container,
        subtype=info.subtype,
        sample_rate=info.sample_rate,
        channels=info.channels,
        size_bytes=info.size_bytes,
        duration_seconds=duration,
        converted_size_bytes=converted_size,
        speech_seconds=speech_seconds,
        peak_dbfs=peak_dbfs,
        clipped_fraction=clipped,
        snr_db=snr,
        leading_silence_seconds=leading,
        trailing_silence_seconds=trailing,
        speech_segments=tuple(segments or ()),
    )


def _non_finite_finding(count: int) -> Finding:
    return Finding(
        "non_finite",
        Severity.BLOCKING,
        f"The audio data is damaged: {count} samples are not numbers (NaN or infinite), "
        "so a voiceprint made from it would never match.",
        "Export the recording again from the program that made it, or record a new take.",
        value=float(count),
    )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.2f} MB"


def _speech_finding(seconds: float) -> Finding:
    if seconds < th.MIN_SPEECH_SECONDS:
        what = "No speech was found" if seconds == 0 else f"Only {seconds:.1f} s of speech"
        return Finding(
            "speech",
            Severity.BLOCKING,
            f"{what}; enrollment needs at least {th.MIN_SPEECH_SECONDS:.0f} s.",
            "Record again, speaking naturally for 10 to 30 seconds.",
            value=seconds,
        )
    if seconds < th.RECOMMENDED_SPEECH_SECONDS:
        return Finding(
            "speech",
            Severity.WARNING,
            f"{seconds:.1f} s of speech; {th.RECOMMENDED_SPEECH_SECONDS:.0f} s or more "
            "gives a more reliable voiceprint.",
            "Record a longer take if you can.",
            value=seconds,
        )
    return Finding("speech", Severity.OK, f"{seconds:.1f} s of speech.", value=seconds)


def _level_finding(peak_dbfs: float) -> Finding:
    if peak_dbfs < th.QUIET_PEAK_DBFS_BLOCKING:
        return Finding(
            "level",
            Severity.BLOCKING,
            f"The recording is far too quiet (peak {peak_dbfs:.0f} dBFS).",
            "Check the microphone is on and not muted, raise its input level, and speak "
            "within 50 cm of it.",
            value=peak_dbfs,
        )
    if peak_dbfs < th.QUIET_PEAK_DBFS_WARNING:
        return Finding(
            "level",
            Severity.WARNING,
            f"The recording is quiet (peak {peak_dbfs:.0f} dBFS).",
            "Move closer to the microphone (within 50 cm) or raise its input level.",
            value=peak_dbfs,
        )
    return Finding("level", Severity.OK, f"Peak level {round(peak_dbfs)} dBFS.", value=peak_dbfs)


def _clip_finding(fraction: float) -> Finding:
    pct = fraction * 100
    if fraction > th.CLIP_FRACTION_BLOCKING:
        return Finding(
            "clipping",
            Severity.BLOCKING,
            f"The recording is distorted: {pct:.1f} % of samples are at full scale.",
            "Lower the microphone's input level or move a little further away, and record again.",
            value=fraction,
        )
    if fraction > th.CLIP_FRACTION_WARNING:
        return Finding(
            "clipping",
            Severity.WARNING,
            f"Some peaks are clipped ({pct:.2f} % of samples at full scale).",
            "Lower the input level a little.",
            value=fraction,
        )
    return Finding("clipping", Severity.OK, "No clipping.", value=fraction)


def _snr_db(mono: npt.NDArray[np.float32], segments: list[tuple[float, float]]) -> float | None:
    """Speech-to-noise ratio from the power of speech frames vs non-speech frames."""
    n = mono.size // FRAME_SAMPLES
    if n == 0:
        return None
    frames = mono[: n * FRAME_SAMPLES].astype(np.float64).reshape(n, FRAME_SAMPLES)
    power = (frames**2).mean(axis=1)
    is_speech = np.zeros(n, dtype=bool)
    guard = np.zeros(n, dtype=bool)  # frames next to speech hold its onset/decay
    for s, e in segments:
        a, b = int(s / FRAME_SECONDS), math.ceil(e / FRAME_SECONDS)
        is_speech[a:b] = True
        guard[max(0, a - 3) : b + 3] = True
    noise = power[~guard]
    if noise.size * FRAME_SECONDS < th.SNR_MIN_NOISE_SECONDS or not is_speech.any():
        return None
    p_noise = float(noise.mean())
    p_speech = float(power[is_speech].mean())
    if p_noise <= 1e-12:
        return 90.0
    return float(min(90.0, 10.0 * math.log10(max(p_speech - p_noise, 1e-12) / p_noise)))


def _noise_finding(snr: float) -> Finding:
    if snr < th.SNR_DB_BLOCKING:
        return Finding(
            "noise",
            Severity.BLOCKING,
            f"The background is very noisy (speech is only {snr:.0f} dB above it).",
            "Record in a quiet room, away from fans and other voices.",
            value=snr,
        )
    if snr < th.SNR_DB_WARNING:
        return Finding(
            "noise",
            Severity.WARNING,
            f"There is noticeable background noise (speech is {snr:.0f} dB above it).",
            "A quieter room gives a better voiceprint.",
            value=snr,
        )
    return Finding("noise", Severity.OK, f"Background is quiet ({snr:.0f} dB below speech).")
