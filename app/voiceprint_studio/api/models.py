"""Typed records for Coze and MiniMax responses, and their lenient parsers.

Records are frozen, slotted dataclasses. Parsers accept what the real APIs
send: ids as strings or bare JSON numbers (kept as ``str``; an id that arrives
as a float is accepted only when it is an exactly representable integer),
timestamps in seconds or milliseconds (values above ``1e11`` are taken as
milliseconds), missing optional fields, unknown fields (ignored), MiniMax
``description`` as a string or a list, and ``created_time`` as a date or a
Unix timestamp in a string.

A value of the wrong shape where the contract needs one (a missing id, an
``items`` that is not a list, ...) raises :class:`ResponseShapeError`, which the
HTTP layer turns into :class:`~voiceprint_studio.api.errors.ProtocolError`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Generic, TypeVar

__all__ = [
    "MINIMAX_VOICE_TYPES",
    "OTHER_VOICE_TYPE",
    "FeatureScore",
    "Me",
    "MiniMaxVoice",
    "Page",
    "ResponseShapeError",
    "UserInfo",
    "Voiceprint",
    "VoiceprintGroup",
    "parse_feature_scores",
    "parse_group_page",
    "parse_id",
    "parse_me",
    "parse_minimax_voices",
    "parse_timestamp",
    "parse_voiceprint_page",
]

T = TypeVar("T")

_MS_THRESHOLD = 1e11
_MAX_EXACT_FLOAT_INT = 2**53
_DELETABLE_TYPES = frozenset({"voice_cloning", "voice_generation"})
# MiniMax response list key -> voice_type.
MINIMAX_VOICE_TYPES: dict[str, str] = {
    "system_voice": "system",
    "voice_cloning": "voice_cloning",
    "voice_generation": "voice_generation",
}


class ResponseShapeError(ValueError):
    """A response value does not have the shape the contract promises."""


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserInfo:
    """The creator of a group or voiceprint."""

    id: str
    name: str = ""
    nickname: str = ""
    avatar_url: str = ""


@dataclass(frozen=True, slots=True)
class Me:
    """The owner of the token (``GET /v1/users/me``)."""

    user_id: str
    user_name: str = ""
    nick_name: str = ""
    avatar_url: str = ""

    @property
    def shown_name(self) -> str:
        """How the owner is named to the operator: the nickname, else the user name, else
        the id."""
        return self.nick_name or self.user_name or self.user_id


@dataclass(frozen=True, slots=True)
class VoiceprintGroup:
    """A voiceprint group (声纹组)."""

    id: str
    name: str = ""
    desc: str = ""
    icon_url: str = ""
    user_info: UserInfo | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    feature_count: int = 0


@dataclass(frozen=True, slots=True)
class Voiceprint:
    """A voiceprint (feature, 声纹) inside a group."""

    id: str
    group_id: str = ""
    name: str = ""
    desc: str = ""
    icon_url: str = ""
    audio_url: str = ""
    user_info: UserInfo | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class FeatureScore:
    """One speaker-identification match; ``score`` 0..100, higher is closer."""

    feature_id: str
    feature_name: str = ""
    feature_desc: str = ""
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class MiniMaxVoice:
    """A MiniMax voice; ``voice_type`` is system, voice_cloning, voice_generation or other.

    ``other``: a voice from a list the contract does not name (MiniMax also returns
    voices for music generation under keys not yet documented); ``list_key`` is the
    key it came under (empty for the documented lists). Such voices are shown
    read-only (never deletable).
    """

    voice_id: str
    voice_type: str
    voice_name: str = ""
    description: tuple[str, ...] = ()
    created_time: str = ""
    list_key: str = ""

    @property
    def deletable(self) -> bool:
        """Only cloned and generated voices can be deleted."""
        return self.voice_type in _DELETABLE_TYPES

    @property
    def display_name(self) -> str:
        """The voice name, or the id when the voice has no name."""
        return self.voice_name or self.voice_id


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a paginated list."""

    items: tuple[T, ...]
    total: int
    page_num: int
    page_size: int

    @property
    def has_more(self) -> bool:
        """True when a later page may hold more items.

        Decision: a page past the end is taken to be empty (the docs leave it
        open); an empty page never has more, so iteration always ends.
        """
        return bool(self.items) and self.page_num * self.page_size < self.total


# --------------------------------------------------------------------------
# Field helpers
# --------------------------------------------------------------------------


def _as_mapping(value: object, what: str) -> dict[str, object]:
    # json.loads only makes dicts, so a plain type check is enough (and fast).
    if type(value) is not dict:
        raise ResponseShapeError(f"{what} is not an object")
    return value


def parse_id(value: object, what: str = "id") -> str:
    """Return an id as ``str`` from a JSON string or integer.

    Floats are accepted only when integral and below 2**53 (exact); otherwise
    the id has already lost digits and a :class:`ResponseShapeError` is raised.
    """
    if type(value) is str:
        text = value.strip()
        if not text:
            raise ResponseShapeError(f"{what} is empty")
        return text
    if type(value) is int:
        return str(value)
    if type(value) is float:
        if math.isfinite(value) and value.is_integer() and abs(value) < _MAX_EXACT_FLOAT_INT:
            return str(int(value))
        raise ResponseShapeError(f"{what} arrived as a float and may have lost digits")
    if type(value) is bool:
        raise ResponseShapeError(f"{what} is a boolean")
    raise ResponseShapeError(f"{what} is missing or not a string/number")


def _opt_id(value: object, what: str) -> str:
    if value is None or value == "":
        return ""
    return parse_id(value, what)


def _coerce_text(value: object, key: str) -> str:
    """The slow path of a text field: absent -> "", numbers -> str, others refused."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise ResponseShapeError(f"{key} is not a string")


def _text(obj: dict[str, object], key: str) -> str:
    value = obj.get(key)
    return value if type(value) is str else _coerce_text(value, key)


def _int(obj: dict[str, object], key: str, default: int) -> int:
    value = obj.get(key)
    if type(value) is int:
        return value
    if value is None:
        return default
    if isinstance(value, bool):
        raise ResponseShapeError(f"{key} is a boolean")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ResponseShapeError(f"{key} is not an integer")


@lru_cache(maxsize=4096)
def _timestamp_from_int(value: int) -> datetime | None:
    try:
        number = value / 1000.0 if value > _MS_THRESHOLD else float(value)
        return datetime.fromtimestamp(number, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def parse_timestamp(value: object) -> datetime | None:
    """Unix seconds or milliseconds (number or digit string) -> aware UTC datetime.

    Values above ``1e11`` are milliseconds (1e11 s is the year 5138). Missing,
    zero, negative, non-numeric or out-of-range values give ``None``.
    """
    if type(value) is int:
        return _timestamp_from_int(value) if value > 0 else None
    if value is None or isinstance(value, bool):
        return None
    number: float
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    if not math.isfinite(number) or number <= 0:
        return None
    if number > _MS_THRESHOLD:
        number /= 1000.0
    try:
        return datetime.fromtimestamp(number, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def _list(value: object, what: str) -> list[object]:
    """A JSON list; ``None``/absent is an empty list."""
    if value is None:
        return []
    if type(value) is not list:
        raise ResponseShapeError(f"{what} is not a list")
    return value


# --------------------------------------------------------------------------
# Coze parsers (input: the envelope's ``data``)
# --------------------------------------------------------------------------


# Hot path. A page holds up to 200 records, and a frozen dataclass's own
# __init__ goes through object.__setattr__ once per field, which costs more
# than all the parsing around it. The builders below fill the slots through
# their descriptors instead (about twice as fast) and produce instances equal
# in every way to ones built by the normal constructor (see the tests).

_new = object.__new__


def _slot_setters(cls: type, *names: str) -> tuple[Callable[[object, object], None], ...]:
    # Every field must get a setter, or a builder would leave a slot unset.
    if names != tuple(f.name for f in dataclasses.fields(cls)):
        msg = f"the fast builder of {cls.__name__} does not match its fields"
        raise RuntimeError(msg)
    return tuple(cls.__dict__[name].__set__ for name in names)


_U_ID, _U_NAME, _U_NICK, _U_AVATAR = _slot_setters(UserInfo, "id", "name", "nickname", "avatar_url")
(
    _G_ID,
    _G_NAME,
    _G_DESC,
    _G_ICON,
    _G_USER,
    _G_CREATED,
    _G_UPDATED,
    _G_COUNT,
) = _slot_setters(
    VoiceprintGroup,
    "id",
    "name",
    "desc",
    "icon_url",
    "user_info",
    "created_at",
    "updated_at",
    "feature_count",
)
(
    _V_ID,
    _V_GROUP,
    _V_NAME,
    _V_DESC,
    _V_ICON,
    _V_AUDIO,
    _V_USER,
    _V_CREATED,
    _V_UPDATED,
) = _slot_setters(
    Voiceprint,
    "id",
    "group_id",
    "name",
    "desc",
    "icon_url",
    "audio_url",
    "user_info",
    "created_at",
    "updated_at",
)


def _user_info(value: object, seen: dict[str, UserInfo] | None = None) -> UserInfo | None:
    """Parse ``user_info``.

    ``seen`` (one per page) lets items by the same creator share one record
    instead of allocating 200 equal ones; a record is reused only when every
    field of the raw object is exactly the same string.
    """
    if value is None:
        return None
    if type(value) is not dict:
        raise ResponseShapeError("user_info is not an object")
    get = value.get
    raw_id = get("id")
    name, nickname, avatar_url = get("name"), get("nickname"), get("avatar_url")
    if seen is not None and type(raw_id) is str:
        known = seen.get(raw_id)
        if (
            known is not None
            and known.name == name
            and known.nickname == nickname
            and known.avatar_url == avatar_url
        ):
            return known
    user: UserInfo = _new(UserInfo)
    _U_ID(user, _opt_id(raw_id, "user_info.id"))
    _U_NAME(user, name if type(name) is str else _coerce_text(name, "name"))
    _U_NICK(user, nickname if type(nickname) is str else _coerce_text(nickname, "nickname"))
    _U_AVATAR(
        user, avatar_url if type(avatar_url) is str else _coerce_text(avatar_url, "avatar_url")
    )
    if seen is not None and type(raw_id) is str:
        seen[raw_id] = user
    return user


def parse_me(data: object) -> Me:
    """Parse ``GET /v1/users/me`` data."""
    obj = _as_mapping(data, "data")
    return Me(
        user_id=parse_id(obj.get("user_id"), "user_id"),
        user_name=_text(obj, "user_name"),
        nick_name=_text(obj, "nick_name"),
        avatar_url=_text(obj, "avatar_url"),
    )


def parse_group(value: object, seen: dict[str, UserInfo] | None = None) -> VoiceprintGroup:
    """Parse one ``VoicePrintGroup``.

    Written for speed (a page holds up to 200): the common types are checked
    inline and only unusual values go through the slower helpers.
    """
    if type(value) is not dict:
        raise ResponseShapeError("group is not an object")
    get = value.get
    group: VoiceprintGroup = _new(VoiceprintGroup)
    v = get("id")
    _G_ID(
        group, v.strip() or parse_id(v, "group id") if type(v) is str else parse_id(v, "group id")
    )
    v = get("name")
    _G_NAME(group, v if type(v) is str else _coerce_text(v, "name"))
    v = get("desc")
    _G_DESC(group, v if type(v) is str else _coerce_text(v, "desc"))
    v = get("icon_url")
    _G_ICON(group, v if type(v) is str else _coerce_text(v, "icon_url"))
    _G_USER(group, _user_info(get("user_info"), seen))
    v = get("created_at")
    created = _timestamp_from_int(v) if type(v) is int and v > 0 else parse_timestamp(v)
    _G_CREATED(group, created)
    u = get("updated_at")
    _G_UPDATED(group, created if u == v and type(u) is int else parse_timestamp(u))
    v = get("feature_count")
    _G_COUNT(group, v if type(v) is int else _int(value, "feature_count", 0))
    return group


def parse_voiceprint(
    value: object, group_id: str = "", seen: dict[str, UserInfo] | None = None
) -> Voiceprint:
    """Parse one ``VoicePrintGroupFeature``; ``group_id`` fills a missing one."""
    if type(value) is not dict:
        raise ResponseShapeError("voiceprint is not an object")
    get = value.get
    vp: Voiceprint = _new(Voiceprint)
    v = get("id")
    _V_ID(
        vp, v.strip() or parse_id(v, "feature id") if type(v) is str else parse_id(v, "feature id")
    )
    _V_GROUP(vp, _opt_id(get("group_id"), "group_id") or group_id)
    v = get("name")
    _V_NAME(vp, v if type(v) is str else _coerce_text(v, "name"))
    v = get("desc")
    _V_DESC(vp, v if type(v) is str else _coerce_text(v, "desc"))
    v = get("icon_url")
    _V_ICON(vp, v if type(v) is str else _coerce_text(v, "icon_url"))
    v = get("audio_url")
    _V_AUDIO(vp, v if type(v) is str else _coerce_text(v, "audio_url"))
    _V_USER(vp, _user_info(get("user_info"), seen))
    v = get("created_at")
    created = _timestamp_from_int(v) if type(v) is int and v > 0 else parse_timestamp(v)
    _V_CREATED(vp, created)
    u = get("updated_at")
    _V_UPDATED(vp, created if u == v and type(u) is int else parse_timestamp(u))
    return vp


def _parse_page(
    data: object,
    page_num: int,
    page_size: int,
    item: Callable[[object, dict[str, UserInfo]], T],
) -> Page[T]:
    obj = _as_mapping(data, "data")
    seen: dict[str, UserInfo] = {}
    items = tuple([item(raw, seen) for raw in _list(obj.get("items"), "items")])
    total = _int(obj, "total", len(items))
    return Page(items=items, total=max(total, 0), page_num=page_num, page_size=page_size)


def parse_group_page(data: object, page_num: int, page_size: int) -> Page[VoiceprintGroup]:
    """Parse list-groups data into a page."""
    return _parse_page(data, page_num, page_size, parse_group)


def parse_voiceprint_page(
    data: object, page_num: int, page_size: int, group_id: str = ""
) -> Page[Voiceprint]:
    """Parse list-features data into a page."""
    return _parse_page(
        data, page_num, page_size, lambda v, seen: parse_voiceprint(v, group_id, seen)
    )


def parse_created_id(data: object) -> str:
    """Parse ``{"id": ...}`` returned by the create calls."""
    return parse_id(_as_mapping(data, "data").get("id"), "id")


def parse_optional_id(data: object) -> str | None:
    """Parse update-feature data: ``{"id": ...}``, ``{}`` or absent."""
    if data is None:
        return None
    obj = _as_mapping(data, "data")
    value = obj.get("id")
    return None if value is None or value == "" else parse_id(value, "id")


def _score(value: object) -> float:
    if isinstance(value, bool):
        raise ResponseShapeError("score is a boolean")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            raise ResponseShapeError("score is not a number") from None
    if value is None:
        return 0.0
    raise ResponseShapeError("score is not a number")


def parse_feature_scores(data: object) -> list[FeatureScore]:
    """Parse identify data; the result is sorted best match first."""
    obj = _as_mapping(data, "data")
    scores: list[FeatureScore] = []
    for raw in _list(obj.get("feature_score_list"), "feature_score_list"):
        entry = _as_mapping(raw, "feature score")
        scores.append(
            FeatureScore(
                feature_id=parse_id(entry.get("feature_id"), "feature_id"),
                feature_name=_text(entry, "feature_name"),
                feature_desc=_text(entry, "feature_desc"),
                score=_score(entry.get("score")),
            )
        )
    scores.sort(key=lambda s: -s.score if not math.isnan(s.score) else math.inf)
    return scores


# --------------------------------------------------------------------------
# MiniMax parsers (input: the whole response object)
# --------------------------------------------------------------------------


def _description(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list):
        return tuple(str(v) for v in value if isinstance(v, (str, int, float)) and v != "")
    raise ResponseShapeError("description is neither a string nor a list")


def _created_time(value: object) -> str:
    """A date string is kept; a Unix timestamp (seconds or ms) becomes YYYY-MM-DD (UTC)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
        moment = parse_timestamp(value)
        return moment.date().isoformat() if moment else str(value)
    if isinstance(value, str):
        return value.strip()
    raise ResponseShapeError("created_time is not a string")


def parse_minimax_voice(value: object, voice_type: str) -> MiniMaxVoice:
    """Parse one voice entry of a ``get_voice`` list."""
    obj = _as_mapping(value, "voice")
    voice_id = obj.get("voice_id")
    if not isinstance(voice_id, str) or not voice_id.strip():
        raise ResponseShapeError("voice_id is missing or not a string")
    return MiniMaxVoice(
        voice_id=voice_id.strip(),
        voice_type=voice_type,
        voice_name=_text(obj, "voice_name"),
        description=_description(obj.get("description")),
        created_time=_created_time(obj.get("created_time")),
    )


# The voice_type of voices from lists the contract does not name.
OTHER_VOICE_TYPE = "other"


def _other_voices(key: str, value: object) -> list[MiniMaxVoice]:
    """Voices in an undocumented list: entries with a ``voice_id``; the rest is skipped.

    Lenient on purpose: an unknown list must not make the known ones unreadable.
    """
    if type(value) is not list:
        return []
    voices: list[MiniMaxVoice] = []
    for raw in value:
        try:
            voice = parse_minimax_voice(raw, OTHER_VOICE_TYPE)
        except ResponseShapeError:
            continue
        voices.append(dataclasses.replace(voice, list_key=key))
    return voices


def parse_minimax_voices(body: object) -> list[MiniMaxVoice]:
    """Parse the ``get_voice`` response: every list, each voice knowing its type.

    Lists under other keys (anything but ``base_resp`` and the three documented
    ones) give voices of type :data:`OTHER_VOICE_TYPE`, after the documented ones.
    """
    obj = _as_mapping(body, "response")
    voices: list[MiniMaxVoice] = []
    for key, voice_type in MINIMAX_VOICE_TYPES.items():
        voices.extend(parse_minimax_voice(raw, voice_type) for raw in _list(obj.get(key), key))
    for key, value in obj.items():
        if key not in MINIMAX_VOICE_TYPES and key != "base_resp":
            voices.extend(_other_voices(str(key), value))
    return voices
