"""Loading the compiled translations (.qm) for the chosen language.

The language is the user's choice from the View > Language menu, or the
system locale when they chose "System default": Simplified Chinese for any
``zh`` locale, English otherwise. The app's own catalogue ships inside the
package (``voiceprint_studio/i18n/*.qm``, built from ``resources/translations``);
Qt's own (standard buttons, file dialogs) comes with PySide6
(``qtbase_<lang>.qm`` in ``QLibraryInfo.path(TranslationsPath)``), installed after
ours so that it is asked first; the few strings it lacks are in ours
(:func:`qt_catalogue_gaps`).
"""

from __future__ import annotations

import logging
import sys
from importlib import resources

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QTranslator,
)

log = logging.getLogger(__name__)


def qt_catalogue_gaps() -> tuple[str, ...]:
    """Strings of Qt's own widgets that Qt's shipped Chinese catalogue (qtbase_zh_CN.qm in
    PySide6) lacks, in the current language.

    Qt 6 renamed some (mnemonics added) and the catalogue kept the old ones, so the file
    dialog showed "Look in:" and "Files of type:" in English; and it moved the file type
    names to QAbstractFileIconProvider, so the file dialog's Type column said "Folder".
    They are translated in the app's own catalogue, which Qt consults when its own has no
    entry: this function only lists them where ``lupdate`` reads them (with their
    disambiguations, which must match Qt's).
    """
    return (
        QCoreApplication.translate("QFileDialog", "&Look in:"),
        QCoreApplication.translate("QFileDialog", "Files of &type:"),
        QCoreApplication.translate("QAbstractFileIconProvider", "Folder", "All other platforms"),
        QCoreApplication.translate(
            "QAbstractFileIconProvider", "File Folder", "Match Windows Explorer"
        ),
        QCoreApplication.translate("QAbstractFileIconProvider", "Shortcut", "All other platforms"),
        QCoreApplication.translate("QAbstractFileIconProvider", "Alias", "OS X Finder"),
        QCoreApplication.translate("QAbstractFileIconProvider", "Drive"),
        QCoreApplication.translate("QAbstractFileIconProvider", "File"),
        QCoreApplication.translate("QAbstractFileIconProvider", "Unknown"),
    )


# Shipped languages: code -> name in that language.
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}


def resolve_language(preference: str, system: QLocale | None = None) -> str:
    """The language to use: the preference if shipped, else from the system locale."""
    if preference in LANGUAGES:
        return preference
    name = (system or QLocale.system()).name()
    return "zh_CN" if name.lower().startswith("zh") else "en"


# The compiled catalogues read so far, by language; never released (see install).
_CATALOGUES: dict[str, bytes] = {}


class Translations:
    """Installs the translators of one language and can switch to another."""

    def __init__(self) -> None:
        self.language = ""
        self._installed: list[QTranslator] = []
        self._locale_before: QLocale | None = None  # the default locale install replaced

    def uninstall(self) -> None:
        """Remove the translators this object installed (the source texts show again)."""
        app = QCoreApplication.instance()
        if app is not None:
            for translator in self._installed:
                app.removeTranslator(translator)
        self._installed.clear()
        self.language = ""
        if self._locale_before is not None:
            QLocale.setDefault(self._locale_before)
            self._locale_before = None

    def install(self, language: str) -> bool:
        """Use ``language``; returns whether the app's own catalogue was found."""
        app = QCoreApplication.instance()
        assert app is not None, "create the QApplication first"
        self.uninstall()
        self.language = language
        # Lists, numbers and dates made with QLocale() follow the language shown, not the
        # system's ("A, B and C" in English on a Chinese system, not "A、B和C")
        self._locale_before = QLocale()
        QLocale.setDefault(QLocale(language))
        ours = QTranslator(app)
        qm = (
            resources.files("voiceprint_studio")
            .joinpath("i18n")
            .joinpath(f"voiceprint_studio_{language}.qm")
        )
        try:
            # Qt does not copy the catalogue: its bytes must outlive every translator that
            # reads them, which may outlive this object (a translator is owned by the app).
            # So each language's bytes are read once and kept for the process.
            data = _CATALOGUES.get(language)
            if data is None:
                data = _CATALOGUES[language] = qm.read_bytes()
            found = ours.load(data)
        except OSError:
            found = False
        if found:
            app.installTranslator(ours)
            self._installed.append(ours)
        else:
            log.warning(
                "no compiled translations for %s (run scripts/translations.py build)", language
            )
        qt = QTranslator(app)
        if qt.load(
            QLocale(language),
            "qtbase",
            "_",
            QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        ):
            app.installTranslator(qt)
            self._installed.append(qt)
        return found


def lacks_a_font_for(language: str) -> bool:
    """Whether the language's script has no font on this computer (Chinese shown as boxes:
    a Linux desktop without a CJK font). Asks Qt's font database (a QGuiApplication must
    exist); languages written in Latin letters always have one."""
    if not language.startswith("zh") or sys.platform in ("win32", "darwin"):
        return False  # (Windows and macOS ship Chinese fonts; asking costs start-up time)
    from PySide6.QtGui import QFontDatabase

    return not QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
