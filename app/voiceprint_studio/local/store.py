"""SQLite + files storage of the embedded backend.

Layout of the data directory::

    DATA/workspace.lock      held by the one process that has the workspace open
    DATA/backend.sqlite3     groups, features, voices, meta (WAL mode)
    DATA/audio/<name>        enrollment audio, exactly the uploaded bytes
    DATA/audio/<name>.json   its sidecar: group and voiceprint names, ids and times
    DATA/quarantine/         recordings no voiceprint referred to (kept, never deleted)

Consistency rules (see :mod:`voiceprint_studio.local.workspace` for the recovery side):

* One process owns the workspace (:class:`~voiceprint_studio.local.workspace.WorkspaceLock`);
  a second gets ``WorkspaceBusyError``. Inside the process every write runs in a
  ``BEGIN IMMEDIATE`` transaction under a lock, so the per-group and per-account limits hold.
* Audio is written to ``audio/*.part``, fsynced and ``os.replace``-d into its final name,
  and its sidecar is written the same way, *before* the row that points at it is committed;
  replaced or deleted audio is unlinked only *after* the commit, which is on the disk when
  it returns (``synchronous=FULL``). A crash or a power cut therefore leaves at worst an
  unreferenced file, never a row without its file. On open, while holding the
  workspace lock, :class:`Store` removes ``*.part`` files (never acknowledged) and moves
  unreferenced audio into the quarantine folder.
* A database that is missing or empty while audio exists, or that fails to open or
  ``PRAGMA quick_check``, is never replaced silently: :class:`Store` raises
  ``WorkspaceDamagedError`` unless ``recovery`` says what to do ("rebuild" the catalogue
  from the sidecars, or start "empty"); the damaged file is kept aside either way.
* The schema is versioned with ``PRAGMA user_version`` (currently 2).

Ordering and paging decisions (the contract is silent): lists are newest first (by id,
which grows with creation time); a ``page_num`` past the end returns an empty ``items``
list with the true ``total``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from voiceprint_studio.local import workspace as ws


def sign_audio_name(secret: bytes, name: str) -> str:
    """The signature of a stored audio file's name in its ``audio_url`` (``secret``: the
    workspace's :meth:`Store.url_secret`)."""
    import hmac
    from hashlib import sha256

    return hmac.new(secret, name.encode(), sha256).hexdigest()[:32]


def audio_file(folder: Path, name: str) -> Path | None:
    """The stored audio file ``name`` in the workspace's audio ``folder``, or None if there
    is no such file (or the name is not a plain file name)."""
    if "/" in name or "\\" in name or name.startswith(".") or not name:
        return None
    path = folder / name
    return path if path.is_file() else None


_log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
DB_NAME = "backend.sqlite3"
AUDIO_DIR = "audio"
NAME_MAX = 20
DESC_MAX = 500
VOICE_TYPES = ("voice_cloning", "voice_generation")

_SCHEMA = """
CREATE TABLE groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    "desc" TEXT NOT NULL DEFAULT '',
    user_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX groups_user ON groups(user_id);
CREATE TABLE features (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    "desc" TEXT NOT NULL DEFAULT '',
    user_id TEXT NOT NULL,
    audio_file TEXT NOT NULL UNIQUE,
    audio_format TEXT NOT NULL,
    embedding BLOB,
    embedding_model TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX features_group ON features(group_id);
CREATE TABLE users (
    user_id TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    nick_name TEXT NOT NULL
);
CREATE TABLE voices (
    voice_id TEXT PRIMARY KEY,
    voice_type TEXT NOT NULL,
    voice_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '[]',
    created_time TEXT NOT NULL DEFAULT ''
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# System voices seeded into a fresh workspace: (voice_id, voice_name, description).
SYSTEM_VOICES: tuple[tuple[str, str, str], ...] = (
    ("male-qn-qingse", "青涩青年音色", "青涩的青年男声"),
    ("male-qn-jingying", "精英青年音色", "干练自信的青年男声"),
    ("male-qn-badao", "霸道青年音色", "低沉有力的青年男声"),
    ("female-shaonv", "少女音色", "清亮活泼的少女声"),
    ("female-yujie", "御姐音色", "成熟知性的女声"),
    ("female-chengshu", "成熟女性音色", "温柔稳重的成熟女声"),
    ("presenter_male", "男性主持人", "字正腔圆的男主持人"),
    ("audiobook_female_1", "女性有声书1", "适合有声书朗读的女声"),
)


class StoreError(Exception):
    """A Coze-level failure of a store operation; ``code`` is the Coze error code."""

    def __init__(self, code: int, msg: str) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg


class VoiceError(Exception):
    """A MiniMax-level failure; ``status_code`` is the MiniMax ``base_resp`` code."""

    def __init__(self, status_code: int, msg: str) -> None:
        super().__init__(msg)
        self.status_code = status_code
        self.msg = msg


@dataclass(frozen=True)
class LocalUser:
    """The account that owns the workspace (and, for tests, other team members)."""

    user_id: str = "7480000000000000001"
    user_name: str = "local_user"
    nick_name: str = "本地用户"


@dataclass(frozen=True)
class GroupRow:
    """One voiceprint group."""

    id: str
    name: str
    desc: str
    user_id: str
    created_at: int
    updated_at: int
    feature_count: int


@dataclass(frozen=True)
class FeatureRow:
    """One voiceprint (feature) of a group."""

    id: str
    group_id: str
    name: str
    desc: str
    user_id: str
    audio_file: str
    audio_format: str
    created_at: int
    updated_at: int
    embedding: bytes | None = field(default=None, repr=False)
    embedding_model: str | None = None


@dataclass(frozen=True)
class VoiceRow:
    """One MiniMax voice."""

    voice_id: str
    voice_type: str  # "system", "voice_cloning" or "voice_generation"
    voice_name: str
    description: list[str]
    created_time: str


@dataclass(frozen=True)
class NewAudio:
    """Audio to store with a feature: the exact bytes and "wav" or "pcm"."""

    data: bytes
    fmt: str
    embedding: bytes | None = None
    embedding_model: str | None = None


class _IdGenerator:
    """19-digit, time-ordered, unique ids (snowflake-like)."""

    _BASE = 7_000_000_000_000_000_000
    _EPOCH_MS = 1_704_067_200_000  # 2024-01-01

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0

    def next(self) -> int:
        with self._lock:
            ms = int(time.time() * 1000) - self._EPOCH_MS
            candidate = self._BASE + (ms << 22) + secrets.randbelow(1 << 12)
            self._last = max(candidate, self._last + 1)
            return self._last


def check_text(field_name: str, value: object, limit: int, *, required: bool) -> str:
    if not isinstance(value, str):
        raise StoreError(4000, f"{field_name}: must be a string")
    if required and not value.strip():
        raise StoreError(4000, f"{field_name}: must not be empty")
    if len(value) > limit:
        raise StoreError(
            4000, f"{field_name}: at most {limit} characters are allowed, got {len(value)}"
        )
    return value


_fsync_dir = ws.fsync_dir


class Store:
    """Thread-safe storage of groups, features (with audio files) and MiniMax voices.

    Opening takes the workspace lock (``WorkspaceBusyError`` if another process has it) and
    checks the database (``WorkspaceDamagedError`` when it is missing, empty or damaged while
    audio exists). ``recovery`` says what to do with a damaged database instead of failing:
    "rebuild" (keep it aside, rebuild the catalogue from the sidecars) or "empty" (keep it
    aside, start an empty catalogue; the recordings go to the quarantine folder).
    :attr:`recovery_report` then says what was done.
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        user: LocalUser | None = None,
        max_groups: int = 1000,
        max_features: int = 10,
        recovery: str | None = None,
    ) -> None:
        if recovery not in (None, "rebuild", "empty"):
            raise ValueError(f"unknown recovery {recovery!r}")
        self.data_dir = Path(data_dir)
        self.audio_dir = self.data_dir / AUDIO_DIR
        self.audio_dir.mkdir(parents=True, exist_ok=True)
        self.db_path = self.data_dir / DB_NAME
        self.recovery_report: ws.RecoveryReport | None = None
        # names of the recordings moved to the quarantine folder when this store opened
        self.quarantined_on_open: list[str] = []
        self.user = user or LocalUser()
        self.max_groups = max_groups
        self.max_features = max_features
        self._ids = _IdGenerator()
        self._pool: list[sqlite3.Connection] = []
        # Users are few and change rarely; listing 200 groups must not cost 200 look-ups.
        self._users: dict[str, LocalUser] = {}
        self._all: list[sqlite3.Connection] = []
        self._pool_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._closed = False
        self._lock: ws.WorkspaceLock | None = ws.WorkspaceLock(self.data_dir)
        try:
            self._open(recovery)
        except BaseException:
            self.close()
            raise

    def _open(self, recovery: str | None) -> None:
        problem = ws.check_database(self.db_path, self.audio_dir)
        aside: tuple[Path, ...] = ()
        if problem is not None:
            _log.error(
                "offline workspace %s: %s database (%s); %d recording(s) present; recovery: %s",
                self.data_dir,
                problem.kind,
                problem.detail,
                problem.audio_files,
                recovery or "none chosen",
            )
            if recovery is None:
                raise ws.WorkspaceDamagedError(self.data_dir, problem)
            aside = ws.set_aside(self.db_path)
        groups = voiceprints = 0
        try:
            self._migrate()
            if problem is not None and recovery == "rebuild":
                groups, voiceprints = self._rebuild_from_sidecars()
        except BaseException:
            if problem is not None:
                # A half-made catalogue must not pass for a healthy one next time (its
                # orphan sweep would quarantine every recording): drop the new file, so the
                # next open finds the database missing and asks again.
                self._discard_new_database()
            raise
        self.quarantined_on_open = self.remove_orphans()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO users(user_id, user_name, nick_name) VALUES (?, ?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET user_name=excluded.user_name, "
                "nick_name=excluded.nick_name",
                (self.user.user_id, self.user.user_name, self.user.nick_name),
            )
        if problem is not None:
            self.recovery_report = ws.RecoveryReport(
                problem, aside, groups, voiceprints, len(self.quarantined_on_open)
            )
            _log.warning(
                "offline workspace %s recovered (%s): %d group(s) and %d voiceprint(s) "
                "rebuilt, %d recording(s) quarantined",
                self.data_dir,
                recovery,
                groups,
                voiceprints,
                len(self.quarantined_on_open),
            )

    def _discard_new_database(self) -> None:
        with self._pool_lock:
            conns, self._all, self._pool = self._all, [], []
        for conn in conns:
            conn.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                self.db_path.with_name(self.db_path.name + suffix).unlink()
        _log.error("rebuilding the offline workspace %s failed; nothing was kept", self.data_dir)

    # -- connections ---------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.db_path, timeout=30.0, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL, not NORMAL: with NORMAL a commit can roll back after a power cut while the
        # unlink of the audio it replaced (done after the commit) stands -- a row without
        # its file. FULL syncs the log at each commit (the writes here are few: creates,
        # updates, deletes), so "unlinked only after the commit" holds across power cuts.
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    @contextlib.contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        with self._pool_lock:
            if self._closed:
                raise RuntimeError("store is closed")
            conn = self._pool.pop() if self._pool else None
        if conn is None:
            conn = self._connect()
            with self._pool_lock:
                self._all.append(conn)
        try:
            yield conn
        finally:
            with self._pool_lock:
                self._pool.append(conn)

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A ``BEGIN IMMEDIATE`` transaction, committed on success, rolled back on error."""
        with self._write_lock, self._conn() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        """Close every connection and release the workspace; the store cannot be used
        afterwards."""
        with self._pool_lock:
            self._closed = True
            conns, self._all, self._pool = self._all, [], []
            lock, self._lock = self._lock, None
        for conn in conns:
            conn.close()
        if lock is not None:
            lock.release()

    def _migrate(self) -> None:
        with self._write_lock, self._conn() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = int(conn.execute("PRAGMA user_version").fetchone()[0])
                if version > SCHEMA_VERSION:
                    raise RuntimeError(
                        f"database schema {version} is newer than this program ({SCHEMA_VERSION})"
                    )
                if version == 0:
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(
                        "INSERT INTO meta(key, value) VALUES ('url_secret', ?)",
                        (secrets.token_hex(32),),
                    )
                    for voice_id, voice_name, desc in SYSTEM_VOICES:
                        conn.execute(
                            "INSERT INTO voices(voice_id, voice_type, voice_name, description)"
                            " VALUES (?, 'system', ?, ?)",
                            (voice_id, voice_name, json.dumps([desc], ensure_ascii=False)),
                        )
                    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                elif version == 1:
                    # 2: which speaker model made each embedding (stale ones are remade)
                    conn.execute("ALTER TABLE features ADD COLUMN embedding_model TEXT")
                    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # -- files ---------------------------------------------------------------------------

    def remove_orphans(self) -> list[str]:
        """Remove temp files, and move audio no row refers to into the quarantine folder
        (with its sidecar); return the quarantined names.

        Called on open, while this process holds the workspace lock: no other process can
        be between writing a recording and committing its row.
        """
        with self._conn() as conn:
            referenced = {r[0] for r in conn.execute("SELECT audio_file FROM features")}
        moved: list[str] = []
        for entry in sorted(self.audio_dir.iterdir()):
            if not entry.is_file():
                continue
            if entry.name.endswith(".part"):  # never acknowledged: a write that did not finish
                with contextlib.suppress(FileNotFoundError):
                    entry.unlink()
                _log.info("removed the unfinished write %s", entry.name)
            elif ws.is_audio_name(entry.name) and entry.name not in referenced:
                target = ws.quarantine(self.data_dir, entry)
                _log.warning(
                    "no voiceprint refers to recording %s: moved to %s", entry.name, target
                )
                moved.append(entry.name)
            elif (
                entry.name.endswith(ws.SIDECAR_SUFFIX)
                and not (self.audio_dir / entry.name[: -len(ws.SIDECAR_SUFFIX)]).exists()
            ):
                # the sidecar of a recording deleted on purpose (the crash came between the
                # two unlinks): metadata only, nothing to keep
                with contextlib.suppress(FileNotFoundError):
                    entry.unlink()
        return moved

    def quarantined(self) -> list[ws.QuarantinedFile]:
        """The recordings in the quarantine folder (oldest first)."""
        return ws.list_quarantine(self.data_dir)

    def _write_audio(self, feature_id: int, audio: NewAudio) -> str:
        name = f"{feature_id}-{secrets.token_hex(4)}.{audio.fmt}"
        ws.write_atomically(self.audio_dir / name, audio.data)
        _fsync_dir(self.audio_dir)
        return name

    def _write_sidecar(self, conn: sqlite3.Connection, feature_id: int) -> None:
        """(Re)write the sidecar of a feature from its row and its group's, inside the
        caller's transaction (so sidecars are written in commit order)."""
        row = conn.execute(
            'SELECT f.id, f.name, f."desc", f.user_id, f.audio_file, f.audio_format, '
            'f.created_at, f.updated_at, g.id, g.name, g."desc", g.user_id, g.created_at, '
            "g.updated_at, u.user_name, u.nick_name FROM features f JOIN groups g "
            "ON g.id = f.group_id LEFT JOIN users u ON u.user_id = f.user_id WHERE f.id=?",
            (feature_id,),
        ).fetchone()
        if row is None:
            return
        feature = {
            "id": str(row[0]),
            "name": row[1],
            "desc": row[2],
            "user_id": row[3],
            "audio_file": row[4],
            "audio_format": row[5],
            "created_at": row[6],
            "updated_at": row[7],
        }
        group = {
            "id": str(row[8]),
            "name": row[9],
            "desc": row[10],
            "user_id": row[11],
            "created_at": row[12],
            "updated_at": row[13],
        }
        user = (
            None
            if row[14] is None
            else {"user_id": row[3], "user_name": row[14], "nick_name": row[15]}
        )
        ws.write_atomically(
            ws.sidecar_path(self.audio_dir / str(row[4])), ws.sidecar_record(group, feature, user)
        )

    def _unlink_audio(self, name: str) -> None:
        """Remove a recording and its sidecar once the database no longer names it. One
        that cannot be removed (Windows refuses while another program has it open) is
        left, not raised: the change is made, and reported as failed a client would say it
        "may have happened". The next open quarantines the file as an orphan."""
        for path in (self.audio_dir / name, ws.sidecar_path(self.audio_dir / name)):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                _log.warning("%s could not be removed (%s): left for the quarantine", path, exc)

    def _rebuild_from_sidecars(self) -> tuple[int, int]:
        """Recreate groups, users and voiceprints from the sidecars of the recordings in the
        audio folder (into the fresh database); return (groups, voiceprints).

        Ids, names, descriptions, creators and times come back as they were; embeddings are
        remade from the audio on the next identify. A recording without a usable sidecar (or
        a second one claiming an id already restored) is left out and then quarantined.
        """
        groups: dict[int, dict[str, object]] = {}
        # voiceprint id -> (newest first: its updated_at, the file's mtime), record, group
        chosen: dict[int, tuple[tuple[int, float], dict[str, object], int]] = {}
        users: dict[str, tuple[str, str]] = {}
        for path in ws.audio_files(self.audio_dir):
            record = ws.read_sidecar(path)
            if record is None:
                _log.warning("recording %s has no usable sidecar: not restored", path.name)
                continue
            group, feature = record["group"], record["voiceprint"]
            gid, fid = _parse_id(group["id"]), _parse_id(feature["id"])
            if gid is None or fid is None:
                _log.warning("recording %s: bad ids in its sidecar", path.name)
                continue
            # two recordings claim one voiceprint when a Replace's old file outlived its
            # commit: the newer audio is the voiceprint's, the other is quarantined
            try:
                newness = (int(str(feature.get("updated_at", 0))), path.stat().st_mtime)
            except (OSError, ValueError):
                newness = (0, 0.0)
            earlier = chosen.get(fid)
            if earlier is not None:
                _log.warning("recording %s: a second recording of voiceprint %s", path.name, fid)
                if earlier[0] >= newness:
                    continue
            chosen[fid] = (newness, feature, gid)
            known = groups.get(gid)
            # the newest description of a group wins (sidecars of one group can disagree
            # after a crash in the middle of renaming it)
            if known is None or int(str(group.get("updated_at", 0))) > int(
                str(known.get("updated_at", 0))
            ):
                groups[gid] = group
            user = record.get("user")
            if isinstance(user, dict) and all(
                isinstance(user.get(k), str) for k in ("user_id", "user_name", "nick_name")
            ):
                users[user["user_id"]] = (user["user_name"], user["nick_name"])
        features = [(feature, gid) for _newness, feature, gid in chosen.values()]
        now = int(time.time())

        def text(value: object, limit: int) -> str:
            return (value if isinstance(value, str) else "")[:limit]

        def stamp(value: object) -> int:
            return value if isinstance(value, int) else now

        with self._write() as conn:
            for uid, (user_name, nick_name) in users.items():
                conn.execute(
                    "INSERT OR IGNORE INTO users(user_id, user_name, nick_name) VALUES (?, ?, ?)",
                    (uid, user_name, nick_name),
                )
            for gid, group in groups.items():
                conn.execute(
                    'INSERT INTO groups(id, name, "desc", user_id, created_at, updated_at) '
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        gid,
                        text(group["name"], NAME_MAX),
                        text(group.get("desc"), DESC_MAX),
                        str(group["user_id"]),
                        stamp(group.get("created_at")),
                        stamp(group.get("updated_at")),
                    ),
                )
            for feature, gid in features:
                audio_file = str(feature["audio_file"])
                fmt = feature.get("audio_format")
                conn.execute(
                    'INSERT INTO features(id, group_id, name, "desc", user_id, audio_file, '
                    "audio_format, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        _parse_id(str(feature["id"])),
                        gid,
                        text(feature["name"], NAME_MAX),
                        text(feature.get("desc"), DESC_MAX),
                        str(feature["user_id"]),
                        audio_file,
                        fmt if fmt in ("wav", "pcm") else audio_file.rsplit(".", 1)[-1],
                        stamp(feature.get("created_at")),
                        stamp(feature.get("updated_at")),
                    ),
                )
        return len(groups), len(features)

    def audio_path(self, name: str) -> Path | None:
        """Return the path of a stored audio file, or None if there is no such file."""
        return audio_file(self.audio_dir, name)

    def url_secret(self) -> bytes:
        """The key that signs audio URLs (kept in the database, so URLs survive restarts)."""
        with self._conn() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key='url_secret'").fetchone()
        return bytes.fromhex(str(row[0]))

    # -- users ---------------------------------------------------------------------------

    def add_user(self, user: LocalUser) -> None:
        """Register another team member (tests use it to seed groups the owner did not make)."""
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO users(user_id, user_name, nick_name) VALUES (?, ?, ?)",
                (user.user_id, user.user_name, user.nick_name),
            )
        self._users[user.user_id] = user

    def get_user(self, user_id: str) -> LocalUser:
        """Return a known user, or a placeholder for an unknown id."""
        cached = self._users.get(user_id)
        if cached is not None:
            return cached
        with self._conn() as conn:
            row = conn.execute(
                "SELECT user_name, nick_name FROM users WHERE user_id=?", (user_id,)
            ).fetchone()
        if row is None:
            return LocalUser(user_id, user_id, user_id)
        user = LocalUser(user_id, str(row[0]), str(row[1]))
        self._users[user_id] = user
        return user

    # -- groups --------------------------------------------------------------------------

    _GROUP_SELECT = (
        'SELECT g.id, g.name, g."desc", g.user_id, g.created_at, g.updated_at, '
        "(SELECT COUNT(*) FROM features f WHERE f.group_id = g.id) FROM groups g"
    )

    @staticmethod
    def _group(row: tuple[object, ...]) -> GroupRow:
        return GroupRow(
            id=str(row[0]),
            name=str(row[1]),
            desc=str(row[2]),
            user_id=str(row[3]),
            created_at=int(str(row[4])),
            updated_at=int(str(row[5])),
            feature_count=int(str(row[6])),
        )

    def create_group(self, name: str, desc: str = "", *, user_id: str | None = None) -> GroupRow:
        """Create a group (for ``user_id``, default the owner); 4000 on a bad field or limit."""
        check_text("name", name, NAME_MAX, required=True)
        check_text("desc", desc, DESC_MAX, required=False)
        owner = user_id or self.user.user_id
        now = int(time.time())
        gid = self._ids.next()
        with self._write() as conn:
            (count,) = conn.execute(
                "SELECT COUNT(*) FROM groups WHERE user_id=?", (owner,)
            ).fetchone()
            if count >= self.max_groups:
                raise StoreError(
                    4000, f"the account already has {count} voiceprint groups (the limit)"
                )
            conn.execute(
                'INSERT INTO groups(id, name, "desc", user_id, created_at, updated_at) '
                "VALUES (?, ?, ?, ?, ?, ?)",
                (gid, name, desc, owner, now, now),
            )
        return GroupRow(str(gid), name, desc, owner, now, now, 0)

    def get_group(self, group_id: str) -> GroupRow | None:
        """Return a group or None."""
        gid = _parse_id(group_id)
        if gid is None:
            return None
        with self._conn() as conn:
            row = conn.execute(self._GROUP_SELECT + " WHERE g.id=?", (gid,)).fetchone()
        return None if row is None else self._group(row)

    def require_group(self, group_id: str) -> GroupRow:
        """Return a group or raise 4200."""
        group = self.get_group(group_id)
        if group is None:
            raise StoreError(4200, f"voiceprint group {group_id} not found")
        return group

    def list_groups(
        self,
        *,
        page_num: int = 1,
        page_size: int = 10,
        name_prefix: str | None = None,
        user_id: str | None = None,
        group_id: str | None = None,
    ) -> tuple[list[GroupRow], int]:
        """Return one page of groups (newest first) and the total matching the filters."""
        where: list[str] = []
        args: list[object] = []
        if name_prefix:
            where.append("substr(g.name, 1, ?) = ?")
            args += [len(name_prefix), name_prefix]
        if user_id is not None:
            where.append("g.user_id = ?")
            args.append(user_id)
        if group_id is not None:
            where.append("g.id = ?")
            args.append(_parse_id(group_id) or -1)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        with self._conn() as conn:
            (total,) = conn.execute(f"SELECT COUNT(*) FROM groups g{clause}", args).fetchone()  # noqa: S608
            rows = conn.execute(
                f"{self._GROUP_SELECT}{clause} ORDER BY g.id DESC LIMIT ? OFFSET ?",
                [*args, page_size, (page_num - 1) * page_size],
            ).fetchall()
        return [self._group(r) for r in rows], int(total)

    def update_group(
        self, group_id: str, *, name: str | None = None, desc: str | None = None
    ) -> GroupRow:
        """Change the name and/or description of a group; 4200 if it does not exist."""
        if name is not None:
            check_text("name", name, NAME_MAX, required=True)
        if desc is not None:
            check_text("desc", desc, DESC_MAX, required=False)
        gid = _parse_id(group_id)
        now = int(time.time())
        with self._write() as conn:
            if (
                gid is None
                or conn.execute("SELECT 1 FROM groups WHERE id=?", (gid,)).fetchone() is None
            ):
                raise StoreError(4200, f"voiceprint group {group_id} not found")
            conn.execute(
                'UPDATE groups SET name=COALESCE(?, name), "desc"=COALESCE(?, "desc"), '
                "updated_at=? WHERE id=?",
                (name, desc, now, gid),
            )
            ids = conn.execute("SELECT id FROM features WHERE group_id=?", (gid,)).fetchall()
            for (fid,) in ids:
                self._write_sidecar(conn, int(fid))
        return self.require_group(group_id)

    def delete_group(self, group_id: str, *, acting_user_id: str | None = None) -> int:
        """Delete a group with its features and their audio; return how many features went.

        Only the creator may delete (4101 otherwise); 4200 if the group does not exist.
        """
        gid = _parse_id(group_id)
        acting = acting_user_id or self.user.user_id
        with self._write() as conn:
            row = (
                None
                if gid is None
                else conn.execute("SELECT user_id FROM groups WHERE id=?", (gid,)).fetchone()
            )
            if row is None:
                raise StoreError(4200, f"voiceprint group {group_id} not found")
            if str(row[0]) != acting:
                raise StoreError(4101, "only the creator of a voiceprint group may delete it")
            files = [
                str(r[0])
                for r in conn.execute("SELECT audio_file FROM features WHERE group_id=?", (gid,))
            ]
            conn.execute("DELETE FROM features WHERE group_id=?", (gid,))
            conn.execute("DELETE FROM groups WHERE id=?", (gid,))
        for name in files:
            self._unlink_audio(name)
        return len(files)

    # -- features ------------------------------------------------------------------------

    _FEATURE_SELECT = (
        'SELECT id, group_id, name, "desc", user_id, audio_file, audio_format, '
        "created_at, updated_at, embedding, embedding_model FROM features"
    )

    @staticmethod
    def _feature(row: tuple[object, ...]) -> FeatureRow:
        emb = row[9]
        return FeatureRow(
            id=str(row[0]),
            group_id=str(row[1]),
            name=str(row[2]),
            desc=str(row[3]),
            user_id=str(row[4]),
            audio_file=str(row[5]),
            audio_format=str(row[6]),
            created_at=int(str(row[7])),
            updated_at=int(str(row[8])),
            embedding=bytes(emb) if isinstance(emb, (bytes, memoryview)) else None,
            embedding_model=None if row[10] is None else str(row[10]),
        )

    def create_feature(
        self,
        group_id: str,
        name: str,
        desc: str,
        audio: NewAudio,
        *,
        user_id: str | None = None,
    ) -> FeatureRow:
        """Add a voiceprint to a group: 4200 no group, 4000 bad field or group full."""
        check_text("name", name, NAME_MAX, required=True)
        check_text("desc", desc, DESC_MAX, required=False)
        gid = _parse_id(group_id)
        if gid is None:
            raise StoreError(4200, f"voiceprint group {group_id} not found")
        owner = user_id or self.user.user_id
        fid = self._ids.next()
        now = int(time.time())
        file_name = self._write_audio(fid, audio)
        try:
            with self._write() as conn:
                if conn.execute("SELECT 1 FROM groups WHERE id=?", (gid,)).fetchone() is None:
                    raise StoreError(4200, f"voiceprint group {group_id} not found")
                (count,) = conn.execute(
                    "SELECT COUNT(*) FROM features WHERE group_id=?", (gid,)
                ).fetchone()
                if count >= self.max_features:
                    raise StoreError(
                        4000,
                        f"the group already has {count} voiceprints "
                        f"(at most {self.max_features} per group)",
                    )
                conn.execute(
                    'INSERT INTO features(id, group_id, name, "desc", user_id, audio_file, '
                    "audio_format, embedding, embedding_model, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        fid,
                        gid,
                        name,
                        desc,
                        owner,
                        file_name,
                        audio.fmt,
                        audio.embedding,
                        audio.embedding_model,
                        now,
                        now,
                    ),
                )
                self._write_sidecar(conn, fid)
        except BaseException:
            self._unlink_audio(file_name)
            raise
        return FeatureRow(
            str(fid),
            str(gid),
            name,
            desc,
            owner,
            file_name,
            audio.fmt,
            now,
            now,
            audio.embedding,
            audio.embedding_model,
        )

    def get_feature(self, group_id: str, feature_id: str) -> FeatureRow | None:
        """Return a feature of a group, or None."""
        gid, fid = _parse_id(group_id), _parse_id(feature_id)
        if gid is None or fid is None:
            return None
        with self._conn() as conn:
            row = conn.execute(
                self._FEATURE_SELECT + " WHERE id=? AND group_id=?", (fid, gid)
            ).fetchone()
        return None if row is None else self._feature(row)

    def list_features(
        self, group_id: str, *, page_num: int = 1, page_size: int = 10
    ) -> tuple[list[FeatureRow], int]:
        """Return one page of a group's features (newest first) and their total; 4200."""
        self.require_group(group_id)
        gid = _parse_id(group_id)
        with self._conn() as conn:
            (total,) = conn.execute(
                "SELECT COUNT(*) FROM features WHERE group_id=?", (gid,)
            ).fetchone()
            rows = conn.execute(
                self._FEATURE_SELECT + " WHERE group_id=? ORDER BY id DESC LIMIT ? OFFSET ?",
                (gid, page_size, (page_num - 1) * page_size),
            ).fetchall()
        return [self._feature(r) for r in rows], int(total)

    def all_features(self, group_id: str) -> list[FeatureRow]:
        """Every feature of a group (with embeddings), newest first; 4200 if no group."""
        self.require_group(group_id)
        with self._conn() as conn:
            rows = conn.execute(
                self._FEATURE_SELECT + " WHERE group_id=? ORDER BY id DESC",
                (_parse_id(group_id),),
            ).fetchall()
        return [self._feature(r) for r in rows]

    @staticmethod
    def _owned_feature_audio(
        conn: sqlite3.Connection, group_id: str, feature_id: str, acting: str, verb: str
    ) -> str:
        """The audio file of a feature ``acting`` may ``verb``: 4200 if missing, 4101 if not
        its creator."""
        gid, fid = _parse_id(group_id), _parse_id(feature_id)
        if (
            gid is None
            or conn.execute("SELECT 1 FROM groups WHERE id=?", (gid,)).fetchone() is None
        ):
            raise StoreError(4200, f"voiceprint group {group_id} not found")
        row = (
            None
            if fid is None
            else conn.execute(
                "SELECT user_id, audio_file FROM features WHERE id=? AND group_id=?", (fid, gid)
            ).fetchone()
        )
        if row is None:
            raise StoreError(4200, f"voiceprint {feature_id} not found in group {group_id}")
        if str(row[0]) != acting:
            raise StoreError(4101, f"only the creator of a voiceprint may {verb} it")
        return str(row[1])

    def update_feature(
        self,
        group_id: str,
        feature_id: str,
        *,
        name: str | None = None,
        desc: str | None = None,
        audio: NewAudio | None = None,
        acting_user_id: str | None = None,
    ) -> FeatureRow:
        """Change a feature's name, description and/or audio (new audio replaces the old).

        4200 if the group or feature does not exist, 4101 if not the creator.
        """
        if name is not None:
            check_text("name", name, NAME_MAX, required=True)
        if desc is not None:
            check_text("desc", desc, DESC_MAX, required=False)
        fid = _parse_id(feature_id)
        acting = acting_user_id or self.user.user_id
        new_file = self._write_audio(fid or 0, audio) if audio is not None else None
        old_file: str | None = None
        try:
            with self._write() as conn:
                audio_file = self._owned_feature_audio(conn, group_id, feature_id, acting, "update")
                now = int(time.time())
                conn.execute(
                    'UPDATE features SET name=COALESCE(?, name), "desc"=COALESCE(?, "desc"), '
                    "updated_at=? WHERE id=?",
                    (name, desc, now, fid),
                )
                if audio is not None:
                    old_file = audio_file
                    conn.execute(
                        "UPDATE features SET audio_file=?, audio_format=?, embedding=?, "
                        "embedding_model=? WHERE id=?",
                        (new_file, audio.fmt, audio.embedding, audio.embedding_model, fid),
                    )
                if fid is not None:
                    self._write_sidecar(conn, fid)
        except BaseException:
            if new_file is not None:
                self._unlink_audio(new_file)
            raise
        if old_file is not None:
            self._unlink_audio(old_file)
        feature = self.get_feature(group_id, feature_id)
        if feature is None:  # deleted concurrently right after our commit
            raise StoreError(4200, f"voiceprint {feature_id} not found in group {group_id}")
        return feature

    def set_embedding(
        self, feature: FeatureRow, embedding: bytes, embedding_model: str
    ) -> FeatureRow:
        """Store a (re)computed embedding of ``feature``'s audio.

        Skipped when the feature's audio was replaced (or the feature deleted) meanwhile: the
        embedding belongs to the audio it was computed from.
        """
        with self._write() as conn:
            conn.execute(
                "UPDATE features SET embedding=?, embedding_model=? WHERE id=? AND audio_file=?",
                (embedding, embedding_model, _parse_id(feature.id), feature.audio_file),
            )
        return dataclasses.replace(feature, embedding=embedding, embedding_model=embedding_model)

    def delete_feature(
        self, group_id: str, feature_id: str, *, acting_user_id: str | None = None
    ) -> None:
        """Delete a feature and its audio; 4200 if missing, 4101 if not the creator."""
        fid = _parse_id(feature_id)
        acting = acting_user_id or self.user.user_id
        with self._write() as conn:
            audio_file = self._owned_feature_audio(conn, group_id, feature_id, acting, "delete")
            conn.execute("DELETE FROM features WHERE id=?", (fid,))
        self._unlink_audio(audio_file)

    # -- MiniMax voices ------------------------------------------------------------------

    def add_voice(
        self,
        voice_type: str,
        voice_id: str,
        description: str | list[str] = "",
        *,
        voice_name: str = "",
        created_time: str | None = None,
    ) -> VoiceRow:
        """Create a cloned / designed (or, for demos, system) voice; 2013 on bad input."""
        if voice_type not in (*VOICE_TYPES, "system"):
            raise VoiceError(2013, f"invalid voice_type {voice_type!r}")
        if not voice_id:
            raise VoiceError(2013, "voice_id must not be empty")
        descs = [description] if isinstance(description, str) else list(description)
        descs = [d for d in descs if d]
        created = created_time if created_time is not None else time.strftime("%Y-%m-%d")
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM voices WHERE voice_id=?", (voice_id,)).fetchone():
                raise VoiceError(2013, f"voice_id {voice_id!r} already exists")
            conn.execute(
                "INSERT INTO voices(voice_id, voice_type, voice_name, description, created_time)"
                " VALUES (?, ?, ?, ?, ?)",
                (voice_id, voice_type, voice_name, json.dumps(descs, ensure_ascii=False), created),
            )
        return VoiceRow(voice_id, voice_type, voice_name, descs, created)

    def list_voices(self, voice_type: str | None = None) -> list[VoiceRow]:
        """Voices of one type (or all), in creation order."""
        with self._conn() as conn:
            if voice_type is None:
                rows = conn.execute(
                    "SELECT voice_id, voice_type, voice_name, description, created_time "
                    "FROM voices ORDER BY rowid"
                ).fetchall()
            else:
                rows = conn.execute(
                    "SELECT voice_id, voice_type, voice_name, description, created_time "
                    "FROM voices WHERE voice_type=? ORDER BY rowid",
                    (voice_type,),
                ).fetchall()
        return [
            VoiceRow(str(r[0]), str(r[1]), str(r[2]), list(json.loads(str(r[3]))), str(r[4]))
            for r in rows
        ]

    def delete_voice(self, voice_type: str, voice_id: str) -> VoiceRow:
        """Delete a cloned or designed voice.

        2013 for a bad voice_type or a system voice; 20132 (invalid voice_id) for an id that
        does not exist or is not of the given type.
        """
        if voice_type not in VOICE_TYPES:
            raise VoiceError(
                2013,
                "voice_type must be voice_cloning or voice_generation; "
                "system voices cannot be deleted",
            )
        if not voice_id:
            raise VoiceError(2013, "voice_id must not be empty")
        with self._write() as conn:
            row = conn.execute(
                "SELECT voice_type, voice_name, description, created_time FROM voices "
                "WHERE voice_id=?",
                (voice_id,),
            ).fetchone()
            if row is not None and str(row[0]) == "system":
                raise VoiceError(2013, f"{voice_id!r} is a system voice and cannot be deleted")
            if row is None or str(row[0]) != voice_type:
                raise VoiceError(20132, f"invalid voice_id: no {voice_type} voice {voice_id!r}")
            conn.execute("DELETE FROM voices WHERE voice_id=?", (voice_id,))
        return VoiceRow(voice_id, voice_type, str(row[1]), json.loads(str(row[2])), str(row[3]))

    # -- checks --------------------------------------------------------------------------

    def integrity_check(self) -> str:
        """Return SQLite's ``PRAGMA integrity_check`` verdict ("ok" when healthy)."""
        with self._conn() as conn:
            return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def _parse_id(value: str | None) -> int | None:
    """Return the integer id, or None when ``value`` is not a positive decimal id."""
    if value is None:
        return None
    text = str(value).strip()
    if not text.isdigit() or not text.isascii() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number < 2**63 else None
