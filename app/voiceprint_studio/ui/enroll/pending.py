"""Honest creates: a journal of voiceprint uploads whose outcome is not known yet.

Creating a voiceprint is not idempotent, and an upload can end without an answer:
Cancel pressed after the whole file went out, a timeout, a lost connection, the
app killed mid-upload. The voiceprint may then exist on the server although the
app saw no success. So every create goes through :func:`create_once`:

1. if the journal holds an unsettled create of the same name in the same group
   (a Retry), list the group first (a free call) and, when the voiceprint is
   there, return it instead of creating a duplicate; when it is not there yet but
   the service may still be carrying that create out (sent less than
   :data:`SETTLE_SECONDS` ago), send nothing and say so (:class:`StillSettlingError`:
   "wait and try again");
2. write a journal entry (connection, group, name, the take's path, the start
   time, the voiceprint ids the group had) to disk *before* sending;
3. send; on an answer (success or a refusal), or when the request provably never
   reached the server (Cancel before the end of the body, no connection), drop
   the entry; otherwise mark it uncertain and keep it.

The next load of that group's voiceprints (:func:`reconcile`) settles the entries
against the list it just fetched: "'Li Na' was added after all" (the entry is
kept as *added* for an hour, so that a Retry from a dialog still open finds it),
"may have been added -- check the list before retrying" (the server may still be
working on it), or "was not added" once the upload is certainly over (older than
:data:`SETTLE_SECONDS`). A voiceprint matches an entry by name, and by being new:
its id was not in the group when the upload started (when the app knew the whole
group), else it was created at most :data:`CLOCK_SLACK_SECONDS` before the start.
Audio is not compared: that would mean downloading every candidate; the name and
the time are enough to tell whether *this* create happened.

The journal is a small JSON file in the app's data folder (never the token: a
connection is named by its service, profile key and base URL). The take it
names is never touched: the recording stays on disk in every case.

Everything here except the message texts is Qt-free and runs on workers.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from voiceprint_studio.api.errors import (
    ApiError,
    LocalValidationError,
    NetworkError,
    UploadCancelledError,
)

# After SETTLE_SECONDS an unanswered create is over on the server too (the transfer
# jobs wait as long).
from voiceprint_studio.transfer.jobs import SETTLE_SECONDS

if TYPE_CHECKING:
    from filelock import BaseFileLock

    from voiceprint_studio.api import AudioUpload, CancelToken, CozeClient, Voiceprint
    from voiceprint_studio.settings.profiles import ConnectionProfile

log = logging.getLogger(__name__)

# Seconds to wait for another process writing the journal.
LOCK_SECONDS = 10.0
# The journal's file name (in the app's data folder).
JOURNAL_NAME = "pending-uploads.json"
# How much earlier than the local start time the server may stamp a voiceprint.
CLOCK_SLACK_SECONDS = 600.0
# The service stamps a voiceprint in whole seconds and says its clock (``Date``) in whole
# seconds: one made right as its create started may read up to this much earlier.
STAMP_SECONDS = 3.0
# This run of the app (entries of other runs can no longer be in flight).
SESSION = uuid.uuid4().hex

SENDING = "sending"
UNCERTAIN = "uncertain"
# Found on the server after all; kept (this long) so that a Retry still finds it.
ADDED = "added"
ADDED_KEPT_SECONDS = 3600.0


def connection_key(profile: ConnectionProfile) -> str:
    """Names a connection in the journal: service, profile and URL (never the token)."""
    return f"{profile.service}|{profile.key}|{profile.base_url}"


@dataclass(frozen=True)
class PendingCreate:
    """One create whose outcome the app does not know (yet)."""

    id: str
    connection: str
    group_id: str
    group_name: str
    name: str
    path: str
    started: float
    known_ids: tuple[str, ...] | None = None
    state: str = SENDING
    session: str = SESSION
    voiceprint_id: str = ""
    # when its request ended with no answer (0: not yet): the service may still be
    # making it for SETTLE_SECONDS from then (an upload can outlast that on a slow link)
    ended: float = 0.0

    @property
    def unanswered(self) -> bool:
        """Whether its request ended without an answer (this run's are still sending)."""
        return self.state == UNCERTAIN or (self.state == SENDING and self.session != SESSION)

    def matches(self, voiceprint: Voiceprint) -> bool:
        """Whether ``voiceprint`` is the one this create made."""
        if voiceprint.name.strip() != self.name.strip():
            return False
        if self.known_ids is not None:
            return voiceprint.id not in self.known_ids
        created = voiceprint.created_at
        return created is None or created.timestamp() >= self.started - CLOCK_SLACK_SECONDS

    def surely(self, voiceprint: Voiceprint, clock_ahead: float | None = None) -> bool:
        """Whether ``voiceprint`` is surely the one this create made: its id is new to a
        group whose ids were known, or the service made it after the start -- its time
        put on this computer's clock with ``clock_ahead`` (how far this clock is ahead of
        the service's, from the service's answers). A voiceprint of the name made before
        the start is an earlier enrollment of the same name (the person enrolled again
        minutes later): taking it for this one left the new take unsent. Without
        ``clock_ahead`` any voiceprint of the name made in the clock slack is taken."""
        if not self.matches(voiceprint):
            return False
        if self.known_ids is not None or clock_ahead is None:
            return True
        created = voiceprint.created_at
        if created is None:
            return True
        return created.timestamp() + clock_ahead >= self.started - STAMP_SECONDS


class PendingJournal:
    """The pending creates, kept in a JSON file (safe across threads and processes;
    written atomically).

    What this run changed is also kept in memory: a state or a removal that could not be
    written (a full disk) still holds for this run, so that a create that may have been
    carried out is looked for before it is sent again.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        # id -> (state, voiceprint id, ended) not written yet (a full disk)
        self._states: dict[str, tuple[str, str, float]] = {}
        self._removed: set[str] = set()
        # id -> when this run sent it, on the monotonic clock (a step of the computer's
        # clock does not make it look settled)
        self._sent: dict[str, float] = {}

    def _file_lock(self) -> BaseFileLock:
        from filelock import FileLock

        return FileLock(self.path.with_name(self.path.name + ".lock"), timeout=LOCK_SECONDS)

    def _read(self) -> list[PendingCreate]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("the pending uploads journal cannot be read: %s", exc)
            return []
        entries = []
        for item in raw if isinstance(raw, list) else []:
            try:
                known = item.get("known_ids")
                entries.append(
                    PendingCreate(**{**item, "known_ids": None if known is None else tuple(known)})
                )
            except (TypeError, AttributeError):
                continue  # an entry of another version: skip it
        return [
            replace(
                e,
                state=self._states[e.id][0],
                voiceprint_id=self._states[e.id][1],
                ended=self._states[e.id][2] or e.ended,
            )
            if e.id in self._states
            else e
            for e in entries
            if e.id not in self._removed
        ]

    def _write(self, entries: Sequence[PendingCreate]) -> None:
        if not entries:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # a name of its own: another process may be writing its own at the same time
        tmp = self.path.with_name(f"{self.path.name}.{uuid.uuid4().hex[:8]}.tmp")
        data = [{**asdict(e), "known_ids": e.known_ids} for e in entries]
        try:
            with tmp.open("w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, indent=1)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        finally:
            tmp.unlink(missing_ok=True)

    def _change(self, change: Callable[[list[PendingCreate]], list[PendingCreate]]) -> None:
        """Read, ``change`` and write the file, with no other thread or process between."""
        with self._lock, self._file_lock():
            self._write(change(self._read()))

    def entries(self) -> list[PendingCreate]:
        """Every pending create."""
        with self._lock:
            return self._read()

    def for_group(self, connection: str, group_id: str) -> list[PendingCreate]:
        """The pending creates of one group on one connection."""
        return [e for e in self.entries() if e.connection == connection and e.group_id == group_id]

    def add(self, entry: PendingCreate) -> None:
        """Record ``entry`` (before its request is sent; raises when it cannot be written:
        then it must not be sent)."""
        with self._lock:
            self._removed.discard(entry.id)
            self._states.pop(entry.id, None)
            self._sent[entry.id] = time.monotonic() - max(0.0, time.time() - entry.started)
        self._change(lambda entries: [*entries, entry])

    def seconds_to_settle(self, entry: PendingCreate, now: float) -> float:
        """Seconds until the service is certainly done with ``entry`` (0 or less: done):
        :data:`SETTLE_SECONDS` after it was sent, by the computer's clock (``now``) and,
        for what this run sent, by the monotonic clock too."""
        left = SETTLE_SECONDS - (now - max(entry.started, entry.ended))
        sent = self._sent.get(entry.id)
        if sent is not None:
            left = max(left, SETTLE_SECONDS - (time.monotonic() - sent))
        return left

    def set_state(
        self, entry_id: str, state: str, voiceprint_id: str = "", *, ended: float = 0.0
    ) -> None:
        """Mark an entry (uncertain after a timeout, with when it ended; added when
        found); for this run even when the file cannot be written (logged)."""
        with self._lock:
            before = self._states.get(entry_id, ("", "", 0.0))
            self._states[entry_id] = (state, voiceprint_id or before[1], ended or before[2])
            if ended and entry_id in self._sent:
                self._sent[entry_id] = time.monotonic()  # (settling counts from the end)
        try:
            self._change(lambda entries: entries)  # (the states above are applied on read)
        except OSError as exc:
            log.warning("the pending uploads journal cannot be written: %s", exc)
            return
        with self._lock:  # written: the file says it now (another process may change it)
            self._states.pop(entry_id, None)

    def remove(self, entry_ids: Iterable[str]) -> None:
        """Forget entries (settled); for this run even when the file cannot be written."""
        drop = set(entry_ids)
        if not drop:
            return
        with self._lock:
            self._removed |= drop
        try:
            self._change(lambda entries: entries)  # (the removed are left out on read)
        except OSError as exc:
            log.warning("the pending uploads journal cannot be written: %s", exc)


def takes_in_doubt(journal: PendingJournal) -> dict[str, list[str]]:
    """The takes that creates whose outcome is not known yet were sent from: the take's
    path -> the names of those voiceprints. Such a take is what a Retry sends again if the
    create turns out not to have been made (read on a worker: it reads the journal)."""
    found: dict[str, list[str]] = {}
    for entry in journal.entries():
        if entry.state != ADDED and entry.path:
            found.setdefault(str(Path(entry.path)), []).append(entry.name)
    return found


@dataclass(frozen=True)
class CreateOutcome:
    """What :func:`create_once` did: ``existing`` when an earlier attempt had made it."""

    id: str
    existing: bool = False


@dataclass(frozen=True)
class Settled:
    """One pending create settled against a group's list.

    ``state``: ``"added"`` (found), ``"not_added"`` (certainly not), ``"unknown"``
    (not in the list, but it may still appear).
    """

    entry: PendingCreate
    state: str
    voiceprint: Voiceprint | None = None


def _uncertain(exc: BaseException) -> bool:
    """Whether the request may have been carried out although no answer came."""
    if isinstance(exc, StillSettlingError):
        return False  # nothing was sent (an earlier create may still land: it says so)
    if isinstance(exc, UploadCancelledError):
        return exc.request_sent
    if isinstance(exc, NetworkError):
        return exc.request_sent
    # An ApiError otherwise means the server answered (or nothing was sent); anything
    # else raised mid-call: assume the worst.
    return not isinstance(exc, (LocalValidationError, ApiError))


def group_voiceprints(client: CozeClient, group_id: str) -> list[Voiceprint]:
    """Every voiceprint of a group (one free list call for any group Coze allows)."""
    return list(client.iter_voiceprints(group_id))


def settle(
    entries: Sequence[PendingCreate],
    voiceprints: Sequence[Voiceprint],
    journal: PendingJournal,
    *,
    clock_ahead: float | None = None,
    now: Callable[[], float] = time.time,
) -> list[Settled]:
    """Settle ``entries`` against the group's complete list; drop what is settled.
    ``clock_ahead``: the client's (see :meth:`PendingCreate.surely`)."""
    results = []
    done = []
    moment = now()
    for entry in entries:
        found = next((v for v in voiceprints if entry.surely(v, clock_ahead)), None)
        if found is not None:
            results.append(Settled(entry, "added", found))
            # Kept a while as "added": a Retry from the dialog still open finds it.
            journal.set_state(entry.id, ADDED, found.id)
        elif journal.seconds_to_settle(entry, moment) <= 0:
            results.append(Settled(entry, "not_added"))
            done.append(entry.id)
        elif entry.unanswered:
            results.append(Settled(entry, "unknown"))
        # else: this run is sending it right now -- nothing to say yet
    journal.remove(done)
    return results


def reconcile(
    client: CozeClient,
    journal: PendingJournal,
    connection: str,
    group_id: str,
    loaded: Sequence[Voiceprint] | None = None,
) -> list[Settled]:
    """Settle the group's pending creates (from a worker).

    ``loaded``: the group's complete list when the caller has it (no extra call);
    otherwise it is listed only when there is something to settle.
    """
    group_entries = journal.for_group(connection, group_id)
    moment = time.time()
    journal.remove(
        e.id for e in group_entries if e.state == ADDED and moment - e.started > ADDED_KEPT_SECONDS
    )
    entries = [e for e in group_entries if e.unanswered]
    if not entries:
        return []
    voiceprints = loaded if loaded is not None else group_voiceprints(client, group_id)
    return settle(entries, voiceprints, journal, clock_ahead=client.clock_ahead)


class StillSettlingError(Exception):
    """A Retry came while an earlier, unanswered create of the same name may still be
    carried out by the service (sent less than :data:`SETTLE_SECONDS` ago, not listed
    yet): nothing was sent again."""

    def __init__(self, name: str, seconds_left: int) -> None:
        super().__init__(f"an earlier create of {name!r} may still land ({seconds_left} s)")
        self.name = name
        self.seconds_left = seconds_left


def create_once(
    client: CozeClient,
    journal: PendingJournal,
    *,
    connection: str,
    group_id: str,
    group_name: str,
    name: str,
    audio: AudioUpload,
    desc: str | None = None,
    known_ids: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: CancelToken | None = None,
) -> CreateOutcome:
    """Create a voiceprint at most once (see the module's docstring; call from a worker)."""
    earlier = [
        e
        for e in journal.for_group(connection, group_id)
        if e.name.strip() == name.strip() and (e.unanswered or e.state == ADDED)
    ]
    if earlier:
        # A Retry after an unanswered create: look before sending it again.
        voiceprints = group_voiceprints(client, group_id)
        ahead = client.clock_ahead  # (measured by that very list)
        for entry in earlier:
            found = next((v for v in voiceprints if entry.surely(v, ahead)), None)
            if found is not None:
                journal.remove(e.id for e in earlier)
                return CreateOutcome(found.id, existing=True)
        # Not there (yet): while the service may still be carrying out an earlier one,
        # sending again could add it twice -- the operator is asked to wait instead
        moment = time.time()
        left = max(
            (journal.seconds_to_settle(e, moment) for e in earlier if e.unanswered), default=0.0
        )
        if left > 0:
            raise StillSettlingError(name, max(1, round(left)))
        # Not there, and no earlier one can still land: they are superseded by this one.
        journal.remove(e.id for e in earlier)
        if known_ids is None:
            known_ids = [v.id for v in voiceprints]
    entry = PendingCreate(
        id=uuid.uuid4().hex,
        connection=connection,
        group_id=group_id,
        group_name=group_name,
        name=name,
        path=str(audio.path),
        started=time.time(),
        known_ids=None if known_ids is None else tuple(known_ids),
    )
    journal.add(entry)
    try:
        voiceprint_id = client.create_voiceprint(
            group_id, name, audio, desc=desc, progress=progress, cancel=cancel
        )
    except BaseException as exc:
        if _uncertain(exc):
            journal.set_state(entry.id, UNCERTAIN, ended=time.time())
        else:
            journal.remove([entry.id])
        raise
    journal.remove([entry.id])
    return CreateOutcome(voiceprint_id)


# -- what the operator reads ---------------------------------------------------------------


def uncertain_failure(exc: BaseException) -> bool:
    """Whether a failed create may still have been carried out (say so, check first)."""
    return _uncertain(exc)


def settled_text(result: Settled) -> str:
    """One sentence about a settled create, for the voiceprints view's status line."""
    name = result.entry.name
    if result.state == "added":
        return settled_text_added(name)
    if result.state == "not_added":
        return (
            QCoreApplication.translate(
                "PendingUploads",
                "“%1” was not added: its upload was interrupted. The recording is kept in %2.",
            )
            .replace("%1", name)
            .replace("%2", result.entry.path)
        )
    return QCoreApplication.translate(
        "PendingUploads", "“%1” may have been added — check the list before retrying."
    ).replace("%1", name)


def settled_text_added(name: str) -> str:
    """A create that ended without an answer did happen."""
    return QCoreApplication.translate("PendingUploads", "“%1” was added after all.").replace(
        "%1", name
    )


def uncertain_text(name: str) -> str:
    """After a create that ended without an answer (late Cancel, timeout, lost connection)."""
    return QCoreApplication.translate(
        "PendingUploads",
        "No answer came, so “%1” may have been added — check the list before retrying. "
        "Retry looks for it first and does not add it twice.",
    ).replace("%1", name)


def cancelled_text() -> str:
    """After Cancel stopped the upload before the whole file was sent."""
    return QCoreApplication.translate(
        "PendingUploads", "The upload was cancelled before the file was sent; nothing was saved."
    )
