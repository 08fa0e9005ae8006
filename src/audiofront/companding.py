"""Mu-law companding, in the two conventions users know.

- :func:`mu_law_encode` / :func:`mu_law_decode`: integer codes ``0 .. mu`` (``mu =
  quantization_channels - 1``), the convention of torchaudio, kapre and WaveNet code.
- :func:`mu_compress` / :func:`mu_expand`: librosa's, continuous in ``[-1, 1]`` or, quantised,
  signed integers ``-(mu + 1) // 2 .. (mu - 1) // 2``.

Input outside ``[-1, 1]`` is clipped to it (a range check would force a device sync); scale
audio to ``[-1, 1]`` first.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from . import _backend, _checks, _constants
from ._checks import ParameterError, positive_int

__all__ = ["mu_law_encode", "mu_law_decode", "mu_compress", "mu_expand"]


def _compress(x, mu: float, xp):
    x = xp.clip(x, min=-1.0, max=1.0)
    return xp.sign(x) * xp.log1p(mu * xp.abs(x)) / math.log1p(mu)


def _expand(x, mu: float, xp):
    return xp.sign(x) * xp.expm1(xp.abs(x) * math.log1p(mu)) / mu


def _default_int(xp, x):
    return xp.__array_namespace_info__().default_dtypes(device=_backend.device_of(x))["integral"]


def mu_law_encode(x, /, *, quantization_channels: int = 256):
    """Mu-law encode audio in ``[-1, 1]`` to integer codes ``0 .. quantization_channels - 1``.

    ``code = floor((F(x) + 1) / 2 * mu + 0.5)`` with ``F(x) = sign(x) log(1 + mu |x|) / log(1 +
    mu)`` and ``mu = quantization_channels - 1``; torchaudio's and kapre's convention. Input
    outside ``[-1, 1]`` is clipped.

    Parameters
    ----------
    x : array, real floating point, any shape
    quantization_channels : int >= 2
        Number of codes; 256 (default) for 8-bit mu-law.

    Returns
    -------
    array of the namespace's default integer dtype (int64; int32 on JAX without x64), same
    shape, namespace and device as ``x``.

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> af.mu_law_encode(np.array([-1.0, 0.0, 1.0]))
    array([  0, 128, 255])
    """
    xp, x = _checks.real_array(x, "x")
    mu = float(_channels(quantization_channels) - 1)
    codes = xp.floor((_compress(x, mu, xp) + 1.0) / 2.0 * mu + 0.5)
    return xp.astype(codes, _default_int(xp, x))


def mu_law_decode(codes, /, *, quantization_channels: int = 256, dtype=None):
    """Decode integer codes from :func:`mu_law_encode` back to audio in ``[-1, 1]``.

    Parameters
    ----------
    codes : array of integers (or floats) in ``0 .. quantization_channels - 1``
    quantization_channels : int >= 2
        Default 256.
    dtype : floating dtype of the codes' namespace or None
        Output dtype; default float32.

    Returns
    -------
    array, same shape, namespace and device as ``codes``
    """
    xp = _backend.array_namespace(codes)
    mu = float(_channels(quantization_channels) - 1)
    dtype = xp.float32 if dtype is None else dtype
    y = xp.astype(codes, dtype) / mu * 2.0 - 1.0
    return _expand(y, mu, xp)


def _channels(quantization_channels):
    q = positive_int(quantization_channels, "quantization_channels")
    if q < 2:
        raise _checks.ParameterError(
            f"quantization_channels must be >= 2. Received: quantization_channels={q}"
        )
    return q


@functools.lru_cache(maxsize=16)
def _bin_edges(mu: float) -> np.ndarray:
    edges = np.linspace(-1, 1, num=int(1 + mu), endpoint=True)
    edges.flags.writeable = False
    return edges


def mu_compress(x, /, *, mu: float = 255, quantize: bool = True):
    """librosa's mu-law compression.

    Parameters
    ----------
    x : array, real floating point, values in ``[-1, 1]`` (others are a ParameterError, as
        in librosa); a number or list is taken as float64 (a number gives a NumPy scalar)
    mu : float > 0
        Compression parameter; ``mu + 1`` quantisation levels. Default 255.
    quantize : bool
        True (default): signed integer codes in ``-(mu + 1) // 2 .. (mu - 1) // 2`` (librosa's
        binning into ``mu + 1`` equal bins of ``[-1, 1]``), in the namespace's default integer
        dtype. False: the continuous compressed value, in ``x``'s dtype.

    Returns
    -------
    array, same shape, namespace and device as ``x``
    """
    x, scalar = _checks.numbers_as_array(x)
    xp, x = _checks.real_array(x, "x")
    mu = _checks.positive_float(mu, "mu")
    _check_unit_range(x, xp)
    y = _compress(x, mu, xp)
    if quantize:
        edges = _constants.place(_bin_edges, (mu,), xp=xp, device=_backend.device_of(x),
                                 dtype=x.dtype)
        flat = xp.reshape(y, (-1,))
        index = xp.reshape(xp.searchsorted(edges, flat, side="left"), tuple(y.shape))
        y = xp.astype(index, _default_int(xp, x)) - int(mu + 1) // 2
    return y[()] if scalar else y


def mu_expand(x, /, *, mu: float = 255, quantize: bool = True, dtype=None):
    """librosa's mu-law expansion, the inverse of :func:`mu_compress`.

    Parameters
    ----------
    x : array, number or list
        Codes from ``mu_compress(..., quantize=True)`` (integers), or continuous values in
        ``[-1, 1]`` with ``quantize=False``. Numbers and lists are taken as float64.
    mu : float > 0
        Default 255.
    quantize : bool
        Whether ``x`` holds quantised codes (default True).
    dtype : floating dtype or None
        Output dtype for integer input; default float32. Floating input keeps its dtype.

    Returns
    -------
    array in ``[-1, 1]``, same shape, namespace and device as ``x``
    """
    x, scalar = _checks.numbers_as_array(x)
    xp = _backend.array_namespace(x)
    mu = _checks.positive_float(mu, "mu")
    if _backend.dtype_kind(xp, x.dtype) != "real":
        x = xp.astype(x, xp.float32 if dtype is None else dtype)
    if quantize:
        x = x * (2.0 / (1.0 + mu))
    _check_unit_range(x, xp)
    y = _expand(x, mu, xp)
    return y[()] if scalar else y


def _check_unit_range(x, xp):
    """librosa's check of mu-law input (codes scaled to [-1, 1] first): a device sync."""
    if x.size and not bool(xp.all(xp.abs(x) <= 1.0)):
        raise ParameterError(
            f"mu-law input x must be in the range [-1, +1]. Received: values from "
            f"{float(xp.min(x)):.6g} to {float(xp.max(x)):.6g}"
        )
