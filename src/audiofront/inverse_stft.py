"""The inverse STFT: each frame inverse-transformed (by the inverse real FFT, or a matrix
product with a learnable inverse DFT basis), windowed, overlap-added and normalised by the
overlap-added squared window, librosa's definition."""

from __future__ import annotations

import functools

import numpy as np

from . import _backend, _blocks, _checks, _constants
from ._checks import ParameterError, one_of
from ._compiled import jax_compiled
from .framing import overlap_add, pad
from .spectral import METHODS
from .windows import stft_window

__all__ = ["istft", "idft_basis"]


@functools.lru_cache(maxsize=16)
def _idft_host(n_fft: int) -> np.ndarray:
    """(2 * n_bins, n_fft): the rows ``c_k cos(2 pi k n / n_fft) / n_fft`` then
    ``-c_k sin(...) / n_fft``, ``c_k`` 1 for the DC and Nyquist bins and 2 between."""
    k = np.arange(n_fft // 2 + 1)
    angle = (2.0 * np.pi / n_fft) * ((k[:, None] * np.arange(n_fft)[None, :]) % n_fft)
    weight = np.full((k.size, 1), 2.0 / n_fft)  # a bin and its negative-frequency twin
    weight[0] = 1.0 / n_fft
    if n_fft % 2 == 0:  # the Nyquist bin is its own twin
        weight[-1] = 1.0 / n_fft
    basis = np.concatenate([weight * np.cos(angle), -weight * np.sin(angle)], axis=0)
    basis.flags.writeable = False
    return basis


def idft_basis(*, n_fft: int = 2048, xp=None, device=None, dtype=None):
    """The real inverse DFT basis that ``istft(..., method='dft')`` multiplies spectra by.

    Parameters
    ----------
    n_fft : int > 0
        The FFT size. Default 2048.
    xp, device, dtype
        Where to place it; default a float64 NumPy array.

    Returns
    -------
    array, shape ``(2 * (1 + n_fft // 2), n_fft)``
        For a one-sided spectrum ``X`` of ``1 + n_fft // 2`` bins, ``concat([X.real, X.imag])
        @ basis`` is ``irfft(X, n_fft)``: the rows are ``c_k cos(2 pi k n / n_fft) / n_fft``
        then ``-c_k sin(2 pi k n / n_fft) / n_fft``, with ``c_k = 1`` for the DC (and, for even
        ``n_fft``, Nyquist) bin and 2 for the others, whose negative-frequency twins they stand
        for. Unwindowed (the inverse windows after the transform). A fresh array (e.g. to make
        a trainable parameter).

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> X = np.fft.rfft(np.arange(8.0))
    >>> bool(np.allclose(np.concatenate([X.real, X.imag]) @ af.idft_basis(n_fft=8), np.arange(8.0)))
    True
    """
    n_fft = _checks.positive_int(n_fft, "n_fft")
    return _constants.place(_idft_host, (n_fft,), xp=xp, device=device, dtype=dtype, cache=False)


def _idft_basis_for(parts, xp, n_fft, idft_basis):
    """The inverse basis for method 'dft' beside the real ``parts``: the caller's (checked),
    or the cached one."""
    if idft_basis is None:
        return _constants.place(_idft_host, (n_fft,), xp=xp, device=_backend.device_of(parts),
                                dtype=parts.dtype)
    basis = _constants.like(idft_basis, parts, xp)
    want = (2 * (n_fft // 2 + 1), n_fft)
    if tuple(basis.shape) != want:
        raise ParameterError(f"idft_basis must have shape {want} for n_fft={n_fft}. Received: "
                             f"idft_basis of shape {tuple(basis.shape)}")
    return basis


@jax_compiled
def istft(S, /, *, n_fft: int | None = None, hop_length: int | None = None,
          win_length: int | None = None, window="hann", center: bool = True,
          length: int | None = None, method: str = "fft", idft_basis=None):
    """Inverse STFT by weighted overlap-add, librosa's definition.

    Each frame is inverse-transformed, multiplied by the window, overlap-added, and divided by
    the overlap-added squared window wherever that is not negligible. Where the window and hop
    satisfy the NOLA condition, ``istft(stft(y), length=len(y))`` reconstructs ``y`` to rounding
    error.

    Parameters
    ----------
    S : array, shape ``(..., 1 + n_fft // 2, n_frames)``, complex64 or complex128
    n_fft : int or None
        Default ``2 * (S.shape[-2] - 1)``; pass it for odd FFT sizes.
    hop_length, win_length, window, center
        As given to :func:`stft`.
    length : int > 0 or None
        Trim or zero-pad the output to exactly this many samples. Default: the length implied
        by the frame count (``n_fft + hop_length * (n_frames - 1)``, less ``2 * (n_fft // 2)``
        when ``center``).
    method : 'fft' or 'dft'
        How each frame is inverse-transformed: the inverse real FFT (default), or a matrix
        product with :func:`idft_basis` (the form whose basis can be learned, as the forward
        ``method='dft'``; equal to rounding error).
    idft_basis : array or None
        With ``method='dft'``, a ``(2 * (1 + n_fft // 2), n_fft)`` basis to use instead of
        the exact one (e.g. a trainable parameter).

    Returns
    -------
    y : array, shape ``(..., length)``, float32 for complex64 input, float64 for complex128
        Same namespace and device as ``S``.

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> y = np.random.default_rng(0).standard_normal(4000)
    >>> S = af.stft(y, n_fft=512, hop_length=128)
    >>> bool(np.allclose(af.istft(S, hop_length=128, length=4000), y))
    True
    """
    xp, S = _checks.complex_spectrum(S)
    n_bins, n_frames = S.shape[-2], S.shape[-1]
    if n_fft is None:
        n_fft = 2 * (n_bins - 1)
    n_fft, hop_length, win_length = _checks.hop_and_window(n_fft, hop_length, win_length)
    if n_fft // 2 + 1 != n_bins:
        raise ParameterError(
            f"S has {n_bins} frequency bins, but n_fft={n_fft} gives {n_fft // 2 + 1}. "
            f"Received: n_fft={n_fft}, S.shape={tuple(S.shape)}"
        )
    half = n_fft // 2 if center else 0
    if length is not None:
        length = _checks.positive_int(length, "length")
        n_frames = min(n_frames, (length + 2 * half + hop_length - 1) // hop_length)
        expected = length
    else:
        expected = n_fft + hop_length * (n_frames - 1) - 2 * half
    rdtype = _backend.real_dtype(xp, S.dtype)
    spectra = xp.matrix_transpose(S[..., :n_frames])  # (..., frames, bins)
    if one_of(method, "method", METHODS) == "fft":
        frames = _blocks.irfft(spectra, n_fft, xp)
    else:
        parts = xp.concat([xp.real(spectra), xp.imag(spectra)], axis=-1)
        frames = _backend.matmul_last(parts, _idft_basis_for(parts, xp, n_fft, idft_basis), xp)
    w = stft_window(window, win_length, n_fft, frames, xp)
    y = overlap_add(frames * w, hop_length=hop_length)
    norm = overlap_add(xp.broadcast_to(w * w, (n_frames, n_fft)), hop_length=hop_length)
    nonzero = norm > xp.finfo(rdtype).smallest_normal
    y = xp.where(nonzero, y / xp.where(nonzero, norm, xp.ones_like(norm)), y)
    y = y[..., half:half + expected]
    if y.shape[-1] < expected:
        y = pad(y, 0, expected - y.shape[-1], xp=xp)
    return y
