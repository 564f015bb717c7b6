"""Voiceprint Studio: manage Coze voiceprints and MiniMax voices from the desktop."""

__version__ = "0.1.0"
