"""Copy or move voiceprints (one, several, whole groups) to a group of any workspace.

:class:`CopyDialog` asks where to (a workspace: the offline one, Coze China, Coze
international, a custom server; and a group there: one that exists, or a group of the
same name, found or created) and whether to copy or move, says how many API calls the
job makes on a Coze account, then runs the job on a worker with a progress bar and
Cancel. The job is :class:`voiceprint_studio.transfer.jobs.Job`: it keeps a journal in
the user data folder, so a job cut short (Cancel, a crash, a lost network) resumes from
the Transfers list without duplicating or losing anything.

Signals:
    finished_job(bool): the job ended; True when everything was done.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from voiceprint_studio.settings import preferences as prefs
from voiceprint_studio.settings.profiles import (
    BUILTIN,
    CUSTOM_COZE_KEY,
    ConnectionProfile,
    find_profile,
)
from voiceprint_studio.transfer.jobs import MAX_PER_GROUP
from voiceprint_studio.ui.common.errors import describe_error, reason_text
from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.common.text import fill, sentences
from voiceprint_studio.ui.common.worker import TaskContext
from voiceprint_studio.ui.enroll.multi_group import held_label
from voiceprint_studio.ui.groups.group_dialogs import NAME_MAX
from voiceprint_studio.ui.shell.connection_dialog import profile_label
from voiceprint_studio.ui.transfer.apart import can_run_apart, run_apart
from voiceprint_studio.ui.transfer.safety_net import keep_moved_originals
from voiceprint_studio.ui.transfer.work_dialog import WorkDialog

if TYPE_CHECKING:
    from voiceprint_studio.api.models import Voiceprint, VoiceprintGroup
    from voiceprint_studio.transfer.jobs import JobProgress, JobResult, PlanItem, Progress
    from voiceprint_studio.transfer.reasons import Reason

# Calls in all on Coze's free plan.
FREE_PLAN_CALLS = 500
# The window's lists after a job changed the workspace it shows (its page of groups, the
# group shown): counted in what a job says it spends, as the operator sees them counted.
WINDOW_RELOAD_CALLS = 2
# The group list's entry "A new group…" (a group id is never this).
NEW_GROUP = "\x00new"

Selection = Sequence[tuple["VoiceprintGroup", "Sequence[Voiceprint] | None"]]


def jobs_folder(services: AppServices) -> Path:
    """Where transfer jobs keep their journals and staged audio (the user data folder)."""
    return services.offline.data_dir.parent / "jobs"


class TransferWords(QObject):
    """The transfer dialogs' shared sentences (a QObject, so that plurals are extracted)."""

    def new_group_problem(self, typed: str, listed: Sequence[str], own: Sequence[str] = ()) -> str:
        """Why ``typed`` cannot name a new group, in words; empty when it can. ``listed``:
        the names of the target's groups; ``own``: those of the groups the voiceprints
        are in (the copy dialog's and the import dialog's "A new group…")."""
        name = typed.strip()
        if not name:
            return self.tr("Enter a name for the new group.")
        if len(name) > NAME_MAX:
            return self.tr("The name is too long: use at most %n character(s).", "", NAME_MAX)
        if name in own:
            return fill(
                self.tr("“%1” is the group they are in: give the new group another name."),
                name,
            )
        if name in listed:
            return fill(
                self.tr("A group named “%1” exists already: choose it in the list instead."),
                name,
            )
        return ""

    def voiceprints(self, n: int) -> str:
        """ "3 voiceprints"."""
        return self.tr("%n voiceprint(s)", "", n)

    def groups(self, n: int) -> str:
        """ "2 groups"."""
        return self.tr("%n group(s)", "", n)

    def selection(self, selection: Selection) -> str:
        """What is being copied, in words."""
        if len(selection) == 1 and selection[0][1] is None:
            return fill(self.tr("The group “%1” with all its voiceprints"), selection[0][0].name)
        if all(chosen is None for _, chosen in selection):
            return self.tr("%n group(s) with all their voiceprints", "", len(selection))
        count = sum(len(chosen or ()) for _, chosen in selection)
        picked = [v for _, chosen in selection for v in chosen or ()]
        if len(picked) == 1:  # named: which one is plain at a glance
            return fill(
                self.tr("The voiceprint “%1” from the group “%2”"),
                picked[0].name,
                selection[0][0].name,
            )
        return fill(
            self.tr("%1 from the group “%2”"), self.voiceprints(count), selection[0][0].name
        )

    def result(self, result: JobResult) -> str:
        """What a job did, in a sentence or two."""
        parts = [self.tr("%n created", "", len(result.created))]
        if result.existed:  # (said when there were some: "0 already there" reads as noise)
            parts.append(self.tr("%n already there", "", len(result.existed)))
        if result.sources_deleted:
            parts.append(self.tr("%n original(s) deleted", "", len(result.sources_deleted)))
        if result.done_earlier:
            parts.append(self.tr("%n done by an earlier run", "", result.done_earlier))
        lines = [fill(self.tr("%1."), self.tr("; ").join(parts))]
        lines += self._per_reason(
            result.skipped, self.tr("Skipped “%1”: %2"), self.tr("Skipped %1: %2")
        )
        lines += self._per_reason(
            result.failed, self.tr("Not done “%1”: %2"), self.tr("Not done %1: %2")
        )
        if result.cancelled:
            lines.append(
                self.tr("Cancelled. What was done is kept; resume the rest from File > Transfers.")
            )
        elif result.failed:
            lines.append(
                self.tr(
                    "Resume from File > Transfers to try the rest again; nothing is duplicated."
                )
            )
        return "\n".join(lines)

    def _per_reason(self, pairs: list[tuple[PlanItem, Reason]], one: str, many: str) -> list[str]:
        """One line per reason: the items that share it named together (a rejected token
        gave the same long sentence for each of eight items)."""
        named: dict[str, list[str]] = {}
        for item, why in pairs:
            named.setdefault(reason_text(why), []).append(item.name)
        lines = []
        for said, names in named.items():
            if len(names) == 1:
                lines.append(fill(one, names[0], said))
                continue
            shown = [fill(self.tr("“%1”"), name) for name in names[:NAMES_SHOWN]]
            if len(names) > NAMES_SHOWN:
                shown.append(self.tr("%n more", "", len(names) - NAMES_SHOWN))
            listed = fill(
                self.tr("%1 voiceprints (%2)"),
                str(len(names)),
                QLocale().createSeparatedList(shown),
            )
            lines.append(fill(many, listed, said))
        return lines


# Names listed for a reason several items share (the rest are counted).
NAMES_SHOWN = 3


def words() -> TransferWords:
    """The shared sentences (a new object each time: they follow the current language)."""
    return TransferWords()


def describe_selection(selection: Selection) -> str:
    """What is being copied, in words."""
    return words().selection(selection)


def result_text(result: JobResult) -> str:
    """What a job did, in a sentence or two."""
    return words().result(result)


def add_new_group_item(combo: QComboBox) -> None:
    """The entry "A new group…" at the end of a list of target groups (the copy dialog's
    and the import dialog's)."""
    combo.addItem(QCoreApplication.translate("CopyDialog", "A new group…"), NEW_GROUP)


def add_new_group_row(form: QFormLayout) -> QLineEdit:
    """The new group's name box as a row of ``form``, hidden until "A new group…" is
    chosen (the copy dialog's and the import dialog's)."""
    edit = QLineEdit()
    edit.setPlaceholderText(QCoreApplication.translate("CopyDialog", "For example: Bedroom"))
    title = QLabel(QCoreApplication.translate("CopyDialog", "New group's &name:"))
    title.setBuddy(edit)
    form.addRow(title, edit)
    form.setRowVisible(edit, False)
    return edit


class CopyDialog(WorkDialog):
    """Where to copy or move the selection, and the job's progress (see the module doc)."""

    def __init__(
        self,
        services: AppServices,
        source: Workspace,
        selection: Selection,
        parent: QWidget | None = None,
        *,
        move: bool = False,
        shown: Callable[[], Mapping[str, tuple[float, Sequence[Voiceprint]]]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.source = source
        self.selection = list(selection)
        # ``shown``: whole groups of the selection the window has listed, as it holds them
        # now: group id -> (when, by ``clock``, its voiceprints); used while fresh (see
        # FRESH_LISTING_SECONDS); asked each time: the dialog is not modal, and the window
        # may list a group again while it is open
        self._source_listed = shown if shown is not None else dict
        self._clock = clock
        self._target: Workspace | None = None
        # what the target's groups hold, by name and by id (as listed, in the service's
        # order), and when they were listed (None: not yet, for the workspace chosen)
        self._listed: dict[str, tuple[str, int]] = {}  # group id -> (name, what it holds)
        self._listed_at: float | None = None
        # says the cost again when a listing gets too old to be used (a call more)
        self._stale_timer = QTimer(self)
        self._stale_timer.setSingleShot(True)
        # on time: a coarse one may come 5 % (6 s) late, when a Start makes the calls the
        # count no longer says
        self._stale_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._stale_timer.timeout.connect(self._update_cost)
        self._job_made = False  # the job's folder exists (File > Transfers can resume it)
        self.warm_job_process(can_run_apart(services))
        self.setWindowTitle(self.tr("Copy or move voiceprints"))
        self.title_label.setText(describe_selection(self.selection))
        self.copy_radio = QRadioButton(self.tr("&Copy (the originals stay)"))
        self.move_radio = QRadioButton(
            self.tr(
                "&Move (each original is deleted once its copy is confirmed; it stays in "
                "Recently deleted for 30 days)"
            )
        )
        modes = QButtonGroup(self)
        modes.addButton(self.copy_radio)
        modes.addButton(self.move_radio)
        (self.move_radio if move else self.copy_radio).setChecked(True)
        self.workspace_combo = QComboBox()
        self._profiles: list[ConnectionProfile] = list(BUILTIN["coze"])
        current = services.coze_profile()
        # the custom server set up in Connection, current or not (the tester could not
        # copy from the offline workspace to it)
        custom = find_profile(
            "coze", CUSTOM_COZE_KEY, services.preferences.get(prefs.COZE_CUSTOM_URL)
        )
        if current.custom:
            self._profiles.append(current)
        elif custom.custom:
            self._profiles.append(custom)
        for profile in self._profiles:
            self.workspace_combo.addItem(profile_label(profile))
        self.group_combo = QComboBox()
        # a group name is at most 20 characters (the groups come after the dialog is on
        # screen): wide enough for 20 wide ones and what the group holds, so that no name
        # is cut
        self.group_combo.setMinimumWidth(
            self.group_combo.fontMetrics().horizontalAdvance("国" * 20 + "  ·  10 / 10")
            + 2 * self.group_combo.iconSize().width()
        )
        self.cost_label = QLabel()
        self.cost_label.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("How:"), self.copy_radio)
        form.addRow("", self.move_radio)
        workspace_title = QLabel(self.tr("To &workspace:"))
        workspace_title.setBuddy(self.workspace_combo)
        form.addRow(workspace_title, self.workspace_combo)
        group_title = QLabel(self.tr("Into &group:"))
        group_title.setBuddy(self.group_combo)
        form.addRow(group_title, self.group_combo)
        # "A new group…" chosen: its name (one device's group copied for another device)
        self.new_group_edit = add_new_group_row(form)
        self._form = form

        self.start_button = QPushButton(self.tr("&Start"))
        self.start_button.setDefault(True)
        self.buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.clicked.connect(self.on_start_button_clicked)

        self.body.addLayout(form)
        self.body.addWidget(self.cost_label)
        self._finish_layout()

        index = next((i for i, p in enumerate(self._profiles) if p.key == current.key), 0)
        self.workspace_combo.setCurrentIndex(index)
        self.workspace_combo.currentIndexChanged.connect(self.on_workspace_combo_changed)
        self.copy_radio.toggled.connect(self._update_cost)
        self.group_combo.currentIndexChanged.connect(self._on_group_chosen)
        self.group_combo.currentIndexChanged.connect(self._update_cost)
        self.group_combo.currentIndexChanged.connect(self._update_room)
        self.new_group_edit.textChanged.connect(self._update_room)
        self.on_workspace_combo_changed(index)

    # -- target ----------------------------------------------------------------------

    def target_profile(self) -> ConnectionProfile:
        """The workspace chosen as the destination."""
        return self._profiles[self.workspace_combo.currentIndex()]

    def _target_workspace(self) -> Workspace:
        profile = self.target_profile()
        if profile == self.source.coze_profile:
            return self.source
        if self._target is None or self._target.coze_profile != profile:
            if self._target is not None:
                self._target.close()
            self._target = self.services.workspace_on(profile)
        return self._target

    def _same_workspace(self) -> bool:
        return self._target_workspace() is self.source

    def changed_source_workspace(self) -> bool:
        """Whether the job may have changed the workspace the voiceprints come from (a
        move deletes there; a copy within it adds there)."""
        return self.move_radio.isChecked() or self._same_workspace()

    @Slot(int)
    def on_workspace_combo_changed(self, _index: int) -> None:
        self._listed_at = None  # (what is listed is another workspace's)
        self.group_combo.clear()
        # in the workspace the voiceprints are in, a group "of the same name" is the
        # group they come from: only the other groups are offered there
        if not self._same_workspace():
            self.group_combo.addItem(self.tr("A group of the same name (found or created)"), "")
        self.group_combo.setEnabled(False)
        self.start_button.setEnabled(self.group_combo.count() > 0)
        self.status_label.setText(self.tr("Loading the groups of that workspace…"))
        target = self._target_workspace()
        self._update_cost()

        def load(_ctx: TaskContext) -> list[tuple[str, str, int]]:
            return [(g.id, g.name, g.feature_count) for g in target.coze().iter_groups()]

        self.runner.submit("groups", load, self._groups_loaded, on_failure=self._groups_failed)

    def _groups_loaded(self, result: object) -> None:
        assert isinstance(result, list)
        if self._running:  # (the list came back after Start: the choice is made)
            return
        own = {g.id for g, _ in self.selection} if self._same_workspace() else set()
        self._listed = {gid: (name, count) for gid, name, count in result}
        self._listed_at = self._clock()
        for gid, name, count in result:
            if gid not in own:
                self.group_combo.addItem(held_label(name, count), gid)
        add_new_group_item(self.group_combo)
        self.group_combo.setEnabled(True)
        self._on_group_chosen()
        self._update_room()
        self._update_cost()
        if self.new_group_edit.isVisible():
            self.new_group_edit.setFocus()  # (the only choice: no other group here)
        else:
            self.group_combo.setFocus()

    def _on_group_chosen(self) -> None:
        new = self.group_combo.currentData() == NEW_GROUP
        self._form.setRowVisible(self.new_group_edit, new)
        if new and self.group_combo.hasFocus():
            self.new_group_edit.setFocus()

    def new_group_problem(self) -> str:
        """Why the new group's name cannot be used, in words; empty when it can."""
        own = {g.id for g, _ in self.selection} if self._same_workspace() else set()
        return words().new_group_problem(
            self.new_group_edit.text(),
            [listed for listed, _count in self._listed.values()],
            [listed for gid, (listed, _n) in self._listed.items() if gid in own],
        )

    def _update_room(self) -> None:
        """Say before Start when the chosen group cannot take them all (each holds at most
        :data:`MAX_PER_GROUP`); Start stays off when none would fit."""
        if self._running or not self.group_combo.isEnabled():
            return
        chosen = self.group_combo.currentData()
        counts = [
            (group.name, len(picked) if picked is not None else group.feature_count or 0)
            for group, picked in self.selection
        ]
        # (name, how many go there, what it holds)
        if chosen == NEW_GROUP:
            problem = self.new_group_problem()
            self.start_button.setEnabled(not problem)
            # (said once something was typed: "Enter a name" before that reads as a reproach)
            self.status_label.setText(problem if self.new_group_edit.text() else "")
            if problem:
                return
            wanted = [(self.new_group_edit.text().strip(), sum(c for _, c in counts), 0)]
        elif chosen:  # all of them into one group
            name, held = self._listed.get(chosen, ("", 0))
            wanted = [(name, sum(count for _, count in counts), held)]
        else:  # each into the group of its name
            by_name = dict(self._listed.values())
            wanted = [(name, count, by_name.get(name, 0)) for name, count in counts]
        short: list[str] = []
        fits_any = False
        for name, count, held in wanted:
            room = max(0, MAX_PER_GROUP - held)
            fits_any = fits_any or room > 0 or count == 0
            if count > room:
                short.append(
                    fill(
                        self.tr(
                            "Only %1 of the %2 voiceprints fit into “%3” (it holds %4 of %5): "
                            "the rest will be skipped."
                        ),
                        str(room),
                        str(count),
                        name,
                        str(held),
                        str(MAX_PER_GROUP),
                    )
                    if room
                    else fill(
                        self.tr("“%1” is full (%2 of %2): choose another group."),
                        name,
                        str(MAX_PER_GROUP),
                    )
                )
        self.start_button.setEnabled(fits_any)
        self.status_label.setText(sentences(*short))

    def _groups_failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        if self._running:
            return
        # a copy there would stop at its first call: Start waits for another choice
        self.start_button.setEnabled(False)
        said = describe_error(exc)
        self.status_label.setText(
            fill(
                self.tr("The groups of that workspace could not be listed: %1"),
                sentences(said.message, said.next_step),
            )
        )

    def fresh_listings(
        self,
    ) -> tuple[dict[str, Sequence[Voiceprint]], list[tuple[str, str]] | None]:
        """What a job started now takes from listings made moments before, instead of
        asking again (see :func:`~voiceprint_studio.transfer.sources.run_copy`): the whole
        groups of the selection the window had listed, by id (not for a move), and the
        target's groups as (id, name), None when they are too old or not listed yet."""
        from voiceprint_studio.transfer.sources import FRESH_LISTING_SECONDS

        now = self._clock()
        whole = {g.id for g, chosen in self.selection if chosen is None}
        # a move lists what it deletes at Start: audio replaced meanwhile by someone else,
        # whose old address still served the old audio, would be moved as the old audio,
        # the new one deleted (and kept nowhere)
        listed = (
            {}
            if self.move_radio.isChecked()
            else {
                gid: voiceprints
                for gid, (at, voiceprints) in self._source_listed().items()
                if gid in whole and now - at <= FRESH_LISTING_SECONDS
            }
        )
        targets = None
        if self._listed_at is not None and now - self._listed_at <= FRESH_LISTING_SECONDS:
            targets = [(gid, name) for gid, (name, _count) in self._listed.items()]
        return listed, targets

    def _watch_staleness(self) -> None:
        """Have the cost said again when the first listing still used gets too old."""
        from voiceprint_studio.transfer.sources import FRESH_LISTING_SECONDS

        now = self._clock()
        times = [at for at, _ in self._source_listed().values()]
        if self._listed_at is not None:
            times.append(self._listed_at)
        left = [at + FRESH_LISTING_SECONDS - now for at in times]
        left = [seconds for seconds in left if seconds >= 0]
        if left and not self._running:
            self._stale_timer.start(math.ceil(min(left) * 1000) + 1)
        else:
            self._stale_timer.stop()

    def _update_cost(self) -> None:
        count = sum(len(chosen) for _, chosen in self.selection if chosen is not None)
        whole = [g for g, chosen in self.selection if chosen is None]
        listed, targets = self.fresh_listings()
        count += sum(len(listed[g.id]) if g.id in listed else g.feature_count or 0 for g in whole)
        self._watch_staleness()
        target_remote = not self.target_profile().offline
        source_remote = not self.source.coze_profile.offline
        if not target_remote and not source_remote:
            self.cost_label.setText(
                self.tr("The offline workspace is on this computer: no API calls are made.")
                if self._same_workspace()
                else self.tr("Both workspaces are on this computer: no API calls are made.")
            )
            return
        from voiceprint_studio.transfer.jobs import estimate_calls

        chosen = self.group_combo.currentData()
        into_chosen = bool(chosen) and chosen != NEW_GROUP
        names = (
            [self.new_group_edit.text().strip()]
            if chosen == NEW_GROUP
            else []
            if into_chosen
            else [g.name for g, _ in self.selection]
        )
        by_name = len(names)
        # a group found in this dialog's fresh list of them is not looked up; a name not
        # in it is (the group may have been made since: it is never made twice)
        listed_names = {name for _gid, name in targets or ()}
        looked_up = sum(1 for name in names if name in listed_names)
        move = self.move_radio.isChecked()
        calls = 0
        if target_remote:  # finding or making the groups, and a create per voiceprint
            calls += estimate_calls(
                groups_given=1 if into_chosen else 0,
                groups_by_name=by_name,
                items=count,
                move=False,
                looked_up=looked_up,
            )
        if source_remote:
            # each whole group listed for the plan (unless the window just did), and a
            # move's deletes; the audio is downloaded, which is not an API call; then the
            # window lists what it shows again, when the job changed it
            calls += sum(1 for g in whole if g.id not in listed) + (count if move else 0)
            calls += WINDOW_RELOAD_CALLS if self.changed_source_workspace() else 0
        if not calls:
            self.cost_label.setText(
                self.tr(
                    "This job makes no API calls on the Coze account: it only downloads the "
                    "recordings, which is not counted as a call."
                )
            )
            return
        self.cost_label.setText(
            fill(
                self.tr(
                    "This job makes at most %1 API calls on the Coze account (a free plan "
                    "allows %2 calls in all)."
                ),
                str(calls),
                str(FREE_PLAN_CALLS),
            )
        )

    # -- the job -----------------------------------------------------------------------

    @Slot()
    def on_start_button_clicked(self) -> None:
        from voiceprint_studio.transfer.child import CopyOrder, OfflineAudio, Place
        from voiceprint_studio.transfer.jobs import PlanGroup
        from voiceprint_studio.transfer.sources import (
            LocalWorkspaceSource,
            WorkspaceSource,
            run_copy,
        )

        target = self._target_workspace()
        target_gid = self.group_combo.currentData() or ""
        # the groups to find by name (looked up while the source is listed)
        into: PlanGroup | None
        if target_gid == NEW_GROUP:  # found by its name, else created: never made twice
            name = self.new_group_edit.text().strip()
            # a whole group copied into a new one takes its description along (it was
            # dropped: a tester's); voiceprints picked out of a group make a group of
            # their own
            whole = len(self.selection) == 1 and self.selection[0][1] is None
            desc = self.selection[0][0].desc if whole else ""
            into, by_name = PlanGroup("t", name, desc), [name]
        elif target_gid:  # (its name as listed; the entry's text adds what it holds)
            into = PlanGroup("t", self._listed[target_gid][0], target_id=target_gid)
            by_name = []
        else:  # each into the group of its name
            into = None
            by_name = [g.name for g, _ in self.selection]
        move = self.move_radio.isChecked()
        selection = self.selection
        source = self.source
        services = self.services
        folder = jobs_folder(services)
        offline = services.offline
        process = self.job_process
        assert process is not None
        self._start(self.tr("Copying…") if not move else self.tr("Moving…"))
        token = self._cancel
        source_where = services.where_of(source.coze_profile)
        target_where = services.where_of(target.coze_profile)
        # (not asked again: listed moments before)
        listed, target_groups = self.fresh_listings()

        # the job's folder (File > Transfers lists what is left once it exists)
        job_id = uuid.uuid4().hex

        def made() -> None:
            self._job_made = True

        def run(ctx: TaskContext) -> JobResult:
            def report(p: JobProgress) -> None:
                ctx.progress(p.items_done, p.items_total)

            # in a process of its own when it can (the GUI keeps its GIL and its CPU)
            try:
                apart = in_a_process(report)
            except BaseException:
                # (a job process that died before it said it made the job: its folder
                # tells; the job is then to be resumed, not "nothing was copied")
                if (folder / job_id / "plan.json").exists():
                    made()
                raise
            if apart is not None:
                return apart
            return here(report)

        def order(
            src: Place | None, dst: Place, audio: OfflineAudio | None, trash: Path | None
        ) -> CopyOrder:
            assert src is not None  # (a copy has a source workspace)
            return CopyOrder(
                src,
                dst,
                selection,
                into,
                move,
                source_where,
                target_where,
                folder,
                by_name,
                audio=audio,
                trash=trash,
                job_id=job_id,
                listed=listed,
                target_groups=target_groups,
            )

        def in_a_process(report: Progress) -> JobResult | None:
            return run_apart(
                services,
                process,
                source,
                target,
                order,
                move=move,
                cancel=token,
                progress=report,
                made=made,
            )

        def here(report: Progress) -> JobResult:
            src, dst = source.coze(), target.coze()
            # out of the offline workspace, the files are copied, not sent through HTTP
            # in this process (which would take the GIL from the GUI thread)
            origin = (
                LocalWorkspaceSource.of(src, offline.app())
                if source.coze_profile.offline
                else WorkspaceSource(src)
            )
            return run_copy(
                src,
                dst,
                origin,
                selection,
                into=into,
                move=move,
                source_where=source_where,
                target_where=target_where,
                jobs_dir=folder,
                look_up=by_name,
                cancel=token,
                progress=report,
                # a move's originals go into Recently deleted before they are deleted
                keep_original=keep_moved_originals(services, source_where) if move else None,
                made=made,
                job_id=job_id,
                listed=listed,
                target_groups=target_groups,
            )

        self._running = True
        self._stale_timer.stop()
        self.runner.cancel("groups")  # a list still on its way changes nothing now
        for widget in (
            self.start_button,
            self.workspace_combo,
            self.group_combo,
            self.new_group_edit,
            self.copy_radio,
            self.move_radio,
        ):
            widget.setEnabled(False)
        self.runner.submit(
            "job",
            run,
            self._job_done,
            on_failure=self._job_failed,
            on_progress=self._progress,
        )

    def _job_done(self, result: object) -> None:
        from voiceprint_studio.transfer.jobs import JobResult

        assert isinstance(result, JobResult)
        self.start_button.setVisible(False)
        said = result_text(result)
        if result.complete:  # (a headline: the counts alone did not say it was over)
            moved = self.move_radio.isChecked()
            said = fill(self.tr("Moved: %1") if moved else self.tr("Copied: %1"), said)
        self._end(said, result.complete)

    def _job_failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        self.start_button.setVisible(False)
        if not self._job_made:  # it stopped before it began: nothing to resume
            said = describe_error(exc)
            self._end(
                fill(self.tr("Nothing was copied: %1"), sentences(said.message, said.next_step)),
                False,
            )
            return
        self._end(
            sentences(
                # (a space after the reason, none after a full-width "。")
                fill(self.tr("The job stopped: %1"), describe_error(exc).message),
                self.tr("What was done is kept; resume it from File > Transfers."),
            ),
            False,
        )

    def done(self, result: int) -> None:
        self._stale_timer.stop()  # (nothing to say again once closed)
        super().done(result)
        if self._target is not None and self._target is not self.source:
            self._target.close()
