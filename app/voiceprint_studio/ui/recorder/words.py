"""What the recorder says in words: the script to read aloud, sound-system failures."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from voiceprint_studio.audio.errors import AudioError
from voiceprint_studio.ui.common.text import fill

# A peak below this while speaking is "too quiet" (the checker warns under -20 dBFS).
QUIET_DBFS = -20.0
# A peak above this is "too loud" (close to clipping).
LOUD_DBFS = -1.0


def elapsed_words(seconds: float, *, recorded: bool = True) -> str:
    """The length of a take in plain words: "9 s recorded — 10 to 30 s is best"; of a
    chosen file (``recorded`` False): "9 s long — 10 to 30 s is best"."""
    if not recorded:
        return fill(
            QCoreApplication.translate("RecorderPanel", "%1 s long — 10 to 30 s is best"),
            str(int(seconds)),
        )
    return fill(
        QCoreApplication.translate("RecorderPanel", "%1 s recorded — 10 to 30 s is best"),
        str(int(seconds)),
    )


def level_words(peak_dbfs: float, clipped: bool) -> str:
    """The input level in plain words: too quiet, good or too loud."""
    if clipped or peak_dbfs > LOUD_DBFS:
        return QCoreApplication.translate("RecorderPanel", "too loud")
    if peak_dbfs < QUIET_DBFS:
        return QCoreApplication.translate("RecorderPanel", "too quiet")
    return QCoreApplication.translate("RecorderPanel", "good")


def reading_script() -> str:
    """A short passage to read aloud (about 15-20 s at a normal pace), in the UI language."""
    return QCoreApplication.translate(
        "RecorderPanel",
        "The weather is lovely today, so after work I plan to walk along the river with a "
        "friend. We usually stop at a small café on the corner, where the owner knows our "
        "names and always asks how our week has been. Later we might buy some fresh fruit at "
        "the market and cook dinner together at home.",
    )


def system_error_text(err: AudioError) -> str:
    """A recording failure in the UI language (the checker's English text for unknown keys)."""
    texts = {
        "no_portaudio": QCoreApplication.translate(
            "RecorderPanel",
            "Recording is not possible: the sound system library (PortAudio) is missing. "
            "Install it (on Debian/Ubuntu: apt install libportaudio2) to record; you can "
            "still choose an audio file.",
        ),
        "no_device": QCoreApplication.translate(
            "RecorderPanel",
            "No microphone was found. Connect one (and allow this app to use it in the "
            "system's privacy settings), then click Refresh; or choose an audio file instead.",
        ),
        "device_busy": QCoreApplication.translate(
            "RecorderPanel",
            "The microphone is in use by another program or not available. Close other "
            "programs that use it, or choose another microphone.",
        ),
        "device_lost": QCoreApplication.translate(
            "RecorderPanel",
            "The microphone stopped delivering sound (unplugged or taken by another "
            "program). The recording so far is kept. Reconnect the microphone, then record "
            "again or use the take so far.",
        ),
        "device_error": QCoreApplication.translate(
            "RecorderPanel",
            "The microphone could not be opened. Choose another microphone, or reconnect "
            "this one and try again.",
        ),
        "disk_error": QCoreApplication.translate(
            "RecorderPanel",
            "The recording could not be saved. Free some disk space, or check that the "
            "recordings folder can be written.",
        ),
        "disk_full": QCoreApplication.translate(
            "RecorderPanel",
            "The disk is full, so the recording stopped; what was recorded so far is kept. "
            "Free some disk space, then record again or use the take so far.",
        ),
    }
    return texts.get(err.key) or f"{err.message} {err.next_step}".strip()


def error_words(exc: object, *, recording: bool = True) -> str:
    """An exception in plain words: the message and what to do next."""
    from voiceprint_studio.audio.errors import AudioSystemError

    if recording and isinstance(exc, AudioSystemError):
        return system_error_text(exc)
    if isinstance(exc, AudioError):
        return f"{exc.message} {exc.next_step}".strip()
    if isinstance(exc, BaseException):
        from voiceprint_studio.ui.common.errors import describe_error

        return describe_error(exc).message
    return str(exc)
