"""The transfer layer's sentences for the operator, kept translatable (no Qt here).

Every sentence this package shows -- an error that stops a job or refuses an archive,
the reason an item was skipped or not done -- is a :class:`Reason`: an English template
marked with ``QT_TRANSLATE_NOOP("TransferErrors", ...)`` and the values of its
``{placeholders}``. ``str()`` is the English sentence (the command line prints it, the
log keeps it); the UI renders it through ``QCoreApplication.translate("TransferErrors",
template)`` (:func:`voiceprint_studio.ui.common.errors.reason_text`).

A value may itself be a :class:`Reason` (translated the same way) or an exception (an
API error: shown with the API layer's own, translated words). A reason written to a
job's journal keeps its template and values (:meth:`Reason.to_json`), so it still
translates after a resume; an older journal line with only an English sentence is
shown as it was written (:meth:`Reason.plain`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

__all__ = [
    "CONTEXT",
    "QT_TRANSLATE_NOOP",
    "Reason",
    "TransferError",
    "english_words",
    "sentences",
]

# The translation context of every template here.
CONTEXT = "TransferErrors"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark ``text`` for Qt's translation tools; returns it unchanged (no Qt here)."""
    return text


Translate = Callable[[str], str]
ErrorWords = Callable[[BaseException], str]
# Says a checker finding (:meth:`Reason.finding`'s params) in the UI's language.
FindingWords = Callable[[Mapping[str, "Param"]], str]

# A reason that is an exception's own words (not a sentence of this layer: nothing to
# translate here; the exception is shown with its own words).
_ERROR = "{error}"
# A plain sentence (from an older journal line): shown as it is.
_PLAIN = "{text}"
# Sentences one after the other (:meth:`Reason.sentences`), joined by :func:`sentences`.
# (Older journals wrote "{s0} {s1} ...": rendered as any template.)
_SENTENCES = "{s...}"
# One finding of the enrollment checker: its English words, and the data the UI says it
# with in its own language (``key``, ``severity``, ``value``, ...; see
# :meth:`Reason.finding`).
_FINDING = "{english}"


# Sentence ends after which Chinese text goes on with no space.
_FULL_WIDTH_ENDS = ("。", "！", "？", "；", "：", "）", "”")


def sentences(*parts: str) -> str:
    """Translated sentences one after the other: a space between them, none after a
    full-width sentence end ("…API 密钥。 请选择…" read as a slip)."""
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if text and not text.endswith(_FULL_WIDTH_ENDS):
            text += " "
        text += part
    return text


def _same(text: str) -> str:
    return text


def english_words(exc: BaseException) -> str:
    """An exception as a short English sentence (an API error's summary holds no token)."""
    if isinstance(exc, TransferError):
        return str(exc.reason)
    text = str(exc).strip() or type(exc).__name__
    return text[:300]


class _Placeholders(dict[str, str]):
    """Fills placeholders; an unknown one (a translator's typo) stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True, eq=True)
class Reason:
    """A sentence: ``template`` (marked for translation) with its ``params``."""

    template: str
    params: Mapping[str, Param] = field(default_factory=dict)
    # False for a sentence kept as plain text (an old journal's): never translated.
    translatable: bool = True

    @classmethod
    def plain(cls, text: str) -> Reason:
        """A sentence shown as it is (written by an older version, English)."""
        return cls(_PLAIN, {"text": text}, translatable=False)

    @classmethod
    def finding(cls, english: str, **data: str) -> Reason:
        """A checker finding: ``english`` its message; ``data`` (``key``, ``severity``,
        ``value``, ``container``, ...) lets the UI say it in its own language."""
        return cls(_FINDING, {"english": english, **data}, translatable=False)

    @classmethod
    def sentences(cls, reasons: list[Reason]) -> Reason:
        """Several sentences one after the other (each ends with its own stop)."""
        return cls(_SENTENCES, {f"s{n}": r for n, r in enumerate(reasons)}, translatable=False)

    @classmethod
    def of_error(cls, exc: BaseException) -> Reason:
        """An exception's own words: an API error is shown with the API layer's sentence."""
        return cls(_ERROR, {"error": exc}, translatable=False)

    def render(
        self,
        translate: Translate = _same,
        error_words: ErrorWords = english_words,
        *,
        strict: bool = False,
        finding_words: FindingWords | None = None,
    ) -> str:
        """The sentence: the template through ``translate``, then its placeholders filled.

        Nested reasons go through ``translate`` too; exceptions through ``error_words``;
        checker findings through ``finding_words`` (without it: their English words).
        ``strict`` (tests): a placeholder without a value, or a value no placeholder
        uses, raises instead of being left as written.
        """
        if self.template == _FINDING and not self.translatable:
            if finding_words is not None:
                return finding_words(self.params)
            return str(self.params.get("english", ""))
        values = {
            name: _shown(value, translate, error_words, strict=strict, finding_words=finding_words)
            for name, value in self.params.items()
        }
        if self.template == _SENTENCES and not self.translatable:
            return sentences(*(values[f"s{n}"] for n in range(len(values))))
        if strict:
            used = _placeholders(self.template)
            unused = set(values) - used
            if unused:
                raise KeyError(f"{self.template!r} does not use {sorted(unused)}")
            return self.template.format(**values)
        template = translate(self.template) if self.translatable else self.template
        try:
            return template.format_map(_Placeholders(values))
        except (ValueError, IndexError, AttributeError):  # a broken translation: say it in English
            return self.template.format_map(_Placeholders(values))

    def __str__(self) -> str:
        return self.render()

    def to_json(self) -> dict[str, Any]:
        """The reason as JSON data (for a journal line); exceptions become their English
        words (an exception cannot be written down; this layer's own errors keep their
        template)."""
        params: dict[str, Any] = {}
        for name, value in self.params.items():
            if isinstance(value, Reason):
                params[name] = {"reason": value.to_json()}
            elif isinstance(value, TransferError):
                params[name] = {"reason": value.reason.to_json()}
            elif isinstance(value, BaseException):
                params[name] = english_words(value)
            else:
                params[name] = value
        data: dict[str, Any] = {"t": self.template, "p": params}
        if not self.translatable:
            data["plain"] = True
        return data

    @classmethod
    def from_json(cls, data: object) -> Reason | None:
        """A reason from :meth:`to_json`'s data; None when it is not such data."""
        if not isinstance(data, dict):
            return None
        template, raw = data.get("t"), data.get("p", {})
        if not isinstance(template, str) or not isinstance(raw, dict):
            return None
        params: dict[str, Param] = {}
        for name, value in raw.items():
            if isinstance(value, dict):
                nested = cls.from_json(value.get("reason"))
                if nested is None:
                    return None
                params[str(name)] = nested
            elif isinstance(value, str | int) and not isinstance(value, bool):
                params[str(name)] = value
            else:
                return None
        return cls(template, params, translatable=not data.get("plain", False))


def _shown(
    value: Param,
    translate: Translate,
    error_words: ErrorWords,
    *,
    strict: bool,
    finding_words: FindingWords | None,
) -> str:
    if isinstance(value, Reason):
        return value.render(translate, error_words, strict=strict, finding_words=finding_words)
    if isinstance(value, TransferError):
        return value.reason.render(
            translate, error_words, strict=strict, finding_words=finding_words
        )
    if isinstance(value, BaseException):
        return error_words(value)
    return str(value)


def _placeholders(template: str) -> set[str]:
    from string import Formatter

    return {name for _, name, _, _ in Formatter().parse(template) if name is not None}


class TransferError(Exception):
    """An error of the transfer layer; ``reason`` is its sentence, ``str()`` in English."""

    def __init__(self, template: str | Reason, /, **params: Param) -> None:
        self.reason = template if isinstance(template, Reason) else Reason(template, params)
        super().__init__(str(self.reason))

    def __reduce__(self) -> tuple[object, ...]:
        # rebuilt from the reason, not from the English sentence (pickle, copy)
        return (_rebuild_error, (type(self), self.reason))


def _rebuild_error(cls: type[TransferError], reason: Reason) -> TransferError:
    error = cls.__new__(cls)
    TransferError.__init__(error, reason)
    return error


# What a placeholder's value may be.
Param: TypeAlias = "str | int | Reason | BaseException"
