"""Computing the stored rows: a feature of a batch of audio rows (the core function, then
decibels and one normalisation), clips cut into rows, and the task that turns a batch of whole
files into a part file. What a worker process runs; the driver is :mod:`audiofront.extract`.
"""

from __future__ import annotations

import dataclasses
import os
import sys

import numpy as np

from . import _store, chroma, constantq, features, filterbanks, io, normalization, scaling, spectral
from ._checks import ParameterError

# name -> core function; its keyword parameters are the feature's options
FEATURES = {
    "cqt": constantq.cqt,
    "mel": features.melspectrogram,
    "stft": spectral.spectrogram,
    "logfreq": features.log_frequency_spectrogram,
    "mfcc": features.mfcc,
    "chroma": chroma.chroma_cqt,
}
PCEN_SCALE = 2.0 ** 31  # librosa's advice for PCEN of float audio in [-1, 1]


# --- computing rows --------------------------------------------------------------------------

def backend_arrays(backend: str):
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
    to_backend, to_numpy = backend_arrays(backend)
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


# --- one task: a batch of whole files, read, computed and written as a part ------------------

@dataclasses.dataclass(frozen=True)
class Job:
    """Everything a worker needs to turn a batch of files into a part (small; pickled once per
    task)."""
    output: str
    feature: str
    params: dict
    sr: float
    mono: bool
    channels: int
    segment: int | None
    overlap: float
    length: int | None
    whole: bool  # rows are whole clips: a clip longer than ``length`` is refused, not cut
    db: bool
    norm: dict | None
    dtype: str
    keep_audio: bool
    backend: str
    batch_size: int
    full_frames: int
    compression: object


def run_batch(job: Job, files: list) -> dict:
    """Read ``files`` (``(path, label)`` pairs), compute their rows and write them as one part.
    Returns small metadata: the part's index entry (:func:`_store.part_index`; None when no
    file was readable), the files skipped with their reasons, counts, and this process's peak
    memory."""
    rows, offsets, samples, row_file, kept, labels, skipped, seconds = [], [], [], [], [], [], [], 0.0
    for path, label in files:
        try:
            y, _ = io.load(path, sr=job.sr, mono=job.mono, channels=job.channels)
            if job.whole and y.shape[1] > job.length:
                raise io.AudioError(f"{path}: decoded to {y.shape[1]} samples, more than its "
                                    f"header said ({job.length}); not stored rather than cut")
            r, o, s = segments(y, segment=job.segment, overlap=job.overlap, length=job.length)
            if r.shape[0] == 0:
                raise io.AudioError(f"{path}: shorter than one segment of {job.segment} samples")
        except io.AudioError as exc:
            skipped.append((path, reason(exc)))
            continue
        rows.append(r[:, 0] if job.channels == 1 else r)
        offsets.append(o)
        samples.append(s)
        row_file.append(np.full(len(r), len(kept), dtype=np.int32))
        kept.append(path)
        labels.append(label)
        seconds += y.shape[1] / job.sr
    meta = {"part": None, "skipped": skipped, "files": len(kept), "rows": 0, "seconds": seconds,
            "n_bins": None, "pid": os.getpid()}
    if kept:
        rows, samples = np.concatenate(rows), np.concatenate(samples)
        feats, frames = _features(job, rows, samples)
        data = {"features": feats.astype(job.dtype, copy=False),
                "row_file": np.concatenate(row_file),
                "offset": np.concatenate(offsets), "samples": samples, "frames": frames,
                "files": kept, "labels": labels}
        if job.keep_audio:
            data["audio"] = rows.astype(job.dtype)
        part = _store.write_part(job.output, data, job.compression)
        meta.update(part=_store.part_index(part), rows=len(rows), n_bins=feats.shape[-2])
    meta["peak_memory"] = _peak_memory()
    return meta


def _features(job: Job, rows, samples):
    """``(features, frames)`` of rows whose first ``samples`` are the signal: rows of one
    true length are computed together (``batch_size`` at a time), each on exactly its samples,
    so a clip's features are the core's on that clip whatever the padding; the shorter ones
    are zero-padded to the frames of a full row."""
    out, frames = None, np.zeros(len(rows), dtype=np.int64)
    for n in np.unique(samples):
        which = np.flatnonzero(samples == n)
        for s in range(0, len(which), job.batch_size):
            at = which[s:s + job.batch_size]
            block = rows[at[0]:at[-1] + 1] if at[-1] - at[0] + 1 == len(at) else rows[at]
            part = compute(block[..., :n], job.feature, job.params, db=job.db, norm=job.norm,
                           backend=job.backend)
            if out is None:
                out = np.zeros((len(rows),) + part.shape[1:-1] + (job.full_frames,),
                               dtype=part.dtype)
            out[at, ..., :part.shape[-1]] = part
            frames[at] = part.shape[-1]
    return out, frames


def reason(exc: io.AudioError) -> str:
    """Why a file was skipped: the error's message without the path it starts with."""
    return str(exc).split(": ", 1)[-1]


def _peak_memory() -> int:
    """This process's peak resident memory in bytes (0 where the platform does not say).

    Linux's ``VmHWM`` where there is one: ``ru_maxrss`` of a spawned process starts from its
    parent's peak at the fork, so it would report the parent's memory."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        import resource
    except ImportError:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB elsewhere
