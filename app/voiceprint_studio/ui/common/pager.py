"""Page navigation for server-side paged lists.

Signals:
    page_requested(int, int): the user asked for ``(page_num, page_size)``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QToolButton, QWidget

from voiceprint_studio.ui.common.lines import LineLabel

PAGE_SIZES = (10, 20, 50, 100, 200)


class Pager(QWidget):
    """First / previous / next / last, "page X of Y", the total, and a page-size picker."""

    page_requested = Signal(int, int)

    def __init__(self, page_size: int = 20, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page_num = 1
        self.total = 0
        self.size_combo = QComboBox()
        for size in PAGE_SIZES:
            self.size_combo.addItem(self.tr("%n per page", "", size), size)
        self.size_combo.setCurrentIndex(
            PAGE_SIZES.index(page_size) if page_size in PAGE_SIZES else 1
        )
        self.size_combo.currentIndexChanged.connect(self.on_size_combo_changed)
        self.first_button = self._button("«", self.tr("First page"))
        self.prev_button = self._button("‹", self.tr("Previous page"))
        self.next_button = self._button("›", self.tr("Next page"))
        self.last_button = self._button("»", self.tr("Last page"))
        self.first_button.clicked.connect(lambda: self._go(1))
        self.prev_button.clicked.connect(lambda: self._go(self.page_num - 1))
        self.next_button.clicked.connect(lambda: self._go(self.page_num + 1))
        self.last_button.clicked.connect(lambda: self._go(self.page_count))
        # "Page X of Y": a LineLabel, so that a new text does not relayout the window.
        self.label = LineLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        for widget in (self.first_button, self.prev_button, self.next_button, self.last_button):
            layout.addWidget(widget)
        layout.addWidget(self.size_combo)
        self.set_state(1, 0)

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        return button

    @property
    def page_size(self) -> int:
        """The chosen number of rows per page."""
        return int(self.size_combo.currentData())

    @property
    def page_count(self) -> int:
        """Pages needed for the total (at least 1)."""
        return max(1, -(-self.total // self.page_size))

    def set_state(self, page_num: int, total: int) -> None:
        """Show that ``page_num`` of a list of ``total`` rows is displayed."""
        self.page_num = page_num
        self.total = total
        count = self.page_count
        self.label.setText(
            self.tr("Page %1 of %2 · %n item(s)", "", total)
            .replace("%1", str(page_num))
            .replace("%2", str(count))
        )
        self.first_button.setEnabled(page_num > 1)
        self.prev_button.setEnabled(page_num > 1)
        self.next_button.setEnabled(page_num < count)
        self.last_button.setEnabled(page_num < count)

    def _go(self, page_num: int) -> None:
        self.page_requested.emit(max(1, min(page_num, self.page_count)), self.page_size)

    @Slot(int)
    def on_size_combo_changed(self, _index: int) -> None:
        self.page_requested.emit(1, self.page_size)
