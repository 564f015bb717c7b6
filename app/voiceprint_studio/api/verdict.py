"""The verdict of a speaker identification: scores, threshold, margin and clip length in,
one of a handful of outcomes out (pure, Qt-free; the identify dialog and the duplicate check
share it, for Coze and the offline workspace alike).

A best score at or above the threshold is a **match** only when it also leads the runner-up
by at least ``margin`` points; otherwise two voiceprints are too alike to tell apart
(**ambiguous**). A clip with less than :data:`MIN_CONFIDENT_SPEECH_SECONDS` of speech gets
**too_short** whatever its scores: the engines' error rates were calibrated on longer clips
(README, "Offline speaker identification"), so the app should ask for a longer clip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

#: The app's (and the Coze console's) default hit threshold.
DEFAULT_THRESHOLD = 40.0
#: The default lead the best score needs over the runner-up for a confident match. On the
#: calibration speech a true match led the best other speaker by 20 points or more in most
#: cases, while two voiceprints of one person score within a few points of each other.
DEFAULT_MARGIN = 5.0
#: Below this much detected speech (seconds) a clip is too short for a confident verdict
#: (the same value as ``voiceprint_studio.local.embedding.MIN_CONFIDENT_SPEECH_SECONDS``).
MIN_CONFIDENT_SPEECH_SECONDS = 3.0

VerdictKind = Literal["match", "ambiguous", "no_match", "too_short", "empty"]


@dataclass(frozen=True)
class Verdict:
    """What an identification means.

    ``kind``: ``match`` (``best`` is the speaker), ``ambiguous`` (``best`` and at least the
    runner-up are above the threshold or within ``margin`` of each other), ``no_match`` (no
    score reaches the threshold), ``too_short`` (the clip has too little speech to judge),
    ``empty`` (nothing was scored: an empty group). ``best`` and ``runner_up`` index the
    scores given (None when absent); ``lead`` is the best score minus the runner-up's
    (None with fewer than two scores).
    """

    kind: VerdictKind
    best: int | None
    runner_up: int | None
    lead: float | None

    @property
    def confident(self) -> bool:
        """True for a match or a no-match on a long-enough clip."""
        return self.kind in ("match", "no_match")


def verdict(
    scores: Sequence[float],
    threshold: float = DEFAULT_THRESHOLD,
    margin: float = DEFAULT_MARGIN,
    speech_seconds: float | None = None,
) -> Verdict:
    """The verdict for ``scores`` (any order; 0..100), the hit ``threshold``, the required
    ``margin`` to the runner-up, and the clip's seconds of speech (``None``: unknown, not
    judged; the recording checker's ``AudioReport.speech_seconds`` gives it)."""
    if margin < 0:
        raise ValueError("margin must not be negative")
    order = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)
    best = order[0] if order else None
    runner_up = order[1] if len(order) > 1 else None
    lead = None if best is None or runner_up is None else scores[best] - scores[runner_up]
    if speech_seconds is not None and speech_seconds < MIN_CONFIDENT_SPEECH_SECONDS:
        return Verdict("too_short", best, runner_up, lead)
    if best is None:
        return Verdict("empty", None, None, None)
    if scores[best] < threshold:
        return Verdict("no_match", best, runner_up, lead)
    if lead is not None and lead < margin:
        return Verdict("ambiguous", best, runner_up, lead)
    return Verdict("match", best, runner_up, lead)
