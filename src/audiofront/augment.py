"""Deterministic pieces of data augmentation; the adapters draw the random numbers."""

from __future__ import annotations

from . import _backend, _checks

__all__ = ["mask_stripes"]


def mask_stripes(S, /, *, start, width, axis: int = -1, value: float = 0.0):
    """Set a stripe ``start <= i < start + width`` along ``axis`` of each example to ``value``.

    The building block of SpecAugment's time and frequency masks.

    Parameters
    ----------
    S : array, shape ``(..., freq, frames)``, real floating point
    start, width : int or integer array of shape ``S.shape[:-2]``
        One stripe per example (over the last two axes). A width of 0 masks nothing.
    axis : {-1, -2}
        -1 masks frames (time), -2 frequency bins.
    value : float
        What the stripe is set to. Default 0.

    Returns
    -------
    array, same shape, namespace, device and dtype as ``S``

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> af.mask_stripes(np.ones((2, 6)), start=1, width=3)
    array([[1., 0., 0., 0., 1., 1.],
           [1., 0., 0., 0., 1., 1.]])
    """
    xp, S = _checks.float_signal(S, "S", min_ndim=2)
    _checks.one_of(axis, "axis", (-1, -2))
    dev = _backend.device_of(S)
    index = xp.__array_namespace_info__().default_dtypes(device=dev)["indexing"]
    pos = xp.arange(S.shape[axis], dtype=index, device=dev)
    if axis == -2:
        pos = pos[:, None]

    def per_example(v):
        v = xp.asarray(v, dtype=index, device=dev) if not hasattr(v, "shape") else v
        return xp.reshape(v, tuple(v.shape) + (1, 1))

    lo = per_example(start)
    inside = (pos >= lo) & (pos < lo + per_example(width))
    return xp.where(inside, xp.asarray(value, dtype=S.dtype, device=dev), S)
