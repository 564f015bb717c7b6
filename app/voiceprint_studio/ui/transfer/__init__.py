"""Voiceprints where they are needed: copy and move between groups and workspaces."""
