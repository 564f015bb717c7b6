"""The command line's words: English as written, or the app's language (no Qt here).

The commands (``check``, ``export``, ``import``) print every sentence through a
:class:`Words`: this class says them in English, as written in the source; the entry
point (:mod:`voiceprint_studio.main`) hands them the app's translations instead
(:class:`voiceprint_studio.ui.common.cli_words.TranslatedWords`), in the language chosen
in the app (View > Language) or else the system's. Sentences are marked with
``QT_TRANSLATE_NOOP("CommandLine", ...)`` so that ``lupdate`` finds them here.

:class:`Parser` is an :class:`argparse.ArgumentParser` that raises :class:`UsageError`
instead of exiting, and says argparse's own words ("usage:", "options", its error
messages) through the same :class:`Words`.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from voiceprint_studio.transfer.reasons import QT_TRANSLATE_NOOP, english_words

if TYPE_CHECKING:
    from voiceprint_studio.audio.checker import AudioReport, Finding
    from voiceprint_studio.audio.errors import AudioError
    from voiceprint_studio.transfer.reasons import Reason

__all__ = ["CONTEXT", "QT_TRANSLATE_NOOP", "Parser", "UsageError", "Words"]

# The translation context of the command line's own sentences.
CONTEXT = "CommandLine"
# The context of argparse's words (``ARGPARSE_WORDS``, translated in the app's catalogue).
ARGPARSE_CONTEXT = "argparse"


class Words:
    """Says the command line's sentences; this class in English, as written."""

    language = "en"

    def tr(self, text: str) -> str:
        """``text`` (a ``CommandLine`` sentence) in this language."""
        return text

    def argparse(self, text: str) -> str:
        """One of argparse's own words in this language."""
        return text

    def finding(self, finding: Finding, report: AudioReport) -> tuple[str, str]:
        """(message, advice) of a checker finding."""
        return finding.message, finding.advice

    def audio_error(self, error: AudioError, name: str) -> tuple[str, str]:
        """(message, what to do next) of an audio error about the file ``name``."""
        return error.message, error.next_step

    def reason(self, reason: Reason) -> str:
        """A transfer's sentence (why an item was skipped, why a job stopped)."""
        return str(reason)

    def error(self, exc: BaseException) -> str:
        """A failure as one sentence (an API error's summary, a file's error)."""
        if isinstance(exc, OSError) and not _is_api_error(exc):
            return f"{exc.strerror or type(exc).__name__}: {exc.filename or ''}".strip(": ")
        return english_words(exc)

    def say(self, template: str, **values: object) -> str:
        """``template`` (a ``CommandLine`` sentence with ``{placeholders}``) in this
        language, filled with ``values``; a translation that breaks the placeholders
        is not used. "{groups} group(s)" says "1 group", "2 groups" (English)."""
        try:
            return _plural(self.tr(template), values).format(**values)
        except (KeyError, IndexError, ValueError):
            return _plural(template, values).format(**values)


# "{count} word(s)": a number and the English word it counts.
_COUNTED = re.compile(r"\{(\w+)\}(\s+[A-Za-z]+)\(s\)")


def _plural(template: str, values: Mapping[str, object]) -> str:
    """``template`` with each "{name} word(s)" made "word" when ``values[name]`` is 1 and
    "words" otherwise (a translation without "(s)" is left as it is)."""
    return _COUNTED.sub(
        lambda m: f"{{{m[1]}}}{m[2]}{'' if values.get(m[1]) == 1 else 's'}", template
    )


def _is_api_error(exc: BaseException) -> bool:
    from voiceprint_studio.api.errors import ApiError

    return isinstance(exc, ApiError)


class UsageError(Exception):
    """The command line was not understood (exit status 2)."""


class _Formatter(argparse.HelpFormatter):
    words: Words = Words()

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, prefix or self.words.argparse("usage: "))


def _formatter(words: Words) -> type[argparse.HelpFormatter]:
    return type("Formatter", (_Formatter,), {"words": words})


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises :class:`UsageError` instead of exiting, in ``words``."""

    def __init__(self, prog: str, description: str, words: Words) -> None:
        super().__init__(
            prog=prog,
            description=description,
            add_help=False,
            formatter_class=_formatter(words),
        )
        self.words = words
        self._positionals.title = words.argparse("positional arguments")
        self._optionals.title = words.argparse("options")
        self.add_argument(
            "-h",
            "--help",
            action="help",
            default=argparse.SUPPRESS,
            help=words.argparse("show this help message and exit"),
        )

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: None = None
    ) -> argparse.Namespace:
        with _argparse_says(self.words):
            return super().parse_args(args, namespace)

    def parse_or_say(self, argv: Sequence[str], err: TextIO) -> argparse.Namespace | None:
        """The command line parsed; None when it was not understood, after writing the
        usage and why to ``err`` (the command then exits with status 2)."""
        try:
            return self.parse_args(argv)
        except UsageError as exc:
            err.write(self.usage_error(str(exc)))
            return None

    def usage_error(self, message: str) -> str:
        """The usage and ``message`` as argparse prints them, in this language."""
        said = self.words.argparse("%(prog)s: error: %(message)s\n") % {
            "prog": self.prog,
            "message": message,
        }
        return self.format_usage() + said


@contextmanager
def _argparse_says(words: Words) -> Iterator[None]:
    """argparse's error messages through ``words`` while a command line is parsed
    (argparse looks its words up with the module's ``_`` when it needs them)."""
    saved = argparse.__dict__.get("_")
    setattr(argparse, "_", words.argparse)  # noqa: B010 - argparse's own name
    try:
        yield
    finally:
        setattr(argparse, "_", saved)  # noqa: B010


# argparse's words the commands can show (the catalogue has them; lupdate reads them
# from :func:`voiceprint_studio.ui.common.cli_words.argparse_catalogue`).
ARGPARSE_WORDS = (
    "usage: ",
    "positional arguments",
    "options",
    "show this help message and exit",
    "%(prog)s: error: %(message)s\n",
    "argument %(argument_name)s: %(message)s",
    "the following arguments are required: %s",
    "unrecognized arguments: %s",
    "expected one argument",
    "expected at most one argument",
    "expected at least one argument",
    "invalid %(type)s value: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s",
    "ignored explicit argument %r",
)
