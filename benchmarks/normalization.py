"""Normalisation speed: pcen, lcn and standardize beside librosa.pcen and the mel spectrogram.

Workload (issue #12): the mel spectrogram of 16 clips x 10 s at 22.05 kHz (n_fft 2048, hop 512,
128 mels, float32, magnitudes x 2**31 as librosa recommends for PCEN). On NumPy, audiofront's
pcen (its blocked scan, the one path every backend takes) runs beside librosa.pcen applied clip by
clip (librosa's smoother filters whatever array it is given, but its max-filter and ``ref``
need 2-d input, so per-clip is how batches reach it); on torch, pcen beside the mel spectrogram
itself, which it should cost no more than twice. Interleaved rounds, medians.

    python benchmarks/normalization.py [--rounds 20] [--device cuda] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from _harness import report, table, time_all, versions  # noqa: E402

SR, SECONDS, BATCH, N_FFT, HOP, N_MELS = 22050, 10, 16, 2048, 512, 128
AUDIO_SECONDS = BATCH * SECONDS


def implementations(device: str):
    import audiofront as af

    y = np.random.default_rng(0).standard_normal((BATCH, SR * SECONDS)).astype(np.float32)
    M = af.melspectrogram(y, sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS) * 2 ** 31
    logM = np.log1p(M / 2 ** 31)
    out = {}
    if device == "cpu":
        import librosa

        out["librosa"] = {"pcen": lambda: np.stack([librosa.pcen(m, sr=SR, hop_length=HOP)
                                                    for m in M])}
        out["audiofront-numpy"] = {
            "pcen": lambda: af.pcen(M, sr=SR, hop_length=HOP),
            "lcn": lambda: af.lcn(logM),
            "standardize": lambda: af.standardize(logM),
            "melspectrogram": lambda: af.melspectrogram(y, sr=SR, n_fft=N_FFT, hop_length=HOP,
                                                        n_mels=N_MELS),
        }
    try:
        import torch
    except ImportError:
        return out
    t, Mt = torch.from_numpy(y).to(device), torch.from_numpy(M).to(device)
    logMt = torch.from_numpy(logM).to(device)
    out[f"audiofront-torch ({device})"] = {
        "pcen": lambda: af.pcen(Mt, sr=SR, hop_length=HOP),
        "lcn": lambda: af.lcn(logMt),
        "standardize": lambda: af.standardize(logMt),
        "melspectrogram": lambda: af.melspectrogram(t, sr=SR, n_fft=N_FFT, hop_length=HOP,
                                                    n_mels=N_MELS),
    }
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--device", default="cpu", help="cpu or cuda (torch only)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    impls = implementations(args.device)
    med = time_all(impls, args.rounds, args.device)
    lines = [
        f"Mel spectrograms of {BATCH} x {SECONDS} s at {SR} Hz ({N_MELS} mels, hop {HOP}, float32; "
        f"{BATCH} x {N_MELS} x {1 + SR * SECONDS // HOP}); median (and best) of {args.rounds} "
        f"shuffled rounds. librosa.pcen runs clip by clip (scipy.signal.lfilter inside); "
        f"audiofront's is the blocked scan of two matrix products on every backend. The "
        f"melspectrogram rows time the feature PCEN normalises, from the audio.",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"{versions('numpy', 'scipy', 'librosa', 'torch')}.",
        "",
    ]
    for op in ("pcen", "lcn", "standardize", "melspectrogram"):
        reference = "librosa" if op == "pcen" and args.device == "cpu" else "audiofront-numpy"
        if args.device != "cpu":
            reference = f"audiofront-torch ({args.device})"
        lines += table(med, op, AUDIO_SECONDS, reference)
    torch_name = f"audiofront-torch ({args.device})"
    if (torch_name, "pcen") in med:
        ratio = med[(torch_name, "pcen")][0] / med[(torch_name, "melspectrogram")][0]
        lines += [f"torch: pcen takes {ratio:.2f}x the time of the mel spectrogram it normalises.",
                  ""]
    report(f"Normalisation ({args.device})", lines, write=not args.no_write)


if __name__ == "__main__":
    main()
