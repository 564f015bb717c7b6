"""Child process of bench/ui_responsiveness.py: start a window, report, exit.

    python bench/_ui_child.py bare|app

Prints ``SHOWN`` as soon as the window has been shown and its first events
processed, then idles two seconds (the app loads its first page meanwhile),
prints ``RSS <bytes>`` and exits. Both kinds start the same way, so the
parent can compare them.
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
    if kind == "bare":
        window = QMainWindow()
    else:
        from voiceprint_studio.main import build_services
        from voiceprint_studio.ui.main_window import MainWindow

        window = MainWindow(build_services())
    window.show()

    def shown() -> None:
        print("SHOWN", flush=True)
        QTimer.singleShot(2000, report)

    def report() -> None:
        print(f"RSS {rss_bytes()}", flush=True)
        window.close()
        app.quit()

    QTimer.singleShot(0, shown)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
