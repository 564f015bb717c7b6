"""Plans and sources for the three kinds of job: from a workspace, an archive, files.

* :func:`plan_copy` -- voiceprints of one workspace into another (or the same), by group;
* :func:`plan_archive` / :class:`ArchiveSource` -- an archive made by :func:`export_groups`;
* :func:`entries_from_folder`, :func:`entries_from_csv`, :func:`plan_files` /
  :class:`FileSource` -- audio files, each through the enrollment checker and converted to
  16 kHz mono 16-bit wav when the service needs it (the original is never changed).
"""

from __future__ import annotations

import contextlib
import csv
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voiceprint_studio.transfer.archive import (
    MAX_NAME,
    Archive,
    ArchiveGroup,
    ArchiveVoiceprint,
    Manifest,
    audio_suffix,
    read_archive,
    sha256_of,
    write_archive,
)
from voiceprint_studio.transfer.jobs import (
    STAGING_WORKERS,
    WORKERS,
    ItemRejectedError,
    Job,
    JobError,
    JobResult,
    KeepOriginal,
    Pacer,
    Plan,
    PlanGroup,
    PlanItem,
    Progress,
    Source,
    SourceGoneError,
    look_up_groups,
)
from voiceprint_studio.transfer.reasons import QT_TRANSLATE_NOOP, Reason

if TYPE_CHECKING:
    from voiceprint_studio.api.coze import CozeClient
    from voiceprint_studio.api.models import Voiceprint, VoiceprintGroup
    from voiceprint_studio.api.uploads import CancelToken
    from voiceprint_studio.audio.checker import AudioReport
    from voiceprint_studio.local.app import BackendApp

# The service's limit for one audio file.
MAX_UPLOAD_BYTES = 4 * 1024 * 1024
# Audio files a folder import picks up (what the checker can read).
AUDIO_SUFFIXES = (".wav", ".pcm", ".flac", ".ogg", ".mp3")


def _stamp(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp())


# -- workspace to workspace ------------------------------------------------------

# How old a listing the app made (the window's of a group, the copy dialog's of the
# target's groups) may be for a new copy to use it instead of asking again (s): the
# operator opens the dialog, chooses and starts in well under that, and what was listed
# is what they saw. Older, the job lists again (someone may have changed the workspace).
FRESH_LISTING_SECONDS = 120.0


def plan_copy(
    client: CozeClient,
    selection: Sequence[tuple[VoiceprintGroup, Sequence[Voiceprint] | None]],
    *,
    into: PlanGroup | None = None,
    move: bool = False,
    source: Mapping[str, str] | None = None,
    target: Mapping[str, str] | None = None,
    listed: Mapping[str, Sequence[Voiceprint]] | None = None,
) -> Plan:
    """A copy (or move) of the selected voiceprints.

    ``selection`` pairs a source group with the voiceprints to take (``None``: all of
    them: as ``listed`` by group id, when the app has just listed the group, else listed
    now). ``into`` puts everything into one target group; without it each source group
    goes to a target group of the same name (found, or created).
    """
    groups: list[PlanGroup] = [] if into is None else [into]
    items: list[PlanItem] = []
    for n, (group, chosen) in enumerate(selection, 1):
        if chosen is not None:
            voiceprints = list(chosen)
        elif listed is not None and group.id in listed:
            voiceprints = list(listed[group.id])
        else:
            voiceprints = list(client.iter_voiceprints(group.id))
        if into is None:
            groups.append(PlanGroup(key=f"g{n}", name=group.name, desc=group.desc))
        group_key = into.key if into is not None else f"g{n}"
        for voiceprint in voiceprints:
            items.append(
                PlanItem(
                    key=f"v{len(items) + 1}",
                    group=group_key,
                    name=voiceprint.name,
                    desc=voiceprint.desc,
                    origin={
                        "group_id": group.id,
                        "group_name": group.name,
                        "group_desc": group.desc,
                        "feature_id": voiceprint.id,
                        "audio_url": voiceprint.audio_url,
                    },
                )
            )
    return Plan(
        kind="move" if move else "copy",
        groups=tuple(groups),
        items=tuple(items),
        source=dict(source or {}),
        target=dict(target or {}),
    )


def run_copy(
    src: CozeClient,
    dst: CozeClient,
    origin: Source,
    selection: Sequence[tuple[VoiceprintGroup, Sequence[Voiceprint] | None]],
    *,
    into: PlanGroup | None,
    move: bool,
    source_where: Mapping[str, str],
    target_where: Mapping[str, str],
    jobs_dir: Path,
    look_up: Sequence[str],
    cancel: CancelToken,
    progress: Progress | None = None,
    keep_original: KeepOriginal | None = None,
    made: Callable[[], None] | None = None,
    workers: int = WORKERS,
    staging: int = STAGING_WORKERS,
    pace: Pacer | None = None,
    job_id: str | None = None,
    listed: Mapping[str, Sequence[Voiceprint]] | None = None,
    target_groups: Sequence[tuple[str, str]] | None = None,
) -> JobResult:
    """Copy (or move) ``selection`` from ``src`` (its audio from ``origin``) to ``dst`` as
    a new job in ``jobs_dir`` (its folder named ``job_id`` when given): the target groups
    named ``look_up`` are looked up while the source is listed (:func:`plan_copy`), then
    the job runs (:meth:`Job.run`). ``made`` is called once the job is on disk (from then
    on, a stop leaves it to resume).

    What the app listed moments before (at most :data:`FRESH_LISTING_SECONDS` ago) is not
    asked again: ``listed``, the voiceprints of whole source groups by group id (the
    window shows the group), and ``target_groups``, every group of the target as (id,
    name) in the service's order (the copy dialog lists them to offer them): the groups
    named ``look_up`` found in it are not looked up (a name not in it is: the group may
    have been made since, and is never made twice). Each saves a call and a round trip
    before the first voiceprint can be sent. A resumed job looks again."""
    # only a group found in the list is taken from it: a name not in it is looked up
    # (a group made since, by another job of the app or anyone, is not made twice)
    known: dict[str, str] = {}
    for gid, listed_name in target_groups or ():
        known.setdefault(listed_name, gid)
    found = look_up_groups(dst, look_up, cancel, known=known)
    try:
        plan = plan_copy(
            src,
            selection,
            into=into,
            move=move,
            source=source_where,
            target=target_where,
            listed=listed,
        )
        jobs_dir.mkdir(parents=True, exist_ok=True)
        job = Job.create(jobs_dir, plan, job_id)
        if made is not None:
            made()
        return job.run(
            origin,
            dst,
            cancel=cancel,
            progress=progress,
            found=found,
            keep_original=keep_original,
            workers=workers,
            staging=staging,
            pace=pace,
        )
    finally:
        # its thread is done before this is (the workspace may close after it); a Cancel
        # ends it at once
        found.result()


def download_audio_at(client: CozeClient, url: str, fresh_url: Callable[[], str]) -> bytes:
    """A voiceprint's audio from ``url``; when that fails, from the address ``fresh_url``
    gives now (the service's signed addresses expire). Raises the first failure when
    there is no other address."""
    from voiceprint_studio.api.errors import ApiError

    try:
        return client.download_audio(url)
    except ApiError:
        fresh = fresh_url()
        if not fresh or fresh == url:
            raise
        return client.download_audio(fresh)


class WorkspaceSource:
    """Voiceprints in a workspace (``origin``: ``group_id``, ``feature_id``, ``audio_url``)."""

    def __init__(self, client: CozeClient) -> None:
        self.client = client

    def fetch(self, item: PlanItem, dest: Path) -> None:
        # a signed address may have expired since the plan was made: then a new one
        data = download_audio_at(
            self.client, item.origin.get("audio_url", ""), lambda: self._fresh_url(item)
        )
        dest.write_bytes(data)  # (flushed to the disk by the job before it is journalled)

    def _fresh_url(self, item: PlanItem) -> str:
        """The address the service gives ``item``'s audio now (one list of its group);
        raises :class:`SourceGoneError` when it is no longer there (deleted since the job
        was set up: there is nothing to bring over, now or on a resume)."""
        from voiceprint_studio.api.errors import NotFoundError

        group = item.origin.get("group_name", "")
        try:
            listed = list(self.client.iter_voiceprints(item.origin["group_id"]))
        except NotFoundError:
            raise SourceGoneError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors",
                    "its group “{group}” is no longer in the source workspace (deleted after "
                    "the job was set up)",
                ),
                group=group,
            ) from None
        for voiceprint in listed:
            if voiceprint.id == item.origin["feature_id"]:
                return voiceprint.audio_url
        raise SourceGoneError(
            QT_TRANSLATE_NOOP(
                "TransferErrors",
                "it is no longer in the group “{group}” (deleted after the job was set up)",
            ),
            group=group,
        )

    def still_there(self, item: PlanItem) -> bool:
        """Whether ``item``'s original is still in its group (one list of the group)."""
        from voiceprint_studio.api.errors import NotFoundError

        try:
            return any(
                v.id == item.origin["feature_id"]
                for v in self.client.iter_voiceprints(item.origin["group_id"])
            )
        except NotFoundError:
            return False  # (its group is gone)

    def delete(self, item: PlanItem) -> None:
        from voiceprint_studio.api.errors import NotFoundError

        # NotFoundError: deleted by an earlier run whose answer was lost
        with contextlib.suppress(NotFoundError):
            self.client.delete_voiceprint(item.origin["group_id"], item.origin["feature_id"])


class LocalWorkspaceSource(WorkspaceSource):
    """Voiceprints of the offline workspace, whose recordings are in ``folder`` (their
    addresses signed with ``secret``); :meth:`of` its backend in this process.

    The audio is copied from the workspace's own folder by the operating system
    (:func:`shutil.copyfile`) instead of coming through the in-process HTTP stack: that
    stack runs in the app's process and moved every 4 MB through Python, taking the GIL
    from the GUI thread for tens of milliseconds at a time. An address that is not the
    workspace's own signed audio address, or a file that is gone, falls back to the
    download (whose answer then says what is wrong).
    """

    def __init__(self, client: CozeClient, folder: Path, secret: bytes) -> None:
        super().__init__(client)
        self.folder, self.secret = folder, secret

    @classmethod
    def of(cls, client: CozeClient, app: BackendApp) -> LocalWorkspaceSource:
        """The source for the backend ``app`` (the offline workspace open here)."""
        return cls(client, app.store.audio_dir, app.url_secret)

    def fetch(self, item: PlanItem, dest: Path) -> None:
        path = self.local_path(item.origin.get("audio_url", ""))
        if path is None:
            super().fetch(item, dest)
            return
        shutil.copyfile(path, dest)  # (flushed to the disk by the job)

    def local_path(self, url: str) -> Path | None:
        """The stored file an audio address of this workspace names, or None."""
        import hmac
        from urllib.parse import parse_qs, unquote, urlsplit

        from voiceprint_studio.local.store import audio_file, sign_audio_name

        parts = urlsplit(url)
        prefix = "/files/audio/"
        if not parts.path.startswith(prefix):
            return None
        name = unquote(parts.path[len(prefix) :])
        sig = parse_qs(parts.query).get("sig", [""])[0]
        if not hmac.compare_digest(sig.encode(), sign_audio_name(self.secret, name).encode()):
            return None
        return audio_file(self.folder, name)


# -- archives ---------------------------------------------------------------------


def export_groups(
    client: CozeClient,
    groups: Sequence[VoiceprintGroup],
    out: Path,
    *,
    source: Mapping[str, str],
    app_version: str = "",
    cancel: CancelToken | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 4,
    overwrite: bool = True,
) -> Manifest:
    """Write ``groups`` with all their voiceprints and audio to the archive ``out`` (a
    file there is replaced only with ``overwrite``: :func:`write_archive`).

    The audio is downloaded into a temporary folder first; the archive appears only
    when complete (nothing is left behind on failure or cancel).
    """
    from voiceprint_studio.api.errors import UploadCancelledError

    listed: list[tuple[ArchiveGroup, list[Voiceprint]]] = []
    for n, group in enumerate(groups, 1):
        archive_group = ArchiveGroup(
            key=f"g{n}",
            name=group.name,
            desc=group.desc,
            source_id=group.id,
            created_at=_stamp(group.created_at),
            updated_at=_stamp(group.updated_at),
        )
        listed.append((archive_group, list(client.iter_voiceprints(group.id))))
    total = sum(len(v) for _, v in listed)
    done = [0]
    with tempfile.TemporaryDirectory(prefix="vps-export-") as tmp:
        folder = Path(tmp)

        def fetch(job: tuple[str, Voiceprint]) -> tuple[str, Path]:
            key, voiceprint = job
            if cancel is not None and cancel.cancelled:
                raise UploadCancelledError()
            data = client.download_audio(voiceprint.audio_url)
            path = folder / f"{key}{audio_suffix(data[:12])}"
            path.write_bytes(data)
            done[0] += 1
            if progress is not None:
                progress(done[0], total)
            return key, path

        jobs: list[tuple[str, Voiceprint]] = []
        owners: dict[str, tuple[ArchiveGroup, Voiceprint]] = {}
        for archive_group, voiceprints in listed:
            for voiceprint in voiceprints:
                key = f"v{len(jobs) + 1}"
                jobs.append((key, voiceprint))
                owners[key] = (archive_group, voiceprint)
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            fetched = dict(pool.map(fetch, jobs))
        entries: list[ArchiveVoiceprint] = []
        files: dict[str, Path] = {}
        for key, _ in jobs:
            archive_group, voiceprint = owners[key]
            path = fetched[key]
            member = f"audio/{path.name}"
            files[member] = path
            entries.append(
                ArchiveVoiceprint(
                    key=key,
                    group=archive_group.key,
                    name=voiceprint.name,
                    file=member,
                    sha256=sha256_of(path),
                    size=path.stat().st_size,
                    desc=voiceprint.desc,
                    source_id=voiceprint.id,
                    created_at=_stamp(voiceprint.created_at),
                    updated_at=_stamp(voiceprint.updated_at),
                )
            )
        manifest = Manifest(
            groups=tuple(g for g, _ in listed),
            voiceprints=tuple(entries),
            source=dict(source),
            created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            app_version=app_version,
        )
        if cancel is not None and cancel.cancelled:
            raise UploadCancelledError()
        write_archive(out, manifest, files, overwrite=overwrite)
    return manifest


def plan_archive(archive: Archive, *, target: Mapping[str, str] | None = None) -> Plan:
    """An import of everything in ``archive``: each group into a group of the same name."""
    manifest = archive.manifest
    return Plan(
        kind="import",
        groups=tuple(PlanGroup(key=g.key, name=g.name, desc=g.desc) for g in manifest.groups),
        items=tuple(
            PlanItem(
                key=v.key,
                group=v.group,
                name=v.name,
                desc=v.desc,
                sha256=v.sha256,
                size=v.size,
                origin={"file": v.file},
            )
            for v in manifest.voiceprints
        ),
        source={"archive": str(archive.path), **dict(manifest.source)},
        target=dict(target or {}),
    )


class ArchiveSource:
    """The audio of an archive's voiceprints (``origin``: ``file``)."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._by_file = {v.file: v for v in archive.manifest.voiceprints}

    def fetch(self, item: PlanItem, dest: Path) -> None:
        self.archive.extract(self._by_file[item.origin["file"]], dest)

    def delete(self, item: PlanItem) -> None:
        raise JobError(
            QT_TRANSLATE_NOOP(
                "TransferErrors", "An archive's entries are not deleted by an import."
            )
        )


def open_import_source(stack: contextlib.ExitStack[Any], archive: Path | None) -> Source:
    """The source of an import job: the ``archive`` (read and checked again, closed with
    ``stack``), or, without one, the files the plan names (a folder, a CSV, a restore)."""
    if archive is None:
        return FileSource()
    return ArchiveSource(stack.enter_context(read_archive(archive)))


# -- files ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FileEntry:
    """One audio file to enroll as ``name`` in the group named ``group``."""

    path: Path
    name: str
    group: str
    desc: str = ""


def entries_from_folder(folder: Path) -> list[FileEntry]:
    """Audio files in ``folder``: each sub-folder is a group, named after it; files
    directly inside go to a group named after ``folder``. A file's name (without its
    extension) is the voiceprint's name."""
    entries: list[FileEntry] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in AUDIO_SUFFIXES:
            continue
        relative = path.relative_to(folder)
        group = relative.parts[0] if len(relative.parts) > 1 else folder.resolve().name
        entries.append(FileEntry(path=path, name=path.stem, group=group))
    if not entries:
        raise JobError(
            QT_TRANSLATE_NOOP(
                "TransferErrors",
                "No audio files were found in {folder} (wav, pcm, flac, ogg or mp3; one "
                "sub-folder per group).",
            ),
            folder=str(folder),
        )
    return entries


def entries_from_csv(path: Path) -> list[FileEntry]:
    """Rows of a CSV with the columns ``file, name, description, group`` (a header line;
    ``desc`` is taken for ``description``; a relative ``file`` is relative to the CSV)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise JobError(
            QT_TRANSLATE_NOOP("TransferErrors", "The CSV file {file} cannot be read ({what})."),
            file=path.name,
            what=type(exc).__name__,
        ) from None
    reader = csv.DictReader(text.splitlines())
    columns = {c.strip().lower() for c in (reader.fieldnames or [])}
    missing = {"file", "name", "group"} - columns
    if missing:
        raise JobError(
            QT_TRANSLATE_NOOP(
                "TransferErrors",
                "The CSV file {file} needs the columns file, name, description and group "
                "(missing: {columns}).",
            ),
            file=path.name,
            columns=", ".join(sorted(missing)),
        )
    entries = []
    for row in reader:
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not any(clean.values()):
            continue
        file = Path(clean.get("file", ""))
        entries.append(
            FileEntry(
                path=file if file.is_absolute() else path.parent / file,
                name=clean.get("name", ""),
                group=clean.get("group", ""),
                desc=clean.get("description", clean.get("desc", "")),
            )
        )
    if not entries:
        raise JobError(
            QT_TRANSLATE_NOOP("TransferErrors", "The CSV file {file} lists no files."),
            file=path.name,
        )
    return entries


def plan_files(entries: Sequence[FileEntry], *, target: Mapping[str, str] | None = None) -> Plan:
    """An import of audio files, grouped by their group names."""
    keys: dict[str, str] = {}
    groups: list[PlanGroup] = []
    for entry in entries:
        if entry.group not in keys:
            keys[entry.group] = f"g{len(keys) + 1}"
            groups.append(PlanGroup(key=keys[entry.group], name=entry.group))
    items = tuple(
        PlanItem(
            key=f"f{n}",
            group=keys[entry.group],
            name=entry.name,
            desc=entry.desc,
            size=entry.path.stat().st_size if entry.path.is_file() else 0,
            origin={"path": str(entry.path.resolve())},
        )
        for n, entry in enumerate(entries, 1)
    )
    return Plan(kind="import", groups=tuple(groups), items=items, target=dict(target or {}))


class FileSource:
    """Audio files, each checked for enrollment and converted when the service needs it.

    ``fetch`` raises :class:`ItemRejectedError` (the job skips the file, saying why) for a
    file the checker blocks and conversion cannot fix, or a name the service refuses.
    """

    def checked(self, item: PlanItem) -> tuple[Path, AudioReport]:
        """``item``'s file and its check report; raises :class:`ItemRejectedError` when the
        service would refuse it (its name, or what the checker blocks and conversion
        cannot fix). The import's preview asks this of every file before anything is sent."""
        from voiceprint_studio.audio.checker import Severity, check_file

        if not item.name.strip():
            raise ItemRejectedError(QT_TRANSLATE_NOOP("TransferErrors", "it has no name"))
        if len(item.name) > MAX_NAME:
            raise ItemRejectedError(
                QT_TRANSLATE_NOOP("TransferErrors", "its name is longer than {limit} characters"),
                limit=MAX_NAME,
            )
        if not item.group:
            raise ItemRejectedError(QT_TRANSLATE_NOOP("TransferErrors", "it has no group"))
        path = Path(item.origin["path"])
        report = check_file(path)
        blocking = [f for f in report.findings if f.severity is Severity.BLOCKING]
        if any(not f.convertible for f in blocking):
            # each finding keeps what the UI needs to say it in its language
            found = [
                Reason.finding(
                    f.message,
                    key=f.key,
                    severity=f.severity.value,
                    value="" if f.value is None else repr(f.value),
                    container=report.container or "",
                    subtype=report.subtype or "",
                    converted_size=str(report.converted_size_bytes or ""),
                    file=path.name,
                )
                for f in blocking
                if not f.convertible
            ]
            raise ItemRejectedError(
                QT_TRANSLATE_NOOP("TransferErrors", "the checker blocked it: {findings}"),
                findings=Reason.sentences(found),
            )
        return path, report

    def fetch(self, item: PlanItem, dest: Path) -> None:
        from voiceprint_studio.audio.audiofile import convert_file
        from voiceprint_studio.audio.errors import AudioFileError

        path, report = self.checked(item)
        if not _needs_conversion(path, report):
            shutil.copyfile(path, dest)
            return
        converted = dest.with_name(dest.name + ".wav")
        try:
            convert_file(path, converted, segments=report.speech_segments or None)
        except AudioFileError as exc:
            converted.unlink(missing_ok=True)
            raise ItemRejectedError(
                QT_TRANSLATE_NOOP("TransferErrors", "it could not be converted: {problem}"),
                problem=Reason.plain(exc.message),
            ) from None
        converted.replace(dest)
        if dest.stat().st_size > MAX_UPLOAD_BYTES:
            dest.unlink()
            raise ItemRejectedError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors", "even converted it is larger than 4 MB; use a shorter clip"
                )
            )

    def delete(self, item: PlanItem) -> None:
        raise JobError(QT_TRANSLATE_NOOP("TransferErrors", "Files are not deleted by an import."))


def _needs_conversion(path: Path, report: object) -> bool:
    """Whether the file is not already a 16 kHz mono 16-bit wav (or pcm) within 4 MB."""
    from voiceprint_studio.audio.checker import AudioReport
    from voiceprint_studio.audio.thresholds import TARGET_CHANNELS, TARGET_SAMPLE_RATE

    assert isinstance(report, AudioReport)
    if path.suffix.lower() not in (".wav", ".pcm"):
        return True
    if path.suffix.lower() == ".wav" and report.subtype not in (None, "PCM_16"):
        return True
    return (
        report.sample_rate != TARGET_SAMPLE_RATE
        or report.channels != TARGET_CHANNELS
        or (report.size_bytes or 0) > MAX_UPLOAD_BYTES
    )
