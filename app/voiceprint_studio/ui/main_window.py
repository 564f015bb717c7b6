"""The main window: connection menu, offline banner, the Coze and MiniMax views.

The window owns the :class:`~voiceprint_studio.ui.session.Workspace` of the
active profiles and hands it to every view; switching a profile builds a new
workspace and the views reload, without a restart.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio.ui.errors import ErrorPresenter
from voiceprint_studio.ui.groups_panel import GroupsPanel
from voiceprint_studio.ui.minimax_panel import MiniMaxPanel
from voiceprint_studio.ui.panel import Panel
from voiceprint_studio.ui.services import AppServices
from voiceprint_studio.ui.session import Workspace
from voiceprint_studio.ui.voiceprints_panel import VoiceprintsPanel


class MainWindow(QMainWindow):
    """Top-level window of Voiceprint Studio."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.presenter = ErrorPresenter(self)
        self.setWindowTitle(self.tr("Voiceprint Studio"))
        self.resize(1180, 720)

        self.groups_panel = GroupsPanel(services, self.presenter)
        self.voiceprints_panel = VoiceprintsPanel(services, self.presenter)
        self.minimax_panel = MiniMaxPanel(services, self.presenter)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.groups_panel)
        splitter.addWidget(self.voiceprints_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.tabs = QTabWidget()
        self.tabs.addTab(splitter, self.tr("Voiceprints (Coze)"))
        self.tabs.addTab(self.minimax_panel, self.tr("Voices (MiniMax)"))

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        self.setCentralWidget(central)
        self.connection_label = QLabel()
        self.statusBar().addPermanentWidget(self.connection_label)

        self.refresh_action = QAction(self.tr("&Refresh"), self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.triggered.connect(self.on_refresh_action_triggered)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        view_menu.addAction(self.refresh_action)

        self.workspace: Workspace | None = None
        self.apply_workspace(services.new_workspace())

    @property
    def panels(self) -> tuple[Panel, ...]:
        """Every view that talks to the workspace."""
        return (self.groups_panel, self.voiceprints_panel, self.minimax_panel)

    def apply_workspace(self, workspace: Workspace) -> None:
        """Point every view at ``workspace`` (closing the previous one)."""
        old, self.workspace = self.workspace, workspace
        for panel in self.panels:
            panel.set_workspace(workspace)
        if old is not None:
            old.close()
        coze = workspace.coze_profile
        if coze.offline:
            text = self.tr("Offline workspace (no token configured)")
        else:
            text = self.tr("Coze: %1").replace("%1", coze.base_url)
        self.connection_label.setText(text)

    @Slot()
    def on_refresh_action_triggered(self) -> None:
        current = self.tabs.currentIndex()
        for panel in self.panels:
            if (panel is self.minimax_panel) == (current == 1):
                panel.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop every view, wait briefly for calls in flight, close the clients."""
        for panel in self.panels:
            panel.shutdown()
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(3000)
        if self.workspace is not None:
            self.workspace.close()
        super().closeEvent(event)
