"""Speaker identification against a group."""
