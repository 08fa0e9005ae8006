"""Core throughput: stft, melspectrogram and power_to_db, audiofront beside its peers.

Workload (issue #2): a batch of 16 clips x 10 s at 22.05 kHz, float32, n_fft 2048, hop 512,
128 mels. Every implementation runs in the same process, interleaved round by round so that
a noisy neighbour slows all of them alike; the table gives medians. Peak memory is measured
with tracemalloc for the NumPy-based implementations.

    python benchmarks/core.py            # prints the table and rewrites its section of RESULTS.md
    python benchmarks/core.py --rounds 30 --device cuda

Peers that are not installed are skipped (tf.signal needs tensorflow, nnAudio needs nnAudio,
the JAX rows jax).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from _harness import device_label, report, table, time_all, versions  # noqa: E402

SR, SECONDS, BATCH, N_FFT, HOP, N_MELS = 22050, 10, 16, 2048, 512, 128
AUDIO_SECONDS = BATCH * SECONDS


def signal():
    return np.random.default_rng(0).standard_normal((BATCH, SR * SECONDS)).astype(np.float32)


def implementations(device: str = "cpu", only: tuple[str, ...] | None = None):
    """name -> {op: zero-argument callable}, with the inputs already on the device.

    ``only``: name prefixes to build (a peak-memory child builds one, importing nothing else).
    """
    import audiofront as af

    def wanted(name):
        return only is None or name.startswith(only)

    y = signal()
    out = {}
    if device == "cpu" and (wanted("librosa") or wanted("audiofront-numpy")):
        import librosa

        out["librosa"] = {
            "stft": lambda: librosa.stft(y, n_fft=N_FFT, hop_length=HOP),
            "melspectrogram": lambda: librosa.feature.melspectrogram(
                y=y, sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS),
        }
        M = af.melspectrogram(y, sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS)
        out["librosa"]["power_to_db"] = lambda: np.stack([librosa.power_to_db(m) for m in M])
        out["audiofront-numpy"] = {
            "stft": lambda: af.stft(y, n_fft=N_FFT, hop_length=HOP),
            "melspectrogram": lambda: af.melspectrogram(y, sr=SR, n_fft=N_FFT, hop_length=HOP,
                                                        n_mels=N_MELS),
            "power_to_db": lambda: af.power_to_db(M),
        }
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None and (wanted("torch") or wanted("audiofront-torch") or wanted("nnAudio")):
        t = torch.from_numpy(y).to(device)
        Mt = torch.from_numpy(af.melspectrogram(y, n_mels=N_MELS)).to(device)
        window = torch.hann_window(N_FFT, device=device)
        fb = torch.from_numpy(af.mel_filterbank(sr=SR, n_fft=N_FFT, n_mels=N_MELS)
                              .astype(np.float32)).to(device)

        def hand_stft():
            return torch.stft(t, N_FFT, HOP, window=window, center=True, pad_mode="constant",
                              return_complex=True)

        def hand_mel():
            S = hand_stft()
            return fb @ (S.real ** 2 + S.imag ** 2)

        def hand_db():
            log = 10.0 * torch.log10(torch.clamp(Mt, min=1e-10))
            return torch.maximum(log, log.amax(dim=(-2, -1), keepdim=True) - 80.0)

        out[f"torch.stft + matmul ({device})"] = {"stft": hand_stft, "melspectrogram": hand_mel,
                                                  "power_to_db": hand_db}
        out[f"audiofront-torch ({device})"] = {
            "stft": lambda: af.stft(t, n_fft=N_FFT, hop_length=HOP),
            "melspectrogram": lambda: af.melspectrogram(t, sr=SR, n_fft=N_FFT, hop_length=HOP,
                                                        n_mels=N_MELS),
            "power_to_db": lambda: af.power_to_db(Mt),
        }
        try:
            from nnAudio import features as nn_features

            layer = nn_features.MelSpectrogram(sr=SR, n_fft=N_FFT, hop_length=HOP,
                                               n_mels=N_MELS, verbose=False).to(device)
            stft_layer = nn_features.STFT(n_fft=N_FFT, hop_length=HOP, sr=SR, output_format="Complex",
                                          verbose=False).to(device)
            out[f"nnAudio ({device})"] = {"stft": lambda: stft_layer(t),
                                          "melspectrogram": lambda: layer(t)}
        except Exception as exc:  # not installed, or incompatible with this torch
            print(f"nnAudio skipped: {exc!r}", file=sys.stderr)
    if device.startswith("cuda") and wanted("audiofront-cupy"):
        try:
            import cupy

            c = cupy.asarray(y)
            Mc = cupy.asarray(af.melspectrogram(y, n_mels=N_MELS))
            out["audiofront-cupy (cuda)"] = {
                "stft": lambda: af.stft(c, n_fft=N_FFT, hop_length=HOP),
                "melspectrogram": lambda: af.melspectrogram(c, sr=SR, n_fft=N_FFT, hop_length=HOP,
                                                            n_mels=N_MELS),
                "power_to_db": lambda: af.power_to_db(Mc),
            }
        except ImportError:
            print("CuPy skipped: not installed", file=sys.stderr)
    if device == "cpu" and wanted("audiofront-jax"):
        try:
            import functools

            import jax

            yj, Mj = jax.numpy.asarray(y), jax.numpy.asarray(af.melspectrogram(y, n_mels=N_MELS))
            stft_kw = dict(n_fft=N_FFT, hop_length=HOP)
            mel_kw = dict(sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS)
            jitted = {"stft": jax.jit(functools.partial(af.stft, **stft_kw)),
                      "melspectrogram": jax.jit(functools.partial(af.melspectrogram, **mel_kw)),
                      "power_to_db": jax.jit(af.power_to_db)}
            eager = {"stft": lambda: af.stft(yj, **stft_kw),
                     "melspectrogram": lambda: af.melspectrogram(yj, **mel_kw),
                     "power_to_db": lambda: af.power_to_db(Mj)}
            out["audiofront-jax (jit)"] = {  # block_until_ready: the work, not its dispatch
                op: (lambda f=f, x=(Mj if op == "power_to_db" else yj): f(x).block_until_ready())
                for op, f in jitted.items()}
            # eager calls run under a cached jit from a signature's second call on
            # (audiofront._compiled): the rounds time that; first_calls() the two before
            out["audiofront-jax (eager)"] = {op: (lambda f=f: f().block_until_ready())
                                             for op, f in eager.items()}
        except ImportError as exc:
            print(f"JAX skipped: {exc!r}", file=sys.stderr)
    if device == "cpu" and wanted("tf.signal"):
        try:
            os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
            import tensorflow as tf

            ytf = tf.constant(y)
            fbt = tf.constant(af.mel_filterbank(sr=SR, n_fft=N_FFT, n_mels=N_MELS)
                              .astype(np.float32).T)

            def tf_stft():
                padded = tf.pad(ytf, [[0, 0], [N_FFT // 2, N_FFT // 2]])
                return tf.signal.stft(padded, N_FFT, HOP, fft_length=N_FFT,
                                      window_fn=tf.signal.hann_window)

            def tf_mel():
                S = tf_stft()
                return tf.tensordot(tf.math.real(S) ** 2 + tf.math.imag(S) ** 2, fbt, 1)

            out["tf.signal"] = {"stft": tf_stft, "melspectrogram": tf_mel}
        except ImportError as exc:
            print(f"tf.signal skipped: {exc!r}", file=sys.stderr)
    return {k: v for k, v in out.items() if wanted(k)}


def first_calls(y) -> str:
    """Eager JAX mel calls of signatures no round uses: three of one (15 clips), compiled on
    the first, beside the plain operation-by-operation call of another (14 clips), whose first
    call compiles every primitive for its shapes."""
    import time

    import jax

    import audiofront as af
    from audiofront._compiled import plain

    def times(fn, x):
        took = []
        for _ in range(3):
            start = time.perf_counter()
            fn(x, sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS).block_until_ready()
            took.append(f"{1e3 * (time.perf_counter() - start):.0f}")
        return ", ".join(took)

    return ("Eager JAX mel, the first three calls of a new signature: "
            f"{times(af.melspectrogram, jax.numpy.asarray(y[:-1]))} ms (the first traced and "
            "compiled, then the compiled call the rounds above time); the same pipeline run "
            "operation by operation, as before audiofront compiled eager calls: "
            f"{times(plain(af.melspectrogram), jax.numpy.asarray(y[:-2]))} ms.")


def peak_memory(fn):
    """Peak bytes allocated through NumPy (and Python) during one call, in MB.

    tracemalloc sees every NumPy allocation, so this is exact for librosa and
    audiofront-numpy; torch's and TensorFlow's CPU allocators bypass it (shown as "-").
    """
    import tracemalloc

    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2 ** 20


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--device", default="cpu", help="cpu or cuda (torch peers only)")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--only", help="comma-separated name prefixes of the implementations to run")
    args = parser.parse_args()

    impls = implementations(args.device)
    if args.only:
        keep = tuple(p.strip() for p in args.only.split(","))
        impls = {k: v for k, v in impls.items() if k.startswith(keep)}
    med = time_all(impls, args.rounds, args.device)
    lines = [
        f"Batch {BATCH} x {SECONDS} s at {SR} Hz, float32, n_fft {N_FFT}, hop {HOP}, {N_MELS} mels; "
        f"median (and best) of {args.rounds} rounds, every implementation once per round in a "
        f"shuffled order; throughput from the median, in seconds of audio per second (x real "
        f"time). Peak MB: the most memory allocated at once through NumPy during one call "
        f"(tracemalloc; torch and TensorFlow allocate outside its view: -). The input is "
        f"{BATCH * SR * SECONDS * 4 / 2 ** 20:.0f} MB.",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; {versions('numpy', 'scipy', 'librosa', 'torch', 'jax', 'tensorflow', 'nnAudio')}.",
        "",
    ]
    for op in ("stft", "melspectrogram", "power_to_db"):
        def memory(name, op=op):
            numpy_based = name in ("librosa", "audiofront-numpy")
            return peak_memory(impls[name][op]) if numpy_based and not args.no_memory else None

        reference = "librosa" if args.device == "cpu" else f"torch.stft + matmul ({args.device})"
        lines += table(med, op, AUDIO_SECONDS, reference, memory)
    if "audiofront-jax (eager)" in impls:
        lines += [first_calls(signal()), ""]
    report(f"Core ({device_label(args.device)})", lines, write=not args.no_write)


if __name__ == "__main__":
    main()
