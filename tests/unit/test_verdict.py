"""The plain verdict on identification scores (api.verdict.decide)."""

from __future__ import annotations

import math

import pytest

from voiceprint_studio.api.models import FeatureScore
from voiceprint_studio.api.verdict import (
    DEFAULT_MARGIN,
    DEFAULT_THRESHOLD,
    MIN_SPEECH_SECONDS,
    VerdictKind,
    decide,
)


def _scores(*pairs: tuple[str, float]) -> list[FeatureScore]:
    return [FeatureScore(feature_id=f"id-{name}", feature_name=name, score=s) for name, s in pairs]


def test_defaults_are_the_documented_ones() -> None:
    assert (DEFAULT_THRESHOLD, DEFAULT_MARGIN, MIN_SPEECH_SECONDS) == (40.0, 10.0, 3.0)


def test_clear_lead_above_the_threshold_is_most_likely() -> None:
    verdict = decide(_scores(("Wang", 62.0), ("Li", 86.8), ("Zhao", 20.0)))
    assert verdict.kind is VerdictKind.LIKELY
    assert verdict.best is not None and verdict.best.feature_name == "Li"
    assert verdict.runner_up is not None and verdict.runner_up.feature_name == "Wang"
    assert verdict.lead == pytest.approx(24.8)
    assert verdict.is_match


def test_the_reported_near_tie_is_cant_tell() -> None:
    # "Match 86.8 for a stranger", another voiceprint also above the threshold close behind
    verdict = decide(_scores(("Li", 86.8), ("Wang", 80.1)))
    assert verdict.kind is VerdictKind.CANT_TELL
    assert verdict.is_match  # the duplicate check still warns
    assert verdict.lead == pytest.approx(6.7)


def test_margin_boundary() -> None:
    assert decide(_scores(("a", 60.0), ("b", 50.0))).kind is VerdictKind.LIKELY  # exactly 10
    assert decide(_scores(("a", 60.0), ("b", 50.01))).kind is VerdictKind.CANT_TELL
    assert decide(_scores(("a", 60.0), ("b", 55.0)), margin=4).kind is VerdictKind.LIKELY


def test_runner_up_below_the_threshold_still_counts_for_the_margin() -> None:
    assert decide(_scores(("a", 44.0), ("b", 38.0))).kind is VerdictKind.CANT_TELL
    assert decide(_scores(("a", 55.0), ("b", 38.0))).kind is VerdictKind.LIKELY


def test_threshold_is_strict_and_adjustable() -> None:
    assert decide(_scores(("a", 40.0))).kind is VerdictKind.NO_MATCH
    assert decide(_scores(("a", 40.01))).kind is VerdictKind.LIKELY  # alone: no runner-up
    assert decide(_scores(("a", 70.0)), 70).kind is VerdictKind.NO_MATCH
    verdict = decide(_scores(("a", 39.0), ("b", 12.0)))
    assert verdict.kind is VerdictKind.NO_MATCH and not verdict.is_match
    assert verdict.best is not None and verdict.best.feature_name == "a"  # for the details


def test_no_scores_and_non_finite_scores() -> None:
    verdict = decide([])
    assert verdict.kind is VerdictKind.NO_MATCH and verdict.best is None and verdict.lead is None
    only_nan = decide(_scores(("a", math.nan)))
    assert only_nan.kind is VerdictKind.NO_MATCH and only_nan.best is None
    mixed = decide(_scores(("a", math.nan), ("b", 70.0), ("c", math.inf)))
    assert mixed.kind is VerdictKind.LIKELY  # inf is not finite: dropped
    assert mixed.best is not None and mixed.best.feature_name == "b"


def test_too_little_speech_is_too_short_whatever_the_scores() -> None:
    clear = _scores(("a", 90.0), ("b", 20.0))
    assert decide(clear, speech_seconds=2.9).kind is VerdictKind.TOO_SHORT
    assert decide(_scores(("a", 10.0)), speech_seconds=0.0).kind is VerdictKind.TOO_SHORT
    assert decide(clear, speech_seconds=3.0).kind is VerdictKind.LIKELY
    assert decide(clear, speech_seconds=None).kind is VerdictKind.LIKELY
    assert decide(clear, speech_seconds=2.0).speech_seconds == 2.0


def test_a_near_tie_of_two_very_high_scores_is_one_voice_enrolled_twice() -> None:
    # the tester's: the same take enrolled twice scored 99.6 and 99.5, and the advice was
    # to record a longer clip, which cannot tell them apart
    twice = decide([FeatureScore("1", "李雷", "", 99.6), FeatureScore("2", "李雷 2", "", 99.5)])
    assert twice.kind is VerdictKind.CANT_TELL and twice.both_same_voice
    # the reported near tie of a stranger (86.8 and 80.1) is not
    stranger = decide([FeatureScore("1", "a", "", 86.8), FeatureScore("2", "b", "", 80.1)])
    assert stranger.kind is VerdictKind.CANT_TELL and not stranger.both_same_voice
    alone = decide([FeatureScore("1", "a", "", 99.0)])
    assert not alone.both_same_voice
