"""Dialogs that fit a laptop screen: a scrolling body above a pinned button row.

:class:`ScrollBody` is a frameless :class:`QScrollArea` whose size hint is its
contents' full height, so a dialog opens as tall as it needs; :func:`keep_on_screen`
then caps the dialog at the screen's available area (a 1280×720 screen minus a task
bar and the title bar) and refits it whenever the body's contents change (a take
recorded, a check report shown, results listed). What does not fit scrolls inside
the body; the buttons below it stay visible. :func:`reveal` scrolls the body to a part
that has just appeared (a check's verdict and what blocks it), once the dialog has been
refitted around it.
"""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFrame,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

# Room for a title bar and borders before the window is shown (the window manager
# adds them; afterwards the real frame is measured).
_FRAME_GUESS = 40
# Seconds during which a part asked for by :meth:`ScrollBody.reveal` is scrolled to
# again whenever the body's height changes (the dialog is refitted after the part
# appears, and a list below it may still be filled).
REVEAL_SECONDS = 1.0
# After a window is shown or resized: seconds during which a move (the window manager's)
# is checked, and the quiet, in ms, awaited before looking where the window ended up.
PLACING_SECONDS = 1.5
PLACED_MS = 150
# Widgets an operator types into: never scrolled out of sight while they have the focus
# (a combo box only when it is editable).
_TYPED_INTO = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox)


class ScrollBody(QScrollArea):
    """A scroll area for a dialog's contents; lay them out in :attr:`body_layout`.

    Signals: none.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.setWidget(self.body)
        self._reveal: QWidget | None = None
        self._reveal_until = 0.0
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._scroll_to_reveal)
        # the operator scrolls (wheel, keys, the bar's arrows, its handle) or moves the
        # focus (Tab scrolls to it): the view is theirs again
        bar.actionTriggered.connect(self._stop_revealing)
        bar.sliderPressed.connect(self._stop_revealing)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def reveal(self, widget: QWidget) -> None:
        """Scroll so that ``widget`` (inside the body) shows: all of it when it fits,
        else its top. Done again when the body's height changes in the next
        :data:`REVEAL_SECONDS` (the dialog grows around what appeared), until the operator
        scrolls. A field the operator is typing into is never scrolled out of sight."""
        self._reveal = widget
        self._reveal_until = time.monotonic() + REVEAL_SECONDS
        QTimer.singleShot(0, self, self._scroll_to_reveal)

    def in_view(self, widget: QWidget) -> bool:
        """Whether all of ``widget`` (inside the body) is within the visible part."""
        top = widget.mapTo(self.body, QPoint(0, 0)).y() - self.verticalScrollBar().value()
        return top >= 0 and top + widget.height() <= self.viewport().height()

    def _stop_revealing(self) -> None:
        self._reveal = None

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self._reveal is not None and new is not None and self.body.isAncestorOf(new):
            self._reveal = None

    def _scroll_to_reveal(self) -> None:
        widget = self._reveal
        if widget is None or time.monotonic() > self._reveal_until or not shiboken6.isValid(widget):
            self._reveal = None
            return
        if not widget.isVisible() or not self.body.isAncestorOf(widget):
            return
        bar = self.verticalScrollBar()
        view = self.viewport().height()
        top = widget.mapTo(self.body, QPoint(0, 0)).y()
        value = bar.value()
        if top + widget.height() > value + view:
            value = top + widget.height() - view
        value = max(bar.minimum(), min(bar.maximum(), value, top))
        if value == bar.value():
            return
        focus = QApplication.focusWidget()
        if (
            isinstance(focus, _TYPED_INTO)
            and (not isinstance(focus, QComboBox) or focus.isEditable())
            and self.body.isAncestorOf(focus)
            and not widget.isAncestorOf(focus)
        ):
            focus_top = focus.mapTo(self.body, QPoint(0, 0)).y()
            if focus_top < value or focus_top + focus.height() > value + view:
                return  # the operator is typing there: leave it in sight
        bar.setValue(value)

    def content_height(self, width: int) -> int:
        """The height the contents need at ``width`` (their full height, unscrolled)."""
        layout = self.body_layout
        if layout.hasHeightForWidth():
            return layout.totalHeightForWidth(max(width, layout.totalMinimumSize().width()))
        return layout.totalSizeHint().height()

    def sizeHint(self) -> QSize:
        hint = self.body_layout.totalSizeHint()
        width = max(self.viewport().width(), hint.width())
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(hint.width() + bar, self.content_height(width))

    def minimumSizeHint(self) -> QSize:
        minimum = self.body_layout.totalMinimumSize()
        return QSize(minimum.width(), min(120, self.content_height(minimum.width())))


def reveal(widget: QWidget) -> None:
    """Scroll the :class:`ScrollBody` that holds ``widget`` to it (see
    :meth:`ScrollBody.reveal`); nothing when no scroll body holds it."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, ScrollBody):
        parent = parent.parentWidget()
    if parent is not None:
        parent.reveal(widget)


def available_area(widget: QWidget) -> QRect:
    """The available geometry of the screen ``widget`` is on (or the primary screen)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget) -> None:
    """Size ``window`` to what its layout asks for, at most the screen's available area.

    The height follows the contents both ways (a collapsed part gives its room
    back); the width only grows. A window that sticks out is moved back inside.
    """
    layout = window.layout()
    if layout is None or window.isMaximized() or window.isFullScreen():
        return
    area = available_area(window)
    shown = window.isVisible()
    extra_w = window.frameGeometry().width() - window.width() if shown else 0
    max_h = max(200, area.height() - frame_height(window))
    max_w = max(300, area.width() - max(extra_w, 0))
    for body in window.findChildren(ScrollBody):
        # its contents changed: neither its layout's nor its own size hint is cached any
        # more (a list shown in the body and filled at once left a stale, shorter hint)
        body.body_layout.invalidate()
        body.updateGeometry()
    layout.invalidate()
    layout.activate()
    width = min(max_w, max(window.width(), layout.totalSizeHint().width()))
    if layout.hasHeightForWidth():
        need = layout.totalHeightForWidth(width)
    else:
        need = layout.totalSizeHint().height()
    need = max(need, layout.totalMinimumSize().height())
    window.setMaximumHeight(max_h)
    height = min(max_h, need)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    if shown:
        move_inside(window, area)


def frame_height(window: QWidget) -> int:
    """What the window manager adds to ``window``'s height (title bar, borders); a guess
    until it has framed it."""
    extra = window.frameGeometry().height() - window.height() if window.isVisible() else 0
    return extra if extra > 0 else _FRAME_GUESS


def move_inside(window: QWidget, area: QRect | None = None) -> None:
    """Move a shown ``window`` whose frame sticks out of the screen's available area
    (by default that of its screen) back inside it."""
    area = area if area is not None else available_area(window)
    frame = window.frameGeometry()
    shift = _inside(frame, area) - frame.topLeft()
    if not shift.isNull():
        window.move(window.pos() + shift)


def _inside(frame: QRect, area: QRect) -> QPoint:
    """Where ``frame``'s top left goes for it to lie inside ``area``, moved as little as
    it can be; one larger than ``area`` keeps its top and left edges inside."""
    return QPoint(
        max(area.left(), min(frame.left(), area.right() - frame.width() + 1)),
        max(area.top(), min(frame.top(), area.bottom() - frame.height() + 1)),
    )


class _PlaceGuard(QObject):
    """Puts a window back on the screen when the window manager's placing of it left its
    title bar or buttons outside (see :func:`keep_placed`)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.watching_until = 0.0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PLACED_MS)
        self.timer.timeout.connect(self.check)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        # (a resize the window did itself; one from outside -- the operator dragging an
        # edge -- is spontaneous, and where the operator has the window is theirs)
        if kind == QEvent.Type.Show or (kind == QEvent.Type.Resize and not event.spontaneous()):
            self.watching_until = time.monotonic() + PLACING_SECONDS
            self.timer.start()
        elif (
            kind in (QEvent.Type.Move, QEvent.Type.Resize)
            and time.monotonic() < self.watching_until
        ):
            self.timer.start()  # (moves and resizes from outside later are the operator's)
        return False

    def check(self) -> None:
        window = self.window
        if (
            not window.isVisible()
            or window.isMinimized()
            or window.isMaximized()
            or window.isFullScreen()
        ):
            return
        area = available_area(window)
        frame = window.frameGeometry()
        if area.contains(frame):
            return
        # where a dialog opens: over the middle of its parent window (else of the screen),
        # kept inside the screen that middle is on (the parent's, on another monitor)
        parent = window.parentWidget()
        anchor = parent.window().frameGeometry().center() if parent else area.center()
        screen = QGuiApplication.screenAt(anchor)
        if screen is not None:
            area = screen.availableGeometry()
        placed = QRect(frame)
        placed.moveCenter(anchor)
        corner = _inside(placed, area)
        if corner != frame.topLeft():
            window.move(corner)


def keep_placed(window: QWidget) -> None:
    """Keep ``window`` whole on the screen while the window manager places it.

    While openbox frames a new window it reports it, for a few milliseconds, at the
    screen's corner (or at the size it was created at); a dialog that resizes itself in
    that moment (its lists came back) sends that corner along with its new size, and the
    window manager puts it there: its title bar above the screen. For a while after the
    window is shown or resizes itself (not when the operator resizes it), wherever it
    ends up is checked once moves stop, and a window out of the screen is put back over
    its parent, on its parent's screen.
    """
    window.installEventFilter(_PlaceGuard(window))


class _Fitter(QObject):
    """Refits a window when it is shown and when watched contents ask for a new layout."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.refit)

    def refit(self) -> None:
        if self.window.isVisible():
            fit_to_screen(self.window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show and watched is self.window:
            fit_to_screen(self.window)
            self.timer.start()  # again once the window manager framed it
        elif kind == QEvent.Type.LayoutRequest:
            self.timer.start()
        return False


def keep_on_screen(window: QWidget, *watched: QWidget) -> None:
    """Fit ``window`` to the screen when shown and whenever ``watched`` widgets relayout."""
    fitter = _Fitter(window)
    window.installEventFilter(fitter)
    keep_placed(window)
    for widget in watched:
        widget.installEventFilter(fitter)
