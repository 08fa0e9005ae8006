"""Combined frequency and periodicity (CFP): a pitch salience representation (Su and Yang 2015,
"Combining spectral and temporal representations for multipitch estimation of polyphonic
music", IEEE/ACM TASLP 23(10)), with nnAudio's parameters.

A magnitude spectrum is taken alternately through a power-law compression and a real Fourier
transform along frequency: the spectrum ``|X| ** g0`` (ST), its generalised cepstrum (GC:
``relu(Re FFT(ST)) ** g1`` with the lowest and highest ``tc * sr`` quefrencies removed), and the
generalised cepstrum of the cepstrum (GCoS: ``relu(Re FFT(GC)) ** g2`` with the lowest and
highest ``fc / fr`` bins removed), each FFT divided by ``sqrt(N)``. The spectra are mapped to a
log-frequency axis of ``bins_per_octave`` bands from ``fc`` to ``1 / tc`` Hz (triangles on
frequency), the cepstrum likewise through ``f = sr / q`` (quefrency to frequency); a pitch has
peaks in both, so their product ``Z`` keeps the true fundamental and cancels harmonics and
subharmonics. The mapping matrices are host constants.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from . import _backend, _blocks, _checks, _constants
from ._checks import ParameterError, positive_float, positive_int
from .spectral import stft

__all__ = ["cfp", "cfp_frequencies"]


def _config(sr, freq_resolution, fc, tc, bins_per_octave):
    sr = positive_float(sr, "sr")
    fr = positive_float(freq_resolution, "freq_resolution")
    fc = positive_float(fc, "fc")
    tc = positive_float(tc, "tc")
    bins_per_octave = positive_int(bins_per_octave, "bins_per_octave")
    if not fc < 1 / tc <= sr / 2:
        raise ParameterError(f"The band fc .. 1 / tc must lie in (0, sr / 2]: fc < 1 / tc <= "
                             f"{sr / 2}. Received: fc={fc}, tc={tc} (1 / tc = {1 / tc:g})")
    return sr, fr, fc, tc, bins_per_octave


def cfp_frequencies(*, fc: float = 80.0, tc: float = 0.001,
                    bins_per_octave: int = 48) -> np.ndarray:
    """The centre frequencies (Hz) of the log-frequency bands, ``fc * 2 ** (k /
    bins_per_octave)`` below ``1 / tc``; :func:`cfp` returns the bands of all but the last
    (its rows are the bands ``0 .. len - 2``, the first one empty). Float64 NumPy."""
    stop = 1.0 / positive_float(tc, "tc")
    fc = positive_float(fc, "fc")
    bins_per_octave = positive_int(bins_per_octave, "bins_per_octave")
    n = int(math.ceil(math.log2(stop / fc)) * bins_per_octave)
    centres = fc * 2.0 ** (np.arange(n) / bins_per_octave)
    return centres[centres < stop]


def _triangles(axis_hz, centres, spans):
    """``(len(centres) - 1, len(axis_hz))``: row i (1 .. len - 2) the triangle rising from
    ``centres[i - 1]`` to 1 at ``centres[i]`` and falling to ``centres[i + 1]``, sampled at
    the points of ``axis_hz`` strictly inside it, among the indices ``spans[i]`` (``(start,
    stop)``: the points that can be)."""
    out = np.zeros((len(centres) - 1, len(axis_hz)))
    for i in range(1, len(centres) - 1):
        lo, mid, hi = centres[i - 1], centres[i], centres[i + 1]
        cols = np.arange(*spans[i])
        f = axis_hz[cols]
        rising = (f > lo) & (f < mid)
        falling = (f > mid) & (f < hi)
        out[i, cols[rising]] = (f[rising] - lo) / (mid - lo)
        out[i, cols[falling]] = (hi - f[falling]) / (hi - mid)
    return out


def _kept(sr, fr, fc, tc):
    """How many frequency bins (up to ``1 / tc``) and quefrency bins (up to ``sr / fc``) the
    log-frequency maps take."""
    return int(round((1 / tc) / fr) + 1), int(round(sr / fc) + 1)


@functools.lru_cache(maxsize=8)
def _maps(sr, fr, fc, tc, bins_per_octave):
    """(frequency map, quefrency map), the two log-frequency matrices (float64)."""
    n_fft = int(sr / fr)
    freq_idx, quef_idx = _kept(sr, fr, fc, tc)
    centres = cfp_frequencies(fc=fc, tc=tc, bins_per_octave=bins_per_octave)
    freqs = (sr * np.linspace(0, 0.5, n_fft // 2, endpoint=True))[:freq_idx]
    rows = range(1, len(centres) - 1)
    spans = {i: (int(round(centres[i - 1] / fr)), int(round(centres[i + 1] / fr) + 1))
             for i in rows}
    frequency = _triangles(freqs, centres, spans)
    for i, (lo, hi) in spans.items():  # a band narrower than one bin takes that bin
        if lo >= hi - 1:
            frequency[i] = 0
            frequency[i, lo] = 1
    with np.errstate(divide="ignore"):
        quef_hz = 1.0 / (np.arange(quef_idx) / sr)  # quefrency 0 is infinitely high: unused
    spans = {i: (int(round(sr / centres[i + 1])), int(round(sr / centres[i - 1]) + 1))
             for i in rows}
    quefrency = _triangles(quef_hz, centres, spans)
    for m in (frequency, quefrency):
        m.flags.writeable = False
    return frequency, quefrency


def _frequency_map(*args):
    return _maps(*args)[0]


def _quefrency_map(*args):
    return _maps(*args)[1]


def _real_fft(x, n, xp):
    """``Re FFT(x)`` over the last axis of a real ``x`` of length ``n``, all ``n`` outputs
    (the real part is even: the non-negative half, mirrored)."""
    half = xp.real(_blocks.rfft(x, n, xp))
    mirror = xp.flip(half[..., 1:(n + 1) // 2], axis=-1)
    return xp.concat([half, mirror], axis=-1)


def _layer(x, g, cutoff, xp):
    """relu, the ``cutoff`` lowest and highest entries set to 0, then ``** g`` (a log for
    ``g = 0``, as nnAudio)."""
    n = x.shape[-1]
    keep = _constants.place(_band_mask, (n, cutoff), xp=xp, device=_backend.device_of(x),
                            dtype=x.dtype)
    x = xp.maximum(x, xp.zeros_like(x))
    if g == 0:
        return xp.log(x + 1e-8) * keep
    return (x * keep) ** g


@functools.lru_cache(maxsize=8)
def _band_mask(n, cutoff):
    out = np.ones(n)
    out[:cutoff] = 0
    out[n - cutoff:] = 0
    out.flags.writeable = False
    return out


def cfp(y, /, *, sr: float = 16000, hop_length: int = 320, window_size: int = 2049,
        freq_resolution: float = 2.0, fc: float = 80.0, tc: float = 0.001, g=(0.24, 0.6, 1.0),
        bins_per_octave: int = 48, pad_mode: str = "constant"):
    """Combined frequency and periodicity (see the module notes), nnAudio's ``CFP``.

    Parameters
    ----------
    y : array, shape ``(..., n)``, float32 or float64
    sr : float > 0
        Sample rate (Hz). Default 16000.
    hop_length : int > 0
        Default 320.
    window_size : int > 0
        Length of the (symmetric) Blackman-Harris window. Default 2049.
    freq_resolution : float > 0
        Hz per FFT bin: the FFT length is ``int(sr / freq_resolution)``. Default 2.
    fc, tc : float > 0
        The lowest frequency (Hz) and the shortest period (s) kept: the band ``fc .. 1 / tc``.
        Defaults 80 Hz and 1 ms.
    g : sequence of floats
        The compressions of the spectrum, cepstrum, spectrum, ... (at least two). Default
        (0.24, 0.6, 1).
    bins_per_octave : int > 0
        Of the log-frequency axis. Default 48.
    pad_mode : str
        Centre padding of the STFT. Default 'constant'.

    Returns
    -------
    Z, tfrL0, tfrLF, tfrLQ : arrays, shape ``(..., n_bands, 1 + n // hop_length)``
        The CFP (``tfrLF * tfrLQ``), and on the log-frequency axis the spectrum, the last
        spectral layer and the last cepstral layer. ``n_bands = len(cfp_frequencies(...)) - 1``.
        The input's namespace, device and dtype.

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> y = np.sin(2 * np.pi * 220 * np.arange(16000) / 16000)
    >>> Z = af.cfp(y)[0]
    >>> bands = af.cfp_frequencies()
    >>> float(bands[int(Z[:, 25].argmax())]).__round__()  # the fundamental, not a harmonic
    220
    """
    xp, y = _checks.float_signal(y)
    args = _config(sr, freq_resolution, fc, tc, bins_per_octave)
    sr, fr, fc, tc, bins_per_octave = args
    g = tuple(float(v) for v in g)
    if len(g) < 2:
        raise ParameterError(f"g needs at least two compressions (spectrum, cepstrum). "
                             f"Received: g={g}")
    n_fft = int(sr / fr)
    window = _constants.place(_blackman_harris, (positive_int(window_size, "window_size"),),
                              xp=xp, device=_backend.device_of(y), dtype=y.dtype)
    S = xp.abs(stft(y, n_fft=n_fft, hop_length=hop_length, win_length=window_size,
                    window=window, center=True, pad_mode=pad_mode))
    S = xp.matrix_transpose(S) / float(np.linalg.norm(_blackman_harris(window_size)))
    mirror = xp.flip(S[..., 1:(n_fft + 1) // 2], axis=-1)
    spectrum = xp.concat([S, mirror], axis=-1)  # the two-sided magnitude, (..., frames, n_fft)
    layer = _layer(spectrum, g[0], 0, xp)
    spec, ceps = layer, None
    cutoffs = (int(round(sr * tc)), int(round(fc / fr)))  # quefrencies, then bins, removed
    for i, gi in enumerate(g[1:]):
        layer = _layer(_real_fft(layer, n_fft, xp) / math.sqrt(n_fft), gi, cutoffs[i % 2], xp)
        if i % 2 == 0:
            ceps = layer
        else:
            spec = layer
    freq_idx, quef_idx = _kept(sr, fr, fc, tc)
    where = dict(xp=xp, device=_backend.device_of(y), dtype=y.dtype)
    F = _constants.place(_frequency_map, args, **where)
    Q = _constants.place(_quefrency_map, args, **where)
    tfrL0 = F @ xp.matrix_transpose(spectrum[..., :freq_idx])
    tfrLF = F @ xp.matrix_transpose(spec[..., :freq_idx])
    tfrLQ = Q @ xp.matrix_transpose(ceps[..., :quef_idx])
    return tfrLF * tfrLQ, tfrL0, tfrLF, tfrLQ


@functools.lru_cache(maxsize=8)
def _blackman_harris(n):
    import scipy.signal

    out = scipy.signal.get_window("blackmanharris", n, fftbins=False)
    out.flags.writeable = False
    return out
