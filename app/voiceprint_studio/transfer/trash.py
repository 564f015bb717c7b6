"""The safety net for deletes: "Recently deleted", kept on this computer for 30 days.

Before a voiceprint or a group is deleted, :meth:`RecentlyDeleted.keep_voiceprints` /
:meth:`RecentlyDeleted.keep_group` download its audio and write it with its metadata
into its own folder::

    <folder>/<entry id>/entry.json     what was deleted, from where, when
    <folder>/<entry id>/audio/<n>.wav  each voiceprint's audio as the service stored it

An entry is written completely (a ``.part`` folder renamed) or not at all, so the caller
deletes only after :meth:`keep_voiceprints` returned. :meth:`restore` creates the
voiceprints again (new ids: the service gives every voiceprint a new one) through a
journaled :class:`~voiceprint_studio.transfer.jobs.Job`, into the same group when it
still exists, else into a group of the same name. Entries older than
:data:`KEEP_DAYS` days go on :meth:`expire`; :meth:`empty` removes everything.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voiceprint_studio.transfer.archive import audio_suffix, sha256_of
from voiceprint_studio.transfer.jobs import (
    Job,
    JobResult,
    KeepOriginal,
    Plan,
    PlanGroup,
    PlanItem,
    group_name_too_long,
    group_named,
    sync_folder,
    write_synced,
)
from voiceprint_studio.transfer.sources import download_audio_at

if TYPE_CHECKING:
    from voiceprint_studio.api.coze import CozeClient
    from voiceprint_studio.api.models import Voiceprint, VoiceprintGroup

KEEP_DAYS = 30
# A ``.part`` folder (an entry being written) this old is a crash's leftover.
PART_LEFTOVER_SECONDS = 3600.0
_ENTRY = "entry.json"


@dataclass(frozen=True)
class DeletedVoiceprint:
    """One voiceprint of an entry, with its audio file."""

    name: str
    desc: str
    source_id: str
    audio: Path


@dataclass(frozen=True)
class Entry:
    """What one delete removed: a whole group or some of its voiceprints."""

    folder: Path
    kind: str  # "group", "voiceprints", or "replaced" (the audio a Replace took the place of)
    workspace: Mapping[str, str]
    group_id: str
    group_name: str
    group_desc: str
    deleted_at: float
    voiceprints: tuple[DeletedVoiceprint, ...]
    # (a "replaced" entry:) the audio a Restore -- undoing a Replace -- put back over
    undone: bool = False

    @property
    def size_bytes(self) -> int:
        """The audio's size on disk."""
        return sum(v.audio.stat().st_size for v in self.voiceprints if v.audio.exists())


def other_accounts(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    """Whether two records of a workspace (``settings.profiles.where_of``) say it was
    reached with the tokens of two different accounts (both say which, and they differ)."""
    return bool(a.get("user_id") and b.get("user_id") and a["user_id"] != b["user_id"])


def same_place(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    """Whether two records of a workspace name the same one: the same profile and server,
    and not two accounts (the name an account was shown by may change)."""
    if any(a.get(key, "") != b.get(key, "") for key in ("profile", "base_url", "workspace")):
        return False
    return not other_accounts(a, b)


class RecentlyDeleted:
    """The store in ``folder`` (the user data folder's ``recently-deleted``)."""

    def __init__(self, folder: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.folder = folder
        self.clock = clock

    # -- keeping -------------------------------------------------------------------

    def keep_group(
        self, client: CozeClient, group: VoiceprintGroup, workspace: Mapping[str, str]
    ) -> Entry | None:
        """Keep a group and every voiceprint in it (call before deleting the group); None
        never (a group is kept even when none of its voiceprints has audio)."""
        return self._keep(
            client, "group", group, list(client.iter_voiceprints(group.id)), workspace
        )

    def keep_voiceprints(
        self,
        client: CozeClient,
        group: VoiceprintGroup,
        voiceprints: Sequence[Voiceprint],
        workspace: Mapping[str, str],
        *,
        replaced: bool = False,
        undone: bool = False,
    ) -> Entry | None:
        """Keep some voiceprints of ``group`` (call before deleting them, or, ``replaced``,
        before replacing their audio; ``undone`` too: a Restore puts older audio back);
        None when none of them has audio to keep."""
        kind = "replaced" if replaced else "voiceprints"
        return self._keep(client, kind, group, list(voiceprints), workspace, undone=undone)

    def keep_file(
        self,
        group: VoiceprintGroup,
        *,
        name: str,
        desc: str,
        source_id: str,
        audio: Path,
        workspace: Mapping[str, str],
    ) -> Entry:
        """Keep one voiceprint of ``group`` whose audio is the file ``audio`` on this computer
        (a move's original, before it is deleted: its audio was staged for the copy)."""
        return self._write_entry(
            "voiceprints", group, workspace, [(name, desc, source_id, audio.read_bytes())]
        )

    def keeper(self, where: Mapping[str, str]) -> KeepOriginal:
        """For a move (:meth:`Job.run`'s ``keep_original``): each original, with the audio
        staged for its copy, goes into this store right before it is deleted (no
        download), and out again if the service refuses the delete. ``where``: the
        workspace the originals are in."""

        def keep(item: PlanItem, audio: Path) -> contextlib.AbstractContextManager[object]:
            origin = item.origin
            source_id = origin.get("feature_id", "")
            # kept already by a run whose delete got no answer: that entry serves again
            # (a second one would list one deletion twice)
            earlier = self._kept_already(source_id, where, sha256_of(audio))
            if earlier is not None:
                return self.unless_refused(earlier)
            group = _group_of(origin)
            entry = self.keep_file(
                group,
                name=item.name,
                desc=item.desc,
                source_id=source_id,
                audio=audio,
                workspace=where,
            )
            return self.unless_refused(entry)

        return keep

    def _kept_already(self, source_id: str, where: Mapping[str, str], digest: str) -> Entry | None:
        """The entry that keeps the voiceprint ``source_id`` of ``where`` with this audio."""
        for entry in self.entries():
            if entry.kind != "voiceprints" or not same_place(entry.workspace, where):
                continue
            for kept in entry.voiceprints:
                if (
                    kept.source_id == source_id
                    and kept.audio.is_file()
                    and sha256_of(kept.audio) == digest
                ):
                    return entry
        return None

    def _keep(
        self,
        client: CozeClient,
        kind: str,
        group: VoiceprintGroup,
        voiceprints: list[Voiceprint],
        workspace: Mapping[str, str],
        *,
        undone: bool = False,
    ) -> Entry | None:
        listed_urls: dict[str, str] | None = None

        def current_url(voiceprint_id: str) -> str:
            # one list of the group, and only when an address is missing or failed
            nonlocal listed_urls
            if listed_urls is None:
                listed_urls = {v.id: v.audio_url for v in client.iter_voiceprints(group.id)}
            return listed_urls.get(voiceprint_id, "")

        kept: list[tuple[str, str, str, bytes]] = []
        for voiceprint in voiceprints:
            url = voiceprint.audio_url or current_url(voiceprint.id)
            if not url:  # the service holds no audio for it: nothing to keep
                continue
            data = download_audio_at(client, url, partial(current_url, voiceprint.id))
            kept.append((voiceprint.name, voiceprint.desc, voiceprint.id, data))
        if not kept and kind != "group":
            return None  # nothing had audio: there is nothing to keep
        return self._write_entry(kind, group, workspace, kept, undone=undone)

    def _write_entry(
        self,
        kind: str,
        group: VoiceprintGroup,
        workspace: Mapping[str, str],
        voiceprints: list[tuple[str, str, str, bytes]],
        *,
        undone: bool = False,
    ) -> Entry:
        """Write an entry (name, description, source id and audio of each voiceprint),
        whole and on the disk, or nothing."""
        entry_id = f"{int(self.clock())}-{uuid.uuid4().hex[:8]}"
        part = self.folder / f"{entry_id}.part"
        (part / "audio").mkdir(parents=True)
        try:
            listed = []
            for n, (name, desc, source_id, data) in enumerate(voiceprints, 1):
                file_name = f"{n}{audio_suffix(data[:12])}"
                write_synced(part / "audio" / file_name, data)
                listed.append(
                    {"name": name, "desc": desc, "source_id": source_id, "audio": file_name}
                )
            meta = {
                "kind": kind,
                "workspace": dict(workspace),
                "group": {"id": group.id, "name": group.name, "desc": group.desc},
                "deleted_at": self.clock(),
                "voiceprints": listed,
            }
            if undone:
                meta["undone"] = True
            write_synced(part / _ENTRY, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
            sync_folder(part)
            # on the disk, whole, before the caller deletes what it kept
            os.replace(part, self.folder / entry_id)
            sync_folder(self.folder)
        except BaseException:
            shutil.rmtree(part, ignore_errors=True)
            raise
        entry = _read_entry(self.folder / entry_id)
        assert entry is not None
        return entry

    # -- listing and tidying -----------------------------------------------------------

    def entries(self) -> list[Entry]:
        """Every entry, newest first (unreadable folders are passed over)."""
        if not self.folder.is_dir():
            return []
        found = [e for p in self.folder.iterdir() if (e := _read_entry(p)) is not None]
        return sorted(found, key=lambda e: e.deleted_at, reverse=True)

    def size_bytes(self) -> int:
        """What the store holds on disk."""
        return sum(e.size_bytes for e in self.entries())

    def expire(self) -> int:
        """Remove entries older than :data:`KEEP_DAYS` days (and leftovers of a crash
        while keeping); return how many entries went."""
        limit = self.clock() - KEEP_DAYS * 86400
        gone = 0
        for entry in self.entries():
            if entry.deleted_at < limit:
                shutil.rmtree(entry.folder, ignore_errors=True)
                gone += 1
        if self.folder.is_dir():
            for part in self.folder.glob("*.part"):
                # a crash's leftover, not a keep another window is writing right now
                with contextlib.suppress(OSError):
                    if time.time() - part.stat().st_mtime > PART_LEFTOVER_SECONDS:
                        shutil.rmtree(part, ignore_errors=True)
        return gone

    @contextlib.contextmanager
    def unless_refused(self, kept: Entry | None) -> Iterator[None]:
        """Around the change ``kept`` was kept for (a delete, a Replace): when the service
        refused it, so nothing was changed, the entry goes again -- "Recently deleted"
        lists only what is gone. Re-raises what the change raised."""
        from voiceprint_studio.api.errors import not_carried_out

        try:
            yield
        except BaseException as exc:
            if kept is not None and not_carried_out(exc):
                self.remove(kept)
            raise

    def remove(self, entry: Entry) -> None:
        """Forget one entry."""
        shutil.rmtree(entry.folder, ignore_errors=True)

    def restored(self, plan: Plan) -> None:
        """A restore job (``plan``) resumed elsewhere (File > Transfers) brought everything
        back: its entry goes, as after :meth:`restore`."""
        name = plan.source.get("recently_deleted", "")
        if name and "/" not in name and "\\" not in name and name not in (".", ".."):
            shutil.rmtree(self.folder / name, ignore_errors=True)

    def empty(self) -> None:
        """Forget everything."""
        for entry in self.entries():
            self.remove(entry)

    # -- restoring -------------------------------------------------------------------------

    def restore(
        self,
        entry: Entry,
        client: CozeClient,
        jobs_dir: Path,
        target: Mapping[str, str],
        *,
        as_new: bool = False,
        second_of_name: bool = False,
    ) -> JobResult:
        """Create the entry's voiceprints again (new ids); the entry goes when all are back.

        ``target``: the workspace ``client`` works on, as jobs record it (a restore cut
        short is resumed there, from File > Transfers, and nowhere else).
        Into the group it came from when that still exists in ``client``'s workspace,
        else into a group of the same name (found, or created). The audio a Replace took
        the place of goes back into that voiceprint while it exists (same id; the audio
        it has now is kept here first): the result lists it as ``existed``. When that
        voiceprint is gone, :class:`ReplacedVoiceprintGoneError` is raised unless
        ``as_new`` (the audio then becomes a new voiceprint: the caller asks first, since a
        voiceprint of that name may be back already -- restored with its group, say).
        Into a group that holds a voiceprint of the same name with other audio (the person
        enrolled again since; the group it came from, or one of its name made again since),
        :class:`SameNameError` is raised unless ``second_of_name``:
        the restore would make a second of that name, which the caller asks about first
        (into another workspace as well: a group of its name there may hold one).
        """
        from voiceprint_studio.api.errors import NotFoundError

        if entry.kind == "replaced" and len(entry.voiceprints) == 1:
            put_back = self._put_back(entry, client)
            if put_back is not None:
                return put_back
            if not as_new:
                raise ReplacedVoiceprintGoneError(entry.voiceprints[0].name)
        target_id = ""
        try:
            page = client.list_groups(1, 1, group_id=entry.group_id)
            if page.items and page.items[0].id == entry.group_id:
                target_id = entry.group_id
        except NotFoundError:
            target_id = ""
        ask = not second_of_name
        found: Future[dict[str, str]] | None = None
        into = target_id
        if not target_id and ask and group_name_too_long(entry.group_name) is None:
            # its group is gone: the job goes into a group of its name, made again since
            # the delete, say, with the person enrolled again -- asked about as well; the
            # job is given what was found (not looked up twice)
            into = group_named(client, entry.group_name)
            found = Future()
            found.set_result({entry.group_name: into})
        if into and ask:
            taken = self._names_taken(entry, client, into)
            if taken:
                raise SameNameError(taken)
        plan = Plan(
            kind="import",
            groups=(PlanGroup("g", entry.group_name, entry.group_desc, target_id=target_id),),
            items=tuple(
                PlanItem(
                    key=f"r{n}",
                    group="g",
                    name=v.name,
                    desc=v.desc,
                    size=v.audio.stat().st_size,
                    origin={"path": str(v.audio)},
                )
                for n, v in enumerate(entry.voiceprints, 1)
            ),
            source={"recently_deleted": entry.folder.name},
            target=dict(target),
        )
        jobs_dir.mkdir(parents=True, exist_ok=True)
        job_id = restore_job_id(entry.folder.name, target)
        if not (jobs_dir / job_id / "plan.json").is_file():
            # one cut short into this workspace under another id: an older version's (one
            # id per entry), or one recorded before the account was known
            for older in sorted(jobs_dir.glob(f"restore-{glob.escape(entry.folder.name)}*")):
                if not (older / "plan.json").is_file():
                    continue
                other = Job.open(older).plan
                # (one that names an account is resumed only where that account is known
                # to be the one open: not where the account is not known yet)
                then = other.target.get("user_id", "")
                if (
                    other.source.get("recently_deleted") == entry.folder.name
                    and same_place(other.target, target)
                    and then in ("", target.get("user_id", ""))
                ):
                    job_id = older.name
                    break
        job = (
            Job.open(jobs_dir / job_id)
            if (jobs_dir / job_id / "plan.json").is_file()
            else (Job.create(jobs_dir, plan, job_id))
        )
        result = job.run(_EntrySource(), client, found=found)
        if result.complete:
            self.remove(entry)
        return result

    def _names_taken(self, entry: Entry, client: CozeClient, group_id: str) -> list[str]:
        """The names of the entry's voiceprints that the group holds with other audio (one
        list of the group; the audio of each of that name downloaded, which is not an API
        call). One whose audio cannot be read counts: it is asked about, not assumed."""
        from voiceprint_studio.api.errors import ApiError

        ours: dict[str, set[str]] = {}
        for kept in entry.voiceprints:
            ours.setdefault(kept.name, set()).add(sha256_of(kept.audio))
        taken: set[str] = set()
        for there in client.iter_voiceprints(group_id):
            if there.name not in ours or there.name in taken:
                continue
            try:
                theirs = hashlib.sha256(client.download_audio(there.audio_url)).hexdigest()
            except ApiError:
                theirs = ""
            if theirs not in ours[there.name]:  # (the same audio: restored already)
                taken.add(there.name)
        return sorted(taken)

    def _put_back(self, entry: Entry, client: CozeClient) -> JobResult | None:
        """Undo a Replace: the entry's audio back into its voiceprint; None when that
        voiceprint (or its group) is gone."""
        from voiceprint_studio.api.errors import NotFoundError
        from voiceprint_studio.api.models import VoiceprintGroup
        from voiceprint_studio.api.uploads import AudioUpload

        (kept,) = entry.voiceprints
        try:
            now = next(
                (v for v in client.iter_voiceprints(entry.group_id) if v.id == kept.source_id),
                None,
            )
        except NotFoundError:
            return None
        if now is None:
            return None
        group = VoiceprintGroup(entry.group_id, entry.group_name, entry.group_desc)
        # the audio it has now is kept first: undoing the Replace loses nothing either
        before = self.keep_voiceprints(
            client, group, [now], entry.workspace, replaced=True, undone=True
        )
        with self.unless_refused(before):  # (refused: no second entry to explain)
            client.update_voiceprint(
                entry.group_id, kept.source_id, audio=AudioUpload.from_path(kept.audio)
            )
        self.remove(entry)
        item = PlanItem(key="r1", group="g", name=kept.name, desc=kept.desc)
        return JobResult(existed=[(item, kept.source_id)])


class ReplacedVoiceprintGoneError(Exception):
    """Undoing a Replace found its voiceprint gone (deleted, or its group deleted and
    restored with new ids): nothing was done; restored ``as_new`` it is a new voiceprint."""

    def __init__(self, name: str) -> None:
        super().__init__(f"the voiceprint {name!r} whose audio this was is gone")
        self.name = name


class SameNameError(Exception):
    """A restore not started: the group holds voiceprints of these ``names`` with other
    audio (enrolled again since the delete); restored ``second_of_name``, each would be a
    second of its name."""

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(f"the group already holds voiceprints named {list(names)!r}")
        self.names = list(names)


class _EntrySource:
    def fetch(self, item: PlanItem, dest: Path) -> None:
        shutil.copyfile(item.origin["path"], dest)

    def delete(self, item: PlanItem) -> None:  # pragma: no cover - restores never move
        raise NotImplementedError


def restore_job_id(entry_name: str, target: Mapping[str, str]) -> str:
    """The job restoring the entry ``entry_name`` into the workspace ``target``: one per
    entry and workspace (a restore cut short in one workspace is not resumed in another)."""
    # (not the name the account was shown by: it may change)
    where = json.dumps({k: v for k, v in target.items() if k != "user_name"}, sort_keys=True)
    return f"restore-{entry_name}-{hashlib.sha256(where.encode()).hexdigest()[:8]}"


def _group_of(origin: Mapping[str, str]) -> VoiceprintGroup:
    """The source group a plan item records (a plan made before names were recorded:
    only its id)."""
    from voiceprint_studio.api.models import VoiceprintGroup

    return VoiceprintGroup(
        origin.get("group_id", ""), origin.get("group_name", ""), origin.get("group_desc", "")
    )


def _read_entry(folder: Path) -> Entry | None:
    try:
        meta: dict[str, Any] = json.loads((folder / _ENTRY).read_text(encoding="utf-8"))
        group = meta["group"]
        return Entry(
            folder=folder,
            kind=str(meta["kind"]),
            workspace=dict(meta.get("workspace", {})),
            group_id=str(group["id"]),
            group_name=str(group["name"]),
            group_desc=str(group.get("desc", "")),
            deleted_at=float(meta["deleted_at"]),
            voiceprints=tuple(
                DeletedVoiceprint(
                    name=str(v["name"]),
                    desc=str(v.get("desc", "")),
                    source_id=str(v.get("source_id", "")),
                    audio=folder / "audio" / Path(str(v["audio"])).name,
                )
                for v in meta["voiceprints"]
            ),
            undone=meta.get("undone") is True,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
