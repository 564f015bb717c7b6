"""The one worker primitive: every API call and every file read runs through it.

A :class:`Worker` is a ``QRunnable`` that calls a plain function on a
``QThreadPool`` thread and reports back through a :class:`WorkerSignals`
object, whose signals are delivered on the GUI thread (queued connections).
``run()`` catches everything and emits ``failed``; it never touches a widget.

:class:`TaskRunner` owns the workers of one view or dialog:

* results of a task that was superseded by a newer task with the same key
  (a newer page was asked for) are dropped, not delivered;
* after :meth:`TaskRunner.shutdown` (the dialog closed) nothing is delivered,
  in-flight tasks are asked to cancel, and the pool is drained.

Every progress report reaches the GUI thread as its own queued call, so a
task that reports very often (an upload reads 64 KiB chunks) wraps its
reporting in a :class:`ProgressThrottle`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from voiceprint_studio.api.uploads import CancelToken, cancel_scope


class TaskCancelledError(Exception):
    """Raised inside a task function that noticed it was cancelled."""


@dataclass
class TaskContext:
    """What a task function may use: progress reporting and a cancel flag."""

    _report: Callable[[int, int], None]
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def progress(self, done: int, total: int) -> None:
        """Report progress in units of the task's choice (bytes for uploads)."""
        self._report(done, total)

    @property
    def cancelled(self) -> bool:
        """Whether the owner asked this task to stop."""
        return self.cancel_event.is_set()

    def check_cancelled(self) -> None:
        """Raise :class:`TaskCancelledError` if the owner asked this task to stop."""
        if self.cancel_event.is_set():
            raise TaskCancelledError


class ProgressThrottle:
    """Passes on progress reports at a pace the GUI thread can take.

    Each report delivered is a queued call into Python on the GUI thread; an
    in-process upload of 4 MB reads 64 chunks within a few milliseconds while
    its worker holds the GIL most of the time, and handling 64 queued updates in
    a row stalled the GUI for tens of milliseconds. A report is passed on when
    it is the first, the last (``done >= total``), a step back (a retry
    restarted the upload), at least ``1/steps`` of the total further on than
    the last one passed on, or ``interval`` seconds after it: a fast upload shows
    about ``steps`` updates, a slow one still moves every ``interval``.
    Call it from the one thread that runs the task.
    """

    def __init__(
        self,
        report: Callable[[int, int], None],
        *,
        steps: int = 10,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._report = report
        self._steps = max(1, steps)
        self._interval = interval
        self._clock = clock
        self._done: int | None = None
        self._at = 0.0

    def __call__(self, done: int, total: int) -> None:
        """Report ``done`` of ``total`` if it is worth a GUI update now."""
        now = self._clock()
        last = self._done
        if (
            last is None
            or done >= total
            or done < last
            or (done - last) * self._steps >= total
            or now - self._at >= self._interval
        ):
            self._done, self._at = done, now
            self._report(done, total)


class WorkerSignals(QObject):
    """Signals of one :class:`Worker`.

    Signals:
        succeeded(object): the function's return value.
        failed(object): the exception it raised.
        progress(object, object): ``(done, total)`` as reported by the function.
        finished(): always last, after ``succeeded`` or ``failed``.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    progress = Signal(object, object)
    finished = Signal()


class Worker(QRunnable):
    """Runs ``fn(context)`` on a pool thread and reports through :attr:`signals`."""

    def __init__(self, fn: Callable[[TaskContext], Any], key: str = "") -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.key = key
        self.generation = 0  # set by the TaskRunner that starts it
        self.signals = WorkerSignals()
        self._fn = fn
        self.context = TaskContext(self._emit_progress)
        # Reads the function makes end at once when the worker is cancelled (Stop, a newer
        # page, the view closing); see voiceprint_studio.api.uploads.cancel_scope.
        self.cancel_token = CancelToken()

    def _emit_progress(self, done: int, total: int) -> None:
        self.signals.progress.emit(done, total)

    def cancel(self) -> None:
        """Ask the function to stop at its next check; a read it waits on ends at once."""
        self.context.cancel_event.set()
        self.cancel_token.cancel()

    def run(self) -> None:
        """Call the function; never lets an exception escape the pool thread."""
        try:
            with cancel_scope(self.cancel_token):
                result = self._fn(self.context)
        except BaseException as exc:  # everything goes to `failed`
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)
        finally:
            self.signals.finished.emit()


Callback = Callable[[Any], None]


class TaskRunner(QObject):
    """Starts workers for one owner and delivers only results that still matter.

    Signals:
        busy_changed(bool): the first task started (True) or the last one ended (False),
            superseded tasks included.
    """

    busy_changed = Signal(bool)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool if pool is not None else QThreadPool.globalInstance()
        self._generation: dict[str, int] = {}
        self._active: set[Worker] = set()
        self._closed = False

    @property
    def busy(self) -> bool:
        """Whether any task of this runner is still in flight."""
        return bool(self._active)

    def in_flight(self, key: str) -> bool:
        """Whether a task with ``key`` is in flight (cancelled and superseded ones included)."""
        return any(w.key == key for w in self._active)

    def awaiting(self, key: str) -> bool:
        """Whether the latest task with ``key`` is in flight and its result still wanted."""
        generation = self._generation.get(key)
        return any(w.key == key and w.generation == generation for w in self._active)

    def submit(
        self,
        key: str,
        fn: Callable[[TaskContext], Any],
        on_success: Callback | None = None,
        *,
        on_failure: Callback | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        on_finished: Callable[[], None] | None = None,
        on_dropped: Callback | None = None,
    ) -> Worker:
        """Run ``fn`` on the pool; a later submit with the same key supersedes this one.

        ``on_dropped``: given what ``fn`` returned when it came too late to matter (it was
        cancelled, superseded, or the runner shut down meanwhile) -- say, to remove a
        file it made that nobody will be told of."""
        if self._closed:
            raise RuntimeError("TaskRunner is shut down")
        generation = self._generation.get(key, 0) + 1
        self._generation[key] = generation
        worker = Worker(fn, key)
        worker.generation = generation

        def current() -> bool:
            return not self._closed and self._generation.get(key) == generation

        def succeeded(result: object) -> None:
            if not current():
                if on_dropped is not None:
                    on_dropped(result)
            elif on_success is not None:
                on_success(result)

        def failed(exc: object) -> None:
            if current() and on_failure is not None:
                on_failure(exc)

        def progress(done: int, total: int) -> None:
            if current() and on_progress is not None:
                on_progress(done, total)

        def finished() -> None:
            self._active.discard(worker)
            if current() and on_finished is not None:
                on_finished()
            # The runner may already be deleted (its owner was garbage-collected).
            if not self._active and not self._closed and shiboken6.isValid(self):
                self.busy_changed.emit(False)

        worker.signals.succeeded.connect(succeeded)
        worker.signals.failed.connect(failed)
        worker.signals.progress.connect(progress)
        worker.signals.finished.connect(finished)
        was_idle = not self._active
        self._active.add(worker)
        self._pool.start(worker)
        if was_idle:
            self.busy_changed.emit(True)
        return worker

    def cancel(self, key: str) -> None:
        """Cancel the tasks with ``key`` and drop whatever they deliver."""
        self._generation[key] = self._generation.get(key, 0) + 1
        for worker in list(self._active):
            if worker.key == key:
                worker.cancel()

    def cancel_all(self) -> None:
        """Cancel every task in flight and drop whatever they deliver."""
        for key in list(self._generation):
            self._generation[key] += 1
        for worker in list(self._active):
            worker.cancel()

    def shutdown(self, wait_ms: int = 0) -> bool:
        """Stop delivering and cancel everything in flight.

        With ``wait_ms`` > 0 (closing the application) also wait that long for
        the pool's threads; returns whether the pool is idle.
        """
        self._closed = True
        for worker in list(self._active):
            worker.cancel()
        if wait_ms > 0:
            return self._pool.waitForDone(wait_ms)
        return not self._active
