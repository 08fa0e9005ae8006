"""Chromagrams from the constant-Q transform: librosa's ``chroma_cqt`` and its
``cq_to_chroma`` folding (split from constantq.py, which holds the transforms)."""

from __future__ import annotations

import functools
import math

import numpy as np

from . import _backend, _checks, _constants
from ._checks import ParameterError, positive_int
from .constantq import cqt
from .constantq_kernels import fmin_hz
from .filterbanks import check_norm

__all__ = ["chroma_cqt"]


@functools.lru_cache(maxsize=32)
def _cq_to_chroma(n_input: int, bins_per_octave: int, n_chroma: int, fmin: float) -> np.ndarray:
    """librosa's ``cq_to_chroma``: sum the CQ bins of each pitch class, rotated so row 0 is C."""
    merge = bins_per_octave // n_chroma
    m = np.repeat(np.eye(n_chroma), merge, axis=1)
    m = np.roll(m, -(merge // 2), axis=1)
    m = np.tile(m, math.ceil(n_input / bins_per_octave))[:, :n_input]
    midi0 = np.mod(12 * np.log2(fmin / 440.0) + 69, 12)
    m = np.roll(m, int(np.round(midi0 * n_chroma / 12.0)), axis=0)
    m.flags.writeable = False
    return m


def chroma_cqt(y=None, /, *, C=None, sr: float = 22050, hop_length: int = 512, fmin=None,
               n_chroma: int = 12, n_octaves: int = 7, bins_per_octave: int = 36,
               tuning: float | None = None, norm=np.inf, threshold: float = 0.0,
               algorithm: str = "auto"):
    """Chromagram from the CQT magnitude, librosa's ``chroma_cqt``.

    ``|cqt|`` over ``n_octaves * bins_per_octave`` bins from ``fmin`` (default C1), folded into
    ``n_chroma`` pitch classes starting at C, values below ``threshold`` set to 0, and each
    frame normalised to unit ``norm`` (default max = 1). ``tuning`` None (default) estimates
    it from ``y``, as librosa (:func:`estimate_tuning`); pass a number to skip that. ``C=`` takes a
    precomputed CQT ``(..., n_bins, frames)`` instead of ``y`` (its bins from ``fmin`` at
    ``bins_per_octave``); a complex one is taken as its magnitude (librosa would fold the
    complex values themselves into a complex chromagram).

    Returns
    -------
    array, shape ``(..., n_chroma, n_frames)``, real, the input's namespace, device and dtype
    """
    _checks.one_input(y, C, "C", "a precomputed constant-Q transform")
    xp, signal = _checks.float_signal(y) if C is None else (None, None)
    n_chroma = positive_int(n_chroma, "n_chroma")
    bins_per_octave = positive_int(bins_per_octave, "bins_per_octave")
    if bins_per_octave % n_chroma:
        raise ParameterError(
            f"bins_per_octave must be a multiple of n_chroma={n_chroma}. Received: "
            f"bins_per_octave={bins_per_octave}"
        )
    if C is None:
        n_bins = positive_int(n_octaves, "n_octaves") * bins_per_octave
        C = xp.abs(cqt(signal, sr=sr, hop_length=hop_length, fmin=fmin, n_bins=n_bins,
                       bins_per_octave=bins_per_octave, tuning=tuning, algorithm=algorithm))
    else:  # librosa: |C| as given, its bins from fmin
        xp = _checks.namespace(C, "C")
        C = xp.abs(C) if _backend.dtype_kind(xp, C.dtype) == "complex" else C
        xp, C = _checks.float_signal(C, "C", min_ndim=2)
        n_bins = C.shape[-2]
    fold = _constants.place(_cq_to_chroma, (n_bins, bins_per_octave, n_chroma, fmin_hz(fmin)),
                            xp=xp, device=_backend.device_of(C), dtype=C.dtype)
    chroma = fold @ C
    if threshold:
        chroma = xp.where(chroma < threshold, xp.zeros_like(chroma), chroma)
    if norm is None:
        return chroma
    norm = check_norm(norm)
    mag = xp.abs(chroma)
    length = xp.max(mag, axis=-2, keepdims=True) if norm == np.inf else xp.sum(
        mag ** norm, axis=-2, keepdims=True) ** (1.0 / norm)
    tiny = xp.finfo(C.dtype).smallest_normal
    return chroma / xp.where(length < tiny, xp.ones_like(length), length)
