"""Voiceprint groups and the voiceprints in them: the two paged views and the group dialogs."""
