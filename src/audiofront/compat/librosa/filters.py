"""``librosa.filters``: the mel filterbank and windows."""

from __future__ import annotations

import numpy as np

import audiofront as _af

__all__ = ["mel", "get_window"]


def mel(*, sr, n_fft, n_mels=128, fmin=0.0, fmax=None, htk=False, norm="slaney",
        dtype=np.float32):
    """librosa.filters.mel: :func:`audiofront.mel_filterbank`, a NumPy array of ``dtype``
    (float32 by default, as librosa)."""
    return _af.mel_filterbank(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk,
                              norm=norm, dtype=dtype)


def get_window(window, Nx, *, fftbins=True):
    """librosa.filters.get_window: :func:`audiofront.get_window` (``fftbins``: periodic), a
    float64 NumPy array."""
    return _af.get_window(window, Nx, periodic=fftbins)
