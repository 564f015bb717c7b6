"""Where the file choosers start: the folder last used in this session, else home.

Every chooser of the app (enrollment audio, a clip to identify, Save audio as, export,
import) starts in the folder the operator last chose a file or folder in, while it still
exists; at first, and when it is gone, in the home folder (never the folder the app was
started from). Choosers call :func:`remember` with what was chosen.
"""

from __future__ import annotations

from pathlib import Path

_last: list[Path] = []  # the folder chosen last (one; a list so no global statement)


def start_folder() -> Path:
    """The folder a file chooser opens in."""
    if _last and _last[0].is_dir():
        return _last[0]
    return Path.home()


def remember(chosen: str | Path) -> None:
    """Note the file (its folder) or folder the operator just chose."""
    path = Path(chosen)
    folder = path if path.is_dir() else path.parent
    if str(folder):
        _last[:] = [folder]
