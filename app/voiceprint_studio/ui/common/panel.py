"""Base of the main window's views: a workspace, a task runner and error display.

Every view (groups, voiceprints, MiniMax voices) derives from :class:`Panel`:
it runs its calls with :meth:`Panel.run_task` (on the thread pool, results
dropped when superseded or after the workspace changed), shows failures
through the shared :class:`~voiceprint_studio.ui.common.errors.ErrorPresenter`,
and reloads when :meth:`Panel.set_workspace` gives it a new connection.

Signals:
    busy_changed(bool): a call started (True) or the last one ended (False).

The views' one-line texts (what is loading, what last happened, "page X of Y")
are :class:`LineLabel` and :class:`StatusStrip`: their size hints never depend
on their text and they place their children themselves, so a new text or the
busy bar appearing repaints that line only. (A ``QLabel`` in a layout asks the
whole chain of layouts up to the main window to run again whenever its text
changes; the tab widget then repaints the whole window: two or three full
repaints per page loaded, 20-40 ms of the GUI thread next to a busy worker.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QAbstractItemModel, QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.ui.common.errors import ErrorPresenter
from voiceprint_studio.ui.common.pager import Pager
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.common.worker import TaskContext, TaskRunner, Worker

T = TypeVar("T")

# An access key written after the words, as Chinese texts have it: "替换音频(&R)…".
_ACCESS_KEY = re.compile(r"\s*\(&[^&)]\)")

if TYPE_CHECKING:
    from voiceprint_studio.api.models import Page


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

    def _action(self, text: str, key: QKeySequence | QKeySequence.StandardKey | Qt.Key) -> QAction:
        """An action of this view, its shortcut active while the view has the focus.

        Its button says ``text`` without a Chinese access key: "替换音频(&R)…" is
        "替换音频(R)" on a tool button, where Alt+R does nothing (a button shows its action's
        text without "&", so no access key), while menus keep it (there it works)."""
        action = QAction(text, self)
        if _ACCESS_KEY.search(text):
            action.setIconText(_ACCESS_KEY.sub("", text).replace("&&", "&").rstrip("…."))
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

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


class PagedPanel(Panel):
    """A view that shows one page of a list at a time (groups, voiceprints).

    Subclasses set ``pager`` and implement :meth:`_load` and :meth:`_set_loading`; this
    class answers the pager and the status strip's Stop.
    """

    pager: Pager
    model: QAbstractItemModel
    _page_num: int
    _loading: bool
    _status: str

    def _load(self, page_num: int) -> None:
        raise NotImplementedError

    def _set_loading(self, loading: bool) -> None:
        raise NotImplementedError

    def _set_status(self, text: str) -> None:
        raise NotImplementedError

    def show_status(self, text: str) -> None:
        """Say ``text`` in the view's status line (what another window did here)."""
        self._set_status(text)

    @Slot(int, int)
    def on_pager_page_requested(self, page_num: int, page_size: int) -> None:
        if page_size != self.services.preferences.get(prefs.PAGE_SIZE):
            self.services.preferences.set(prefs.PAGE_SIZE, page_size)
        self._load(page_num)

    @Slot()
    def on_state_label_stop_requested(self) -> None:
        """Stop waiting for the page: drop it, keep what is shown, say how to try again."""
        if not self._loading:
            return
        self.runner.cancel("page")
        self.pager.set_state(self._page_num, self.pager.total)
        self._status = stopped_text()
        self._set_loading(False)

    def _on_page_failed(self, exc: BaseException) -> None:
        self.pager.set_state(self._page_num, self.pager.total)
        if self._shows_rows():
            # the rows stay (better than nothing), said to be what they are: not fresh
            self._status = stale_text()
        self.presenter.show(exc, self.window())

    def _page_arrived(self) -> None:
        """A page came: what the status said about the last one's failure or Stop goes."""
        if self._status in (stopped_text(), stale_text()):
            self._status = ""

    def _shows_rows(self) -> bool:
        """Whether the view shows rows of an earlier page."""
        return self.model.rowCount() > 0


def page_or_last(fetch: Callable[[int], Page[T]], page_num: int, page_size: int) -> Page[T]:
    """Page ``page_num`` from ``fetch(page_num)``; when it came back empty although items
    remain (its last items were deleted meanwhile), the last page instead."""
    page = fetch(page_num)
    if not page.items and page.total > 0 and page_num > 1:
        page = fetch(-(-page.total // page_size))
    return page


def load_failed_text(exc: BaseException, what: str) -> str:
    """What an empty view says when its list could not be loaded: "Not signed in -- enter
    a token" for a missing or refused token, else ``what`` could not be loaded."""
    from voiceprint_studio.ui.common.errors import describe_error

    if describe_error(exc).kind == "auth":
        return QCoreApplication.translate(
            "Panel", "Not signed in — enter a token (Connection > Token…)."
        )
    return what


def stopped_text() -> str:
    """What a view's status line says after Stop."""
    return QCoreApplication.translate("Panel", "Loading was cancelled. Refresh to try again.")


def stale_text() -> str:
    """What a view's status line says when a refresh failed and the old rows stay."""
    return QCoreApplication.translate(
        "Panel", "Not refreshed: the list below may be out of date. Refresh to try again."
    )
