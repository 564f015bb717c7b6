"""``voiceprint-studio export`` and ``voiceprint-studio import``: transfers from scripts.

::

    voiceprint-studio export [--server URL] [--group NAME_OR_ID]... OUT.zip
    voiceprint-studio import [--server URL] SOURCE     (ARCHIVE.zip, a FOLDER or a FILE.csv)

Without ``--server`` both work on the offline workspace (the app's own, on this
computer); with it, on that Coze-compatible server, with the token read from the
environment variable ``VOICEPRINT_STUDIO_TOKEN`` -- never from the command line, where
other users of the computer could read it.

Exit status: 0 when everything was done; 1 when something was not (an archive refused:
nothing was written; an item skipped or failed: the report says which and why; an import
cut short resumes where it stopped when the same command runs again); 2 for usage errors.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from voiceprint_studio.cli_words import Parser, Words
from voiceprint_studio.transfer.jobs import JobError, JobResult
from voiceprint_studio.transfer.reasons import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from voiceprint_studio.api.coze import CozeClient

TOKEN_ENV = "VOICEPRINT_STUDIO_TOKEN"  # noqa: S105 - the variable's name, not a token
APP_NAME = "Voiceprint Studio"
EXIT_OK, EXIT_INCOMPLETE, EXIT_USAGE = 0, 1, 2


def _server_option(parser: Parser, words: Words) -> None:
    parser.add_argument(
        "--server",
        metavar="URL",
        help=words.say(
            QT_TRANSLATE_NOOP(
                "CommandLine",
                "a Coze-compatible server (token from ${variable}); default: the offline workspace",
            ),
            variable=TOKEN_ENV,
        ),
    )


def _export_parser(words: Words) -> Parser:
    parser = Parser(
        "voiceprint-studio export",
        words.tr(
            QT_TRANSLATE_NOOP(
                "CommandLine", "Export voiceprint groups with their audio to one archive (a zip)."
            )
        ),
        words,
    )
    _server_option(parser, words)
    parser.add_argument(
        "--group",
        action="append",
        default=[],
        metavar="NAME_OR_ID",
        help=words.tr(
            QT_TRANSLATE_NOOP(
                "CommandLine", "a group to export (repeat for more); default: every group"
            )
        ),
    )
    parser.add_argument(
        "out",
        metavar="OUT.zip",
        help=words.tr(QT_TRANSLATE_NOOP("CommandLine", "the archive to write")),
    )
    return parser


def _import_parser(words: Words) -> Parser:
    parser = Parser(
        "voiceprint-studio import",
        words.tr(
            QT_TRANSLATE_NOOP(
                "CommandLine",
                "Import an archive, a folder of audio files (one sub-folder per group) or a CSV "
                "(columns file, name, description, group) into a workspace.",
            )
        ),
        words,
    )
    _server_option(parser, words)
    parser.add_argument(
        "source",
        metavar="SOURCE",
        help=words.tr(QT_TRANSLATE_NOOP("CommandLine", "ARCHIVE.zip, a FOLDER or a FILE.csv")),
    )
    return parser


def data_dir() -> Path:
    """The app's per-user data folder (where the offline workspace and jobs live)."""
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


@contextmanager
def open_workspace(server: str | None) -> Iterator[tuple[CozeClient, dict[str, str]]]:
    """A client for ``server`` (token from the environment) or the offline workspace."""
    from voiceprint_studio.api.coze import CozeClient

    if server:
        from voiceprint_studio.api.profiles import validate_base_url

        token = os.environ.get(TOKEN_ENV, "").strip()
        if not token:
            raise JobError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors",
                    "Set the environment variable {variable} to the server's token; the token "
                    "is never taken from the command line.",
                ),
                variable=TOKEN_ENV,
            )
        base_url = validate_base_url(server)
        with CozeClient(token, base_url) as client:
            yield client, {"workspace": "server", "base_url": base_url}
        return
    import base64

    import httpx

    from voiceprint_studio.local.app import create_app
    from voiceprint_studio.local.engine import BuiltinEngine

    token = base64.urlsafe_b64encode(os.urandom(24)).rstrip(b"=").decode("ascii")
    app = create_app(data_dir() / "offline-workspace", token, engine=BuiltinEngine())
    try:
        transport = httpx.WSGITransport(app=app)
        with CozeClient(token, "http://localhost", transport=transport) as client:
            yield client, {"workspace": "offline"}
    finally:
        app.close()


def export_main(
    argv: list[str],
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    words: Words | None = None,
) -> int:
    """``voiceprint-studio export``; returns the exit status (``words``: English unless
    given, :mod:`voiceprint_studio.cli_words`)."""
    from voiceprint_studio import __version__
    from voiceprint_studio.api.errors import ApiError
    from voiceprint_studio.local.workspace import WorkspaceError
    from voiceprint_studio.transfer.sources import export_groups

    out, err = stdout or sys.stdout, stderr or sys.stderr
    words = words or Words()
    parser = _export_parser(words)
    args = parser.parse_or_say(argv, err)
    if args is None:
        return EXIT_USAGE
    target = Path(args.out)
    if target.suffix.lower() != ".zip":
        err.write(
            parser.usage_error(
                words.tr(QT_TRANSLATE_NOOP("CommandLine", "the archive's name must end in .zip"))
            )
        )
        return EXIT_USAGE
    already = (
        "voiceprint-studio export: "
        + words.say(
            QT_TRANSLATE_NOOP(
                "CommandLine",
                "{path} already exists, and nothing was written. Give another name, "
                "or move or delete that file first.",
            ),
            path=target,
        )
        + "\n"
    )
    if target.exists() or target.is_symlink():
        # an earlier backup is not written over unasked (the window's save dialog asks)
        err.write(already)
        return EXIT_INCOMPLETE
    try:
        with open_workspace(args.server) as (client, source):
            everything = list(client.iter_groups())
            chosen = everything
            if args.group:
                chosen = []
                for ref in args.group:
                    found = [g for g in everything if ref in (g.id, g.name)]
                    if not found:
                        raise JobError(
                            QT_TRANSLATE_NOOP(
                                "TransferErrors",
                                "There is no group named {name} (or with that id).",
                            ),
                            name=repr(ref),  # as scripts have read it so far
                        )
                    chosen.extend(g for g in found if g not in chosen)
            # (nor one made meanwhile, by another export to the same name)
            manifest = export_groups(
                client, chosen, target, source=source, app_version=__version__, overwrite=False
            )
    except FileExistsError:
        err.write(already)
        return EXIT_INCOMPLETE
    except (JobError, ApiError, OSError, WorkspaceError) as exc:
        err.write(f"voiceprint-studio export: {_sentence(exc, words)}\n")
        return EXIT_INCOMPLETE
    out.write(
        words.say(
            QT_TRANSLATE_NOOP(
                "CommandLine",
                "Exported {groups} group(s) with {voiceprints} voiceprint(s) to {path}.",
            ),
            groups=len(manifest.groups),
            voiceprints=len(manifest.voiceprints),
            path=target,
        )
        + "\n"
    )
    return EXIT_OK


def import_main(
    argv: list[str],
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    words: Words | None = None,
) -> int:
    """``voiceprint-studio import``; returns the exit status (``words``: English unless
    given, :mod:`voiceprint_studio.cli_words`)."""
    from voiceprint_studio.api.errors import ApiError
    from voiceprint_studio.local.workspace import WorkspaceError
    from voiceprint_studio.transfer.archive import ArchiveError, read_archive, sha256_of
    from voiceprint_studio.transfer.jobs import Job
    from voiceprint_studio.transfer.sources import (
        ArchiveSource,
        FileSource,
        entries_from_csv,
        entries_from_folder,
        plan_archive,
        plan_files,
    )

    out, err = stdout or sys.stdout, stderr or sys.stderr
    words = words or Words()
    parser = _import_parser(words)
    args = parser.parse_or_say(argv, err)
    if args is None:
        return EXIT_USAGE
    source_path = Path(args.source)
    archive = None
    try:
        if source_path.is_dir():
            plan = plan_files(entries_from_folder(source_path))
            identity = f"folder:{source_path.resolve()}"
            source: ArchiveSource | FileSource = FileSource()
        elif source_path.suffix.lower() == ".csv":
            plan = plan_files(entries_from_csv(source_path))
            identity = f"csv:{source_path.resolve()}:{sha256_of(source_path)}"
            source = FileSource()
        else:
            archive = read_archive(source_path)  # everything checked before anything is written
            plan = plan_archive(archive)
            identity = f"archive:{sha256_of(source_path)}"
            source = ArchiveSource(archive)
        with open_workspace(args.server) as (client, where):
            # the job says where it goes (the app's Transfers list resumes it only there)
            plan = dataclasses.replace(plan, target=where)
            target_name = where.get("base_url", "offline")
            # one job per source, target and content: a folder that gained files since a
            # run was cut short is a new plan (what the old one made is found there, not
            # made again), and the old job goes once the new one has done everything
            stem = hashlib.sha256(f"{identity}|{target_name}".encode()).hexdigest()[:16]
            job_id = f"{stem}-{hashlib.sha256(plan.to_json().encode()).hexdigest()[:8]}"
            jobs_dir = data_dir() / "jobs"
            folder = jobs_dir / job_id
            if (folder / "plan.json").is_file():
                job = Job.open(folder)
                said = words.tr(
                    QT_TRANSLATE_NOOP(
                        "CommandLine", "Resuming the unfinished import of this source."
                    )
                )
                out.write(said + "\n")
            else:
                jobs_dir.mkdir(parents=True, exist_ok=True)
                job = Job.create(jobs_dir, plan, job_id)
            if args.server:
                said = words.say(
                    QT_TRANSLATE_NOOP(
                        "CommandLine",
                        "Importing {voiceprints} voiceprint(s) into {groups} group(s); at most "
                        "{calls} API calls.",
                    ),
                    voiceprints=len(plan.items),
                    groups=len(plan.groups),
                    calls=plan.estimate_calls(),
                )
            else:  # (the offline workspace is on this computer: no API call is made)
                said = words.say(
                    QT_TRANSLATE_NOOP(
                        "CommandLine",
                        "Importing {voiceprints} voiceprint(s) into {groups} group(s) of the "
                        "offline workspace (on this computer: no API calls).",
                    ),
                    voiceprints=len(plan.items),
                    groups=len(plan.groups),
                )
            out.write(said + "\n")
            result = job.run(source, client)
            if result.complete:
                for older in jobs_dir.glob(f"{stem}*"):
                    if older != folder and (older / "plan.json").is_file():
                        stale = Job.open(older)
                        if not stale.running:
                            stale.discard()
    except (ArchiveError, JobError, ApiError, OSError, WorkspaceError) as exc:
        err.write(f"voiceprint-studio import: {_sentence(exc, words)}\n")
        return EXIT_INCOMPLETE
    finally:
        if archive is not None:
            archive.close()
    out.write(format_result(result, words))
    return EXIT_OK if result.complete else EXIT_INCOMPLETE


def format_result(result: JobResult, words: Words | None = None) -> str:
    """What a job did, one line per item that needs a word."""
    words = words or Words()
    lines = [
        words.say(
            QT_TRANSLATE_NOOP(
                "CommandLine",
                "Created {created}, already there {existed}, skipped {skipped}, failed {failed}.",
            ),
            created=len(result.created),
            existed=len(result.existed),
            skipped=len(result.skipped),
            failed=len(result.failed),
        )
    ]
    skipped = QT_TRANSLATE_NOOP("CommandLine", "  skipped {name}: {why}")
    failed = QT_TRANSLATE_NOOP("CommandLine", "  failed {name}: {why}")
    lines += [
        words.say(skipped, name=repr(item.name), why=words.reason(why))
        for item, why in result.skipped
    ]
    lines += [
        words.say(failed, name=repr(item.name), why=words.reason(why))
        for item, why in result.failed
    ]
    if result.failed:
        lines.append(
            words.tr(
                QT_TRANSLATE_NOOP(
                    "CommandLine",
                    "Run the same command again to retry what failed; nothing is duplicated.",
                )
            )
        )
    return "\n".join(lines) + "\n"


def _sentence(exc: BaseException, words: Words) -> str:
    from voiceprint_studio.local.workspace import WorkspaceBusyError
    from voiceprint_studio.transfer.reasons import TransferError

    if isinstance(exc, TransferError):
        return words.reason(exc.reason)
    if isinstance(exc, WorkspaceBusyError):
        return words.tr(
            QT_TRANSLATE_NOOP(
                "CommandLine",
                "The offline workspace is open in Voiceprint Studio (or in a server started "
                "on it): close it, then run the command again.",
            )
        )
    return words.error(exc)
