"""Whether the window can open: what ``--self-test`` and the app check before Qt aborts.

A machine without a display, or without a library Qt's window needs, must be told so by
name (and what to install), not by Qt's abort. Missing libraries are simulated with tiny
shared libraries built with ``cc`` in the test's folder: one whose dependency is absent
fails to load with the loader's words naming it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from voiceprint_studio import qt_platform, selftest

XCB_CURSOR_ERROR = (
    "Cannot load library /opt/voiceprint-studio/_internal/PySide6/Qt/plugins/platforms/"
    "libqxcb.so: libxcb-cursor.so.0: cannot open shared object file: No such file or directory"
)
LIBGL_ERROR = "ImportError: libGL.so.1: cannot open shared object file: No such file or directory"
GLIB_ERROR = (
    "ImportError: libglib-2.0.so.0: cannot open shared object file: No such file or directory"
)
DISPLAY = {"DISPLAY": ":0"}

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF libraries")


@pytest.mark.parametrize(
    ("error", "package"),
    [
        (XCB_CURSOR_ERROR, "libxcb-cursor0"),
        (LIBGL_ERROR, "libgl1"),
        (GLIB_ERROR, "libglib2.0-0"),
        ("ImportError: libEGL.so.1: cannot open shared object file", "libegl1"),
        ("ImportError: libfontconfig.so.1: cannot open shared object file", "libfontconfig1"),
        ("ImportError: libxkbcommon.so.0: cannot open shared object file", "libxkbcommon0"),
        ("ImportError: libdbus-1.so.3: cannot open shared object file", "libdbus-1-3"),
        ("OSError: PortAudio library not found", "libportaudio2"),
    ],
)
def test_a_missing_library_is_answered_with_its_debian_package(error: str, package: str) -> None:
    assert qt_platform.missing_packages(error) == [package]
    assert qt_platform.install_hint(error) == (
        f"install {package} (Debian/Ubuntu: sudo apt install {package})"
    )
    assert qt_platform.with_hint(error).startswith(f"{error} -- install {package}")


def test_the_hint_is_given_once() -> None:
    once = qt_platform.with_hint(XCB_CURSOR_ERROR)
    assert qt_platform.with_hint(once) == once
    assert once.count("sudo apt install") == 1


def test_an_error_naming_no_known_library_gets_no_hint() -> None:
    error = "Cannot load library /x/libqxcb.so: /x/libqxcb.so: file too short"
    assert qt_platform.install_hint(error) == ""
    assert qt_platform.with_hint(error) == error


def test_the_platform_plugin_is_the_one_of_each_os() -> None:
    assert qt_platform.plugin_for("linux") == ("xcb", "libqxcb.so")
    assert qt_platform.plugin_for("win32") == ("windows", "qwindows.dll")
    assert qt_platform.plugin_for("darwin") == ("cocoa", "libqcocoa.dylib")


def test_no_display_is_said_before_qt_aborts() -> None:
    problem = qt_platform.startup_problem({}, "linux")
    assert problem is not None and problem.fatal
    assert problem.text().startswith("No display found: start Voiceprint Studio from a desktop")


def test_the_app_without_a_display_says_so_in_the_apps_language(tmp_path: Path) -> None:
    """The app itself, started with no display and Chinese chosen: it says why on stderr in
    Chinese (the command line's words), exits 1 without Qt's abort, and logs it in English."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env.update(LANGUAGE="zh_CN", LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8")
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.update(XDG_STATE_HOME=str(tmp_path / "state"), XDG_DATA_HOME=str(tmp_path / "data"))
    run = subprocess.run(
        [sys.executable, "-m", "voiceprint_studio"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "未找到显示环境：请在桌面会话中启动声纹工作室" in run.stderr
    assert "could not connect to display" not in run.stderr  # (Qt's own abort)
    (log,) = tmp_path.glob("state/**/voiceprint-studio.log")
    assert "the window cannot open: No display found" in log.read_text(encoding="utf-8")


def test_nothing_is_checked_where_it_does_not_apply(tmp_path: Path) -> None:
    junk = tmp_path / "libqxcb.so"
    junk.write_text("not a library")
    # a platform the operator chose (tests: offscreen); Windows and macOS have no DISPLAY
    assert qt_platform.startup_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert qt_platform.startup_problem({}, "win32", plugin=junk) is None
    assert qt_platform.startup_problem({}, "darwin", plugin=junk) is None


def _cc(tmp_path: Path, name: str, source: str, *link: str) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build a test library")
    c_file = tmp_path / f"{name}.c"
    c_file.write_text(source)
    out = tmp_path / name
    subprocess.run(
        [compiler, "-shared", "-fPIC", "-o", str(out), str(c_file), f"-Wl,-soname,{name}", *link],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture
def plugin_missing_a_library(tmp_path: Path) -> Path:
    """A library linked to ``libvps-absent.so.1``, which is then removed."""
    dep = _cc(tmp_path, "libvps-absent.so.1", "int vps_absent(void) { return 1; }\n")
    plugin = _cc(
        tmp_path,
        "libqxcb.so",
        "int vps_absent(void);\nint vps_plugin(void) { return vps_absent(); }\n",
        f"-L{tmp_path}",
        "-l:libvps-absent.so.1",
    )
    dep.unlink()
    return plugin


@linux_only
def test_a_plugin_whose_library_is_missing_is_named_with_the_library(
    plugin_missing_a_library: Path,
) -> None:
    with pytest.raises(qt_platform.PlatformPluginError, match=r"libvps-absent\.so\.1"):
        qt_platform.load_library(plugin_missing_a_library)
    problem = qt_platform.startup_problem(DISPLAY, "linux", plugin=plugin_missing_a_library)
    assert problem is not None and problem.fatal
    text = problem.text()
    assert text.startswith("Qt's X11 platform plugin (libqxcb.so) cannot be loaded: ")
    assert "libvps-absent.so.1: cannot open shared object file" in text
    assert text.endswith("Install the missing library, then start Voiceprint Studio again.")
    # in a Wayland session Qt may not need xcb: said in the log only
    wayland = qt_platform.startup_problem(
        {**DISPLAY, "WAYLAND_DISPLAY": "wayland-0"}, "linux", plugin=plugin_missing_a_library
    )
    assert wayland is not None and not wayland.fatal


@linux_only
def test_a_file_that_is_no_library_does_not_pass(tmp_path: Path) -> None:
    junk = tmp_path / "libqxcb.so"
    junk.write_text("not a library")
    with pytest.raises(qt_platform.PlatformPluginError, match="Cannot load library"):
        qt_platform.load_library(junk)
    assert qt_platform.startup_problem(DISPLAY, "linux", plugin=junk) is not None


@linux_only
def test_a_loadable_plugin_passes(tmp_path: Path) -> None:
    plugin = _cc(tmp_path, "libqxcb.so", "int vps_plugin(void) { return 0; }\n")
    assert qt_platform.startup_problem(DISPLAY, "linux", plugin=plugin) is None


def test_the_install_line_names_the_package_and_the_command() -> None:
    problem = qt_platform._cannot_load(
        qt_platform.CANNOT_LOAD_XCB, {"plugin": "libqxcb.so"}, XCB_CURSOR_ERROR
    )
    assert problem.text().splitlines()[-1] == (
        "Install libxcb-cursor0 (Debian/Ubuntu: sudo apt install libxcb-cursor0), "
        "then start Voiceprint Studio again."
    )


def _run_self_test(monkeypatch: pytest.MonkeyPatch, names: set[str]) -> tuple[int, str]:
    monkeypatch.setattr(selftest, "CHECKS", tuple(c for c in selftest.CHECKS if c[0] in names))
    out = io.StringIO()
    return selftest.main(out), out.getvalue()


def test_self_test_checks_the_window_parts_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    qt = {selftest.QT_CORE, selftest.QT_GUI, selftest.PLATFORM_PLUGIN}
    if sys.platform.startswith("linux"):
        assert selftest.PLATFORM_PLUGIN == "xcb platform plugin"
    code, out = _run_self_test(monkeypatch, qt)
    assert code == selftest.EXIT_OK, out
    plugin = qt_platform.plugin_for()[1]
    assert f"{plugin} loaded from " in out
    assert "QtGui and QtWidgets imported" in out


def test_a_missing_qt_core_fails_under_its_own_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without GLib QtCore does not import: the failure is Qt core's, not the catalogues'."""
    names = {selftest.QT_CORE, selftest.QT_GUI, selftest.PLATFORM_PLUGIN, "zh_CN catalogues"}
    with monkeypatch.context() as patch:  # (undone before the Qt fixtures' teardown)
        patch.setitem(sys.modules, "PySide6.QtCore", None)
        code, out = _run_self_test(patch, names)
    assert code == selftest.EXIT_FAILED
    lines = {line.split("  ")[1].strip(): line for line in out.splitlines()[:-1]}
    assert lines[selftest.QT_CORE].startswith("FAIL")
    for dependent in (selftest.QT_GUI, selftest.PLATFORM_PLUGIN, "zh_CN catalogues"):
        assert lines[dependent].startswith("skip"), out
        assert "not run: Qt core" in lines[dependent]
    assert out.splitlines()[-1] == "self-test FAILED: Qt core"
    assert "not run: Qt core, Qt GUI did not pass" in lines[selftest.PLATFORM_PLUGIN]


@linux_only
def test_a_plugin_failure_is_reported_once_with_its_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def plugin() -> str:
        raise qt_platform.PlatformPluginError(XCB_CURSOR_ERROR)

    monkeypatch.setattr(selftest, "CHECKS", (("xcb platform plugin", plugin, ()),))
    (result,) = selftest.run_checks()
    assert result.detail == (
        f"PlatformPluginError: {XCB_CURSOR_ERROR} -- "
        "install libxcb-cursor0 (Debian/Ubuntu: sudo apt install libxcb-cursor0)"
    )


def test_a_failure_naming_a_missing_library_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def portaudio() -> str:
        raise OSError("PortAudio library not found")

    monkeypatch.setattr(selftest, "CHECKS", (("PortAudio", portaudio, ()),))
    (result,) = selftest.run_checks()
    assert not result.ok
    assert result.detail == (
        "OSError: PortAudio library not found -- "
        "install libportaudio2 (Debian/Ubuntu: sudo apt install libportaudio2)"
    )


def test_importing_the_check_loads_no_qt() -> None:
    """It sits on the start-up path: Qt is imported when a check runs, not before."""
    code = (
        "import sys, voiceprint_studio.qt_platform\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
