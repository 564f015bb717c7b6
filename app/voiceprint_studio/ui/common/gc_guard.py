"""Garbage collection on the GUI thread only.

Python's cyclic collector runs in whichever thread happens to allocate when a
threshold is crossed -- often a worker on the thread pool. If it then frees a
Qt object that belongs to the GUI thread, Qt may crash. The usual remedy in Qt
applications: switch automatic collection off and collect from a timer on the
GUI thread instead (young generations often, all of them rarely).

A full collection traverses every tracked object: right after start-up about
60 000 (Qt wrappers, modules, the views), 20-35 ms of the GUI thread each time.
So the collector also

* freezes the start-up objects (:func:`gc.freeze`) once the start-up is over
  (``freeze_after_ms``): they live as long as the application, and full
  collections then only look at what was made since;
* runs a due full collection only when no task is running on the thread pool
  (a busy worker makes the GUI thread's own work slower), or at the latest
  ``full_delay_limit_ms`` after it became due.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QThreadPool, QTimer, Slot


class GuiThreadCollector(QObject):
    """Collects garbage from a GUI-thread timer instead of from any thread."""

    def __init__(
        self,
        interval_ms: int = 500,
        parent: QObject | None = None,
        *,
        freeze_after_ms: int | None = 3000,
        full_delay_limit_ms: int = 30000,
    ) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._full_delay_limit = full_delay_limit_ms / 1000
        self._full_due_since: float | None = None
        self.frozen = False
        self._freeze_timer: QTimer | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.on_timer_timeout)
        self._timer.start()
        if freeze_after_ms is not None:
            freeze_timer = self._freeze_timer = QTimer(self)
            freeze_timer.setSingleShot(True)
            freeze_timer.setInterval(freeze_after_ms)
            freeze_timer.timeout.connect(self.freeze)
            freeze_timer.start()

    @Slot()
    def freeze(self) -> None:
        """Keep every object tracked now out of later collections (see :func:`gc.freeze`)."""
        if not self.frozen:
            gc.freeze()
            self.frozen = True

    @Slot()
    def on_timer_timeout(self) -> None:
        # Collect a generation when its count passed the threshold, as the
        # automatic collector would, but here on the GUI thread.
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                if generation == 2 and not self._full_collection_now():
                    continue  # the younger generations still go
                gc.collect(generation)
                break

    def _full_collection_now(self) -> bool:
        now = time.monotonic()
        if self._full_due_since is None:
            self._full_due_since = now
        idle = QThreadPool.globalInstance().activeThreadCount() == 0
        if idle or now - self._full_due_since >= self._full_delay_limit:
            self._full_due_since = None
            return True
        return False

    def stop(self) -> None:
        """Stop the timers, collect once, and restore automatic collection."""
        self._timer.stop()
        if self._freeze_timer is not None:
            self._freeze_timer.stop()
        if self.frozen:
            gc.unfreeze()
            self.frozen = False
        gc.collect()
        if self._was_enabled:
            gc.enable()
