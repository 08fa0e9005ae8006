"""CQT: speed beside librosa and nnAudio, and agreement with librosa on real recordings.

Speed, two workloads, every implementation on the same float32 batch in one process
(shuffled rounds, medians):
- "default": 16 clips x 10 s at 22.05 kHz, fmin C1, 84 bins, 12 per octave, hop 512;
- "seed": the GTZAN notebook's transform, 16 clips x 30 s, fmin C3, 96 bins, 24 per octave,
  hop 1024.

Agreement: |C| against librosa.cqt(sparsity=0) in float64 on the music and speech test
recordings (first 10 s), over the bins within 60 dB of the maximum: median and 99th
percentile of the absolute dB difference, and the correlation of the dB values. nnAudio's
CQTs are scaled differently from librosa's, so for them the table also gives the statistics
after removing their median dB offset.

    python benchmarks/cqt.py [--rounds 10] [--device cuda]
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
from _harness import device_label, report, table, time_all, versions  # noqa: E402

import audiofront as af  # noqa: E402

SR = 22050
WORKLOADS = {
    "default": dict(seconds=10, fmin=af.note_to_hz("C1"), n_bins=84, bins_per_octave=12,
                    hop_length=512),
    "seed": dict(seconds=30, fmin=af.note_to_hz("C3"), n_bins=96, bins_per_octave=24,
                 hop_length=1024),
}
BATCH = 16


def implementations(params, device):
    p = {k: v for k, v in params.items() if k != "seconds"}
    y = np.random.default_rng(0).standard_normal((BATCH, SR * params["seconds"])).astype(np.float32)
    out = {}
    if device == "cpu":
        import librosa

        out["librosa"] = lambda: librosa.cqt(y, sr=SR, **p)
        for alg in ("multirate", "direct"):
            out[f"audiofront-numpy {alg}"] = lambda alg=alg: af.cqt(y, sr=SR, algorithm=alg, **p)
    import torch

    t = torch.from_numpy(y).to(device)
    for alg in ("multirate", "direct"):
        out[f"audiofront-torch {alg} ({device})"] = lambda alg=alg: af.cqt(t, sr=SR, algorithm=alg, **p)
    if device == "cpu":
        try:
            import functools

            import jax
        except ImportError:
            print("JAX skipped: not installed", file=sys.stderr)
        else:
            yj = jax.numpy.asarray(y)
            jitted = jax.jit(functools.partial(af.cqt, sr=SR, algorithm="multirate", **p))
            out["audiofront-jax multirate (jit)"] = lambda: jitted(yj).block_until_ready()
            out["audiofront-jax multirate (eager)"] = lambda: af.cqt(
                yj, sr=SR, algorithm="multirate", **p).block_until_ready()
    for name, layer in nnaudio_layers(p, device).items():
        out[f"{name} ({device})"] = lambda layer=layer: layer(t)
    if device.startswith("cuda"):
        try:
            import cupy
        except ImportError:
            print("CuPy skipped: not installed", file=sys.stderr)
        else:
            c = cupy.asarray(y)
            for alg in ("multirate", "direct"):
                out[f"audiofront-cupy {alg} (cuda)"] = lambda alg=alg: af.cqt(c, sr=SR, algorithm=alg, **p)
    return out


def nnaudio_layers(p, device):
    try:
        from nnAudio import features
    except ImportError as exc:
        print(f"nnAudio skipped: {exc!r}", file=sys.stderr)
        return {}
    common = dict(sr=SR, hop_length=p["hop_length"], fmin=p["fmin"], n_bins=p["n_bins"],
                  bins_per_octave=p["bins_per_octave"], pad_mode="constant",
                  output_format="Complex", verbose=False)
    return {"nnAudio CQT1992v2": features.CQT1992v2(**common).to(device),
            "nnAudio CQT2010v2": features.CQT2010v2(**common).to(device)}


def agreement(device="cpu"):
    """Rows of (implementation, recording, median dB, p99 dB, corr, offset-aligned median/p99)."""
    import librosa
    import torch
    from helpers import load

    from test_cqt import db_agreement

    rows = []
    p = {k: v for k, v in WORKLOADS["default"].items() if k != "seconds"}
    for name in ("music_vibeace_22k_mono.flac", "speech_libri_5703_16k_mono.flac"):
        y, sr = load(name)
        ref = librosa.cqt(y, sr=sr, sparsity=0, **p)
        candidates = {f"audiofront {alg}": af.cqt(y, sr=sr, algorithm=alg, **p)
                      for alg in ("direct", "multirate")}
        for label, layer in nnaudio_layers(p, device).items():
            layer = type(layer)(**{**_layer_kwargs(p), "sr": sr}).to(device)
            out = layer(torch.from_numpy(y[None].astype(np.float32)).to(device))[0].cpu().numpy()
            candidates[label] = out[..., 0] + 1j * out[..., 1]
        for label, C in candidates.items():
            C = C[:, :ref.shape[-1]]
            median, p99, corr = db_agreement(C, ref[:, :C.shape[-1]])
            offset = np.median(20 * np.log10(np.abs(C) + 1e-30) - 20 * np.log10(np.abs(ref[:, :C.shape[-1]]) + 1e-30))
            aligned = db_agreement(C / 10 ** (offset / 20), ref[:, :C.shape[-1]])
            rows.append((label, name, median, p99, corr, offset, aligned[0], aligned[1]))
    return rows


def _layer_kwargs(p):
    return dict(hop_length=p["hop_length"], fmin=p["fmin"], n_bins=p["n_bins"],
                bins_per_octave=p["bins_per_octave"], pad_mode="constant",
                output_format="Complex", verbose=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    lines = [f"Batch of {BATCH} float32 clips at {SR} Hz; median (and best) of {args.rounds} "
             f"shuffled rounds; {versions('numpy', 'scipy', 'librosa', 'torch', 'jax', 'nnAudio')}.", ""]
    for workload, params in WORKLOADS.items():
        med = time_all({k: {workload: f} for k, f in implementations(params, args.device).items()},
                       args.rounds, args.device)
        lines.append(f"{workload}: {params['seconds']} s clips, fmin {params['fmin']:.2f} Hz, "
                     f"{params['n_bins']} bins, {params['bins_per_octave']} per octave, hop "
                     f"{params['hop_length']}.")
        lines.append("")
        nnaudio = sorted(k for k, _ in med if k.startswith("nnAudio CQT1992v2"))
        reference = "librosa" if args.device == "cpu" else (
            nnaudio[0] if nnaudio else next(iter(k for k, _ in med)))
        lines += table(med, workload, BATCH * params["seconds"], reference)
    if args.device == "cpu":
        lines += ["**Agreement with librosa.cqt(sparsity=0)** (default parameters, float64, first "
                  "10 s; bins within 60 dB of the max)", "",
                  "| implementation | recording | median dB | p99 dB | corr | offset dB | median / p99 after offset |",
                  "|---|---|---:|---:|---:|---:|---:|"]
        for label, name, median, p99, corr, offset, am, ap in agreement():
            lines.append(f"| {label} | {name.split('_')[0]}_{name.split('_')[1]} | {median:.3f} | "
                         f"{p99:.3f} | {corr:.5f} | {offset:+.2f} | {am:.3f} / {ap:.3f} |")
        lines.append("")
    report(f"CQT ({device_label(args.device)})", lines, write=not args.no_write)


if __name__ == "__main__":
    main()
