"""The recordings folder: where takes are written, listing recent takes, deleting them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import soundfile

APP_NAME = "Voiceprint Studio"
TAKE_PREFIX = "take-"


def recordings_dir(base: str | os.PathLike[str] | None = None) -> Path:
    """``base``, or ``<user data dir>/recordings``; created if missing."""
    if base is None:
        import platformdirs

        folder = platformdirs.user_data_path(APP_NAME) / "recordings"
    else:
        folder = Path(base)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_take_path(folder: Path, now: datetime | None = None) -> Path:
    """A fresh, unused ``take-YYYYmmdd-HHMMSS-ffffff.wav`` path in ``folder``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"{TAKE_PREFIX}{stamp}.wav"
    n = 1
    while path.exists():
        path = folder / f"{TAKE_PREFIX}{stamp}-{n}.wav"
        n += 1
    return path


@dataclass(frozen=True)
class Take:
    """A recording on disk."""

    path: Path
    created: datetime
    duration_seconds: float
    size_bytes: int

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> Take:
        """Describe the take at ``path`` (duration 0 if the header can't be read)."""
        file_path = Path(path)
        stat = file_path.stat()
        try:
            info = soundfile.info(str(file_path))
            duration = info.frames / info.samplerate if info.samplerate else 0.0
        except Exception:
            duration = 0.0
        return cls(file_path, datetime.fromtimestamp(stat.st_mtime), duration, stat.st_size)


def list_takes(folder: str | os.PathLike[str] | None = None) -> list[Take]:
    """The takes in the recordings folder, newest first."""
    takes: list[Take] = []
    for path in recordings_dir(folder).glob(f"{TAKE_PREFIX}*.wav"):
        try:
            takes.append(Take.from_path(path))
        except OSError:
            continue  # deleted meanwhile
    takes.sort(key=lambda t: (t.created, t.path.name), reverse=True)
    return takes


def delete_take(take: Take | str | os.PathLike[str]) -> None:
    """Delete a take's file (no error if it is already gone)."""
    path = take.path if isinstance(take, Take) else Path(take)
    path.unlink(missing_ok=True)
