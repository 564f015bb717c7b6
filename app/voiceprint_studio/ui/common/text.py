"""Small text helpers shared by the views: filling translated templates, clocks."""

from __future__ import annotations

import re

from voiceprint_studio.transfer.reasons import sentences

__all__ = ["fill", "format_clock", "sentences"]


def fill(template: str, *values: str) -> str:
    """Put ``values`` into a translated template's ``%1``, ``%2``... in one pass."""
    return re.sub(
        r"%(\d)",
        lambda m: values[int(m.group(1)) - 1] if 0 < int(m.group(1)) <= len(values) else m[0],
        template,
    )


def format_clock(seconds: float) -> str:
    """``m:ss`` (whole seconds, rounded down)."""
    total = max(0, int(seconds))
    return f"{total // 60}:{total % 60:02d}"
