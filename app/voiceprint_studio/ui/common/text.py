"""Small text helpers shared by the views: filling translated templates, clocks."""

from __future__ import annotations

import re


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


#: Sentence ends after which Chinese text goes on with no space.
_FULL_WIDTH_ENDS = ("。", "！", "？", "；", "：", "）", "”")


def sentences(*parts: str) -> str:
    """Translated sentences one after the other: a space between them, none after a
    full-width sentence end ("…API 密钥。 请选择…" read as a slip)."""
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if text and not text.endswith(_FULL_WIDTH_ENDS):
            text += " "
        text += part
    return text
