"""The cost of librosa's API: ``audiofront.compat.librosa`` beside the core functions it
translates to, and beside librosa, on the core benchmark's workload (16 clips x 10 s at
22.05 kHz, float32; n_fft 2048, hop 512, 128 mels, 20 MFCCs).

    python benchmarks/compat_librosa.py --rounds 30    # prints and rewrites its RESULTS.md section

The translation should cost nothing measurable (issue 9: at most 5% on the mel spectrogram);
the rows of one table come from the same interleaved run.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from _harness import report, table, time_all, versions  # noqa: E402
from core import AUDIO_SECONDS, HOP, N_FFT, N_MELS, SR, signal  # noqa: E402


def implementations():
    import librosa

    import audiofront as af
    import audiofront.compat.librosa as compat

    y = signal()
    kw = dict(n_fft=N_FFT, hop_length=HOP)
    return {
        "librosa": {
            "stft": lambda: librosa.stft(y, **kw),
            "melspectrogram": lambda: librosa.feature.melspectrogram(y=y, sr=SR, n_mels=N_MELS, **kw),
            "mfcc": lambda: librosa.feature.mfcc(y=y, sr=SR, n_mels=N_MELS, **kw),
        },
        "audiofront (core)": {
            "stft": lambda: af.stft(y, **kw),
            "melspectrogram": lambda: af.melspectrogram(y, sr=SR, n_mels=N_MELS, **kw),
            "mfcc": lambda: af.mfcc(y, sr=SR, n_mels=N_MELS, **kw),
        },
        "audiofront.compat.librosa": {
            "stft": lambda: compat.stft(y, **kw),
            "melspectrogram": lambda: compat.feature.melspectrogram(y=y, sr=SR, n_mels=N_MELS, **kw),
            "mfcc": lambda: compat.feature.mfcc(y=y, sr=SR, n_mels=N_MELS, **kw),
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    med = time_all(implementations(), args.rounds, "cpu")
    lines = [
        f"Batch 16 x 10 s at {SR} Hz, float32, n_fft {N_FFT}, hop {HOP}, {N_MELS} mels; median "
        f"(and best) of {args.rounds} shuffled rounds. The MFCCs differ in one respect: "
        f"librosa's (and compat's) `top_db` floor is over the whole batch, the core's per clip.",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"{versions('numpy', 'scipy', 'librosa')}.",
        "",
    ]
    for op in ("stft", "melspectrogram", "mfcc"):
        lines += table(med, op, AUDIO_SECONDS, "audiofront (core)")
        over = med[("audiofront.compat.librosa", op)][0] / med[("audiofront (core)", op)][0] - 1
        lines[-1:] = [f"compat.librosa over the core: {100 * over:+.1f}% (medians).", ""]
    report("compat.librosa overhead (cpu)", lines, write=not args.no_write)


if __name__ == "__main__":
    main()
