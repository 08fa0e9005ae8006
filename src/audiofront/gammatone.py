"""Gammatone filterbank and gammatonegram: Slaney's fourth-order gammatone filters as FFT-bin
weights (Ellis's ``fft2gammatonemx`` construction, which nnAudio uses).

Centre frequencies are equally spaced on the ERB-rate scale of Glasberg and Moore (ERB(f) =
f / 9.26449 + 24.7 Hz) from ``fmin`` up towards ``fmax``. Each filter is the magnitude response
of Slaney's digital approximation of the gammatone (Slaney 1993, "An efficient implementation
of the Patterson-Holdsworth auditory filter bank"): a complex pole pair ``r exp(+-i theta)``
(``theta = 2 pi f_c / sr``, ``r = exp(-2 pi 1.019 ERB(f_c) / sr)``) of multiplicity four, and
four real zeros ``r (cos theta +- sqrt(3 +- 2 sqrt 2) sin theta)``, evaluated at the FFT bins
and scaled to 1 at the centre frequency. The weights are host constants.
"""

from __future__ import annotations

import functools

import numpy as np

from . import _backend, _checks, _constants
from ._checks import ParameterError, positive_float, positive_int
from ._compiled import jax_compiled
from .spectral import spectrogram_frames

__all__ = ["gammatone_filterbank", "erb_frequencies", "gammatonegram"]

EAR_Q, MIN_BW = 9.26449, 24.7  # Glasberg and Moore's ERB: f / EAR_Q + MIN_BW


def erb_frequencies(n_bins: int, *, fmin: float = 20.0, fmax: float = 11025.0) -> np.ndarray:
    """``n_bins`` centre frequencies (Hz) equally spaced in ERB rate, ascending from ``fmin``;
    the top one is a step below ``fmax`` (Slaney's ``ERBSpace``). Float64 NumPy."""
    n_bins = positive_int(n_bins, "n_bins")
    fmin = positive_float(fmin, "fmin", allow_zero=True)
    fmax = positive_float(fmax, "fmax")
    if fmin >= fmax:
        raise ParameterError(f"fmin must be < fmax={fmax}. Received: fmin={fmin}")
    shift = EAR_Q * MIN_BW
    steps = np.arange(n_bins, 0, -1, dtype=np.float64)
    return (fmax + shift) * np.exp(steps * (np.log(fmin + shift) - np.log(fmax + shift)) / n_bins) - shift


@functools.lru_cache(maxsize=32)
def _gammatone_host(sr: float, n_fft: int, n_bins: int, fmin: float, fmax: float,
                    width: float) -> np.ndarray:
    centre = erb_frequencies(n_bins, fmin=fmin, fmax=fmax)[:, None]
    bandwidth = 1.019 * 2 * np.pi * width * (centre / EAR_Q + MIN_BW)
    r, theta = np.exp(-bandwidth / sr), 2 * np.pi * centre / sr
    pole = r * np.exp(1j * theta)
    offsets = np.sqrt(3 + np.array([2, -2]) * np.sqrt(2.0))
    zeros = [r * (np.cos(theta) + sign * c * np.sin(theta)) for c in offsets for sign in (1, -1)]

    def response(z):
        num = np.prod([np.abs(z - zero) for zero in zeros], axis=0)
        return num / np.abs((z - pole) * (z - np.conj(pole))) ** 4

    bins = np.exp(2j * np.pi * np.arange(n_fft // 2 + 1) / n_fft)[None, :]
    weights = response(bins) / response(np.exp(1j * theta))
    weights.flags.writeable = False
    return weights


def _gammatone_args(sr, n_fft, n_bins, fmin, fmax, width):
    sr = positive_float(sr, "sr")
    fmax = sr / 2 if fmax is None else positive_float(fmax, "fmax")
    if fmax > sr / 2:
        raise ParameterError(f"fmax must be <= sr / 2 = {sr / 2}. Received: fmax={fmax}")
    erb_frequencies(n_bins, fmin=fmin, fmax=fmax)  # checks n_bins, fmin, fmax
    return (sr, positive_int(n_fft, "n_fft"), int(n_bins), float(fmin), float(fmax),
            positive_float(width, "width"))


def gammatone_filterbank(*, sr: float = 22050, n_fft: int = 2048, n_bins: int = 64,
                         fmin: float = 20.0, fmax: float | None = None, width: float = 1.0,
                         xp=None, device=None, dtype=None):
    """Gammatone filters as weights on the ``1 + n_fft // 2`` FFT bins (see the module notes).

    Parameters
    ----------
    sr : float > 0
        Sample rate (Hz). Default 22050.
    n_fft : int > 0
        FFT size. Default 2048.
    n_bins : int > 0
        Number of filters. Default 64.
    fmin, fmax : float
        Lowest centre frequency and the top of the ERB-spaced range (Hz); default 20 Hz and
        ``sr / 2``.
    width : float > 0
        Bandwidths in ERBs. Default 1.
    xp, device, dtype
        Place the result; default a float64 NumPy array.

    Returns
    -------
    array, shape ``(n_bins, 1 + n_fft // 2)``, each row 1 at its centre frequency

    Examples
    --------
    >>> import audiofront as af
    >>> af.gammatone_filterbank(sr=16000, n_fft=512, n_bins=32).shape
    (32, 257)
    """
    args = _gammatone_args(sr, n_fft, n_bins, fmin, fmax, width)
    return _constants.place(_gammatone_host, args, xp=xp, device=device, dtype=dtype, cache=False)


@jax_compiled
def gammatonegram(y, /, *, sr: float = 22050, n_fft: int = 2048, hop_length: int | None = None,
                  win_length: int | None = None, window="hann", center: bool = True,
                  pad_mode: str = "constant", power: float = 2.0, n_bins: int = 64,
                  fmin: float = 20.0, fmax: float | None = None, width: float = 1.0,
                  method: str = "fft", gammatone_basis=None, dft_basis=None,
                  check_finite: bool = False):
    """Gammatone spectrogram: ``|stft(y)| ** power`` through :func:`gammatone_filterbank`.

    Parameters
    ----------
    y : array, shape ``(..., n)``, float32 or float64
    sr, n_fft, hop_length, win_length, window, center, pad_mode, method, dft_basis, check_finite
        As for :func:`stft` (``hop_length`` defaults to ``n_fft // 4``).
    power : float > 0
        1 magnitude, 2 (default) power.
    n_bins, fmin, fmax, width
        The filterbank (defaults 64, 20 Hz, ``sr / 2``, 1 ERB).
    gammatone_basis : array or None
        A precomputed ``(n_bins, 1 + n_fft // 2)`` filterbank (e.g. trainable) instead.

    Returns
    -------
    array, shape ``(..., n_bins, n_frames)``, the namespace, device and dtype of ``y``

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> y = np.random.default_rng(0).standard_normal(16000)
    >>> af.gammatonegram(y, sr=16000, n_fft=512, hop_length=160, n_bins=32).shape
    (32, 101)
    """
    xp, y = _checks.float_signal(y)
    if gammatone_basis is None:
        gammatone_basis = _constants.place(_gammatone_host,
                                           _gammatone_args(sr, n_fft, n_bins, fmin, fmax, width),
                                           xp=xp, device=_backend.device_of(y), dtype=y.dtype)
    else:
        gammatone_basis = _constants.like(gammatone_basis, y, xp)
    P = spectrogram_frames(y, xp, power=power, filterbank=gammatone_basis, n_fft=n_fft,
                           hop_length=hop_length, win_length=win_length, window=window,
                           center=center, pad_mode=pad_mode, method=method,
                           dft_basis=dft_basis, check_finite=check_finite)
    return xp.matrix_transpose(P)
