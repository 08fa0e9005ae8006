"""Filterbank and transform-matrix builders.

Each is a pure function of hashable parameters, computed once on the host in float64 NumPy
(``functools.lru_cache``) and then placed in the namespace / on the device / in the dtype asked
for with ``xp=``, ``device=``, ``dtype=``. The mel filterbank is librosa's to the last bit.
"""

from __future__ import annotations

import functools
import math
import numbers
from typing import NamedTuple

import numpy as np

from . import _backend, _checks, _constants
from ._checks import ParameterError, one_of, positive_float, positive_int

__all__ = ["hz_to_mel", "mel_to_hz", "mel_frequencies", "fft_frequencies", "frequency_grid",
           "mel_filterbank", "log_filterbank", "dct_matrix"]

C1_HZ = 440.0 * 2.0 ** ((24 - 69) / 12)  # scientific pitch: A4 = 440 Hz is MIDI 69, C1 is 24

# Slaney's Auditory Toolbox mel scale: linear below 1 kHz, logarithmic above.
_F_SP = 200.0 / 3
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP
_LOGSTEP = math.log(6.4) / 27.0


def _as_array(values):
    """(xp, array, was_scalar): an array of any namespace as is, anything else as float64 NumPy."""
    try:
        xp = _backend.array_namespace(values)
    except TypeError:
        xp = _backend.array_namespace(np.empty(0))
        values = np.asarray(values, dtype=np.float64)
    return xp, values, values.ndim == 0 and isinstance(values, np.ndarray)


def hz_to_mel(frequencies, /, *, htk: bool = False):
    """Frequencies in Hz to mels.

    Parameters
    ----------
    frequencies : float or array
        Any array-API array is converted in its own namespace; numbers and lists give NumPy.
    htk : bool
        False (default): Slaney's scale (linear below 1 kHz, log above), librosa's default.
        True: ``2595 log10(1 + f / 700)``.

    Returns
    -------
    float or array of the same shape
        A Python float for a scalar input.

    Examples
    --------
    >>> import audiofront as af
    >>> round(af.hz_to_mel(1000.0), 6), round(af.hz_to_mel(1000.0, htk=True), 6)
    (15.0, 999.985537)
    """
    xp, f, scalar = _as_array(frequencies)
    if htk:
        mels = 2595.0 * xp.log10(1.0 + f / 700.0)
    else:
        linear = f / _F_SP
        logarithmic = _MIN_LOG_MEL + xp.log(xp.maximum(f, _MIN_LOG_HZ) / _MIN_LOG_HZ) / _LOGSTEP
        mels = xp.where(f >= _MIN_LOG_HZ, logarithmic, linear)
    return float(mels) if scalar else mels


def mel_to_hz(mels, /, *, htk: bool = False):
    """Mels to frequencies in Hz, the inverse of :func:`hz_to_mel` (same scales and types)."""
    xp, m, scalar = _as_array(mels)
    if htk:
        hz = 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    else:
        linear = _F_SP * m
        logarithmic = _MIN_LOG_HZ * xp.exp(_LOGSTEP * (xp.maximum(m, _MIN_LOG_MEL) - _MIN_LOG_MEL))
        hz = xp.where(m >= _MIN_LOG_MEL, logarithmic, linear)
    return float(hz) if scalar else hz


@functools.lru_cache(maxsize=64)
def _mel_frequencies_host(n_mels: int, fmin: float, fmax: float, htk: bool) -> np.ndarray:
    mels = np.linspace(hz_to_mel(fmin, htk=htk), hz_to_mel(fmax, htk=htk), n_mels)
    out = mel_to_hz(mels, htk=htk)
    out.flags.writeable = False
    return out


def mel_frequencies(n_mels: int = 128, *, fmin: float = 0.0, fmax: float = 11025.0,
                    htk: bool = False, xp=None, device=None, dtype=None):
    """``n_mels`` frequencies (Hz) equally spaced on the mel scale from ``fmin`` to ``fmax``.

    Returns
    -------
    array, shape ``(n_mels,)``
        float64 NumPy unless ``xp`` / ``dtype`` say otherwise.
    """
    n_mels = positive_int(n_mels, "n_mels")
    fmin = positive_float(fmin, "fmin", allow_zero=True)
    fmax = positive_float(fmax, "fmax")
    return _constants.place(_mel_frequencies_host, (n_mels, fmin, fmax, bool(htk)), xp=xp,
                            device=device, dtype=dtype, cache=False)


def fft_frequencies(*, sr: float = 22050, n_fft: int = 2048) -> np.ndarray:
    """Centre frequencies (Hz) of the ``1 + n_fft // 2`` rFFT bins, float64 NumPy."""
    return np.fft.rfftfreq(n=positive_int(n_fft, "n_fft"), d=1.0 / positive_float(sr, "sr"))


GRID_SCALES = ("linear", "log", "log2")


def frequency_grid(n_bins: int, *, fmin: float = 50.0, fmax: float = 6000.0,
                   scale: str = "linear") -> np.ndarray:
    """``n_bins`` frequencies (Hz) from ``fmin`` up towards ``fmax``: nnAudio's STFT grids.

    'linear': ``fmin + k (fmax - fmin) / n_bins``; 'log': ``fmin exp(k ln(fmax / fmin) /
    n_bins)``; 'log2': the same ratio through powers of two (``fmin 2 ** (k log2(fmax / fmin)
    / n_bins)``, which rounds differently), for ``k = 0 .. n_bins - 1``. As in nnAudio, the
    top frequency is one step below ``fmax``. For :func:`dft_basis`'s ``frequencies``.

    Returns
    -------
    float64 NumPy array, shape ``(n_bins,)``

    Examples
    --------
    >>> import audiofront as af
    >>> af.frequency_grid(4, fmin=100.0, fmax=500.0)
    array([100., 200., 300., 400.])
    """
    n_bins = positive_int(n_bins, "n_bins")
    fmin = positive_float(fmin, "fmin", allow_zero=scale == "linear")
    fmax = positive_float(fmax, "fmax")
    one_of(scale, "scale", GRID_SCALES)
    if fmin >= fmax:
        raise ParameterError(f"fmin must be < fmax={fmax}. Received: fmin={fmin}")
    k = np.arange(n_bins, dtype=np.float64)
    if scale == "linear":
        return fmin + k * ((fmax - fmin) / n_bins)
    if scale == "log":
        return np.exp(k * (np.log(fmax / fmin) / n_bins)) * fmin
    return 2.0 ** (k * (np.log2(fmax / fmin) / n_bins)) * fmin


def _check_band(sr, fmin, fmax):
    sr = positive_float(sr, "sr")
    fmin = positive_float(fmin, "fmin", allow_zero=True)
    fmax = sr / 2.0 if fmax is None else positive_float(fmax, "fmax")
    if fmax > sr / 2.0:
        raise ParameterError(
            f"fmax must be <= sr / 2 = {sr / 2.0} (the Nyquist frequency). Received: fmax={fmax}"
        )
    if fmin >= fmax:
        raise ParameterError(f"fmin must be < fmax={fmax}. Received: fmin={fmin}")
    return sr, fmin, fmax


def check_norm(norm):
    """A filter normalisation: None, 'slaney', or a p-norm order > 0 (as a float)."""
    if norm is None or norm == "slaney":
        return norm
    if isinstance(norm, numbers.Real) and not isinstance(norm, bool) and norm > 0:
        return float(norm)
    raise ParameterError(
        f"norm must be None, 'slaney', or a p-norm order > 0 (e.g. 1, 2, np.inf). Received: norm={norm!r}"
    )


def normalize_rows(weights: np.ndarray, p: float) -> np.ndarray:
    """Scale each row to unit p-norm, leaving (numerically) empty rows alone, as librosa does."""
    mag = np.abs(weights)
    length = mag.max(axis=1) if p == np.inf else (mag ** p).sum(axis=1) ** (1.0 / p)
    length[length < np.finfo(weights.dtype).tiny] = 1.0
    return weights / length[:, None]


def _mel_triangles(sr, n_fft, n_mels, fmin, fmax, htk, norm, dtype=np.float64):
    """librosa.filters.mel's construction in ``dtype``: the triangles rounded to it, then
    normalised (in float64) and rounded again, as librosa builds its float32 default."""
    fft_hz = fft_frequencies(sr=sr, n_fft=n_fft)
    mel_hz = _mel_frequencies_host(n_mels + 2, fmin, fmax, htk)
    spacing = np.diff(mel_hz)
    ramps = np.subtract.outer(mel_hz, fft_hz)
    rising = -ramps[:-2] / spacing[:-1, None]
    falling = ramps[2:] / spacing[1:, None]
    weights = np.maximum(0.0, np.minimum(rising, falling)).astype(dtype).astype(np.float64)
    if norm == "slaney":
        weights *= (2.0 / (mel_hz[2:n_mels + 2] - mel_hz[:n_mels]))[:, None]
    elif norm is not None:
        weights = normalize_rows(weights, norm)
    return weights.astype(dtype).astype(np.float64), mel_hz


@functools.lru_cache(maxsize=64)
def _mel_host(sr, n_fft, n_mels, fmin, fmax, htk, norm):
    """(weights, indices of empty bands), librosa.filters.mel's construction."""
    weights, mel_hz = _mel_triangles(sr, n_fft, n_mels, fmin, fmax, htk, norm)
    empty = np.flatnonzero((mel_hz[:-2] != 0) & (weights.max(axis=1) <= 0))
    weights.flags.writeable = False
    return weights, tuple(empty.tolist())


def _mel_weights(*args):
    return _mel_host(*args)[0]


@functools.lru_cache(maxsize=64)
def _mel_weights32(*args):
    """The float32 filterbank as librosa builds it (rounded twice: 1 ulp from rounding the
    float64 one, in about 0.4% of the weights)."""
    weights = _mel_triangles(*args, dtype=np.float32)[0]
    weights.flags.writeable = False
    return weights


_mel_weights.float32 = _mel_weights32  # _constants.place builds float32 constants with it


def mel_filterbank(*, sr: float = 22050, n_fft: int = 2048, n_mels: int = 128,
                   fmin: float = 0.0, fmax: float | None = None, htk: bool = False,
                   norm="slaney", xp=None, device=None, dtype=None):
    """Triangular mel filters, librosa.filters.mel's exactly.

    Parameters
    ----------
    sr : float > 0
        Sample rate (Hz). Default 22050.
    n_fft : int > 0
        FFT size; the filters cover its ``1 + n_fft // 2`` bins. Default 2048.
    n_mels : int > 0
        Number of bands. Default 128.
    fmin, fmax : float
        Lowest and highest band edges (Hz); ``0 <= fmin < fmax <= sr / 2``. Default 0 and
        ``sr / 2``.
    htk : bool
        Mel scale: Slaney's (False, default) or HTK's (True).
    norm : None, 'slaney' or float
        'slaney' (default): divide each triangle by its width in Hz (constant energy per band).
        A number p > 0 (1, 2, ``np.inf``): unit p-norm rows. None: peaks of 1.
    xp, device, dtype
        Place the result; default a float64 NumPy array.

    Returns
    -------
    array, shape ``(n_mels, 1 + n_fft // 2)``

    Warns
    -----
    UserWarning
        When some bands fall between FFT bins and come out empty (too many mels for the FFT
        size or sample rate), as librosa warns.

    Examples
    --------
    >>> import audiofront as af
    >>> af.mel_filterbank(sr=16000, n_fft=512, n_mels=40).shape
    (40, 257)
    """
    args = _mel_args(sr, n_fft, n_mels, fmin, fmax, htk, norm)
    return _constants.place(_mel_weights, args, xp=xp, device=device, dtype=dtype, cache=False)


def _mel_args(sr, n_fft, n_mels, fmin, fmax, htk, norm):
    """The checked, hashable arguments of ``_mel_host``; warns about empty bands at the
    user's call."""
    n_fft = positive_int(n_fft, "n_fft")
    n_mels = positive_int(n_mels, "n_mels")
    sr, fmin, fmax = _check_band(sr, fmin, fmax)
    args = (sr, n_fft, n_mels, fmin, fmax, bool(htk), check_norm(norm))
    empty = _mel_host(*args)[1]
    if empty:
        _checks.user_warning(  # librosa's first sentences, so code matching them still does
            f"Empty filters detected in mel frequency basis. Some channels will produce empty "
            f"responses. Try increasing your sampling rate (and fmax) or reducing n_mels. "
            f"{len(empty)} of the {n_mels} mel bands are empty (bands {list(empty[:8])}"
            f"{'...' if len(empty) > 8 else ''}): they fall between the FFT bins of n_fft={n_fft} "
            f"at sr={sr}; a larger n_fft or a higher fmin helps too.")
    return args


def mel_constant(*, sr, n_fft, n_mels, fmin, fmax, htk, norm, xp, device, dtype):
    """For the library's own use: ``(the shared, cached mel filterbank on xp / device /
    dtype, its band plan)``; callers must not modify the array. Warns as
    :func:`mel_filterbank` does, at the user's feature call."""
    args = _mel_args(sr, n_fft, n_mels, fmin, fmax, htk, norm)
    return _shared(_mel_weights, args, xp, device, dtype)


class Bands(NamedTuple):
    """How to apply a library filterbank to time-major spectra (``spectral.apply_bands``):
    ``blocks``, its :func:`band_plan` (None when dense), and ``dense``, the placed
    ``(bins, bands)`` transpose, contiguous (the transposed view of a ``(bands, bins)`` matrix
    costs BLAS 1.6x more in a stream step's small product: 14 us against 9 us for 32 frames
    of 201 bins and 80 bands)."""

    blocks: tuple | None
    dense: object


def _transposed(build, args):
    return np.ascontiguousarray(build(*args).T)


def _transposed32(build, args):
    return np.ascontiguousarray(getattr(build, "float32", build)(*args).T)


_transposed.float32 = _transposed32


def _shared(build, args, xp, device, dtype):
    """``(the cached constant build(*args) placed on xp / device / dtype, its Bands)``."""
    where = dict(xp=xp, device=device, dtype=dtype)
    return (_constants.place(build, args, **where),
            Bands(band_plan(build, args), _constants.place(_transposed, (build, args), **where)))


@functools.lru_cache(maxsize=64)
def band_plan(build, args: tuple, group: int = 8):
    """Where a sparse filterbank ``build(*args)`` is non-zero, by groups of rows.

    Returns ``((row_start, row_stop, col_start, col_stop), ...)``: the filters of each group
    of ``group`` rows are zero outside their column range, so applying the filterbank needs
    only those products. Mel filters are triangles a few bins wide, and 8-band groups cover
    about a tenth of the dense matrix. None when the groups would cover more than half of it.
    """
    weights = build(*args)
    plan = []
    for start in range(0, weights.shape[0], group):
        stop = min(weights.shape[0], start + group)
        used = np.flatnonzero(np.any(weights[start:stop] != 0, axis=0))
        lo, hi = (int(used[0]), int(used[-1]) + 1) if used.size else (0, 0)
        plan.append((start, stop, lo, hi))
    covered = sum((stop - start) * (hi - lo) for start, stop, lo, hi in plan)
    return tuple(plan) if covered <= 0.5 * weights.size else None


@functools.lru_cache(maxsize=64)
def _log_host(sr, n_fft, n_bins, bins_per_octave, fmin, spread):
    """kapre's (librosa 0.4's) log-normal filters around geometrically spaced centres."""
    sigma = spread / bins_per_octave
    log_hz = np.log2(fft_frequencies(sr=sr, n_fft=n_fft)[1:])
    centres = np.log2(fmin * 2.0 ** (np.arange(n_bins) / bins_per_octave))
    weights = np.zeros((n_bins, n_fft // 2 + 1))
    weights[:, 1:] = np.exp(
        -0.5 * ((log_hz[None, :] - centres[:, None]) / sigma) ** 2 - np.log2(sigma) - log_hz[None, :]
    )
    weights = normalize_rows(weights, 1.0)
    weights.flags.writeable = False
    return weights


def log_filterbank(*, sr: float = 22050, n_fft: int = 2048, n_bins: int = 84,
                   bins_per_octave: int = 12, fmin: float | None = None, spread: float = 0.125,
                   xp=None, device=None, dtype=None):
    """Log-frequency filters: kapre's ``filterbank_log`` (librosa 0.4's ``logfrequency``).

    Filter ``i`` is a log-normal window on the frequency axis, centred at
    ``fmin * 2 ** (i / bins_per_octave)`` with a standard deviation of ``spread`` bins, and
    normalised to unit sum: a fixed-window approximation of a constant-Q transform.

    Parameters
    ----------
    sr : float > 0
        Sample rate (Hz). Default 22050.
    n_fft : int > 0
        FFT size. Default 2048.
    n_bins : int > 0
        Number of filters. Default 84 (7 octaves).
    bins_per_octave : int > 0
        Default 12 (semitones).
    fmin : float > 0 or None
        Centre of the first filter (Hz). Default C1 (32.70 Hz).
    spread : float > 0
        Width of each filter as a fraction of a bin. Default 0.125.
    xp, device, dtype
        Place the result; default a float64 NumPy array.

    Returns
    -------
    array, shape ``(n_bins, 1 + n_fft // 2)``
        (kapre returns the transpose, ``(n_freq, n_bins)``.)

    Raises
    ------
    ParameterError
        If the top filter's centre is above the Nyquist frequency.

    Examples
    --------
    >>> import audiofront as af
    >>> af.log_filterbank(sr=22050, n_fft=2048).shape
    (84, 1025)
    """
    args = _log_args(sr, n_fft, n_bins, bins_per_octave, fmin, spread)
    return _constants.place(_log_host, args, xp=xp, device=device, dtype=dtype, cache=False)


def _log_args(sr, n_fft, n_bins, bins_per_octave, fmin, spread):
    """The checked, hashable arguments of ``_log_host``."""
    sr = positive_float(sr, "sr")
    n_fft = positive_int(n_fft, "n_fft")
    n_bins = positive_int(n_bins, "n_bins")
    bins_per_octave = positive_int(bins_per_octave, "bins_per_octave")
    fmin = C1_HZ if fmin is None else positive_float(fmin, "fmin")
    spread = positive_float(spread, "spread")
    top = fmin * 2.0 ** ((n_bins - 1) / bins_per_octave)
    if top > sr / 2.0:
        raise ParameterError(
            f"The top filter's centre, fmin * 2 ** ((n_bins - 1) / bins_per_octave) = {top:.1f} Hz, "
            f"is above the Nyquist frequency {sr / 2.0} Hz. Reduce n_bins or fmin, or raise "
            f"bins_per_octave. Received: fmin={fmin}, n_bins={n_bins}, bins_per_octave={bins_per_octave}"
        )
    return sr, n_fft, n_bins, bins_per_octave, fmin, spread


def log_constant(*, sr, n_fft, n_bins, bins_per_octave, fmin, spread, xp, device, dtype):
    """For the library's own use: ``(the shared, cached log filterbank, its band plan)``."""
    return _shared(_log_host, _log_args(sr, n_fft, n_bins, bins_per_octave, fmin, spread), xp,
                   device, dtype)


@functools.lru_cache(maxsize=32)
def dct_host(n_out: int, n_in: int, norm: str | None, dct_type: int = 2) -> np.ndarray:
    """The cached, read-only DCT matrix for checked :func:`dct_args`: type II written out,
    types I and III as scipy.fft.dct computes them (applied to the identity)."""
    if dct_type != 2:
        import scipy.fft

        basis = scipy.fft.dct(np.eye(n_in), type=dct_type, norm=norm, axis=0)[:n_out]
        basis.flags.writeable = False
        return basis
    n = np.arange(n_in)
    k = np.arange(n_out)[:, None]
    basis = 2.0 * np.cos(np.pi * k * (2 * n + 1) / (2.0 * n_in))
    if norm == "ortho":
        basis *= np.sqrt(1.0 / (2.0 * n_in))
        basis[0] *= np.sqrt(0.5)
    basis.flags.writeable = False
    return basis


def dct_matrix(n_out: int, n_in: int, *, norm: str | None = "ortho", dct_type: int = 2,
               xp=None, device=None, dtype=None):
    """The DCT as a matrix: ``dct_matrix(n_out, n_in) @ x`` is scipy's ``dct(x, type=dct_type,
    norm=norm)[:n_out]`` along the first axis of ``x``.

    Parameters
    ----------
    n_out : int > 0
        Coefficients kept (``n_mfcc``); at most ``n_in``.
    n_in : int > 0
        Input length (``n_mels``).
    norm : 'ortho' or None
        'ortho' (default, librosa's MFCC): orthonormal rows. None: scipy's unnormalised
        ``2 cos(...)``.
    dct_type : {1, 2, 3}
        The DCT type, scipy's definitions. Default 2 (the MFCC's). Type 1 needs ``n_in >= 2``.

    Returns
    -------
    array, shape ``(n_out, n_in)``
    """
    return _constants.place(dct_host, dct_args(n_out, n_in, norm, dct_type), xp=xp, device=device,
                            dtype=dtype, cache=False)


def dct_args(n_out, n_in, norm, dct_type=2, *, names=("n_out", "n_in")):
    """The checked ``(n_out, n_in, norm, dct_type)`` of a DCT matrix; errors use ``names`` for
    the two sizes (the caller's own parameter names, e.g. ``n_mfcc`` and ``n_mels``)."""
    out_name, in_name = names
    n_in = positive_int(n_in, in_name)
    n_out = positive_int(n_out, out_name)
    if n_out > n_in:
        raise ParameterError(f"{out_name} must be <= {in_name}={n_in}. Received: {out_name}={n_out}")
    if norm not in ("ortho", None):
        raise ParameterError(f"norm must be 'ortho' or None. Received: norm={norm!r}")
    if isinstance(dct_type, bool) or dct_type not in (1, 2, 3):
        raise ParameterError(f"dct_type must be 1, 2 or 3. Received: dct_type={dct_type!r}")
    if dct_type == 1 and n_in < 2:
        raise ParameterError(f"The type-I DCT needs {in_name} >= 2. Received: {in_name}={n_in}")
    return n_out, n_in, norm, int(dct_type)
