"""The command line's words in the app's language (:class:`TranslatedWords`).

:func:`command_line_words` makes a :class:`~PySide6.QtCore.QCoreApplication` (no window,
no display needed), installs the translations of the language chosen in the app (View >
Language; else the system's) and returns the :class:`~voiceprint_studio.cli_words.Words`
that say the commands' sentences with them: the check report in the words of the app's
check report, a transfer's reasons and errors as the app's dialogs say them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from voiceprint_studio.cli_words import ARGPARSE_CONTEXT, Words

if TYPE_CHECKING:
    from voiceprint_studio.audio.checker import AudioReport, Finding
    from voiceprint_studio.audio.errors import AudioError
    from voiceprint_studio.transfer.reasons import Reason


class TranslatedWords(Words):
    """The commands' sentences through the installed Qt translators."""

    def __init__(self, language: str) -> None:
        self.language = language

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("CommandLine", text)

    def argparse(self, text: str) -> str:
        return QCoreApplication.translate(ARGPARSE_CONTEXT, text)

    def finding(self, finding: Finding, report: AudioReport) -> tuple[str, str]:
        from voiceprint_studio.ui.recorder.findings import finding_text

        message, advice, _translated = finding_text(finding, report)
        return message, advice

    def audio_error(self, error: AudioError, name: str) -> tuple[str, str]:
        from voiceprint_studio.ui.recorder.findings import FILE_PROBLEMS, file_problem

        if error.key in FILE_PROBLEMS:
            return file_problem(error.key, name)
        if error.key == "same_file":
            return (
                QCoreApplication.translate(
                    "CommandLine", "The converted file would overwrite the original."
                ),
                QCoreApplication.translate(
                    "CommandLine", "Choose another name for the converted file."
                ),
            )
        if error.key == "write_failed":
            return (
                QCoreApplication.translate(
                    "CommandLine", "The converted file could not be written."
                ),
                QCoreApplication.translate(
                    "CommandLine", "Choose a folder you can write to, with free space."
                ),
            )
        return super().audio_error(error, name)

    def reason(self, reason: Reason) -> str:
        from voiceprint_studio.ui.common.errors import reason_text

        return reason_text(reason)

    def error(self, exc: BaseException) -> str:
        from voiceprint_studio.transfer.reasons import sentences
        from voiceprint_studio.ui.common.errors import describe_error

        said = describe_error(exc)
        return sentences(said.message, said.next_step)


def command_line_words(app_name: str) -> Words:
    """The commands' words in the app's language (English: the sentences as written)."""
    from PySide6.QtCore import QSettings

    from voiceprint_studio.settings import preferences as prefs
    from voiceprint_studio.settings.preferences import Preferences
    from voiceprint_studio.ui.common.i18n import Translations, resolve_language

    # the app's own settings, named as the app names them (no application object yet)
    settings = QSettings(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, app_name, app_name
    )
    language = resolve_language(Preferences(settings).get(prefs.LANGUAGE))
    if language == "en":
        return Words()  # the sentences as written: Qt's translators are not needed
    if QCoreApplication.instance() is None:
        QCoreApplication([app_name])  # (the translators are installed on it)
    translations = Translations()
    if not translations.install(language):
        return Words()
    _KEEP.append(translations)
    return TranslatedWords(language)


# The installed translations stay for the process (a command runs once).
_KEEP: list[object] = []


def argparse_catalogue() -> tuple[str, ...]:
    """argparse's words (:data:`voiceprint_studio.cli_words.ARGPARSE_WORDS`), listed where
    ``lupdate`` reads them."""
    return (
        QCoreApplication.translate("argparse", "usage: "),
        QCoreApplication.translate("argparse", "positional arguments"),
        QCoreApplication.translate("argparse", "options"),
        QCoreApplication.translate("argparse", "show this help message and exit"),
        QCoreApplication.translate("argparse", "%(prog)s: error: %(message)s\n"),
        QCoreApplication.translate("argparse", "argument %(argument_name)s: %(message)s"),
        QCoreApplication.translate("argparse", "the following arguments are required: %s"),
        QCoreApplication.translate("argparse", "unrecognized arguments: %s"),
        QCoreApplication.translate("argparse", "expected one argument"),
        QCoreApplication.translate("argparse", "expected at most one argument"),
        QCoreApplication.translate("argparse", "expected at least one argument"),
        QCoreApplication.translate("argparse", "invalid %(type)s value: %(value)r"),
        QCoreApplication.translate(
            "argparse", "ambiguous option: %(option)s could match %(matches)s"
        ),
        QCoreApplication.translate("argparse", "ignored explicit argument %r"),
    )
