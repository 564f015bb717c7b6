"""The call budget on screen: the count, the plan, the token's age, the warning before a job.

* :class:`CallBudgetLabel` -- a status-bar label: the Coze calls counted for the
  active profile ("Coze calls: 123 of 500"), red when few are left;
* :class:`BudgetBox` -- in the token dialog: the count, the plan picker (unknown,
  free: 500 calls in all, paid), "Reset count", and when the token was saved;
* :func:`budget_warning` -- the sentence a confirmation adds when a job would go past
  the free plan's 500 calls; :func:`confirm_budget` asks it on its own (identify);
* :func:`token_reminder_text` -- "the token expires in N days" once fewer than five
  of its 30 days are left.

Reads are from memory (:class:`~voiceprint_studio.settings.call_budget.CallBudget`
keeps the file's content); writes (plan, reset) run on a worker.

Signals:
    CallBudgetLabel.changed(str): an account's count changed (emitted from any thread,
        delivered on the GUI thread).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from voiceprint_studio.settings.call_budget import (
    FREE_PLAN_CALLS,
    PLANS,
    TOKEN_LIFETIME_DAYS,
    CallBudget,
    account_key,
)
from voiceprint_studio.settings.profiles import ConnectionProfile
from voiceprint_studio.ui.common.confirm import ask_to_confirm
from voiceprint_studio.ui.common.text import sentences
from voiceprint_studio.ui.common.worker import TaskRunner

_WARNING_STYLE = "color: #7a4d00;"
_ERROR_STYLE = "color: #b00020;"
# Below this many calls left, the label turns red.
LOW_CALLS = 50


class CallBudgetText(QObject):
    """This module's sentences with a count in them (plural forms need ``self.tr``)."""

    def warning(self, calls: int, remaining: int) -> str:
        """The job needs ``calls`` calls but only ``remaining`` are left."""
        return (
            self.tr(
                "Careful: this needs about %n API call(s), but only %1 of the free plan's %2 "
                "calls are left by this app's count. When they are used up, Coze locks the "
                "account out of the API. If the account has a paid plan, say so in "
                "Connection > Token….",
                "",
                calls,
            )
            .replace("%1", str(remaining))
            .replace("%2", str(FREE_PLAN_CALLS))
        )

    def expires_in(self, days: int) -> str:
        """The token expires in about ``days`` days."""
        return self.tr(
            "The Coze token expires in about %n day(s) (tokens last at most 30 days). "
            "Create a new one on the Coze website before then.",
            "",
            days,
        )

    def calls_made(self, calls: int) -> str:
        """The app has made ``calls`` calls with the connection."""
        return self.tr("This app has made %n API call(s) with this connection.", "", calls)

    def calls_left(self, calls: int) -> str:
        """About ``calls`` calls are left."""
        return self.tr("About %n call(s) left on the free plan.", "", calls)

    def saved_ago(self, days: int) -> str:
        """The token was saved ``days`` days ago (today: 0)."""
        if days <= 0:
            return self.tr("The token was saved today (Coze tokens last at most 30 days).")
        return self.tr(
            "The token was saved %n day(s) ago (Coze tokens last at most 30 days).", "", days
        )


def count_text(budget: CallBudget, profile: ConnectionProfile) -> str:
    """ "Coze calls: 123 of 500" (limit known) or "Coze calls: 123"."""
    calls = budget.state(profile).calls
    limit = budget.limit(profile)
    if limit is None:
        return QCoreApplication.translate("CallBudget", "Coze calls: %1").replace("%1", str(calls))
    return (
        QCoreApplication.translate("CallBudget", "Coze calls: %1 of %2")
        .replace("%1", str(calls))
        .replace("%2", str(limit))
    )


def budget_warning(budget: CallBudget | None, profile: ConnectionProfile, calls: int) -> str:
    """What to add to a job's confirmation when ``calls`` more would cross the limit; "".

    Counts are this app's own (Coze does not report them): the sentence says so.
    """
    if budget is None or not budget.loaded or not budget.would_cross(profile, calls):
        return ""
    remaining = budget.remaining(profile) or 0
    return CallBudgetText().warning(calls, remaining)


def confirm_budget(
    parent: QWidget,
    budget: CallBudget | None,
    profile: ConnectionProfile,
    calls: int,
    go_on: Callable[[], None],
) -> QMessageBox | None:
    """Ask before a job of ``calls`` calls that would cross the limit; None when no need.

    The question is window-modal and non-blocking; ``go_on`` runs when the operator
    chooses to continue. The caller stops when a box is returned.
    """
    warning = budget_warning(budget, profile, calls)
    if not warning:
        return None
    box, _go = ask_to_confirm(
        parent,
        title=QCoreApplication.translate("CallBudget", "Call budget"),
        text=warning,
        act=QCoreApplication.translate("CallBudget", "Continue"),
        on_act=go_on,
        destructive=False,
    )
    return box


def token_reminder_text(budget: CallBudget | None, profile: ConnectionProfile) -> str:
    """The reminder to create a new token soon (or that it has probably expired); ""."""
    if budget is None or not budget.loaded:
        return ""
    left = budget.token_reminder(profile)
    if left is None:
        return ""
    if left == 0:
        return (
            QCoreApplication.translate(
                "CallBudget",
                "The Coze token was saved %1 days ago; Coze tokens last at most %2 days, so it "
                "has probably expired. Create a new one and paste it in Connection > Token….",
            )
            .replace("%1", str(budget.token_age_days(profile)))
            .replace("%2", str(TOKEN_LIFETIME_DAYS))
        )
    return CallBudgetText().expires_in(left)


class CallBudgetLabel(QLabel):
    """The active Coze profile's call count, for the status bar (hidden offline).

    Signals:
        changed(str): an account's count changed (thread-safe to emit).
    """

    changed = Signal(str)

    def __init__(self, budget: CallBudget | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.budget = budget
        self.profile: ConnectionProfile | None = None
        self.changed.connect(self.on_changed)
        if budget is not None:
            budget.listener = self.changed.emit
        self.setToolTip(
            QCoreApplication.translate(
                "CallBudget",
                "API calls this app has made with this connection (retries included). "
                "Coze's free plan allows 500 calls in all.",
            )
        )
        self.setVisible(False)

    def set_profile(self, profile: ConnectionProfile) -> None:
        """Show the count of ``profile`` (the active Coze profile)."""
        self.profile = profile
        self.refresh()

    def refresh(self) -> None:
        """Re-read the count (from memory)."""
        profile = self.profile
        if self.budget is None or not self.budget.loaded or profile is None or profile.offline:
            self.setVisible(False)
            return
        self.setText(count_text(self.budget, profile))
        remaining = self.budget.remaining(profile)
        self.setStyleSheet(_ERROR_STYLE if remaining is not None and remaining < LOW_CALLS else "")
        self.setVisible(True)

    @Slot(str)
    def on_changed(self, key: str) -> None:
        if self.profile is not None and key == account_key(self.profile):
            self.refresh()


class BudgetBox(QWidget):
    """The token dialog's part about calls: count, plan, reset, token age."""

    def __init__(self, budget: CallBudget | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.budget = budget
        self.profile: ConnectionProfile | None = None
        self.runner = TaskRunner(parent=self)
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)
        self.plan_combo = QComboBox()
        labels = {
            "unknown": QCoreApplication.translate(
                "CallBudget", "Not sure (count against the free plan's 500)"
            ),
            "free": QCoreApplication.translate("CallBudget", "Free (500 API calls in all)"),
            "paid": QCoreApplication.translate("CallBudget", "Paid (no fixed total)"),
        }
        for plan in PLANS:
            self.plan_combo.addItem(labels[plan], plan)
        self.plan_combo.activated.connect(self.on_plan_combo_activated)
        self.reset_button = QPushButton(QCoreApplication.translate("CallBudget", "Reset count"))
        self.reset_button.setToolTip(
            QCoreApplication.translate(
                "CallBudget", "Start counting from 0, e.g. after saving a token of another account."
            )
        )
        self.reset_button.clicked.connect(self.on_reset_button_clicked)
        self.age_label = QLabel()
        self.age_label.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.plan_combo, 1)
        row.addWidget(self.reset_button)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        plan_label = QLabel(QCoreApplication.translate("CallBudget", "Coze &plan:"))
        plan_label.setBuddy(self.plan_combo)
        form.addRow(plan_label, row)
        form.addRow(self.count_label)
        form.addRow(self.age_label)
        self.setVisible(False)

    # Whether a token is saved for the profile now (its age is shown only then).
    token_present = True

    def set_profile(self, profile: ConnectionProfile) -> None:
        """Show ``profile``'s budget (shown for Coze only)."""
        self.profile = profile
        self.refresh()

    def refresh(self) -> None:
        """Re-read from memory."""
        budget, profile = self.budget, self.profile
        if (
            budget is None
            or not budget.loaded
            or profile is None
            or profile.service != "coze"
            or profile.offline
        ):
            self.setVisible(False)
            return
        state = budget.state(profile)
        self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(state.plan)))
        remaining = budget.remaining(profile)
        words = CallBudgetText()
        text = words.calls_made(state.calls)
        if remaining is not None:
            text = sentences(text, words.calls_left(remaining))  # (no gap after "。")
        self.count_label.setText(text)
        # (the token's age only while one is saved: with no keyring it is gone after a
        # restart, and "no token saved" sat beside "saved 0 days ago")
        age = budget.token_age_days(profile) if self.token_present else None
        reminder = token_reminder_text(budget, profile) if self.token_present else ""
        if reminder:
            self.age_label.setText(reminder)
            self.age_label.setStyleSheet(_WARNING_STYLE)
        elif age is not None:
            self.age_label.setText(CallBudgetText().saved_ago(age))
            self.age_label.setStyleSheet("")
        else:
            self.age_label.setText("")
        self.setVisible(True)

    @Slot(int)
    def on_plan_combo_activated(self, index: int) -> None:
        budget, profile = self.budget, self.profile
        if budget is None or profile is None:
            return
        plan = str(self.plan_combo.itemData(index))
        self.runner.submit(
            "plan", lambda _ctx: budget.set_plan(profile, plan), lambda _s: self.refresh()
        )

    @Slot()
    def on_reset_button_clicked(self) -> None:
        budget, profile = self.budget, self.profile
        if budget is None or profile is None:
            return
        self.runner.submit(
            "reset", lambda _ctx: budget.reset_calls(profile), lambda _s: self.refresh()
        )
