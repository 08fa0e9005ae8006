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
    attrs: format, feature, params (JSON: everything that shapes the numbers), complete, ...

Three layouts of rows. Whole clips (the default, without ``segment`` and ``duration``): one row
per clip, every clip stored whole, rows padded with zeros to the longest clip and ``frames``
giving each row's own frame count (``FeatureFile(path)[i]`` returns just those frames). Fixed
rows (``duration``): every clip cut or zero-padded to that many seconds, with a warning that
says how many were cut and by how much. Segments (``segment``, ``overlap``): every whole window
of a clip, the seed notebook's slicing.

The stored feature is the core function's output (magnitudes for the CQT), then decibels with
``db``, then one normalisation when asked: PCEN of the magnitudes scaled by 2 ** 31 (instead of
decibels) or LCN (of the decibels or magnitudes), as the seed notebook's ``Xn`` dataset.

How nothing is lost: work is committed a batch of whole files at a time. Each batch is written
to its own file in ``<output>.parts/`` (written under a temporary name, then renamed, which is
atomic), and after each commit ``<output>`` itself is rewritten (again by rename) as a small
file whose ``features`` / ``audio`` are HDF5 virtual datasets over the parts. So at any
instant, killed or not, ``<output>`` is a valid file holding every file finished so far. When
the run completes, the parts are copied into ``<output>`` as ordinary datasets and removed.
Running the same command again skips the files already in ``<output>``; an output made with
other parameters raises :class:`ExtractError` instead of being appended to.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import math
import os
import shutil
import sys
import time
import warnings

import numpy as np

from . import constantq, features, filterbanks, io, normalization, scaling, spectral
from ._checks import ParameterError

__all__ = ["FEATURES", "extract", "verify", "ExtractError", "Summary", "collect_inputs",
           "feature_params"]

FORMAT = "audiofront-features/2"  # /2: whole clips by default, per-row samples and frames

# name -> core function; its keyword parameters are the feature's options
FEATURES = {
    "cqt": constantq.cqt,
    "mel": features.melspectrogram,
    "stft": spectral.spectrogram,
    "logfreq": features.log_frequency_spectrogram,
    "mfcc": features.mfcc,
    "chroma": constantq.chroma_cqt,
}
_NOT_OPTIONS = {"mel_basis", "dft_basis", "log_basis", "check_finite", "method"}
PCEN_SCALE = 2.0 ** 31  # librosa's advice for PCEN of float audio in [-1, 1]


class ExtractError(RuntimeError):
    """The extraction cannot start (bad inputs, an output made with other parameters)."""


def feature_params(feature: str, options: dict | None = None) -> dict:
    """The full parameter set of ``feature``: the core function's defaults updated by
    ``options``, or a ParameterError naming an option the feature does not take."""
    if feature not in FEATURES:
        raise ParameterError(f"feature must be one of {', '.join(FEATURES)}. Received: feature={feature!r}")
    params = {name: p.default for name, p in inspect.signature(FEATURES[feature]).parameters.items()
              if p.kind is p.KEYWORD_ONLY and name not in _NOT_OPTIONS}
    if feature == "mfcc":  # its mel options arrive through **kwargs
        params.update({k: v for k, v in feature_params("mel").items() if k not in params})
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
        return "\n".join(lines)


# --- computing rows --------------------------------------------------------------------------

def _backend_arrays(backend: str):
    """(to_backend, to_numpy) converters for --backend."""
    if backend == "numpy":
        return (lambda a: a), np.asarray
    if backend == "torch":
        import torch

        device = "cuda" if torch.cuda.is_available() else "cpu"
        return (lambda a: torch.from_numpy(a).to(device)), (lambda t: t.cpu().numpy())
    if backend == "cupy":
        import cupy

        return cupy.asarray, (lambda a: a.get())
    raise ParameterError(f"backend must be numpy, torch or cupy. Received: backend={backend!r}")


def normalization_step(feature: str, params: dict, *, pcen: bool = False, lcn=None,
                       db: bool = False) -> dict | None:
    """The normalisation after the feature, as the output records it: ``{'pcen': pcen's
    arguments}``, ``{'lcn': lcn's arguments}`` or None. ``lcn`` is a ``(freq, frames)`` kernel
    size (or None for no LCN)."""
    if not (pcen or lcn is not None):
        return None
    if pcen and lcn is not None:
        raise ParameterError("Choose one normalisation: --pcen or --lcn. Received both")
    if feature in ("mfcc", "chroma"):
        raise ParameterError(f"--pcen and --lcn apply to spectrogram features, not {feature!r}")
    if pcen:
        if db:
            raise ParameterError("--pcen replaces the decibel step (it compresses the "
                                 "magnitudes itself): drop --db, or use --lcn")
        hop = params.get("hop_length") or params.get("n_fft", 2048) // 4
        return {"pcen": {"sr": params["sr"], "hop_length": hop, "scale": PCEN_SCALE}}
    kernel = [int(k) for k in (lcn if isinstance(lcn, (tuple, list)) else (lcn, lcn))]
    normalization.lcn_weights(tuple(kernel))  # validate now
    return {"lcn": {"kernel_size": kernel}}


def compute(rows: np.ndarray, feature: str, params: dict, *, db: bool = False,
            norm: dict | None = None, backend: str = "numpy") -> np.ndarray:
    """The feature of each row, ``(rows, [channels,] samples) -> (rows, [channels,] bins,
    frames)``: exactly the core function on those samples (magnitudes for the CQT), in dB
    when asked, then normalised as ``norm`` (see :func:`normalization_step`) says."""
    to_backend, to_numpy = _backend_arrays(backend)
    out = FEATURES[feature](to_backend(rows), **params)
    if feature == "cqt":
        out = abs(out)
    if db:
        out = scaling.amplitude_to_db(out) if _is_amplitude(feature, params) else scaling.power_to_db(out)
    if norm is not None and "pcen" in norm:
        kwargs = dict(norm["pcen"])
        out = normalization.pcen(out * kwargs.pop("scale"), **kwargs)
    elif norm is not None:
        out = normalization.lcn(out, kernel_size=tuple(norm["lcn"]["kernel_size"]))
    return to_numpy(out)


def _is_amplitude(feature, params):
    return feature == "cqt" or params.get("power") == 1.0


def frequencies(feature: str, params: dict, n_bins: int) -> np.ndarray:
    """Centre frequency (Hz) of each output bin, or the bin index where that has no meaning."""
    sr = params.get("sr", 22050)
    if feature == "cqt":
        return constantq.cqt_frequencies(n_bins, fmin=params["fmin"],
                                         bins_per_octave=params["bins_per_octave"],
                                         tuning=params["tuning"])
    if feature == "mel":  # band k peaks at the (k + 1)-th of n_bins + 2 points: the edges are 0
        fmax = params["fmax"] if params["fmax"] is not None else sr / 2
        edges = filterbanks.mel_frequencies(n_bins + 2, fmin=params["fmin"], fmax=fmax,
                                            htk=params["htk"])
        return edges[1:-1]
    if feature == "stft":
        return np.fft.rfftfreq(params["n_fft"], 1.0 / sr)
    if feature == "logfreq":
        fmin = params["fmin"] if params["fmin"] is not None else filterbanks.C1_HZ
        return fmin * 2.0 ** (np.arange(n_bins) / params["bins_per_octave"])
    return np.arange(n_bins, dtype=np.float64)


def segments(y: np.ndarray, *, segment: int | None, overlap: float,
             length: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(rows, offsets, samples)`` of one clip ``(channels, n)``: ``samples`` is each row's
    true length (the rest of the row is zero padding).

    With ``segment``: every window of ``segment`` samples starting at multiples of
    ``segment * (1 - overlap)`` that fits in the clip (``overlap=0.5`` gives the notebook's
    aligned plus half-shifted frames). Without: the clip cut or zero-padded to ``length``
    samples (for whole clips, ``length`` is the longest clip's).
    """
    if segment is None:
        clip = y[:, :length]
        if clip.shape[1] < length:
            clip = np.pad(clip, [(0, 0), (0, length - clip.shape[1])])
        return clip[None], np.zeros(1, dtype=np.int64), np.array([min(y.shape[1], length)])
    hop = max(1, int(round(segment * (1.0 - overlap))))
    starts = np.arange(0, y.shape[1] - segment + 1, hop, dtype=np.int64)
    index = starts[:, None] + np.arange(segment)[None, :]
    rows = np.ascontiguousarray(np.moveaxis(y[:, index], 1, 0))
    return rows, starts, np.full(len(starts), segment, dtype=np.int64)


# --- the output file -------------------------------------------------------------------------

ROW_KEYS = ("row_file", "offset", "samples", "frames")  # per-row metadata of a part


def format_problem(f, path) -> str | None:
    """Why the open HDF5 file ``f`` is not an output this version reads, or None."""
    found = f.attrs.get("format")
    if found == FORMAT:
        return None
    if isinstance(found, str) and found.startswith("audiofront-features/"):
        return (f"{path} was written by another audiofront version (format {found}; this one "
                f"reads {FORMAT}): extract into a new file")
    return f"{path} is not an audiofront features file (format={found!r})"


def _h5():
    import h5py

    return h5py


def _parts_dir(output):
    return output + ".parts"


def _read_state(output: str, record: dict) -> set:
    """The files already in an existing output made with ``record``; raises if it was made
    with other parameters. Parts left by a run killed between writing a part and publishing
    it (so not in the output) are removed: their files are simply done again."""
    h5py = _h5()
    done = set()
    if os.path.exists(output):
        try:
            with h5py.File(output, "r") as f:
                problem = format_problem(f, output)
                if problem:
                    raise ExtractError(f"{problem}; choose another output path")
                theirs = json.loads(f.attrs["params"])
                done = set(f["files"].asstr()[()].tolist())
        except ExtractError:
            raise
        except Exception as exc:
            raise ExtractError(f"{output} exists but cannot be read ({exc}); move it away") from None
        if theirs != record:
            theirs, ours = _flat(theirs), _flat(record)
            diff = sorted(k for k in set(theirs) | set(ours) if theirs.get(k) != ours.get(k))
            detail = ", ".join(f"{k}: file {theirs.get(k)!r}, now {ours.get(k)!r}" for k in diff)
            raise ExtractError(
                f"{output} was made with other parameters ({detail}); it is left untouched. Use "
                f"another output path, or the same options to resume."
            )
    for part in _parts(output):
        with h5py.File(part, "r") as f:
            orphan = not set(f["files"].asstr()[()].tolist()) <= done
        if orphan:
            os.remove(part)
    return done


def _flat(record: dict) -> dict:
    return {**{k: v for k, v in record.items() if k != "params"}, **record.get("params", {})}


def _write_part(output: str, index: int, batch: dict, compression) -> str:
    """One committed batch of whole files, written under a temporary name then renamed, in
    the output's chunks (a row each) and compression: the final copy moves the compressed
    chunks as they are."""
    h5py = _h5()
    folder = _parts_dir(output)
    os.makedirs(folder, exist_ok=True)
    name = os.path.join(folder, f"{index:06d}.h5")
    tmp = name + ".tmp"
    with h5py.File(tmp, "w") as f:
        for key in ("features", "audio"):
            if key in batch:
                data = batch[key]
                f.create_dataset(key, data=data, chunks=(1,) + data.shape[1:],
                                 compression=compression)
        for key in ROW_KEYS:
            f[key] = batch[key]
        f["files"] = np.array(batch["files"], dtype=object)
        f["labels"] = np.array(batch["labels"], dtype=object)
    os.replace(tmp, name)
    return name


def _parts(output):
    folder = _parts_dir(output)
    if not os.path.isdir(folder):
        return []
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".h5"))


def _strings(values):
    return np.array(values, dtype=_h5().string_dtype())


def _part_index(part: str) -> dict:
    """What publishing needs to know of a part (read once per run, then kept)."""
    with _h5().File(part, "r") as f:
        return {"path": part, **{key: f[key][()] for key in ROW_KEYS},
                "files": f["files"].asstr()[()].tolist(), "labels": f["labels"].asstr()[()].tolist(),
                "shapes": {key: (f[key].shape, f[key].dtype) for key in ("features", "audio")
                           if key in f}}


def _publish(output: str, index: list, attrs: dict, freqs, skipped, *, consolidate: bool,
             compression) -> None:
    """Rewrite ``output`` (by rename) from the parts described by ``index`` (see
    :func:`_part_index`): virtual datasets, or, to finish, real ones (and the parts are
    removed)."""
    h5py = _h5()
    parts = [entry["path"] for entry in index]
    files, labels, shapes = [], [], {}
    rows = {key: [] for key in ROW_KEYS}
    for entry in index:
        for key in ROW_KEYS:
            rows[key].append(entry[key] + (len(files) if key == "row_file" else 0))
        files += entry["files"]
        labels += entry["labels"]
        for key, shape in entry["shapes"].items():
            shapes.setdefault(key, []).append(shape)
    label_names = sorted(set(labels))
    row_file = np.concatenate(rows["row_file"]).astype(np.int32)
    file_label = np.array([label_names.index(lab) for lab in labels], dtype=np.int32)
    tmp = output + ".tmp"
    with h5py.File(tmp, "w") as out:
        for key, items in shapes.items():
            shape = (sum(s[0][0] for s in items),) + items[0][0][1:]
            dtype = items[0][1]
            if consolidate:
                ds = out.create_dataset(key, shape=shape, dtype=dtype, chunks=(1,) + shape[1:],
                                        compression=compression)
                start = 0
                zeros = (0,) * (len(shape) - 1)
                for part in parts:  # chunk by chunk, still compressed
                    with h5py.File(part, "r") as f:
                        src = f[key]
                        for row in range(src.shape[0]):
                            mask, chunk = src.id.read_direct_chunk((row,) + zeros)
                            ds.id.write_direct_chunk((start + row,) + zeros, chunk, mask)
                        start += src.shape[0]
            else:
                layout = h5py.VirtualLayout(shape=shape, dtype=dtype)
                start = 0
                for part, (pshape, _) in zip(parts, items, strict=True):
                    rel = os.path.relpath(part, os.path.dirname(output))
                    layout[start:start + pshape[0]] = h5py.VirtualSource(rel, key, shape=pshape)
                    start += pshape[0]
                out.create_virtual_dataset(key, layout)
        out["label"] = file_label[row_file]
        out["source"] = row_file
        for key in ("offset", "samples", "frames"):
            out[key] = np.concatenate(rows[key]).astype(np.int64)
        out["files"] = _strings(files)
        out["file_label"] = file_label
        out["label_names"] = _strings(label_names)
        out["skipped"] = _strings([f"{p}\t{r}" for p, r in skipped])
        out["frequencies"] = freqs
        for key, value in attrs.items():
            out.attrs[key] = value
        out.attrs["complete"] = bool(consolidate)
    os.replace(tmp, output)
    if consolidate:
        shutil.rmtree(_parts_dir(output), ignore_errors=True)


def _adopt_consolidated(output: str) -> None:
    """A completed output gets more files: it becomes part 0, so new parts can follow it."""
    h5py = _h5()
    if not os.path.exists(output) or _parts(output):
        return
    with h5py.File(output, "r") as f:
        if "features" not in f:
            return
        os.makedirs(_parts_dir(output), exist_ok=True)
        part = os.path.join(_parts_dir(output), "000000.h5")
        with h5py.File(part + ".tmp", "w") as g:
            for key in ("features", "audio"):
                if key in f:
                    f.copy(key, g)
            g["row_file"] = f["source"][()]
            for key in ("offset", "samples", "frames"):
                g[key] = f[key][()]
            g["files"] = f["files"][()]
            names = f["label_names"].asstr()[()].tolist()
            g["labels"] = _strings([names[i] for i in f["file_label"][()]])
    os.replace(part + ".tmp", part)


def verify(output) -> tuple[bool, list[str]]:
    """``(complete, problems)`` of an extraction output.

    HDF5 virtual datasets read a missing source as fill values, silently, so an in-progress
    output whose part files were moved or deleted still opens: this checks that every part
    the output points at exists with the data it should hold, and that the per-row datasets
    agree (counts, indices into ``files`` and ``label_names``, frame counts). ``problems`` is
    empty for a valid file; ``complete`` says whether the run finished (else resume it).
    """
    h5py = _h5()
    output = os.fspath(output)
    problems = []
    try:
        f = h5py.File(output, "r")
    except Exception as exc:
        return False, [f"{output} cannot be opened: {exc}"]
    with f:
        problem = format_problem(f, output)
        if problem:
            return False, [problem]
        need = ("features", "label", "source", "offset", "samples", "frames", "files",
                "label_names", "file_label")
        missing = [key for key in need if key not in f]
        if missing:
            return False, [f"missing datasets: {', '.join(missing)}"]
        for key in ("features", "audio"):
            if key in f and f[key].is_virtual:
                for source in f[key].virtual_sources():
                    path = os.path.join(os.path.dirname(os.path.abspath(output)), source.file_name)
                    problem = _check_source(path, source.dset_name)
                    if problem:
                        problems.append(f"{key}: {problem}")
        rows = f["features"].shape[0]
        for key in ("label", "source", "offset", "samples", "frames"):
            if f[key].shape[0] != rows:
                problems.append(f"{key} has {f[key].shape[0]} entries for {rows} rows")
        if not problems and rows:
            if f["source"][()].max() >= len(f["files"]):
                problems.append("a row's source is not among the files")
            if f["label"][()].max() >= len(f["label_names"]):
                problems.append("a row's label is not among the label names")
            if f["frames"][()].max() > f["features"].shape[-1]:
                problems.append("a row has more frames than the features dataset holds")
        complete = bool(f.attrs.get("complete"))
    return complete, problems


def _check_source(path, dataset):
    if not os.path.exists(path):
        return f"part {path} is missing (its rows would read as zeros)"
    try:
        with _h5().File(path, "r") as part:
            if dataset not in part:
                return f"part {path} has no dataset {dataset!r}"
    except Exception as exc:
        return f"part {path} cannot be read ({exc})"
    return None


# --- the run ---------------------------------------------------------------------------------

class _Progress:
    """Files, hours of audio, speed and ETA on one refreshed line (a line per update when the
    stream is not a terminal); nothing when quiet."""

    def __init__(self, total: int, quiet: bool, stream=None):
        self.stream = stream or sys.stderr
        self.total, self.quiet = total, quiet
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.perf_counter()
        self.done = 0
        self.audio = 0.0

    def update(self, files: int, seconds: float):
        self.done += files
        self.audio += seconds
        if self.quiet:
            return
        elapsed = time.perf_counter() - self.start
        rate = self.audio / elapsed if elapsed > 0 else 0.0
        eta = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        text = (f"files {self.done}/{self.total} | {self.audio / 3600:.3f} h audio | "
                f"{rate:,.0f}x real time | ETA {int(eta // 60)}:{int(eta % 60):02d}")
        self.stream.write(("\r" + text) if self.tty else text + "\n")
        self.stream.flush()

    def close(self):
        if self.tty and not self.quiet and self.done:
            self.stream.write("\n")


@dataclasses.dataclass
class _Run:
    """One extraction's settings and running state."""
    output: str
    feature: str
    params: dict
    db: bool
    norm: dict | None
    dtype: str
    keep_audio: bool
    backend: str
    batch_size: int | None
    compression: object
    attrs: dict
    summary: Summary
    progress: _Progress
    skipped: list = dataclasses.field(default_factory=list)
    freqs: object = None
    full_frames: int | None = None
    part: int = 0
    index: list = dataclasses.field(default_factory=list)  # _part_index of every part

    def commit(self, batch: dict) -> None:
        """Compute a batch of whole files, write it as a part, publish the output."""
        rows = np.concatenate(batch["rows"])
        samples = np.concatenate(batch["samples"])
        feats, frames = self.features(rows, samples)
        if self.freqs is None:
            self.freqs = frequencies(self.feature, self.params, feats.shape[-2])
        data = {"features": feats.astype(self.dtype), "row_file": np.concatenate(batch["row_file"]),
                "offset": np.concatenate(batch["offsets"]), "samples": samples,
                "frames": frames, "files": batch["files"], "labels": batch["labels"]}
        if self.keep_audio:
            data["audio"] = rows.astype(self.dtype)
        self.index.append(_part_index(_write_part(self.output, self.part, data,
                                                  self.compression)))
        self.part += 1
        self.publish(consolidate=False)
        self.summary.written += len(batch["files"])
        self.summary.rows += len(rows)
        self.summary.audio_seconds += batch["seconds"]
        self.progress.update(len(batch["files"]), batch["seconds"])

    def features(self, rows, samples):
        """``(features, frames)`` of rows whose first ``samples`` are the signal: rows of one
        true length are computed together (in batches of ``batch_size``), each on exactly its
        samples, so a clip's features are the core's on that clip whatever the padding; the
        shorter ones are zero-padded to the frames of a full row."""
        def run(block):
            return compute(block, self.feature, self.params, db=self.db, norm=self.norm,
                           backend=self.backend)

        if self.full_frames is None:
            self.full_frames = run(np.zeros_like(rows[:1])).shape[-1]
        out, frames = None, np.zeros(len(rows), dtype=np.int64)
        for n in np.unique(samples):
            which = np.flatnonzero(samples == n)
            for s in range(0, len(which), self.batch_size):
                at = which[s:s + self.batch_size]
                part = run(rows[at][..., :n])
                if out is None:
                    out = np.zeros((len(rows),) + part.shape[1:-1] + (self.full_frames,),
                                   dtype=part.dtype)
                out[at, ..., :part.shape[-1]] = part
                frames[at] = part.shape[-1]
        return out, frames

    def publish(self, *, consolidate: bool) -> None:
        freqs = self.freqs if self.freqs is not None else np.zeros(0)
        _publish(self.output, self.index, self.attrs, freqs, self.skipped,
                 consolidate=consolidate, compression=self.compression)


def _auto_batch(row_samples: int, backend: str) -> int:
    budget = 2 ** 22
    if backend == "cupy":
        budget *= 4
    elif backend == "torch":
        import torch

        budget *= 4 if torch.cuda.is_available() else 1
    return max(1, budget // max(1, row_samples))


def _new_batch():
    return {"files": [], "labels": [], "rows": [], "offsets": [], "samples": [], "row_file": [],
            "seconds": 0.0}


def extract(inputs, output, *, feature: str = "cqt", options: dict | None = None,
            sr: float = 22050, mono: bool = False, segment: int | None = None,
            overlap: float = 0.0, duration: float | None = None, db: bool = False,
            pcen: bool = False, lcn=None, dtype: str = "float32", keep_audio: bool = False,
            backend: str = "numpy",
            batch_size: int | None = None, compression: str | None = "gzip", quiet: bool = False,
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
    batch_size : int or None
        Rows per core call; whole files are committed once a batch holds this many rows.
        Default: rows holding about 4 M samples (16 M on a GPU), a size measured to keep the
        CPU's temporaries in memory it has already touched (a 64-clip batch of 30 s clips ran
        at half the speed of a 6-clip one).
    compression : 'gzip', 'lzf' or None
    quiet : bool
        No progress line.

    Returns
    -------
    Summary
        Files written, already present and skipped (with reasons).
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
    _backend_arrays(backend)  # fail early on an unknown backend
    output = os.path.abspath(os.fspath(output))
    inputs = collect_inputs(inputs)
    if not inputs:
        raise ExtractError("no audio files found in the inputs")
    skipped, readable, channels, lengths = [], [], 1, {}
    for path, label in inputs:
        try:
            rate, ch, frames = io.info(path)
        except io.AudioError as exc:
            skipped.append((path, str(exc).split(": ", 1)[-1]))
            continue
        readable.append((path, label))
        channels = max(channels, 1 if mono else ch)
        lengths[path] = math.ceil(frames * sr / rate)  # after resampling (soxr rounds up)
    length = None
    if segment is None and duration:
        length = int(round(duration * sr))
        cut = {p: n - length for p, n in lengths.items() if n > length}
        if cut:
            warnings.warn(f"--duration {duration} s cuts {len(cut)} of {len(lengths)} clips, "
                          f"{sum(cut.values()) / sr:.1f} s of audio in all (the longest clip "
                          f"lasts {max(lengths.values()) / sr:.1f} s)", UserWarning, stacklevel=2)
    elif segment is None and lengths:
        length = max(lengths.values())  # whole clips: rows as long as the longest
    record = {
        "feature": feature, "params": params, "sr": sr, "mono": mono, "channels": channels,
        "segment": segment, "overlap": overlap if segment else None, "length": length,
        "db": db, "dtype": dtype, "keep_audio": keep_audio, "normalization": norm}
    record = json.loads(json.dumps(record, default=str))
    done = _read_state(output, record)
    todo = [(p, lab) for p, lab in readable if p not in done]
    if todo:
        _adopt_consolidated(output)
    summary = Summary(output=output, already=len(readable) - len(todo))
    attrs = {"format": FORMAT, "feature": feature, "params": json.dumps(record, sort_keys=True),
             "sr": sr, "audiofront_version": _version()}
    run = _Run(output, feature, params, db, norm, dtype, keep_audio, backend, batch_size,
               compression, attrs, summary, _Progress(len(todo), quiet, stream), skipped,
               part=len(_parts(output)), index=[_part_index(p) for p in _parts(output)])
    batch = _new_batch()
    for path, label in todo:
        try:
            y, _ = io.load(path, sr=sr, mono=mono, channels=channels)
            if segment is None and not duration and y.shape[1] > length:
                raise io.AudioError(f"{path}: decoded to {y.shape[1]} samples, more than its "
                                    f"header said ({length}); not stored rather than cut")
            rows, offsets, samples = segments(y, segment=segment, overlap=overlap, length=length)
            if rows.shape[0] == 0:
                raise io.AudioError(f"{path}: shorter than one segment of {segment} samples")
        except io.AudioError as exc:
            skipped.append((path, str(exc).split(": ", 1)[-1]))
            continue
        batch["files"].append(path)
        batch["labels"].append(label)
        batch["rows"].append(rows[:, 0] if channels == 1 else rows)
        batch["offsets"].append(offsets)
        batch["samples"].append(samples)
        batch["row_file"].append(np.full(len(rows), len(batch["files"]) - 1, dtype=np.int32))
        batch["seconds"] += y.shape[1] / sr
        if run.batch_size is None:
            run.batch_size = _auto_batch(rows[0].size, backend)
        if sum(len(r) for r in batch["rows"]) >= run.batch_size:
            run.commit(batch)
            batch = _new_batch()
    if batch["files"]:
        run.commit(batch)
    run.progress.close()
    if _parts(output):
        if run.freqs is None:  # nothing new, but an adopted part 0: keep its frequencies
            with _h5().File(output, "r") as f:
                run.freqs = f["frequencies"][()]
        run.publish(consolidate=True)
    summary.skipped = skipped
    summary.elapsed = time.perf_counter() - started
    return summary


def _version():
    from . import __version__

    return __version__
