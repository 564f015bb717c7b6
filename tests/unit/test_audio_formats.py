"""Reading and converting wav (every sample format, rate, channel count) and raw pcm; bad input."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
import soundfile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.audio_fixtures import tone
from voiceprint_studio.audio import (
    AudioFileError,
    Severity,
    check_file,
    convert_file,
    probe_audio,
    read_audio,
)

SUBTYPES = ["PCM_16", "PCM_24", "PCM_32", "FLOAT"]
RATES = [8000, 16000, 44100, 48000]


def _assert_target_wav(path: Path) -> None:
    info = soundfile.info(str(path))
    assert (info.format, info.subtype, info.samplerate, info.channels) == (
        "WAV",
        "PCM_16",
        16000,
        1,
    )


@pytest.mark.parametrize("subtype", SUBTYPES)
@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize("channels", [1, 2])
def test_read_and_convert_every_wav_format(
    tmp_path: Path, subtype: str, rate: int, channels: int
) -> None:
    signal = tone(1.5, freq=300, amp=0.5, rate=rate)
    data = np.stack([signal] * channels, axis=1) if channels == 2 else signal
    src = tmp_path / "in.wav"
    soundfile.write(str(src), data, rate, subtype=subtype)
    before = src.read_bytes()

    audio = read_audio(src)
    assert audio.info.sample_rate == rate and audio.info.channels == channels
    assert audio.info.subtype == subtype
    assert audio.samples.shape == (signal.size, channels)
    assert audio.samples.dtype == np.float32
    assert abs(float(np.abs(audio.samples).max()) - 0.5) < 0.01

    out = convert_file(src, tmp_path / "out.wav", trim=False)
    _assert_target_wav(out)
    converted, _ = soundfile.read(str(out), dtype="float32")
    assert abs(converted.size - 1.5 * 16000) <= 2
    assert abs(float(np.abs(converted).max()) - 0.5) < 0.02
    assert src.read_bytes() == before  # the original is untouched

    report = check_file(src)
    for key in ("sample_rate", "channels", "bit_depth"):
        finding = report.finding(key)
        assert finding is not None
        good = {"sample_rate": rate == 16000, "channels": channels == 1}.get(
            key, subtype == "PCM_16"
        )
        assert (finding.severity is Severity.OK) == good
        if not good:
            assert finding.convertible and finding.severity is Severity.WARNING


@pytest.mark.parametrize(("rate", "channels"), [(16000, 1), (8000, 1), (48000, 2)])
def test_read_and_convert_pcm(tmp_path: Path, rate: int, channels: int) -> None:
    signal = tone(1.0, freq=300, amp=0.5, rate=rate)
    frames = np.stack([signal] * channels, axis=1)
    src = tmp_path / "in.pcm"
    src.write_bytes((frames * 32767).astype("<i2").tobytes())
    audio = read_audio(src, pcm_rate=rate, pcm_channels=channels)
    assert audio.info.container == "RAW"
    assert audio.samples.shape == (signal.size, channels)
    out = convert_file(src, tmp_path / "out.wav", trim=False, pcm_rate=rate, pcm_channels=channels)
    _assert_target_wav(out)
    report = check_file(src, pcm_rate=rate, pcm_channels=channels)
    rate_finding = report.finding("sample_rate")
    assert rate_finding is not None
    # pcm must be exactly 16 kHz mono: anything else is blocking (but convertible)
    assert (rate_finding.severity is Severity.BLOCKING) == (rate != 16000)


def test_pcm_with_odd_byte_count(tmp_path: Path) -> None:
    src = tmp_path / "odd.pcm"
    src.write_bytes(b"\x01\x02\x03")
    with pytest.raises(AudioFileError) as err:
        read_audio(src)
    assert err.value.key == "bad_pcm"
    report = check_file(src)
    assert report.blocking and report.findings[0].key == "bad_pcm"


def test_text_file_renamed_wav(tmp_path: Path) -> None:
    src = tmp_path / "notes.wav"
    src.write_text("This is not audio at all.\n" * 50, encoding="utf-8")
    report = check_file(src)
    assert report.blocking
    assert report.findings[0].key == "not_audio"
    assert report.findings[0].advice
    with pytest.raises(AudioFileError):
        convert_file(src, tmp_path / "out.wav")
    assert not (tmp_path / "out.wav").exists()


@pytest.mark.parametrize("name", ["empty.wav", "empty.pcm"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    src = tmp_path / name
    src.write_bytes(b"")
    report = check_file(src)
    assert report.blocking and report.findings[0].key == "empty"


def test_missing_file(tmp_path: Path) -> None:
    report = check_file(tmp_path / "nope.wav")
    assert report.blocking and report.findings[0].key == "unreadable"


def test_header_only_wav(tmp_path: Path) -> None:
    src = tmp_path / "header.wav"
    soundfile.write(str(src), np.zeros(0, np.int16), 16000, subtype="PCM_16")
    report = check_file(src)
    assert report.blocking


def test_truncated_wav(tmp_path: Path) -> None:
    src = tmp_path / "whole.wav"
    soundfile.write(str(src), tone(3), 16000, subtype="PCM_16")
    cut = tmp_path / "cut.wav"
    cut.write_bytes(src.read_bytes()[:30])
    assert check_file(cut).blocking


def test_ten_megabyte_wav(tmp_path: Path) -> None:
    # 10 MB of 16-bit stereo 44.1 kHz: too big to upload as it is, fits after conversion.
    seconds = 10 * 1024 * 1024 / (44100 * 2 * 2)
    signal = tone(seconds, freq=200, amp=0.3, rate=44100)
    src = tmp_path / "big.wav"
    soundfile.write(str(src), np.stack([signal, signal], axis=1), 44100, subtype="PCM_16")
    assert src.stat().st_size > 10 * 1024 * 1024 - 100
    report = check_file(src)
    size = report.finding("file_size")
    assert size is not None and size.severity is Severity.BLOCKING and size.convertible
    out = convert_file(src, tmp_path / "small.wav")
    _assert_target_wav(out)
    assert out.stat().st_size <= 4 * 1024 * 1024


def test_other_container_is_blocking_but_convertible(tmp_path: Path) -> None:
    src = tmp_path / "speech.flac"
    soundfile.write(str(src), tone(2), 16000, format="FLAC")
    report = check_file(src)
    container = report.finding("container")
    assert container is not None and container.severity is Severity.BLOCKING
    assert container.convertible
    _assert_target_wav(convert_file(src, tmp_path / "out.wav"))


def test_non_pcm_codec_in_wav(tmp_path: Path) -> None:
    src = tmp_path / "ulaw.wav"
    soundfile.write(str(src), tone(2), 8000, subtype="ULAW")
    report = check_file(src)
    codec = report.finding("codec")
    assert codec is not None and codec.severity is Severity.BLOCKING and codec.convertible


def test_convert_trims_long_silence(tmp_path: Path) -> None:
    from tests.audio_fixtures import espeak_wav, read_mono, silence

    speech = read_mono(espeak_wav(tmp_path, "zh"))
    src = tmp_path / "padded.wav"
    soundfile.write(str(src), np.concatenate([silence(4), speech, silence(5)]), 16000)
    out = convert_file(src, tmp_path / "trimmed.wav")
    trimmed = soundfile.info(str(out)).frames / 16000
    assert speech.size / 16000 - 0.5 < trimmed < speech.size / 16000 + 1.0
    untrimmed = convert_file(src, tmp_path / "kept.wav", trim=False)
    assert soundfile.info(str(untrimmed)).frames == speech.size + 9 * 16000


def test_convert_refuses_to_overwrite_original(tmp_path: Path) -> None:
    src = tmp_path / "a.wav"
    soundfile.write(str(src), tone(2), 16000)
    with pytest.raises(AudioFileError):
        convert_file(src, src)


def test_probe_reads_header_only(tmp_path: Path) -> None:
    src = tmp_path / "a.wav"
    soundfile.write(str(src), tone(2, rate=48000), 48000, subtype="PCM_24")
    info = probe_audio(src)
    assert (info.sample_rate, info.subtype, info.frames) == (48000, "PCM_24", 96000)
    assert info.duration_seconds == 2


_FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(data=st.binary(min_size=0, max_size=20000))
def test_random_bytes_as_wav_give_a_blocking_report(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.wav"
        path.write_bytes(data)
        report = check_file(path)
    assert report.blocking
    assert any(f.severity is Severity.BLOCKING for f in report.findings)


@_FAST
@given(data=st.binary(min_size=0, max_size=20000))
def test_random_bytes_as_pcm_give_a_blocking_report(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.pcm"
        path.write_bytes(data)
        report = check_file(path)
    assert report.blocking


@_FAST
@given(
    body=st.binary(min_size=0, max_size=4000),
    rate=st.integers(min_value=0, max_value=200000),
    channels=st.integers(min_value=0, max_value=300),
)
def test_wav_header_with_random_body(body: bytes, rate: int, channels: int) -> None:
    import struct

    header = b"RIFF" + struct.pack("<I", 36 + len(body)) + b"WAVEfmt "
    header += struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * 2, 2, 16)
    header += b"data" + struct.pack("<I", len(body))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "forged.wav"
        path.write_bytes(header + body)
        report = check_file(path)
    assert report.blocking
