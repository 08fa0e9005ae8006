"""nnAudio's modules from audiofront.compat.nnaudio beside nnAudio 0.3.4 itself, forward
only, on the same batch (16 clips x 10 s at 22.05 kHz, float32) and the same settings.

    python benchmarks/compat_nnaudio.py [--rounds 10] [--device cuda]   # rewrites its section

Every module is built with nnAudio's defaults except n_fft 2048 / hop 512 (and 128 mels, 64
gammatone bands, 84 CQT bins); the rows of a table come from one interleaved run.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import device_label, report, table, time_all, versions  # noqa: E402

SR, SECONDS, BATCH = 22050, 10, 16
CONFIGS = {  # module name -> constructor keywords, the same for both libraries
    "STFT": dict(n_fft=2048, hop_length=512, sr=SR, output_format="Magnitude"),
    "MelSpectrogram": dict(sr=SR, n_fft=2048, hop_length=512, n_mels=128),
    "Gammatonegram": dict(sr=SR, n_fft=2048, hop_length=512, n_bins=64),
    "CQT1992v2": dict(sr=SR, hop_length=512, n_bins=84),
}


def implementations(device):
    from audiofront.compat.nnaudio import features as ours

    libraries = {"audiofront.compat.nnaudio": ours}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from nnAudio import features as theirs
        libraries["nnAudio 0.3.4"] = theirs
    except ImportError:
        print("nnAudio skipped: not installed", file=sys.stderr)
    out = {}
    for label, lib in libraries.items():
        ops = {}
        for name, kw in CONFIGS.items():
            if not hasattr(lib, name):
                continue
            extra = {"verbose": False} if lib is not ours and name != "CQT1992v2" else {}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ops[name] = lib.__dict__[name](**kw, **extra).to(device)
        out[label] = ops
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    x = torch.from_numpy(np.random.default_rng(0).standard_normal((BATCH, SR * SECONDS))
                         .astype(np.float32)).to(args.device)
    modules = implementations(args.device)
    impls = {label: {name: (lambda m=m: m(x)) for name, m in ops.items()}
             for label, ops in modules.items()}
    with torch.inference_mode():
        med = time_all(impls, args.rounds, args.device)
    lines = [f"Batch {BATCH} x {SECONDS} s at {SR} Hz, float32, forward; median (and best) of "
             f"{args.rounds} shuffled rounds; {versions('torch', 'nnAudio')}; "
             f"{os.cpu_count()} cores.", ""]
    for name in CONFIGS:
        if ("nnAudio 0.3.4", name) in med and ("audiofront.compat.nnaudio", name) in med:
            lines += table(med, name, BATCH * SECONDS, "nnAudio 0.3.4")
    report(f"compat.nnaudio beside nnAudio ({device_label(args.device)})", lines,
           write=not args.no_write)


if __name__ == "__main__":
    main()
