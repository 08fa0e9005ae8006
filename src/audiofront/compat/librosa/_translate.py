"""What the librosa namespace shares: librosa's ``dtype=`` and ``out=`` arguments expressed in
the core's terms."""

from __future__ import annotations

import array_api_compat
import numpy as np

from ... import ParameterError

# librosa's dtype= names the result's dtype; the core computes in the input's precision
_PRECISION = {"complex64": "float32", "complex128": "float64", "float32": "float32",
              "float64": "float64"}


def in_precision(x, dtype, *, name="dtype", complex_result=True):
    """``x`` cast to the real floating dtype whose computation gives librosa's ``dtype``
    (complex64 / float32: float32, complex128 / float64: float64); ``x`` itself for None.

    ``x`` is the input to transform (real audio, or a complex spectrum for the inverses,
    which are cast to the matching complex dtype)."""
    if dtype is None:
        return x
    try:
        wanted = np.dtype(dtype)
    except TypeError:
        wanted = None
    kind = "c" if complex_result else "f"
    if wanted is None or wanted.kind != kind or wanted.name not in _PRECISION:
        what = "complex64 or complex128" if complex_result else "float32 or float64"
        raise ParameterError(f"{name} must be None, {what}. Received: {name}={dtype!r}")
    xp = array_api_compat.array_namespace(x)
    real = getattr(xp, _PRECISION[wanted.name])
    if xp.isdtype(x.dtype, "complex floating"):
        target = getattr(xp, "complex64" if real == xp.float32 else "complex128")
        return xp.astype(x, target)
    return xp.astype(x, real)


def into(out, result, *, grow_last: bool):
    """librosa's ``out=``: ``result`` written into the caller's array, which is returned
    (trimmed on the last axis to the result's length when ``grow_last``: librosa's STFT takes
    an ``out`` with more frames than it needs and returns the view of the frames it wrote)."""
    if out is None:
        return result
    shape, have = tuple(result.shape), tuple(out.shape)
    fits = have[:-1] == shape[:-1] and have[-1] >= shape[-1] if grow_last else have == shape
    if not fits:
        raise ParameterError(f"out must have shape {shape}{' or more frames' if grow_last else ''}. "
                             f"Received: out.shape={have}")
    n = shape[-1]
    try:
        out[..., :n] = result
    except (TypeError, ValueError) as error:
        raise ParameterError(f"out must be an array that supports item assignment (NumPy, CuPy, "
                             f"torch). Received: out of type {type(out).__name__}") from error
    return out if have[-1] == n else out[..., :n]


def whole_array(to_db, S, **params):
    """``to_db(S, **params)`` with its data-dependent parts (``top_db``, a callable ``ref``)
    taken over the whole array, as librosa: the core takes them over each example's last two
    axes, so an array of more axes goes in as one flat example."""
    if isinstance(S, (list, tuple)):
        S = np.asarray(S)
    if getattr(S, "ndim", 0) <= 2:
        return to_db(S, **params)
    xp = array_api_compat.array_namespace(S)
    return xp.reshape(to_db(xp.reshape(S, (-1,)), **params), tuple(S.shape))


def default_float(x):
    """The default real floating dtype of ``x``'s namespace on its device (NumPy: float64)."""
    if not hasattr(x, "shape"):
        return None  # numbers and lists: the core makes float64 NumPy of them
    xp = array_api_compat.array_namespace(x)
    return xp.__array_namespace_info__().default_dtypes(
        device=array_api_compat.device(x))["real floating"]
