"""Owns the main window and rebuilds it when the user switches language.

Every string is translated when a widget is built, so switching language
installs the new catalogue and replaces the window with a new one on the same
services (same workspace data, same geometry); the old window shuts down its
views and closes as on exit. No restart is needed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot

from voiceprint_studio.ui.common.i18n import Translations, resolve_language
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.shell.main_window import MainWindow


class WindowHost(QObject):
    """Creates, shows and replaces the application's main window."""

    def __init__(
        self, services: AppServices, translations: Translations, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.translations = translations
        self.window: MainWindow | None = None

    def show(self) -> MainWindow:
        """Build and show the main window (replacing the current one, if any)."""
        old = self.window
        window = MainWindow(self.services)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.language_change_requested.connect(self.on_window_language_change_requested)
        if old is not None:
            window.restoreGeometry(old.saveGeometry())
            # where the operator was: the tab, and the group selected in it
            window.tabs.setCurrentIndex(old.tabs.currentIndex())
            current = old.groups_panel.current_group()
            if current is not None:
                window.groups_panel.carry_selection({current.id})
        self.window = window
        window.show()
        if old is not None:
            # the tables split as the operator left them (the new window's split, made
            # before it had its size, left the voiceprints a row and a half)
            sizes = old.coze_splitter.sizes()
            if sum(sizes) > 0:  # (a splitter never shown, on the MiniMax tab, has none)
                window.coze_splitter.setSizes(sizes)
            old.close()
        return window

    @Slot(str)
    def on_window_language_change_requested(self, code: str) -> None:
        language = resolve_language(code)
        if language == self.translations.language:
            return
        self.translations.install(language)
        self.show()
