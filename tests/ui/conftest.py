"""Fixtures for pytest-qt tests: no task may outlive its test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _no_running_pool_tasks() -> Iterator[None]:
    """Fail a test that leaves a task running on the global thread pool."""
    yield
    from PySide6.QtCore import QThreadPool

    pool = QThreadPool.globalInstance()
    if not pool.waitForDone(5000):
        pytest.fail(f"test left {pool.activeThreadCount()} pool task(s) running")
