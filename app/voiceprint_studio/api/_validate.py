"""Local argument checks, run before any request is built.

Each function returns the cleaned value or raises
:class:`~voiceprint_studio.api.errors.LocalValidationError` naming the field.
"""

from __future__ import annotations

import re
from typing import TypeGuard

from .errors import QT_TRANSLATE_NOOP, LocalValidationError
from .uploads import AudioUpload

__all__ = [
    "GROUP_NAME_MAX",
    "MAX_PAGE_SIZE",
    "check_audio",
    "check_desc",
    "check_id",
    "check_name",
    "check_page",
    "check_token",
    "check_top_k",
]

GROUP_NAME_MAX = 20
DESC_MAX = 500
MAX_PAGE_SIZE = 200
_ID_RE = re.compile(r"[0-9]{1,32}")


def token_problem(value: object) -> str | None:
    """Why ``value`` cannot be an access token, or None when it can.

    A token goes into an HTTP header, which carries ASCII only: a pasted non-ASCII
    character (a full-width letter, a non-breaking space, an ellipsis a chat app put
    there) made httpx raise a bare ``UnicodeEncodeError`` whose text held the token.
    The reason never quotes the token.
    """
    if not isinstance(value, str) or not value.strip():
        return "Enter an access token."
    token = value.strip()
    if any(c.isspace() for c in token):
        return "The access token must not contain spaces or line breaks."
    if not all(0x21 <= ord(c) <= 0x7E for c in token):
        return (
            "The access token contains a character that cannot be part of a token "
            "(only letters A-Z, digits and ASCII punctuation can); copy it again from "
            "the website."
        )
    return None


def check_token(value: object) -> str:
    """The token without surrounding spaces; raises when :func:`token_problem` finds one."""
    problem = token_problem(value)
    if problem is not None:
        raise LocalValidationError("token", problem)
    assert isinstance(value, str)
    return value.strip()


def _no_surrogates(text: str, field: str) -> str:
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise LocalValidationError(
            field, f"The {field} contains a broken character (a lone surrogate); type it again."
        )
    return text


def check_id(value: object, field: str) -> str:
    """A Coze id: a non-empty string of ASCII digits (an ``int`` is accepted too)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if not isinstance(value, str) or not _ID_RE.fullmatch(value.strip()):
        raise LocalValidationError(field, f"{field} must be a non-empty string of digits.")
    return value.strip()


def check_name(value: object, field: str = "name", max_len: int = GROUP_NAME_MAX) -> str:
    """A name: 1..``max_len`` characters after stripping surrounding spaces."""
    if not isinstance(value, str) or not value.strip():
        raise LocalValidationError(field, QT_TRANSLATE_NOOP("ApiErrors", "Enter a name."))
    name = value.strip()
    if len(name) > max_len:
        raise LocalValidationError(
            field,
            QT_TRANSLATE_NOOP("ApiErrors", "The name can have at most {count} characters."),
            values={"count": str(max_len)},
        )
    return _no_surrogates(name, field)


def check_desc(value: object, field: str = "desc") -> str:
    """A description: at most 500 characters (an empty one clears it)."""
    if not isinstance(value, str):
        raise LocalValidationError(
            field, QT_TRANSLATE_NOOP("ApiErrors", "The description must be text.")
        )
    desc = value.strip()
    if len(desc) > DESC_MAX:
        raise LocalValidationError(
            field,
            QT_TRANSLATE_NOOP("ApiErrors", "The description can have at most {count} characters."),
            values={"count": str(DESC_MAX)},
        )
    return _no_surrogates(desc, field)


def _whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def check_page(page_num: object, page_size: object) -> tuple[int, int]:
    """``page_num >= 1`` and ``1 <= page_size <= 200``."""
    if not _whole(page_num) or page_num < 1:
        raise LocalValidationError("page_num", "page_num must be a whole number of at least 1.")
    if not _whole(page_size) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise LocalValidationError(
            "page_size", f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}."
        )
    return page_num, page_size


def check_top_k(value: object) -> int:
    """``top_k >= 1``."""
    if not _whole(value) or value < 1:
        raise LocalValidationError("top_k", "top_k must be a whole number of at least 1.")
    return value


def check_audio(value: object) -> AudioUpload:
    """An :class:`AudioUpload` (build one with ``AudioUpload.from_path``)."""
    if not isinstance(value, AudioUpload):
        raise LocalValidationError(
            "audio", "Pass the audio as an AudioUpload (use AudioUpload.from_path)."
        )
    return value
