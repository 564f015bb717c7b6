"""The portable archive: a zip with ``manifest.json`` (format version 1) and the audio files.

Layout::

    manifest.json
    audio/<key>.wav            (or .pcm: the bytes the service returned for audio_url)

``manifest.json``::

    {"format": "voiceprint-studio-archive", "version": 1, "created_at": "<ISO 8601 UTC>",
     "app_version": "...", "source": {"workspace": "...", "base_url": "..."},
     "groups": [{"key", "source_id", "name", "desc", "created_at", "updated_at"}],
     "voiceprints": [{"key", "group", "source_id", "name", "desc", "created_at",
                      "updated_at", "file", "sha256", "size"}]}

:func:`read_archive` checks everything before it returns -- the manifest's shape, every
name and description against the service's limits, that each file named exists, lies
inside ``audio/`` and matches its size and sha256, that nothing else is in the zip, and
that no entry inflates past its limit (zip bombs) -- and raises :class:`ArchiveError`
with a sentence for the operator otherwise. A refused archive writes nothing.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from voiceprint_studio.transfer.reasons import QT_TRANSLATE_NOOP, Reason, TransferError

FORMAT = "voiceprint-studio-archive"
VERSION = 1
MANIFEST = "manifest.json"
# The largest audio file an archive may hold: Coze's 4 MB limit plus a margin.
MAX_AUDIO_BYTES = 4 * 1024 * 1024 + 64 * 1024
MAX_MANIFEST_BYTES = 8 * 1024 * 1024
MAX_ENTRIES = 20_000
MAX_NAME = 20
MAX_DESC = 500
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ArchiveError(TransferError):
    """An archive that cannot be read or was refused; ``reason`` is the sentence for the user."""


# The manifest's text fields, in words.
_FIELDS = {
    "name": QT_TRANSLATE_NOOP("TransferErrors", "name"),
    "desc": QT_TRANSLATE_NOOP("TransferErrors", "description"),
    "source_id": QT_TRANSLATE_NOOP("TransferErrors", "source id"),
}


def _group_at(n: int) -> Reason:
    return Reason(QT_TRANSLATE_NOOP("TransferErrors", "group {n}"), {"n": n})


def _voiceprint_at(n: int) -> Reason:
    return Reason(QT_TRANSLATE_NOOP("TransferErrors", "voiceprint {n}"), {"n": n})


@dataclass(frozen=True)
class ArchiveGroup:
    """A group as exported."""

    key: str
    name: str
    desc: str = ""
    source_id: str = ""
    created_at: int | None = None
    updated_at: int | None = None


@dataclass(frozen=True)
class ArchiveVoiceprint:
    """A voiceprint as exported; ``file`` is its audio inside the archive."""

    key: str
    group: str
    name: str
    file: str
    sha256: str
    size: int
    desc: str = ""
    source_id: str = ""
    created_at: int | None = None
    updated_at: int | None = None


@dataclass(frozen=True)
class Manifest:
    """What an archive holds."""

    groups: tuple[ArchiveGroup, ...]
    voiceprints: tuple[ArchiveVoiceprint, ...]
    source: Mapping[str, str]
    created_at: str = ""
    app_version: str = ""

    def to_json(self) -> bytes:
        """The manifest file's bytes."""
        payload = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": self.created_at,
            "app_version": self.app_version,
            "source": dict(self.source),
            "groups": [asdict(g) for g in self.groups],
            "voiceprints": [asdict(v) for v in self.voiceprints],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def sha256_of(path: Path) -> str:
    """The sha256 of a file, read in blocks of 1 MiB (hashing releases the GIL; few
    blocks mean few times a worker has to take it back from the GUI thread)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def audio_suffix(head: bytes) -> str:
    """``.wav`` for RIFF/WAVE bytes, else ``.pcm`` (the only two formats Coze takes)."""
    return ".wav" if head[:4] == b"RIFF" and head[8:12] == b"WAVE" else ".pcm"


def write_archive(
    path: Path, manifest: Manifest, files: Mapping[str, Path], *, overwrite: bool = True
) -> Path:
    """Write the archive to ``path`` atomically (a ``.part`` file of its own, then renamed).

    ``files`` maps each voiceprint's ``file`` to the local file holding its bytes. On
    any failure the partial file is removed and the error raised. Without ``overwrite``
    a file at ``path`` -- even one made while the archive was written -- is never
    replaced: :class:`FileExistsError` is raised and nothing is left.
    """
    # a name of its own: two exports to one name at once must not write one file (the
    # second's start emptied the first's, and the first put the second's in place)
    part = path.with_name(f"{path.name}.{os.urandom(6).hex()}.part")
    try:
        with zipfile.ZipFile(part, "x", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, manifest.to_json())
            for voiceprint in manifest.voiceprints:
                # wav/pcm barely compress; store them as they are
                zf.write(files[voiceprint.file], voiceprint.file, zipfile.ZIP_STORED)
        with part.open("rb") as handle:
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(part, path)
        else:
            _put_in_place_once(part, path)
    except BaseException as exc:
        part.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename == str(part):
            exc.filename = str(path)  # (the file asked for, not its temporary name)
        raise
    return path


def _put_in_place_once(part: Path, path: Path) -> None:
    """Rename ``part`` to ``path`` unless ``path`` exists (:class:`FileExistsError`), in
    one step: Windows' rename refuses an existing name; elsewhere a hard link does
    (a file system without hard links gets a check, then the rename)."""
    if os.name == "nt":
        os.rename(part, path)
        return
    try:
        os.link(part, path)
    except FileExistsError:
        raise
    except OSError:
        if path.exists() or path.is_symlink():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
        os.replace(part, path)
        return
    part.unlink()


def _text(obj: Mapping[str, Any], key: str, where: Reason, *, limit: int, required: bool) -> str:
    value = obj.get(key, "")
    what = Reason(_FIELDS[key])
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "TransferErrors",
                "The archive's manifest is damaged: {where} has a {field} that is not text.",
            ),
            where=where,
            field=what,
        )
    if required and not value.strip():
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "TransferErrors", "The archive's manifest is damaged: {where} has no {field}."
            ),
            where=where,
            field=what,
        )
    if len(value) > limit:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "TransferErrors",
                "The archive's manifest is damaged: the {field} of {where} is longer than "
                "{limit} characters.",
            ),
            where=where,
            field=what,
            limit=limit,
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "TransferErrors",
                "The archive's manifest is damaged: the {field} of {where} is not valid text.",
            ),
            where=where,
            field=what,
        ) from None
    return value


_NO_KEY = QT_TRANSLATE_NOOP(
    "TransferErrors", "The archive's manifest is damaged: {where} has no valid key."
)


def _time(obj: Mapping[str, Any], key: str) -> int | None:
    value = obj.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _safe_member(name: str) -> bool:
    """Whether a zip entry name stays inside the archive's folder on every system."""
    if not name or "\\" in name or ":" in name or name.startswith("/") or "\x00" in name:
        return False
    parts = PurePosixPath(name).parts
    return ".." not in parts and "." not in parts


def parse_manifest(raw: bytes) -> Manifest:
    """The manifest from its bytes, or :class:`ArchiveError` saying what is wrong."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ArchiveError(
            QT_TRANSLATE_NOOP("TransferErrors", "The archive's manifest is not valid JSON.")
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("TransferErrors", "This zip file is not a Voiceprint Studio archive.")
        )
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "TransferErrors", "The archive's manifest is damaged: it has no valid version."
            )
        )
    if version > VERSION:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "TransferErrors",
                "This archive was made by a newer Voiceprint Studio (format {version}); "
                "update the app to import it.",
            ),
            version=version,
        )
    groups_raw, prints_raw = data.get("groups"), data.get("voiceprints")
    if not isinstance(groups_raw, list) or not isinstance(prints_raw, list):
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "TransferErrors",
                "The archive's manifest is damaged: groups or voiceprints are missing.",
            )
        )
    if len(groups_raw) + len(prints_raw) > MAX_ENTRIES:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "TransferErrors", "The archive lists more entries than Voiceprint Studio accepts."
            )
        )
    groups: list[ArchiveGroup] = []
    for i, g in enumerate(groups_raw, 1):
        where = _group_at(i)
        if not isinstance(g, dict) or not isinstance(g.get("key"), str) or not _KEY.match(g["key"]):
            raise ArchiveError(_NO_KEY, where=where)
        groups.append(
            ArchiveGroup(
                key=g["key"],
                name=_text(g, "name", where, limit=MAX_NAME, required=True),
                desc=_text(g, "desc", where, limit=MAX_DESC, required=False),
                source_id=_text(g, "source_id", where, limit=64, required=False),
                created_at=_time(g, "created_at"),
                updated_at=_time(g, "updated_at"),
            )
        )
    group_keys = {g.key for g in groups}
    if len(group_keys) != len(groups):
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "TransferErrors", "The archive's manifest is damaged: two groups have the same key."
            )
        )
    prints: list[ArchiveVoiceprint] = []
    files: set[str] = set()
    for i, v in enumerate(prints_raw, 1):
        where = _voiceprint_at(i)
        if not isinstance(v, dict) or not isinstance(v.get("key"), str) or not _KEY.match(v["key"]):
            raise ArchiveError(_NO_KEY, where=where)
        if v.get("group") not in group_keys:
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors",
                    "The archive's manifest is damaged: {where} names no listed group.",
                ),
                where=where,
            )
        file = v.get("file")
        if not isinstance(file, str) or not _safe_member(file) or not file.startswith("audio/"):
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors",
                    "The archive was refused: {where} points at a file outside the archive's "
                    "audio folder.",
                ),
                where=where,
            )
        if PurePosixPath(file).suffix not in (".wav", ".pcm"):
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors", "The archive was refused: {where} is not a wav or pcm file."
                ),
                where=where,
            )
        if file in files:
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors",
                    "The archive's manifest is damaged: {where} reuses another's file.",
                ),
                where=where,
            )
        files.add(file)
        sha = v.get("sha256")
        size = v.get("size")
        if not isinstance(sha, str) or not _SHA256.match(sha):
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors",
                    "The archive's manifest is damaged: {where} has no valid sha256.",
                ),
                where=where,
            )
        if not isinstance(size, int) or isinstance(size, bool) or not 0 < size <= MAX_AUDIO_BYTES:
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors",
                    "The archive was refused: the audio of {where} is empty or larger than 4 MB.",
                ),
                where=where,
            )
        prints.append(
            ArchiveVoiceprint(
                key=v["key"],
                group=v["group"],
                name=_text(v, "name", where, limit=MAX_NAME, required=True),
                file=file,
                sha256=sha,
                size=size,
                desc=_text(v, "desc", where, limit=MAX_DESC, required=False),
                source_id=_text(v, "source_id", where, limit=64, required=False),
                created_at=_time(v, "created_at"),
                updated_at=_time(v, "updated_at"),
            )
        )
    if len({v.key for v in prints}) != len(prints):
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "TransferErrors",
                "The archive's manifest is damaged: two voiceprints have the same key.",
            )
        )
    source = data.get("source")
    source_map = (
        {str(k): str(val)[:200] for k, val in source.items() if isinstance(val, str)}
        if isinstance(source, dict)
        else {}
    )
    created = data.get("created_at")
    app_version = data.get("app_version")
    return Manifest(
        groups=tuple(groups),
        voiceprints=tuple(prints),
        source=source_map,
        created_at=created if isinstance(created, str) else "",
        app_version=app_version if isinstance(app_version, str) else "",
    )


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """An entry's bytes; :class:`ArchiveError` if it inflates past ``limit`` (bomb)."""
    too_large = QT_TRANSLATE_NOOP(
        "TransferErrors", "The archive was refused: {file} is larger than an archive entry may be."
    )
    if info.file_size > limit:
        raise ArchiveError(too_large, file=info.filename[:80])
    with zf.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # the header lied about the size
        raise ArchiveError(too_large, file=info.filename[:80])
    return data


class Archive:
    """An archive that passed every check; :meth:`extract` writes one voiceprint's audio.

    Use as a context manager (it keeps the zip open).
    """

    def __init__(self, path: Path, manifest: Manifest, zf: zipfile.ZipFile) -> None:
        self.path = path
        self.manifest = manifest
        self._zf = zf

    def extract(self, voiceprint: ArchiveVoiceprint, dest: Path) -> Path:
        """Write ``voiceprint``'s audio to ``dest`` (checked again against its sha256)."""
        data = _read_capped(self._zf, self._zf.getinfo(voiceprint.file), MAX_AUDIO_BYTES)
        if hashlib.sha256(data).hexdigest() != voiceprint.sha256:
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors",
                    "The archive changed while it was read: the audio of “{name}” no longer "
                    "matches.",
                ),
                name=voiceprint.name,
            )
        dest.write_bytes(data)
        return dest

    def close(self) -> None:
        """Close the zip."""
        self._zf.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def read_archive(path: Path) -> Archive:
    """Open and check an archive completely; :class:`ArchiveError` if anything is wrong."""
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ArchiveError(
            QT_TRANSLATE_NOOP("TransferErrors", "The archive {file} does not exist."),
            file=path.name,
        ) from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ArchiveError(
            QT_TRANSLATE_NOOP("TransferErrors", "{file} is not a zip archive, or it is damaged."),
            file=path.name,
        ) from None
    try:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES + 1:
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors", "The archive holds more files than Voiceprint Studio accepts."
                )
            )
        names = [i.filename for i in infos]
        if len(set(names)) != len(names):
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors",
                    "The archive was refused: it holds two files with the same name.",
                )
            )
        for name in names:
            if not _safe_member(name):
                raise ArchiveError(
                    QT_TRANSLATE_NOOP(
                        "TransferErrors",
                        "The archive was refused: the entry “{file}” would be written outside "
                        "its folder.",
                    ),
                    file=name[:80],
                )
        if MANIFEST not in names:
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors",
                    "This zip file is not a Voiceprint Studio archive (no manifest).",
                )
            )
        manifest = parse_manifest(_read_capped(zf, zf.getinfo(MANIFEST), MAX_MANIFEST_BYTES))
        listed = {v.file: v for v in manifest.voiceprints}
        extra = [n for n in names if n != MANIFEST and n not in listed and not n.endswith("/")]
        if extra:
            raise ArchiveError(
                QT_TRANSLATE_NOOP(
                    "TransferErrors",
                    "The archive was refused: it holds files its manifest does not list ({file}).",
                ),
                file=extra[0][:80],
            )
        for file, voiceprint in listed.items():
            if file not in names:
                raise ArchiveError(
                    QT_TRANSLATE_NOOP(
                        "TransferErrors",
                        "The archive is incomplete: the audio of “{name}” is missing.",
                    ),
                    name=voiceprint.name,
                )
            data = _read_capped(zf, zf.getinfo(file), MAX_AUDIO_BYTES)
            if (
                len(data) != voiceprint.size
                or hashlib.sha256(data).hexdigest() != voiceprint.sha256
            ):
                raise ArchiveError(
                    QT_TRANSLATE_NOOP(
                        "TransferErrors",
                        "The archive was refused: the audio of “{name}” does not match its "
                        "checksum (the file was changed or damaged).",
                    ),
                    name=voiceprint.name,
                )
    except ArchiveError:
        zf.close()
        raise
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        zf.close()
        raise ArchiveError(
            QT_TRANSLATE_NOOP("TransferErrors", "{file} is damaged and cannot be read ({what})."),
            file=path.name,
            what=type(exc).__name__,
        ) from None
    return Archive(path, manifest, zf)


def group_items(manifest: Manifest) -> Iterable[tuple[ArchiveGroup, list[ArchiveVoiceprint]]]:
    """Each group with its voiceprints, in the manifest's order."""
    for group in manifest.groups:
        yield group, [v for v in manifest.voiceprints if v.group == group.key]
