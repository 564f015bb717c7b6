"""Shared UI infrastructure: workers, errors, the workspace session, paged views, tables."""
