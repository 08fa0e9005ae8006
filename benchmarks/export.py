"""Exported mel front ends: both STFT methods in onnxruntime and the TFLite interpreter.

The torch ``MelSpectrogram`` is exported to ONNX (``torch.onnx.export(dynamo=True)``, dynamic
batch) and the Keras ``MelSpectrogram`` converted to TFLite, with ``method='fft'`` (the FFT:
ONNX's DFT operator, TFLite's RFFT) and ``method='dft'`` (a real matrix product with the
windowed basis), for several FFT sizes; each model's output is checked against the eager
module, then timed on 16 x 1 s at 16 kHz (hop n_fft / 4, 64 mels), interleaved, medians.
Both runtimes use their default threading on this machine.

    python benchmarks/export.py [--rounds 20] [--n-fft 512 1024 2048] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from _harness import report, time_all, versions  # noqa: E402

SR, SECONDS, BATCH, N_MELS = 16000, 1, 16, 64
AUDIO_SECONDS = BATCH * SECONDS


def onnx_model(method: str, n_fft: int, folder: str):
    """(session runner, the eager output) of the torch mel module exported to ONNX."""
    import onnxruntime as ort
    import torch

    from audiofront.adapters import torch as aft

    m = aft.MelSpectrogram(sr=SR, n_fft=n_fft, n_mels=N_MELS, method=method).eval()
    path = os.path.join(folder, f"mel_{method}_{n_fft}.onnx")
    batch = torch.export.Dim("batch", min=1, max=64)
    torch.onnx.export(m, (torch.randn(2, SR * SECONDS),), path, input_names=["audio"],
                      output_names=["mel"], dynamic_shapes={"x": {0: batch}}, dynamo=True)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    x = np.random.default_rng(0).standard_normal((BATCH, SR * SECONDS)).astype(np.float32)
    expected = m(torch.from_numpy(x)).detach().numpy()
    return (lambda: session.run(None, {"audio": x})[0]), expected


def tflite_model(method: str, n_fft: int):
    """(interpreter runner, the eager output) of the Keras mel layer converted to TFLite."""
    import keras
    import tensorflow as tf

    from audiofront.adapters import keras as afk

    x = np.random.default_rng(0).standard_normal((BATCH, SR * SECONDS, 1)).astype(np.float32)
    model = keras.Sequential([keras.Input((SR * SECONDS, 1)),
                              afk.MelSpectrogram(sr=SR, n_fft=n_fft, n_mels=N_MELS,
                                                 hop_length=n_fft // 4, center=False,
                                                 method=method)])
    interpreter = tf.lite.Interpreter(
        model_content=tf.lite.TFLiteConverter.from_keras_model(model).convert())
    entry = interpreter.get_input_details()[0]
    interpreter.resize_tensor_input(entry["index"], list(x.shape))
    interpreter.allocate_tensors()
    out_index = interpreter.get_output_details()[0]["index"]

    def run():
        interpreter.set_tensor(entry["index"], x)
        interpreter.invoke()
        return interpreter.get_tensor(out_index)

    return run, np.asarray(model(x))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--n-fft", type=int, nargs="+", default=[512, 1024, 2048])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    impls, errors = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for n_fft in args.n_fft:
            for method in ("fft", "dft"):
                for runtime, make in (("onnxruntime", lambda: onnx_model(method, n_fft, folder)),
                                      ("TFLite", lambda: tflite_model(method, n_fft))):
                    run, expected = make()
                    out = run()
                    errors[(runtime, method, n_fft)] = float(
                        np.max(np.abs(out - expected)) / np.max(np.abs(expected)))
                    impls[f"{runtime} {method} n_fft={n_fft}"] = {"mel": run}
        med = time_all(impls, args.rounds, "cpu")
    lines = [
        f"Mel spectrogram of {BATCH} x {SECONDS} s at {SR} Hz ({N_MELS} mels, hop n_fft / 4) "
        f"through the exported torch module (onnxruntime) and the converted Keras layer (TFLite); "
        f"median (and best) of {args.rounds} shuffled rounds. Error: max |exported - eager| "
        f"relative to the maximum.",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"{versions('numpy', 'torch', 'onnxruntime', 'tensorflow')}.",
        "",
        "| runtime | n_fft | fft: median ms (best) | dft: median ms (best) | faster | error fft / dft |",
        "|---|---:|---:|---:|---|---|",
    ]
    for runtime in ("onnxruntime", "TFLite"):
        for n_fft in args.n_fft:
            fft = med[(f"{runtime} fft n_fft={n_fft}", "mel")]
            dft = med[(f"{runtime} dft n_fft={n_fft}", "mel")]
            faster = "fft" if fft[0] < dft[0] else "dft"
            ratio = max(fft[0], dft[0]) / min(fft[0], dft[0])
            lines.append(
                f"| {runtime} | {n_fft} | {fft[0] * 1e3:.1f} ({fft[1] * 1e3:.1f}) | "
                f"{dft[0] * 1e3:.1f} ({dft[1] * 1e3:.1f}) | {faster} by {ratio:.2f}x | "
                f"{errors[(runtime, 'fft', n_fft)]:.1e} / {errors[(runtime, 'dft', n_fft)]:.1e} |")
    lines.append("")
    report("Export (cpu)", lines, write=not args.no_write)


if __name__ == "__main__":
    main()
