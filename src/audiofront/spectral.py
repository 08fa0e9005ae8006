"""Short-time Fourier transform (by the FFT or a learnable DFT basis), power spectrograms through
filterbanks, and spectrum magnitudes and phases; the inverse is in :mod:`.inverse_stft`."""

from __future__ import annotations

import functools
import math

import numpy as np

from . import _backend, _blocks, _checks, _constants
from ._checks import ParameterError, one_of, positive_float
from ._compiled import jax_compiled
from ._docs import fill
from .framing import PAD_MODES, frame_count, pad
from .windows import named, padded_host, stft_window

__all__ = ["stft", "spectrogram", "magnitude", "phase", "magphase", "dft_basis"]

METHODS = ("fft", "dft")


# --- the DFT basis ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=32)
def _dft_host(n_fft: int, name: str | None = None, beta: float = 0.0,
              win_length: int | None = None, cycles: tuple | None = None) -> np.ndarray:
    """(n_fft, 2 * n_bins): [cos | -sin] columns, times the window when one is named; at the
    FFT bins, or at ``cycles`` (frequencies in cycles per sample) when given."""
    n = np.arange(n_fft)
    if cycles is None:
        k = np.arange(n_fft // 2 + 1)
        angle = (2.0 * np.pi / n_fft) * ((n[:, None] * k[None, :]) % n_fft)  # exact reduction
    else:
        angle = 2.0 * np.pi * np.mod(n[:, None] * np.array(cycles)[None, :], 1.0)
    basis = np.concatenate([np.cos(angle), -np.sin(angle)], axis=1)
    if name is not None:
        basis *= padded_host(name, beta, win_length, n_fft)[:, None]
    basis.flags.writeable = False
    return basis


def dft_basis(*, n_fft: int = 2048, win_length: int | None = None, window="hann",
              frequencies=None, sr: float = 22050, xp=None, device=None, dtype=None):
    """The windowed real DFT basis that ``stft(..., method='dft')`` multiplies frames by.

    Parameters
    ----------
    n_fft, win_length, window
        As for :func:`stft`: a window name, ``(name, beta)``, or an array of ``win_length``
        (or ``n_fft``) samples.
    frequencies : 1-d array of Hz in ``[0, sr / 2]``, or None
        Evaluate the DFT at these frequencies instead of the ``1 + n_fft // 2`` FFT bins (any
        grid: :func:`frequency_grid` gives nnAudio's linear and logarithmic ones). Default None.
    sr : float > 0
        Sample rate of ``frequencies``. Default 22050.
    xp, device, dtype
        Where to place it; default a float64 NumPy array.

    Returns
    -------
    array, shape ``(n_fft, 2 * n_freqs)``
        Columns ``[:n_freqs]`` are ``w[n] cos(2 pi f_k n / sr)`` and ``[n_freqs:]`` are
        ``-w[n] sin(2 pi f_k n / sr)`` (``f_k = k sr / n_fft`` for the FFT bins), so
        ``frames @ basis`` gives the real and imaginary parts of the windowed spectrum at
        ``f_k``. A fresh array (e.g. to make a trainable parameter).

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> af.dft_basis(n_fft=8).shape
    (8, 10)
    >>> grid = af.frequency_grid(100, fmin=50.0, fmax=6000.0, scale="log")
    >>> y = np.random.default_rng(0).standard_normal(22050)
    >>> af.stft(y, method="dft", dft_basis=af.dft_basis(frequencies=grid, sr=22050)).shape
    (100, 44)
    """
    n_fft, _, win_length = _checks.hop_and_window(n_fft, 1, win_length)
    cycles = None if frequencies is None else _cycles(frequencies, sr)
    spec = named(window)
    if spec is not None:
        return _constants.place(_dft_host, (n_fft, *spec, win_length, cycles), xp=xp,
                                device=device, dtype=dtype, cache=False)
    host = np.asarray(window, dtype=np.float64)
    w = stft_window(host, win_length, n_fft, host, _backend.array_namespace(host))
    return _constants.place(lambda: w[:, None] * _dft_host(n_fft, cycles=cycles), (), xp=xp,
                            device=device, dtype=dtype, cache=False)


def _cycles(frequencies, sr) -> tuple:
    """Frequencies (Hz) as a hashable tuple of cycles per sample, checked."""
    sr = positive_float(sr, "sr")
    f = np.asarray(_backend.to_host(frequencies), dtype=np.float64)
    if f.ndim != 1 or f.size == 0 or not np.all((f >= 0) & (f <= sr / 2)):
        raise ParameterError(
            f"frequencies must be a 1-d array of Hz in [0, sr / 2 = {sr / 2}]. Received: "
            f"frequencies from {f.min() if f.size else None} to {f.max() if f.size else None}"
            f" (shape {f.shape})")
    return tuple((f / sr).tolist())


# --- the shared STFT core --------------------------------------------------------------------

def _stft_core(y, xp, *, n_fft, hop_length, win_length, window, center, pad_mode, method,
               dft_basis, check_finite, then, by_rows=False):
    """``then(spectrum)`` for the windowed spectrum of every frame, time-major.

    ``spectrum`` is ``(..., frames, bins)``: a complex array (method 'fft') or a (real,
    imaginary) pair of real arrays (method 'dft'), so that power spectra never need a complex
    dtype on the 'dft' path. The work runs in blocks of frames where the backend gains from
    it (see ``_blocks.map_frames``), so ``then`` must act on each frame independently.
    """
    n_fft, hop_length, win_length = _checks.hop_and_window(n_fft, hop_length, win_length)
    one_of(method, "method", METHODS)
    if check_finite:
        _checks.finite(y, xp)
    if center:
        if n_fft > y.shape[-1]:  # librosa's warning, word for word
            _checks.user_warning(
                f"n_fft={n_fft} is too large for input signal of length={y.shape[-1]}")
        y = pad(y, n_fft // 2, n_fft // 2, mode=pad_mode, xp=xp)
    else:
        one_of(pad_mode, "pad_mode", PAD_MODES)
    n = y.shape[-1]
    if n < n_fft:
        raise ParameterError(
            f"y has {n} samples, fewer than n_fft={n_fft}, so center=False gives no frame; use "
            f"center=True, a smaller n_fft, or a longer signal."
        )
    transform = frame_transform(y, xp, n_fft=n_fft, win_length=win_length, window=window,
                                method=method, dft_basis=dft_basis)
    return frame_spectra(y, xp, n_fft=n_fft, hop_length=hop_length, transform=transform,
                         then=then, by_rows=by_rows)


def frame_transform(like, xp, *, n_fft, win_length, window, method, dft_basis):
    """The windowed spectrum of frames ``(..., frames, n_fft)`` of ``like``'s namespace,
    device and dtype, for checked parameters: a complex array (method 'fft') or a (real,
    imaginary) pair (method 'dft'). Resolved once, it serves every call with them (a
    stream's steps)."""
    if method == "fft":
        w = stft_window(window, win_length, n_fft, like, xp)

        def transform(block):
            return _blocks.rfft(block * w, n_fft, xp)
    else:
        basis = _dft_basis_for(like, xp, n_fft, win_length, window, dft_basis)
        n_bins = basis.shape[1] // 2

        def transform(block):
            parts = _backend.matmul_last(block, basis, xp)
            return parts[..., :n_bins], parts[..., n_bins:]

    return transform


def frame_spectra(y, xp, *, n_fft, hop_length, transform, then, by_rows=False):
    """``then(transform(frames))`` for every whole frame of ``y`` (no padding), time-major.

    ``by_rows``: ``then`` narrows each frame to far fewer values than its spectrum (a
    filterbank), so a compiler gains from taking one signal at a time (``_blocks.map_rows``;
    where the output is as large as the spectrum, as the STFT's, it loses: 84 against 50 ms
    for the 16 x 10 s STFT under ``jax.jit``)."""
    n_frames = frame_count(y.shape[-1], frame_length=n_fft, hop_length=hop_length)

    def spectra(x):
        return framed_spectra(x, xp, n_fft=n_fft, hop_length=hop_length, n_frames=n_frames,
                              transform=transform, then=then)

    return _blocks.map_rows(spectra, y, xp) if by_rows else spectra(y)


def framed_spectra(y, xp, *, n_fft, hop_length, n_frames, transform, then):
    """``then(transform(frames))`` for the first ``n_frames`` frames of ``y`` (the caller has
    counted them): :func:`frame_spectra` without its map over rows, which a stream's step of
    a frame or two calls directly."""
    frames = _backend.frames(y, n_fft, hop_length, n_frames, xp)
    return _blocks.map_frames(lambda block: then(transform(block)), frames, xp)


def _dft_basis_for(y, xp, n_fft, win_length, window, dft_basis):
    """The windowed basis for method 'dft': the caller's, or built (and cached) from the window."""
    if dft_basis is not None:
        basis = _constants.like(dft_basis, y, xp)
        if basis.ndim != 2 or basis.shape[0] != n_fft or basis.shape[1] % 2 or not basis.shape[1]:
            raise ParameterError(
                f"dft_basis must have shape (n_fft, 2 * n_freqs) with n_fft={n_fft} (e.g. "
                f"{(n_fft, 2 * (n_fft // 2 + 1))} for the FFT bins). Received: dft_basis of shape "
                f"{tuple(basis.shape)}"
            )
        return basis
    where = {"xp": xp, "device": _backend.device_of(y), "dtype": y.dtype}
    spec = named(window)
    if spec is not None:
        return _constants.place(_dft_host, (n_fft, *spec, win_length), **where)
    plain = _constants.place(_dft_host, (n_fft,), **where)
    return stft_window(window, win_length, n_fft, y, xp)[:, None] * plain


def _power(spec, power: float, xp):
    """``|spec| ** power`` for a complex array or a (real, imaginary) pair."""
    if isinstance(spec, tuple):
        squared = spec[0] ** 2 + spec[1] ** 2
    elif power == 1.0:  # librosa's np.abs(S) itself: one pass, no rounding of a square root
        return xp.abs(spec)
    else:
        squared = _backend.abs_squared(spec, xp)
    if power == 2.0:
        return squared
    if power == 1.0:
        return xp.sqrt(squared)
    return squared ** (power / 2.0)


def check_filterbank(filterbank, n_bins: int) -> None:
    """Raise unless ``filterbank`` is ``(n_bands, n_bins)``."""
    if filterbank.ndim != 2 or filterbank.shape[-1] != n_bins:
        raise ParameterError(
            f"The filterbank must have shape (n_bands, {n_bins}) for this spectrum. Received: "
            f"filterbank of shape {tuple(filterbank.shape)}"
        )


def apply_bands(P, filterbank, xp, bands=None):
    """Time-major ``(..., frames, bins)`` through a ``(bands, bins)`` filterbank.

    ``bands``, for a library filterbank (``filterbanks.Bands``), holds its contiguous
    transpose and its block plan: backends that gain from it multiply only the non-zero
    blocks of the filterbank; the result is the same.
    """
    check_filterbank(filterbank, P.shape[-1])
    if bands is None:
        return _backend.matmul_last(P, xp.matrix_transpose(filterbank), xp)
    if bands.blocks is None or not _backend.prefers_block_sparse(xp, math.prod(P.shape[:-1])):
        return _backend.matmul_last(P, bands.dense, xp)
    parts = [_backend.matmul_last(P[..., lo:hi], xp.matrix_transpose(filterbank[start:stop, lo:hi]), xp)
             for start, stop, lo, hi in bands.blocks]
    return xp.concat(parts, axis=-1)


def spectrogram_frames(y, xp, *, power, filterbank=None, bands=None, **stft_params):
    """``|STFT| ** power``, optionally through ``filterbank``: time-major ``(..., frames, bins)``
    (or ``bands``). The features are built on this."""
    power = positive_float(power, "power")
    if filterbank is not None:  # check the shape before any work
        check_filterbank(filterbank, _checks.positive_int(stft_params["n_fft"], "n_fft") // 2 + 1)
    return _stft_core(y, xp, then=power_then(xp, power, filterbank, bands),
                      by_rows=filterbank is not None, **stft_params)


def power_then(xp, power: float, filterbank=None, bands=None):
    """What :func:`spectrogram_frames` does with each block of spectra: ``|.| ** power``,
    then ``filterbank`` (``bands``: its :class:`filterbanks.Bands`), for checked arguments."""
    def then(spec):
        P = _power(spec, power, xp)
        return P if filterbank is None else apply_bands(P, filterbank, xp, bands)

    return then


def as_complex(spec, xp):
    if not isinstance(spec, tuple):
        return spec
    cdtype = _backend.complex_dtype(xp, spec[0].dtype)
    return xp.astype(spec[0], cdtype) + 1j * xp.astype(spec[1], cdtype)


# --- public functions ------------------------------------------------------------------------

@jax_compiled
@fill
def stft(y, /, *, n_fft: int = 2048, hop_length: int | None = None,
         win_length: int | None = None, window="hann", center: bool = True,
         pad_mode: str = "constant", method: str = "fft", dft_basis=None,
         check_finite: bool = False):
    """Short-time Fourier transform, librosa's definition and frame layout.

    Parameters
    ----------
    y : array, shape ``(..., n)``, float32 or float64
        Audio, time on the last axis; leading axes are batch / channels.
    {stft_params}

    Returns
    -------
    S : array, shape ``(..., 1 + n_fft // 2, n_frames)``, complex64 or complex128
        ``S[..., k, t] = sum_n w[n] y[t * hop_length + n] exp(-2j pi k n / n_fft)`` on the
        (centre-padded) signal. {namespace_note}

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> y = np.random.default_rng(0).standard_normal((2, 22050)).astype(np.float32)
    >>> S = af.stft(y, n_fft=1024, hop_length=256)
    >>> S.shape, S.dtype
    ((2, 513, 87), dtype('complex64'))
    """
    xp, y = _checks.float_signal(y)
    spec = _stft_core(y, xp, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                      window=window, center=center, pad_mode=pad_mode, method=method,
                      dft_basis=dft_basis, check_finite=check_finite,
                      then=lambda spec: as_complex(spec, xp))
    return xp.matrix_transpose(spec)


@jax_compiled
@fill
def spectrogram(y, /, *, n_fft: int = 2048, hop_length: int | None = None,
                win_length: int | None = None, window="hann", center: bool = True,
                pad_mode: str = "constant", power: float = 2.0, method: str = "fft",
                dft_basis=None, check_finite: bool = False):
    """Magnitude (``power=1``) or power (``power=2``, default) spectrogram ``|STFT| ** power``.

    Parameters
    ----------
    y : array, shape ``(..., n)``, float32 or float64
    {stft_params}
    power : float > 0
        Exponent of the magnitude: 1 for magnitude, 2 (default) for power.

    Returns
    -------
    array, shape ``(..., 1 + n_fft // 2, n_frames)``, the dtype of ``y``
        {namespace_note}

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> y = np.sin(2 * np.pi * 1000 * np.arange(22050) / 22050)
    >>> P = af.spectrogram(y, n_fft=2048)
    >>> int(P[:, 10].argmax())  # 1000 Hz / (22050 Hz / 2048) ~ bin 93
    93
    """
    xp, y = _checks.float_signal(y)
    P = spectrogram_frames(y, xp, power=power, n_fft=n_fft, hop_length=hop_length,
                           win_length=win_length, window=window, center=center,
                           pad_mode=pad_mode, method=method, dft_basis=dft_basis,
                           check_finite=check_finite)
    return xp.matrix_transpose(P)


def magnitude(S, /):
    """``|S|`` of a complex spectrum: real, float32 for complex64, float64 for complex128."""
    xp, S = _checks.complex_spectrum(S, min_ndim=0)
    return xp.abs(S)


def magphase(D, /, *, power: float = 1):
    """Split a complex spectrum into magnitude and unit phase, librosa's ``magphase``:
    ``D == mag ** (1 / power) * phase``.

    Parameters
    ----------
    D : array, complex
        E.g. an STFT ``(..., freq, frames)``.
    power : float > 0
        Exponent of the magnitude: 1 (default) amplitude, 2 power.

    Returns
    -------
    mag : array, real dtype of ``D``
        ``|D| ** power``.
    phase : array, dtype of ``D``
        ``D / |D|``, and 1 where ``D`` is 0.

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> af.magphase(np.array([3 + 4j, 0j]))
    (array([5., 0.]), array([0.6+0.8j, 1. +0.j ]))
    """
    xp, D = _checks.complex_spectrum(D, "D", min_ndim=0)
    power = _checks.positive_float(power, "power")
    mag = xp.abs(D)
    zero = xp.astype(mag == 0, mag.dtype)
    safe = mag + zero
    unit = as_complex((xp.real(D) / safe + zero, xp.imag(D) / safe), xp)
    return mag ** power, unit


def phase(S, /):
    """The angle of a complex spectrum in radians, in ``(-pi, pi]``; real dtype of ``S``."""
    xp, S = _checks.complex_spectrum(S, min_ndim=0)
    return xp.atan2(xp.imag(S), xp.real(S))
