"""The enrollment checker on generated signals and on espeak-ng speech (Chinese and English)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.audio_fixtures import EN_TEXT, RATE, espeak_wav, read_mono, silence, tone, white_noise
from voiceprint_studio.audio import AudioReport, Severity, check_file
from voiceprint_studio.audio import thresholds as th


def _write(tmp_path: Path, name: str, samples: np.ndarray, rate: int = RATE) -> Path:
    path = tmp_path / f"{name}.wav"
    soundfile.write(str(path), samples, rate, subtype="PCM_16")
    return path


def _severity(report: AudioReport, key: str) -> Severity | None:
    found = report.finding(key)
    return None if found is None else found.severity


@pytest.fixture
def zh_speech(tmp_path: Path) -> np.ndarray:
    return read_mono(espeak_wav(tmp_path, "zh"))


def test_silence_has_no_speech_and_is_too_quiet(tmp_path: Path) -> None:
    report = check_file(_write(tmp_path, "silence", silence(10)))
    assert report.blocking
    assert report.speech_seconds == 0
    assert _severity(report, "speech") is Severity.BLOCKING
    assert _severity(report, "level") is Severity.BLOCKING


def test_tone_is_not_speech(tmp_path: Path) -> None:
    report = check_file(_write(tmp_path, "tone", tone(10)))
    assert _severity(report, "speech") is Severity.BLOCKING
    assert report.speech_seconds is not None and report.speech_seconds < 1
    assert _severity(report, "level") is Severity.OK


def test_noise_is_not_speech(tmp_path: Path) -> None:
    report = check_file(_write(tmp_path, "noise", white_noise(10, amp=0.2)))
    assert _severity(report, "speech") is Severity.BLOCKING
    assert report.speech_seconds is not None and report.speech_seconds < 1


def test_chinese_speech_passes(tmp_path: Path) -> None:
    report = check_file(espeak_wav(tmp_path, "zh"))
    assert not report.blocking, report.findings
    assert report.severity is Severity.OK, report.findings
    assert report.speech_seconds is not None and report.speech_seconds > 15
    assert report.sample_rate == 16000 and report.channels == 1 and report.subtype == "PCM_16"


def test_english_speech_passes_with_original_rate_warning(tmp_path: Path) -> None:
    import subprocess

    raw = tmp_path / "en-native.wav"
    subprocess.run(["espeak-ng", "-v", "en", "-w", str(raw), EN_TEXT], check=True)
    report = check_file(raw)  # espeak writes 22050 Hz
    assert not report.blocking, report.findings
    rate = report.finding("sample_rate")
    assert rate is not None and rate.severity is Severity.WARNING and rate.convertible
    assert report.speech_seconds is not None and report.speech_seconds > 8


def test_short_speech_is_blocking(tmp_path: Path, zh_speech: np.ndarray) -> None:
    report = check_file(_write(tmp_path, "short", zh_speech[: 2 * RATE]))
    assert _severity(report, "speech") is Severity.BLOCKING
    assert report.speech_seconds is not None and report.speech_seconds < th.MIN_SPEECH_SECONDS


def test_clipped_speech_is_blocking(tmp_path: Path, zh_speech: np.ndarray) -> None:
    report = check_file(_write(tmp_path, "clipped", np.clip(zh_speech * 8, -1, 1)))
    assert _severity(report, "clipping") is Severity.BLOCKING
    assert report.clipped_fraction is not None
    assert report.clipped_fraction > th.CLIP_FRACTION_BLOCKING
    assert _severity(report, "speech") is Severity.OK


def test_slightly_clipped_speech_is_a_warning(tmp_path: Path, zh_speech: np.ndarray) -> None:
    scaled = zh_speech / np.abs(zh_speech).max()
    scaled[1000:1200] = 1.0  # 200 samples at full scale, ~0.06 %
    report = check_file(_write(tmp_path, "someclip", scaled))
    assert _severity(report, "clipping") is Severity.WARNING


def test_quiet_speech_warns_and_very_quiet_blocks(tmp_path: Path, zh_speech: np.ndarray) -> None:
    peak = np.abs(zh_speech).max()
    quiet = check_file(_write(tmp_path, "quiet", zh_speech / peak * 10 ** (-30 / 20)))
    assert _severity(quiet, "level") is Severity.WARNING
    assert quiet.peak_dbfs is not None and -31 < quiet.peak_dbfs < -29
    assert _severity(quiet, "speech") is Severity.OK
    faint = check_file(_write(tmp_path, "faint", zh_speech / peak * 10 ** (-50 / 20)))
    assert _severity(faint, "level") is Severity.BLOCKING
    assert faint.blocking


def test_noisy_speech_is_flagged(tmp_path: Path, zh_speech: np.ndarray) -> None:
    padded = np.concatenate([silence(2), zh_speech, silence(2)])
    noisy = check_file(_write(tmp_path, "noisy", padded + white_noise(padded.size / RATE, 0.05)))
    assert _severity(noisy, "noise") is Severity.BLOCKING
    assert noisy.snr_db is not None and noisy.snr_db < th.SNR_DB_BLOCKING
    hiss = check_file(_write(tmp_path, "hiss", padded + white_noise(padded.size / RATE, 0.012)))
    assert _severity(hiss, "noise") is Severity.WARNING
    clean = check_file(_write(tmp_path, "clean", padded + white_noise(padded.size / RATE, 0.001)))
    assert _severity(clean, "noise") is Severity.OK
    assert clean.snr_db is not None and clean.snr_db > th.SNR_DB_WARNING


def test_long_edge_silence_warns_and_is_convertible(tmp_path: Path, zh_speech: np.ndarray) -> None:
    report = check_file(
        _write(tmp_path, "edges", np.concatenate([silence(5), zh_speech, silence(6)]))
    )
    for key, seconds in (("leading_silence", 5), ("trailing_silence", 6)):
        found = report.finding(key)
        assert found is not None and found.severity is Severity.WARNING and found.convertible
        assert found.value is not None and abs(found.value - seconds) < 0.6
    assert not report.blocking


def test_over_size_limit_after_conversion_is_blocking(
    tmp_path: Path, zh_speech: np.ndarray
) -> None:
    repeats = int(np.ceil(140 * RATE / zh_speech.size))
    long = np.tile(zh_speech, repeats)[: 140 * RATE]
    report = check_file(_write(tmp_path, "long", long))
    size = report.finding("file_size")
    assert size is not None and size.severity is Severity.BLOCKING and not size.convertible
    assert report.converted_size_bytes is not None
    assert report.converted_size_bytes > th.MAX_UPLOAD_BYTES


def test_findings_have_keys_messages_and_advice(tmp_path: Path) -> None:
    report = check_file(_write(tmp_path, "silence", silence(3)))
    for finding in report.findings:
        assert finding.key and finding.message
        if finding.severity is not Severity.OK:
            assert finding.advice
    data = report.to_dict()
    assert data["blocking"] is True
    assert {f["key"] for f in data["findings"]} >= {"speech", "level", "duration"}


def test_injected_detector_failure_is_a_warning(tmp_path: Path) -> None:
    def broken(samples: np.ndarray) -> np.ndarray:
        raise RuntimeError("model missing")

    report = check_file(_write(tmp_path, "tone", tone(5)), detector=broken)
    assert _severity(report, "vad_unavailable") is Severity.WARNING
    assert report.speech_seconds is None
