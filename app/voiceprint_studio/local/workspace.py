"""Owning, checking and recovering an offline workspace folder (Qt-free).

The offline workspace keeps user audio that exists nowhere else, so this module's rule is:
**audio is never deleted because a database row is missing.**

* :class:`WorkspaceLock` -- one process owns a workspace at a time. The lock is a file,
  ``DATA/workspace.lock``, held with the operating system's file locking through
  `filelock <https://pypi.org/project/filelock/>`_ (``fcntl.flock`` on macOS and Linux,
  ``msvcrt.locking`` on Windows), so it is released when the owner exits, also on a crash.
  A second process gets :class:`WorkspaceBusyError`.
* :func:`check_database` -- a database that is missing or empty while audio exists, or that
  cannot be opened or fails ``PRAGMA quick_check``, is a :class:`DatabaseProblem`; the
  store then refuses to open (:class:`WorkspaceDamagedError`) unless the caller chose what
  to do: rebuild the catalogue from the sidecars, or start empty. Either way the damaged
  file is first kept aside (:func:`set_aside`), renamed with a timestamp.
* Sidecars -- next to each audio file ``audio/NAME`` the store writes ``audio/NAME.json``
  (atomically) with what is needed to rebuild the catalogue without the database: the group
  (id, name, description, creator, times) and the voiceprint (id, name, description, creator,
  times, audio format). Nothing engine-specific: embeddings are remade from the audio.
* Quarantine -- audio no row refers to is moved (with its sidecar) into ``DATA/quarantine/``,
  never removed; :func:`list_quarantine` lists it. A quarantined recording is restored by
  enrolling the file again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_log = logging.getLogger(__name__)

LOCK_NAME = "workspace.lock"
QUARANTINE_DIR = "quarantine"
SIDECAR_SUFFIX = ".json"
SIDECAR_VERSION = 1
# How a damaged database file is renamed: ``backend.sqlite3.damaged-20260131-154501``.
DAMAGED_INFIX = ".damaged-"
_DB_SIDE_FILES = ("", "-wal", "-shm", "-journal")

BUSY_MESSAGE = "This workspace is open in another Voiceprint Studio window"


class WorkspaceError(Exception):
    """The offline workspace cannot be opened as it is."""

    def __init__(self, message: str, data_dir: Path) -> None:
        super().__init__(message)
        self.data_dir = data_dir


class WorkspaceBusyError(WorkspaceError):
    """Another process (an app window or the loopback server) holds the workspace."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            f"{BUSY_MESSAGE} (or a server started with --data on it): {data_dir}", data_dir
        )


@dataclass(frozen=True)
class DatabaseProblem:
    """What is wrong with a workspace's database.

    ``kind`` is "missing" (no database file, audio present), "empty" (a database with no
    catalogue -- e.g. a 0-byte file -- audio present) or "corrupt" (cannot be opened, or
    ``PRAGMA quick_check`` is not "ok"); ``detail`` is SQLite's own words, ``audio_files``
    how many recordings the audio folder holds.
    """

    kind: str
    detail: str
    audio_files: int


class WorkspaceDamagedError(WorkspaceError):
    """The database is missing, empty or damaged while the workspace holds audio."""

    def __init__(self, data_dir: Path, problem: DatabaseProblem) -> None:
        words = {
            "missing": "the database file is missing",
            "empty": "the database file is empty",
            "corrupt": "the database file is damaged",
        }[problem.kind]
        super().__init__(
            f"offline workspace {data_dir}: {words} but {problem.audio_files} recording(s) "
            f"exist ({problem.detail})",
            data_dir,
        )
        self.problem = problem


@dataclass(frozen=True)
class QuarantinedFile:
    """One recording in the quarantine folder; names come from its sidecar when it has one."""

    path: Path
    size: int
    modified: float
    group_name: str | None
    voiceprint_name: str | None


@dataclass(frozen=True)
class RecoveryReport:
    """What opening a damaged workspace did."""

    problem: DatabaseProblem
    set_aside: tuple[Path, ...]
    groups: int = 0
    voiceprints: int = 0
    quarantined: int = 0


# -- the lock ------------------------------------------------------------------------------


class WorkspaceLock:
    """An exclusive, non-blocking lock on a workspace folder (held until :meth:`release`)."""

    def __init__(self, data_dir: Path) -> None:
        from filelock import FileLock, Timeout

        self.path = data_dir / LOCK_NAME
        # thread_local=False: the store is opened on one worker and closed on another.
        self._lock = FileLock(self.path, timeout=0, thread_local=False)
        try:
            self._lock.acquire()
        except Timeout:
            raise WorkspaceBusyError(data_dir) from None

    def release(self) -> None:
        """Let another process open the workspace."""
        self._lock.release(force=True)


# -- checks --------------------------------------------------------------------------------


def is_audio_name(name: str) -> bool:
    """True for a stored recording's file name (not a temp file, sidecar or hidden file)."""
    return not name.startswith(".") and not name.endswith((".part", SIDECAR_SUFFIX))


def audio_files(audio_dir: Path) -> list[Path]:
    """The recordings in ``audio_dir`` (sorted by name)."""
    if not audio_dir.is_dir():
        return []
    return sorted(p for p in audio_dir.iterdir() if p.is_file() and is_audio_name(p.name))


def check_database(db_path: Path, audio_dir: Path) -> DatabaseProblem | None:
    """None when the database can be opened as it is (or a new one made without loss)."""
    import sqlite3

    count = len(audio_files(audio_dir))
    if not db_path.exists():
        return None if count == 0 else DatabaseProblem("missing", "no database file", count)
    if db_path.stat().st_size == 0 and not _has_wal(db_path):
        return None if count == 0 else DatabaseProblem("empty", "the file has 0 bytes", count)
    try:
        conn = sqlite3.connect(db_path, timeout=30.0, isolation_level=None)
    except sqlite3.Error as exc:
        return DatabaseProblem("corrupt", str(exc), count)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
        verdict = " ".join("; ".join(str(r[0]) for r in rows[:5]).split())[:500]
        if verdict != "ok":
            return DatabaseProblem("corrupt", f"quick_check: {verdict}", count)
        tables = {
            str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    except sqlite3.Error as exc:
        return DatabaseProblem("corrupt", str(exc), count)
    finally:
        conn.close()
    if "features" not in tables and count:
        return DatabaseProblem("empty", "the file holds no catalogue", count)
    return None


def _has_wal(db_path: Path) -> bool:
    wal = db_path.with_name(db_path.name + "-wal")
    return wal.is_file() and wal.stat().st_size > 0


def set_aside(db_path: Path) -> tuple[Path, ...]:
    """Rename the database and its WAL/SHM files out of the way; return the new paths."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = f"{db_path.name}{DAMAGED_INFIX}{stamp}"
    n = 1
    while any(db_path.with_name(base + s).exists() for s in _DB_SIDE_FILES):
        n += 1
        base = f"{db_path.name}{DAMAGED_INFIX}{stamp}-{n}"
    moved: list[Path] = []
    for suffix in _DB_SIDE_FILES:
        source = db_path.with_name(db_path.name + suffix)
        if source.exists():
            target = db_path.with_name(base + suffix)
            os.replace(source, target)
            moved.append(target)
    if moved:
        _log.warning("kept the damaged database aside as %s", ", ".join(p.name for p in moved))
    return tuple(moved)


# -- sidecars ------------------------------------------------------------------------------


def sidecar_path(audio_path: Path) -> Path:
    """Where the metadata of ``audio_path`` is kept."""
    return audio_path.with_name(audio_path.name + SIDECAR_SUFFIX)


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (where the platform allows it)."""
    with contextlib.suppress(OSError):  # not supported everywhere (e.g. Windows)
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temp file, fsync it and rename it onto ``path``."""
    tmp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.part")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def sidecar_record(
    group: dict[str, Any], feature: dict[str, Any], user: dict[str, str] | None = None
) -> bytes:
    """The sidecar's bytes: ``{"version", "group": {...}, "voiceprint": {...}, "user"}``."""
    record = {"version": SIDECAR_VERSION, "group": group, "voiceprint": feature, "user": user}
    return json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")


def read_sidecar(audio_path: Path) -> dict[str, Any] | None:
    """The sidecar of ``audio_path`` when it exists and looks right, else None."""
    try:
        record = json.loads(sidecar_path(audio_path).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("version") != SIDECAR_VERSION:
        return None
    group, feature = record.get("group"), record.get("voiceprint")
    if not isinstance(group, dict) or not isinstance(feature, dict):
        return None
    for part, keys in ((group, ("id", "name", "user_id")), (feature, ("id", "name", "user_id"))):
        if not all(isinstance(part.get(k), str) and part.get(k) for k in keys):
            return None
    if feature.get("audio_file") != audio_path.name:
        return None
    return record


# -- quarantine ----------------------------------------------------------------------------


def quarantine(data_dir: Path, audio_path: Path) -> Path:
    """Move ``audio_path`` and its sidecar into the quarantine folder; return the new path."""
    folder = data_dir / QUARANTINE_DIR
    folder.mkdir(exist_ok=True)
    target = folder / audio_path.name
    n = 1
    while target.exists() or sidecar_path(target).exists():
        n += 1
        target = folder / f"{audio_path.stem}-{n}{audio_path.suffix}"
    side = sidecar_path(audio_path)
    if side.exists():
        os.replace(side, sidecar_path(target))
    os.replace(audio_path, target)
    fsync_dir(folder)
    fsync_dir(audio_path.parent)
    return target


def list_quarantine(data_dir: Path) -> list[QuarantinedFile]:
    """The quarantined recordings, oldest first, with names from their sidecars."""
    out: list[QuarantinedFile] = []
    for path in audio_files(data_dir / QUARANTINE_DIR):
        stat = path.stat()
        group_name = voiceprint_name = None
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            record = json.loads(sidecar_path(path).read_text("utf-8"))
            group_name = str(record["group"]["name"])
            voiceprint_name = str(record["voiceprint"]["name"])
        out.append(QuarantinedFile(path, stat.st_size, stat.st_mtime, group_name, voiceprint_name))
    out.sort(key=lambda q: (q.modified, q.path.name))
    return out
