"""The views' one-line texts: :class:`LineLabel` and :class:`StatusStrip`.

Their size hints never depend on their text and they place their children
themselves, so a new text or the busy bar appearing repaints that line only. (A
``QLabel`` in a layout asks the whole chain of layouts up to the main window to
run again whenever its text changes; the tab widget then repaints the whole
window: two or three full repaints per page loaded, 20-40 ms of the GUI thread
next to a busy worker.)
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QSizePolicy, QToolButton, QWidget


class LineLabel(QWidget):
    """One line of text that never relayouts its window; elided, the tooltip shows it all.

    Behaves like a one-line ``QLabel`` for its users (:meth:`text`, :meth:`setText`,
    :meth:`clear`); the text shown is elided at the right when it does not fit,
    and then the tooltip holds the whole text.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._left = 0  # where the text starts (StatusStrip puts its busy bar before it)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._line_height = self.label.sizeHint().height()
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(160, self._line_height)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self._line_height)

    def text(self) -> str:
        """The whole text (what is shown may be elided)."""
        return self._text

    def setText(self, text: str) -> None:
        """Show ``text`` (one line; line breaks are shown as spaces)."""
        text = " ".join(text.split("\n"))
        if text != self._text:
            self._text = text
            self._arrange()

    def clear(self) -> None:
        """Show nothing."""
        self.setText("")

    def shown_text(self) -> str:
        """The text as drawn (elided when it does not fit)."""
        return self.label.text()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        width = max(0, self.width() - self._left)
        self.label.setGeometry(self._left, 0, width, self.height())
        shown = self.label.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, width)
        self.label.setText(shown)
        self.label.setToolTip(self._text if shown != self._text else "")


class StatusStrip(LineLabel):
    """A view's status line: while a call runs, a busy bar and a Stop button before the text.

    Signals:
        stop_requested(): the user clicked Stop.
    """

    stop_requested = Signal()

    # Size of the busy bar, in pixels.
    BAR_WIDTH, BAR_HEIGHT = 100, 14
    _GAP = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setVisible(False)
        self.stop_button = QToolButton(self)
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop waiting for the server"))
        self.stop_button.setVisible(False)
        self.stop_button.clicked.connect(self.on_stop_button_clicked)
        self._line_height = max(self._line_height, self.stop_button.sizeHint().height())
        self._busy = False
        self._stoppable = False

    @property
    def busy(self) -> bool:
        """Whether the busy bar is shown."""
        return self._busy

    def set_busy(self, busy: bool, *, stoppable: bool = False) -> None:
        """Show the busy bar (and Stop, when ``stoppable``) or hide them."""
        stoppable = busy and stoppable
        if (busy, stoppable) == (self._busy, self._stoppable):
            return
        self._busy, self._stoppable = busy, stoppable
        self.busy_bar.setVisible(busy)
        self.stop_button.setVisible(stoppable)
        self._arrange()

    @Slot()
    def on_stop_button_clicked(self) -> None:
        self.stop_requested.emit()

    def _arrange(self) -> None:
        height = self.height()
        left = 0
        if self._busy:
            bar_y = max(0, (height - self.BAR_HEIGHT) // 2)
            self.busy_bar.setGeometry(0, bar_y, self.BAR_WIDTH, self.BAR_HEIGHT)
            left = self.BAR_WIDTH + self._GAP
        if self._stoppable:
            hint = self.stop_button.sizeHint()
            button_y = max(0, (height - hint.height()) // 2)
            self.stop_button.setGeometry(left, button_y, hint.width(), hint.height())
            left += hint.width() + self._GAP
        self._left = left
        super()._arrange()
