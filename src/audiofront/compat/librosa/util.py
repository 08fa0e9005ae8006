"""``librosa.util``: framing and non-negative least squares."""

from __future__ import annotations

import array_api_compat

import audiofront as _af

from ... import ParameterError

__all__ = ["frame", "nnls"]


def frame(x, *, frame_length, hop_length, axis=-1, writeable=False, subok=False):
    """librosa.util.frame: :func:`audiofront.frame` along any axis, in librosa's layout.

    Framing axis ``axis`` of ``(..., n, ...)`` gives ``(..., n_frames, frame_length, ...)`` for
    a non-negative ``axis`` and ``(..., frame_length, n_frames, ...)`` for a negative one (so
    ``axis=-1`` puts frames last). The result is a new array, so ``writeable`` and ``subok``
    change nothing."""
    xp = array_api_compat.array_namespace(x)
    if not -x.ndim <= axis < x.ndim:
        raise ParameterError(f"axis is out of range for an array of {x.ndim} axes. "
                             f"Received: axis={axis}")
    frames = _af.frame(xp.moveaxis(x, axis, -1), frame_length=frame_length,
                       hop_length=hop_length)  # (..., n_frames, frame_length)
    if axis < 0:
        return xp.moveaxis(frames, (-1, -2), (frames.ndim + axis - 1, frames.ndim + axis))
    return xp.moveaxis(frames, (-2, -1), (axis, axis + 1))


def nnls(A, B, **kwargs):
    """librosa.util.nnls: :func:`audiofront.nnls` (``**kwargs`` go to
    ``scipy.optimize.fmin_l_bfgs_b``)."""
    return _af.nnls(A, B, **kwargs)
