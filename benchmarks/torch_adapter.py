"""The torch.nn modules: MelSpectrogram and STFT, forward and forward + backward.

Beside a hand-written torch.stft + matmul (the same computation written directly in torch)
and nnAudio 0.3 (where it installs), on the same batch: 16 clips x 10 s at 22.05 kHz, n_fft
2048, hop 512, 128 mels. Forward + backward takes the gradient of the output's mean with
respect to the input (trainable constants off) — the cost a front end adds to training.

    python benchmarks/torch_adapter.py [--rounds 20] [--device cuda]
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import device_label, report, table, time_all, versions  # noqa: E402

import audiofront as af  # noqa: E402
from audiofront.adapters import torch as aft  # noqa: E402

SR, SECONDS, BATCH, N_FFT, HOP, N_MELS = 22050, 10, 16, 2048, 512, 128


def modules(device):
    """name -> (stft module, mel module) mapping a (batch, time) tensor to spectra."""
    window = torch.hann_window(N_FFT, device=device)
    fb = torch.from_numpy(af.mel_filterbank(sr=SR, n_fft=N_FFT, n_mels=N_MELS)
                          .astype(np.float32)).to(device)

    def hand_stft(x):
        return torch.stft(x, N_FFT, HOP, window=window, center=True, pad_mode="constant",
                          return_complex=True)

    def hand_mel(x):
        S = hand_stft(x)
        return fb @ (S.real ** 2 + S.imag ** 2)

    out = {
        "torch.stft + matmul": (hand_stft, hand_mel),
        "audiofront": (aft.STFT(n_fft=N_FFT, hop_length=HOP).to(device),
                                      aft.MelSpectrogram(sr=SR, n_fft=N_FFT, hop_length=HOP,
                                                         n_mels=N_MELS).to(device)),
        "audiofront, method='dft'": (
            aft.STFT(n_fft=N_FFT, hop_length=HOP, method="dft").to(device),
            aft.MelSpectrogram(sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS,
                               method="dft").to(device)),
    }
    try:
        from nnAudio import features

        out["nnAudio 0.3"] = (
            features.STFT(n_fft=N_FFT, hop_length=HOP, sr=SR, output_format="Complex",
                          verbose=False).to(device),
            features.MelSpectrogram(sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS,
                                    verbose=False).to(device))
    except Exception as exc:
        print(f"nnAudio skipped: {exc!r}", file=sys.stderr)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    y = np.random.default_rng(0).standard_normal((BATCH, SR * SECONDS)).astype(np.float32)
    x = torch.from_numpy(y).to(args.device)
    xg = x.clone().requires_grad_()

    def forward_backward(f):
        def run():
            xg.grad = None
            out = f(xg)
            (torch.view_as_real(out) if out.is_complex() else out).mean().backward()
        return run

    impls = {}
    for name, (stft, mel) in modules(args.device).items():
        impls[name] = {"STFT forward": lambda f=stft: f(x),
                       "MelSpectrogram forward": lambda f=mel: f(x),
                       "MelSpectrogram forward + backward": forward_backward(mel)}
    with torch.inference_mode(False):
        med = time_all(impls, args.rounds, args.device)
    device_name = torch.cuda.get_device_name() if args.device.startswith("cuda") else "CPU"
    lines = [
        f"Batch {BATCH} x {SECONDS} s at {SR} Hz, float32, n_fft {N_FFT}, hop {HOP}, {N_MELS} "
        f"mels, on {device_name} ({os.cpu_count()} cores); median (and best) of {args.rounds} "
        f"rounds, shuffled; {versions('torch', 'nnAudio')}. The hand-written path is "
        f"`torch.stft` then `fb @ (re**2 + im**2)`.", ""]
    for op in ("STFT forward", "MelSpectrogram forward", "MelSpectrogram forward + backward"):
        lines += table(med, op, BATCH * SECONDS, "torch.stft + matmul")
    report(f"torch adapter ({device_label(args.device)})", lines, write=not args.no_write)


if __name__ == "__main__":
    main()
