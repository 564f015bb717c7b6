"""The one place that builds the QApplication, the clients and the windows.

Qt is imported inside :func:`run_gui` only, so that command-line use (and the
Qt-free layers) never pay for it.

``VOICEPRINT_STUDIO_QUIT_AFTER_MS`` (for smoke tests): close the main window
that many milliseconds after it is shown.

``--self-test`` checks the native parts a package must carry (:mod:`.selftest`).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from voiceprint_studio import __version__

if TYPE_CHECKING:
    from PySide6.QtCore import QMessageLogContext, QtMsgType
    from PySide6.QtGui import QIcon

    from voiceprint_studio.cli_words import Parser, Words
    from voiceprint_studio.ui.common.services import AppServices

APP_NAME = "Voiceprint Studio"
# The reverse-DNS application id: the desktop file's and the AppStream metainfo's name,
# the hicolor icon's name, and what Wayland and X11 docks match the window against.
APP_ID = "org.voiceprintstudio.VoiceprintStudio"
ICON_FILE = "voiceprint-studio.svg"
QUIT_AFTER_ENV = "VOICEPRINT_STUDIO_QUIT_AFTER_MS"

# Seconds a thread may hold the GIL while another waits for it (Python's default: 5 ms).
SWITCH_INTERVAL = 0.001
# The fewest threads of the pool every call runs on (Qt's default: one per CPU core).
MIN_POOL_THREADS = 8
# How long the process waits, after the window closed, for the pool's last threads.
EXIT_WAIT_MS = 300
# The exit status when the window cannot open (no display, a missing system library).
EXIT_NO_WINDOW = 1

log = logging.getLogger("voiceprint_studio")


def _parser(words: Words | None = None) -> Parser:
    from voiceprint_studio.cli_words import QT_TRANSLATE_NOOP, Parser
    from voiceprint_studio.cli_words import Words as EnglishWords

    words = words or EnglishWords()
    parser = Parser(
        "voiceprint-studio",
        words.tr(
            QT_TRANSLATE_NOOP(
                "CommandLine",
                "Manage Coze voiceprints and MiniMax voices. 'voiceprint-studio check "
                "FILE...' checks enrollment recordings; 'voiceprint-studio export' and "
                "'voiceprint-studio import' move voiceprints to and from archives, folders "
                "and CSV files.",
            )
        ),
        words,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help=words.tr(QT_TRANSLATE_NOOP("CommandLine", "show the version and exit")),
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=words.tr(
            QT_TRANSLATE_NOOP(
                "CommandLine",
                "check that the sound, speech, keyring, translation and TLS parts load, then exit",
            )
        ),
    )
    return parser


def _ensure_std_streams() -> None:
    """Give a windowed Windows build (no console: ``sys.stdout`` is None) somewhere to write.

    ``check``, ``--version`` and ``--self-test`` then run and set their exit status instead
    of failing on ``None.write``; their text is only visible from the console executable.
    """
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def _window_icon() -> QIcon:
    """The app's icon, from the SVG inside the package (wheel, checkout and bundle alike)."""
    from importlib import resources

    from PySide6.QtGui import QIcon

    icon = resources.files("voiceprint_studio").joinpath("icons").joinpath(ICON_FILE)
    return QIcon(str(icon))


def _qt_message_to_log(mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Send Qt's own warnings to the log file instead of losing them."""
    from PySide6.QtCore import QtMsgType

    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }.get(mode, logging.WARNING)
    logging.getLogger("qt").log(level, "%s", message)


def tune_runtime() -> None:
    """Interpreter settings for a responsive GUI; call once before building the window.

    Workers run Python for seconds at a time (the offline backend, JSON decoding),
    while the GUI thread calls into Python many times per frame (the table models'
    ``data()``, slots, timers). Each such call must get the GIL back from a busy
    worker, which Python grants only after the switch interval: with the default
    5 ms, a repaint that needs the GIL a few times waits tens of milliseconds. At
    1 ms the GUI thread gets it back five times sooner; the workers lose little.

    The thread pool gets at least :data:`MIN_POOL_THREADS` threads: most calls wait
    for the network, and with one thread per core (two on many laptops) two calls to
    a server that does not answer -- stopped by the user, but still waiting for their
    timeout -- would hold every thread, and the next call would wait behind them.
    """
    from PySide6.QtCore import QThreadPool

    sys.setswitchinterval(SWITCH_INTERVAL)
    pool = QThreadPool.globalInstance()
    pool.setMaxThreadCount(max(MIN_POOL_THREADS, pool.maxThreadCount()))


def _window_can_open() -> bool:
    """Say why the window cannot open, before Qt aborts with its own message (on Linux:
    no display, Qt's GUI libraries or its xcb plugin not loading; see :mod:`.qt_platform`).

    On stderr in the app's language, as the commands say things (no window needed; in
    English when Qt's core itself cannot load), and in the log in English. Only when the
    window cannot open is a QCoreApplication made for the words (the process then ends).
    A problem that may not stop Qt (a broken xcb plugin in a Wayland session) is only
    logged.
    """
    from voiceprint_studio.qt_platform import startup_problem

    problem = startup_problem()
    if problem is None:
        return True
    text = problem.text()
    if not problem.fatal:
        log.warning("%s", text.replace("\n", " "))
        return True
    log.error("the window cannot open: %s", text.replace("\n", " "))
    sys.stderr.write(f"{APP_NAME}: {problem.text(_pre_window_words().say)}\n")
    return False


def _pre_window_words() -> Words:
    """The command line's words (the app's language, no window needed) for what is said
    before the window; English when Qt's core itself cannot load."""
    from voiceprint_studio.cli_words import Words as EnglishWords

    try:
        return command_line_words()
    except ImportError:
        return EnglishWords()


def run_gui(argv: Sequence[str], *, log_dir: Path | None = None, exit_at_once: bool = False) -> int:
    """Start the desktop application and return its exit code.

    Closing the window aborts the calls in flight (their connections are shut down),
    so the pool's threads end at once. Work that cannot be interrupted -- the
    in-process offline backend in the middle of a request -- may still hold one.
    With ``exit_at_once`` (the console entry point) the process ends right after the
    clean-up (settings synced, database closed when idle, log flushed), neither
    waiting for such work (the backend's writes are transactions) nor for the
    interpreter's teardown: quitting takes well under 2 s even with a server that
    never answers.
    """
    from voiceprint_studio import logging_setup

    logging_setup.setup_logging(log_dir)
    sys.excepthook = logging_setup.log_uncaught_exception
    log.info("Voiceprint Studio %s starting", __version__)
    if not _window_can_open():
        logging_setup.shutdown_logging()
        return EXIT_NO_WINDOW

    from PySide6.QtCore import QThreadPool, QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from voiceprint_studio.settings import preferences as prefs
    from voiceprint_studio.ui.common.i18n import Translations, resolve_language
    from voiceprint_studio.ui.shell.window_host import WindowHost

    tune_runtime()

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(_window_icon())
    previous_handler = qInstallMessageHandler(_qt_message_to_log)

    from voiceprint_studio.ui.common.gc_guard import GuiThreadCollector

    collector = GuiThreadCollector(parent=app)
    services = build_services()
    translations = Translations()
    found = translations.install(resolve_language(services.preferences.get(prefs.LANGUAGE)))
    log.info(
        "user interface language: %s (catalogue %s)",
        translations.language,
        "loaded" if found else "missing",
    )
    host = WindowHost(services, translations)
    host.show()
    quit_after = os.environ.get(QUIT_AFTER_ENV, "")
    if quit_after.isdigit():

        def close_window() -> None:
            # (the quit test times the exit from this line)
            log.info("closing the window at monotonic %.3f", time.monotonic())
            if host.window is not None:
                host.window.close()

        QTimer.singleShot(int(quit_after), close_window)
    drained = False
    try:
        code = app.exec()
    finally:
        drained = QThreadPool.globalInstance().waitForDone(EXIT_WAIT_MS)
        collector.stop()
        if drained:  # a worker still inside the backend keeps its database open
            services.offline.close()
        else:
            log.warning("a call was still running at exit; not waiting for it")
        services.preferences.sync()
        qInstallMessageHandler(previous_handler)
        log.info("Voiceprint Studio stopped at monotonic %.3f", time.monotonic())
        logging_setup.shutdown_logging()
    if exit_at_once:
        # Everything is saved and closed: end the process now. (Work still running on
        # a pool thread is not waited for; and the interpreter's own teardown --
        # unloading Qt, numpy and the speaker model -- took 0.4-0.6 s more, and over
        # 2 s on a busy machine, with nothing left to save.)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def build_services() -> AppServices:
    """The app's collaborators, on the user's real settings, keyring and data folder."""
    import platformdirs

    from voiceprint_studio.local.engine import BuiltinEngine
    from voiceprint_studio.settings.call_budget import CallBudget
    from voiceprint_studio.settings.preferences import Preferences
    from voiceprint_studio.settings.secrets import SecretStore
    from voiceprint_studio.ui.common.services import AppServices
    from voiceprint_studio.ui.common.session import OfflineBackend

    data_dir = platformdirs.user_data_path(APP_NAME, appauthor=False)
    return AppServices(
        preferences=Preferences(),
        secrets=SecretStore(),
        # the speaker model loads on the first enrollment or identify, on a worker
        offline=OfflineBackend(data_dir / "offline-workspace", engine=BuiltinEngine()),
        budget=CallBudget(data_dir / "call-budget.json"),
    )


def command_line_words() -> Words:
    """The commands' words in the language chosen in the app (View > Language), else the
    system's: English as written, or Simplified Chinese from the app's catalogue."""
    from voiceprint_studio.ui.common.cli_words import command_line_words as words_for

    return words_for(APP_NAME)


def _command(args: list[str]) -> int:
    """Run the command ``args[0]`` (check, export, import) with ``args[1:]``.

    What its calls log goes to the app's log file, as the window's do (printed on the
    terminal, a refused token's log lines came before the command's own words); the file
    is let go when the command ends.
    """
    from voiceprint_studio import logging_setup

    logging_setup.setup_logging()
    try:
        if args[0] == "check":
            # The checker is a Qt-free command line for folders of files and scripts; only
            # its words come from Qt's translations (in the app's language).
            from voiceprint_studio.cli import check_main

            return check_main(args[1:], words=command_line_words())
        if args[0] == "export":
            from voiceprint_studio.transfer.cli import export_main

            return export_main(args[1:], words=command_line_words())
        from voiceprint_studio.transfer.cli import import_main

        return import_main(args[1:], words=command_line_words())
    finally:
        logging_setup.shutdown_logging()


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point (``voiceprint-studio`` and ``python -m voiceprint_studio``)."""
    if getattr(sys, "frozen", False):
        # a packaged app started again as a copy or move job's own process
        # (voiceprint_studio.transfer.child) runs that job, not the app
        import multiprocessing

        multiprocessing.freeze_support()
    _ensure_std_streams()
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["check"], ["export"], ["import"]):
        return _command(args)
    from voiceprint_studio.cli_words import UsageError

    # (the help in the app's language; the window needs no translated command line)
    parser = _parser(command_line_words() if {"-h", "--help"} & set(args) else None)
    try:
        known, _ = parser.parse_known_args(args)  # (Qt's own arguments are left to it)
    except UsageError as exc:
        sys.stderr.write(parser.usage_error(str(exc)))
        return 2
    if known.self_test:
        from voiceprint_studio.selftest import main as self_test_main

        return self_test_main()
    return run_gui(args, exit_at_once=True)
