"""The voiceprints of the selected group (to be built)."""

from __future__ import annotations

from voiceprint_studio.ui.panel import Panel


class VoiceprintsPanel(Panel):
    """Placeholder until the view lands."""
