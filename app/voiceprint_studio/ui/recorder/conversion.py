"""Which findings conversion fixes: the file's format for Coze, or silence at the edges.

Coze takes a 16 kHz mono 16-bit wav (or pcm) of at most 4 MB. A file that differs in
type, encoding, sample rate, channels, bit depth or size "needs conversion": the add
dialog converts it before sending. Long silence before or after the speech is only
trimmed when the operator asks ("Trim silence").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from voiceprint_studio.audio import AudioReport

# Findings about the format Coze accepts.
FORMAT_KEYS = frozenset({"container", "codec", "sample_rate", "channels", "bit_depth", "file_size"})
# Findings that trimming silence fixes.
SILENCE_KEYS = frozenset({"leading_silence", "trailing_silence"})


def _convertible(report: AudioReport, keys: frozenset[str]) -> bool:
    return any(
        f.key in keys and f.convertible and f.severity.value != "ok" for f in report.findings
    )


def needs_conversion(report: object) -> bool:
    """Whether Coze would reject the file as it is and conversion fixes that."""
    findings = getattr(report, "findings", None)
    return findings is not None and _convertible(report, FORMAT_KEYS)  # type: ignore[arg-type]


# Blocking findings that cutting silence can fix (the take gets shorter and smaller).
TRIM_FIXES = SILENCE_KEYS | {"duration", "file_size"}


def trim_offered(report: AudioReport) -> bool:
    """Whether there is long silence at an edge that "Trim silence" cuts, and nothing
    trimming cannot fix blocks the take (a take with 2 s of speech stays unusable: the
    button was offered for it)."""
    blocking = [f for f in report.findings if f.severity.value == "blocking"]
    return _convertible(report, SILENCE_KEYS) and all(
        f.key in TRIM_FIXES or (f.convertible and f.key in FORMAT_KEYS) for f in blocking
    )


def fixed_by_conversion(report: AudioReport) -> bool:
    """Whether every blocking finding is one that conversion fixes."""
    blocking = [f for f in report.findings if f.severity.value == "blocking"]
    return bool(blocking) and all(f.convertible and f.key in FORMAT_KEYS for f in blocking)
