"""Streaming beside offline: the same log-mel features of a batch, computed whole and in 20 ms
chunks, on NumPy and torch; and the latency of one 10 ms step of a single stream.

    python benchmarks/streaming.py [--rounds 7] [--no-write]   # rewrites its section

The batch is 16 clips x 10 s at 16 kHz, float32; the features are a keyword-spotting front
end (n_fft 400, hop 160, 80 mels, power_to_db with ref=1 and no floor). A streamed run is
``init``, 500 ``step`` calls of 320 samples and ``flush``; the rows of a table come from one
interleaved run. The per-step latency is timed for one stream of one channel, torch on one
thread (torch.set_num_threads(1)); NumPy's FFT of the one frame a step completes runs on one
worker anyway.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import report, time_all, versions  # noqa: E402

import audiofront as af  # noqa: E402
from audiofront import streaming  # noqa: E402

SR, SECONDS, BATCH = 16000, 10, 16
MEL = dict(sr=SR, n_fft=400, hop_length=160, n_mels=80)
CHUNK, STEP = SR // 50, SR // 100  # 20 ms, 10 ms


def offline(y):
    return af.power_to_db(af.melspectrogram(y, **MEL), top_db=None)


SPEC = streaming.chain(streaming.melspectrogram(**MEL), streaming.power_to_db())


def streamed(y, concat):
    state, parts = SPEC.init(y[..., :0]), []
    for at in range(0, y.shape[-1], CHUNK):
        frames, state = SPEC.step(state, y[..., at:at + CHUNK])
        parts.append(frames)
    parts.append(SPEC.flush(state))
    return concat(parts)


def by_hand(y, lib):
    """The same stream as :func:`streamed`, written out with ``lib``'s own operations (NumPy
    and scipy.fft, or torch) and no checks: what eager per-chunk calls cost at the least."""
    n_fft, hop = MEL["n_fft"], MEL["hop_length"]
    window = af.get_window("hann", n_fft).astype(np.float32)
    basis = np.ascontiguousarray(af.mel_filterbank(sr=SR, n_fft=n_fft, n_mels=MEL["n_mels"])
                                 .astype(np.float32).T)
    if lib == "torch":
        import torch

        window, basis = torch.from_numpy(window), torch.from_numpy(basis)
        cat, rfft = torch.cat, torch.fft.rfft

        def frames(x, k):
            return x.unfold(-1, n_fft, hop)

        def power_db(S):
            P = S.real.square() + S.imag.square()
            return torch.log10(torch.clamp(P @ basis, min=1e-10)) * 10.0
    else:
        import scipy.fft

        cat = np.concatenate

        def rfft(x, n):
            return scipy.fft.rfft(x, n=n, axis=-1, workers=1)

        def frames(x, k):
            return np.lib.stride_tricks.as_strided(
                x, x.shape[:-1] + (k, n_fft), x.strides[:-1] + (hop * x.strides[-1],
                                                                   x.strides[-1]))

        def power_db(S):
            P = np.abs(S)
            P *= P
            return np.log10(np.maximum(P @ basis, 1e-10)) * 10.0

    zeros = y[..., :n_fft // 2] * 0  # the centring zeros
    held, parts = zeros, []
    for at in range(0, y.shape[-1] + 1, CHUNK):  # the last chunk: the end padding
        x = cat([held, y[..., at:at + CHUNK] if at < y.shape[-1] else zeros], -1)
        k = max(0, (x.shape[-1] - n_fft) // hop + 1)
        if k:
            parts.append(power_db(rfft(frames(x, k) * window, n_fft)).swapaxes(-1, -2))
        held = x[..., k * hop:]
    return cat(parts, -1)


def counted(fn, faults):
    """``fn``, appending the minor page faults of each call to ``faults``: a large temporary
    that the allocator maps afresh each call costs a fault per 4 KiB page, and whether it does
    varies between processes (glibc's heap trimming), which moves the offline time."""
    def call():
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        out = fn()
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
        return out

    return call


def step_latency(y, repeats=2000):
    """Median seconds of one 10 ms step of a primed single stream."""
    _, state = SPEC.step(SPEC.init(y[..., :0]), y[..., :SPEC.prime_length])
    chunk = y[..., SPEC.prime_length:SPEC.prime_length + STEP]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        SPEC.step(state, chunk)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    y = np.random.default_rng(0).standard_normal((BATCH, SR * SECONDS)).astype(np.float32)
    faults = {"NumPy": [], "torch": []}
    impls = {"NumPy": {"offline": counted(lambda: offline(y), faults["NumPy"]),
                       "streamed": lambda: streamed(y, lambda p: np.concatenate(p, -1)),
                       "by hand": lambda: by_hand(y, "numpy")}}
    try:
        import torch

        yt = torch.from_numpy(y)
        impls["torch"] = {"offline": counted(lambda: offline(yt), faults["torch"]),
                          "streamed": lambda: streamed(yt, lambda p: torch.cat(p, -1)),
                          "by hand": lambda: by_hand(yt, "torch")}
    except ImportError:
        print("torch skipped: not installed", file=sys.stderr)
    np.testing.assert_allclose(impls["NumPy"]["streamed"](), offline(y), rtol=0, atol=1e-4)
    np.testing.assert_allclose(impls["NumPy"]["by hand"](), offline(y), rtol=0, atol=1e-3)
    # one backend at a time: worker threads that NumPy's calls leave spinning slowed the torch
    # call after them 3.7x when the two were interleaved (53 against 14 ms)
    med = {}
    for backend, ops in impls.items():
        med.update(time_all({backend: ops}, args.rounds, "cpu"))
    lines = [f"Batch {BATCH} x {SECONDS} s at {SR} Hz, float32: log-mel (n_fft 400, hop 160, 80 "
             f"mels), offline and in {1000 * CHUNK // SR} ms chunks ({SR * SECONDS // CHUNK} "
             f"steps); median (and best) of {args.rounds} shuffled rounds; "
             f"{versions('numpy', 'torch')}; {os.cpu_count()} cores.", "",
             "| backend | offline ms (best) | offline page faults | streamed ms (best) | "
             "streamed / offline | by hand ms | by hand / offline | library us a step |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    steps = SR * SECONDS // CHUNK + 1  # and the flush
    for backend in impls:
        off, on = med[(backend, "offline")], med[(backend, "streamed")]
        hand = med[(backend, "by hand")]
        lines.append(f"| {backend} | {off[0] * 1e3:.1f} ({off[1] * 1e3:.1f}) | "
                     f"{np.median(faults[backend]):,.0f} | {on[0] * 1e3:.1f} ({on[1] * 1e3:.1f}) "
                     f"| {on[0] / off[0]:.2f}x | {hand[0] * 1e3:.1f} | {hand[0] / off[0]:.2f}x | "
                     f"{(on[0] - hand[0]) / steps * 1e6:.0f} |")
    lines += ["", "By hand: the same stream written with the library's own operations and no "
              "checks (benchmarks/streaming.py, by_hand): the least that eager calls of 20 ms "
              "chunks cost; library us a step: what the library's step costs above it (its "
              "checks, lookups and calls between operations). Offline page faults: the median "
              "of the minor page faults of one offline call (a temporary mapped afresh faults "
              "once per 4 KiB page)."]
    lines.append("")
    # one thread, one stream, one 10 ms step
    single = y[:1]
    latency = {"NumPy": step_latency(single)}
    if "torch" in impls:
        torch.set_num_threads(1)
        latency["torch"] = step_latency(torch.from_numpy(single))
    lines += [f"One {1000 * STEP // SR} ms step ({STEP} samples) of one primed mono stream, "
                  f"one thread, median of 2000:", "",
              "| backend | step us | x real time |", "|---|---:|---:|"]
    for backend, seconds in latency.items():
        lines.append(f"| {backend} | {seconds * 1e6:.0f} | {STEP / SR / seconds:,.0f} |")
    report("Streaming (cpu)", lines, write=not args.no_write)


if __name__ == "__main__":
    main()
