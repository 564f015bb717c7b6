"""Fixtures that start the embedded backend (filled in by the backend work)."""
