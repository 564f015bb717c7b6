"""Dialogs that hold their main window like a modal one, except that it can still be closed.

Qt drops the window manager's close request (the title bar's ×) for a window that a
modal dialog blocks, before any of the app's code runs
(``QGuiApplicationPrivate::processCloseEvent`` ignores it while the window is
``blockedByModalWindow``): with the add-voiceprint dialog open window-modal, the main
window's × did nothing during an upload, silently. The dialogs that run calls are
therefore shown non-modal with :func:`open_over`, and the :class:`WindowHold` of their
main window makes that window behave as if blocked while one is open -- its central
widget, its tool bars, its own shortcuts and every menu entry but the kept ones (Quit)
are disabled, so the operator cannot switch the workspace or delete the group under the
dialog -- while closing it still reaches the window's ``closeEvent`` (which asks first
during an upload). Everything is restored when the last such dialog closes.

The dialog stays a child of the main window (a transient on X11: the window manager
keeps it above the window); one made for a view inside the window is moved to the
window itself, since disabling the central widget would disable its child windows too.
Enter and Escape work in it as before (they are the dialog's own keys, not modality's).

What modality gave for free, the hold gives back: the keyboard. A click on a window
that a modal dialog blocks focuses the dialog (openbox does so for a modal transient);
a held window kept the keyboard itself -- after a click on it, or on its File menu and
away, Escape and Enter did nothing until a click inside the dialog. So while held, the
window once activated hands the activation back to the newest open dialog (or to the
modal one above it), as soon as none of its menus is open.
"""

from __future__ import annotations

from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMenu,
    QStatusBar,
    QToolBar,
    QWidget,
)


class WindowHold(QObject):
    """Holds ``window`` (see the module docstring) while one of its dialogs is open.

    ``keep``: the actions that stay enabled (the window's Quit).

    Signals:
        held_changed(bool): the window was held (True) or released (False).
    """

    held_changed = Signal(bool)

    def __init__(self, window: QMainWindow, keep: Iterable[QAction] = ()) -> None:
        super().__init__(window)
        self._window = window
        self._keep = list(keep)
        # id of the Python wrapper -> the dialog, for the dialogs holding the window
        self._dialogs: dict[int, QDialog] = {}
        # what was disabled, and whether it was enabled before
        self._saved: list[tuple[QWidget | QAction, bool]] = []
        # the window and its menus, watched while held (see :meth:`eventFilter`)
        self._watched: list[QWidget] = []

    @property
    def held(self) -> bool:
        """Whether a dialog holds the window now."""
        return bool(self._dialogs)

    def dialogs(self) -> list[QDialog]:
        """The dialogs holding the window, oldest first."""
        return list(self._dialogs.values())

    def hold(self, dialog: QDialog) -> None:
        """Hold the window until ``dialog`` finishes (or is deleted)."""
        key = id(dialog)
        if key in self._dialogs:
            return
        self._dialogs[key] = dialog
        dialog.finished.connect(lambda _result: self._release(key))
        dialog.destroyed.connect(lambda _obj=None: self._release(key))
        if len(self._dialogs) == 1:
            self._block()

    def _release(self, key: int) -> None:
        released = self._dialogs.pop(key, None) is not None
        # (not when the window itself is being deleted)
        if released and not self._dialogs and shiboken6.isValid(self):
            self._unblock()

    def _disable(self, target: QWidget | QAction) -> None:
        self._saved.append((target, target.isEnabled()))
        target.setEnabled(False)

    def _block(self) -> None:
        window = self._window
        self._saved = []
        central = window.centralWidget()
        if central is not None:
            self._disable(central)
        for bar in window.findChildren(QToolBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            self._disable(bar)
        status_bar = window.findChild(QStatusBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
        if status_bar is not None:  # its buttons (e.g. "Resume…" of unfinished transfers)
            self._disable(status_bar)
        keep = self._keep
        for entry in window.menuBar().actions():
            menu = entry.menu()
            if not isinstance(menu, QMenu):
                if entry not in keep and not entry.isSeparator():
                    self._disable(entry)
            elif not any(action in keep for action in menu.actions()):
                self._disable(menu)  # its title in the menu bar too
            else:  # the menu with Quit: everything else in it
                for action in menu.actions():
                    if action not in keep and not action.isSeparator():
                        self._disable(action)
        for action in window.actions():  # the window's own shortcuts (F5, Ctrl+F, ...)
            if action not in keep:
                self._disable(action)
        # Watched only while held: every event of a watched widget passes through Python.
        self._watched = [window, *window.menuBar().findChildren(QMenu)]
        for watched in self._watched:
            watched.installEventFilter(self)
        self.held_changed.emit(True)

    def _unblock(self) -> None:
        watched, self._watched = self._watched, []
        for widget in watched:
            if shiboken6.isValid(widget):
                widget.removeEventFilter(self)
        saved, self._saved = self._saved, []
        for target, enabled in reversed(saved):
            if shiboken6.isValid(target):
                target.setEnabled(enabled)
        self.held_changed.emit(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """While held: the window activated, or one of its menus closed -- the keyboard
        goes back to the dialog (on the next turn, once the activation has settled)."""
        kind = event.type()
        if (kind == QEvent.Type.WindowActivate and watched is self._window) or (
            kind == QEvent.Type.Hide and isinstance(watched, QMenu)
        ):
            QTimer.singleShot(0, self, self._give_back)
        return False

    def _give_back(self) -> None:
        """Activate the dialog holding the window if the window is the active one and no
        menu is open (a menu closing comes back here)."""
        if not self.held or QApplication.activeWindow() is not self._window:
            return
        if QApplication.activePopupWidget() is not None:
            return
        target: QWidget | None = QApplication.activeModalWidget()
        if target is None:
            shown = [dialog for dialog in self._dialogs.values() if dialog.isVisible()]
            if not shown:
                return
            target = shown[-1]
        target.raise_()
        target.activateWindow()


def window_hold(widget: QWidget | None) -> WindowHold | None:
    """The :class:`WindowHold` of ``widget``'s window, if it has one."""
    if widget is None:
        return None
    return widget.window().findChild(WindowHold, options=Qt.FindChildOption.FindDirectChildrenOnly)


def focus_back_on_close(
    dialog: QDialog, before: QWidget | None, fallback: QWidget | None = None
) -> None:
    """When ``dialog`` closes, give the keyboard focus back to ``before`` (the widget that
    had it when the dialog opened), else to ``fallback``.

    A window held while a dialog was open (or one the dialog was opened on from a menu)
    has no focus widget afterwards: the views' shortcuts (Ctrl+N, Delete, F2) did
    nothing until a click, and Copy/move, which copies what the focused view selects,
    took the whole group for the highlighted voiceprint.
    """

    def back() -> None:
        for widget in (before, fallback):
            if (
                widget is not None
                and shiboken6.isValid(widget)
                and widget.isVisible()
                and widget.isEnabled()
            ):
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    # after the hold let the window go (its widgets are enabled again)
    dialog.finished.connect(lambda _result: QTimer.singleShot(0, back))


def open_over(dialog: QDialog) -> None:
    """Show ``dialog`` non-modal over its parent's window, holding that window; the
    keyboard focus goes back where it was when the dialog closes.

    Without a :class:`WindowHold` on the window the dialog opens window-modal, as
    :meth:`QDialog.open` does.
    """
    parent = dialog.parentWidget()
    if parent is not None:
        focus_back_on_close(dialog, parent.window().focusWidget())
    hold = window_hold(parent)
    if hold is None or parent is None:
        dialog.open()
        return
    window = parent.window()
    if parent is not window:
        dialog.setParent(window, dialog.windowFlags())
    dialog.setWindowModality(Qt.WindowModality.NonModal)
    hold.hold(dialog)
    dialog.show()
