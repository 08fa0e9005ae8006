"""Batch feature extraction from a folder of audio into one HDF5 file that never loses work.

Layout of the output (``h5py``)::

    features   (rows, [channels,] bins, frames)  float32 or float16, chunked, compressed
    audio      (rows, [channels,] samples)        the segments themselves (keep_audio=True)
    label      (rows,) int32   index into label_names (a clip's label is its folder's name)
    source     (rows,) int32   index into files
    offset     (rows,) int64   first sample of the row in its file (at the output rate)
    samples    (rows,) int64   the row's true length in samples (the rest of ``audio`` is 0)
    frames     (rows,) int64   the row's true number of frames (the rest of ``features`` is 0)
    files, file_label, label_names, skipped        strings
    frequencies (bins,)         centre frequency of each bin in Hz (mfcc: coefficient index)
    parts      strings          the part files an unfinished output is built over (else empty)
    attrs: format, feature, params (JSON: everything that shapes the numbers), complete, ...

Three layouts of rows. Whole clips (the default, without ``segment`` and ``duration``): one row
per clip, every clip stored whole, rows padded with zeros to the longest clip and ``frames``
giving each row's own frame count (``FeatureFile(path)[i]`` returns just those frames). Fixed
rows (``duration``): every clip cut or zero-padded to that many seconds, with a warning that
says how many were cut and by how much. Segments (``segment``, ``overlap``): every whole window
of a clip, the seed notebook's slicing.

The stored feature (computed in :mod:`audiofront._rows`, what a worker runs) is the core
function's output (magnitudes for the CQT), then decibels with ``db``, then one normalisation
when asked: PCEN of the magnitudes scaled by 2 ** 31 (instead of decibels) or LCN (of the
decibels or magnitudes), as the seed notebook's ``Xn`` dataset.

How nothing is lost: the files are cut into batches of whole files (the same batches whoever
runs them), and each batch is a task: read the audio, compute, write the rows as a part file in
``<output>.parts/`` (see :mod:`audiofront._store`). Tasks run in this process, in a pool of
worker processes (``workers``) or on a Dask cluster (``scheduler``); they return only small
metadata, and the driver republishes ``<output>`` after each one as a small file of virtual
datasets over the parts. So at any instant, killed or not, ``<output>`` is a valid file holding
every file finished so far. When the run completes, the parts are copied into ``<output>`` as
ordinary datasets, in the order of the inputs, and removed: the finished file is the same
whatever ran the tasks, in whatever order they finished. Running the same command again skips
the files already in ``<output>``; an output made with other parameters raises
:class:`ExtractError` instead of being appended to.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import math
import os
import sys
import time

import numpy as np

from . import _checks, _rows, _store, _workers, io
from ._rows import FEATURES, compute, frequencies, normalization_step, segments
from ._checks import ParameterError
from ._store import FORMAT, ExtractError, format_problem, verify

__all__ = ["FEATURES", "FORMAT", "extract", "verify", "format_problem", "ExtractError", "Summary",
           "collect_inputs", "feature_params", "compute", "frequencies", "normalization_step",
           "segments"]

# precomputed inputs and constants are not options of a file's feature
_NOT_OPTIONS = {"mel_basis", "dft_basis", "log_basis", "check_finite", "method", "S", "C"}
PUBLISH_EVERY = 0.5  # seconds: the output is rewritten at most this often while a run goes on


def feature_params(feature: str, options: dict | None = None) -> dict:
    """The full parameter set of ``feature``: the core function's defaults updated by
    ``options``, or a ParameterError naming an option the feature does not take."""
    if feature not in FEATURES:
        raise ParameterError(f"feature must be one of {', '.join(FEATURES)}. Received: feature={feature!r}")
    params = {name: p.default for name, p in inspect.signature(FEATURES[feature]).parameters.items()
              if p.kind is p.KEYWORD_ONLY and name not in _NOT_OPTIONS}
    if feature == "mfcc":  # its mel options arrive through **kwargs
        params.update({k: v for k, v in feature_params("mel").items() if k not in params})
    if params.get("tuning", 0.0) is None:
        # chroma's default (librosa's) estimates the tuning from its input; here the input is
        # a batch of rows, so a row would depend on its batch: 0 unless --tuning says otherwise
        params["tuning"] = 0.0
    for name, value in (options or {}).items():
        if name not in params:
            raise ParameterError(
                f"--{name.replace('_', '-')} is not a parameter of the {feature!r} feature; it "
                f"takes: {', '.join(sorted(params))}"
            )
        params[name] = value
    return params


def collect_inputs(inputs) -> list[tuple[str, str]]:
    """``(path, label)`` for every audio file in ``inputs``: files, folders (recursive, sorted)
    or text files listing paths (one per line, relative to the list's folder). The label is
    the name of the folder holding the file."""
    found = []
    for item in inputs:
        item = os.fspath(item)
        if os.path.isdir(item):
            for root, dirs, names in os.walk(item):
                dirs.sort()
                found += [os.path.join(root, n) for n in sorted(names)
                          if n.lower().endswith(io.AUDIO_EXTENSIONS)]
        elif item.lower().endswith(".txt") and os.path.isfile(item):
            base = os.path.dirname(os.path.abspath(item))
            with open(item) as listing:
                found += [line.strip() if os.path.isabs(line.strip()) else os.path.join(base, line.strip())
                          for line in listing if line.strip() and not line.startswith("#")]
        elif os.path.exists(item):
            found.append(item)
        else:
            raise ExtractError(f"input not found: {item}")
    seen, out = set(), []
    for path in found:
        path = os.path.abspath(path)
        if path not in seen:
            seen.add(path)
            out.append((path, os.path.basename(os.path.dirname(path))))
    return out


@dataclasses.dataclass
class Summary:
    """What a run did: files and rows written now, files already present, files skipped."""
    output: str
    written: int = 0
    rows: int = 0
    already: int = 0
    skipped: list = dataclasses.field(default_factory=list)  # (path, reason)
    audio_seconds: float = 0.0
    elapsed: float = 0.0
    peak_memory: dict = dataclasses.field(default_factory=dict)  # process id -> bytes

    def add(self, task: dict) -> None:
        """Count a finished task's metadata (see :func:`audiofront._rows.run_batch`)."""
        self.written += task["files"]
        self.rows += task["rows"]
        self.audio_seconds += task["seconds"]
        pid = task["pid"]
        self.peak_memory[pid] = max(self.peak_memory.get(pid, 0), task["peak_memory"])

    @property
    def ok(self) -> bool:
        return not self.skipped

    def report(self) -> str:
        lines = [f"{self.output}: {self.written} files ({self.rows} rows, "
                 f"{self.audio_seconds / 3600:.3f} h of audio) written in {self.elapsed:.1f} s"
                 + (f", {self.already} already there" if self.already else "")]
        if self.skipped:
            lines.append(f"{len(self.skipped)} files skipped:")
            lines += [f"  {path}: {reason}" for path, reason in self.skipped]
        if self.peak_memory:
            peaks = sorted(self.peak_memory.values())
            lines.append(f"peak memory of the {len(peaks)} computing process"
                         f"{'es' if len(peaks) > 1 else ''}: {peaks[-1] / 2 ** 20:,.0f} MiB at most")
        return "\n".join(lines)


# --- the run ---------------------------------------------------------------------------------

def _auto_batch(row_samples: int, backend: str) -> int:
    budget = 2 ** 22
    if _on_gpu(backend):
        budget *= 4
    return max(1, budget // max(1, row_samples))


def _on_gpu(backend: str) -> bool:
    if backend == "cupy":
        return True
    if backend == "torch":
        import torch

        return torch.cuda.is_available()
    return False


def _plan(todo, lengths, *, rows_per_batch: int, segment, overlap) -> list[list]:
    """The todo files in batches of about ``rows_per_batch`` rows (from the headers' lengths),
    whole files each, in input order: the same batches whatever runs them."""
    hop = max(1, int(round(segment * (1.0 - overlap)))) if segment else None
    batches, batch, count = [], [], 0
    for path, label in todo:
        batch.append((path, label))
        count += 1 if segment is None else max(1, (lengths[path] - segment) // hop + 1)
        if count >= rows_per_batch:
            batches.append(batch)
            batch, count = [], 0
    return batches + ([batch] if batch else [])


def _progress(total: int, quiet: bool, stream):
    """One bar for the whole job (tqdm): files, rate and ETA; :func:`_audio_status` adds the
    audio done and the speed relative to real time."""
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="file", disable=quiet, file=stream or sys.stderr,
                dynamic_ncols=True, desc="extract", smoothing=0.1)


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _audio_status(done: float, total: float, elapsed: float) -> str:
    return f"audio {_clock(done)} of {_clock(total)}, {done / max(elapsed, 1e-9):,.0f}x real time"


def extract(inputs, output, *, feature: str = "cqt", options: dict | None = None,
            sr: float = 22050, mono: bool = False, segment: int | None = None,
            overlap: float = 0.0, duration: float | None = None, db: bool = False,
            pcen: bool = False, lcn=None, dtype: str = "float32", keep_audio: bool = False,
            backend: str = "numpy", workers: int | None = None, scheduler: str | None = None,
            batch_size: int | None = None, compression: str | None = None, quiet: bool = False,
            stream=None) -> Summary:
    """Extract ``feature`` from every audio file in ``inputs`` into the HDF5 file ``output``.

    Parameters
    ----------
    inputs : list of paths
        Files, folders (searched recursively) or ``.txt`` lists of paths.
    output : path
        The HDF5 file. An existing one made with the same parameters is resumed; one made with
        others raises :class:`ExtractError` and is left untouched.
    feature : 'cqt', 'mel', 'stft', 'logfreq', 'mfcc' or 'chroma'
    options : dict
        Parameters of the feature's core function (``n_bins``, ``fmin`` ...); see
        :func:`feature_params`. The sample rate is ``sr``.
    sr : float
        Audio is resampled to this rate (soxr) when it differs. Default 22050.
    mono : bool
        Mix stereo down; otherwise rows keep every channel (a mono file among stereo ones is
        repeated into both channels) and have a channel axis when there is more than one.
    segment, overlap
        Slice each clip into ``segment``-sample rows overlapping by the fraction ``overlap``.
        Without ``segment`` each clip is one row, stored whole (rows padded to the longest clip,
        their true ``frames`` recorded), or with ``duration`` cut or zero-padded to that many
        seconds (a warning says how many clips were cut).
    db : bool
        Store decibels (``amplitude_to_db`` for magnitudes, ``power_to_db`` for powers).
    pcen : bool
        Store PCEN of the magnitudes (or powers) scaled by 2 ** 31, with the feature's ``sr`` and
        ``hop_length`` and librosa's other defaults; instead of ``db``.
    lcn : int, (int, int) or None
        Store the local contrast normalisation with this odd ``(freq, frames)`` kernel size,
        after ``db`` when both are given (the seed notebook's order).
    dtype : 'float32' or 'float16'
    keep_audio : bool
        Also store each row's samples.
    backend : 'numpy', 'torch' or 'cupy'
        Where the features are computed (torch uses CUDA when it has it).
    workers : int or None
        Processes computing: this one and ``workers - 1`` spawned ones, sharing the batches,
        each with one numerical thread (so the output does not depend on ``workers``).
        Default: every core for the CPU backends, 1 on a GPU.
    scheduler : str or None
        The address of a running Dask scheduler: the batches run as tasks on its workers, which
        need ``output``'s folder on a filesystem they all reach (they write the parts there).
        ``workers`` is then ignored.
    batch_size : int or None
        Rows per core call, and per task (whole files each). Default: rows holding about 4 M
        samples (16 M on a GPU), a size measured to keep the CPU's temporaries in memory it has
        already touched (a 64-clip batch of 30 s clips ran at half the speed of a 6-clip one).
    compression : 'gzip', 'lzf' or None
        HDF5 compression of the stored arrays. Default None: measured on CQT rows of music,
        float32 magnitudes and decibels compress by 1.00x (lzf) to 1.27x (gzip with byte
        shuffling) at 7 to 24 times the time of writing them as they are (gzip: about as long
        as computing them). A row's zero padding needs no compressor: it lies in chunks that are
        never written.
    quiet : bool
        No progress bar.
    stream : file or None
        Where the progress bar goes (default: standard error).

    Returns
    -------
    Summary
        Files written, already present and skipped (with reasons), and the peak memory of each
        process that computed.
    """
    started = time.perf_counter()
    params = feature_params(feature, options)
    if "sr" in params:
        params["sr"] = sr
    if db and feature in ("mfcc", "chroma"):
        raise ParameterError(f"--db applies to spectrogram features, not {feature!r}")
    norm = normalization_step(feature, params, pcen=pcen, lcn=lcn, db=db)
    if dtype not in ("float32", "float16"):
        raise ParameterError(f"dtype must be float32 or float16. Received: dtype={dtype!r}")
    if not 0 <= overlap < 1:
        raise ParameterError(f"overlap must be in [0, 1). Received: overlap={overlap}")
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ParameterError(f"workers must be a positive integer. Received: workers={workers!r}")
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
        raise ParameterError(f"batch_size must be a positive integer. Received: "
                             f"batch_size={batch_size!r}")
    _rows.backend_arrays(backend)  # fail early on an unknown backend
    output = os.path.abspath(os.fspath(output))
    inputs = collect_inputs(inputs)
    if not inputs:
        raise ExtractError("no audio files found in the inputs")
    skipped, readable, channels, lengths = [], [], 1, {}
    for path, label in inputs:
        try:
            rate, ch, frames = io.info(path)
        except io.AudioError as exc:
            skipped.append((path, _rows.reason(exc)))
            continue
        readable.append((path, label))
        channels = max(channels, 1 if mono else ch)
        lengths[path] = math.ceil(frames * sr / rate)  # after resampling (soxr rounds up)
    length = None
    if segment is None and duration:
        length = int(round(duration * sr))
        cut = {p: n - length for p, n in lengths.items() if n > length}
        if cut:
            _checks.user_warning(f"--duration {duration} s cuts {len(cut)} of {len(lengths)} "
                                 f"clips, {sum(cut.values()) / sr:.1f} s of audio in all (the "
                                 f"longest clip lasts {max(lengths.values()) / sr:.1f} s)")
    elif segment is None and lengths:
        length = max(lengths.values())  # whole clips: rows as long as the longest
    record = {
        "feature": feature, "params": params, "sr": sr, "mono": mono, "channels": channels,
        "segment": segment, "overlap": overlap if segment else None, "length": length,
        "db": db, "dtype": dtype, "keep_audio": keep_audio, "normalization": norm}
    record = json.loads(json.dumps(record, default=str))
    done, index = _store.existing(output, record)
    todo = [(p, lab) for p, lab in readable if p not in done]
    if todo and not index:
        adopted = _store.adopt_consolidated(output, compression)
        index = [adopted] if adopted else []
    summary = Summary(output=output, already=len(readable) - len(todo))
    attrs = {"format": FORMAT, "feature": feature, "params": json.dumps(record, sort_keys=True),
             "sr": sr, "audiofront_version": _version()}
    freqs = None
    if index:  # parts already there: the output holds their frequencies
        with _store.h5py().File(output, "r") as f:
            freqs = f["frequencies"][()]
    if todo:
        row_samples = (segment or length) * channels
        rows_per_batch = batch_size or _auto_batch(row_samples, backend)
        zero_row = np.zeros((1, channels, segment or length) if channels > 1 else (1, segment or length))
        job = _rows.Job(output, feature, params, sr, mono, channels, segment, overlap, length,
                   whole=segment is None and not duration, db=db, norm=norm, dtype=dtype,
                   keep_audio=keep_audio, backend=backend, batch_size=rows_per_batch,
                   full_frames=compute(zero_row, feature, params, db=db, norm=norm,
                                       backend=backend).shape[-1],
                   compression=compression)
        batches = _plan(todo, lengths, rows_per_batch=rows_per_batch, segment=segment,
                        overlap=overlap)
        if workers is None:
            workers = 1 if _on_gpu(backend) else _workers.available_cores()
        total = sum(lengths[p] for p, _ in todo) / sr
        with _progress(len(todo), quiet, stream) as bar:
            published = time.perf_counter()
            try:
                for meta in _workers.run(_rows.run_batch, job, batches, workers=workers,
                                         scheduler=scheduler):
                    skipped += meta["skipped"]
                    if meta["part"] is not None:
                        index.append(meta["part"])
                        if freqs is None:
                            freqs = frequencies(feature, params, meta["n_bins"])
                        if time.perf_counter() - published >= PUBLISH_EVERY:
                            _store.publish(output, index, attrs, freqs, skipped,
                                           consolidate=False, compression=compression)
                            published = time.perf_counter()
                    summary.add(meta)
                    bar.set_postfix_str(_audio_status(summary.audio_seconds, total,
                                                      bar.format_dict["elapsed"]), refresh=False)
                    bar.update(meta["files"] + len(meta["skipped"]))
            except BaseException:  # interrupted, or a task failed: keep what is finished
                if index:
                    _store.publish(output, index, attrs, freqs, skipped, consolidate=False,
                                   compression=compression)
                raise
    if index:
        _store.publish(output, index, attrs, freqs, skipped, consolidate=True,
                       compression=compression, order=[p for p, _ in inputs])
    summary.skipped = skipped
    summary.elapsed = time.perf_counter() - started
    return summary


def _version():
    from . import __version__

    return __version__
