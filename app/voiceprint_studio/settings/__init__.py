"""Connection profiles, preferences and secrets."""
