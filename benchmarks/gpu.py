"""Everything a session with an NVIDIA GPU runs, in one go: tests, benchmarks, throughput.

Steps, each in its own process with its own time limit (about 7 minutes in all):

1. the test suite on the GPU backends (``AUDIOFRONT_TEST_BACKENDS=cupy,torch-cuda``; the Keras
   per-backend runs and the worker-pool tests are left to CI, they do not touch the GPU);
2. ``core.py``, ``cqt.py`` and ``torch_adapter.py`` with ``--device cuda`` (audiofront on
   torch-CUDA and CuPy beside ``torch.stft`` + matmul and nnAudio on the same card);
3. throughput against the targets, timed with CUDA events after a synchronisation (never
   kernel-launch time): the mel spectrogram of 1 h of 22.05 kHz audio (target: 1e6x real time
   or more on an H100/H200-class GPU), the CQT beside nnAudio's (target: 10x), and a GPU
   extraction of 100 clips of 30 s (the extraction benchmark's job) on each GPU backend.

Each benchmark writes its section of ``benchmarks/RESULTS.md``, titled with the GPU's name;
this script prints a summary line per step and exits non-zero if a step failed.

    python benchmarks/gpu.py            # on a machine with an NVIDIA GPU
    python benchmarks/gpu.py --check    # anywhere: every step, CUDA parts skipped, tiny sizes

The GPU image may lack packages that the steps use (array-api-compat, which audiofront needs,
nnAudio, librosa, soundfile, soxr): ``benchmarks/gpu_wheels.sh`` downloads their wheels into
``.whl`` here, to carry and install there (it prints the command).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from _harness import report, versions  # noqa: E402

SR, N_FFT, HOP, N_MELS = 22050, 2048, 512, 128
MEL_TARGET, CQT_TARGET = 1e6, 10.0  # x real time for 1 h of audio; x nnAudio's CQT speed


def cuda_name() -> str | None:
    """The GPU's name, or None where torch sees no CUDA device."""
    try:
        import torch
    except ImportError:
        return None
    return torch.cuda.get_device_name() if torch.cuda.is_available() else None


def event_timer(library: str):
    """``time(fn, rounds)`` -> median seconds of ``fn()`` between two CUDA events, after a
    synchronisation and a warm-up call; on the CPU (``--check``) wall time."""
    if library == "cpu":
        def time_cpu(fn, rounds):
            fn()
            runs = []
            for _ in range(rounds):
                start = time.perf_counter()
                fn()
                runs.append(time.perf_counter() - start)
            return float(np.median(runs))

        return time_cpu
    if library == "torch":
        import torch

        make, sync = (lambda: torch.cuda.Event(enable_timing=True)), torch.cuda.synchronize
    else:
        import cupy

        make, sync = cupy.cuda.Event, cupy.cuda.Device().synchronize

    def time_cuda(fn, rounds):
        fn()
        runs = []
        for _ in range(rounds):
            sync()
            start, end = make(), make()
            start.record()
            fn()
            end.record()
            end.synchronize()
            runs.append((start.elapsed_time(end) if library == "torch"
                         else __import__("cupy").cuda.get_elapsed_time(start, end)) / 1e3)
        return float(np.median(runs))

    return time_cuda


def throughput(check: bool) -> list[str]:
    """The mel and CQT throughput rows against the targets (runs in a child process)."""
    import torch

    import audiofront as af

    device = "cpu" if check else "cuda"
    hours = 1 / 360 if check else 1.0  # 10 s when checking
    clips = 6 if check else 60
    n = int(hours * 3600 * SR) // clips
    host = np.random.default_rng(0).standard_normal((clips, n)).astype(np.float32)
    seconds = clips * n / SR
    rows = []  # (name, op, seconds of audio, median seconds)
    t = torch.from_numpy(host).to(device)
    time_torch = event_timer("cpu" if check else "torch")
    window = torch.hann_window(N_FFT, device=device)
    fb = torch.from_numpy(af.mel_filterbank(sr=SR, n_fft=N_FFT, n_mels=N_MELS)
                          .astype(np.float32)).to(device)

    def hand_mel():
        S = torch.stft(t, N_FFT, HOP, window=window, center=True, pad_mode="constant",
                       return_complex=True)
        return fb @ (S.real ** 2 + S.imag ** 2)

    mel = dict(sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS)
    rows.append(("audiofront-torch", "mel", seconds, time_torch(lambda: af.melspectrogram(t, **mel), 10)))
    rows.append(("torch.stft + matmul", "mel", seconds, time_torch(hand_mel, 10)))
    try:
        from nnAudio import features

        layer = features.MelSpectrogram(sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS,
                                        verbose=False).to(device)
        rows.append(("nnAudio", "mel", seconds, time_torch(lambda: layer(t), 10)))
    except Exception as exc:  # not installed
        print(f"nnAudio skipped: {exc!r}", file=sys.stderr)
    if not check:
        try:
            import cupy

            c = cupy.asarray(host)
            rows.append(("audiofront-cupy", "mel", seconds,
                         event_timer("cupy")(lambda: af.melspectrogram(c, **mel), 10)))
        except ImportError:
            print("CuPy skipped: not installed", file=sys.stderr)
    # CQT: a tenth of the audio, the extraction benchmark's parameters
    cqt_clips = t[: max(1, clips // 10)]
    cqt_seconds = cqt_clips.shape[0] * n / SR
    cqt = dict(sr=SR, fmin=af.note_to_hz("C3"), n_bins=96, bins_per_octave=24, hop_length=1024)
    rows.append(("audiofront-torch", "cqt", cqt_seconds,
                 time_torch(lambda: af.cqt(cqt_clips, **cqt), 5)))
    try:
        from nnAudio import features

        for name in ("CQT1992v2", "CQT2010v2"):
            layer = getattr(features, name)(sr=SR, hop_length=1024, fmin=cqt["fmin"], n_bins=96,
                                            bins_per_octave=24, verbose=False).to(device)
            rows.append((f"nnAudio {name}", "cqt", cqt_seconds,
                         time_torch(lambda layer=layer: layer(cqt_clips), 5)))
    except Exception as exc:
        print(f"nnAudio skipped: {exc!r}", file=sys.stderr)
    return _throughput_lines(rows, hours, clips)


def _throughput_lines(rows, hours, clips) -> list[str]:
    name = cuda_name() or "CPU (check run)"
    lines = [f"On {name}; {versions('torch', 'cupy', 'nnAudio')}. Medians of CUDA-event "
             f"timings after a synchronisation and a warm-up. Mel: {hours * 60:g} min of "
             f"{SR} Hz audio as {clips} clips, n_fft {N_FFT}, hop {HOP}, {N_MELS} mels, float32; "
             f"target {MEL_TARGET:.0e}x real time. CQT: a tenth of that audio, fmin C3, 96 bins, "
             f"24 per octave, hop 1024; target {CQT_TARGET:g}x nnAudio's fastest.", "",
             "| implementation | op | median ms | x real time | target |",
             "|---|---|---:|---:|---|"]
    nnaudio_cqt = [s / m for n, op, s, m in rows if op == "cqt" and n.startswith("nnAudio")]
    for impl, op, seconds, med in rows:
        speed = seconds / med
        target = "-"
        if impl.startswith("audiofront") and op == "mel":
            target = "met" if speed >= MEL_TARGET else f"not met ({speed / MEL_TARGET:.2f} of it)"
        if impl.startswith("audiofront") and op == "cqt" and nnaudio_cqt:
            ratio = speed / max(nnaudio_cqt)
            target = f"{ratio:.1f}x nnAudio: " + ("met" if ratio >= CQT_TARGET else "not met")
        lines.append(f"| {impl} | {op} | {med * 1e3:.2f} | {speed:,.0f} | {target} |")
    return lines + [""]


def extraction(check: bool) -> list[str]:
    """A GPU extraction of the extraction benchmark's job on each GPU backend."""
    from extract import PARAMS, audiofront_run, make_clips

    backends = ["numpy"] if check else ["torch", "cupy"]
    lines = [f"{'10' if check else '100'} clips of 30 s, CQT with the extraction benchmark's "
             f"parameters ({PARAMS}), one process (the GPU), no compression.", "",
             "| backend | seconds | audio hours per minute |", "|---|---:|---:|"]
    with tempfile.TemporaryDirectory() as work:
        folder = os.path.join(work, "clips")
        clips = make_clips(folder, 10 if check else 100)
        hours = len(clips) * 30 / 3600
        for backend in backends:
            try:
                audiofront_run(folder, os.path.join(work, f"warm-{backend}.h5"), backend,
                               workers=1)
                seconds, _ = audiofront_run(folder, os.path.join(work, f"{backend}.h5"),
                                            backend, workers=1)
            except ImportError as exc:
                lines.append(f"| {backend} | skipped: {exc} | - |")
                continue
            lines.append(f"| {backend} | {seconds:.2f} | {hours / (seconds / 60):.1f} |")
    return lines + [""]


def steps(check: bool):
    """(name, argv or in-process callable, environment additions, seconds allowed)."""
    py = sys.executable
    device = "cpu" if check else "cuda"
    rounds = ["--rounds", "2"] if check else ["--rounds", "15"]
    write = ["--no-write"] if check else []
    tests = [py, "-m", "pytest", "-q", "-p", "no:cacheprovider", os.path.join(ROOT, "tests"),
             "--ignore", os.path.join(ROOT, "tests", "test_keras_adapter.py"),
             "--ignore", os.path.join(ROOT, "tests", "test_extract_workers.py")]
    if check:  # the harness only: the suite itself runs in CI
        tests += ["-k", "harness"]
    gpu_env = {} if check else {"AUDIOFRONT_TEST_BACKENDS": "cupy,torch-cuda"}
    return [
        ("tests", tests, gpu_env, 240),
        ("core", [py, os.path.join(HERE, "core.py"), "--device", device, "--no-memory",
                  "--only", "audiofront-torch,audiofront-cupy,torch,nnAudio", *rounds, *write],
         {}, 60),
        ("cqt", [py, os.path.join(HERE, "cqt.py"), "--device", device, *rounds, *write], {}, 60),
        ("torch adapter", [py, os.path.join(HERE, "torch_adapter.py"), "--device", device,
                           *rounds, *write], {}, 60),
        ("throughput", "throughput", {}, 60),
        ("extraction", "extraction", {}, 60),
    ]


def run_step(name, what, env, limit, check):
    environment = dict(os.environ, PYTHONUNBUFFERED="1", **env)
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (os.path.join(ROOT, "src"), HERE, os.environ.get("PYTHONPATH")) if p)
    argv = what if isinstance(what, list) else [
        sys.executable, os.path.abspath(__file__), "--child", what] + (["--check"] if check else [])
    start = time.perf_counter()
    try:
        done = subprocess.run(argv, env=environment, timeout=limit, capture_output=True,
                              text=True)
        status = "ok" if done.returncode == 0 else f"failed (exit {done.returncode})"
        output = done.stdout + done.stderr
    except subprocess.TimeoutExpired as exc:
        status = f"timed out after {limit} s"
        output = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
    print(f"== {name}: {status} in {time.perf_counter() - start:.0f} s")
    if status != "ok":
        print(output[-4000:])
    return status == "ok", output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="no GPU needed: every step on the CPU at tiny sizes, nothing written")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        lines = {"throughput": throughput, "extraction": extraction}[args.child](args.check)
        title = f"GPU {args.child} ({cuda_name() or 'check'})"
        report(title, lines, write=not args.check)
        print("RESULT " + json.dumps({"lines": len(lines)}))
        return
    name = cuda_name()
    if name is None and not args.check:
        print("No CUDA device (torch sees none): nothing to do here; "
              "`python benchmarks/gpu.py --check` runs the steps on the CPU.")
        return
    print(f"GPU: {name or 'none, check run'}")
    results = [run_step(*step, args.check)[0] for step in steps(args.check)]
    failed = results.count(False)
    print(f"{len(results) - failed} of {len(results)} steps ok")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
