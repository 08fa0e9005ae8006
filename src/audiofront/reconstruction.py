"""Signals from magnitude spectrograms: Griffin-Lim phase reconstruction, librosa's algorithm
and numbers.

Griffin-Lim (Griffin and Lim 1984) alternates between the signal whose STFT is nearest to the
current complex estimate (the inverse STFT) and the magnitudes it must have (the given ones,
with the phases of that signal's STFT). librosa runs the accelerated form of Perraudin, Balazs
and Sondergaard (2013): each new estimate is extrapolated away from the previous one by
``momentum / (1 + momentum)`` before its magnitudes are replaced. Every step is the core's
``istft`` / ``stft``, so it runs on every backend; the random initial phases are drawn on the
host with NumPy (so a seed gives librosa's numbers) and placed on the spectrogram's device.
"""

from __future__ import annotations


import numpy as np

from . import _backend, _checks
from ._checks import ParameterError, positive_int
from .inverse_stft import istft
from .spectral import as_complex, stft

__all__ = ["griffinlim"]

INITS = ("random", None)


def _initial_phase(S, xp, init, random_state):
    """``exp(i phi)`` of ``S``'s shape and complex dtype: phi uniform in [0, 2 pi) drawn as
    librosa draws it (``random``), or 0 (``init=None``)."""
    if init is None:
        return xp.ones_like(S), xp.zeros_like(S)
    if init != "random":
        raise ParameterError(f"init must be 'random' or None. Received: init={init!r}")
    if random_state is None:
        rng = np.random.default_rng()
    elif isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        rng = np.random.RandomState(seed=int(random_state))
    elif isinstance(random_state, (np.random.RandomState, np.random.Generator)):
        rng = random_state
    else:
        raise ParameterError(f"random_state must be None, an int, a numpy RandomState or "
                             f"Generator. Received: random_state={random_state!r}")
    phi = 2 * np.pi * rng.random(size=tuple(S.shape))
    device = _backend.device_of(S)
    return (xp.asarray(np.cos(phi), dtype=S.dtype, device=device),
            xp.asarray(np.sin(phi), dtype=S.dtype, device=device))


def griffinlim(S, /, *, n_iter: int = 32, hop_length: int | None = None,
               win_length: int | None = None, n_fft: int | None = None, window="hann",
               center: bool = True, length: int | None = None, pad_mode: str = "constant",
               momentum: float = 0.99, init: str | None = "random", random_state=None):
    """A signal whose STFT magnitudes approximate ``S``: librosa's (fast) Griffin-Lim.

    Parameters
    ----------
    S : array, shape ``(..., 1 + n_fft // 2, frames)``, float32 or float64
        STFT magnitudes (not power), e.g. ``af.magnitude(af.stft(y))``.
    n_iter : int >= 0
        Iterations. Default 32.
    hop_length, win_length, n_fft, window, center, length
        The STFT's, as for :func:`istft`; ``n_fft`` defaults to ``2 (S.shape[-2] - 1)``.
    pad_mode : str
        The padding of the forward STFTs (``center=True``). Default 'constant'.
    momentum : float >= 0
        Extrapolation of the accelerated algorithm (0: the original Griffin-Lim). Default
        0.99; above 1 it may diverge (a warning, as librosa).
    init : 'random' or None
        Initial phases: uniformly random (default) or zero (deterministic).
    random_state : None, int, numpy RandomState or Generator
        The random phases' source; an int seeds ``np.random.RandomState`` as librosa does, so
        the result is librosa's.

    Returns
    -------
    array, shape ``(..., n)``, the namespace, device and dtype of ``S``

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> y = np.sin(2 * np.pi * 440 * np.arange(22050) / 22050)
    >>> S = af.magnitude(af.stft(y))
    >>> y_hat = af.griffinlim(S, init=None, length=len(y))
    >>> err = af.magnitude(af.stft(y_hat)) - S  # spectral convergence: about 9% after 32
    >>> bool(np.linalg.norm(err) < 0.1 * np.linalg.norm(S))
    True
    """
    xp, S = _checks.float_signal(S, "S", min_ndim=2)
    n_iter = positive_int(n_iter, "n_iter", allow_zero=True)
    momentum = float(momentum)
    if not momentum >= 0:
        raise ParameterError(f"momentum must be >= 0. Received: momentum={momentum}")
    if momentum > 1:
        _checks.user_warning(f"Griffin-Lim with momentum={momentum} > 1 can be unstable. "
                             "Proceed with caution!")
    if n_fft is None:
        n_fft = 2 * (S.shape[-2] - 1)
    geometry = dict(n_fft=n_fft, hop_length=hop_length, win_length=win_length, window=window,
                    center=center)
    eps = float(xp.finfo(S.dtype).smallest_normal)
    re, im = _initial_phase(S, xp, init, random_state)
    angles = as_complex((re * S, im * S), xp)
    previous = None
    for _ in range(n_iter):
        rebuilt = stft(istft(angles, length=length, **geometry), pad_mode=pad_mode, **geometry)
        angles = rebuilt if previous is None else rebuilt - (momentum / (1 + momentum)) * previous
        scale = xp.abs(angles) + eps
        angles = as_complex((xp.real(angles) / scale * S, xp.imag(angles) / scale * S), xp)
        previous = rebuilt
    return istft(angles, length=length, **geometry)
