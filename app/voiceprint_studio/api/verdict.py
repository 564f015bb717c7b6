"""The plain verdict on speaker-identification scores: one rule for every screen.

Identify and the duplicate check before enrolling both say one of three things:

* **Most likely <name>** -- the best score is above the hit threshold *and* clearly ahead
  of the runner-up (by at least :data:`DEFAULT_MARGIN` points);
* **Can't tell <a> from <b> -- record a longer clip** -- the best score is above the
  threshold but the runner-up is within the margin, or the clip holds too little speech
  (less than :data:`MIN_SPEECH_SECONDS`) for any score to be trusted;
* **No match** -- nothing scored above the threshold.

:func:`decide` is pure (no Qt, no I/O): the UI turns its :class:`Verdict` into words.

Why a margin of 10 points. The offline engine's score curve
(:func:`voiceprint_studio.local.ge2e.similarity_to_score`) maps cosine similarity 0.75 to
40 and 1.0 to 100, so above the threshold one point is about 0.004 of similarity and 10
points about 0.04. On the calibration speech (README, "Offline speaker identification")
a same speaker's median score is about 81 (similarity 0.92) while the closest different
speaker reached about 60 (0.834): about 20 points apart. A lead of 10 points -- half that
gap -- is what separates "the same voice" from "a similar voice" with room for the noise
of a short clip; a smaller lead is a near tie (the reported case: a stranger at 86.8 with
another voiceprint a few points behind), which a longer clip usually settles. Coze's
scores are on another scale but the same 0..100 range, and its console's default
threshold is also 40; the same margin is used there.

Checked on the only speech the repository can make on its own, the eight espeak-ng voices
of ``tests/unit/test_speaker_engine.py`` (synthetic: a smoke test, not a calibration).
Each voice's own test clip leads the runner-up by 10.7 to 32.8 points, so a margin of 10
keeps all eight "Most likely <the right voice>". With the voice itself not enrolled (a
stranger), the threshold alone lets all eight through as a match (best scores 57 to 72);
the margin turns three of them (leads 3.9, 7.2, 8.4) into "Can't tell". A margin of 12
would catch five strangers but lose one right answer (the 10.7 lead).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from .models import FeatureScore

# The default hit threshold (the identify dialog's and the Coze console's default).
DEFAULT_THRESHOLD = 40.0
# How far (in score points) the best must lead the runner-up for "Most likely".
DEFAULT_MARGIN = 10.0
# Below this much speech in the clip no score is trusted ("record a longer clip").
MIN_SPEECH_SECONDS = 3.0
# Two voiceprints both at least this close to one clip are likely one person enrolled
# twice (the same take, or takes of one sitting), which a longer clip does not settle.
# Well above what different takes of one speaker score (a median of about 81 on the
# calibration speech) and what a stranger reached in the reported near tie (86.8).
SAME_VOICE_SCORE = 95.0


class VerdictKind(Enum):
    """What the verdict says."""

    LIKELY = "likely"  # Most likely <best>
    CANT_TELL = "cant_tell"  # Can't tell <best> from <runner_up> -- record a longer clip
    TOO_SHORT = "too_short"  # Too little speech to tell -- record a longer clip
    NO_MATCH = "no_match"  # No match


@dataclass(frozen=True)
class Verdict:
    """The verdict and the numbers that made it (for the details line)."""

    kind: VerdictKind
    # The highest score (None when there were no usable scores).
    best: FeatureScore | None
    # The second highest score, if any.
    runner_up: FeatureScore | None
    threshold: float
    margin: float
    speech_seconds: float | None = None

    @property
    def lead(self) -> float | None:
        """How far the best is ahead of the runner-up (None without a runner-up)."""
        if self.best is None or self.runner_up is None:
            return None
        return self.best.score - self.runner_up.score

    @property
    def both_same_voice(self) -> bool:
        """Whether the best and the runner-up both score like the clip's own speaker (a
        near tie of two voiceprints of one person, enrolled twice)."""
        return (
            self.runner_up is not None
            and self.best is not None
            and self.runner_up.score >= SAME_VOICE_SCORE
        )

    @property
    def is_match(self) -> bool:
        """Whether the best score is above the threshold (a possible duplicate, say)."""
        return self.best is not None and passes(self.best.score, self.threshold)


def passes(score: float, threshold: float) -> bool:
    """Whether ``score`` is above ``threshold`` (strictly, so "no score above" is exact)."""
    return math.isfinite(score) and score > threshold


def ranked(scores: Sequence[FeatureScore]) -> tuple[FeatureScore, ...]:
    """The finite scores, best first (whatever the server's order)."""
    return tuple(sorted((s for s in scores if math.isfinite(s.score)), key=lambda s: -s.score))


def decide(
    scores: Sequence[FeatureScore],
    threshold: float = DEFAULT_THRESHOLD,
    *,
    margin: float = DEFAULT_MARGIN,
    speech_seconds: float | None = None,
) -> Verdict:
    """The verdict on ``scores`` at ``threshold``.

    ``speech_seconds``: how much speech the clip holds, when measured (None: not
    measured). Under :data:`MIN_SPEECH_SECONDS` the verdict is "too short" whatever the
    scores: a score from so little speech says nothing either way.
    """
    order = ranked(scores)
    best = order[0] if order else None
    runner_up = order[1] if len(order) > 1 else None
    if speech_seconds is not None and speech_seconds < MIN_SPEECH_SECONDS:
        kind = VerdictKind.TOO_SHORT
    elif best is None or not passes(best.score, threshold):
        kind = VerdictKind.NO_MATCH
    elif runner_up is not None and best.score - runner_up.score < margin:
        kind = VerdictKind.CANT_TELL
    else:
        kind = VerdictKind.LIKELY
    return Verdict(kind, best, runner_up, float(threshold), float(margin), speech_seconds)
