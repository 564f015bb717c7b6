"""A transfer job in a process of its own, beside the app's: a copy or a move, an import
(an archive, a folder, a CSV), and what File > Transfers resumes (a restore too).

Why: in a thread of the app's process, a job's Python work (HTTP, the journal, hashing)
takes turns with the GUI thread for one GIL and one share of the CPU, and the GUI thread
stalled (``bench/job_process.py``: longest stall 17-25 ms with 4 creates at once, 21-61
ms with 10); a job in a child process at a lower priority shares neither, so it can
also bring more items at once (:data:`CHILD_WORKERS`), which the GUI could not afford.

* :class:`JobProcess` is started (spawned: the same on Windows, macOS and Linux) when a
  dialog that may start a job opens, from a worker: the child imports what a job needs
  while the operator chooses, then waits for one job (:meth:`JobProcess.run`). Closing
  it (or the app's process going away) ends the child.
* What the child is told goes through its pipe only: the token never reaches the command
  line, the environment or a file.
* The offline workspace stays open in the app's process only (its database is locked to
  one process): the child's requests to it come through the pipe and the app answers
  them in-process; a copy out of it reads the recordings by path (the app tells the child
  where they are and the key their addresses are signed with).
* The calls the child makes are counted in the app, for their account, before they are
  sent; each create starts when the app's pace for the account allows;
  a Coze 4100 for a token 30+ days old is worded "probably expired" as in the app.
* Cancel reaches the child through the pipe; a child whose app went away (a crash, a
  kill) stops its job as a Cancel does. Either way the journal says what was done and
  the job is resumed like any other (File > Transfers). A child that dies is reported
  as an error that says so.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from voiceprint_studio.transfer.jobs import JobError, JobProgress, JobResult, PlanGroup
from voiceprint_studio.transfer.reasons import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    import ssl
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from voiceprint_studio.api.coze import CozeClient
    from voiceprint_studio.api.errors import ApiError
    from voiceprint_studio.api.models import Voiceprint, VoiceprintGroup
    from voiceprint_studio.api.observer import CallObserver
    from voiceprint_studio.api.uploads import CancelToken
    from voiceprint_studio.transfer.jobs import KeepOriginal, Pacer, Progress, Source

# why a job stopped when its process died (the dialogs add that it can be resumed)
_GONE = QT_TRANSLATE_NOOP(
    "TransferErrors",
    "the background process running the job stopped unexpectedly (exit code {code}).",
)
_log = logging.getLogger(__name__)

# Items brought to the target at once, and staged at once, by a job in its own process
# (a job in the app's process: :data:`~voiceprint_studio.transfer.jobs.WORKERS`). The
# account's pace still bounds the creates started in any second (10).
CHILD_WORKERS = 10
# How much lower the child runs than the app (POSIX ``nice``; Windows: below normal).
CHILD_NICE = 10
# How often the app looks for a Cancel while it waits for the child (s).
_CANCEL_POLL = 0.05


@dataclass(frozen=True)
class Place:
    """A workspace as the child reaches it (pickled to the child through its pipe)."""

    base_url: str
    token: str = field(repr=False)
    # the offline workspace: its requests go through the app (see the module doc)
    via_app: bool = False
    # the token's age in days when it is 30+ days old (a 4100 is "probably expired")
    expired_days: int | None = None


@dataclass(frozen=True)
class OfflineAudio:
    """Where the offline workspace keeps its recordings, and the key of their addresses."""

    folder: Path
    secret: bytes = field(repr=False)


@dataclass(frozen=True)
class CopyOrder:
    """A new copy or move (see :func:`~voiceprint_studio.transfer.sources.run_copy`)."""

    source: Place
    target: Place
    selection: Sequence[tuple[VoiceprintGroup, Sequence[Voiceprint] | None]]
    into: PlanGroup | None
    move: bool
    source_where: Mapping[str, str]
    target_where: Mapping[str, str]
    jobs_dir: Path
    look_up: Sequence[str]
    # a copy out of the offline workspace reads its recordings here
    audio: OfflineAudio | None = None
    # a move keeps its originals in Recently deleted, in this folder
    trash: Path | None = None
    # the job's folder's name in ``jobs_dir`` (the app knows it even if the child dies
    # before it says it made the job)
    job_id: str | None = None
    # each create waits for the app's pace (set by :meth:`JobProcess.run`)
    app_paces: bool = False
    # what the app listed moments before (see run_copy): whole source groups' voiceprints
    # by group id, and the target's groups as (id, name)
    listed: Mapping[str, Sequence[Voiceprint]] | None = None
    target_groups: Sequence[tuple[str, str]] | None = None


@dataclass(frozen=True)
class ResumeOrder:
    """What is left of a job (its folder) to ``target``: from the workspace ``source``
    (a copy or a move), or, without one, from the ``archive`` (an import) or from the
    files the plan names (a folder or CSV import, a restore)."""

    folder: Path
    source: Place | None
    target: Place
    audio: OfflineAudio | None = None
    trash: Path | None = None
    archive: Path | None = None
    # each create waits for the app's pace (set by :meth:`JobProcess.run`)
    app_paces: bool = False


Order = CopyOrder | ResumeOrder


class JobProcessGoneError(JobError):
    """The child ended without an answer (it crashed, or was killed)."""

    def __init__(self, code: int | None) -> None:
        super().__init__(_GONE, code=str(code))


class JobProcess:
    """A child process that runs one job; see the module docstring.

    :meth:`start` (from a worker: it starts a process) may be called early and more than
    once; :meth:`run` starts it if it was not, hands it the job and relays until the job
    ends; :meth:`close` ends a child that was not used (or is done).
    """

    def __init__(self) -> None:
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()
        self._used = False

    def start(self) -> None:
        """Start the child (it imports what a job needs, then waits)."""
        import multiprocessing

        with self._lock:
            if self._process is not None or self._used:
                return
            spawn = multiprocessing.get_context("spawn")
            mine, theirs = spawn.Pipe()
            process = spawn.Process(
                target=child_main, args=(theirs,), name="voiceprint-studio-job", daemon=True
            )
            process.start()
            theirs.close()
            self._process, self._conn = process, mine

    def wait_ready(self, timeout: float) -> bool:
        """Start the child and wait up to ``timeout`` s until it says it is ready for a job
        (it runs this module, has imported what a job needs): the packaged app's
        self-test. A job does not need this (:meth:`run` waits for its answer anyway)."""
        self.start()
        with self._lock:
            conn = self._conn
            if conn is None or self._used:
                return False
            try:
                return bool(conn.poll(timeout)) and conn.recv() == ("ready",)
            except (EOFError, OSError):
                return False

    @property
    def pid(self) -> int | None:
        """The child's process id (None before :meth:`start`)."""
        return None if self._process is None else self._process.pid

    def run(
        self,
        order: Order,
        *,
        cancel: CancelToken,
        progress: Progress | None = None,
        offline: httpx.BaseTransport | None = None,
        observers: Mapping[str, CallObserver | None] | None = None,
        made: Callable[[], None] | None = None,
        pace: Pacer | None = None,
    ) -> JobResult:
        """Run ``order`` in the child and wait for its result (raises what the job raised).

        ``offline``: the transport to the offline workspace, which answers the child's
        requests to it (a :class:`Place` ``via_app``). ``observers``: the app's call
        counters for the ``"source"`` and ``"target"`` places. ``made``: called once the
        job exists on disk (from here on it is listed as unfinished if it stops).
        ``pace``: what starts each of the child's creates -- the target account's pace in
        this process (:func:`~voiceprint_studio.transfer.jobs.account_pace`), so that jobs
        on one account share it wherever they run (default: the child's own).
        """
        self.start()
        with self._lock:
            if self._used:
                raise RuntimeError("a job process runs one job")
            self._used = True
            process, conn = self._process, self._conn
        assert process is not None and conn is not None
        relay = _Relay(conn, process, offline, observers or {}, pace)
        return relay.run(order, cancel, progress, made)

    def close(self) -> None:
        """End a child that was given no job (one that was is ended by :meth:`run`; its
        job stops on its Cancel). Waits for it to go: call from a worker."""
        with self._lock:
            if self._used:
                return
            self._used = True
            process, conn = self._process, self._conn
        if conn is not None and process is not None:
            _end(conn, process)  # (the child waiting for a job sees its pipe end, and goes)


def _end(conn: Connection, process: BaseProcess) -> None:
    """Close the child's pipe and wait for it to go (killed after 5 s)."""
    conn.close()
    process.join(5)
    if process.is_alive():
        process.kill()
        process.join()


class _Relay:
    """The app's side of one job: what the child says, and answers to its requests."""

    def __init__(
        self,
        conn: Connection,
        process: BaseProcess,
        offline: httpx.BaseTransport | None,
        observers: Mapping[str, CallObserver | None],
        pace: Pacer | None,
    ) -> None:
        self.conn, self.process = conn, process
        self.offline, self.observers, self.pace = offline, observers, pace
        self._send_lock = threading.Lock()
        self._answering: ThreadPoolExecutor | None = None
        self._pacing: ThreadPoolExecutor | None = None

    def send(self, message: object) -> None:
        with self._send_lock:
            self.conn.send(message)

    def run(
        self,
        order: Order,
        cancel: CancelToken,
        progress: Progress | None,
        made: Callable[[], None] | None,
    ) -> JobResult:
        told = False
        try:
            try:
                self.send(replace(order, app_paces=self.pace is not None))
            except OSError:  # it died before it was given the job (killed, or crashed)
                self.process.join(5)
                raise JobProcessGoneError(self.process.exitcode) from None
            while True:
                if cancel.cancelled and not told:
                    told = True
                    # (a child that has just finished may be gone already: its answer is
                    # still in the pipe, read below)
                    with contextlib.suppress(OSError):
                        self.send(("cancel",))
                try:
                    ready = self.conn.poll(_CANCEL_POLL)
                    message = self.conn.recv() if ready else None
                except (EOFError, OSError):
                    self.process.join(5)
                    raise JobProcessGoneError(self.process.exitcode) from None
                if message is None:
                    continue
                kind = message[0]
                if kind == "progress" and progress is not None:
                    progress(message[1])
                elif kind == "call":  # counted before the child sends it
                    self._count(message[2], 1)
                    with contextlib.suppress(OSError):
                        self.send(("reply", message[1], True))
                elif kind == "uncall":
                    self._count(message[1], -1)
                elif kind == "log":
                    record: logging.LogRecord = message[1]
                    logging.getLogger(record.name).handle(record)
                elif kind == "http":
                    self._answer(message)
                elif kind == "pace":
                    self._start_allowed(message[1], cancel)
                elif kind == "made" and made is not None:
                    made()
                elif kind == "done":
                    result: JobResult = message[1]
                    return result
                elif kind == "failed":
                    raise message[1]
        finally:
            for pool in (self._answering, self._pacing):
                if pool is not None:
                    pool.shutdown(wait=True)
            # the job is over (its lock let go, its result here): the child's own exit
            # (tens of ms) is waited for on a thread of its own
            threading.Thread(
                target=_end, args=(self.conn, self.process), name="job-process-end"
            ).start()

    def _count(self, which: str, calls: int) -> None:
        observer = self.observers.get(which)
        if observer is None:
            return
        try:
            if calls > 0:
                observer.on_attempt("coze", "")
            else:
                observer.on_unsent("coze", "")
        except OSError:  # (the count's file could not be written: the call goes on)
            _log.warning("a call of the job could not be counted", exc_info=True)

    def _answer(self, message: tuple[Any, ...]) -> None:
        """A request of the child to the offline workspace, answered on a worker (the
        offline workspace answers several at once, as it does the app's own)."""
        if self._answering is None:
            self._answering = ThreadPoolExecutor(CHILD_WORKERS, thread_name_prefix="job-relay")
        self._answering.submit(self._serve, *message[1:])

    def _start_allowed(self, rid: int, cancel: CancelToken) -> None:
        """The child asks to start a create: answered when this process's pace allows
        (False: the job was cancelled first), on a thread of its own."""
        if self._pacing is None:
            self._pacing = ThreadPoolExecutor(CHILD_WORKERS, thread_name_prefix="job-pace")
        pace = self.pace
        assert pace is not None

        def answer() -> None:
            allowed = pace.wait(cancel)
            with contextlib.suppress(OSError):  # the child is gone (the run says so)
                self.send(("reply", rid, allowed))

        self._pacing.submit(answer)

    def _serve(
        self, rid: int, method: str, url: str, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> None:
        reply: tuple[Any, ...]
        if self.offline is None:
            reply = ("reply", rid, None)
        else:
            try:
                request = httpx.Request(method, url, headers=headers, content=body)
                response = self.offline.handle_request(request)
                content = response.read()
                reply = ("reply", rid, (response.status_code, response.headers.raw, content))
            except Exception:
                reply = ("reply", rid, None)
        with contextlib.suppress(OSError):  # the child is gone (the run says so)
            self.send(reply)


# -- the child -----------------------------------------------------------------------


def child_main(conn: Connection) -> None:
    """The child's body: wait for one job, run it, say how it ended."""
    # what a job needs, imported while the operator chooses (before the order comes)
    from voiceprint_studio.api.coze import CozeClient  # noqa: F401
    from voiceprint_studio.transfer import sources, trash  # noqa: F401

    _lower_priority()
    # the certificates each client would load (tens of ms each), loaded while waiting
    tls = [httpx.create_ssl_context() for _ in range(2)]
    try:
        conn.send(("ready",))
        order = conn.recv()
    except (EOFError, OSError):
        return
    link = _Link(conn, tls)
    _log_to_the_app(link)
    try:
        result = link.run(order)
    except BaseException as exc:
        link.send(("failed", _picklable(exc)))
    else:
        link.send(("done", result))
    finally:
        link.close()


def _log_to_the_app(link: _Link) -> None:
    """The child's log records go to the app's log (its file, its filters), as the app's
    own levels would let them (the API clients' redaction applies here first)."""
    import logging.handlers

    class ToTheApp(logging.handlers.QueueHandler):
        def enqueue(self, record: logging.LogRecord) -> None:
            # named as the job process's in the app's log: its "MainThread" is not the
            # app's GUI thread
            record.threadName = f"job-process/{record.threadName}"
            link.send(("log", record))

    root = logging.getLogger()
    root.handlers[:] = [ToTheApp(None)]  # type: ignore[arg-type]
    root.setLevel(logging.INFO)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _lower_priority() -> None:
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(CHILD_NICE)
    elif os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        below_normal = 0x4000
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), below_normal)


def _picklable(exc: BaseException) -> BaseException:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - the child's own exception
    except Exception:
        return JobError("{error}", error=f"{type(exc).__name__}: {exc}")
    return exc


class _Link:
    """The child's side: its pipe, Cancel, and the requests it makes through the app."""

    def __init__(self, conn: Connection, tls: list[ssl.SSLContext]) -> None:
        from voiceprint_studio.api.uploads import CancelToken

        self.conn, self.tls = conn, tls
        self.cancel = CancelToken()
        self._send_lock = threading.Lock()
        self._ids = itertools.count()
        self._waiting: dict[int, tuple[threading.Event, list[Any]]] = {}
        self._waiting_lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._listen, name="job-link", daemon=True).start()

    def send(self, message: object) -> None:
        """Tell the app (nothing, when it is gone: then the job stops as on a Cancel)."""
        with self._send_lock, contextlib.suppress(OSError):
            self.conn.send(message)

    def _listen(self) -> None:
        while True:
            try:
                message = self.conn.recv()
            except (EOFError, OSError):  # the app went away: stop as a Cancel does
                self._closed = True
                self.cancel.cancel()
                with self._waiting_lock:
                    for event, _slot in self._waiting.values():
                        event.set()
                return
            if message[0] == "cancel":
                self.cancel.cancel()
            elif message[0] == "reply":
                with self._waiting_lock:
                    waiting = self._waiting.pop(message[1], None)
                if waiting is not None:
                    waiting[1].append(message[2])
                    waiting[0].set()

    def ask(self, kind: str, *request: Any) -> Any:
        """Ask the app (``kind``: "http", a request to the offline workspace; "pace", to
        start a create) and wait for its answer (None: it failed, or the app went away)."""
        rid = next(self._ids)
        event, slot = threading.Event(), list[Any]()
        with self._waiting_lock:
            if self._closed:
                return None
            self._waiting[rid] = (event, slot)
        self.send((kind, rid, *request))
        event.wait()
        return slot[0] if slot else None

    def close(self) -> None:
        self.conn.close()

    # -- the job -------------------------------------------------------------------

    def client(self, place: Place, which: str) -> CozeClient:
        from voiceprint_studio.api.coze import CozeClient

        if place.via_app:
            return CozeClient(place.token, place.base_url, transport=_ThroughApp(self))
        return CozeClient(
            place.token,
            place.base_url,
            observer=_Counted(self, which, place.expired_days),
            tls=self.tls.pop() if self.tls else None,
        )

    def run(self, order: Order) -> JobResult:
        from voiceprint_studio.transfer.jobs import Job
        from voiceprint_studio.transfer.sources import open_import_source, run_copy

        def progress(p: JobProgress) -> None:
            self.send(("progress", p))

        pace = _AppPace(self) if order.app_paces else None
        with contextlib.ExitStack() as stack:
            dst = stack.enter_context(self.client(order.target, "target"))
            if isinstance(order, CopyOrder):
                src = stack.enter_context(self.client(order.source, "source"))
                return run_copy(
                    src,
                    dst,
                    _origin(src, order.audio),
                    order.selection,
                    into=order.into,
                    move=order.move,
                    source_where=order.source_where,
                    target_where=order.target_where,
                    jobs_dir=order.jobs_dir,
                    look_up=order.look_up,
                    cancel=self.cancel,
                    progress=progress,
                    keep_original=_keeper(order.trash, order.source_where),
                    made=lambda: self.send(("made",)),
                    workers=CHILD_WORKERS,
                    staging=CHILD_WORKERS,
                    pace=pace,
                    job_id=order.job_id,
                    listed=order.listed,
                    target_groups=order.target_groups,
                )
            job = Job.open(order.folder)
            origin: Source
            if order.source is not None:
                origin = _origin(
                    stack.enter_context(self.client(order.source, "source")), order.audio
                )
            else:  # an import (the archive, checked again here) or a restore (files)
                origin = open_import_source(stack, order.archive)
            return job.run(
                origin,
                dst,
                cancel=self.cancel,
                progress=progress,
                keep_original=_keeper(order.trash, job.plan.source),
                workers=CHILD_WORKERS,
                staging=CHILD_WORKERS,
                pace=pace,
            )


def _origin(client: CozeClient, audio: OfflineAudio | None) -> Source:
    from voiceprint_studio.transfer.sources import LocalWorkspaceSource, WorkspaceSource

    if audio is None:
        return WorkspaceSource(client)
    return LocalWorkspaceSource(client, audio.folder, audio.secret)


def _keeper(trash: Path | None, where: Mapping[str, str]) -> KeepOriginal | None:
    """A move's keeper of its originals (in Recently deleted in ``trash``), which are in
    the workspace ``where``."""
    if trash is None:
        return None
    from voiceprint_studio.transfer.trash import RecentlyDeleted

    return RecentlyDeleted(trash).keeper(where)


class _AppPace:
    """Each create the child starts, allowed by the app's pace for the account."""

    def __init__(self, link: _Link) -> None:
        self.link = link

    def wait(self, cancel: CancelToken) -> bool:
        if not cancel.cancelled and self.link.ask("pace") is True:
            return True
        # the app refuses only when the job is cancelled (its Cancel may still be on its
        # way): the job stops here, as it does on that Cancel
        self.link.cancel.cancel()
        return False


class _Counted:
    """The child's call observer: each call counted in the app, as it is made."""

    def __init__(self, link: _Link, which: str, expired_days: int | None) -> None:
        self.link, self.which, self.expired_days = link, which, expired_days

    def on_attempt(self, service: str, endpoint: str) -> None:
        # counted by the app before it is sent (an app killed now has counted it)
        if self.link.ask("call", self.which) is not True:
            from voiceprint_studio.api.errors import UploadCancelledError

            raise UploadCancelledError()  # the app is gone: not sent (the job stops)

    def on_unsent(self, service: str, endpoint: str) -> None:
        self.link.send(("uncall", self.which))

    def on_failure(self, error: ApiError) -> None:
        from voiceprint_studio.api.errors import say_if_expired

        say_if_expired(error, self.expired_days)


class _ThroughApp(httpx.BaseTransport):
    """The child's transport to the offline workspace: each request through the app."""

    def __init__(self, link: _Link) -> None:
        self.link = link

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        answer = self.link.ask("http", request.method, str(request.url), request.headers.raw, body)
        if answer is None:
            raise httpx.ConnectError("the app did not answer for the offline workspace")
        status, headers, content = answer
        return httpx.Response(status, headers=headers, content=content, request=request)
