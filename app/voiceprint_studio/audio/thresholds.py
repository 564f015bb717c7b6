"""Every limit and threshold the audio checker and recorder use, in one place.

Coze's own rules (``shared/api/coze-voiceprint.md``) are hard limits; the rest
are this app's judgement of what makes a good enrollment recording.

=============================  ===========  ==========================================
constant                       value        meaning
=============================  ===========  ==========================================
MAX_UPLOAD_BYTES               4194304      Coze's per-file limit (4 MB); above: blocking
TARGET_SAMPLE_RATE             16000        what conversion produces (Hz)
TARGET_CHANNELS                1            mono
TARGET_SAMPLE_WIDTH            2            16-bit
MIN_SPEECH_SECONDS             3.0          less measured speech: blocking
RECOMMENDED_SPEECH_SECONDS     10.0         less measured speech: warning
MIN_DURATION_SECONDS           1.0          shorter file: blocking
QUIET_PEAK_DBFS_BLOCKING       -40.0        peak below this: blocking (too quiet)
QUIET_PEAK_DBFS_WARNING        -20.0        peak below this: warning
CLIP_LEVEL                     0.999        a sample at or above this magnitude is clipped
CLIP_FRACTION_WARNING          0.0005       share of clipped samples: warning (0.05 %)
CLIP_FRACTION_BLOCKING         0.01         share of clipped samples: blocking (1 %)
SNR_DB_WARNING                 20.0         speech-to-noise below this: warning
SNR_DB_BLOCKING                10.0         speech-to-noise below this: blocking
SNR_MIN_NOISE_SECONDS          0.5          non-speech needed to estimate noise at all
EDGE_SILENCE_WARNING_SECONDS   3.0          leading/trailing silence above: warning
TRIM_MARGIN_SECONDS            0.3          silence kept around speech when trimming
VAD_THRESHOLD                  0.5          Silero speech probability that starts speech
VAD_NEG_THRESHOLD              0.35         probability below which speech ends
VAD_MIN_SPEECH_SECONDS         0.25         shorter speech bursts are ignored
VAD_MIN_SILENCE_SECONDS        0.3          shorter pauses are bridged
MAX_CHECK_SECONDS              1800         longer files are not decoded (blocking)
LEVEL_FLOOR_DBFS               -120.0       what silence reports as a peak level
=============================  ===========  ==========================================

Why these numbers: 3 s of speech is the least from which a speaker embedding is
stable (Coze's guide asks for natural speech of a sentence or more; below that
enrollment fails or matches poorly); 10 s is where extra speech stops helping
much. A peak under -20 dBFS means the microphone is far (Coze asks for <= 50 cm)
or its gain is low; under -40 dBFS the voice is near the noise of a cheap
microphone. More than 1 % of samples at full scale means audible distortion.
20 dB SNR is a quiet room; 10 dB is a loud one (fans, street, others talking).
"""

from __future__ import annotations

from typing import Final

MAX_UPLOAD_BYTES: Final = 4 * 1024 * 1024
TARGET_SAMPLE_RATE: Final = 16000
TARGET_CHANNELS: Final = 1
TARGET_SAMPLE_WIDTH: Final = 2
WAV_HEADER_BYTES: Final = 44

MIN_SPEECH_SECONDS: Final = 3.0
RECOMMENDED_SPEECH_SECONDS: Final = 10.0
MIN_DURATION_SECONDS: Final = 1.0

QUIET_PEAK_DBFS_BLOCKING: Final = -40.0
QUIET_PEAK_DBFS_WARNING: Final = -20.0

CLIP_LEVEL: Final = 0.999
CLIP_FRACTION_WARNING: Final = 0.0005
CLIP_FRACTION_BLOCKING: Final = 0.01

SNR_DB_WARNING: Final = 20.0
SNR_DB_BLOCKING: Final = 10.0
SNR_MIN_NOISE_SECONDS: Final = 0.5

EDGE_SILENCE_WARNING_SECONDS: Final = 3.0
TRIM_MARGIN_SECONDS: Final = 0.3

VAD_THRESHOLD: Final = 0.5
VAD_NEG_THRESHOLD: Final = 0.35
VAD_MIN_SPEECH_SECONDS: Final = 0.25
VAD_MIN_SILENCE_SECONDS: Final = 0.3

MAX_CHECK_SECONDS: Final = 1800.0
LEVEL_FLOOR_DBFS: Final = -120.0


def max_take_frames(max_bytes: int = MAX_UPLOAD_BYTES) -> int:
    """Frames of 16 kHz mono 16-bit audio that fit in ``max_bytes`` with a WAV header."""
    return (max_bytes - WAV_HEADER_BYTES) // (TARGET_CHANNELS * TARGET_SAMPLE_WIDTH)


def max_take_seconds(max_bytes: int = MAX_UPLOAD_BYTES) -> float:
    """Seconds of 16 kHz mono 16-bit audio that fit in ``max_bytes`` (about 131 s for 4 MB)."""
    return max_take_frames(max_bytes) / TARGET_SAMPLE_RATE
