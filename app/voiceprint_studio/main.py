"""The one place that builds the QApplication, the clients and the windows.

Qt is imported inside :func:`run_gui` only, so that command-line use (and the
Qt-free layers) never pay for it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from voiceprint_studio import __version__

if TYPE_CHECKING:
    from voiceprint_studio.ui.services import AppServices

APP_NAME = "Voiceprint Studio"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voiceprint-studio",
        description="Manage Coze voiceprints and MiniMax voices.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def run_gui(argv: Sequence[str]) -> int:
    """Start the desktop application and return its exit code."""
    from PySide6.QtWidgets import QApplication

    from voiceprint_studio.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    window = MainWindow(build_services())
    window.show()
    return app.exec()


def build_services() -> AppServices:
    """The app's collaborators, on the user's real settings, keyring and data folder."""
    import platformdirs

    from voiceprint_studio.settings.preferences import Preferences
    from voiceprint_studio.settings.secrets import SecretStore
    from voiceprint_studio.ui.services import AppServices
    from voiceprint_studio.ui.session import OfflineBackend

    data_dir = platformdirs.user_data_path(APP_NAME, appauthor=False)
    return AppServices(
        preferences=Preferences(),
        secrets=SecretStore(),
        offline=OfflineBackend(data_dir / "offline-workspace"),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point (``voiceprint-studio`` and ``python -m voiceprint_studio``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    _parser().parse_known_args(args)
    return run_gui(args)
