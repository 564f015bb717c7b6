"""Enrollment: the add/replace voiceprint dialog, the wizard and the duplicate check."""
