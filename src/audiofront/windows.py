"""Window functions, periodic by default (the convention of librosa, torch and tf.signal)."""

from __future__ import annotations

import functools

import numpy as np

from . import _backend, _constants
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
def window_host(name, n: int, periodic: bool, beta) -> np.ndarray:
    """The cached float64 host window (read-only) for a canonical spec from :func:`named`:
    one of :data:`WINDOWS` (``beta`` its Kaiser shape), a scipy window (``beta`` the tuple of
    its parameters) or a callable ``name(n)``."""
    if callable(name):
        out = np.array(name(n), dtype=np.float64).reshape(-1)  # librosa: window(n), as it is
        if out.shape != (n,):
            raise ParameterError(
                f"A window function must return n={n} samples. Received: {name!r} returned "
                f"shape {np.shape(name(n))}"
            )
    elif n == 1:
        out = np.ones(1)
    elif name in WINDOWS:
        out = WINDOWS[name](n + 1, beta)[:-1] if periodic else WINDOWS[name](n, beta)
    else:
        import scipy.signal

        out = np.asarray(scipy.signal.get_window((name, *beta) if beta else name, n,
                                                 fftbins=periodic), dtype=np.float64)
    out.flags.writeable = False
    return out


def named(window, beta: float = KAISER_BETA):
    """``(canonical spec, parameter)`` for a window given by name, ``(name, *parameters)`` or
    a callable, None for anything else (an array, which the caller converts). The one place
    that tells them apart, for every function that takes ``window=``."""
    if callable(window) and not isinstance(window, type):
        return window, 0.0
    if isinstance(window, (int, float, np.floating)) and not isinstance(window, bool):
        return _parse(("kaiser", float(window)), beta)  # scipy's rule: a number is Kaiser's beta
    return _parse(window, beta) if isinstance(window, (str, tuple)) else None


def _scipy_names() -> list[str]:
    import scipy.signal.windows

    return sorted(n for n in scipy.signal.windows.__all__ if n not in ("get_window", "dpss"))


def _parse(window, beta):
    """(canonical name, parameter) from a name or a tuple such as ('kaiser', 8.6) or
    ('gaussian', 7): audiofront's own windows by name (the parameter is Kaiser's beta), any
    other window scipy.signal.get_window knows (the parameter is the tuple of its
    arguments)."""
    params = ()
    if isinstance(window, tuple) and len(window) >= 1 and isinstance(window[0], str):
        window, params = window[0], tuple(window[1:])
        if len(params) == 1:
            beta = params[0]
    if not isinstance(window, str):
        raise ParameterError(f"window must be a name, a (name, parameter) tuple, a function of "
                             f"the length or an array. Received: window={window!r}")
    name = _ALIASES.get(window.lower(), window.lower())
    if name in WINDOWS and len(params) <= 1:
        beta = positive_float(beta, "beta", allow_zero=True) if name == "kaiser" else 0.0
        return name, beta
    try:  # any other window scipy knows, with its parameters
        window_host(window, 8, True, params)
    except (ValueError, TypeError) as exc:
        what = f"Unknown window {window!r}" if not params else \
            f"Window {window!r} with parameters {params!r} failed in scipy ({exc})"
        raise ParameterError(
            f"{what}; known: {', '.join(sorted(WINDOWS) + sorted(_ALIASES))}, scipy.signal's "
            f"{', '.join(_scipy_names())} (parameters in a tuple: ('tukey', 0.25)), a function "
            f"of the length, or an array. Received: window={(window, *params) if params else window!r}"
        ) from None
    return window, params


def get_window(window="hann", n: int = 2048, *, periodic: bool = True, beta: float = KAISER_BETA,
               n_fft: int | None = None, xp=None, device=None, dtype=None):
    """A window of ``n`` samples.

    Parameters
    ----------
    window : str, tuple, callable or array
        ``'hann'`` (default), ``'hamming'``, ``'blackman'``, ``'bartlett'``, ``'kaiser'`` (its
        shape set by ``beta``, or pass ``('kaiser', beta)``), ``'ones'`` (aliases ``'boxcar'``,
        ``'rectangular'``); any other window ``scipy.signal.get_window`` knows, by name or
        as ``(name, *parameters)`` (``'blackmanharris'``, ``('gaussian', 7)``, ``('tukey',
        0.25)``, ...); a function ``f(n)`` returning ``n`` samples (``np.ones``,
        ``scipy.signal.windows.hann``: called as it is, so ``periodic`` does not apply, as in
        librosa); or an array of ``n`` samples, returned as it is.
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
    n = positive_int(n, "n")
    where = {"xp": xp, "device": device, "dtype": dtype, "cache": False}
    spec = named(window, beta)
    if spec is None:  # an array: librosa returns it if it has the length asked for
        host = np.asarray(window, dtype=np.float64)
        if host.shape != (n,):
            raise ParameterError(f"A window array must have n={n} samples. Received: window of "
                                 f"shape {host.shape}")
        if n_fft is not None and n_fft != n:
            host = _centred(host, n_fft)
        return _constants.place(lambda: host, (), **where)
    name, beta = spec
    if n_fft is None:
        return _constants.place(window_host, (name, n, bool(periodic), beta), **where)
    if positive_int(n_fft, "n_fft") < n or not periodic:
        raise ParameterError(
            f"n_fft centres a periodic window of n <= n_fft samples. Received: n={n}, "
            f"n_fft={n_fft}, periodic={periodic}"
        )
    return _constants.place(padded_host, (name, beta, n, n_fft), **where)


@functools.lru_cache(maxsize=64)
def padded_host(name: str, beta: float, win_length: int, n_fft: int) -> np.ndarray:
    """The periodic window of ``win_length`` centred in ``n_fft`` zeros (cached, read-only)."""
    out = _centred(window_host(name, win_length, True, beta), n_fft)
    out.flags.writeable = False
    return out


def _centred(w: np.ndarray, n_fft: int) -> np.ndarray:
    """``w`` centred in ``n_fft`` zeros, ``(n_fft - len(w)) // 2`` on the left."""
    if len(w) > n_fft:
        raise ParameterError(f"A window of {len(w)} samples does not fit n_fft={n_fft}.")
    out = np.zeros(n_fft)
    left = (n_fft - len(w)) // 2
    out[left:left + len(w)] = w
    return out


def stft_window(window, win_length: int, n_fft: int, x, xp):
    """The analysis window for an STFT of ``x``: ``(n_fft,)`` in ``x``'s namespace and dtype.

    ``window`` is a name, a (name, beta) tuple, or an array of ``win_length`` (or ``n_fft``)
    samples; a shorter window is centred in ``n_fft`` with zeros, as librosa does.
    """
    spec = named(window)
    if spec is not None:
        return _constants.place(padded_host, (*spec, win_length, n_fft), xp=xp,
                                device=_backend.device_of(x), dtype=x.dtype)
    w = _constants.like(window, x, xp)
    if w.ndim != 1 or w.shape[0] not in (win_length, n_fft):
        raise ParameterError(
            f"A window array must be 1-d with win_length={win_length} (or n_fft={n_fft}) samples. "
            f"Received: window of shape {tuple(w.shape)}"
        )
    if w.shape[0] == n_fft:
        return w
    left = (n_fft - win_length) // 2
    return _backend.pad_constant(w, [(left, n_fft - win_length - left)], xp)
