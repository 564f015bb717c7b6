"""The strip at the top of the main window that says the app works offline.

Shown while Coze calls go to the offline workspace on this computer, so the
operator knows nothing reaches Coze; it offers to connect and can be closed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget


class OfflineBanner(QFrame):
    """ "You are working in the offline workspace" with "Connect to Coze..." (or MiniMax, on
    its tab) and a close button.

    Signals:
        connect_requested(): "Connect to Coze..." was pressed.
        dismissed(): the close button was pressed (the banner has hidden itself).
    """

    connect_requested = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            "#offlineBanner { background: #fff4ce; border: 1px solid #e0c060; border-radius: 4px; }"
            " #offlineBanner QLabel { color: #3d3000; }"
        )
        # The service the banner speaks of ("coze" or "minimax": the tab shown).
        self.service = "coze"
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.connect_button = QPushButton()
        self.connect_button.clicked.connect(self.on_connect_button_clicked)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Hide this message"))
        self.close_button.setAccessibleName(self.tr("Hide this message"))
        self.close_button.clicked.connect(self.on_close_button_clicked)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.message_label, 1)
        layout.addWidget(self.connect_button)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setTabOrder(self.connect_button, self.close_button)
        self.set_service("coze")

    def set_service(self, service: str) -> None:
        """Speak of Coze's offline workspace or MiniMax's (the tab shown): on the MiniMax
        tab it spoke of Coze only, over sample voices a first-time operator took for real."""
        self.service = service
        if service == "minimax":
            self.message_label.setText(
                self.tr(
                    "You are working in the offline workspace: the voices listed are samples "
                    "kept on this computer, not your MiniMax voices. Nothing is sent to "
                    "MiniMax."
                )
            )
            self.connect_button.setText(self.tr("Connect to MiniMax…"))
        else:
            self.message_label.setText(
                self.tr(
                    "You are working in the offline workspace: its groups and voiceprints are "
                    "kept on this computer only and are not in Coze. Nothing is sent to Coze."
                )
            )
            self.connect_button.setText(self.tr("Connect to Coze…"))

    @Slot()
    def on_connect_button_clicked(self) -> None:
        self.connect_requested.emit()

    @Slot()
    def on_close_button_clicked(self) -> None:
        self.hide()
        self.dismissed.emit()
