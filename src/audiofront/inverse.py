"""Back from mel spectrograms and MFCCs to STFT magnitudes and audio: librosa.feature.inverse's
algorithms and numbers.

A mel spectrogram has fewer bands than the STFT has bins, so many non-negative spectra give
the same mel spectrogram; librosa picks one by non-negative least squares, minimising
``||mel_basis @ S - M||^2`` over ``S >= 0`` with SciPy's L-BFGS-B, started from the clipped
pseudo-inverse solution and run over blocks of columns of at most 256 KiB of ``M`` at a time
(one solve per block, so the block size is part of the numbers). :func:`nnls` does the same.
The solve runs on the host: the iterations are SciPy's, on NumPy arrays, whatever the input's
namespace, and the result is placed back on the input's device, so the numbers are librosa's
on every backend (and nothing here is differentiable). Griffin-Lim, which follows, runs on the
input's own backend (:func:`audiofront.griffinlim`).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from . import _backend, _checks, _constants
from ._checks import ParameterError, positive_float
from .filterbanks import dct_args, mel_filterbank
from .reconstruction import griffinlim
from .scaling import db_to_power
from .spectral import check_filterbank

__all__ = ["nnls", "mel_to_stft", "mel_to_audio", "mfcc_to_mel", "mfcc_to_audio"]

#: Bytes of the target solved together (librosa's MAX_MEM_BLOCK, 2 ** 8 * 2 ** 10).
BLOCK_BYTES = 2 ** 18


def _objective(x, shape, A, B):
    """``0.5 ||A X - B||^2 / B.size`` and its gradient, for L-BFGS-B's flat ``x``."""
    diff = np.matmul(A, x.reshape(shape)) - B  # float64: L-BFGS-B's x promotes A
    scale = 1.0 / B.size
    return scale * 0.5 * float(np.sum(diff ** 2)), (scale * np.matmul(A.T, diff)).ravel()


def _solve_block(A, B, start, options):
    import scipy.optimize

    options = {"m": A.shape[1], **options}
    x, _, _ = scipy.optimize.fmin_l_bfgs_b(_objective, start, args=(start.shape, A, B),
                                           bounds=[(0, None)] * start.size, **options)
    return x.reshape(start.shape)


def _nnls_host(A, B, options):
    if B.ndim == 1:
        import scipy.optimize

        return scipy.optimize.nnls(A, B)[0]
    start = np.clip(np.matmul(np.linalg.pinv(A), B), 0, None)
    columns = max(1, BLOCK_BYTES // (math.prod(B.shape[:-1]) * A.itemsize))
    if B.shape[-1] <= columns:
        return _solve_block(A, B, start, options).astype(A.dtype)
    for lo in range(0, B.shape[-1], columns):
        hi = min(lo + columns, B.shape[-1])
        start[..., lo:hi] = _solve_block(A, B[..., lo:hi], start[..., lo:hi], options)
    return start


def nnls(A, B, /, **options):
    """Non-negative least squares: the ``X >= 0`` that minimises ``||A @ X - B||^2``,
    librosa's (``librosa.util.nnls``) algorithm and numbers.

    Parameters
    ----------
    A : array, shape ``(m, n)``
        The basis (e.g. a mel filterbank, ``m`` bands by ``n`` bins).
    B : array, shape ``(..., m, N)`` or ``(m,)``
        The targets; leading axes are solved together with the columns, as librosa does. A
        1-d ``B`` is solved exactly by ``scipy.optimize.nnls``.
    **options
        Passed to ``scipy.optimize.fmin_l_bfgs_b`` (e.g. ``maxiter``, ``pgtol``); ``m``
        defaults to ``n``.

    Returns
    -------
    array, shape ``(..., n, N)`` (or ``(n,)``), non-negative, in ``A``'s dtype, the namespace
    and device of ``B``

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> A = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
    >>> X = af.nnls(A, np.array([[2.0], [-1.0]]))
    >>> bool((X >= 0).all()), X.shape
    (True, (3, 1))
    """
    xp, B = _checks.float_signal(B, "B")
    A_host, B_host = np.asarray(_backend.to_host(A)), _backend.to_host(B)
    if A_host.ndim != 2 or A_host.shape[0] != B_host.shape[-2 if B_host.ndim > 1 else -1]:
        raise ParameterError(f"A must be (m, n) with m = the targets' second-last axis (the "
                             f"last for 1-d B). Received: A of shape {A_host.shape}, B of shape "
                             f"{B_host.shape}")
    if A_host.dtype.kind != "f":
        A_host = A_host.astype(B_host.dtype)
    X = _nnls_host(A_host, B_host, options)
    return xp.asarray(X, device=_backend.device_of(B))


def mel_to_stft(M, /, *, sr: float = 22050, n_fft: int = 2048, power: float = 2.0,
                fmin: float = 0.0, fmax: float | None = None, htk: bool = False,
                norm="slaney", mel_basis=None):
    """STFT magnitudes whose mel spectrogram approximates ``M``: the non-negative least-squares
    inverse of the mel filterbank (:func:`nnls`), then the ``1 / power`` root, as
    ``librosa.feature.inverse.mel_to_stft``.

    Parameters
    ----------
    M : array, shape ``(..., n_mels, frames)``, float32 or float64
        A mel spectrogram of ``|STFT| ** power`` (e.g. :func:`melspectrogram`'s).
    sr, n_fft
        The sample rate and FFT size of the STFT it came from (defaults 22050, 2048).
    power : float > 0
        The exponent ``M`` was made with. Default 2 (power).
    fmin, fmax, htk, norm
        Its filterbank, as for :func:`mel_filterbank` (``n_mels`` is ``M``'s band count),
        built in ``M``'s dtype, as librosa does.
    mel_basis : array or None
        The ``(n_mels, 1 + n_fft // 2)`` filterbank itself, instead of its parameters.

    Returns
    -------
    array, shape ``(..., 1 + n_fft // 2, frames)``, the namespace, device and dtype of ``M``
        Non-negative magnitudes. The solve runs on the host (module docstring).

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> y = np.random.default_rng(0).standard_normal(4096).astype(np.float32)
    >>> M = af.melspectrogram(y, n_fft=512, hop_length=256, n_mels=32)
    >>> af.mel_to_stft(M, n_fft=512).shape
    (257, 17)
    """
    xp, M = _checks.float_signal(M, "M", min_ndim=2)
    power = positive_float(power, "power")
    host_dtype = np.float32 if M.dtype == xp.float32 else np.float64
    if mel_basis is None:
        basis = mel_filterbank(sr=sr, n_fft=n_fft, n_mels=M.shape[-2], fmin=fmin, fmax=fmax,
                               htk=htk, norm=norm, dtype=host_dtype)
    else:
        basis = np.asarray(_backend.to_host(mel_basis), dtype=host_dtype)
        if basis.ndim != 2 or basis.shape[0] != M.shape[-2]:
            raise ParameterError(f"mel_basis must be (n_mels, n_bins) with n_mels = M's "
                                 f"{M.shape[-2]} bands. Received: mel_basis of shape "
                                 f"{basis.shape}")
    check_filterbank(basis, _checks.positive_int(n_fft, "n_fft") // 2 + 1)
    S = nnls(basis, M)
    return S ** (1.0 / power) if power != 1.0 else S


def mel_to_audio(M, /, *, sr: float = 22050, n_fft: int = 2048, hop_length: int | None = None,
                 win_length: int | None = None, window="hann", center: bool = True,
                 pad_mode: str = "constant", power: float = 2.0, n_iter: int = 32,
                 length: int | None = None, fmin: float = 0.0, fmax: float | None = None,
                 htk: bool = False, norm="slaney", mel_basis=None, momentum: float = 0.99,
                 init: str | None = "random", random_state=None):
    """Audio whose mel spectrogram approximates ``M``: :func:`mel_to_stft`, then
    :func:`griffinlim`, as ``librosa.feature.inverse.mel_to_audio``.

    The parameters are :func:`mel_to_stft`'s and :func:`griffinlim`'s (``momentum``,
    ``init`` and ``random_state`` are fixed at librosa's defaults there; here they may be
    set, and ``init=None`` makes the result deterministic).

    Returns
    -------
    array, shape ``(..., n)``, the namespace, device and dtype of ``M``

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> y = np.sin(2 * np.pi * 440 * np.arange(8192) / 22050).astype(np.float32)
    >>> M = af.melspectrogram(y, n_fft=1024, hop_length=256)
    >>> af.mel_to_audio(M, n_fft=1024, hop_length=256, n_iter=4, init=None).shape
    (8192,)
    """
    S = mel_to_stft(M, sr=sr, n_fft=n_fft, power=power, fmin=fmin, fmax=fmax, htk=htk,
                    norm=norm, mel_basis=mel_basis)
    return griffinlim(S, n_iter=n_iter, hop_length=hop_length, win_length=win_length,
                      n_fft=n_fft, window=window, center=center, length=length,
                      pad_mode=pad_mode, momentum=momentum, init=init,
                      random_state=random_state)


@functools.lru_cache(maxsize=32)
def _idct_host(n_mfcc: int, n_mels: int, norm, dct_type: int) -> np.ndarray:
    """``(n_mels, n_mfcc)``: scipy's inverse DCT of ``n_mfcc`` coefficients zero-padded to
    ``n_mels`` (``idct(c, n=n_mels)``), as a matrix (the map applied to the identity)."""
    import scipy.fft

    out = scipy.fft.idct(np.eye(n_mfcc), n=n_mels, axis=0, type=dct_type, norm=norm)
    out.flags.writeable = False
    return out


def mfcc_to_mel(mfcc, /, *, n_mels: int = 128, dct_type: int = 2, norm: str | None = "ortho",
                ref: float = 1.0, lifter: float = 0.0):
    """A mel power spectrogram from MFCCs: undo the lifter, the inverse DCT (the cepstrum
    zero-padded to ``n_mels`` coefficients), then :func:`db_to_power`, as
    ``librosa.feature.inverse.mfcc_to_mel``.

    Parameters
    ----------
    mfcc : array, shape ``(..., n_mfcc, frames)``, float32 or float64
    n_mels : int >= n_mfcc
        Mel bands to return. Default 128.
    dct_type, norm, lifter
        As given to :func:`mfcc` (defaults 2, 'ortho', 0: no lifter).
    ref : float
        The ``ref`` of the decibels. Default 1.0.

    Returns
    -------
    array, shape ``(..., n_mels, frames)``, the namespace, device and dtype of ``mfcc``
    """
    xp, mfcc = _checks.float_signal(mfcc, "mfcc", min_ndim=2)
    n_mfcc = mfcc.shape[-2]
    lifter = float(lifter)
    if not lifter >= 0:
        raise ParameterError(f"lifter must be a number >= 0. Received: lifter={lifter}")
    dev = _backend.device_of(mfcc)
    if lifter > 0:
        k = np.arange(1, n_mfcc + 1, dtype=np.float64)
        sine = 1.0 + 0.5 * lifter * np.sin(np.pi * k / lifter)
        if np.any(np.abs(sine) < np.finfo(np.float64 if mfcc.dtype == xp.float64
                                            else np.float32).eps):
            _checks.user_warning("The lifter's weights 1 + lifter / 2 sin(pi k / lifter) come "
                                 "near zero for some coefficient k: dividing by them may overflow "
                                 "(librosa: 'lifter array includes critical values that may "
                                 "invoke underflow').")
        tiny = float(xp.finfo(mfcc.dtype).smallest_normal)
        mfcc = mfcc / xp.asarray(sine[:, None] + tiny, dtype=mfcc.dtype, device=dev)
    args = dct_args(n_mfcc, n_mels, norm, dct_type, names=("n_mfcc", "n_mels"))
    inverse = _constants.place(_idct_host, args, xp=xp, device=dev, dtype=mfcc.dtype)
    return db_to_power(inverse @ mfcc, ref=ref)


def mfcc_to_audio(mfcc, /, *, n_mels: int = 128, dct_type: int = 2, norm: str | None = "ortho",
                  ref: float = 1.0, lifter: float = 0.0, **mel_to_audio_params):
    """Audio from MFCCs: :func:`mfcc_to_mel`, then :func:`mel_to_audio` (its keyword
    parameters), as ``librosa.feature.inverse.mfcc_to_audio``.

    Returns
    -------
    array, shape ``(..., n)``, the namespace, device and dtype of ``mfcc``
    """
    M = mfcc_to_mel(mfcc, n_mels=n_mels, dct_type=dct_type, norm=norm, ref=ref, lifter=lifter)
    return mel_to_audio(M, **mel_to_audio_params)
