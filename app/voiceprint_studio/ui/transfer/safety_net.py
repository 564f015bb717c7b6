"""The safety net's "keep" step: what the views call on their worker right before a delete.

:func:`keep_before_delete` puts the audio and metadata into "Recently deleted" (see
:mod:`voiceprint_studio.transfer.trash`) and raises when it cannot, so that nothing is
deleted without a copy kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from voiceprint_studio.ui.common.services import AppServices
from voiceprint_studio.ui.common.session import Workspace

if TYPE_CHECKING:
    from voiceprint_studio.api.models import Voiceprint, VoiceprintGroup
    from voiceprint_studio.transfer.jobs import KeepOriginal
    from voiceprint_studio.transfer.trash import Entry


def trash_folder(services: AppServices) -> Path:
    """Where deleted voiceprints are kept (the user data folder)."""
    return services.offline.data_dir.parent / "recently-deleted"


def keep_before_delete(
    services: AppServices,
    workspace: Workspace,
    group: VoiceprintGroup,
    voiceprints: Sequence[Voiceprint] | None = None,
    *,
    replaced: bool = False,
) -> Entry | None:
    """Keep ``voiceprints`` of ``group`` (None: the whole group) in "Recently deleted"
    (``replaced``: their audio, before a Replace audio); the entry, None when there was
    no audio to keep.

    Runs on a worker (it downloads the audio); raises what the download raised.
    """
    from voiceprint_studio.transfer.trash import RecentlyDeleted

    store = RecentlyDeleted(trash_folder(services))
    where = services.where_of(workspace.coze_profile)
    if voiceprints is None:
        return store.keep_group(workspace.coze(), group, where)
    return store.keep_voiceprints(
        workspace.coze(), group, list(voiceprints), where, replaced=replaced
    )


def forget_kept(services: AppServices, entry: Entry) -> None:
    """Remove ``entry`` from "Recently deleted" (what it kept was not deleted after all);
    on a worker."""
    from voiceprint_studio.transfer.trash import RecentlyDeleted

    RecentlyDeleted(trash_folder(services)).remove(entry)


def delete_with_safety_net(
    services: AppServices,
    workspace: Workspace,
    group: VoiceprintGroup,
    voiceprints: Sequence[Voiceprint] | None,
    delete: Callable[[], None],
) -> None:
    """Keep ``voiceprints`` of ``group`` (None: the whole group), then ``delete()``; when the
    service refused the delete (nothing was deleted), the kept copy is taken out again
    (:meth:`~voiceprint_studio.transfer.trash.RecentlyDeleted.unless_refused`). On a
    worker; raises what ``delete`` raised.
    """
    from voiceprint_studio.transfer.trash import RecentlyDeleted

    kept = keep_before_delete(services, workspace, group, voiceprints)
    with RecentlyDeleted(trash_folder(services)).unless_refused(kept):
        delete()


def keep_moved_originals(services: AppServices, where: Mapping[str, str]) -> KeepOriginal:
    """What a move job calls right before it deletes an original (its copy confirmed):
    :meth:`~voiceprint_studio.transfer.trash.RecentlyDeleted.keeper` of the app's store.
    ``where``: the workspace the originals are in (the plan's source)."""
    from voiceprint_studio.transfer.trash import RecentlyDeleted

    return RecentlyDeleted(trash_folder(services)).keeper(where)
