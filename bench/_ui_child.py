"""Child process of bench/ui_responsiveness.py: start a window, report, exit.

    python bench/_ui_child.py bare|app

Prints ``SHOWN`` as soon as the window has been shown and its first events
processed; ``READY`` when it is usable: for the app, when the first page of
groups is shown (the app builds its views after the first paint), for the bare
window at once. Then it idles two seconds after ``SHOWN`` (the app loads its
first page meanwhile), prints ``RSS <bytes>`` and exits. Both kinds start the
same way, so the parent can compare them.
"""

from __future__ import annotations

import sys
from pathlib import Path


def rss_bytes() -> int:
    """Resident set size now (Linux /proc; the peak from getrusage elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024
    import os

    return pages * os.sysconf("SC_PAGE_SIZE")


def main() -> int:
    kind = sys.argv[1]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([sys.argv[0]])
    window: QMainWindow
    if kind == "bare":
        window = QMainWindow()

        def loading() -> bool:
            return False

    else:
        from voiceprint_studio.main import build_services, tune_runtime
        from voiceprint_studio.ui.common.gc_guard import GuiThreadCollector
        from voiceprint_studio.ui.shell.main_window import MainWindow

        tune_runtime()  # as the app's run_gui() does
        GuiThreadCollector(parent=app)
        app_window = MainWindow(build_services())
        window = app_window

        def loading() -> bool:
            # Builds nothing itself: the app builds its views after the first paint and
            # starts loading the first page at once (the workspace here has no groups,
            # so the page shown is the empty one).
            return not app_window.views_built or app_window.groups_panel.loading

    window.show()

    def shown() -> None:
        print("SHOWN", flush=True)
        QTimer.singleShot(2000, report)
        ready()

    def ready() -> None:
        if loading():
            QTimer.singleShot(1, ready)
        else:
            print("READY", flush=True)

    def report() -> None:
        print(f"RSS {rss_bytes()}", flush=True)
        window.close()
        app.quit()

    QTimer.singleShot(0, shown)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
