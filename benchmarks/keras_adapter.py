"""Keras layers: the mel layer's forward pass on each Keras backend (audiofront's own layer and
the kapre-compatible getter), beside kapre 0.4 (on TensorFlow) and Keras's own
``keras.layers.MelSpectrogram``, same batch.

16 clips x 10 s at 22.05 kHz, n_fft 2048, hop 512, 128 mels, float32. Each Keras backend runs
in its own process (Keras picks its backend once per process); medians of shuffled rounds.

    python benchmarks/keras_adapter.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from _harness import report, table, versions  # noqa: E402

SR, SECONDS, BATCH, N_FFT, HOP, N_MELS = 22050, 10, 16, 2048, 512, 128


def child(rounds: int) -> None:
    """Time the implementations on this process's Keras backend; print JSON."""
    import keras
    import numpy as np

    from _harness import time_all
    from audiofront.adapters import keras as afk
    from audiofront.compat.kapre import composed

    backend = keras.backend.backend()
    y = np.random.default_rng(0).standard_normal((BATCH, SR * SECONDS, 1)).astype(np.float32)
    x = keras.ops.convert_to_tensor(y)
    x2 = keras.ops.convert_to_tensor(y[..., 0])
    ours = afk.MelSpectrogram(sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS)
    getter = composed.get_melspectrogram_layer(input_shape=(SR * SECONDS, 1), n_fft=N_FFT,
                                               hop_length=HOP, sample_rate=SR, n_mels=N_MELS)
    theirs = keras.layers.MelSpectrogram(fft_length=N_FFT, sequence_stride=HOP,
                                         sampling_rate=SR, num_mel_bins=N_MELS, power_to_db=False)
    impls = {f"audiofront MelSpectrogram ({backend})": {"mel": lambda: keras.ops.convert_to_numpy(ours(x))},
             f"audiofront.compat.kapre get_melspectrogram_layer ({backend})": {
                 "mel": lambda: keras.ops.convert_to_numpy(getter(x))},
             f"keras.layers.MelSpectrogram ({backend})": {"mel": lambda: keras.ops.convert_to_numpy(theirs(x2))}}
    if backend == "tensorflow":
        try:
            from kapre.composed import get_melspectrogram_layer

            kapre_mel = get_melspectrogram_layer(input_shape=(SR * SECONDS, 1), n_fft=N_FFT,
                                                 hop_length=HOP, sample_rate=SR, n_mels=N_MELS)
            impls["kapre 0.4 get_melspectrogram_layer (tensorflow)"] = {
                "mel": lambda: keras.ops.convert_to_numpy(kapre_mel(x))}
        except ImportError:
            pass
    medians = time_all(impls, rounds, "cpu")
    print("RESULT " + json.dumps({f"{k[0]}": v for k, v in medians.items()}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.rounds)
        return
    medians = {}
    for backend in ("tensorflow", "torch", "jax"):
        env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
        out = subprocess.run([sys.executable, __file__, "--child", "--rounds", str(args.rounds)],
                             env=env, capture_output=True, text=True)
        lines = [l for l in out.stdout.splitlines() if l.startswith("RESULT ")]
        if not lines:
            print(f"{backend}: no result ({out.stderr.strip().splitlines()[-1:]})", file=sys.stderr)
            continue
        for name, value in json.loads(lines[0][7:]).items():
            medians[(name, "mel layer forward")] = tuple(value)
    ref = "keras.layers.MelSpectrogram (tensorflow)"
    lines = [f"Batch {BATCH} x {SECONDS} s at {SR} Hz, float32, n_fft {N_FFT}, hop {HOP}, "
             f"{N_MELS} mels, eager forward pass; median (and best) of {args.rounds} shuffled "
             f"rounds per backend process, 2 cores; "
             f"{versions('keras', 'tensorflow', 'torch', 'jax', 'kapre')}. Keras's layer uses "
             f"its own (HTK-style) mel filters; kapre and its compat getter apply the mel filters "
             f"to the magnitude of frames from sample 0, audiofront's MelSpectrogram to the power "
             f"of centred frames (librosa's defaults): the same work, not the same numbers.", ""]
    lines += table(medians, "mel layer forward", BATCH * SECONDS, ref)
    report("Keras adapter (cpu)", lines, write=not args.no_write)


if __name__ == "__main__":
    main()
