"""``voiceprint-studio check FILE...``: the enrollment checker on the command line (no Qt).

Prints each file's report in plain words (or JSON with ``--json``), exits 1 if
any file has a blocking finding, 0 otherwise, 2 for usage errors. ``--convert
OUT.wav`` also writes the 16 kHz mono 16-bit version of a single input file.
The words are those of ``words`` (:mod:`voiceprint_studio.cli_words`; English unless
the entry point passes the app's language); ``--json`` is the same in every language.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from typing import TextIO

from .audio.audiofile import convert_file
from .audio.checker import AudioReport, Severity, check_file
from .audio.errors import AudioFileError
from .audio.thresholds import TARGET_CHANNELS, TARGET_SAMPLE_RATE
from .cli_words import QT_TRANSLATE_NOOP, Parser, Words
from .transfer.reasons import sentences

EXIT_OK = 0
EXIT_BLOCKING = 1
EXIT_USAGE = 2

_MARKS = {
    Severity.OK: QT_TRANSLATE_NOOP("CommandLine", "ok"),
    Severity.WARNING: QT_TRANSLATE_NOOP("CommandLine", "warning"),
    Severity.BLOCKING: QT_TRANSLATE_NOOP("CommandLine", "BLOCKED"),
}
_VERDICTS = {
    Severity.OK: QT_TRANSLATE_NOOP("CommandLine", "ready to enroll"),
    Severity.WARNING: QT_TRANSLATE_NOOP("CommandLine", "usable, with warnings"),
    Severity.BLOCKING: QT_TRANSLATE_NOOP("CommandLine", "NOT usable as it is"),
}


def _parser(words: Words) -> Parser:
    parser = Parser(
        "voiceprint-studio check",
        words.tr(
            QT_TRANSLATE_NOOP("CommandLine", "Check audio files for Coze voiceprint enrollment.")
        ),
        words,
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help=words.tr(QT_TRANSLATE_NOOP("CommandLine", "wav or pcm files")),
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help=words.tr(QT_TRANSLATE_NOOP("CommandLine", "print reports as JSON")),
    )
    parser.add_argument(
        "--convert",
        metavar="OUT.wav",
        help=words.tr(
            QT_TRANSLATE_NOOP(
                "CommandLine", "write the 16 kHz mono 16-bit wav version of the (single) FILE"
            )
        ),
    )
    parser.add_argument(
        "--no-trim",
        action="store_true",
        help=words.tr(
            QT_TRANSLATE_NOOP("CommandLine", "with --convert: keep leading/trailing silence")
        ),
    )
    parser.add_argument(
        "--pcm-rate",
        type=int,
        default=TARGET_SAMPLE_RATE,
        help=words.tr(
            QT_TRANSLATE_NOOP("CommandLine", "sample rate of .pcm input (default 16000)")
        ),
    )
    parser.add_argument(
        "--pcm-channels",
        type=int,
        default=TARGET_CHANNELS,
        help=words.tr(QT_TRANSLATE_NOOP("CommandLine", "channels of .pcm input (default 1)")),
    )
    return parser


def _columns(text: str) -> int:
    """The columns ``text`` takes in a terminal (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_report(report: AudioReport, words: Words | None = None) -> str:
    """A report in plain words."""
    words = words or Words()
    marks = {severity: words.tr(mark) for severity, mark in _MARKS.items()}
    width = max(_columns(mark) for mark in marks.values())
    lines = [f"{report.path}: {words.tr(_VERDICTS[report.severity])}"]
    for f in report.findings:
        message, advice = words.finding(f, report)
        mark = marks[f.severity]
        lines.append(f"  [{mark}{' ' * (width - _columns(mark))}] {message}")
        if f.severity is not Severity.OK and advice:
            lines.append(f"{' ' * (width + 4)}-> {advice}")
    return "\n".join(lines)


def check_main(
    argv: list[str],
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    words: Words | None = None,
) -> int:
    """Run ``check`` with ``argv`` (the arguments after ``check``); return the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    words = words or Words()
    parser = _parser(words)
    if any(a in ("-h", "--help") for a in argv):
        out.write(parser.format_help())
        return EXIT_OK
    args = parser.parse_or_say(argv, err)
    if args is None:
        return EXIT_USAGE
    if args.convert and len(args.files) != 1:
        err.write(
            parser.usage_error(
                words.tr(QT_TRANSLATE_NOOP("CommandLine", "--convert takes exactly one FILE"))
            )
        )
        return EXIT_USAGE
    if args.pcm_rate <= 0 or args.pcm_channels <= 0:
        err.write(
            parser.usage_error(
                words.tr(
                    QT_TRANSLATE_NOOP("CommandLine", "--pcm-rate and --pcm-channels must be > 0")
                )
            )
        )
        return EXIT_USAGE

    reports = [
        check_file(f, pcm_rate=args.pcm_rate, pcm_channels=args.pcm_channels) for f in args.files
    ]
    converted: str | None = None
    convert_error: AudioFileError | None = None
    if args.convert:
        try:
            converted = str(
                convert_file(
                    args.files[0],
                    args.convert,
                    trim=not args.no_trim,
                    pcm_rate=args.pcm_rate,
                    pcm_channels=args.pcm_channels,
                    segments=reports[0].speech_segments
                    if reports[0].speech_seconds is not None
                    else None,
                )
            )
        except AudioFileError as exc:
            convert_error = exc

    if args.json:
        payload: dict[str, object] = {"reports": [r.to_dict() for r in reports]}
        if args.convert:
            payload["converted"] = converted
            if convert_error is not None:
                payload["convert_error"] = {
                    "key": convert_error.key,
                    "message": convert_error.message,
                    "advice": convert_error.next_step,
                }
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write("\n\n".join(format_report(r, words) for r in reports) + "\n")
        if converted:
            out.write(
                "\n"
                + words.say(
                    QT_TRANSLATE_NOOP("CommandLine", "Converted (16 kHz mono 16-bit wav): {path}"),
                    path=converted,
                )
                + "\n"
            )
        elif convert_error is not None:
            message, advice = words.audio_error(convert_error, args.files[0])
            said = words.say(QT_TRANSLATE_NOOP("CommandLine", "Not converted: {why}"), why=message)
            out.write(f"\n{sentences(said, advice)}\n")
    blocked = any(r.blocking for r in reports) or convert_error is not None
    return EXIT_BLOCKING if blocked else EXIT_OK
