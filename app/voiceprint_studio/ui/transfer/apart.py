"""Transfer jobs (copies, moves, imports, resumes) in a process of their own
(:mod:`voiceprint_studio.transfer.child`), as the dialogs start and resume them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace
from voiceprint_studio.ui.transfer.safety_net import trash_folder

if TYPE_CHECKING:
    from voiceprint_studio.api.uploads import CancelToken
    from voiceprint_studio.transfer.child import JobProcess, OfflineAudio, Order, Place
    from voiceprint_studio.transfer.jobs import JobResult, Progress

# Makes the job's order from the source (None: an import or a restore), the target, the
# offline workspace's recordings (a copy out of it) and Recently deleted's folder (a move).
MakeOrder = Callable[["Place | None", "Place", "OfflineAudio | None", "Path | None"], "Order"]


def can_run_apart(services: AppServices) -> bool:
    """Whether jobs can run in a process of their own (not when the app's calls go
    through transports given to it: tests that inject faults)."""
    return services.transport_factory is None


def run_apart(
    services: AppServices,
    process: JobProcess,
    source: Workspace | None,
    target: Workspace,
    order: MakeOrder,
    *,
    move: bool,
    cancel: CancelToken,
    progress: Progress,
    made: Callable[[], None] | None = None,
) -> JobResult | None:
    """Run a job into ``target`` in ``process`` -- a copy or move from the workspace
    ``source``, or an import or restore (``source`` None) -- and return its result; None
    when it cannot run there (:func:`can_run_apart`): run it here. Call from a worker."""
    from voiceprint_studio.transfer.child import OfflineAudio
    from voiceprint_studio.transfer.jobs import account_pace

    if not can_run_apart(services):
        return None
    dst = target.job_place()
    src = source.job_place() if source is not None else (None, None)
    if src is None or dst is None:
        return None
    offline = services.offline
    audio = None
    if source is not None and source.coze_profile.offline:
        app = offline.app()
        audio = OfflineAudio(app.store.audio_dir, app.url_secret)
    trash = trash_folder(services) if move else None
    via_app = dst[0].via_app or (src[0] is not None and src[0].via_app)
    return process.run(
        order(src[0], dst[0], audio, trash),
        cancel=cancel,
        progress=progress,
        offline=offline.transport() if via_app else None,
        observers={"source": src[1], "target": dst[1]},
        made=made,
        # its creates share the account's pace with every job of the app on that account
        pace=account_pace(target.coze()),
    )


def resume_apart(
    services: AppServices,
    process: JobProcess,
    folder: Path,
    source: Workspace | None,
    target: Workspace,
    *,
    archive: Path | None = None,
    move: bool = False,
    cancel: CancelToken,
    progress: Progress,
) -> JobResult | None:
    """Run what is left of the job in ``folder`` in ``process`` (:func:`run_apart`): from
    the workspace ``source``, or from the ``archive``, or from the files its plan names."""
    from voiceprint_studio.transfer.child import ResumeOrder

    return run_apart(
        services,
        process,
        source,
        target,
        lambda src, dst, audio, trash: ResumeOrder(
            folder, src, dst, audio=audio, trash=trash, archive=archive
        ),
        move=move,
        cancel=cancel,
        progress=progress,
    )
