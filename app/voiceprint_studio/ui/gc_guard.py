"""Garbage collection on the GUI thread only.

Python's cyclic collector runs in whichever thread happens to allocate when a
threshold is crossed -- often a worker on the thread pool. If it then frees a
Qt object that belongs to the GUI thread, Qt may crash. The usual remedy in Qt
applications: switch automatic collection off and collect from a timer on the
GUI thread instead (young generations often, all of them rarely).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot


class GuiThreadCollector(QObject):
    """Collects garbage from a GUI-thread timer instead of from any thread."""

    def __init__(self, interval_ms: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.on_timer_timeout)
        self._timer.start()

    @Slot()
    def on_timer_timeout(self) -> None:
        # Collect a generation when its count passed the threshold, as the
        # automatic collector would, but here on the GUI thread.
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                break

    def stop(self) -> None:
        """Stop the timer, collect once, and restore automatic collection."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
