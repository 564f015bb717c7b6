"""``voiceprint-studio --self-test``: check that every native part the app needs loads.

A package that was built or installed wrong (a library missing from a bundle, a catalogue
missing from a wheel) fails here by name instead of in front of an operator. Each check
does a little real work with its part -- writes and reads a WAV, resamples, runs the
detector and the speaker model, loads the catalogues -- and prints one line::

    ok    libsndfile           libsndfile-1.2.2 (wrote and read back a WAV)
    FAIL  PortAudio            OSError: PortAudio library not found -- install libportaudio2 (…)
    skip  zh_CN catalogues     not run: Qt core did not pass

A failure whose text names a library the system lacks says which Debian/Ubuntu package to
install (:func:`voiceprint_studio.qt_platform.install_hint`); a check that needs a part
whose own check failed is not run (``skip``), so each failure is reported under its own
name. The exit status is 0 when every check passed, 1 otherwise.

Nothing here needs a display, a sound card, a network or a keyring service: a missing
keyring *service* is reported but not a failure (the app then keeps the token for the
session), a missing keyring *backend* (no entry points in the bundle) is. Qt's GUI side is
checked as far as it can be without a display: QtGui and QtWidgets import, and the platform
plugin the window uses on this OS (xcb on Linux) loads with its libraries -- the same check
the app makes before it opens its window (:mod:`voiceprint_studio.qt_platform`).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from voiceprint_studio import qt_platform

EXIT_OK = 0
EXIT_FAILED = 1


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check (``skipped``: not run, a check it needs failed)."""

    name: str
    ok: bool
    detail: str
    skipped: bool = False

    @property
    def status(self) -> str:
        return "ok" if self.ok else "skip" if self.skipped else "FAIL"


def _frozen_root() -> Path | None:
    """The bundle's folder when running from a PyInstaller bundle, else None."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).resolve().parent


def check_libsndfile() -> str:
    """Write a short WAV to memory and read it back."""
    import soundfile

    tone = (0.25 * np.sin(np.arange(1600) * 0.1)).astype(np.float32)
    buffer = io.BytesIO()
    soundfile.write(buffer, tone, 16000, subtype="PCM_16", format="WAV")
    buffer.seek(0)
    back, rate = soundfile.read(buffer, dtype="float32")
    if rate != 16000 or back.shape != tone.shape:
        raise RuntimeError(f"read back {back.shape} at {rate} Hz")
    return f"libsndfile {soundfile.__libsndfile_version__} (wrote and read back a WAV)"


def check_portaudio() -> str:
    """Load PortAudio (the bundled copy when frozen) and ask its version."""
    import sounddevice

    library = str(getattr(sounddevice, "_libname", "?"))
    root = _frozen_root()
    if root is not None and not Path(library).resolve().is_relative_to(root):
        raise RuntimeError(f"loaded {library}, not the bundle's copy under {root}")
    version = sounddevice.get_portaudio_version()[1]
    return f"{version} from {library}"


def check_soxr() -> str:
    """Resample a second of audio from 48 kHz to 16 kHz."""
    import soxr  # type: ignore[import-untyped]

    out = soxr.resample(np.zeros(48000, np.float32), 48000, 16000)
    if out.shape[0] != 16000:
        raise RuntimeError(f"48000 samples at 48 kHz gave {out.shape[0]} at 16 kHz")
    return f"soxr {soxr.__version__} (resampled 48 kHz -> 16 kHz)"


def check_vad() -> str:
    """Run Silero VAD over a second of silence (its library and ONNX model load by path)."""
    from voiceprint_studio.audio.vad import speech_probabilities

    probs = speech_probabilities(np.zeros(16000, np.float32))
    if probs.size != 32 or float(probs.max()) >= 0.5:
        raise RuntimeError(f"silence gave {probs.size} frames, peak {float(probs.max()):.2f}")
    return f"Silero VAD ({probs.size} frames of silence, no speech)"


def check_speaker_model() -> str:
    """Load both packaged speaker models (sha256 checked) and embed two seconds of a tone:
    CAM++, the default engine, and GE2E, its fallback."""
    from voiceprint_studio.local import models
    from voiceprint_studio.local.campp import CamppEngine
    from voiceprint_studio.local.ge2e import Ge2eEngine

    t = np.arange(32000, dtype=np.float32) / 16000
    tone = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    found = []
    # the file names are read now (not bound at import), so a test can name a missing one
    for engine, path, model_id in (
        (CamppEngine, models.model_path(models.CAMPP_FILE), models.CAMPP_ID),
        (Ge2eEngine, models.model_path(models.MODEL_FILE), models.MODEL_ID),
    ):
        loaded = engine.load(path)
        loaded.use_vad = False
        embedding = loaded.embed(tone)
        norm = float(np.linalg.norm(embedding))
        if embedding.ndim != 1 or abs(norm - 1.0) > 1e-3:
            raise RuntimeError(f"{model_id}: embedding of shape {embedding.shape}, norm {norm:.3f}")
        found.append(f"{model_id} ({embedding.shape[0]}-dim)")
    return ", ".join(found)


def check_keyring() -> str:
    """The platform's keyring backend is present; the running service is reported."""
    from importlib.metadata import entry_points

    import keyring
    import keyring.backends.fail

    names = sorted(ep.name for ep in entry_points(group="keyring.backends"))
    native = {"win32": "Windows", "darwin": "macOS"}.get(sys.platform, "SecretService")
    if native not in names:
        raise RuntimeError(
            f"backend {native!r} not registered (entry points: {', '.join(names) or 'none'})"
        )
    active = keyring.get_keyring()
    if isinstance(active, keyring.backends.fail.Keyring):
        return f"{native} backend present; no keyring service running (token kept in memory)"
    return f"{type(active).__module__}.{type(active).__name__}"


def check_qt_core() -> str:
    """Qt's core library loads (it needs the system's GLib and libstdc++)."""
    import PySide6
    from PySide6.QtCore import qVersion

    return f"PySide6 {PySide6.__version__}, Qt {qVersion()}"


def check_catalogues() -> str:
    """The app's zh_CN catalogue and Qt's own qtbase_zh_CN load into translators."""
    from importlib import resources

    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    data = (
        resources.files("voiceprint_studio")
        .joinpath("i18n")
        .joinpath("voiceprint_studio_zh_CN.qm")
        .read_bytes()
    )
    ours = QTranslator()
    if not ours.load(data):
        raise RuntimeError("voiceprint_studio_zh_CN.qm does not load")
    if not ours.translate("MainWindow", "&Help"):
        raise RuntimeError("voiceprint_studio_zh_CN.qm has no translation for '&Help'")
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator()
    if not qt.load(QLocale("zh_CN"), "qtbase", "_", folder):
        raise RuntimeError(f"qtbase_zh_CN.qm not found in {folder}")
    return f"voiceprint_studio_zh_CN.qm, {Path(qt.filePath()).name} ({folder})"


def check_tls() -> str:
    """Certificates for HTTPS: certifi's bundle (what httpx uses) loads into a context."""
    import ssl

    import certifi

    where = certifi.where()
    context = ssl.create_default_context(cafile=where)
    count = context.cert_store_stats()["x509_ca"]
    if count == 0:
        raise RuntimeError(f"no CA certificates in {where}")
    return f"{count} CA certificates from {where}"


def check_job_process() -> str:
    """A copy or move job's own process starts and runs this package (a packaged app must
    not start itself again: ``multiprocessing.freeze_support`` in ``main``)."""
    from voiceprint_studio.transfer.child import JobProcess

    process = JobProcess()
    try:
        if not process.wait_ready(60):
            raise RuntimeError("the job process did not say it was ready within 60 s")
        return f"started and ready (pid {process.pid})"
    finally:
        process.close()


QT_CORE = "Qt core"
QT_GUI = "Qt GUI"
# "xcb platform plugin" on Linux, "windows platform plugin", "cocoa platform plugin".
PLATFORM_PLUGIN = f"{qt_platform.plugin_for()[0]} platform plugin"

# (name, check, the checks it needs): in the order they run and print.
CHECKS: tuple[tuple[str, Callable[[], str], tuple[str, ...]], ...] = (
    ("libsndfile", check_libsndfile, ()),
    ("PortAudio", check_portaudio, ()),
    ("soxr", check_soxr, ()),
    ("VAD", check_vad, ()),
    ("speaker model", check_speaker_model, ()),
    ("keyring", check_keyring, ()),
    (QT_CORE, check_qt_core, ()),
    (QT_GUI, qt_platform.check_gui_modules, (QT_CORE,)),
    (PLATFORM_PLUGIN, qt_platform.check_platform_plugin, (QT_CORE, QT_GUI)),
    ("zh_CN catalogues", check_catalogues, (QT_CORE,)),
    ("TLS certificates", check_tls, ()),
    ("job process", check_job_process, ()),
)
NAME_WIDTH = max(len(name) for name, _check, _needs in CHECKS)


def run_checks() -> list[CheckResult]:
    """Run every check; an exception is a failure with its type and message (and what to
    install, when the message names a missing library); a check whose prerequisite failed
    is skipped."""
    results: list[CheckResult] = []
    for name, check, needs in CHECKS:
        unmet = [r.name for r in results if r.name in needs and not r.ok]
        if unmet:
            detail = f"not run: {', '.join(unmet)} did not pass"
            results.append(CheckResult(name, False, detail, skipped=True))
            continue
        try:
            results.append(CheckResult(name, True, check()))
        except Exception as exc:
            detail = qt_platform.with_hint(f"{type(exc).__name__}: {exc}")
            results.append(CheckResult(name, False, detail))
    return results


def main(out: TextIO | None = None) -> int:
    """Print each check's line; return :data:`EXIT_OK` only if all passed."""
    stream = out or sys.stdout
    results = run_checks()
    for r in results:
        stream.write(f"{r.status:<4}  {r.name:<{NAME_WIDTH}}  {r.detail}\n")
    failed = [r.name for r in results if not r.ok and not r.skipped]
    if failed:
        stream.write(f"self-test FAILED: {', '.join(failed)}\n")
        return EXIT_FAILED
    stream.write(f"self-test passed ({len(results)} checks)\n")
    return EXIT_OK
