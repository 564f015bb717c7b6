"""Client for the Coze voiceprint API (groups, voiceprints, speaker identification).

Synchronous and Qt-free: call it from a worker thread. All machinery
(envelope, errors, retries, logging, uploads) is in :mod:`._http`; this module
only knows the endpoints, validates arguments locally and picks the parser.

Decisions where the docs are open:

* a page past the end is treated as an empty page (iteration stops there);
* update-feature may answer with or without ``data.id`` (both accepted);
* voiceprint names are held to the same 1..20 characters as group names;
* identify is billed, so it is retried like a create: only when the
  connection could not be opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx

from ._http import COZE_ENVELOPE, Endpoint, RetryPolicy, ServiceClient, Timeouts, Upload
from ._validate import (
    check_audio,
    check_desc,
    check_id,
    check_name,
    check_page,
    check_top_k,
)
from .errors import QT_TRANSLATE_NOOP, LocalValidationError
from .models import (
    FeatureScore,
    Me,
    Page,
    Voiceprint,
    VoiceprintGroup,
    parse_created_id,
    parse_feature_scores,
    parse_group_page,
    parse_me,
    parse_optional_id,
    parse_voiceprint_page,
)
from .observer import CallObserver
from .profiles import COZE_CN
from .uploads import AudioUpload, CancelToken, ProgressCallback

if TYPE_CHECKING:
    import ssl

__all__ = ["ENDPOINTS", "CozeClient"]

_GROUPS = "/v1/audio/voiceprint_groups"
_GROUP = _GROUPS + "/{group_id}"
_FEATURES = _GROUP + "/features"
_FEATURE = _FEATURES + "/{feature_id}"

ME = Endpoint("GET", "/v1/users/me", idempotent=True)
LIST_GROUPS = Endpoint("GET", _GROUPS, idempotent=True)
CREATE_GROUP = Endpoint("POST", _GROUPS, idempotent=False)
UPDATE_GROUP = Endpoint("PUT", _GROUP, idempotent=True)
DELETE_GROUP = Endpoint("DELETE", _GROUP, idempotent=True, gone_on_retry_is_done=True)
LIST_FEATURES = Endpoint("GET", _FEATURES, idempotent=True)
CREATE_FEATURE = Endpoint("POST", _FEATURES, idempotent=False)
UPDATE_FEATURE = Endpoint("PUT", _FEATURE, idempotent=True)
DELETE_FEATURE = Endpoint("DELETE", _FEATURE, idempotent=True, gone_on_retry_is_done=True)
IDENTIFY = Endpoint("POST", _GROUP + "/speaker_identify", idempotent=False)

# Every Coze endpoint the client calls.
ENDPOINTS: tuple[Endpoint, ...] = (
    ME,
    LIST_GROUPS,
    CREATE_GROUP,
    UPDATE_GROUP,
    DELETE_GROUP,
    LIST_FEATURES,
    CREATE_FEATURE,
    UPDATE_FEATURE,
    DELETE_FEATURE,
    IDENTIFY,
)

_MAX_PAGES = 10_000  # a guard against a server whose "total" never ends


def _ignore(_data: object) -> None:
    return None


class CozeClient(ServiceClient):
    """Coze voiceprint API client; one ``httpx.Client`` for its lifetime.

    ``transport`` is injected: ``httpx.MockTransport`` in tests,
    ``httpx.WSGITransport(app=backend)`` for the offline workspace, ``None``
    for the real network. Use as a context manager or call :meth:`close`.
    """

    envelope = COZE_ENVELOPE

    def __init__(
        self,
        token: str,
        base_url: str = COZE_CN.base_url,
        *,
        transport: httpx.BaseTransport | None = None,
        timeouts: Timeouts | None = None,
        max_attempts: int | None = None,
        retry: RetryPolicy | None = None,
        observer: CallObserver | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(
            token,
            base_url,
            transport=transport,
            timeouts=timeouts,
            max_attempts=max_attempts,
            retry=retry,
            observer=observer,
            tls=tls,
        )

    # -- account -------------------------------------------------------------

    def me(self) -> Me:
        """The token's owner (checks that the token works on this base URL)."""
        return self._http.call(ME, parse_me)

    # -- groups ----------------------------------------------------------------

    def list_groups(
        self,
        page_num: int = 1,
        page_size: int = 10,
        *,
        name: str | None = None,
        user_id: str | None = None,
        group_id: str | None = None,
    ) -> Page[VoiceprintGroup]:
        """One page of groups; ``name`` is a prefix filter, ``user_id`` only your own."""
        page_num, page_size = check_page(page_num, page_size)
        params: dict[str, str | int] = {"page_num": page_num, "page_size": page_size}
        if name is not None and name.strip():
            params["name"] = check_name(name, "name")
        if user_id is not None:
            params["user_id"] = check_id(user_id, "user_id")
        if group_id is not None:
            params["group_id"] = check_id(group_id, "group_id")
        return self._http.call(
            LIST_GROUPS,
            lambda data: parse_group_page(data, page_num, page_size),
            params=params,
        )

    def iter_groups(
        self, page_size: int = 200, *, name: str | None = None, user_id: str | None = None
    ) -> Iterator[VoiceprintGroup]:
        """Every group, fetching page after page lazily."""
        check_page(1, page_size)
        for page_num in range(1, _MAX_PAGES + 1):
            page = self.list_groups(page_num, page_size, name=name, user_id=user_id)
            yield from page.items
            if not page.has_more:
                return

    def create_group(self, name: str, desc: str | None = None) -> str:
        """Create a group; return its id. Not retried once the request was sent."""
        body: dict[str, object] = {"name": check_name(name, "name")}
        if desc is not None:
            body["desc"] = check_desc(desc)
        return self._http.call(CREATE_GROUP, parse_created_id, json_body=body)

    def update_group(
        self, group_id: str, *, name: str | None = None, desc: str | None = None
    ) -> None:
        """Rename a group and/or change its description."""
        gid = check_id(group_id, "group_id")
        body: dict[str, object] = {}
        if name is not None:
            body["name"] = check_name(name, "name")
        if desc is not None:
            body["desc"] = check_desc(desc)
        if not body:
            raise LocalValidationError(
                "name",
                QT_TRANSLATE_NOOP("ApiErrors", "Nothing to update: give a name or a description."),
            )
        self._http.call(UPDATE_GROUP, _ignore, path_params={"group_id": gid}, json_body=body)

    def delete_group(self, group_id: str) -> None:
        """Delete a group and every voiceprint in it (creator only)."""
        gid = check_id(group_id, "group_id")
        self._http.call(DELETE_GROUP, _ignore, path_params={"group_id": gid})

    # -- voiceprints -----------------------------------------------------------

    def list_voiceprints(
        self, group_id: str, page_num: int = 1, page_size: int = 10
    ) -> Page[Voiceprint]:
        """One page of a group's voiceprints."""
        gid = check_id(group_id, "group_id")
        page_num, page_size = check_page(page_num, page_size)
        return self._http.call(
            LIST_FEATURES,
            lambda data: parse_voiceprint_page(data, page_num, page_size, gid),
            path_params={"group_id": gid},
            params={"page_num": page_num, "page_size": page_size},
        )

    def iter_voiceprints(self, group_id: str, page_size: int = 200) -> Iterator[Voiceprint]:
        """Every voiceprint of a group, page after page."""
        check_id(group_id, "group_id")
        check_page(1, page_size)
        for page_num in range(1, _MAX_PAGES + 1):
            page = self.list_voiceprints(group_id, page_num, page_size)
            yield from page.items
            if not page.has_more:
                return

    def create_voiceprint(
        self,
        group_id: str,
        name: str,
        audio: AudioUpload,
        *,
        desc: str | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> str:
        """Enroll a voiceprint from a wav/pcm file; return its id."""
        gid = check_id(group_id, "group_id")
        fields = {"name": check_name(name, "name")}
        if desc is not None:
            fields["desc"] = check_desc(desc)
        upload = check_audio(audio)
        fields.update(upload.form_fields())
        return self._http.call(
            CREATE_FEATURE,
            parse_created_id,
            path_params={"group_id": gid},
            upload=Upload(fields, upload, progress, cancel),
        )

    def update_voiceprint(
        self,
        group_id: str,
        feature_id: str,
        *,
        name: str | None = None,
        desc: str | None = None,
        audio: AudioUpload | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> str | None:
        """Rename, re-describe and/or re-enroll a voiceprint; return ``data.id`` if sent."""
        gid = check_id(group_id, "group_id")
        fid = check_id(feature_id, "feature_id")
        fields: dict[str, str] = {}
        if name is not None:
            fields["name"] = check_name(name, "name")
        if desc is not None:
            fields["desc"] = check_desc(desc)
        upload = check_audio(audio) if audio is not None else None
        if upload is not None:
            fields.update(upload.form_fields())
        if not fields and upload is None:
            raise LocalValidationError(
                "name",
                QT_TRANSLATE_NOOP(
                    "ApiErrors", "Nothing to update: give a name, a description or new audio."
                ),
            )
        return self._http.call(
            UPDATE_FEATURE,
            parse_optional_id,
            path_params={"group_id": gid, "feature_id": fid},
            upload=Upload(fields, upload, progress, cancel),
        )

    def delete_voiceprint(self, group_id: str, feature_id: str) -> None:
        """Delete one voiceprint (creator only)."""
        gid = check_id(group_id, "group_id")
        fid = check_id(feature_id, "feature_id")
        self._http.call(DELETE_FEATURE, _ignore, path_params={"group_id": gid, "feature_id": fid})

    # -- identification ----------------------------------------------------------

    def identify(
        self,
        group_id: str,
        audio: AudioUpload,
        *,
        top_k: int | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> list[FeatureScore]:
        """Match a recording against a group's voiceprints, best match first (billed)."""
        gid = check_id(group_id, "group_id")
        upload = check_audio(audio)
        fields: dict[str, str] = {}
        if top_k is not None:
            fields["top_k"] = str(check_top_k(top_k))
        fields.update(upload.form_fields())
        return self._http.call(
            IDENTIFY,
            parse_feature_scores,
            path_params={"group_id": gid},
            upload=Upload(fields, upload, progress, cancel),
        )

    # -- audio -------------------------------------------------------------------

    def download_audio(self, url: str, *, cancel: CancelToken | None = None) -> bytes:
        """Download a voiceprint's enrollment audio (``Voiceprint.audio_url``).

        The token is sent only when the URL is on the base URL's origin; the body is
        capped a little above the 4 MB audio limit; ``cancel`` ends the download.
        """
        return self._http.download(url, cancel=cancel)
