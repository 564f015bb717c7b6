"""Copy, move and import jobs that survive a crash: a plan, a journal and staged audio on disk.

A job lives in its own folder::

    plan.json        what to do: the groups and items, fixed when the job starts
    journal.jsonl    what was done, one JSON line per step, flushed and fsynced
    audio/           every item's audio, staged before anything is created

:meth:`Job.run` is re-entrant: started again after a crash, a kill (SIGKILL) or a lost
network it replays the journal and goes on where it stopped.

* Audio is staged (downloaded from the source workspace, extracted from an archive,
  checked and converted from a file) before anything is created, so a move never deletes
  a source whose audio is not on this computer.
* Before creating an item, the target group is looked at: an item of the same name and
  the same audio (sha256) already there is taken as done. An item whose create was sent
  but not confirmed (a timeout, a kill) is "in doubt": a voiceprint of its name created
  after the request was sent is taken as that item, so a resumed job never duplicates it.
* A move deletes a source only after its copy is confirmed; a delete that finds nothing
  on a resume succeeded the first time.
* Creates are never retried blindly (the client does not retry them); a failed item is
  left for the next run, which reconciles it first.
* The work is a pipeline: the target groups are found (or created) at once, while the
  audio is staged; each item staged goes on to the target at once. Staging
  (:data:`STAGING_WORKERS` at once) and creating (``workers`` at once, by default
  :data:`WORKERS`) overlap, so a job waits for about one round trip per item and wave,
  not two, and never for the group look-up alone.
* A target group to be found by name can be looked up while the plan is still being
  made (:func:`look_up_groups`, given to :meth:`Job.run`): listing the source and looking
  in the target are independent, so they take one round trip, not two. The look-up is
  the one the run would make (no call more), and is used by that run only: a resumed run
  looks again. A new copy started moments after the app listed the source group and the
  target's groups makes neither call (:func:`~voiceprint_studio.transfer.sources.run_copy`).
* A group this run created itself is empty: it is not listed again (one call less per
  group). A group found by name, or created by an earlier run, is listed.
* Creates start at most :data:`MAX_CREATES_PER_SECOND` in any one second per account
  (Coze documents 10-20 uploads a second per account, by plan): every job of this
  process on the same account shares one pace (:func:`account_pace`), and a job in a
  process of its own asks the app's (``pace``, :mod:`voiceprint_studio.transfer.child`).
  A create the service refuses as throttling (HTTP 429, 4009, 4013, 4020: nothing was
  created) is sent again after the wait the service asks for (``Retry-After``) or an
  exponential backoff, at most :data:`CREATE_ATTEMPTS` times in all; the daily cap
  (4008) is not retried.
* An item's staged audio is removed once the item is done (a resumed run skips it).
* When every item is done, the job's folder is removed; an unfinished job keeps it and
  :func:`unfinished_jobs` lists it.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import shutil
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from voiceprint_studio.transfer.archive import audio_suffix, sha256_of
from voiceprint_studio.transfer.reasons import QT_TRANSLATE_NOOP, Reason, TransferError

if TYPE_CHECKING:
    from filelock import BaseFileLock

    from voiceprint_studio.api.coze import CozeClient
    from voiceprint_studio.api.models import Voiceprint
    from voiceprint_studio.api.uploads import AudioUpload, CancelToken

# Coze's documented limit of voiceprints per group.
MAX_PER_GROUP = 10
# Seconds of clock skew allowed when a voiceprint created "after the request was sent"
# is matched to an item in doubt.
IN_DOUBT_SLACK = 120.0
# Seconds after a create that got no answer during which the service may still be making
# what it asked for: a voiceprint or group of its name not listed yet is not created
# again before then (it would be made twice).
SETTLE_SECONDS = 180.0
# Creates started in any one second, at most (the low end of Coze's documented 10-20).
MAX_CREATES_PER_SECOND = 10
# The file a running job holds locked in its folder (see :meth:`Job.run`).
RUNNING_LOCK = "running.lock"
# Items brought to the target at once, by default. The pace, not the pool, bounds the
# rate at which creates reach the service (at most 10 starting in any second per
# account, the low end of Coze's documented 10-20: :func:`account_pace`), so a larger
# pool would add no call -- each item is still created once, only a create refused as
# throttling is sent again, and the pace keeps below the rate that throttles: safe on
# the free plan's 500 calls. It is not larger because of the GUI: a job that runs in
# the app's process (a restore from Recently deleted, any job when tests give the app
# its transports; copies, moves and imports run in a process of their own, with
# :data:`~voiceprint_studio.transfer.child.CHILD_WORKERS`), more creates in flight
# took the GIL from the GUI thread (bench/transfer.py, copy dialog to bare loopback:
# longest stall 21-61 ms with 10 in flight, 19-45 ms with 6, 10-17 ms with 4 on most
# runs) -- even with only one of the 10 sending its body at a time (21-42 ms): what
# costs is the number in flight, not the bodies being sent.
WORKERS = 4
# Items staged at once, at most (downloads at once; not calls on the target). Not 10:
# ten 4 MB downloads at once, each written and fsynced, all end late together, and the
# first create waits for them (bench/transfer.py, 0.1 s latency: first create sent at
# ~400 ms with 10, ~300 ms with 4, the whole copy no faster; bare loopback: slower).
STAGING_WORKERS = 4
# A moved original no longer there (see :meth:`_Run._original_audio`).
_GONE = object()
# The suffix of a moved original's audio fetched again to keep it.
_ORIGINAL = ".original"
# Keeps a move's original (the item, its staged audio) before it is deleted; returns the
# context the delete runs in (see :meth:`Job.run`).
KeepOriginal = Callable[["PlanItem", Path], AbstractContextManager[object]]
# Times a create refused as throttling is sent, in all.
CREATE_ATTEMPTS = 4
# The longest wait between two of them (a larger ``Retry-After`` is capped to it).
THROTTLE_WAIT_MAX = 30.0

Progress = Callable[["JobProgress"], None]


class JobError(TransferError):
    """A job that cannot start or go on; ``reason`` is the sentence for the user."""


class AccountChangedError(JobError):
    """A job not resumed: the token now saved for its workspace is another account's than
    the one it was started on (``reason`` says which, and what to do)."""


class GroupRejectedError(JobError):
    """A target group that can never be made (``reason``: why, e.g. its name is too long
    for Coze); the items for it are skipped for good."""


class ItemRejectedError(TransferError):
    """A source's item that can never be brought over (``reason``: why); skipped for good."""


class SourceGoneError(ItemRejectedError):
    """A voiceprint no longer in its source group (deleted after the job was set up):
    nothing to bring over, nor to delete for a move."""


@dataclass(frozen=True)
class PlanGroup:
    """A target group: an existing one (``target_id``) or one found or created by name."""

    key: str
    name: str
    desc: str = ""
    target_id: str = ""


@dataclass(frozen=True)
class PlanItem:
    """One voiceprint to bring into ``group``; ``origin`` says where its audio comes from."""

    key: str
    group: str
    name: str
    desc: str = ""
    sha256: str = ""
    size: int = 0
    origin: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """What a job does. ``kind`` is ``copy``, ``move`` or ``import``."""

    kind: str
    groups: tuple[PlanGroup, ...]
    items: tuple[PlanItem, ...]
    source: Mapping[str, str] = field(default_factory=dict)
    target: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        """The plan file's text."""
        return json.dumps(
            {
                "kind": self.kind,
                "source": dict(self.source),
                "target": dict(self.target),
                "groups": [asdict(g) for g in self.groups],
                "items": [{**asdict(i), "origin": dict(i.origin)} for i in self.items],
            },
            ensure_ascii=False,
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> Plan:
        """A plan from its file's text."""
        data = json.loads(text)
        return cls(
            kind=data["kind"],
            source=data.get("source", {}),
            target=data.get("target", {}),
            groups=tuple(PlanGroup(**g) for g in data["groups"]),
            items=tuple(PlanItem(**i) for i in data["items"]),
        )

    def estimate_calls(self) -> int:
        """API calls the job makes on the target (and the source, for a move) at most
        (see :func:`estimate_calls`)."""
        given = sum(1 for g in self.groups if g.target_id)
        return estimate_calls(
            groups_given=given,
            groups_by_name=len(self.groups) - given,
            items=len(self.items),
            move=self.kind == "move",
        )


def estimate_calls(
    *,
    groups_given: int,
    groups_by_name: int,
    items: int,
    move: bool,
    source_lists: int = 0,
    looked_up: int = 0,
) -> int:
    """API calls a job makes at most, known before its plan is made.

    Per target group given by id: one list of its voiceprints; per group found by name:
    a look-up (not for the ``looked_up`` of them whose target listing the app already
    has, see :func:`~voiceprint_studio.transfer.sources.run_copy`), then a list (found)
    or a create (not found: a new group is empty); per item: one create; per moved item:
    one delete; ``source_lists``: the source's groups listed to make the plan (a whole
    group taken from a Coze account, unless the app already listed it). Audio
    downloads (``audio_url``) are file downloads, not API calls (the call budget does
    not count them either); nor are the rare creates sent again after the service
    refused them as throttling (nothing was created then).
    """
    return (
        2 * groups_given
        + 2 * groups_by_name
        - looked_up
        + (2 if move else 1) * items
        + source_lists
    )


@dataclass
class JobProgress:
    """Where a job is: items and bytes done of all."""

    items_done: int
    items_total: int
    bytes_done: int
    bytes_total: int
    stage: str


@dataclass
class JobResult:
    """What a run did; ``complete`` when nothing is left to do.

    ``skipped`` and ``failed`` pair each item with why (a :class:`Reason`: ``str()`` is
    English, the UI translates it).
    """

    created: list[tuple[PlanItem, str]] = field(default_factory=list)
    existed: list[tuple[PlanItem, str]] = field(default_factory=list)
    skipped: list[tuple[PlanItem, Reason]] = field(default_factory=list)
    failed: list[tuple[PlanItem, Reason]] = field(default_factory=list)
    sources_deleted: list[PlanItem] = field(default_factory=list)
    cancelled: bool = False
    # items an earlier run of the job had already brought over (not in the lists above)
    done_earlier: int = 0

    @property
    def complete(self) -> bool:
        """Every item was created or already there, nothing failed or was skipped."""
        return not self.failed and not self.skipped and not self.cancelled


class Source(Protocol):
    """Where a job's audio comes from."""

    def fetch(self, item: PlanItem, dest: Path) -> None:
        """Write ``item``'s audio to ``dest``."""

    def delete(self, item: PlanItem) -> None:
        """Delete ``item`` at the source (moves only); nothing there counts as done."""


def group_name_too_long(name: str) -> Reason | None:
    """Why a group of ``name`` cannot be made on Coze (its name is too long); None when
    it can. Checked before any call: by a job, and by the import dialog's preview."""
    from voiceprint_studio.api._validate import GROUP_NAME_MAX

    if len(name.strip()) <= GROUP_NAME_MAX:  # (counted as the client's check_name does)
        return None
    return Reason(
        QT_TRANSLATE_NOOP(
            "TransferErrors",
            "the group name “{name}” is longer than {most} characters, the most Coze "
            "takes: shorten it (a folder's name, a CSV's group column), then import "
            "again",
        ),
        {"name": name, "most": GROUP_NAME_MAX},
    )


def _settling(since: float | None) -> int:
    """Whole seconds (at least 1) the service may still be making what a create that
    ended with no answer at ``since`` asked for; 0 when none was, or it is settled."""
    if since is None:
        return 0
    left = SETTLE_SECONDS - (time.time() - since)
    return max(1, math.ceil(left)) if left > 0 else 0


def write_synced(dest: Path, data: bytes) -> None:
    """Write ``data`` to ``dest`` through a ``.part`` file, flushed to the disk."""
    _replace_synced(dest, lambda part: part.write_bytes(data))


def _replace_synced(dest: Path, fill: Callable[[Path], object]) -> None:
    """``fill`` the ``.part`` file of ``dest``, flush it to the disk, then put it in place
    (the rename flushed too)."""
    part = dest.with_name(dest.name + ".part")
    fill(part)
    sync_file(part)
    os.replace(part, dest)
    sync_folder(dest.parent)


def sync_file(path: Path) -> None:
    """Flush ``path``'s content to the disk."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries (a file renamed or made in it) to the disk, where the
    system allows it (POSIX; Windows' file systems journal their own)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def group_named(target: CozeClient, name: str) -> str:
    """The id of the first group of the target named exactly ``name`` (the service's name
    filter matches the start of names), or "" when there is none; one call."""
    return next((g.id for g in target.iter_groups(name=name) if g.name == name), "")


def look_up_groups(
    target: CozeClient,
    names: Iterable[str],
    cancel: CancelToken | None = None,
    known: Mapping[str, str] | None = None,
) -> Future[dict[str, str]]:
    """Start looking for target groups by name, one call per name, on a thread of its own.

    The future's result maps each name to the id of the group of that name ("" when there
    is none); give it to :meth:`Job.run` (``found``) of the job made now. Started before
    the plan is made, it overlaps with listing the source. A look-up that fails leaves
    the name out, and the run looks again. ``cancel`` (the job's) ends the look-up at
    once, so that whoever waits for the future (before closing the workspace) does not
    wait for a slow server. ``known``: names whose group was found moments before (by
    id): not looked up again.
    """
    from contextlib import nullcontext

    from voiceprint_studio.api.errors import ApiError
    from voiceprint_studio.api.uploads import cancel_scope

    before = {name: gid for name, gid in (known or {}).items() if gid}
    wanted = [name for name in dict.fromkeys(names) if name not in before]
    future: Future[dict[str, str]] = Future()

    def look() -> None:
        found: dict[str, str] = dict(before)
        try:
            with cancel_scope(cancel) if cancel is not None else nullcontext():
                for name in wanted:
                    if cancel is not None and cancel.cancelled:
                        break
                    try:
                        found[name] = group_named(target, name)
                    except ApiError:
                        continue
        finally:  # whatever happens, the run does not wait for ever: it looks again
            future.set_result(found)

    if not wanted:
        future.set_result(dict(before))
    else:
        threading.Thread(target=look, name="job-look-up", daemon=True).start()
    return future


class Journal:
    """An append-only JSON-lines file; each line is flushed and fsynced.

    The lock covers the append only, not the fsync: an fsync flushes every line written
    to the file before it (by any thread), so each :meth:`write` still returns only once
    its own line and all earlier ones are on the disk, while the workers' fsyncs overlap
    instead of queueing behind one another (one slow fsync, behind a 4 MB staged file,
    held every worker's next step).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._tail_checked = False

    def entries(self) -> Iterator[dict[str, Any]]:
        """The lines written so far (a torn last line, from a kill, is ignored)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                yield entry

    def write(self, event: str, **fields: Any) -> None:
        """Append one step."""
        line = json.dumps({"e": event, "t": time.time(), **fields}, ensure_ascii=False)
        with self.path.open("a", encoding="utf-8") as handle:
            with self._lock:
                if not self._tail_checked:
                    # a line torn by a kill ends the file without its newline: this line
                    # starts on a line of its own, or both would be unreadable
                    self._tail_checked = True
                    if not self._ends_a_line():
                        line = "\n" + line
                handle.write(line + "\n")
                handle.flush()
            os.fsync(handle.fileno())

    def _ends_a_line(self) -> bool:
        """Whether the file is empty or ends with a newline."""
        try:
            with self.path.open("rb") as raw:
                if raw.seek(0, os.SEEK_END) == 0:
                    return True
                raw.seek(-1, os.SEEK_END)
                return raw.read(1) == b"\n"
        except FileNotFoundError:
            return True


@dataclass
class _State:
    staged: dict[str, str] = field(default_factory=dict)  # key -> file name
    staged_sha: dict[str, str] = field(default_factory=dict)  # key -> its sha256, if written
    groups: dict[str, str] = field(default_factory=dict)  # plan group key -> target id
    # plan group key -> when its create was last sent
    groups_sent: dict[str, float] = field(default_factory=dict)
    sending: dict[str, float] = field(default_factory=dict)  # key -> time sent
    # key -> ids of the voiceprints of its name the target held before it was sent: never
    # taken for its in-doubt create (they were there before it)
    known: dict[str, set[str]] = field(default_factory=dict)
    done: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (id, how)
    deleted: set[str] = field(default_factory=set)
    final_skips: dict[str, Reason] = field(default_factory=dict)


def _replay(journal: Journal) -> _State:
    state = _State()
    for entry in journal.entries():
        event, key = entry.get("e"), entry.get("k", "")
        if event == "staged":
            state.staged[key] = entry["file"]
            if entry.get("sha"):
                state.staged_sha[key] = str(entry["sha"])
        elif event == "group":
            state.groups[entry["g"]] = entry["id"]
        elif event == "group_sending":
            state.groups_sent[entry["g"]] = float(entry["t"])
        elif event == "sending":
            state.sending[key] = float(entry["t"])
            state.known.setdefault(key, set()).update(str(i) for i in entry.get("known", ()))
        elif event == "not_created":
            state.sending.pop(key, None)
        elif event == "no_answer" and key in state.sending:
            state.sending[key] = float(entry["t"])  # the settle time counts from here
        elif event == "group_no_answer":
            state.groups_sent[entry["g"]] = float(entry["t"])
        elif event == "group_not_created":
            state.groups_sent.pop(entry["g"], None)
        elif event == "done":
            state.done[key] = (entry["id"], entry["how"])
        elif event == "source_deleted":
            state.deleted.add(key)
        elif event == "skipped":
            # the template and its values (translated when shown); a line written by an
            # older version has the English sentence only, shown as it is
            state.final_skips[key] = Reason.from_json(entry.get("reason")) or Reason.plain(
                str(entry.get("why", ""))
            )
    return state


class Job:
    """A job's folder; :meth:`create` a new one or :meth:`open` one to resume."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.journal = Journal(folder / "journal.jsonl")
        self.plan = Plan.from_json((folder / "plan.json").read_text(encoding="utf-8"))

    @classmethod
    def create(cls, jobs_dir: Path, plan: Plan, job_id: str | None = None) -> Job:
        """Write ``plan`` into a new job folder under ``jobs_dir``."""
        folder = jobs_dir / (job_id or uuid.uuid4().hex)
        (folder / "audio").mkdir(parents=True)
        tmp = folder / "plan.json.part"
        tmp.write_text(plan.to_json(), encoding="utf-8")
        os.replace(tmp, folder / "plan.json")
        return cls(folder)

    @classmethod
    def open(cls, folder: Path) -> Job:
        """An existing job (to resume it)."""
        if not (folder / "plan.json").is_file():
            raise JobError(
                QT_TRANSLATE_NOOP("TransferErrors", "{folder} is not an unfinished job."),
                folder=str(folder),
            )
        return cls(folder)

    def done_count(self) -> int:
        """How many of the plan's voiceprints runs so far brought over (from the journal)."""
        return len(_replay(self.journal).done)

    @property
    def audio_dir(self) -> Path:
        """Where the job's audio is staged."""
        return self.folder / "audio"

    def run(
        self,
        source: Source,
        target: CozeClient,
        *,
        cancel: CancelToken | None = None,
        progress: Progress | None = None,
        workers: int = WORKERS,
        max_per_group: int = MAX_PER_GROUP,
        found: Future[dict[str, str]] | None = None,
        keep_original: KeepOriginal | None = None,
        staging: int = STAGING_WORKERS,
        pace: Pacer | None = None,
    ) -> JobResult:
        """Do what is left of the plan; see the module docstring.

        ``cancel`` stops the job between items and aborts the uploads in flight; what was
        done is in the journal, and a later run goes on from there. ``found``: the target
        groups looked up by name just before (:func:`look_up_groups`), for this run only.
        ``keep_original`` (a move): called with each original and its audio (staged) right
        before the original is deleted, it keeps them ("Recently deleted") and returns the
        context the delete runs in; when it raises, that original is not deleted.
        ``workers`` and ``staging``: items brought to the target, and staged, at once.
        ``pace``: what starts each create (default: the account's in this process,
        :func:`account_pace`).
        """
        from filelock import Timeout

        from voiceprint_studio.api.uploads import CancelToken

        # One run of a job at a time, in this process or another (the app and the command
        # line): two runs replaying the same journal would both create what is left.
        lock = self._running_lock()
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise JobRunningError(self.folder) from None
        try:
            run = _Run(
                self, source, target, cancel or CancelToken(), progress, workers, max_per_group
            )
            run.staging = max(1, staging)
            if pace is not None:
                run.pace = pace
            run.keep_original = keep_original if self.plan.kind == "move" else None
            return run.go(found)
        finally:
            lock.release()

    def _running_lock(self) -> BaseFileLock:
        from filelock import FileLock

        return FileLock(self.folder / RUNNING_LOCK)

    @property
    def running(self) -> bool:
        """Whether a run of this job is going on now (here or in another process)."""
        from filelock import Timeout

        lock = self._running_lock()
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return True
        lock.release()
        return False

    def discard(self) -> None:
        """Remove the job's folder (its staged audio too)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def unfinished_jobs(jobs_dir: Path) -> list[Job]:
    """Jobs under ``jobs_dir`` that have not finished and are not running, oldest first."""
    found = []
    for folder in sorted(jobs_dir.glob("*/plan.json"), key=lambda p: p.stat().st_mtime):
        try:
            job = Job(folder.parent)
            if not job.running:
                found.append(job)
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


class JobRunningError(JobError):
    """The job is already running (in this process or another): it is not run twice."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP(
                "TransferErrors",
                "The transfer {job} is already running (in this app or another window or "
                "command); wait for it to finish.",
            ),
            job=folder.name,
        )


class Pacer(Protocol):
    """What starts each create: :class:`Pace`, or a job in its own process asking the
    app's (:mod:`voiceprint_studio.transfer.child`)."""

    def wait(self, cancel: CancelToken) -> bool:
        """Return when a start is allowed (True) or when ``cancel`` is set first (False)."""
        ...


class Pace:
    """At most ``per_second`` starts in any sliding second, shared by the threads of the
    runs on one account (:func:`account_pace`).

    :meth:`wait` returns when a start is allowed (True) or when ``cancel`` is set first
    (False). ``clock`` is injectable for tests.
    """

    def __init__(self, per_second: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_second = max(1, per_second)
        self._clock = clock
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    def delay(self) -> float:
        """Seconds until a start is allowed; 0 means it was allowed and counted."""
        with self._lock:
            now = self._clock()
            while self._starts and self._starts[0] <= now - 1.0:
                self._starts.popleft()
            if len(self._starts) < self.per_second:
                self._starts.append(now)
                return 0.0
            return self._starts[0] + 1.0 - now

    def wait(self, cancel: CancelToken) -> bool:
        """Wait for a start (see the class doc)."""
        while True:
            delay = self.delay()
            if delay <= 0:
                return True
            if cancel.wait(delay):
                return False


_PACES: dict[tuple[str, str], Pace] = {}
_PACES_LOCK = threading.Lock()


def account_pace(target: CozeClient, clock: Callable[[], float] | None = None) -> Pace:
    """The pace of creates on ``target``'s account, one per account in this process.

    Two jobs running at once against the same account (a resumed job and a new copy)
    share it, so together they start at most :data:`MAX_CREATES_PER_SECOND` creates in any
    second. Kept in memory under the client's :attr:`~voiceprint_studio.api.coze.CozeClient.
    account_key` (the base URL and a keyed hash of the token, never the token). ``clock``
    (tests) is used when the account's pace is made, by the first caller.
    """
    key = target.account_key
    with _PACES_LOCK:
        pace = _PACES.get(key)
        if pace is None:
            pace = _PACES[key] = Pace(MAX_CREATES_PER_SECOND, clock or time.monotonic)
        return pace


# Why an item is not brought into (or deleted after a "copy" into) its own group.
_OWN_GROUP = Reason(
    QT_TRANSLATE_NOOP(
        "TransferErrors", "it is already in that group; choose another group as the destination"
    )
)


@dataclass
class _GroupSlots:
    """A target group while a run fills it: what it held, what was taken and reserved."""

    target_id: str
    existing: list[Voiceprint]
    room: int
    reserved: int = 0
    taken: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Run:
    def __init__(  # noqa: PLR0917 - private, one caller
        self,
        job: Job,
        source: Source,
        target: CozeClient,
        cancel: CancelToken,
        progress: Progress | None,
        workers: int,
        max_per_group: int,
    ) -> None:
        self.job, self.source, self.target = job, source, target
        self.cancel, self.progress_cb = cancel, progress
        self.workers, self.max_per_group = max(1, workers), max_per_group
        self.staging = STAGING_WORKERS
        self.plan = job.plan
        self.state = _replay(job.journal)
        self._done_before = set(self.state.done)  # items an earlier run brought over
        self.result = JobResult()
        self._lock = threading.Lock()
        # one report at a time, each of the counts as they are when it is sent: two
        # workers' reports crossed, and the last one shown said 9 of 10 done
        self._report_lock = threading.Lock()
        self._bytes_total = sum(i.size for i in self.plan.items)
        self._bytes_done = 0
        self._items_done = 0
        self._group_gates: dict[str, threading.Lock] = {}
        self._group_slots: dict[str, _GroupSlots] = {}
        self._created_groups: set[str] = set()  # target groups this run created (empty)
        # target groups this run could not find or create: their items fail with the same
        # error, without a call each
        self._group_errors: dict[str, Exception] = {}
        self.pace: Pacer = account_pace(target)
        self._found: Future[dict[str, str]] | None = None
        # a move's originals are kept before they are deleted (their staged audio stays
        # until then); see :meth:`Job.run`
        self.keep_original: KeepOriginal | None = None

    # -- progress ----------------------------------------------------------------

    def _report(self, stage: str) -> None:
        if self.progress_cb is None:
            return
        with self._report_lock:
            with self._lock:
                progress = JobProgress(
                    self._items_done,
                    len(self.plan.items),
                    self._bytes_done,
                    self._bytes_total,
                    stage,
                )
            self.progress_cb(progress)

    # -- steps -------------------------------------------------------------------

    def go(self, found: Future[dict[str, str]] | None = None) -> JobResult:
        self._found = found
        pending = [
            i
            for i in self.plan.items
            if i.key not in self.state.done and i.key not in self.state.final_skips
        ]
        for item in self.plan.items:
            if item.key in self.state.final_skips:
                self.result.skipped.append((item, self.state.final_skips[item.key]))
        self._items_done = len(self.plan.items) - len(pending)
        self.result.done_earlier = len(self._done_before)
        self._report("copying")
        self._make_empty_groups()
        self._pipeline(pending)
        if self.plan.kind == "move" and not self._stopped():
            self._delete_sources()
        if self._stopped():
            return self.result
        if not self.result.failed:
            # everything is in the target, or skipped for good (said in the result)
            self.job.journal.write("finished")
            self.job.discard()
        return self.result

    def _make_empty_groups(self) -> None:
        """A group with nothing to bring is made in the target too (a copy or a restore of
        an empty group); a failure raises (nothing of it was made: the job stays)."""
        used = {item.group for item in self.plan.items}
        for group in self.plan.groups:
            if group.key not in used and not self.cancel.cancelled:
                try:
                    self._target_group(group)
                except GroupRejectedError as exc:
                    # it can never be made (a hand-made archive's name too long): said,
                    # under the group's name, and skipped for good, as its items would be
                    stand_in = PlanItem(key=f"group:{group.key}", group=group.key, name=group.name)
                    self.result.skipped.append((stand_in, exc.reason))

    def _pipeline(self, items: list[PlanItem]) -> None:
        """Stage ``items`` on one pool and bring each staged one to the target on another,
        the target groups being found or created at once (see the module docstring)."""
        if not items:
            return
        count = min(self.workers, len(items))
        groups = list(dict.fromkeys(i.group for i in items))
        with (
            ThreadPoolExecutor(count, thread_name_prefix="job-target") as targets,
            ThreadPoolExecutor(
                min(count, self.staging), thread_name_prefix="job-source"
            ) as sources,
        ):
            waiting: list[Future[None]] = [targets.submit(self._prepare, g) for g in groups]
            staging = {sources.submit(self._staged, item): item for item in items}
            for done in as_completed(staging):
                if done.result():
                    waiting.append(targets.submit(self._bring, staging[done]))
            for future in waiting:
                future.result()

    def _prepare(self, group_key: str) -> None:
        """Find or create a target group before its first item is staged (a failure is
        reported by each of its items; a later run tries again)."""
        from voiceprint_studio.api.errors import ApiError

        if self.cancel.cancelled:
            return
        try:
            self._slots(group_key)
        except (ApiError, JobError):
            return

    def _staged(self, item: PlanItem) -> bool:
        """Stage ``item`` unless an earlier run did (and its file is still whole); whether
        it is staged now."""
        return self._staged_file(item) is not None and not self.cancel.cancelled

    def _staged_file(self, item: PlanItem) -> Path | None:
        """``item``'s staged audio, staged now unless an earlier run did (and its file is
        still whole); None when it could not be staged (said in the result)."""
        if item.key in self.state.staged and not self._still_whole(item):
            with self._lock:
                del self.state.staged[item.key]
        if item.key not in self.state.staged:
            self._stage(item)
        name = self.state.staged.get(item.key)
        return None if name is None else self.job.audio_dir / name

    def _still_whole(self, item: PlanItem) -> bool:
        """Whether the file an earlier run staged for ``item`` is there and still the one
        it hashed (after a power cut it may be torn: it is staged again, not sent)."""
        path = self.job.audio_dir / self.state.staged[item.key]
        expected = self.state.staged_sha.get(item.key)
        try:
            whole = path.is_file() and (expected is None or sha256_of(path) == expected)
        except OSError:
            whole = False
        if not whole:
            path.unlink(missing_ok=True)
        return whole

    def _bring(self, item: PlanItem) -> None:
        from voiceprint_studio.api.errors import ApiError

        if self.cancel.cancelled:
            return
        try:
            slots = self._slots(item.group)
        except GroupRejectedError as exc:  # (renamed, it is another import: none is kept)
            self._unstage(item)
            with self._lock:
                self.result.skipped.append((item, exc.reason))
            return
        except (ApiError, JobError) as exc:
            with self._lock:
                self.result.failed.append((item, Reason.of_error(exc)))
            return
        if self._in_its_own_group(item, slots.target_id):
            # the "copy" would be the original itself: a move would then delete the only
            # one (the target group of a copy or move is never the group it comes from)
            self._unstage(item)
            with self._lock:
                self.result.skipped.append((item, _OWN_GROUP))
            return
        with slots.lock:
            match = self._already_there(item, slots.existing, slots.taken)
            settling = _settling(self.state.sending.get(item.key))
            if match is None and settling:
                # an earlier create of it got no answer, and it is not listed (yet)
                why = Reason(
                    QT_TRANSLATE_NOOP(
                        "TransferErrors",
                        "the service may still be adding it from the try that got no answer: "
                        "it was not sent again; resume in {seconds} seconds",
                    ),
                    {"seconds": settling},
                )
                with self._lock:
                    self.result.failed.append((item, why))
                return
            if match is None and slots.reserved >= slots.room:
                why = Reason(
                    QT_TRANSLATE_NOOP(
                        "TransferErrors",
                        "no room was left: the group holds {count} voiceprints (with those "
                        "this job added), the most it can hold",
                    ),
                    {"count": self.max_per_group},
                )
                with self._lock:
                    self.result.skipped.append((item, why))
                return
            if match is None:
                slots.reserved += 1
            else:
                slots.taken.add(match)
        if match is not None:
            self.job.journal.write("done", k=item.key, id=match, how="existed")
            self._unstage_done(item)
            with self._lock:
                self.state.done[item.key] = (match, "existed")
                self.result.existed.append((item, match))
                self._items_done += 1
                self._bytes_done += item.size
            self._report("copying")
            return
        self._create(item, slots.target_id, {v.id for v in slots.existing if v.name == item.name})

    def _same_server(self) -> bool:
        return self.plan.source.get("base_url", "") == self.plan.target.get("base_url", "")

    def _in_its_own_group(self, item: PlanItem, target_id: str) -> bool:
        """Whether ``item`` comes from the target group itself (same server, same group)."""
        return item.origin.get("group_id") == target_id and self._same_server()

    def _slots(self, group_key: str) -> _GroupSlots:
        """The target group of ``group_key``, found or created once, with what it holds
        (raises what finding or creating it raised, each time it is asked for)."""
        from voiceprint_studio.api.errors import ApiError

        with self._lock:
            gate = self._group_gates.setdefault(group_key, threading.Lock())
        with gate:
            known = self._group_slots.get(group_key)
            if known is not None:
                return known
            failed = self._group_errors.get(group_key)
            if failed is not None:
                raise failed
            group = next(g for g in self.plan.groups if g.key == group_key)
            try:
                target_id = self._target_group(group)
            except (ApiError, JobError) as exc:
                self._group_errors[group_key] = exc
                raise
            # a group this run has just created holds nothing yet: no need to look
            existing = (
                []
                if group_key in self._created_groups
                else list(self.target.iter_voiceprints(target_id))
            )
            slots = _GroupSlots(target_id, existing, self.max_per_group - len(existing))
            # a voiceprint an earlier run created or matched for another item of this job
            # is that item's, never also this one's (two items of the same name)
            with self._lock:
                slots.taken.update(done_id for done_id, _how in self.state.done.values())
            self._group_slots[group_key] = slots
            return slots

    def _stopped(self) -> bool:
        if self.cancel.cancelled:
            self.result.cancelled = True
            return True
        return False

    def _stage(self, item: PlanItem) -> None:
        from voiceprint_studio.api.errors import ApiError

        if self.cancel.cancelled:
            return
        tmp = self.job.audio_dir / f"{item.key}.download"
        try:
            self.source.fetch(item, tmp)
            with tmp.open("rb") as handle:
                head = handle.read(12)
            final = self.job.audio_dir / f"{item.key}{audio_suffix(head)}"
            # on the disk, whole, before the journal says it is staged (whatever the
            # source: a power cut must not leave a torn file a later run would send)
            sync_file(tmp)
            os.replace(tmp, final)
            sync_folder(self.job.audio_dir)
            # checked when the plan knows it (an archive), and written down: a later run
            # sends it only if it is still that file
            digest = sha256_of(final)
        except ItemRejectedError as exc:
            tmp.unlink(missing_ok=True)
            # "why" (English) for whoever reads the file; "reason" to say it in any language
            self.job.journal.write(
                "skipped", k=item.key, why=str(exc.reason), reason=exc.reason.to_json()
            )
            with self._lock:
                self.state.final_skips[item.key] = exc.reason
                self.result.skipped.append((item, exc.reason))
            return
        except (ApiError, OSError, ValueError) as exc:
            tmp.unlink(missing_ok=True)
            with self._lock:
                self.result.failed.append((item, Reason.of_error(exc)))
            return
        if item.sha256 and digest != item.sha256:
            why = Reason(
                QT_TRANSLATE_NOOP(
                    "TransferErrors", "its audio does not match the source's checksum"
                )
            )
            with self._lock:
                self.result.failed.append((item, why))
            return
        self.job.journal.write("staged", k=item.key, file=final.name, sha=digest)
        with self._lock:
            self.state.staged[item.key] = final.name
            self.state.staged_sha[item.key] = digest

    def _target_group(self, group: PlanGroup) -> str:
        from voiceprint_studio.api.errors import ApiError

        if group.target_id:
            return group.target_id
        known = self.state.groups.get(group.key)
        if known:
            return known
        too_long = group_name_too_long(group.name)
        if too_long is not None:
            # (said of the group: the client's own refusal named no group, and the item it
            # was looked up for read as the one with the name too long)
            raise GroupRejectedError(too_long)
        # a group of that name already there (made by an earlier, cut-short run, or the
        # operator's own) is used rather than a second one of the same name; looked up
        # while the plan was made, unless this job's create of it may have been sent
        looked = (
            self._found.result().get(group.name)
            if self._found is not None and group.key not in self.state.groups_sent
            else None
        )
        if looked is None:
            looked = group_named(self.target, group.name)
        if looked:
            self.job.journal.write("group", g=group.key, id=looked, how="existed")
            self.state.groups[group.key] = looked
            return looked
        settling = _settling(self.state.groups_sent.get(group.key))
        if settling:
            # an earlier create of it got no answer, and it is not listed (yet)
            raise JobError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors",
                    "the service may still be creating the group “{name}” from the try that "
                    "got no answer: it was not created again; resume in {seconds} seconds",
                ),
                name=group.name,
                seconds=settling,
            )
        if self.cancel.cancelled:  # (the look-up may have taken long: nothing more is made)
            from voiceprint_studio.api.errors import UploadCancelledError

            raise UploadCancelledError()
        self.job.journal.write("group_sending", g=group.key)
        self.state.groups_sent[group.key] = time.time()
        try:
            new_id = self.target.create_group(group.name, group.desc or None)
        except ApiError as exc:
            from voiceprint_studio.api.errors import not_carried_out

            if not not_carried_out(exc):  # no answer: it may be made yet, from now on
                self.job.journal.write("group_no_answer", g=group.key)
                self.state.groups_sent[group.key] = time.time()
                raise
            # refused, or never sent: nothing was made, so nothing is waited for when the
            # job is resumed (it said "the service may still be creating it" for 3 minutes)
            self.job.journal.write("group_not_created", g=group.key)
            self.state.groups_sent.pop(group.key, None)
            raise
        self.job.journal.write("group", g=group.key, id=new_id, how="created")
        self.state.groups[group.key] = new_id
        self._created_groups.add(group.key)
        return new_id

    def _already_there(
        self, item: PlanItem, existing: list[Voiceprint], taken: set[str]
    ) -> str | None:
        from voiceprint_studio.api.errors import ApiError

        staged = self.job.audio_dir / self.state.staged[item.key]
        digest = ""
        sent = self.state.sending.get(item.key)
        there_before = self.state.known.get(item.key, set())
        for candidate in existing:
            if candidate.name != item.name or candidate.id in taken:
                continue
            if (
                sent is not None
                and candidate.id not in there_before
                and candidate.created_at is not None
                and (candidate.created_at.timestamp() >= sent - IN_DOUBT_SLACK)
            ):
                return candidate.id  # the in-doubt create went through
            if not candidate.audio_url:
                continue
            try:
                theirs = self.target.download_audio(candidate.audio_url)
            except ApiError:
                continue
            digest = digest or self.state.staged_sha.get(item.key) or sha256_of(staged)
            if hashlib.sha256(theirs).hexdigest() == digest:
                return candidate.id
        return None

    def _create(self, item: PlanItem, target_id: str, there_before: set[str]) -> None:
        from voiceprint_studio.api import AudioUpload
        from voiceprint_studio.api.errors import (
            ApiError,
            NotFoundError,
            UploadCancelledError,
            not_carried_out,
        )

        if self.cancel.cancelled:
            return
        staged = self.job.audio_dir / self.state.staged[item.key]
        try:
            upload = AudioUpload.from_path(staged)
            new_id = self._send_create(target_id, item, upload, there_before)
        except ApiError as exc:
            # refused, or provably never sent (a create into a group that is gone made
            # nothing either); else in doubt (no answer, or a gateway's or a broken one:
            # the service may have made it) and the next run reconciles first
            if not_carried_out(exc) or isinstance(exc, NotFoundError):
                self._not_created(item)
            else:
                self._no_answer(item)
            if not isinstance(exc, UploadCancelledError):  # (a cancel is said by the job)
                with self._lock:
                    self.result.failed.append((item, Reason.of_error(exc)))
            return
        self.job.journal.write("done", k=item.key, id=new_id, how="created")
        self._unstage_done(item)
        with self._lock:
            self.state.done[item.key] = (new_id, "created")
            self.result.created.append((item, new_id))
            self._items_done += 1
            self._bytes_done += item.size
        self._report("creating")

    def _no_answer(self, item: PlanItem) -> None:
        """Journal when ``item``'s create ended with no answer: the service may still be
        making it for :data:`SETTLE_SECONDS` from then (an upload can take longer than
        that on a slow link, so not from when it was sent)."""
        self.job.journal.write("no_answer", k=item.key)
        with self._lock:
            if item.key in self.state.sending:
                self.state.sending[item.key] = time.time()

    def _not_created(self, item: PlanItem) -> None:
        """Journal that ``item``'s create made nothing: a later run must not take a
        voiceprint of the same name for it (a move would then delete a source that was
        never copied)."""
        self.job.journal.write("not_created", k=item.key)
        with self._lock:
            self.state.sending.pop(item.key, None)

    def _send_create(
        self, target_id: str, item: PlanItem, upload: AudioUpload, there_before: set[str]
    ) -> str:
        """Create ``item`` in the target, paced; a create refused as throttling (nothing
        was created) is sent again after the service's ``Retry-After`` or a backoff.
        ``there_before``: the ids of the voiceprints of its name the target held (written
        with each "sending" line: a later run never takes one of them for this create)."""
        from voiceprint_studio.api.errors import ThrottledError, UploadCancelledError

        for attempt in range(1, CREATE_ATTEMPTS + 1):
            if not self.pace.wait(self.cancel):
                raise UploadCancelledError()
            # journalled before each send (not before the wait for the pace: a create
            # cancelled there was never sent, and is not in doubt)
            if there_before:
                self.job.journal.write("sending", k=item.key, known=sorted(there_before))
            else:
                self.job.journal.write("sending", k=item.key)
            try:
                return self.target.create_voiceprint(
                    target_id, item.name, upload, desc=item.desc or None, cancel=self.cancel
                )
            except ThrottledError as exc:
                if not exc.retryable or attempt == CREATE_ATTEMPTS:
                    raise
                wait = exc.retry_after
                if wait is None:
                    wait = 0.5 * 2 ** (attempt - 1) + random.uniform(0, 0.5)
                if self.cancel.wait(min(wait, THROTTLE_WAIT_MAX)):
                    raise UploadCancelledError() from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _original_audio(self, item: PlanItem) -> Path | object | None:
        """A moved original's audio, to keep before it is deleted: the file staged for its
        copy in this run; for a copy an earlier run made, the original as it is now (a
        download), which must still be what was copied. :data:`_GONE` when the original
        is not there any more; None when it cannot be kept (said in the result)."""
        from voiceprint_studio.api.errors import ApiError

        if item.key not in self._done_before and item.key in self.state.staged:
            staged = self._staged_file(item)
            if staged is not None:
                return staged
        fetched = self.job.audio_dir / f"{item.key}{_ORIGINAL}"
        try:
            self.source.fetch(item, fetched)
        except SourceGoneError:
            fetched.unlink(missing_ok=True)
            return _GONE
        except (ApiError, OSError) as exc:
            fetched.unlink(missing_ok=True)
            still_there = getattr(self.source, "still_there", None)
            try:
                if still_there is not None and not still_there(item):
                    return _GONE
            except ApiError:
                pass
            with self._lock:
                self.result.failed.append((item, Reason.of_error(exc)))
            return None
        expected = self.state.staged_sha.get(item.key)
        if expected and sha256_of(fetched) != expected:
            fetched.unlink(missing_ok=True)
            why = Reason(
                QT_TRANSLATE_NOOP(
                    "TransferErrors",
                    "its audio was changed after it was copied, so the original was not "
                    "deleted; copy it again to bring the new audio",
                )
            )
            with self._lock:
                self.result.failed.append((item, why))
            return None
        return fetched

    def _unstage_done(self, item: PlanItem) -> None:
        """Remove a done item's staged audio, unless its original is still to be kept
        before it is deleted (a move's)."""
        if self.keep_original is None:
            self._unstage(item)

    def _unstage(self, item: PlanItem) -> None:
        """Remove a done item's staged audio (a resumed run skips done items)."""
        name = self.state.staged.get(item.key)
        if name:
            (self.job.audio_dir / name).unlink(missing_ok=True)

    def _delete_sources(self) -> None:
        from voiceprint_studio.api.errors import ApiError

        for item in self.plan.items:
            if self.cancel.cancelled:
                return
            if item.key not in self.state.done or item.key in self.state.deleted:
                continue
            if self.state.done[item.key][0] == item.origin.get("feature_id") and (
                self._same_server()
            ):
                # its "copy" is the original itself (journaled by a version without the
                # check in _bring): the only one is never deleted
                self.result.skipped.append((item, _OWN_GROUP))
                continue
            kept: AbstractContextManager[object] = nullcontext()
            audio: Path | None = None
            if self.keep_original is not None:
                found = self._original_audio(item)
                if found is _GONE:
                    # deleted meanwhile (by the operator): nothing left to keep or delete
                    self.job.journal.write("source_deleted", k=item.key, how="gone")
                    self._unstage(item)
                    self.state.deleted.add(item.key)
                    continue
                if not isinstance(found, Path):
                    continue  # not deleted: the result says why
                audio = found
                try:
                    kept = self.keep_original(item, audio)
                except OSError as exc:
                    why = Reason(
                        QT_TRANSLATE_NOOP(
                            "TransferErrors",
                            "copied, but the original was not deleted: a copy of it could not "
                            "be kept in Recently deleted first: {error}",
                        ),
                        {"error": exc},
                    )
                    self.result.failed.append((item, why))
                    continue
            try:
                with kept:
                    self.source.delete(item)
            except ApiError as exc:
                from voiceprint_studio.api.errors import not_carried_out

                if not_carried_out(exc):
                    why = Reason(
                        QT_TRANSLATE_NOOP(
                            "TransferErrors",
                            "copied, but the original could not be deleted: {error}",
                        ),
                        {"error": exc},
                    )
                else:
                    why = Reason(
                        QT_TRANSLATE_NOOP(
                            "TransferErrors",
                            "copied; the original's delete got no answer, so it may be gone "
                            "(kept in Recently deleted): resume to finish: {error}",
                        ),
                        {"error": exc},
                    )
                self.result.failed.append((item, why))
                continue
            finally:
                if audio is not None and audio.name.endswith(_ORIGINAL):
                    audio.unlink(missing_ok=True)
            self.job.journal.write("source_deleted", k=item.key)
            self._unstage(item)
            self.state.deleted.add(item.key)
            self.result.sources_deleted.append(item)
