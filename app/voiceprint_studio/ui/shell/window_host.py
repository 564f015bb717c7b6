"""Owns the main window and rebuilds it when the user switches language.

Every string is translated when a widget is built, so switching language
installs the new catalogue and replaces the window with a new one on the same
services (same workspace data, same geometry); the old window shuts down its
views and closes as on exit. No restart is needed.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QMessageBox

from voiceprint_studio.ui.common.i18n import Translations, lacks_a_font_for, resolve_language
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.shell.main_window import MainWindow

_log = logging.getLogger(__name__)


class WindowHost(QObject):
    """Creates, shows and replaces the application's main window."""

    def __init__(
        self, services: AppServices, translations: Translations, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.translations = translations
        self.window: MainWindow | None = None
        # the warning that no font for the language is installed, while it is shown
        self.font_box: QMessageBox | None = None

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
        if lacks_a_font_for(self.translations.language):
            self._say_no_font(window)
        if old is not None:
            # the tables split as the operator left them (the new window's split, made
            # before it had its size, left the voiceprints a row and a half)
            sizes = old.coze_splitter.sizes()
            if sum(sizes) > 0:  # (a splitter never shown, on the MiniMax tab, has none)
                window.coze_splitter.setSizes(sizes)
            old.close()
        return window

    def _say_no_font(self, window: MainWindow) -> None:
        """Say (in English: Chinese would show as boxes) that no Chinese font is installed,
        and what to do; the log says it too."""
        _log.warning(
            "no font for %s is installed: its text shows as boxes", self.translations.language
        )
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Voiceprint Studio",
            #: Keep this in English: it is shown when there is no font to show Chinese with.
            self.tr("No Chinese font is installed, so Chinese text shows as empty boxes."),
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setInformativeText(
            #: Keep this in English: it is shown when there is no font to show Chinese with.
            self.tr(
                "Install one and start the app again (on Debian or Ubuntu: sudo apt install "
                "fonts-noto-cjk), or choose View > Language > English."
            )
        )
        ok = box.button(QMessageBox.StandardButton.Ok)
        #: Keep this in English: it is shown when there is no font to show Chinese with.
        ok.setText(self.tr("OK"))  # (Qt's own "确定" would be boxes too)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.font_box = box
        box.open()

    @Slot(str)
    def on_window_language_change_requested(self, code: str) -> None:
        language = resolve_language(code)
        if language == self.translations.language:
            return
        self.translations.install(language)
        self.show()
