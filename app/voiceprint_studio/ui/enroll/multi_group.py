"""Enroll one take into several groups: the group picker, the run, the per-group result.

Used by the add-voiceprint dialog and the enrollment wizard:

* :class:`GroupPicker` -- "Also add to other groups": a checkable list of the
  workspace's groups, each with its count ("7 / 10"); the group the dialog was opened
  for comes first and is ticked; full groups are disabled with the reason. The list
  is the one the groups view already loaded (no call) when that view holds every
  group; otherwise it is listed once, when the operator ticks the box. It also says
  how many API calls the enrollment makes on a Coze account (:func:`estimate_calls`).
* :class:`MultiEnroll` -- the run, on the owner's :class:`TaskRunner`: first fresh
  counts of the chosen groups (:func:`fresh_counts`: a group that became full or was
  deleted since is skipped with the reason), then one upload per group, one after
  the other, each through :func:`~voiceprint_studio.ui.enroll.pending.create_once`
  (journalled per group: an unanswered create is reconciled, a Retry never adds a
  second voiceprint). A failure in one group does not stop the others; Cancel stops
  the upload in flight and the groups not yet sent. Retry sends the failed, unanswered
  and unsent groups again (no second count check: ``create_once`` looks first where an
  answer was missing, and the server refuses a full group anyway).
* :class:`ResultList` -- one line per group: added, skipped and why, not added and why.

Decisions where the issue was silent:

* Uploads run one after the other, not concurrently: an enrollment goes to a few
  groups (each at most 4 MB), far below Coze's documented 10-20 uploads a second; one
  at a time keeps Cancel exact ("these groups got it, those did not") and the
  progress readable, and the client backs off on throttling anyway.
* The limit check costs ``min(N, ceil(G / 200))`` list calls for N chosen groups in a
  workspace of G groups (one call per group with ``group_id``, or one sweep of the
  group list at 200 a page, whichever is fewer) -- usually one. Enrolling into only
  the group the dialog was opened for keeps the old path (its count is the one the
  voiceprints view just loaded; no extra call).
* The duplicate check (when ticked) runs once, against the first chosen group.

The take is never touched: it stays on disk whatever happens.

Signals:
    GroupPicker.changed(): the chosen groups changed.
    MultiEnroll.changed(): a group's state changed.
    MultiEnroll.progress(int, int): bytes sent of the upload in flight.
    MultiEnroll.finished(): the run (or a retry) ended; see :attr:`MultiEnroll.results`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from voiceprint_studio.api import (
    AudioUpload,
    CancelToken,
    UploadCancelledError,
    VoiceprintGroup,
)
from voiceprint_studio.ui.common.call_budget import budget_warning, confirm_budget
from voiceprint_studio.ui.common.errors import describe_error
from voiceprint_studio.ui.common.text import fill, sentences
from voiceprint_studio.ui.common.worker import ProgressThrottle, TaskContext, TaskRunner
from voiceprint_studio.ui.enroll import pending

if TYPE_CHECKING:
    from voiceprint_studio.api import CozeClient
    from voiceprint_studio.settings.call_budget import CallBudget
    from voiceprint_studio.settings.profiles import ConnectionProfile
    from voiceprint_studio.ui.common.session import Workspace

# The most voiceprints Coze keeps in one group.
MAX_VOICEPRINTS = 10


def held_label(name: str, count: int) -> str:
    """A group as the lists that choose one show it: its name and what it holds, of the
    most it may ("Kitchen  ·  7 / 10")."""
    return fill(
        QCoreApplication.translate("GroupChoice", "%1  ·  %2 / %3"),
        name,
        str(count),
        str(MAX_VOICEPRINTS),
    )


# The page size of the group list sweep (the API's largest).
LIST_PAGE = 200
# Rows of the group list shown before it scrolls.
_VISIBLE_ROWS = 5
# The most height the result list takes before it scrolls (it sits above the buttons).
_RESULT_HEIGHT = 150

WAITING = "waiting"
SENDING = "sending"
ADDED = "added"
EXISTING = "existing"  # an earlier, unanswered upload had added it
SKIPPED = "skipped"
FAILED = "failed"
UNCERTAIN = "uncertain"  # no answer: it may have been added (Retry looks first)
NOT_SENT = "not_sent"  # cancelled before its turn


@dataclass(frozen=True)
class Target:
    """A group to enroll into, with its voiceprint count as last known."""

    id: str
    name: str
    count: int | None = None


@dataclass(frozen=True)
class GroupResult:
    """Where one group is: ``state`` (see the constants) and why, in words."""

    target: Target
    state: str = WAITING
    reason: str = ""
    voiceprint_id: str = ""

    @property
    def retryable(self) -> bool:
        """Whether Retry sends to this group again."""
        return self.state in (FAILED, UNCERTAIN, NOT_SENT)

    @property
    def added(self) -> bool:
        """Whether the group has the voiceprint."""
        return self.state in (ADDED, EXISTING)


# -- calls -----------------------------------------------------------------------------


def check_calls(targets: int, groups_total: int | None) -> int:
    """List calls :func:`fresh_counts` makes for ``targets`` groups (of ``groups_total``)."""
    if targets <= 0:
        return 0
    if groups_total is None:
        return targets
    return max(1, min(targets, math.ceil(groups_total / LIST_PAGE)))


def estimate_calls(targets: int, groups_total: int | None, *, duplicate_check: bool) -> int:
    """API calls an enrollment into ``targets`` groups makes at most.

    The limit check (:func:`check_calls`), one create per group, and when the duplicate
    check is ticked its list and identify calls.
    """
    return check_calls(targets, groups_total) + targets + (2 if duplicate_check else 0)


def fresh_counts(
    client: CozeClient, group_ids: Sequence[str], groups_total: int | None
) -> dict[str, int]:
    """The voiceprint counts of ``group_ids`` now; a group not found no longer exists.

    Uses :func:`check_calls` calls: per group (``group_id`` filter), or one sweep of the
    group list when that needs fewer pages (it stops once every group is found).
    """
    wanted = list(dict.fromkeys(group_ids))
    found: dict[str, int] = {}
    if not wanted:
        return found
    if groups_total is None or len(wanted) <= math.ceil(groups_total / LIST_PAGE):
        for gid in wanted:
            for group in client.list_groups(1, 1, group_id=gid).items:
                if group.id == gid:
                    found[gid] = group.feature_count
        return found
    for group in client.iter_groups(LIST_PAGE):
        if group.id in wanted:
            found[group.id] = group.feature_count
            if len(found) == len(wanted):
                break
    return found


def loaded_groups(widget: QWidget | None) -> tuple[list[VoiceprintGroup], int] | None:
    """The workspace's groups as the main window's groups view holds them, when it holds
    all of them (no search, no "created by me", one page); else None."""
    window = widget.window() if widget is not None else None
    panel = getattr(window, "groups_panel", None)
    model = getattr(panel, "model", None)
    pager = getattr(panel, "pager", None)
    search = getattr(panel, "search_edit", None)
    mine = getattr(panel, "mine_check", None)
    if model is None or pager is None or search is None or mine is None:
        return None
    if getattr(panel, "loading", False) or search.text().strip() or mine.isChecked():
        return None
    records = [g for g in model.records() if isinstance(g, VoiceprintGroup)]
    if pager.total != len(records):
        return None
    return records, pager.total


# -- words -------------------------------------------------------------------------------


class MultiGroupWords(QObject):
    """The sentences with a count in them (a QObject, so that plurals are extracted)."""

    def full(self) -> str:
        """Why a full group is skipped."""
        return self.tr("The group is full (%n voiceprints).", "", MAX_VOICEPRINTS)

    def groups(self, n: int) -> str:
        """ "3 groups"."""
        return self.tr("%n group(s)", "", n)

    def cost(self, calls: int, checks: int, targets: int) -> str:
        """What an enrollment into several groups costs on Coze."""
        return fill(
            self.tr(
                "Adding to %1 makes about %n API call(s) on the Coze account: %2 to check "
                "that the groups still have room, then one upload per group.",
                "",
                calls,
            ),
            self.groups(targets),
            str(checks),
        )

    def row(self, result: GroupResult) -> str:
        """One line of the result list: the group and what happened there."""
        template = {
            WAITING: self.tr("“%1”: waiting"),
            SENDING: self.tr("“%1”: adding…"),  # (on Coze and on this computer alike)
            ADDED: self.tr("“%1”: added"),
            EXISTING: self.tr("“%1”: added (an earlier upload that got no answer had added it)"),
            SKIPPED: self.tr("“%1”: skipped — %2"),
            FAILED: self.tr("“%1”: not added — %2"),
            UNCERTAIN: self.tr("“%1”: not known — %2"),
            NOT_SENT: self.tr("“%1”: not sent — %2"),
        }[result.state]
        return fill(template, result.target.name, result.reason)

    def summary(self, added: int, targets: int) -> str:
        """ "Added to 2 of 3 groups." """
        return fill(self.tr("Added to %1 of %n group(s).", "", targets), str(added))


def row_text(result: GroupResult) -> str:
    """One line of the result list."""
    return MultiGroupWords().row(result)


# -- the picker ----------------------------------------------------------------------------


class GroupPicker(QWidget):
    """The groups to enroll into (see the module docstring).

    Signals:
        changed(): the chosen groups changed.
    """

    changed = Signal()

    def __init__(
        self,
        current: VoiceprintGroup,
        current_count: int | None,
        workspace: Workspace,
        runner: TaskRunner,
        *,
        known: tuple[list[VoiceprintGroup], int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.current = Target(current.id, current.name, current_count)
        self.workspace = workspace
        self.runner = runner
        self.groups_total: int | None = None
        self._loaded = False
        self._alone = False  # no group but this one (said under the list)
        self._load_failed = ""
        self.more_check = QCheckBox(self.tr("Also add to &other groups"))
        self.more_check.setToolTip(
            self.tr("Enroll the same take into several groups: one upload per group.")
        )
        self.more_check.toggled.connect(self.on_more_check_toggled)
        self.list = QListWidget()
        self.list.setVisible(False)
        self.list.setUniformItemSizes(True)
        self.list.itemChanged.connect(self.on_list_item_changed)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setVisible(False)
        self.cost_label = QLabel()
        self.cost_label.setWordWrap(True)
        self.cost_label.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.more_check)
        layout.addWidget(self.list)
        layout.addWidget(self.status_label)
        layout.addWidget(self.cost_label)
        if known is not None:
            self.set_groups(*known)

    # -- state ---------------------------------------------------------------------------

    def multi(self) -> bool:
        """Whether the enrollment goes anywhere but the one group the dialog was opened for."""
        return self.targets() != [self.current]

    def targets(self) -> list[Target]:
        """The groups chosen, the current one first."""
        if not self.more_check.isChecked() or not self._loaded:
            return [self.current]
        chosen = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                chosen.append(item.data(Qt.ItemDataRole.UserRole))
        return chosen

    def problem(self) -> str:
        """Why the enrollment cannot start with this choice ("" when it can)."""
        if self.more_check.isChecked() and not self._loaded:
            return self._load_failed or self.tr("Loading the groups…")
        if not self.targets():
            return self.tr("Tick at least one group.")
        return ""

    def _row_text(self, target: Target) -> str:
        count = target.count if target.count is not None else 0
        text = held_label(target.name, count)
        if target.id == self.current.id:
            text = fill(self.tr("%1 (this group)"), text)
        return text

    def note_added(self, group_ids: set[str]) -> None:
        """Count one more voiceprint in each of ``group_ids`` (an enrollment went there)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            target = item.data(Qt.ItemDataRole.UserRole)
            if not isinstance(target, Target) or target.id not in group_ids:
                continue
            target = Target(target.id, target.name, (target.count or 0) + 1)
            if target.id == self.current.id:
                self.current = target
            item.setData(Qt.ItemDataRole.UserRole, target)
            item.setText(self._row_text(target))

    def set_groups(self, groups: Sequence[VoiceprintGroup], total: int) -> None:
        """List ``groups`` (the workspace's, ``total`` in all) with their counts."""
        self.groups_total = total
        self._loaded = True
        self.list.blockSignals(True)
        self.list.clear()
        full_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        others = [g for g in groups if g.id != self.current.id]
        rows = [self.current, *(Target(g.id, g.name, g.feature_count) for g in others)]
        for target in rows:
            count = target.count if target.count is not None else 0
            is_current = target.id == self.current.id
            text = self._row_text(target)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, target)
            if count >= MAX_VOICEPRINTS and not is_current:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setIcon(full_icon)
                item.setText(fill(self.tr("%1 — full"), text))
                item.setToolTip(
                    fill(
                        self.tr("%1 Delete a voiceprint there first to add another."),
                        MultiGroupWords().full(),
                    )
                )
            else:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if is_current else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        rows_shown = max(1, min(_VISIBLE_ROWS, self.list.count()))
        row_height = max(self.list.sizeHintForRow(0), self.fontMetrics().height() + 6)
        self.list.setFixedHeight(row_height * rows_shown + 2 * self.list.frameWidth() + 2)
        # only this group listed: say why (the tester saw a list of one and no word)
        self.status_label.setText(
            ""
            if others
            else self.tr(
                "This workspace has no other group yet. To add to several groups, close "
                "this, create them first (New group), then add again."
            )
        )
        self._alone = not others
        self.status_label.setVisible(self._alone and self.more_check.isChecked())
        self.changed.emit()

    def set_cost(
        self, budget: CallBudget | None, profile: ConnectionProfile, *, duplicate_check: bool
    ) -> int:
        """Say what the chosen enrollment costs on a Coze account; return the calls."""
        targets = self.targets()
        if not self.multi():
            self.cost_label.setVisible(False)
            return 0
        calls = estimate_calls(len(targets), self.groups_total, duplicate_check=duplicate_check)
        if profile.offline:
            self.cost_label.setVisible(False)
            return calls
        checks = check_calls(len(targets), self.groups_total)
        text = MultiGroupWords().cost(calls, checks, len(targets))
        warning = budget_warning(budget, profile, calls)
        self.cost_label.setText(f"{text} {warning}".strip())
        self.cost_label.setVisible(True)
        return calls

    def ask_before(
        self,
        parent: QWidget,
        budget: CallBudget | None,
        profile: ConnectionProfile,
        go_on: Callable[[], None],
    ) -> QMessageBox | None:
        """Before enrolling into the chosen groups: say the cost, and on a Coze account
        whose calls would pass the free plan ask first (the box is returned; ``go_on``
        runs if the operator goes on). Otherwise ``go_on`` runs now and None is returned.
        """
        calls = self.set_cost(budget, profile, duplicate_check=False)
        box = None if profile.offline else confirm_budget(parent, budget, profile, calls, go_on)
        if box is None:
            go_on()
        return box

    def set_locked(self, locked: bool) -> None:
        """Stop changes (while and after sending)."""
        self.more_check.setEnabled(not locked)
        self.list.setEnabled(not locked)

    # -- slots ---------------------------------------------------------------------------

    @Slot(bool)
    def on_more_check_toggled(self, checked: bool) -> None:
        self.list.setVisible(checked and self._loaded)
        if self._loaded:
            self.status_label.setVisible(checked and self._alone)
        if checked and not self._loaded:
            self._load()
        self.changed.emit()

    @Slot(QListWidgetItem)
    def on_list_item_changed(self, _item: QListWidgetItem) -> None:
        self.changed.emit()

    def _load(self) -> None:
        workspace = self.workspace
        self._load_failed = ""
        self.status_label.setText(self.tr("Loading the groups…"))
        self.status_label.setVisible(True)

        def load(_ctx: TaskContext) -> list[VoiceprintGroup]:
            return list(workspace.coze().iter_groups(LIST_PAGE))

        def loaded(result: list[VoiceprintGroup]) -> None:
            self.set_groups(result, len(result))
            self.list.setVisible(self.more_check.isChecked())

        def failed(exc: BaseException) -> None:
            self._load_failed = fill(
                self.tr("The groups could not be listed: %1 Untick and tick again to retry."),
                describe_error(exc).message,
            )
            self.status_label.setText(self._load_failed)
            self.changed.emit()

        self.runner.submit("picker_groups", load, loaded, on_failure=failed)


# -- the run ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnrollRequest:
    """What to enroll: the take and the voiceprint's name and description."""

    name: str
    path: str
    desc: str = ""
    sample_rate: int | None = None
    channels: int | None = None


class MultiEnroll(QObject):
    """Enrolls one take into several groups, one after the other (see the module docstring).

    Signals:
        changed(): a group's state changed.
        progress(int, int): bytes sent of the upload in flight.
        finished(): the run or retry ended.
    """

    changed = Signal()
    progress = Signal(int, int)
    finished = Signal()

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.results: list[GroupResult] = []
        self.running = False
        self.failure = ""  # why the run stopped before any upload (the count check failed)
        self._token: CancelToken | None = None
        self._cancelled = False
        self._workspace: Workspace | None = None
        self._journal: pending.PendingJournal | None = None
        self._request: EnrollRequest | None = None
        self._groups_total: int | None = None
        self._targets: list[Target] = []

    @property
    def sending(self) -> int:
        """The index of the group being sent (-1: none)."""
        return next((i for i, r in enumerate(self.results) if r.state == SENDING), -1)

    def start(
        self,
        workspace: Workspace,
        journal: pending.PendingJournal,
        targets: Sequence[Target],
        request: EnrollRequest,
        *,
        groups_total: int | None,
    ) -> None:
        """Check the groups' counts now, then upload into each that has room."""
        self._workspace, self._journal, self._request = workspace, journal, request
        self._groups_total = groups_total
        self._targets = list(targets)
        self.results = [GroupResult(t) for t in targets]
        self._begin()
        ids = [t.id for t in targets]

        def check(_ctx: TaskContext) -> dict[str, int]:
            return fresh_counts(workspace.coze(), ids, groups_total)

        def checked(counts: dict[str, int]) -> None:
            words = MultiGroupWords()
            for i, result in enumerate(self.results):
                count = counts.get(result.target.id)
                target = replace(result.target, count=count)
                if count is None:
                    reason = QCoreApplication.translate("MultiGroup", "The group no longer exists.")
                    self.results[i] = GroupResult(target, SKIPPED, reason)
                elif count >= MAX_VOICEPRINTS:
                    self.results[i] = GroupResult(target, SKIPPED, words.full())
                else:
                    self.results[i] = GroupResult(target)
            self.changed.emit()
            self._next()

        def failed(exc: BaseException) -> None:
            self.failure = describe_error(exc).message
            self.results = [GroupResult(t, NOT_SENT, self.failure) for t in targets]
            self._end()

        self.runner.submit("multi_check", check, checked, on_failure=failed)

    def retry(self) -> None:
        """Send again to the groups that failed, got no answer or were not sent."""
        if self.running or not any(r.retryable for r in self.results):
            return
        workspace, journal, request = self._workspace, self._journal, self._request
        if self.failure and workspace and journal and request:  # the count check failed
            self.start(workspace, journal, self._targets, request, groups_total=self._groups_total)
            return
        self.results = [GroupResult(r.target) if r.retryable else r for r in self.results]
        self._begin()
        self._next()

    def cancel(self) -> None:
        """Stop the upload in flight and the groups not sent yet."""
        if not self.running:
            return
        self._cancelled = True
        if self._token is not None:
            self._token.cancel()
        if self.sending < 0:  # still checking the counts
            self.runner.cancel("multi_check")
            self._stop_waiting()
            self._end()

    def _begin(self) -> None:
        self.running = True
        self.failure = ""
        self._cancelled = False
        self.changed.emit()

    def _end(self) -> None:
        self.running = False
        self._token = None
        self.changed.emit()
        self.finished.emit()

    def _stop_waiting(self) -> None:
        reason = QCoreApplication.translate("MultiGroup", "cancelled before its upload.")
        self.results = [
            GroupResult(r.target, NOT_SENT, reason) if r.state == WAITING else r
            for r in self.results
        ]

    def _next(self) -> None:
        if self._cancelled:
            self._stop_waiting()
        index = next((i for i, r in enumerate(self.results) if r.state == WAITING), -1)
        if index < 0:
            self._end()
            return
        workspace, journal, request = self._workspace, self._journal, self._request
        assert workspace is not None and journal is not None and request is not None
        target = self.results[index].target
        token = CancelToken()
        self._token = token
        self.results[index] = GroupResult(target, SENDING)
        self.changed.emit()

        def send(ctx: TaskContext) -> pending.CreateOutcome:
            report = ProgressThrottle(ctx.progress)
            audio = AudioUpload.from_path(request.path, request.sample_rate, request.channels)
            report(0, audio.size)

            def progress(done: int, total: int) -> None:
                if ctx.cancelled:  # the owner closed: stop the upload too
                    token.cancel()
                report(done, total)

            return pending.create_once(  # journalled per group: never added twice
                workspace.coze(),
                journal,
                connection=pending.connection_key(workspace.coze_profile),
                group_id=target.id,
                group_name=target.name,
                name=request.name,
                audio=audio,
                desc=request.desc or None,
                progress=progress,
                cancel=token,
            )

        def sent(outcome: pending.CreateOutcome) -> None:
            state = EXISTING if outcome.existing else ADDED
            self.results[index] = GroupResult(target, state, "", outcome.id)
            self._next()

        def failed(exc: BaseException) -> None:
            self.results[index] = _failure(target, exc, request.name)
            self._next()

        self.runner.submit(
            "multi_upload", send, sent, on_failure=failed, on_progress=self._on_progress
        )

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.emit(done, total)


def _failure(target: Target, exc: BaseException, name: str) -> GroupResult:
    """The result of a group whose upload failed, in words."""
    if isinstance(exc, UploadCancelledError) and not exc.request_sent:
        return GroupResult(target, NOT_SENT, pending.cancelled_text())
    if pending.uncertain_failure(exc):
        return GroupResult(target, UNCERTAIN, pending.uncertain_text(name))
    said = describe_error(exc)
    if isinstance(exc, pending.StillSettlingError):
        # nothing was sent: when to try again
        return GroupResult(target, FAILED, sentences(said.message, said.next_step))
    return GroupResult(target, FAILED, said.message)


# -- the result ---------------------------------------------------------------------------


class ResultList(QListWidget):
    """One line per group: what happened there."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setVisible(False)
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)

    def show_results(self, results: Sequence[GroupResult]) -> None:
        """Show ``results`` (one row each)."""
        style = self.style()
        ok = style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton)
        bad = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        skip = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        busy = style.standardIcon(QStyle.StandardPixmap.SP_ArrowUp)
        wait = style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        self.clear()
        for result in results:
            icon = {
                ADDED: ok,
                EXISTING: ok,
                SKIPPED: skip,
                SENDING: busy,
                WAITING: wait,
            }.get(result.state, bad)
            item = QListWidgetItem(icon, row_text(result))
            item.setToolTip(row_text(result))
            self.addItem(item)
        line = self.fontMetrics().height() + 6
        shown = sum(max(self.sizeHintForRow(i), line) for i in range(self.count()))
        self.setFixedHeight(min(shown, _RESULT_HEIGHT) + 2 * self.frameWidth() + 4)
        self.setVisible(bool(results))

    def lines(self) -> list[str]:
        """The text of every row (for tests and for copying)."""
        return [self.item(i).text() for i in range(self.count())]
