"""The checker's findings in the UI language (the words of the check report)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from voiceprint_studio.audio.thresholds import MAX_CHECK_SECONDS
from voiceprint_studio.ui.common.text import fill

if TYPE_CHECKING:
    from voiceprint_studio.audio import AudioReport, Finding


# Findings whose checker message carries details in English (a file name, an OS error):
# they are said again here from the finding's key and the report's file name.
FILE_PROBLEMS = frozenset(
    {"unreadable", "empty", "not_audio", "too_long", "bad_pcm", "vad_unavailable", "internal_error"}
)


def file_problem(key: str, name: str) -> tuple[str, str]:
    """(message, advice) for a finding in :data:`FILE_PROBLEMS`."""
    if key == "unreadable":
        return (
            fill(QCoreApplication.translate("CheckReport", "The file “%1” cannot be read."), name),
            QCoreApplication.translate(
                "CheckReport",
                "Check that the file exists, that you may read it and that it is not damaged; "
                "or record again.",
            ),
        )
    if key == "empty":
        return (
            fill(QCoreApplication.translate("CheckReport", "The file “%1” holds no audio."), name),
            QCoreApplication.translate("CheckReport", "Record again or choose another file."),
        )
    if key == "not_audio":
        return (
            fill(
                QCoreApplication.translate(
                    "CheckReport", "“%1” is not an audio file this app can read."
                ),
                name,
            ),
            QCoreApplication.translate(
                "CheckReport", "Choose a wav file (or pcm: 16 kHz, mono, 16-bit)."
            ),
        )
    if key == "too_long":
        return (
            fill(
                QCoreApplication.translate(
                    "CheckReport", "The recording is too long to check (over %1 minutes)."
                ),
                f"{MAX_CHECK_SECONDS / 60:.0f}",
            ),
            QCoreApplication.translate("CheckReport", "Use a recording of 10 to 60 seconds."),
        )
    if key == "bad_pcm":
        return (
            QCoreApplication.translate(
                "CheckReport",
                "The pcm file does not fit the given layout (16-bit samples, the given "
                "number of channels).",
            ),
            QCoreApplication.translate(
                "CheckReport", "Check its sample rate and channels, or export it again as wav."
            ),
        )
    if key == "vad_unavailable":
        return (
            QCoreApplication.translate(
                "CheckReport", "The amount of speech could not be measured."
            ),
            QCoreApplication.translate(
                "CheckReport",
                "Listen to the recording to make sure it holds at least 10 s of clear speech.",
            ),
        )
    return (
        fill(
            QCoreApplication.translate("CheckReport", "The file “%1” could not be checked."), name
        ),
        QCoreApplication.translate(
            "CheckReport", "Try another file; if this keeps happening, report it with the file."
        ),
    )


def format_mb(size: float) -> str:
    return f"{size / (1024 * 1024):.2f}"


def finding_text(
    finding: Finding, report: AudioReport | None = None, *, for_enrollment: bool = True
) -> tuple[str, str, bool]:
    """``(message, advice, translated)`` for a finding, in the UI language where it can be.

    ``translated`` is False when the checker's English message and advice are
    shown as they are (only for a key this table does not know). ``for_enrollment``:
    the clip is to enroll a voiceprint (False: to identify a speaker; the length and
    speech findings then speak of identification).
    """
    key, value = finding.key, finding.value
    sev = finding.severity.value
    num = "" if value is None else f"{value:.1f}"
    convert_advice = QCoreApplication.translate(
        "CheckReport", "Conversion fixes this (16 kHz mono 16-bit wav)."
    )
    msg: str | None = None
    advice: str | None = "" if sev == "ok" else None
    if key == "container":
        if sev == "ok":
            msg = QCoreApplication.translate("CheckReport", "The file type is accepted.")
        else:
            msg = fill(
                QCoreApplication.translate(
                    "CheckReport", "This is a %1 file; Coze accepts only wav and pcm."
                ),
                (report.container if report else None) or "?",
            )
            advice = QCoreApplication.translate(
                "CheckReport", "Convert it to a 16 kHz mono 16-bit wav."
            )
    elif key == "codec":
        msg = fill(
            QCoreApplication.translate("CheckReport", "The audio is encoded as %1, not plain PCM."),
            (report.subtype if report else None) or "?",
        )
        advice = QCoreApplication.translate(
            "CheckReport", "Convert it to a 16 kHz mono 16-bit wav."
        )
    elif key == "sample_rate" and value is not None:
        rate = str(int(value))
        if sev == "ok":
            msg = fill(QCoreApplication.translate("CheckReport", "Sample rate %1 Hz."), rate)
        else:
            msg = fill(
                QCoreApplication.translate(
                    "CheckReport", "Sample rate %1 Hz; Coze expects 16 kHz."
                ),
                rate,
            )
            advice = convert_advice
    elif key == "channels" and value is not None:
        count = int(value)
        if sev == "ok":
            msg = QCoreApplication.translate("CheckReport", "Mono (one channel).")
        else:
            # (never one channel here; a plain string, since lupdate in PySide6 < 6.12 does
            # not see plurals passed to QCoreApplication.translate)
            msg = fill(
                QCoreApplication.translate("CheckReport", "%1 channels; Coze expects mono."),
                str(count),
            )
            advice = convert_advice
    elif key == "bit_depth":
        subtype = (report.subtype if report else None) or "?"
        if sev == "ok":
            msg = QCoreApplication.translate("CheckReport", "16-bit samples.")
        else:
            msg = fill(
                QCoreApplication.translate("CheckReport", "Sample format %1; Coze expects 16-bit."),
                subtype,
            )
            advice = convert_advice
    elif key == "file_size" and value is not None:
        if sev == "ok":
            msg = fill(QCoreApplication.translate("CheckReport", "Size %1 MB."), format_mb(value))
        else:
            msg = fill(
                QCoreApplication.translate(
                    "CheckReport", "The file is %1 MB; Coze accepts at most 4 MB."
                ),
                format_mb(value),
            )
            if finding.convertible and report and report.converted_size_bytes:
                advice = fill(
                    QCoreApplication.translate(
                        "CheckReport", "Conversion makes it %1 MB, which fits."
                    ),
                    format_mb(report.converted_size_bytes),
                )
            else:
                advice = QCoreApplication.translate(
                    "CheckReport", "Use a shorter recording (at most 2 minutes)."
                )
    elif key == "duration" and value is not None:
        if sev == "ok":
            msg = fill(QCoreApplication.translate("CheckReport", "Length %1 s."), num)
        else:
            msg = fill(
                QCoreApplication.translate("CheckReport", "The recording is only %1 s long."), num
            )
            advice = (
                QCoreApplication.translate("CheckReport", "Record at least 10 seconds of speech.")
                if for_enrollment
                else QCoreApplication.translate(
                    "CheckReport", "Use a clip with at least 3 seconds of speech."
                )
            )
    elif key == "speech" and value is not None:
        if sev == "ok":
            msg = fill(QCoreApplication.translate("CheckReport", "%1 s of speech."), num)
        elif sev == "warning" and for_enrollment:
            msg = fill(
                QCoreApplication.translate(
                    "CheckReport",
                    "%1 s of speech; 10 s or more gives a more reliable voiceprint.",
                ),
                num,
            )
            advice = QCoreApplication.translate("CheckReport", "Record a longer take if you can.")
        elif sev == "warning":
            msg = fill(
                QCoreApplication.translate(
                    "CheckReport", "%1 s of speech; 10 s or more gives a more reliable result."
                ),
                num,
            )
            advice = QCoreApplication.translate("CheckReport", "Use a longer clip if you can.")
        elif for_enrollment:
            if value <= 0:
                msg = QCoreApplication.translate(
                    "CheckReport", "No speech was found; enrollment needs at least 3 s."
                )
            else:
                msg = fill(
                    QCoreApplication.translate(
                        "CheckReport", "Only %1 s of speech; enrollment needs at least 3 s."
                    ),
                    num,
                )
            advice = QCoreApplication.translate(
                "CheckReport", "Record again, speaking naturally for 10 to 30 seconds."
            )
        else:
            if value <= 0:
                msg = QCoreApplication.translate(
                    "CheckReport", "No speech was found; identification needs at least 3 s."
                )
            else:
                msg = fill(
                    QCoreApplication.translate(
                        "CheckReport", "Only %1 s of speech; identification needs at least 3 s."
                    ),
                    num,
                )
            advice = QCoreApplication.translate(
                "CheckReport",
                "Record again, or choose a clip in which the person speaks for at least 3 seconds.",
            )
    elif key == "level" and value is not None:
        db = str(round(value))  # (never "-0")
        if sev == "ok":
            msg = fill(QCoreApplication.translate("CheckReport", "Peak level %1 dBFS."), db)
        elif sev == "warning":
            msg = fill(
                QCoreApplication.translate("CheckReport", "The recording is quiet (peak %1 dBFS)."),
                db,
            )
            advice = QCoreApplication.translate(
                "CheckReport",
                "Move closer to the microphone (within 50 cm) or raise its input level.",
            )
        else:
            msg = fill(
                QCoreApplication.translate(
                    "CheckReport", "The recording is far too quiet (peak %1 dBFS)."
                ),
                db,
            )
            advice = QCoreApplication.translate(
                "CheckReport",
                "Check the microphone is on and not muted, raise its input level, and "
                "speak within 50 cm of it.",
            )
    elif key == "clipping" and value is not None:
        pct = f"{value * 100:.2f}"
        if sev == "ok":
            msg = QCoreApplication.translate("CheckReport", "No clipping.")
        elif sev == "warning":
            msg = fill(
                QCoreApplication.translate(
                    "CheckReport", "Some peaks are clipped (%1 % of samples at full scale)."
                ),
                pct,
            )
            advice = QCoreApplication.translate("CheckReport", "Lower the input level a little.")
        else:
            msg = fill(
                QCoreApplication.translate(
                    "CheckReport",
                    "The recording is distorted: %1 % of samples are at full scale.",
                ),
                pct,
            )
            advice = QCoreApplication.translate(
                "CheckReport",
                "Lower the microphone's input level or move a little further away, "
                "and record again.",
            )
    elif key == "noise":
        db = str(round(value)) if value is not None else "?"
        if sev == "ok":
            msg = QCoreApplication.translate("CheckReport", "The background is quiet.")
        elif sev == "warning":
            msg = fill(
                QCoreApplication.translate(
                    "CheckReport",
                    "There is noticeable background noise (speech is %1 dB above it).",
                ),
                db,
            )
            advice = QCoreApplication.translate(
                "CheckReport", "A quieter room gives a better voiceprint."
            )
        else:
            msg = fill(
                QCoreApplication.translate(
                    "CheckReport", "The background is very noisy (speech is only %1 dB above it)."
                ),
                db,
            )
            advice = QCoreApplication.translate(
                "CheckReport", "Record in a quiet room, away from fans and other voices."
            )
    elif key in ("leading_silence", "trailing_silence"):
        leading = key == "leading_silence"
        if sev == "ok":
            msg = (
                QCoreApplication.translate("CheckReport", "Little silence before the speech.")
                if leading
                else QCoreApplication.translate("CheckReport", "Little silence after the speech.")
            )
        elif value is not None:
            msg = fill(
                QCoreApplication.translate(
                    "CheckReport", "There are %1 s of silence before the speech starts."
                )
                if leading
                else QCoreApplication.translate(
                    "CheckReport", "There are %1 s of silence after the speech ends."
                ),
                num,
            )
            advice = QCoreApplication.translate(
                "CheckReport", "Conversion trims it, keeping a short margin."
            )
    elif key == "non_finite" and value is not None:
        msg = fill(
            QCoreApplication.translate(
                "CheckReport",
                "The audio data is damaged: %1 samples are not numbers (NaN or infinite), "
                "so a voiceprint made from it would never match.",
            ),
            str(int(value)),
        )
        advice = QCoreApplication.translate(
            "CheckReport",
            "Export the recording again from the program that made it, or record a new take.",
        )
    elif key in FILE_PROBLEMS:
        name = report.path.name if report is not None else ""
        msg, advice = file_problem(key, name)
    if msg is None or advice is None:
        return finding.message, finding.advice, False
    return msg, advice, True
