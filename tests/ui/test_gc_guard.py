"""Garbage is collected on the GUI thread's timer, not by whichever thread allocates."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QRunnable, QThreadPool
from pytestqt.qtbot import QtBot

from voiceprint_studio.ui.common.gc_guard import GuiThreadCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_collector_runs_from_the_timer_and_restores_gc(qtbot: QtBot) -> None:
    gc.enable()
    try:
        collector = GuiThreadCollector(interval_ms=10)
        assert not gc.isenabled()
        gc.collect()
        for _ in range(gc.get_threshold()[0] + 50):
            _Cycle()  # unreachable cycles only a collection frees
        assert gc.get_count()[0] > gc.get_threshold()[0]
        qtbot.waitUntil(lambda: gc.get_count()[0] < gc.get_threshold()[0], timeout=2000)
        collector.stop()
        assert gc.isenabled()
    finally:
        gc.disable()  # the test session keeps automatic collection off (tests/ui_fixtures.py)


def test_start_up_objects_are_frozen_after_the_start_up(qtbot: QtBot) -> None:
    collector = GuiThreadCollector(interval_ms=1000, freeze_after_ms=20)
    try:
        assert not collector.frozen
        qtbot.waitUntil(lambda: collector.frozen, timeout=2000)
        assert gc.get_freeze_count() > 0
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0  # stop() hands everything back to the collector


def test_full_collection_waits_for_an_idle_pool_at_most_the_limit(qtbot: QtBot) -> None:
    release = threading.Event()
    started = threading.Event()

    class Blocker(QRunnable):
        def run(self) -> None:
            started.set()
            release.wait(10)

    collector = GuiThreadCollector(interval_ms=1000, freeze_after_ms=None, full_delay_limit_ms=150)
    pool = QThreadPool.globalInstance()
    try:
        assert collector._full_collection_now()  # idle pool: at once
        pool.start(Blocker())
        assert started.wait(5)
        assert not collector._full_collection_now()  # a worker runs: postponed...
        qtbot.waitUntil(collector._full_collection_now, timeout=3000)  # ...but not for ever
    finally:
        release.set()
        pool.waitForDone(5000)
        collector.stop()
