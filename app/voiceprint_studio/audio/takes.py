"""The recordings folder: where takes are written, listing recent takes, deleting them.

A take may carry the name of the speaker it was recorded for, in a small
``<take>.json`` next to it (:func:`set_take_speaker`), so a list of takes can say
whose each one is.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import soundfile

APP_NAME = "Voiceprint Studio"
TAKE_PREFIX = "take-"
_STAMP = re.compile(r"take-(\d{8}-\d{6})")


def recordings_path(base: str | os.PathLike[str] | None = None) -> Path:
    """``base``, or ``<user data dir>/recordings`` (nothing made on the disk)."""
    if base is None:
        import platformdirs

        return platformdirs.user_data_path(APP_NAME) / "recordings"
    return Path(base)


def recordings_dir(base: str | os.PathLike[str] | None = None) -> Path:
    """``base``, or ``<user data dir>/recordings``; created if missing."""
    folder = recordings_path(base)
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
    # When recording started (from the file name; else the file's time).
    started: datetime | None = None
    # The speaker the take was recorded for ("" when not known).
    speaker: str = ""

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
        created = datetime.fromtimestamp(stat.st_mtime)
        match = _STAMP.match(file_path.name)
        started = created
        if match:
            try:
                started = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
            except ValueError:
                started = created
        return cls(file_path, created, duration, stat.st_size, started, take_speaker(file_path))


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def take_speaker(path: str | os.PathLike[str]) -> str:
    """The speaker's name stored for the take at ``path`` ("" when none)."""
    try:
        data = json.loads(_sidecar(Path(path)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    speaker = data.get("speaker") if isinstance(data, dict) else None
    return speaker if isinstance(speaker, str) else ""


# Tries to put a take's name in place while another thread reads the old one (Windows).
_REPLACE_TRIES = 5


def set_take_speaker(path: str | os.PathLike[str], speaker: str) -> None:
    """Store ``speaker`` as the name of the take at ``path`` (only for a take that exists)."""
    take = Path(path)
    if not take.exists():
        return
    # whole or not at all: a list of the takes read at the same moment (on another
    # thread) saw an empty file, and the take as having no name
    sidecar = _sidecar(take)
    part = sidecar.with_name(f"{sidecar.name}.{threading.get_ident()}.part")
    part.write_text(json.dumps({"speaker": speaker}), encoding="utf-8")
    for attempt in range(_REPLACE_TRIES):
        try:
            os.replace(part, sidecar)
            return
        except PermissionError:  # (Windows: the name is being read at that moment)
            if attempt + 1 == _REPLACE_TRIES:
                part.unlink(missing_ok=True)
                raise
            time.sleep(0.02)


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
    _sidecar(path).unlink(missing_ok=True)


def convert_into_takes(
    src: str | os.PathLike[str],
    folder: str | os.PathLike[str] | None = None,
    *,
    trim: bool,
    segments: Sequence[tuple[float, float]] | None = None,
    speaker: str = "",
    cancelled: Callable[[], bool] = lambda: False,
) -> Path | None:
    """Write a 16 kHz mono 16-bit copy of ``src`` as ``<stem>-16k.wav`` (``-16k-1``…
    when taken) in the recordings folder, labelled with ``speaker``; ``src`` is never
    modified.

    ``cancelled`` is asked once the copy is written: when it says so (the dialog that
    asked for the copy was closed meanwhile) the copy is deleted again and ``None`` is
    returned, so a conversion nobody waits for leaves nothing behind."""
    from .audiofile import convert_file

    source = Path(src)
    target_dir = recordings_dir(folder)
    dst = target_dir / f"{source.stem}-16k.wav"
    n = 1
    while dst.exists() or dst.resolve() == source.resolve():
        dst = target_dir / f"{source.stem}-16k-{n}.wav"
        n += 1
    result = convert_file(source, dst, trim=trim, segments=segments)
    if cancelled():
        delete_take(result)
        return None
    if speaker:
        set_take_speaker(result, speaker)
    return result
