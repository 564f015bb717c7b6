"""Garbage is collected on the GUI thread's timer, not by whichever thread allocates."""

from __future__ import annotations

import gc

from pytestqt.qtbot import QtBot

from voiceprint_studio.ui.gc_guard import GuiThreadCollector


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
