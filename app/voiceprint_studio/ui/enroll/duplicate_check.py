"""The duplicate check before enrolling: is this voice already in the group?

Used by both enrollment paths, the add-voiceprint dialog
(:mod:`~voiceprint_studio.ui.enroll.voiceprint_dialogs`) and the enrollment wizard
(:mod:`~voiceprint_studio.ui.enroll.enroll_wizard`):

* :class:`DuplicateCheckBox` is the "Check first that this voice is not already
  enrolled" check box. It starts from the setting of the workspace kind (on by
  default offline, off on Coze, where the check is one billed identify call) and
  remembers a change in that setting.
* :class:`DuplicateCheck` runs the check on the owner's
  :class:`~voiceprint_studio.ui.common.worker.TaskRunner`: it counts the group's
  voiceprints (a free list call; an empty group needs no check), identifies the
  take against the group with a small ``top_k`` and, when the best score is
  above the identify threshold preference, asks with a warning in the words of
  the identify verdict (:mod:`voiceprint_studio.api.verdict`): "most likely
  <name>", or "sounds like both <a> and <b>" on a near tie, with the numbers
  that made it: "Enroll anyway" or "Don't enroll". When the check
  itself fails it says so and offers to enroll anyway. The take stays on disk
  whatever the answer.

Decisions where the issue was silent:

* A score is a match when it is strictly above the threshold, as in the identify
  dialog (:func:`~voiceprint_studio.api.verdict.passes`); a near tie between two
  voiceprints above it still warns (the voice may be either).
* Replacing the audio of a voiceprint is checked too, but that voiceprint itself
  is left out of the match (its old recording is about to be discarded).
* A take whose check passed (or that the operator chose to enroll anyway) is not
  checked again when its upload is retried: on Coze that would bill again.
* A file the client refuses before sending (too large, not a wav) is not a check
  failure: the enrollment goes ahead and its upload reports the problem as usual.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QMessageBox, QWidget

from voiceprint_studio.api import (
    AudioUpload,
    CancelToken,
    FeatureScore,
    LocalValidationError,
    UploadCancelledError,
)
from voiceprint_studio.api.verdict import VerdictKind, decide
from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.preferences import Option, Preferences
from voiceprint_studio.ui.common.errors import describe_error
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.common.text import fill, sentences
from voiceprint_studio.ui.common.worker import TaskCancelledError, TaskContext, TaskRunner

# How many of the closest voiceprints the check asks for (the best one decides).
CHECK_TOP_K = 3
# The runner key of the check.
TASK_KEY = "duplicate_check"


def duplicate_check_option(offline: bool) -> Option[bool]:
    """The setting that holds whether to check, for an offline or a Coze workspace."""
    return prefs.DUPLICATE_CHECK_OFFLINE if offline else prefs.DUPLICATE_CHECK_COZE


class DuplicateCheckBox(QCheckBox):
    """The check box that turns the duplicate check on or off; remembers the choice.

    Signals: those of QCheckBox.
    """

    def __init__(
        self, preferences: Preferences | None, offline: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._preferences = preferences
        self._option = duplicate_check_option(offline)
        if offline:
            self.setText(
                self.tr("Check first that this voice is not already enrolled in the group")
            )
            self.setToolTip(
                self.tr(
                    "Before enrolling, the take is identified against the group's voiceprints "
                    "with the built-in model; you are warned if it matches one."
                )
            )
        else:
            self.setText(
                self.tr(
                    "Check first that this voice is not already enrolled in the group "
                    "(one identify call, billed)"
                )
            )
            self.setToolTip(
                self.tr(
                    "Before enrolling, the take is identified against the group's voiceprints "
                    "on Coze (billed as one identification); you are warned if it matches one."
                )
            )
        default = self._option.default
        self.setChecked(preferences.get(self._option) if preferences is not None else default)
        self.toggled.connect(self.on_toggled)

    @Slot(bool)
    def on_toggled(self, checked: bool) -> None:
        if self._preferences is not None:
            self._preferences.set(self._option, checked)


@dataclass(frozen=True)
class CheckRequest:
    """What to check: a take (a file, with its pcm layout) against one group."""

    group_id: str
    group_name: str
    path: str
    sample_rate: int | None = None
    channels: int | None = None
    # A voiceprint left out of the match (the one whose audio is being replaced).
    exclude_id: str = ""

    @property
    def key(self) -> tuple[str, str, int | None, int | None, str]:
        """What identifies the take and group (a take cleared once is not checked again)."""
        return (self.group_id, self.path, self.sample_rate, self.channels, self.exclude_id)


def check_task(
    workspace: Workspace, request: CheckRequest, token: CancelToken
) -> tuple[FeatureScore, ...] | None:
    """The work of one check (call on a worker): the scores, or None when there is no one to
    match (an empty group, or only the voiceprint being replaced)."""
    upload = AudioUpload.from_path(request.path, request.sample_rate, request.channels)
    client = workspace.coze()
    others = client.list_voiceprints(request.group_id, 1, 1).total
    if request.exclude_id:
        others -= 1
    if others <= 0:
        return None
    token.raise_if_cancelled()
    top_k = CHECK_TOP_K + (1 if request.exclude_id else 0)
    scores = client.identify(request.group_id, upload, top_k=top_k, cancel=token)
    return tuple(s for s in scores if s.feature_id != request.exclude_id)


class DuplicateCheck(QObject):
    """Runs the duplicate check for one enrollment dialog and asks when it matters.

    The owner calls :meth:`start` when the operator confirms enrolling; exactly one
    of ``enroll_confirmed`` or ``enroll_declined`` follows (unless the owner calls
    :meth:`shutdown`).

    Signals:
        enroll_confirmed(): go ahead and enroll (no match, nothing to match against,
            or the operator chose "Enroll anyway").
        enroll_declined(str): do not enroll; a sentence for the owner to show.
        state_changed(): the check started or ended, or its question opened or closed.
    """

    enroll_confirmed = Signal()
    enroll_declined = Signal(str)
    state_changed = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        preferences: Preferences | None,
        owner: QWidget,
    ) -> None:
        super().__init__(owner)
        self._runner = runner
        self._preferences = preferences
        self._owner = owner
        self._token: CancelToken | None = None
        self._request: CheckRequest | None = None
        self._cleared: set[tuple[str, str, int | None, int | None, str]] = set()
        # The question shown last (a duplicate warning or "the check could not run").
        self.message_box: QMessageBox | None = None
        self.enroll_anyway_button: QAbstractButton | None = None
        self.dont_enroll_button: QAbstractButton | None = None
        # The best match of the last check, when it was a match.
        self.match: FeatureScore | None = None

    # -- state -------------------------------------------------------------------------

    @property
    def checking(self) -> bool:
        """Whether the identify call is in flight."""
        return self._runner.in_flight(TASK_KEY) and self._token is not None

    @property
    def asking(self) -> bool:
        """Whether the warning (or the "could not run" question) is open."""
        return self.message_box is not None and self.message_box.isVisible()

    @property
    def busy(self) -> bool:
        """Whether the check is running or waiting for the operator's answer."""
        return self._request is not None

    def threshold(self) -> int:
        """The hit threshold (the identify dialog's preference)."""
        if self._preferences is None:
            return prefs.IDENTIFY_THRESHOLD.default
        return min(100, max(0, self._preferences.get(prefs.IDENTIFY_THRESHOLD)))

    def needed(self, request: CheckRequest) -> bool:
        """Whether ``request`` still needs checking (not cleared before)."""
        return request.key not in self._cleared

    # -- running -----------------------------------------------------------------------

    def start(self, workspace: Workspace, request: CheckRequest) -> None:
        """Check ``request`` on a worker; then confirm, ask, or decline (see the signals)."""
        if self.busy:
            return
        token = CancelToken()
        self._token = token
        self._request = request
        self.match = None

        def task(ctx: TaskContext) -> tuple[FeatureScore, ...] | None:
            if ctx.cancelled:
                raise TaskCancelledError
            return check_task(workspace, request, token)

        self._runner.submit(
            TASK_KEY,
            task,
            self._on_checked,
            on_failure=self._on_failed,
            on_finished=self._on_finished,
        )
        self.state_changed.emit()

    def cancel(self) -> None:
        """Stop the check in flight (nothing is enrolled); the owner is told by a signal."""
        if self._request is None or self.asking:
            return
        if self._token is not None:
            self._token.cancel()
        self._runner.cancel(TASK_KEY)
        self._token = None
        self._end()
        self.enroll_declined.emit(
            self.tr("The duplicate check was cancelled; nothing was enrolled.")
        )

    def shutdown(self) -> None:
        """The owner closes: stop the check and close the question, without signals."""
        if self._token is not None:
            self._token.cancel()
        self._runner.cancel(TASK_KEY)
        self._token = None
        self._request = None
        box, self.message_box = self.message_box, None
        if box is not None:
            box.finished.disconnect()
            box.close()

    def _end(self) -> None:
        self._request = None
        self.state_changed.emit()

    def _on_finished(self) -> None:
        self._token = None
        self.state_changed.emit()

    def _on_checked(self, result: object) -> None:
        request = self._request
        if request is None:
            return
        self._token = None
        # Imported here: the identify dialog's module is not needed at start-up.
        from voiceprint_studio.ui.identify.identify_dialog import score_name, verdict_details

        scores = tuple(result) if isinstance(result, tuple) else ()
        verdict = decide(scores, float(self.threshold()))
        best, runner_up = verdict.best, verdict.runner_up
        if best is None or not verdict.is_match:
            self._confirm(request)
            return
        self.match = best
        if verdict.kind is VerdictKind.CANT_TELL and runner_up is not None:
            text = fill(
                self.tr(
                    "This voice may already be enrolled in the group “%1”: it sounds like "
                    "both “%2” and “%3”, too close to tell apart."
                ),
                request.group_name,
                score_name(best),
                score_name(runner_up),
            )
        else:
            text = fill(
                self.tr("This voice is most likely “%2”, already enrolled in the group “%1”."),
                request.group_name,
                score_name(best),
            )
        box = self._question(
            QMessageBox.Icon.Warning,
            self.tr("Possible duplicate voiceprint"),
            text,
            verdict_details(verdict)
            + "\n\n"
            + fill(
                self.tr(
                    "Similar voices can score above the threshold too: replace the audio "
                    "anyway if this really is the person of this voiceprint. The recording "
                    "stays on disk either way: %1"
                )
                if request.exclude_id
                else self.tr(
                    "Similar voices can score above the threshold too: enroll it anyway if "
                    "this is a different person. The recording stays on disk either way: %1"
                ),
                request.path,
            ),
            default_enroll=False,
        )
        box.open()
        self.state_changed.emit()

    def _on_failed(self, exc: object) -> None:
        request = self._request
        if request is None:
            return
        self._token = None
        if isinstance(exc, (UploadCancelledError, TaskCancelledError)):
            self._end()
            self.enroll_declined.emit(
                self.tr("The duplicate check was cancelled; nothing was enrolled.")
            )
            return
        if isinstance(exc, LocalValidationError):
            # The file itself is refused: the upload reports that in the usual way.
            self._confirm(request, remember=False)
            return
        assert isinstance(exc, BaseException)
        text = describe_error(exc)
        box = self._question(
            QMessageBox.Icon.Warning,
            self.tr("Duplicate check not done"),
            fill(self.tr("The duplicate check could not run: %1"), text.message),
            sentences(
                text.next_step,
                self.tr(
                    "You can enroll the take without the check, or not enroll it now "
                    "and try again later."
                ),
            ),
            default_enroll=True,
        )
        if text.details:
            box.setDetailedText(text.details)
        box.open()
        self.state_changed.emit()

    def _confirm(self, request: CheckRequest, *, remember: bool = True) -> None:
        if remember:
            self._cleared.add(request.key)
        self._end()
        self.enroll_confirmed.emit()

    def _question(
        self,
        icon: QMessageBox.Icon,
        title: str,
        text: str,
        informative: str,
        *,
        default_enroll: bool,
    ) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, self._owner)
        box.setInformativeText(informative)
        replacing = self._request is not None and bool(self._request.exclude_id)
        enroll = box.addButton(
            self.tr("Replace anyway") if replacing else self.tr("Enroll anyway"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        dont = box.addButton(
            self.tr("Don't replace") if replacing else self.tr("Don't enroll"),
            QMessageBox.ButtonRole.RejectRole,
        )
        box.setDefaultButton(enroll if default_enroll else dont)
        box.setEscapeButton(dont)
        box.finished.connect(self.on_message_box_finished)
        self.message_box = box
        self.enroll_anyway_button = enroll
        self.dont_enroll_button = dont
        return box

    @Slot(int)
    def on_message_box_finished(self, _result: int) -> None:
        box, request = self.message_box, self._request
        self.message_box = None
        if box is None or request is None:
            return
        box.deleteLater()
        if box.clickedButton() is self.enroll_anyway_button:
            self._confirm(request)
            return
        self._end()
        if self.match is not None:
            from voiceprint_studio.ui.identify.identify_dialog import format_score

            reason = fill(
                self.tr(
                    "Not replaced: the voice matches “%1” (score %2). The recording is kept: %3"
                )
                if request.exclude_id
                else self.tr(
                    "Not enrolled: the voice matches “%1” (score %2). The take is kept: %3"
                ),
                self.match.feature_name or self.match.feature_id,
                format_score(self.match.score),
                request.path,
            )
        elif request.exclude_id:
            reason = fill(self.tr("Not replaced. The recording is kept: %1"), request.path)
        else:
            reason = fill(self.tr("Not enrolled. The take is kept: %1"), request.path)
        self.enroll_declined.emit(reason)
