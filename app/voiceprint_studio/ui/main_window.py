"""The main window (a minimal shell until the management views land)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget


class MainWindow(QMainWindow):
    """Top-level window of Voiceprint Studio."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Voiceprint Studio"))
        self.resize(1000, 640)
        placeholder = QLabel(
            self.tr(
                "Offline workspace: voiceprint groups, voiceprints and MiniMax voices "
                "will be managed here."
            )
        )
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setWordWrap(True)
        self.setCentralWidget(placeholder)
        self.statusBar().showMessage(self.tr("Offline workspace (no token configured)"))
