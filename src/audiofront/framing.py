"""Framing, overlap-add and signal padding along the last (time) axis."""

from __future__ import annotations

from . import _backend
from ._checks import ParameterError, one_of, positive_int

__all__ = ["frame", "overlap_add", "frame_count", "pad", "PAD_MODES"]

PAD_MODES = ("constant", "reflect", "symmetric", "edge", "wrap")


def frame_count(n_samples: int, *, frame_length: int, hop_length: int, center: bool = False,
                pad_end: bool = False) -> int:
    """Number of frames produced from ``n_samples`` samples.

    ``center=True`` counts as librosa's STFT does (``1 + n // hop``, the signal padded by
    ``frame_length // 2`` on both sides); ``pad_end=True`` as tf.signal.frame does
    (``ceil(n / hop)``); otherwise only whole frames count (``1 + (n - frame_length) // hop``,
    0 when the signal is shorter than one frame). This is the function the layers'
    output-shape computations use.
    """
    if center:
        return 1 + n_samples // hop_length
    if pad_end:
        return (n_samples + hop_length - 1) // hop_length
    return max(0, 1 + (n_samples - frame_length) // hop_length)


def pad(x, before: int, after: int, *, mode: str = "constant", xp=None):
    """Pad the last axis of ``x`` by ``before`` and ``after`` samples.

    ``mode`` is ``'constant'`` (zeros), ``'reflect'`` (mirror without repeating the edge
    sample, NumPy's 'reflect'), ``'symmetric'`` (mirror repeating it, NumPy's 'symmetric'),
    ``'edge'`` (repeat the edge sample) or ``'wrap'`` (periodic). 'reflect' needs more than
    ``before`` and ``after`` samples, the others at least that many.
    """
    if xp is None:
        xp = _backend.array_namespace(x)
    one_of(mode, "pad_mode", PAD_MODES)
    if before == 0 and after == 0:
        return x
    n = x.shape[-1]
    if mode == "constant":
        return _backend.pad_constant(x, [(0, 0)] * (x.ndim - 1) + [(before, after)], xp)
    need = max(before, after) + (1 if mode == "reflect" else 0)
    if n < need or n == 0:
        raise ParameterError(
            f"pad_mode={mode!r} needs a signal of at least {need} samples to pad {before} and "
            f"{after} samples; received {n}. Use pad_mode='constant' or a longer signal."
        )
    if mode == "reflect":
        left = xp.flip(x[..., 1:before + 1], axis=-1)
        right = xp.flip(x[..., n - 1 - after:n - 1], axis=-1)
    elif mode == "symmetric":
        left = xp.flip(x[..., :before], axis=-1)
        right = xp.flip(x[..., n - after:], axis=-1)
    elif mode == "edge":
        lead = tuple(x.shape[:-1])
        left = xp.broadcast_to(x[..., :1], lead + (before,))
        right = xp.broadcast_to(x[..., n - 1:], lead + (after,))
    else:  # wrap
        left, right = x[..., n - before:], x[..., :after]
    return xp.concat([left, x, right], axis=-1)


def frame(x, /, *, frame_length: int, hop_length: int, pad_end: bool = False,
          pad_value: float = 0.0):
    """Slice the last axis of ``x`` into overlapping frames.

    Parameters
    ----------
    x : array, shape ``(..., n)``, real or complex floating point
        Signal; leading axes are batch / channels.
    frame_length : int > 0
        Samples per frame.
    hop_length : int > 0
        Samples between the starts of consecutive frames.
    pad_end : bool
        False (default): only whole frames (``1 + (n - frame_length) // hop_length`` of them).
        True: pad the end with ``pad_value`` so that every sample lies in a frame
        (``ceil(n / hop_length)`` frames, tf.signal.frame's convention).

    Returns
    -------
    array, shape ``(..., n_frames, frame_length)``
        Same namespace, device and dtype as ``x``. On NumPy, CuPy and torch this is a view of
        ``x`` (no copy; read-only on NumPy) when ``pad_end`` adds nothing.

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> af.frame(np.arange(6.0), frame_length=4, hop_length=2)
    array([[0., 1., 2., 3.],
           [2., 3., 4., 5.]])
    """
    xp = _backend.array_namespace(x)
    if x.ndim < 1:
        raise ParameterError("x must have at least one axis; received a 0-d array.")
    frame_length = positive_int(frame_length, "frame_length")
    hop_length = positive_int(hop_length, "hop_length")
    n = x.shape[-1]
    n_frames = frame_count(n, frame_length=frame_length, hop_length=hop_length, pad_end=pad_end)
    if pad_end:
        extra = max(0, (n_frames - 1) * hop_length + frame_length - n)
        if extra:
            x = _backend.pad_constant(x, [(0, 0)] * (x.ndim - 1) + [(0, extra)], xp, pad_value)
    elif n_frames == 0:
        raise ParameterError(
            f"x has {n} samples, fewer than frame_length={frame_length}; pass pad_end=True or a "
            f"longer signal."
        )
    return _backend.frames(x, frame_length, hop_length, n_frames, xp)


def overlap_add(frames, /, *, hop_length: int):
    """Sum overlapping frames back into a signal (the adjoint of :func:`frame`).

    Parameters
    ----------
    frames : array, shape ``(..., n_frames, frame_length)``
    hop_length : int > 0

    Returns
    -------
    array, shape ``(..., (n_frames - 1) * hop_length + frame_length)``
        Same namespace, device and dtype as ``frames``.

    Notes
    -----
    Implemented without scatter: each frame is cut into ``ceil(frame_length / hop_length)``
    blocks of ``hop_length`` samples, and block ``r`` of frame ``t`` lands on output block
    ``t + r``, so the result is a sum of that many shifted copies of the block array. This works
    with autograd and under ``jax.jit`` / ``torch.compile``.
    """
    xp = _backend.array_namespace(frames)
    if frames.ndim < 2:
        raise ParameterError(
            f"frames must have shape (..., n_frames, frame_length); received shape {tuple(frames.shape)}."
        )
    hop_length = positive_int(hop_length, "hop_length")
    n_frames, length = frames.shape[-2], frames.shape[-1]
    blocks = (length + hop_length - 1) // hop_length
    lead = [(0, 0)] * (frames.ndim - 2)
    if blocks * hop_length > length:
        frames = _backend.pad_constant(frames, lead + [(0, 0), (0, blocks * hop_length - length)], xp)
    split = xp.reshape(frames, tuple(frames.shape[:-1]) + (blocks, hop_length))
    out = None
    for r in range(blocks):
        shifted = _backend.pad_constant(split[..., r, :], lead + [(r, blocks - 1 - r), (0, 0)], xp)
        out = shifted if out is None else out + shifted
    out = xp.reshape(out, tuple(out.shape[:-2]) + ((n_frames + blocks - 1) * hop_length,))
    return out[..., :(n_frames - 1) * hop_length + length]

