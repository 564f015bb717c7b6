"""The voiceprint groups of the Coze workspace (to be built)."""

from __future__ import annotations

from voiceprint_studio.ui.panel import Panel


class GroupsPanel(Panel):
    """Placeholder until the view lands."""
