"""Window functions, periodic by default (the convention of librosa, torch and tf.signal)."""

from __future__ import annotations

import functools

import numpy as np

from . import _backend
from ._checks import ParameterError, positive_float, positive_int

__all__ = ["get_window", "WINDOWS"]

KAISER_BETA = 12.0  # the Kaiser shape when none is given: torch's and tf.signal's default


def _cosine_sum(coefficients):
    def build(m: int, _beta: float) -> np.ndarray:
        phase = 2.0 * np.pi * np.arange(m) / (m - 1)
        return sum(
            ((-1) ** k) * a * np.cos(k * phase) for k, a in enumerate(coefficients)
        )

    return build


def _bartlett(m: int, _beta: float) -> np.ndarray:
    return 1.0 - np.abs(2.0 * np.arange(m) / (m - 1) - 1.0)


def _kaiser(m: int, beta: float) -> np.ndarray:
    ratio = 2.0 * np.arange(m) / (m - 1) - 1.0
    return np.i0(beta * np.sqrt(np.clip(1.0 - ratio * ratio, 0.0, None))) / np.i0(beta)


def _ones(m: int, _beta: float) -> np.ndarray:
    return np.ones(m)


# name -> builder of the *symmetric* window of length m >= 2
WINDOWS = {
    "hann": _cosine_sum((0.5, 0.5)),
    "hamming": _cosine_sum((0.54, 0.46)),
    "blackman": _cosine_sum((0.42, 0.5, 0.08)),
    "bartlett": _bartlett,
    "kaiser": _kaiser,
    "ones": _ones,
}
_ALIASES = {"hanning": "hann", "boxcar": "ones", "rectangular": "ones", "rect": "ones",
            "triangle": "bartlett"}


@functools.lru_cache(maxsize=64)
def window_host(name: str, n: int, periodic: bool, beta: float) -> np.ndarray:
    """The cached float64 host window (read-only) for a canonical name from :func:`named`."""
    if n == 1:
        out = np.ones(1)
    else:
        out = WINDOWS[name](n + 1, beta)[:-1] if periodic else WINDOWS[name](n, beta)
    out.flags.writeable = False
    return out


def named(window, beta: float = KAISER_BETA):
    """``(canonical name, beta)`` for a window given by name or ``(name, beta)``, None for
    anything else (an array, which the caller converts). The one place that tells the two
    apart, for every function that takes ``window=``."""
    return _parse(window, beta) if isinstance(window, (str, tuple)) else None


def _parse(window, beta):
    """(canonical name, beta) from a name or a (name, beta) tuple such as ('kaiser', 8.6)."""
    if isinstance(window, tuple) and len(window) == 2 and isinstance(window[0], str):
        window, beta = window
    if not isinstance(window, str):
        raise ParameterError(f"window must be a name, a (name, beta) tuple or an array. Received: window={window!r}")
    name = _ALIASES.get(window.lower(), window.lower())
    if name not in WINDOWS:
        raise ParameterError(
            f"Unknown window {window!r}; known: {', '.join(sorted(WINDOWS) + sorted(_ALIASES))}, "
            f"or pass the window as an array. Received: window={window!r}"
        )
    beta = positive_float(beta, "beta", allow_zero=True) if name == "kaiser" else 0.0
    return name, beta


def get_window(window="hann", n: int = 2048, *, periodic: bool = True, beta: float = KAISER_BETA,
               n_fft: int | None = None, xp=None, device=None, dtype=None):
    """A window of ``n`` samples.

    Parameters
    ----------
    window : str or tuple
        ``'hann'`` (default), ``'hamming'``, ``'blackman'``, ``'bartlett'``, ``'kaiser'`` (its
        shape set by ``beta``, or pass ``('kaiser', beta)``), ``'ones'`` (aliases ``'boxcar'``,
        ``'rectangular'``).
    n : int > 0
        Length in samples.
    periodic : bool
        True (default) gives the periodic window used for spectral analysis (the symmetric
        window of ``n + 1`` samples without its last sample), as librosa, torch and tf.signal
        do; False gives the symmetric window, for filter design.
    beta : float >= 0
        Kaiser shape parameter; default 12.0 (torch and tf.signal's default).
    n_fft : int >= n or None
        Centre the window in ``n_fft`` samples, zeros either side (``(n_fft - n) // 2`` on the
        left), as the STFT does with a window shorter than its FFT. Periodic windows only.
    xp, device, dtype
        Place the result: an array-API namespace, a device of it and a dtype. With ``xp=None``
        (default) a float64 NumPy array is returned.

    Returns
    -------
    array, shape ``(n,)`` (or ``(n_fft,)``)
        float64 NumPy array, or ``dtype`` (default: the namespace's default float) in ``xp``.

    Examples
    --------
    >>> import audiofront as af
    >>> af.get_window("hann", 4)
    array([0. , 0.5, 1. , 0.5])
    """
    name, beta = _parse(window, beta)
    n = positive_int(n, "n")
    where = {"xp": xp, "device": device, "dtype": dtype, "cache": False}
    if n_fft is None:
        return _backend.place(window_host, (name, n, bool(periodic), beta), **where)
    if positive_int(n_fft, "n_fft") < n or not periodic:
        raise ParameterError(
            f"n_fft centres a periodic window of n <= n_fft samples. Received: n={n}, "
            f"n_fft={n_fft}, periodic={periodic}"
        )
    return _backend.place(padded_host, (name, beta, n, n_fft), **where)


@functools.lru_cache(maxsize=64)
def padded_host(name: str, beta: float, win_length: int, n_fft: int) -> np.ndarray:
    """The periodic window of ``win_length`` centred in ``n_fft`` zeros (cached, read-only)."""
    out = np.zeros(n_fft)
    left = (n_fft - win_length) // 2
    out[left:left + win_length] = window_host(name, win_length, True, beta)
    out.flags.writeable = False
    return out


def stft_window(window, win_length: int, n_fft: int, x, xp):
    """The analysis window for an STFT of ``x``: ``(n_fft,)`` in ``x``'s namespace and dtype.

    ``window`` is a name, a (name, beta) tuple, or an array of ``win_length`` (or ``n_fft``)
    samples; a shorter window is centred in ``n_fft`` with zeros, as librosa does.
    """
    spec = named(window)
    if spec is not None:
        return _backend.place(padded_host, (*spec, win_length, n_fft), xp=xp,
                              device=_backend.device_of(x), dtype=x.dtype)
    w = _backend.like(window, x, xp)
    if w.ndim != 1 or w.shape[0] not in (win_length, n_fft):
        raise ParameterError(
            f"A window array must be 1-d with win_length={win_length} (or n_fft={n_fft}) samples. "
            f"Received: window of shape {tuple(w.shape)}"
        )
    if w.shape[0] == n_fft:
        return w
    left = (n_fft - win_length) // 2
    return _backend.pad_constant(w, [(left, n_fft - win_length - left)], xp)
