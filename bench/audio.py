"""Audio benchmark: checker + conversion speed, and a long recording through the microphone.

Run: ``python bench/audio.py [--minutes N] [--skip-record]``. Prints:

1. check + convert of a 4 MB (131 s) 16 kHz mono 16-bit recording, and the VAD
   alone, as a fraction of the audio's duration (target: check + convert
   <= 1/100 of real time);
2. a recording of N minutes (default 10) at 48 kHz from the default input
   device (the PulseAudio virtual microphone in CI, with speech looped into it
   by ``paplay`` when available), with level + waveform polled at 20 Hz from a
   thread: input overflows (target 0), the process's CPU share, and how far the
   take's length is from the wall time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import soundfile

from voiceprint_studio.audio import AudioSystemError, Recorder, check_file, convert_file
from voiceprint_studio.audio import thresholds as th
from voiceprint_studio.audio.audiofile import read_audio, to_target
from voiceprint_studio.audio.vad import speech_probabilities

TEXT = (
    "你好，我正在录制一段声纹样本。今天天气很好，我们一起去公园散步吧。"
    "这是一个用于测试的句子，请仔细听。我的声音应该被清楚地识别出来。"
)


def _speech(folder: Path) -> np.ndarray:
    """espeak-ng speech at 16 kHz, or a tone-and-noise stand-in without espeak-ng/sox."""
    if shutil.which("espeak-ng") and shutil.which("sox"):
        raw, out = folder / "raw.wav", folder / "speech.wav"
        subprocess.run(["espeak-ng", "-v", "zh", "-w", str(raw), TEXT], check=True)
        subprocess.run(
            ["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True
        )
        data, _ = soundfile.read(str(out), dtype="float32")
        return np.asarray(data, np.float32)
    print("  (espeak-ng/sox missing: using a tone with noise instead of speech)")
    t = np.arange(16000 * 10) / 16000
    rng = np.random.default_rng(0)
    return (0.3 * np.sin(2 * np.pi * 180 * t) + 0.01 * rng.standard_normal(t.size)).astype(
        np.float32
    )


def bench_checker(folder: Path) -> None:
    speech = _speech(folder)
    frames = th.max_take_frames()
    signal = np.tile(speech, frames // speech.size + 1)[:frames]
    src = folder / "4mb.wav"
    soundfile.write(str(src), signal, 16000, subtype="PCM_16")
    duration = frames / 16000
    print(f"1. checker on {src.stat().st_size} bytes, {duration:.1f} s of 16 kHz mono 16-bit")
    check_file(src)  # warm up: loads the model, soxr
    mono = to_target(read_audio(src))
    t0 = time.perf_counter()
    speech_probabilities(mono)
    vad = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = check_file(src)
    check = time.perf_counter() - t0
    t0 = time.perf_counter()
    convert_file(src, folder / "converted.wav", segments=report.speech_segments)
    convert = time.perf_counter() - t0
    total = check + convert
    print(f"   VAD alone:        {vad:6.3f} s = 1/{duration / vad:.0f} of real time")
    print(f"   check:            {check:6.3f} s = 1/{duration / check:.0f} of real time")
    print(
        f"   convert (+trim, VAD segments reused): {convert:6.3f} s "
        f"= 1/{duration / convert:.0f} of real time"
    )
    verdict = "OK" if total <= duration / 100 else "over target"
    print(
        f"   check + convert:  {total:6.3f} s = 1/{duration / total:.0f} of real time "
        f"(target <= 1/100: {verdict}); report: {report.severity.value}, "
        f"{report.speech_seconds:.1f} s speech"
    )
    if not (folder / "speech.wav").exists():
        soundfile.write(str(folder / "speech.wav"), speech, 16000, subtype="PCM_16")


def bench_recording(folder: Path, minutes: float) -> None:
    seconds = minutes * 60
    print(f"2. recording {seconds:.0f} s at 48 kHz from the default input, polling at 20 Hz")
    recorder = Recorder(
        folder / "recs", max_bytes=int(th.WAV_HEADER_BYTES + 2 * 16000 * (seconds + 60))
    )
    polls = 0
    stop_polling = threading.Event()

    def poll() -> None:
        nonlocal polls
        while not stop_polling.wait(0.05):
            recorder.level()
            recorder.waveform(5.0)
            _ = recorder.elapsed_seconds
            polls += 1

    player: subprocess.Popen[bytes] | None = None
    try:
        recorder.start(samplerate=48000)
    except AudioSystemError as exc:
        print(f"   skipped: {exc.message} {exc.next_step}")
        return
    poller = threading.Thread(target=poll, name="bench-poller")
    poller.start()
    if shutil.which("paplay"):
        loop = f"while true; do paplay {folder / 'speech.wav'} || exit; done"
        player = subprocess.Popen(["sh", "-c", loop], start_new_session=True)
    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    wall0 = time.monotonic()
    try:
        time.sleep(seconds)
    finally:
        wall = time.monotonic() - wall0
        usage1 = resource.getrusage(resource.RUSAGE_SELF)
        take = recorder.stop()
        stop_polling.set()
        poller.join()
        if player is not None:
            import signal

            os.killpg(player.pid, signal.SIGTERM)
            player.wait(10)
    cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    level = recorder.level()
    print(f"   device rate:      {recorder.input_rate} Hz")
    print(f"   input overflows:  {level.overflows} (target 0)")
    print(f"   CPU share:        {100 * cpu / wall:.1f} % of one core over {wall:.0f} s")
    print(f"   polls:            {polls} ({polls / wall:.1f} Hz)")
    if take is not None:
        print(
            f"   take:             {take.duration_seconds:.1f} s, {take.size_bytes} bytes, "
            f"stop reason {recorder.stop_reason.value if recorder.stop_reason else None}"
        )
        report = check_file(take.path)
        speech = report.speech_seconds or 0.0
        print(f"   take's check:     {report.severity.value}, {speech:.1f} s speech")


def main(argv: list[str] | None = None) -> int:
    print(f"(load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=10.0, help="recording length (10)")
    parser.add_argument("--skip-record", action="store_true", help="only the checker figures")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vps-bench-") as tmp:
        folder = Path(tmp)
        bench_checker(folder)
        if not args.skip_record:
            bench_recording(folder, args.minutes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
