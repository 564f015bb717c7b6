"""The WSGI application of the embedded backend (Coze voiceprint + MiniMax voice contracts).

Use it in-process through ``httpx.WSGITransport(app=create_app(...))`` or serve it on
loopback with :class:`voiceprint_studio.local.server.LoopbackServer`.

Decisions where the contracts are silent (clients may rely on them):

* Coze failures come back with HTTP 200 and a non-zero ``code``, except: 4100 (bad or
  missing token) -> HTTP 401; an unknown route -> HTTP 404 with code 4200; a known route
  with the wrong method -> HTTP 405 with code 4000 and an ``Allow`` header; a full disk
  (``ENOSPC``/``EDQUOT``, or SQLite's "database or disk is full") -> HTTP 507 with code
  4901 (not a Coze code; nothing was saved); an unexpected exception -> HTTP 500 with code
  5000 (the traceback only goes to the log, under the logid).
* Input that would otherwise end in an internal error is a parameter error (4000 naming
  the field; MiniMax 2013): a ``page_num`` beyond 2**31 - 1, a string holding a lone
  UTF-16 surrogate (``"\ud800"`` in JSON; it cannot be stored as UTF-8), a JSON body
  nested too deeply to parse; a request whose body ends early (the client went away) is
  4000 without a traceback in the log.
* ``user_id`` in the group list may only be the token owner's uid; any other uid is a
  parameter error (code 4000, msg names ``user_id``) rather than a silently empty page.
* ``page_num`` past the end returns ``items: []`` with the true ``total``.
* Limits: more than ``max_features`` voiceprints in a group or ``max_groups`` groups per
  account are parameter errors (code 4000 with a message saying which limit); deleting a
  group or voiceprint, or updating a voiceprint, someone else created is code 4101.
* Group create/update take JSON; update-voiceprint takes multipart, and also JSON or a
  urlencoded form when it carries no file (the official SDK, cozepy, sends multipart text
  parts then: its ``files`` is ``{}``, not None). Create-voiceprint and identify must be
  multipart (4300 otherwise).
* The codes above that the public Coze docs do not give for these cases (4101 for a
  non-creator, 4000 for another ``user_id``, 4200 with HTTP 404 for an unknown route) are
  this project's choices: see ``docs/offline-backend-codes.md``.
* Identification without a speaker engine answers code 4900 ("speaker identification is
  not available in the offline workspace"), after auth, group and file were validated.
* ``audio_url`` is ``<root>/files/audio/<name>?sig=<hmac>``, signed with a key kept in the
  database; it needs no bearer token (like a CDN URL) and answers HTTP 403 with code 4101
  for a bad signature. wav is served as ``audio/wav``, pcm as ``application/octet-stream``.
* MiniMax: a bad key is ``status_code`` 1004 (HTTP 200); bad parameters (including asking
  to delete a system voice) 2013; an unknown voice_id, or one of another type, 20132.
  Every MiniMax response carries a ``Trace-Id`` header.
"""

from __future__ import annotations

import errno
import hmac
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from io import BytesIO
from typing import IO, TYPE_CHECKING, Any

from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import (
    ClientDisconnected,
    HTTPException,
    MethodNotAllowed,
    RequestEntityTooLarge,
)
from werkzeug.http import http_date
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from voiceprint_studio.local.engine import EngineUnavailableError, SpeakerEngine
from voiceprint_studio.local.store import (
    DESC_MAX,
    NAME_MAX,
    FeatureRow,
    GroupRow,
    LocalUser,
    NewAudio,
    Store,
    StoreError,
    VoiceError,
    check_text,
    sign_audio_name,
)
from voiceprint_studio.local.upload import MAX_FILE_BYTES, CheckedAudio, UploadError, check_upload

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

_log = logging.getLogger(__name__)

IDENTIFY_UNAVAILABLE_CODE = 4900
DISK_FULL_CODE = 4901
DISK_FULL_MSG = "the disk of the offline workspace is full: nothing was saved"
MAX_PAGE_NUM = 2**31 - 1
_DISK_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_SQLITE_FULL = 13
IDENTIFY_UNAVAILABLE_MSG = "speaker identification is not available in the offline workspace"
_VOICE_TYPES = ("system", "voice_cloning", "voice_generation", "all")
_STATIC = {
    "group_icon.svg": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" '
        'r="30" fill="#4c6ef5"/><path d="M20 36v-8m8 14V22m8 16V26m8 8v-4" stroke="#fff" '
        'stroke-width="4" stroke-linecap="round"/></svg>'
    ),
    "feature_icon.svg": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" '
        'height="64" rx="12" fill="#12b886"/><path d="M18 32h4m6-10v20m8-14v8m8-12v16" '
        'stroke="#fff" stroke-width="4" stroke-linecap="round"/></svg>'
    ),
    "avatar.svg": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" '
        'r="32" fill="#adb5bd"/><circle cx="32" cy="26" r="11" fill="#fff"/><path '
        'd="M12 54c4-10 12-14 20-14s16 4 20 14" fill="#fff"/></svg>'
    ),
}


class ApiError(Exception):
    """A Coze failure to answer with ``code``/``msg`` and HTTP ``status``."""

    def __init__(self, code: int, msg: str, status: int = 200) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg
        self.status = status


# Bytes of request bodies held in memory at once, across requests (see :class:`_Request`).
IN_MEMORY_BODIES_MAX = 64 * 1024 * 1024
# Room for the text fields and the multipart framing beside one file of the size limit.
_FORM_SLACK = 64 * 1024


class _MemoryBudget:
    """Bytes of uploaded files kept in memory by the requests being parsed, bounded."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self._lock = threading.Lock()

    def take(self, size: int) -> bool:
        """Reserve ``size`` bytes; False (nothing reserved) when that would pass the limit."""
        with self._lock:
            if self.used + size > self.limit:
                return False
            self.used += size
            return True

    def give_back(self, size: int) -> None:
        with self._lock:
            self.used -= size


_MEMORY = _MemoryBudget(IN_MEMORY_BODIES_MAX)


class _Request(Request):
    """A request whose uploaded files are parsed in memory when they can be.

    A body that can hold one file of the size limit and no more (``Content-Length`` at
    most ``max_file_bytes`` + 64 KiB) has its file parts kept in memory: werkzeug would
    otherwise copy every part over 500 KB into a temporary file and read it back (parsing
    a 4 MB body took about twice as long: 8 ms against 4). Larger bodies (up to
    ``max_content_length``, refused beyond it before parsing) and any body while
    :data:`IN_MEMORY_BODIES_MAX` bytes are already held by other requests are spooled to
    temporary files as before; an oversized file is refused (4302) either way, when it is
    read.
    """

    # a little over three maximal files: larger bodies are refused before parsing (4302)
    max_content_length = 3 * MAX_FILE_BYTES + 256 * 1024
    max_form_memory_size = 1024 * 1024

    def __init__(self, environ: WSGIEnvironment, max_file_bytes: int = MAX_FILE_BYTES) -> None:
        super().__init__(environ)
        self._spools: list[IO[bytes]] = []
        self._in_memory_max = max_file_bytes + _FORM_SLACK
        self._reserved = -1  # bytes reserved in _MEMORY; -1: not decided yet

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        if self._reserved < 0:
            size = total_content_length or 0
            fits = 0 < size <= self._in_memory_max and _MEMORY.take(size)
            self._reserved = size if fits else 0
        stream: IO[bytes]
        if self._reserved:
            # all of this body's file parts together are smaller than the body
            stream = BytesIO()
        else:
            stream = super()._get_file_stream(
                total_content_length, content_type, filename, content_length
            )
        # Remember every spool file, so that an upload the client aborts
        # mid-body (the parser raises before ``files`` exists) is still closed.
        self._spools.append(stream)
        return stream

    def close(self) -> None:
        super().close()
        for stream in self._spools:
            stream.close()
        if self._reserved > 0:
            _MEMORY.give_back(self._reserved)
            self._reserved = 0


_URL_MAP = Map(
    [
        Rule("/v1/users/me", methods=["GET"], endpoint="users_me"),
        Rule("/v1/audio/voiceprint_groups", methods=["POST"], endpoint="group_create"),
        Rule("/v1/audio/voiceprint_groups", methods=["GET"], endpoint="group_list"),
        Rule("/v1/audio/voiceprint_groups/<gid>", methods=["PUT"], endpoint="group_update"),
        Rule("/v1/audio/voiceprint_groups/<gid>", methods=["DELETE"], endpoint="group_delete"),
        Rule(
            "/v1/audio/voiceprint_groups/<gid>/features",
            methods=["POST"],
            endpoint="feature_create",
        ),
        Rule(
            "/v1/audio/voiceprint_groups/<gid>/features", methods=["GET"], endpoint="feature_list"
        ),
        Rule(
            "/v1/audio/voiceprint_groups/<gid>/features/<fid>",
            methods=["PUT"],
            endpoint="feature_update",
        ),
        Rule(
            "/v1/audio/voiceprint_groups/<gid>/features/<fid>",
            methods=["DELETE"],
            endpoint="feature_delete",
        ),
        Rule(
            "/v1/audio/voiceprint_groups/<gid>/speaker_identify",
            methods=["POST"],
            endpoint="identify",
        ),
        Rule("/v1/get_voice", methods=["POST"], endpoint="mm_get_voice"),
        Rule("/v1/delete_voice", methods=["POST"], endpoint="mm_delete_voice"),
        Rule("/files/audio/<name>", methods=["GET"], endpoint="audio_file"),
        Rule("/static/<name>", methods=["GET"], endpoint="static_file"),
    ],
    strict_slashes=False,
    merge_slashes=False,
)


def new_logid() -> str:
    """A Coze-style log id: UTC timestamp plus random hex."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
    return stamp + secrets.token_hex(9).upper()


def _json_response(body: object, status: int = 200) -> Response:
    # backslashreplace: a lone surrogate echoed in a message stays a valid JSON escape
    text = json.dumps(body, ensure_ascii=False).encode("utf-8", "backslashreplace")
    return Response(text, status=status, content_type="application/json; charset=utf-8")


def _shown(text: str, limit: int = 60) -> str:
    """A client-given name, safe to echo in a message (escaped, bounded)."""
    return ascii(text[:limit])


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
        return True
    if isinstance(exc, sqlite3.OperationalError):
        code = getattr(exc, "sqlite_errorcode", None)
        return code == _SQLITE_FULL or "disk is full" in str(exc)
    return False


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def _text_fields(body: dict[str, Any], error: Callable[[str], Exception]) -> dict[str, Any]:
    """``body`` unchanged, or ``error(msg)`` raised for a key or string value holding a lone
    surrogate (SQLite and the response encoder both refuse them)."""
    for key, value in body.items():
        if _has_surrogate(key) or (isinstance(value, str) and _has_surrogate(value)):
            field = key[:60].encode("ascii", "backslashreplace").decode()
            raise error(
                f"{field}: contains a character that is not valid text (a lone UTF-16 surrogate)"
            )
    return body


def _int_param(name: str, raw: str | None, default: int, lo: int, hi: int | None) -> int:
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ApiError(4000, f"{name}: must be an integer, got {_shown(raw)}") from None
    if value < lo or (hi is not None and value > hi):
        bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise ApiError(4000, f"{name}: must be {bound}, got {_shown(raw.strip())}")
    return value


def _json_object(request: Request, *, allow_empty: bool) -> dict[str, Any]:
    raw = request.get_data(cache=True)
    if not raw.strip():
        if allow_empty:
            return {}
        raise ApiError(4000, "request body must be a JSON object")
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiError(4000, "request body is not valid JSON") from None
    except RecursionError:
        raise ApiError(4000, "request body: the JSON is nested too deeply") from None
    if not isinstance(body, dict):
        raise ApiError(4000, "request body must be a JSON object")
    return _text_fields(body, lambda msg: ApiError(4000, msg))


def _is_multipart(request: Request) -> bool:
    return request.mimetype == "multipart/form-data"


class BackendApp:
    """WSGI callable serving the Coze voiceprint and MiniMax voice contracts.

    Attributes: ``store`` (:class:`Store`), ``token`` (the Coze bearer token),
    ``minimax_token``, ``engine`` (optional :class:`SpeakerEngine`), ``latency`` (seconds
    slept before every response), ``max_file_bytes``.
    """

    def __init__(
        self,
        store: Store,
        token: str,
        *,
        engine: SpeakerEngine | None = None,
        latency: float = 0.0,
        minimax_token: str | None = None,
        max_file_bytes: int = MAX_FILE_BYTES,
    ) -> None:
        self.store = store
        self.token = token
        self.minimax_token = minimax_token if minimax_token is not None else token
        self.engine = engine
        self.latency = latency
        self.max_file_bytes = max_file_bytes
        self._secret = store.url_secret()
        self._handlers: dict[str, Callable[[Request, dict[str, str]], Any]] = {
            "users_me": self._users_me,
            "group_create": self._group_create,
            "group_list": self._group_list,
            "group_update": self._group_update,
            "group_delete": self._group_delete,
            "feature_create": self._feature_create,
            "feature_list": self._feature_list,
            "feature_update": self._feature_update,
            "feature_delete": self._feature_delete,
            "identify": self._identify,
        }

    @property
    def user(self) -> LocalUser:
        """The token owner."""
        return self.store.user

    def close(self) -> None:
        """Release the database connections."""
        self.store.close()

    # -- WSGI ----------------------------------------------------------------------------

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer one request."""
        request = _Request(environ, self.max_file_bytes)
        try:
            response = self._dispatch(request)
        finally:
            request.close()
        if self.latency > 0:
            time.sleep(self.latency)
        # as an HTTP server says it (the in-process transport has none to add it): a
        # client tells from it how far its clock is from the service's
        if "Date" not in response.headers:
            response.headers["Date"] = http_date(time.time())
        return response(environ, start_response)

    def _dispatch(self, request: Request) -> Response:
        logid = new_logid()
        adapter = _URL_MAP.bind_to_environ(request.environ)
        try:
            endpoint, args = adapter.match()
        except MethodNotAllowed as exc:
            resp = self._coze_error(
                ApiError(4000, f"method {request.method} not allowed on {request.path}", 405),
                logid,
            )
            resp.headers["Allow"] = ", ".join(sorted(exc.valid_methods or []))
            return resp
        except HTTPException:
            return self._coze_error(
                ApiError(4200, f"no such endpoint: {request.method} {request.path}", 404), logid
            )
        if str(endpoint).startswith("mm_"):
            return self._dispatch_minimax(str(endpoint), request)
        try:
            if endpoint == "audio_file":
                resp = self._audio_file(request, args["name"])
            elif endpoint == "static_file":
                resp = self._static_file(args["name"])
            else:
                self._check_coze_auth(request)
                params = {key: str(value) for key, value in args.items()}
                data = self._handlers[str(endpoint)](request, params)
                resp = _json_response(
                    {"code": 0, "msg": "", "data": data, "detail": {"logid": logid}}
                )
        except (ApiError, StoreError, UploadError) as exc:
            status = exc.status if isinstance(exc, ApiError) else 200
            resp = self._coze_error(ApiError(exc.code, exc.msg, status), logid)
        except RequestEntityTooLarge:
            resp = self._coze_error(
                ApiError(
                    4302, f"request too large: each file may be at most {self.max_file_bytes} bytes"
                ),
                logid,
            )
        except ClientDisconnected:
            _log.debug("client went away mid-request, logid=%s", logid)
            resp = self._coze_error(
                ApiError(4000, "request body: it ended before its announced length", 400), logid
            )
        except Exception as exc:
            if _is_disk_full(exc):
                _log.error("disk full, logid=%s: %s", logid, exc)
                resp = self._coze_error(ApiError(DISK_FULL_CODE, DISK_FULL_MSG, 507), logid)
            else:
                _log.exception("internal error, logid=%s", logid)
                resp = self._coze_error(ApiError(5000, "internal server error", 500), logid)
        resp.headers["x-tt-logid"] = logid
        return resp

    @staticmethod
    def _coze_error(err: ApiError, logid: str) -> Response:
        resp = _json_response(
            {"code": err.code, "msg": err.msg, "data": None, "detail": {"logid": logid}},
            err.status,
        )
        resp.headers["x-tt-logid"] = logid
        return resp

    def _check_coze_auth(self, request: Request) -> None:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), self.token.encode()
        ):
            raise ApiError(
                4100,
                "authentication is invalid: missing or wrong Authorization bearer token",
                401,
            )

    # -- JSON shapes ---------------------------------------------------------------------

    def _user_info(self, request: Request, user_id: str) -> dict[str, str]:
        user = self.store.get_user(user_id)
        return {
            "id": user.user_id,
            "name": user.user_name,
            "nickname": user.nick_name,
            "avatar_url": f"{request.root_url}static/avatar.svg",
        }

    def _group_json(self, request: Request, group: GroupRow) -> dict[str, Any]:
        return {
            "id": group.id,
            "name": group.name,
            "desc": group.desc,
            "icon_url": f"{request.root_url}static/group_icon.svg",
            "user_info": self._user_info(request, group.user_id),
            "created_at": group.created_at,
            "updated_at": group.updated_at,
            "feature_count": group.feature_count,
        }

    def sign(self, name: str) -> str:
        """The signature of an audio file name used in ``audio_url``."""
        return sign_audio_name(self._secret, name)

    @property
    def url_secret(self) -> bytes:
        """The key its audio addresses are signed with (:func:`sign_audio_name`)."""
        return self._secret

    def _feature_json(self, request: Request, feature: FeatureRow) -> dict[str, Any]:
        return {
            "id": feature.id,
            "group_id": feature.group_id,
            "name": feature.name,
            "desc": feature.desc,
            "icon_url": f"{request.root_url}static/feature_icon.svg",
            "audio_url": (
                f"{request.root_url}files/audio/{feature.audio_file}"
                f"?sig={self.sign(feature.audio_file)}"
            ),
            "user_info": self._user_info(request, feature.user_id),
            "created_at": feature.created_at,
            "updated_at": feature.updated_at,
        }

    # -- Coze handlers -------------------------------------------------------------------

    def _users_me(self, request: Request, _args: dict[str, str]) -> dict[str, str]:
        user = self.user
        return {
            "user_id": user.user_id,
            "user_name": user.user_name,
            "nick_name": user.nick_name,
            "avatar_url": f"{request.root_url}static/avatar.svg",
        }

    def _group_create(self, request: Request, _args: dict[str, str]) -> dict[str, str]:
        body = _json_object(request, allow_empty=False)
        if body.get("name") is None:
            raise ApiError(4000, "name: is required")
        desc = body.get("desc")
        group = self.store.create_group(body["name"], "" if desc is None else desc)
        return {"id": group.id}

    def _group_list(self, request: Request, _args: dict[str, str]) -> dict[str, Any]:
        q = request.args
        page_num = _int_param("page_num", q.get("page_num"), 1, 1, MAX_PAGE_NUM)
        page_size = _int_param("page_size", q.get("page_size"), 10, 1, 200)
        user_id = (q.get("user_id") or "").strip() or None
        if user_id is not None and user_id != self.user.user_id:
            raise ApiError(
                4000, "user_id: only your own user id may be given (omit it for the whole team)"
            )
        group_id = (q.get("group_id") or "").strip() or None
        if group_id is not None and not (group_id.isascii() and group_id.isdigit()):
            raise ApiError(4000, f"group_id: must be a numeric id, got {group_id!r}")
        items, total = self.store.list_groups(
            page_num=page_num,
            page_size=page_size,
            name_prefix=q.get("name") or None,
            user_id=user_id,
            group_id=group_id,
        )
        return {"items": [self._group_json(request, g) for g in items], "total": total}

    def _group_update(self, request: Request, args: dict[str, str]) -> dict[str, Any]:
        body = _json_object(request, allow_empty=True)
        self.store.update_group(args["gid"], name=body.get("name"), desc=body.get("desc"))
        return {}

    def _group_delete(self, request: Request, args: dict[str, str]) -> dict[str, Any]:
        self.store.delete_group(args["gid"], acting_user_id=self.user.user_id)
        return {}

    def _single_file(self, request: Request, *, required: bool) -> FileStorage | None:
        files = list(request.files.items(multi=True))
        if len(files) > 1:
            raise ApiError(4301, f"only one file may be uploaded, got {len(files)}")
        if not files:
            if required:
                raise ApiError(4300, "file: is required (an empty upload)")
            return None
        field, storage = files[0]
        if field != "file":
            raise ApiError(4000, f"the audio must be sent in the 'file' field, not {field!r}")
        return storage

    def _checked_audio(self, request: Request, storage: FileStorage) -> CheckedAudio:
        data = storage.stream.read(self.max_file_bytes + 1)
        return check_upload(
            storage.filename,
            data,
            sample_rate=request.form.get("sample_rate"),
            channel=request.form.get("channel"),
            max_bytes=self.max_file_bytes,
        )

    def _embed(self, audio: CheckedAudio) -> bytes:
        """The engine's embedding of ``audio`` as float32 bytes (there must be an engine)."""
        import numpy as np

        assert self.engine is not None
        return np.asarray(self.engine.embed(audio.engine_samples()), dtype=np.float32).tobytes()

    def _new_audio(self, audio: CheckedAudio) -> NewAudio:
        if self.engine is None:
            return NewAudio(audio.data, audio.fmt)
        try:
            embedding = self._embed(audio)
        except EngineUnavailableError as exc:
            # enrollment still works; the embedding is made on a later identify
            _log.warning("speaker engine unavailable, enrolled without an embedding: %s", exc)
            return NewAudio(audio.data, audio.fmt)
        return NewAudio(audio.data, audio.fmt, embedding, self.engine.model_id)

    def _current_embedding(self, feature: FeatureRow) -> bytes | None:
        """The feature's embedding by this engine, remade from its stored audio when it has
        none or one made by another model (enrolled before the engine, or by an older one).
        None when the stored audio is gone or unreadable (the feature is then not scored)."""
        assert self.engine is not None
        if feature.embedding is not None and feature.embedding_model == self.engine.model_id:
            return feature.embedding
        path = self.store.audio_path(feature.audio_file)
        if path is None:
            return None
        try:
            stored = check_upload(path.name, path.read_bytes(), sample_rate=None, channel=None)
            embedding = self._embed(stored)
        except EngineUnavailableError:
            raise
        except (OSError, UploadError, RuntimeError, ValueError):
            _log.warning("voiceprint %s: stored audio could not be embedded", feature.id)
            return None
        self.store.set_embedding(feature, embedding, self.engine.model_id)
        return embedding

    def _feature_create(self, request: Request, args: dict[str, str]) -> dict[str, str]:
        self.store.require_group(args["gid"])
        if not _is_multipart(request):
            raise ApiError(4300, "request body must be multipart/form-data with a file")
        storage = self._single_file(request, required=True)
        assert storage is not None
        name = request.form.get("name")
        if name is None:
            raise ApiError(4000, "name: is required")
        desc = request.form.get("desc", "")
        check_text("name", name, NAME_MAX, required=True)
        check_text("desc", desc, DESC_MAX, required=False)
        audio = self._new_audio(self._checked_audio(request, storage))
        feature = self.store.create_feature(args["gid"], name, desc, audio)
        return {"id": feature.id}

    def _feature_list(self, request: Request, args: dict[str, str]) -> dict[str, Any]:
        q = request.args
        page_num = _int_param("page_num", q.get("page_num"), 1, 1, MAX_PAGE_NUM)
        page_size = _int_param("page_size", q.get("page_size"), 10, 1, 200)
        items, total = self.store.list_features(args["gid"], page_num=page_num, page_size=page_size)
        return {"items": [self._feature_json(request, f) for f in items], "total": total}

    def _feature_update(self, request: Request, args: dict[str, str]) -> dict[str, str]:
        gid, fid = args["gid"], args["fid"]
        if self.store.get_feature(gid, fid) is None:
            self.store.require_group(gid)
            raise ApiError(4200, f"voiceprint {fid} not found in group {gid}")
        audio: NewAudio | None = None
        fields: dict[str, Any]
        if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
            fields = dict(request.form.items())
            storage = self._single_file(request, required=False)
            if storage is not None:
                audio = self._new_audio(self._checked_audio(request, storage))
        else:
            fields = _json_object(request, allow_empty=True)
        name, desc = fields.get("name"), fields.get("desc")
        feature = self.store.update_feature(
            gid, fid, name=name, desc=desc, audio=audio, acting_user_id=self.user.user_id
        )
        return {"id": feature.id}

    def _feature_delete(self, request: Request, args: dict[str, str]) -> dict[str, Any]:
        self.store.delete_feature(args["gid"], args["fid"], acting_user_id=self.user.user_id)
        return {}

    def _score_group(self, group_id: str, audio: CheckedAudio) -> list[tuple[float, FeatureRow]]:
        """The query audio's score against every voiceprint of the group (unsorted)."""
        import numpy as np

        assert self.engine is not None
        query = np.asarray(self.engine.embed(audio.engine_samples()), dtype=np.float32)
        scored: list[tuple[float, FeatureRow]] = []
        for feature in self.store.all_features(group_id):
            embedding = self._current_embedding(feature)
            if embedding is None:
                continue
            enrolled = np.frombuffer(embedding, dtype=np.float32)
            score = min(100.0, max(0.0, float(self.engine.score(query, enrolled))))
            scored.append((score, feature))
        return scored

    def _identify(self, request: Request, args: dict[str, str]) -> dict[str, Any]:
        self.store.require_group(args["gid"])
        if not _is_multipart(request):
            raise ApiError(4300, "request body must be multipart/form-data with a file")
        top_k_raw = request.form.get("top_k")
        top_k = _int_param("top_k", top_k_raw, 0, 1, None) if top_k_raw else None
        storage = self._single_file(request, required=True)
        assert storage is not None
        audio = self._checked_audio(request, storage)
        if self.engine is None:
            raise ApiError(IDENTIFY_UNAVAILABLE_CODE, IDENTIFY_UNAVAILABLE_MSG)
        try:
            scored = self._score_group(args["gid"], audio)
        except EngineUnavailableError as exc:
            raise ApiError(
                IDENTIFY_UNAVAILABLE_CODE, f"speaker identification is not available: {exc}"
            ) from exc
        scored.sort(key=lambda pair: pair[0], reverse=True)
        if top_k is not None:
            scored = scored[:top_k]
        return {
            "feature_score_list": [
                {
                    "feature_id": f.id,
                    "feature_name": f.name,
                    "feature_desc": f.desc,
                    "score": score,
                }
                for score, f in scored
            ]
        }

    # -- files ---------------------------------------------------------------------------

    def _audio_file(self, request: Request, name: str) -> Response:
        sig = request.args.get("sig", "")
        if not hmac.compare_digest(sig.encode(), self.sign(name).encode()):
            raise ApiError(4101, "the audio URL signature is missing or invalid", 403)
        path = self.store.audio_path(name)
        if path is None:
            raise ApiError(4200, "audio file not found", 404)
        mimetype = "audio/wav" if name.endswith(".wav") else "application/octet-stream"
        resp = Response(path.read_bytes(), mimetype=mimetype)
        resp.headers["Cache-Control"] = "private, max-age=3600"
        return resp

    @staticmethod
    def _static_file(name: str) -> Response:
        svg = _STATIC.get(name)
        if svg is None:
            raise ApiError(4200, f"no such static file: {name}", 404)
        resp = Response(svg, mimetype="image/svg+xml")
        resp.headers["Cache-Control"] = "public, max-age=86400"
        return resp

    # -- MiniMax -------------------------------------------------------------------------

    def _dispatch_minimax(self, endpoint: str, request: Request) -> Response:
        trace_id = secrets.token_hex(16)
        try:
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(
                token.strip().encode(), self.minimax_token.encode()
            ):
                raise VoiceError(1004, "authorized failed: invalid or missing API key")
            try:
                body = json.loads(request.get_data(cache=True) or b"null")
            except (ValueError, RecursionError):
                body = None
            if not isinstance(body, dict):
                raise VoiceError(2013, "invalid params: the body must be a JSON object")
            _text_fields(body, lambda msg: VoiceError(2013, f"invalid params: {msg}"))
            data = self._get_voice(body) if endpoint == "mm_get_voice" else self._delete_voice(body)
            data["base_resp"] = {"status_code": 0, "status_msg": "success"}
            resp = _json_response(data)
        except VoiceError as exc:
            resp = _json_response(
                {"base_resp": {"status_code": exc.status_code, "status_msg": exc.msg}}
            )
        except Exception:
            _log.exception("internal error, trace_id=%s", trace_id)
            resp = _json_response(
                {"base_resp": {"status_code": 1000, "status_msg": "unknown error"}}, 500
            )
        resp.headers["Trace-Id"] = trace_id
        return resp

    def _get_voice(self, body: dict[str, Any]) -> dict[str, Any]:
        voice_type = body.get("voice_type")
        if voice_type not in _VOICE_TYPES:
            raise VoiceError(
                2013, "invalid params: voice_type must be one of " + ", ".join(_VOICE_TYPES)
            )
        out: dict[str, Any] = {}
        if voice_type in ("system", "all"):
            out["system_voice"] = [
                {"voice_id": v.voice_id, "voice_name": v.voice_name, "description": v.description}
                for v in self.store.list_voices("system")
            ]
        for kind in ("voice_cloning", "voice_generation"):
            if voice_type in (kind, "all"):
                out[kind] = [
                    {
                        "voice_id": v.voice_id,
                        "description": v.description,
                        "created_time": v.created_time,
                    }
                    for v in self.store.list_voices(kind)
                ]
        return out

    def _delete_voice(self, body: dict[str, Any]) -> dict[str, Any]:
        voice_type, voice_id = body.get("voice_type"), body.get("voice_id")
        if not isinstance(voice_type, str) or not isinstance(voice_id, str):
            raise VoiceError(2013, "invalid params: voice_type and voice_id are required strings")
        row = self.store.delete_voice(voice_type, voice_id)
        return {"voice_id": row.voice_id, "created_time": row.created_time}


def create_app(
    data_dir: str | os.PathLike[str],
    token: str,
    *,
    engine: SpeakerEngine | None = None,
    latency: float = 0.0,
    max_groups: int = 1000,
    max_features: int = 10,
    max_file_bytes: int = MAX_FILE_BYTES,
    user: LocalUser | None = None,
    minimax_token: str | None = None,
    recovery: str | None = None,
) -> BackendApp:
    """Open (or create) the workspace in ``data_dir`` and return the WSGI app serving it.

    Raises ``WorkspaceBusyError`` when another process has the workspace open and
    ``WorkspaceDamagedError`` when its database is missing, empty or damaged while audio
    exists, unless ``recovery`` ("rebuild" or "empty", see :class:`Store`) says what to do.
    """
    store = Store(
        data_dir,
        user=user,
        max_groups=max_groups,
        max_features=max_features,
        recovery=recovery,
    )
    return BackendApp(
        store,
        token,
        engine=engine,
        latency=latency,
        minimax_token=minimax_token,
        max_file_bytes=max_file_bytes,
    )
