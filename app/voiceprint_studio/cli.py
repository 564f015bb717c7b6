"""``voiceprint-studio check FILE...``: the enrollment checker on the command line (no Qt).

Prints each file's report in plain words (or JSON with ``--json``), exits 1 if
any file has a blocking finding, 0 otherwise, 2 for usage errors. ``--convert
OUT.wav`` also writes the 16 kHz mono 16-bit version of a single input file.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from .audio.audiofile import convert_file
from .audio.checker import AudioReport, Severity, check_file
from .audio.errors import AudioFileError
from .audio.thresholds import TARGET_CHANNELS, TARGET_SAMPLE_RATE

EXIT_OK = 0
EXIT_BLOCKING = 1
EXIT_USAGE = 2

_MARK = {Severity.OK: "ok     ", Severity.WARNING: "warning", Severity.BLOCKING: "BLOCKED"}


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _parser() -> _Parser:
    parser = _Parser(
        prog="voiceprint-studio check",
        description="Check audio files for Coze voiceprint enrollment.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="wav or pcm files")
    parser.add_argument("--json", action="store_true", help="print reports as JSON")
    parser.add_argument(
        "--convert",
        metavar="OUT.wav",
        help="write the 16 kHz mono 16-bit wav version of the (single) FILE",
    )
    parser.add_argument(
        "--no-trim",
        action="store_true",
        help="with --convert: keep leading/trailing silence",
    )
    parser.add_argument(
        "--pcm-rate",
        type=int,
        default=TARGET_SAMPLE_RATE,
        help="sample rate of .pcm input (default 16000)",
    )
    parser.add_argument(
        "--pcm-channels",
        type=int,
        default=TARGET_CHANNELS,
        help="channels of .pcm input (default 1)",
    )
    return parser


def format_report(report: AudioReport) -> str:
    """A report in plain words."""
    verdict = {
        Severity.OK: "ready to enroll",
        Severity.WARNING: "usable, with warnings",
        Severity.BLOCKING: "NOT usable as it is",
    }[report.severity]
    lines = [f"{report.path}: {verdict}"]
    for f in report.findings:
        lines.append(f"  [{_MARK[f.severity]}] {f.message}")
        if f.severity is not Severity.OK and f.advice:
            lines.append(f"            -> {f.advice}")
    return "\n".join(lines)


def check_main(argv: list[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run ``check`` with ``argv`` (the arguments after ``check``); return the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    if any(a in ("-h", "--help") for a in argv):
        out.write(_parser().format_help())
        return EXIT_OK
    try:
        args = _parser().parse_args(argv)
    except _UsageError as exc:
        err.write(f"{_parser().format_usage()}voiceprint-studio check: error: {exc}\n")
        return EXIT_USAGE
    if args.convert and len(args.files) != 1:
        err.write("voiceprint-studio check: error: --convert takes exactly one FILE\n")
        return EXIT_USAGE
    if args.pcm_rate <= 0 or args.pcm_channels <= 0:
        err.write("voiceprint-studio check: error: --pcm-rate and --pcm-channels must be > 0\n")
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
        out.write("\n\n".join(format_report(r) for r in reports) + "\n")
        if converted:
            out.write(f"\nConverted (16 kHz mono 16-bit wav): {converted}\n")
        elif convert_error is not None:
            out.write(f"\nNot converted: {convert_error.message} {convert_error.next_step}\n")
    blocked = any(r.blocking for r in reports) or convert_error is not None
    return EXIT_BLOCKING if blocked else EXIT_OK
