"""MiniMax voices (to be built)."""

from __future__ import annotations

from voiceprint_studio.ui.panel import Panel


class MiniMaxPanel(Panel):
    """Placeholder until the view lands."""
