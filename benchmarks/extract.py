"""Extraction throughput: a GTZAN-sized job, audiofront extract beside the seed notebook's loop.

The job: 100 clips of 30 s at 22.05 kHz in 10 label folders (16-bit WAV, cut from the test
recordings), CQT magnitudes with the notebook's parameters (fmin C3, 96 bins, 24 per octave,
hop 1024), one row per clip, written to HDF5.

- "librosa loop": the notebook's approach - for each clip, read it, ``librosa.cqt``, write the
  row into an h5py dataset (uncompressed, as the notebook did);
- "notebook as written": the same with its second CQT per clip for the half-shifted frames,
  beside audiofront computing those columns as one CQT at hop 512.
- audiofront: ``audiofront.extract.extract`` (what ``audiofront extract`` runs) with the numpy
  and torch backends, with resume bookkeeping: at its defaults (every core, no compression),
  with fewer workers (the scaling), and on a Dask ``LocalCluster`` with a worker per core.

Each is run once untimed on 4 clips, then ``--repeats`` times in alternation; medians in audio
hours per minute, and the peak memory of the processes that computed.

    python benchmarks/extract.py [--repeats 3] [--clips 100]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from _harness import report, versions  # noqa: E402

SR, SECONDS = 22050, 30
PARAMS = dict(fmin="C3", n_bins=96, bins_per_octave=24, hop_length=1024)


def make_clips(folder: str, n: int) -> list[str]:
    """n clips of 30 s: windows of the 60 s music recording, with varying gain and offset."""
    import soundfile

    y, sr = soundfile.read(os.path.join(HERE, "..", "tests", "data", "music_vibeace_22k_mono.flac"),
                           dtype="float32")
    assert sr == SR
    paths = []
    for i in range(n):
        start = (i * 2749) % (len(y) - SECONDS * SR)
        clip = y[start:start + SECONDS * SR] * (0.5 + 0.5 * ((i * 7) % 10) / 10)
        path = os.path.join(folder, f"genre{i % 10}", f"clip{i:03d}.wav")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        soundfile.write(path, clip, SR, subtype="PCM_16")
        paths.append(path)
    return paths


def librosa_notebook(paths, output):
    """The notebook's loop as it was: per clip, a CQT of the aligned frames (the clip) and one
    of the half-shifted frames (the clip from sample 512), both written to h5py."""
    import h5py
    import librosa
    import soundfile

    kwargs = dict(fmin=librosa.note_to_hz(PARAMS["fmin"]), n_bins=PARAMS["n_bins"],
                  bins_per_octave=PARAMS["bins_per_octave"], hop_length=PARAMS["hop_length"])
    with h5py.File(output, "w") as f:
        rows = None
        for i, path in enumerate(paths):
            y, sr = soundfile.read(path, dtype="float32")
            aligned = np.abs(librosa.cqt(y, sr=sr, **kwargs))
            shifted = np.abs(librosa.cqt(y[PARAMS["hop_length"] // 2:], sr=sr, **kwargs))
            if rows is None:
                rows = f.create_dataset("Xs", (len(paths), 2) + aligned.shape, dtype="float32")
            rows[i, 0] = aligned
            rows[i, 1, :, :shifted.shape[-1]] = shifted


def librosa_loop(paths, output):
    import h5py
    import librosa
    import soundfile

    with h5py.File(output, "w") as f:
        rows = None
        for i, path in enumerate(paths):
            y, sr = soundfile.read(path, dtype="float32")
            C = np.abs(librosa.cqt(y, sr=sr, fmin=librosa.note_to_hz(PARAMS["fmin"]),
                                   n_bins=PARAMS["n_bins"], bins_per_octave=PARAMS["bins_per_octave"],
                                   hop_length=PARAMS["hop_length"]))
            if rows is None:
                rows = f.create_dataset("Xs", (len(paths),) + C.shape, dtype="float32")
            rows[i] = C


def audiofront_run(folder, output, backend, hop_length=PARAMS["hop_length"], **settings):
    """``audiofront extract`` at its defaults (every core) unless ``settings`` say otherwise:
    ``(seconds, peak)``, ``peak`` the largest peak memory of the worker processes that
    computed, in MiB (None when only this process computed: its peak holds the whole
    benchmark's)."""
    from audiofront.extract import extract

    options = {**PARAMS, "hop_length": hop_length}
    start = time.perf_counter()
    summary = extract([folder], output, feature="cqt", options=options, sr=SR, mono=True,
                      backend=backend, quiet=True, **settings)
    seconds = time.perf_counter() - start
    assert summary.ok and summary.written > 0
    workers = [peak for pid, peak in summary.peak_memory.items() if pid != os.getpid()]
    return seconds, (max(workers) / 2 ** 20 if workers else None)


def timed(fn, *args):
    """``(seconds, None)`` of ``fn(*args)``: a run whose memory is not reported."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start, None


def measure(runs, folder, work, repeats):
    """Every run of ``runs`` (name -> ``run(folder, output) -> (seconds, peak MiB or None)``)
    ``repeats`` times in alternation: ``(times, peaks)`` by name."""
    times = {name: [] for name in runs}
    peaks = {name: [] for name in runs}
    for r in range(repeats):
        for i, (name, run) in enumerate(runs.items()):
            out = os.path.join(work, f"out{r}-{i}.h5")
            seconds, peak = run(folder, out)
            times[name].append(seconds)
            if peak is not None:
                peaks[name].append(peak)
            os.remove(out)
    return times, peaks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--clips", type=int, default=100)
    parser.add_argument("--scaling-clips", type=int, default=300,
                        help="clips of the larger job timed with 1 .. cores workers (0: none)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    from audiofront._workers import available_cores

    cores = available_cores()
    work = tempfile.mkdtemp(prefix="audiofront-extract-bench-")
    cluster_starts = []
    try:
        folder = os.path.join(work, "clips")
        make_clips(folder, args.clips)
        warm = os.path.join(work, "warm")
        make_clips(warm, 4)
        runs = {"librosa loop (notebook)": lambda f, out: timed(librosa_loop, sorted_wavs(f), out),
                f"audiofront extract, numpy (default: {cores} workers)":
                    lambda f, out: audiofront_run(f, out, "numpy")}
        for n in range(1, cores):
            runs[f"audiofront extract, numpy, --workers {n}"] = \
                lambda f, out, n=n: audiofront_run(f, out, "numpy", workers=n)
        try:
            from distributed import LocalCluster

            def on_cluster(f, out):
                # a cluster per run, started and closed outside the timing (a running cluster
                # would slow the other pipelines down)
                start = time.perf_counter()
                with LocalCluster(n_workers=cores, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
                    cluster_starts.append(time.perf_counter() - start)
                    return audiofront_run(f, out, "numpy", scheduler=cluster.scheduler_address)

            runs[f"audiofront extract, numpy, --scheduler (Dask LocalCluster, {cores} worker "
                 f"processes)"] = on_cluster
        except ImportError:
            pass
        try:
            import torch  # noqa: F401

            runs[f"audiofront extract, torch (cpu, default: {cores} workers)"] = \
                lambda f, out: audiofront_run(f, out, "torch")
        except ImportError:
            pass
        runs["notebook as written: aligned + shifted, 2 librosa.cqt per clip"] = \
            lambda f, out: timed(librosa_notebook, sorted_wavs(f), out)
        runs["same columns: audiofront extract, numpy, hop 512"] = \
            lambda f, out: audiofront_run(f, out, "numpy", 512)
        measure(runs, warm, work, 1)  # imports, JIT, kernel caches: not reported
        times, memory = measure(runs, folder, work, args.repeats)
        hours = args.clips * SECONDS / 3600
        ref = np.median(times["librosa loop (notebook)"])
        lines = [f"{args.clips} clips x {SECONDS} s at {SR} Hz (16-bit WAV in 10 label folders), "
                 f"CQT fmin C3, 96 bins, 24 per octave, hop 1024, one row per clip into HDF5; "
                 f"every pipeline run once untimed on 4 clips (imports, JIT), then median of "
                 f"{args.repeats} runs each, alternated; {cores} cores; "
                 f"{versions('numpy', 'librosa', 'torch', 'h5py', 'distributed')}.", "",
                 "| pipeline | median s | audio hours per minute | vs its librosa loop | "
                 "peak memory per worker process (MiB) |",
                 "|---|---:|---:|---:|---:|"]
        notebook = np.median(times["notebook as written: aligned + shifted, 2 librosa.cqt per clip"])
        for name, ts in sorted(times.items(), key=lambda kv: np.median(kv[1])):
            med = float(np.median(ts))
            base = notebook if ("notebook as" in name or "same columns" in name) else ref
            peak = f"{max(memory[name]):.0f}" if memory[name] else "-"
            lines.append(f"| {name} | {med:.2f} | {hours / (med / 60):.2f} | {base / med:.2f}x | "
                         f"{peak} |")
        lines += ["", "The first rows compare the same work (one CQT per clip at hop 1024). The "
                  "notebook computed the aligned and the half-shifted frames as two CQTs per clip; "
                  "one CQT at hop 512 has the same columns (even: aligned, odd: shifted), and "
                  "those two rows are compared with each other. Each audiofront run starts its "
                  "own worker processes (about half a second here, while the calling process "
                  "already computes); each Dask run started its cluster outside the timing"
                  + (f" (in {np.median(cluster_starts):.1f} s)" if cluster_starts else "")
                  + ". Peak memory: the largest resident set of a worker process (the calling process, "
                  "which computes too, holds the whole benchmark's memory, so it is not shown)."]
        report("Extraction (cpu)", lines + [""], write=not args.no_write)
        if args.scaling_clips:
            report("Extraction scaling (cpu)", scaling(work, args.clips + args.scaling_clips,
                                                       cores, args.repeats),
                   write=not args.no_write)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def scaling(work, clips, cores, repeats):
    """The same extraction on a job long enough for worker processes to pay for their start,
    with 1 .. ``cores`` workers, alternated."""
    folder = os.path.join(work, "scaling")
    make_clips(folder, clips)
    runs = {n: lambda f, out, n=n: audiofront_run(f, out, "numpy", workers=n)
            for n in range(1, cores + 1)}
    times, memory = measure(runs, folder, work, repeats)
    hours = clips * SECONDS / 3600
    one = np.median(times[1])
    lines = [f"{clips} clips x {SECONDS} s ({hours:.1f} h of audio), the CQT above, numpy; median "
             f"of {repeats} runs each, alternated.", "",
             "| --workers | median s | audio hours per minute | speed-up | peak memory per worker "
             "process (MiB) |", "|---:|---:|---:|---:|---:|"]
    for n, ts in times.items():
        med = float(np.median(ts))
        peak = f"{max(memory[n]):.0f}" if memory[n] else "-"
        lines.append(f"| {n} | {med:.2f} | {hours / (med / 60):.1f} | {one / med:.2f}x | {peak} |")
    return lines + ["", "With more than one worker the calling process computes too; the "
                    "others start while it does, and the pool starts only for more than a second "
                    "of work (the 100-clip job above is at that edge: its 17 batches take this "
                    "process about a second).", ""]


def sorted_wavs(folder):
    return sorted(os.path.join(root, n) for root, _, names in os.walk(folder) for n in names
                  if n.endswith(".wav"))


if __name__ == "__main__":
    main()
