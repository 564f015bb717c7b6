"""Base of the main window's views: a workspace, a task runner and error display.

Every view (groups, voiceprints, MiniMax voices) derives from :class:`Panel`:
it runs its calls with :meth:`Panel.run_task` (on the thread pool, results
dropped when superseded or after the workspace changed), shows failures
through the shared :class:`~voiceprint_studio.ui.errors.ErrorPresenter`,
and reloads when :meth:`Panel.set_workspace` gives it a new connection.

Signals:
    busy_changed(bool): a call started (True) or the last one ended (False).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from voiceprint_studio.ui.errors import ErrorPresenter
from voiceprint_studio.ui.services import AppServices
from voiceprint_studio.ui.session import Workspace
from voiceprint_studio.ui.worker import TaskContext, TaskRunner, Worker


class Panel(QWidget):
    """A view that talks to the active workspace through workers."""

    busy_changed = Signal(bool)

    def __init__(
        self,
        services: AppServices,
        presenter: ErrorPresenter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.presenter = presenter
        self.runner = TaskRunner(parent=self)
        self.runner.busy_changed.connect(self.busy_changed)
        # Deleted without shutdown() (a window garbage-collected in a test):
        # stop the runner so that nothing is delivered to dead widgets. A lambda,
        # not the bound method: the runner (a child) is destroyed first, which
        # would drop a connection to its own method.
        runner = self.runner
        self.destroyed.connect(lambda: runner.shutdown())  # noqa: PLW0108
        self.workspace: Workspace | None = None

    @property
    def busy(self) -> bool:
        """Whether a call of this view is in flight."""
        return self.runner.busy

    def set_workspace(self, workspace: Workspace) -> None:
        """Use ``workspace`` from now on: drop what is in flight and reload."""
        self.runner.cancel_all()
        self.workspace = workspace
        self.refresh()

    def refresh(self) -> None:
        """Reload from the server (override)."""

    def shutdown(self) -> None:
        """Stop delivering results (the window is closing)."""
        self.runner.shutdown()

    def run_task(
        self,
        key: str,
        fn: Callable[[TaskContext], Any],
        on_success: Callable[[Any], None] | None = None,
        *,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        on_finished: Callable[[], None] | None = None,
        on_not_found: Callable[[], None] | None = None,
    ) -> Worker:
        """Run ``fn`` on the pool; failures go to ``on_failure`` or the error dialog."""

        def alive() -> bool:
            # A view deleted without being shut down (its window was garbage
            # collected) must not receive results: its widgets are gone.
            return shiboken6.isValid(self)

        def succeeded(result: object) -> None:
            if alive() and on_success is not None:
                on_success(result)

        def failed(exc: object) -> None:
            assert isinstance(exc, BaseException)
            if not alive():
                return
            if on_failure is not None:
                on_failure(exc)
            else:
                self.presenter.show(exc, self.window(), on_not_found=on_not_found)

        def progress(done: int, total: int) -> None:
            if alive() and on_progress is not None:
                on_progress(done, total)

        def finished() -> None:
            if alive() and on_finished is not None:
                on_finished()

        return self.runner.submit(
            key,
            fn,
            succeeded,
            on_failure=failed,
            on_progress=progress,
            on_finished=finished,
        )
