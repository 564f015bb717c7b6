"""Can the window open on this machine? Checks shared by ``--self-test`` and :func:`run_gui`.

Importing ``PySide6.QtCore`` needs little of the system, but ``QtGui``/``QtWidgets`` need
its OpenGL, fontconfig, xkbcommon and GLib libraries, and the platform plugin Qt loads for
the window (``libqxcb.so`` on Linux, ``qwindows.dll`` on Windows, ``libqcocoa.dylib`` on
macOS) needs more (on Linux the xcb libraries, ``libxcb-cursor0`` among them). When one is
missing, Qt aborts with its own message and nothing reaches the app's log. The checks here
find that out first, without a display: :func:`load_library` loads the plugin file
(``QLibrary``: the system's loader resolves its dependencies, and Qt's error names the one
that is missing), and :func:`install_hint` reads a missing library's name out of an error's
text and names the Debian/Ubuntu package that has it. No process is started (the app runs
on Windows and macOS too).

Qt is imported inside the functions only: nothing here costs start-up time until it runs.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

# The platform plugin Qt uses for the window, by ``sys.platform`` (anything else: xcb).
PLATFORM_PLUGINS = {"win32": ("windows", "qwindows.dll"), "darwin": ("cocoa", "libqcocoa.dylib")}
XCB_PLUGIN = ("xcb", "libqxcb.so")

# The Debian/Ubuntu package of each library Qt, PortAudio and the xcb plugin load from the
# system (Debian 13's ``t64`` packages provide these names too, so apt installs either).
DEBIAN_PACKAGES = {
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libEGL.so.1": "libegl1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libportaudio.so.2": "libportaudio2",
    "libasound.so.2": "libasound2",
    "libsndfile.so.1": "libsndfile1",
}
# Errors that name a part, not a file: sounddevice's when it finds no PortAudio at all.
DEBIAN_PACKAGES_BY_MESSAGE = {"PortAudio library not found": "libportaudio2"}

_SO_NAME = re.compile(r"\blib[\w.+-]*?\.so(?:\.\d+)*\b")


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark ``text`` for Qt's translation tools; returns it unchanged (no Qt here)."""
    return text


Say = Callable[..., str]


def _english(template: str, **values: object) -> str:
    return template.format(**values)


@dataclass(frozen=True)
class StartupProblem:
    """Why the window cannot open (``fatal``), or may not: one sentence per line, each a
    ``CommandLine`` template and its values.

    :meth:`text` says it in English (the log; and when Qt's own libraries are what fails
    to load, the command line's translated words cannot be had either), or with the
    command line's words (``say``: :meth:`~voiceprint_studio.cli_words.Words.say`).
    """

    lines: tuple[tuple[str, Mapping[str, str]], ...]
    fatal: bool = True

    def text(self, say: Say = _english) -> str:
        return "\n".join(say(template, **values) for template, values in self.lines)


class PlatformPluginError(RuntimeError):
    """The platform plugin is missing or does not load: ``error`` is why (Qt's words), the
    message adds what to install when the error names a library."""

    def __init__(self, error: str) -> None:
        super().__init__(with_hint(error))
        self.error = error


def missing_packages(error: str) -> list[str]:
    """The Debian/Ubuntu packages of the libraries ``error`` (a loader's text) names."""
    found = [DEBIAN_PACKAGES[name] for name in _SO_NAME.findall(error) if name in DEBIAN_PACKAGES]
    found += [pkg for text, pkg in DEBIAN_PACKAGES_BY_MESSAGE.items() if text in error]
    return list(dict.fromkeys(found))


def install_hint(error: str) -> str:
    """What to install for ``error``: "install libgl1 (Debian/Ubuntu: sudo apt install
    libgl1)", or "" when the text names no library this module knows."""
    packages = " ".join(missing_packages(error))
    if not packages:
        return ""
    return f"install {packages} (Debian/Ubuntu: sudo apt install {packages})"


def with_hint(error: str) -> str:
    """``error``, followed by what to install when the text says."""
    hint = install_hint(error)
    return f"{error} -- {hint}" if hint and hint not in error else error


def plugin_for(platform: str = sys.platform) -> tuple[str, str]:
    """(Qt's name, file name) of the platform plugin the app uses on ``platform``."""
    return PLATFORM_PLUGINS.get(platform, XCB_PLUGIN)


def plugin_folders() -> list[Path]:
    """Where Qt looks for plugins: its own plugins folder first, then ``QT_PLUGIN_PATH``'s."""
    from PySide6.QtCore import QCoreApplication, QLibraryInfo

    folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)]
    folders += QCoreApplication.libraryPaths()
    return [Path(f) for f in dict.fromkeys(folders) if f]


def find_platform_plugin(file_name: str) -> Path:
    """The plugin file Qt would load (``platforms/FILE`` in the first plugin folder)."""
    folders = plugin_folders()
    for folder in folders:
        candidate = folder / "platforms" / file_name
        if candidate.is_file():
            return candidate
    where = ", ".join(str(f / "platforms") for f in folders) or "no Qt plugin folder"
    raise PlatformPluginError(f"{file_name} not found in {where}")


def load_library(path: Path) -> None:
    """Load ``path`` as the system loads a plugin (its dependencies resolved); on failure
    raise :class:`PlatformPluginError` with Qt's error (which names the missing library)
    and what to install. A loaded library stays loaded: Qt loads the same one later."""
    from PySide6.QtCore import QLibrary

    library = QLibrary(str(path))
    if not library.load():
        raise PlatformPluginError(library.errorString())


def check_platform_plugin(platform: str = sys.platform) -> str:
    """Load the platform plugin of ``platform``; say which file loaded."""
    _name, file_name = plugin_for(platform)
    path = find_platform_plugin(file_name)
    load_library(path)
    return f"{file_name} loaded from {path.parent}"


def check_gui_modules() -> str:
    """Import QtGui and QtWidgets (they link the system's GL, fontconfig, xkbcommon)."""
    import PySide6
    import PySide6.QtGui
    import PySide6.QtWidgets  # (importing them is the check)

    return f"PySide6 {PySide6.__version__}: QtGui and QtWidgets imported"


NO_DISPLAY = QT_TRANSLATE_NOOP(
    "CommandLine",
    "No display found: start Voiceprint Studio from a desktop session (neither DISPLAY nor "
    "WAYLAND_DISPLAY is set). Without one, 'voiceprint-studio --help' lists the commands "
    "that need no window.",
)
CANNOT_LOAD_GUI = QT_TRANSLATE_NOOP("CommandLine", "Qt's GUI libraries cannot be loaded: {error}")
CANNOT_LOAD_XCB = QT_TRANSLATE_NOOP(
    "CommandLine", "Qt's X11 platform plugin ({plugin}) cannot be loaded: {error}"
)
INSTALL_LIBRARY = QT_TRANSLATE_NOOP(
    "CommandLine", "Install the missing library, then start Voiceprint Studio again."
)
INSTALL_PACKAGES = QT_TRANSLATE_NOOP(
    "CommandLine",
    "Install {packages} (Debian/Ubuntu: sudo apt install {packages}), then start Voiceprint "
    "Studio again.",
)


def startup_problem(
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    *,
    plugin: Path | None = None,
) -> StartupProblem | None:
    """Why the window cannot open here, or None; checked before the QApplication exists.

    Only where it can be told without a display, and only when the operator has not chosen
    a platform (``QT_QPA_PLATFORM`` unset; tests and benchmarks set ``offscreen``), on
    Linux (and the other X11 systems; never Windows or macOS): a session needs ``DISPLAY``
    or ``WAYLAND_DISPLAY``; Qt's GUI libraries must import; the xcb plugin (``plugin``:
    another file, for tests) must load. In a Wayland session a broken xcb plugin is not
    fatal (``fatal=False``: Qt may use its Wayland plugin), only logged.
    """
    env = os.environ if env is None else env
    if env.get("QT_QPA_PLATFORM") or platform in PLATFORM_PLUGINS:
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return StartupProblem(((NO_DISPLAY, {}),))
    try:
        check_gui_modules()
    except ImportError as exc:
        return _cannot_load(CANNOT_LOAD_GUI, {}, f"{type(exc).__name__}: {exc}")
    try:
        path = plugin if plugin is not None else find_platform_plugin(XCB_PLUGIN[1])
        load_library(path)
    except PlatformPluginError as exc:
        return _cannot_load(
            CANNOT_LOAD_XCB,
            {"plugin": XCB_PLUGIN[1]},
            exc.error,
            fatal=not env.get("WAYLAND_DISPLAY"),
        )
    return None


def _cannot_load(
    template: str, values: dict[str, str], error: str, *, fatal: bool = True
) -> StartupProblem:
    packages = " ".join(missing_packages(error))
    todo = (INSTALL_PACKAGES, {"packages": packages}) if packages else (INSTALL_LIBRARY, {})
    return StartupProblem(((template, {**values, "error": error}), todo), fatal)
