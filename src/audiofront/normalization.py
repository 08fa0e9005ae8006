"""Normalising spectrograms: PCEN, local contrast normalisation, standardisation.

- :func:`pcen`: per-channel energy normalisation (Wang et al. 2017), librosa's definition and
  numbers: each band is divided by a smoothed version of itself raised to ``gain``, then
  compressed. Robust to loudness; the front end of many detection models (and trainable in
  LEAF, Zeghidour et al. 2021).
- :func:`lcn`: local contrast normalisation (Jarrett et al. 2009) over (frequency, time): the
  Gaussian-weighted local mean subtracted, then divided by the local standard deviation.
- :func:`standardize`: zero mean and unit variance per example, or with dataset statistics.

Everything data-dependent is taken per example, over the last two axes, never across a batch.

The PCEN smoother is the first-order IIR ``M[t] = b E[t] + (1 - b) M[t - 1]`` along time,
computed on every backend as a blocked scan in two matrix products, so it runs on GPUs and
compiles under ``jax.jit`` and ``torch.compile`` (on NumPy it also beat ``scipy.signal.lfilter``
over the 16 x 10 s mel batch, 10.0 against 11.6 ms, so there is no separate path): frames are cut
into blocks of ``L`` (64); a lower-triangular ``(L, L)`` Toeplitz matrix of ``b a ** (i - j)``
(``a = 1 - b``) gives every block's zero-state response at once; the state entering each block
follows the same recurrence at block rate (coefficient ``a ** L``), which a second triangular
product over the blocks solves; the state's decay ``a ** (i + 1)`` is added back. Every weight is
at most 1 and decays, so nothing grows: in float32 the result stays within 3e-6 of float64's,
relative to the maximum, on a 30 s mel spectrogram (measured 2.2e-6; tested at 1e-5), where the cumulative-product form
``a ** t * cumsum(x / a ** k)`` overflows its ``a ** -k`` after a few hundred frames.
"""

from __future__ import annotations

import functools
import math
import numbers

import numpy as np

from . import _backend, _checks, _constants
from ._checks import ParameterError, positive_float, positive_int
from .framing import pad

__all__ = ["pcen", "lcn", "standardize", "pcen_smoothing_coefficient"]

_BLOCK = 64  # frames per block of the scan


def pcen_smoothing_coefficient(*, sr: float = 22050, hop_length: int = 512,
                               time_constant: float = 0.4) -> float:
    """librosa's default PCEN smoothing coefficient ``b`` for a time constant in seconds.

    With ``T = time_constant * sr / hop_length`` frames, ``b`` solves ``b ** 2 + (1 - b) / T
    - 2 = 0`` (the full width at half maximum of the filter's squared response):
    ``b = (sqrt(1 + 4 T ** 2) - 1) / (2 T ** 2)``.

    >>> import audiofront as af
    >>> round(af.pcen_smoothing_coefficient(sr=22050, hop_length=512, time_constant=0.4), 6)
    0.056389
    """
    frames = (positive_float(time_constant, "time_constant") * positive_float(sr, "sr")
              / positive_int(hop_length, "hop_length"))
    return float((math.sqrt(1 + 4 * frames ** 2) - 1) / (2 * frames ** 2))


def _scalar_or_bands(value, name, xp, S, *, low, high=None, strict_low=False):
    """A PCEN parameter: a checked Python float, or an array of per-band values placed on S's
    namespace, device and dtype and shaped to broadcast along its frequency axis (-2). Arrays
    are not range-checked (that would force a device sync): the trainable layers keep them in
    range by their parametrisation."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = float(value)
        bad = value != value or value < low or (strict_low and value == low) or (
            high is not None and value > high)
        if bad:
            bounds = f"{'>' if strict_low else '>='} {low}" + (f" and <= {high}" if high else "")
            raise ParameterError(f"{name} must be {bounds}. Received: {name}={value}")
        return value
    arr = _constants.like(value, S, xp)
    if arr.ndim == 0:
        return arr
    if arr.ndim == 1:
        if S.ndim < 2 or arr.shape[0] not in (1, S.shape[-2]):
            raise ParameterError(
                f"A 1-d {name} holds one value per frequency band: {S.shape[-2] if S.ndim > 1 else 1} "
                f"values (or 1). Received: {name} of shape {tuple(arr.shape)}"
            )
        return xp.reshape(arr, (arr.shape[0], 1))
    return arr


def pcen(S, /, *, sr: float = 22050, hop_length: int = 512, gain=0.98, bias=2.0, power=0.5,
         time_constant: float = 0.4, eps: float = 1e-6, b=None, max_size: int = 1, ref=None,
         axis: int = -1, max_axis: int | None = None, zi=None, return_zf: bool = False):
    """Per-channel energy normalisation, librosa.pcen's definition and numbers.

    ``M = lfilter([b], [1, b - 1], E)`` along time (``E`` = ``S``, or its maximum over
    ``max_size`` neighbouring bands), then ``P = (S / (eps + M) ** gain + bias) ** power -
    bias ** power``, computed in log space as librosa does; ``power=0`` gives ``log1p(S / (eps
    + M) ** gain)``, ``bias=0`` gives ``(S / (eps + M) ** gain) ** power``.

    Parameters
    ----------
    S : array, shape ``(..., freq, frames)``, real, non-negative
        A magnitude or power spectrogram (librosa recommends scaling integer-range audio's
        spectra by ``2 ** 31``). Leading axes are batch / channels: each is filtered on its own.
    sr, hop_length : float, int
        Sample rate and hop, which turn ``time_constant`` into frames. Defaults 22050, 512.
    gain : float >= 0, or array of one value per band
        Exponent of the automatic gain control. Default 0.98.
    bias : float >= 0, or array
        Bias of the compression. Default 2.0.
    power : float >= 0, or array
        Compression exponent. Default 0.5.
    time_constant : float > 0
        Smoother time constant in seconds. Default 0.4.
    eps : float > 0
        Keeps the division finite. Default 1e-6.
    b : float in [0, 1], array of one value per band, or None
        Smoothing coefficient; None (default) derives it from ``time_constant`` (see
        :func:`pcen_smoothing_coefficient`).
    max_size : int >= 1
        Frequency extent of a maximum filter applied before smoothing (scipy's
        ``maximum_filter1d`` with its mirrored edges); 1 (default) for none.
    ref : array or None
        The signal to smooth instead of ``S`` (overrides ``max_size``).
    axis : int
        The time axis. Default -1.
    max_axis : int or None
        The axis of the maximum filter. None: the axis before the time axis (frequency), or
        for a 2-d ``S`` the other axis, as librosa.
    zi : array or None
        Initial smoother state, ``lfilter``'s convention (``(1 - b)`` times the previous
        smoothed value), shape broadcastable to ``S`` with the time axis of length 1. None:
        librosa's default, ``lfilter_zi``'s steady state for an input of 1.
    return_zf : bool
        Also return the final state, to pass as ``zi`` with the next chunk: chaining chunks
        this way gives the unchunked result.

    Returns
    -------
    P : array, the shape, namespace, device and dtype of ``S``
    zf : array, ``S``'s shape with the time axis of length 1 (only with ``return_zf``)

    Notes
    -----
    Array-valued ``gain``, ``bias``, ``power`` and ``b`` (the trainable layers pass them) are
    used with the general formula and not range-checked (that would force a device sync):
    they need ``bias > 0``, ``power > 0`` and ``0 < b <= 1``. Likewise a negative ``S`` is an
    error for NumPy input and gives NaN elsewhere.

    ``max_axis=None`` with more than two axes filters along the axis before the time axis
    (frequency, in this library's layout); librosa asks for ``max_axis`` there.

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> S = af.melspectrogram(np.random.default_rng(0).standard_normal(22050), sr=22050)
    >>> P = af.pcen(S * 2 ** 31, sr=22050, hop_length=512)
    >>> P.shape, P.dtype, bool(np.all(P >= 0))
    ((128, 44), dtype('float64'), True)
    """
    xp, S = _checks.real_array(S)
    if S.ndim == 0:
        raise ParameterError("S must have a time axis. Received: a 0-d array")
    if _backend.library(xp) == "numpy" and S.size and float(np.min(S)) < 0:
        # checked on NumPy input only: elsewhere a check would force a device sync
        raise ParameterError(f"S must be non-negative (a magnitude or power spectrogram). "
                             f"Received: S with minimum {float(np.min(S)):.4g}")
    time = _axis(axis, S.ndim, "axis")
    eps = positive_float(eps, "eps")
    max_size = positive_int(max_size, "max_size")
    if b is None:
        b = pcen_smoothing_coefficient(sr=sr, hop_length=hop_length, time_constant=time_constant)
    else:
        positive_float(time_constant, "time_constant")
    S = xp.moveaxis(S, time, -1) if time != S.ndim - 1 else S
    gain = _scalar_or_bands(gain, "gain", xp, S, low=0.0)
    bias = _scalar_or_bands(bias, "bias", xp, S, low=0.0)
    power = _scalar_or_bands(power, "power", xp, S, low=0.0)
    b = _scalar_or_bands(b, "b", xp, S, low=0.0, high=1.0)
    if ref is None:
        ref = S if max_size == 1 else _max_filter(S, max_size, _max_axis(max_axis, time, S.ndim), xp)
    else:
        _, ref = _checks.real_array(ref, "ref")
        ref = xp.moveaxis(ref, time, -1) if time != S.ndim - 1 else ref
    if zi is None:
        zi = 1.0 - b  # lfilter_zi([b], [1, b - 1]): the steady state for an input of 1
    else:
        zi = _constants.like(zi, S, xp)
        zi = xp.moveaxis(zi, time, -1) if zi.ndim == S.ndim and time != S.ndim - 1 else zi
    smooth, zf = _smooth(ref, b, zi, xp)
    # the gain control in log space, as librosa: (eps + M) ** -gain
    agc = xp.exp(-gain * (math.log(eps) + xp.log1p(smooth / eps)))
    if isinstance(power, float) and power == 0:
        out = xp.log1p(S * agc)
    elif isinstance(bias, float) and bias == 0:
        out = xp.exp(power * (xp.log(S) + xp.log(agc)))
    else:
        out = bias ** power * xp.expm1(power * xp.log1p(S * agc / bias))
    if time != S.ndim - 1:
        out, zf = xp.moveaxis(out, -1, time), xp.moveaxis(zf, -1, time)
    return (out, zf) if return_zf else out


# --- trainable PCEN: one parametrisation for every adapter -----------------------------------

def pcen_settings(*, sr=22050, hop_length=512, gain=0.98, bias=2.0, power=0.5,
                  time_constant=0.4, eps=1e-6, b=None, max_size=1,
                  trainable: bool = False) -> dict:
    """A PCEN layer's fixed parameters, checked once for every adapter: ``{'gain', 'bias',
    'power', 'b'}`` as :func:`pcen` takes them, ``b`` derived from ``time_constant`` when None.
    A trainable PCEN (see :func:`pcen_unconstrained`) also needs ``max_size=1`` (each band is
    smoothed on its own) and parameters strictly inside their ranges."""
    if b is None:
        b = pcen_smoothing_coefficient(sr=sr, hop_length=hop_length, time_constant=time_constant)
    fixed = {"gain": gain, "bias": bias, "power": power, "b": b}
    pcen(np.ones((1, 2)), eps=eps, max_size=max_size, **fixed)  # the core's own checks
    if trainable:
        if max_size != 1:
            raise ParameterError(f"A trainable PCEN smooths each band on its own: max_size "
                                 f"must be 1. Received: max_size={max_size}")
        for name, value in fixed.items():
            if not (0 < float(value) and (name != "b" or float(value) < 1)):
                bound = "in (0, 1)" if name == "b" else "> 0"
                raise ParameterError(f"A trainable PCEN learns log({name}) (b: its logit), so "
                                     f"{name} must start {bound}. Received: {name}={value}")
    return fixed


def pcen_unconstrained(fixed: dict, n_bands: int) -> dict:
    """Initial values of the unconstrained tensors a trainable PCEN learns, one per band, from
    :func:`pcen_settings` (``trainable=True``): ``log`` of gain, bias and power and the logit of
    b, so that any step keeps ``gain, bias, power > 0`` and ``0 < b < 1`` (librosa's valid
    ranges, without clipping after the step). Returns ``{name: float64 array of n_bands}``."""
    n_bands = positive_int(n_bands, "n_bands")
    b = float(fixed["b"])
    raw = {"gain": math.log(fixed["gain"]), "bias": math.log(fixed["bias"]),
           "power": math.log(fixed["power"]), "b": math.log(b / (1.0 - b))}
    return {name: np.full(n_bands, value) for name, value in raw.items()}


def pcen_constrained(raw: dict, xp) -> dict:
    """The PCEN keyword arguments from :func:`pcen_unconstrained`'s tensors (any namespace,
    differentiable): ``exp`` of the logs, the logistic function of b's logit."""
    return {"gain": xp.exp(raw["gain"]), "bias": xp.exp(raw["bias"]),
            "power": xp.exp(raw["power"]), "b": 1.0 / (1.0 + xp.exp(-raw["b"]))}


def _axis(axis, ndim, name):
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral) or not -ndim <= axis < ndim:
        raise ParameterError(f"{name} must be an axis of S ({ndim}-d). Received: {name}={axis!r}")
    return int(axis) % ndim


def _max_axis(max_axis, time, ndim):
    """The max filter's axis, counted after the time axis was moved last."""
    if ndim < 2:
        raise ParameterError("Max-filtering (max_size > 1) needs S with a frequency axis; "
                             "received a 1-d S")
    if max_axis is None:
        return -2
    max_axis = _axis(max_axis, ndim, "max_axis")
    if max_axis == time:
        raise ParameterError(f"max_axis must differ from the time axis={time}. Received: "
                             f"max_axis={max_axis}")
    order = [a for a in range(ndim) if a != time] + [time]
    return order.index(max_axis) - ndim


def _max_filter(S, size, axis, xp):
    """scipy.ndimage.maximum_filter1d(S, size, axis) with its 'reflect' edges (mirrored, the
    edge repeated): the maximum over offsets ``-(size // 2) .. (size - 1) // 2``."""
    moved = xp.moveaxis(S, axis, -1) if axis != -1 else S
    n = moved.shape[-1]
    before, after = size // 2, (size - 1) // 2
    padded = pad(moved, before, after, mode="symmetric", xp=xp)
    out = padded[..., 0:n]
    for k in range(1, size):
        out = xp.maximum(out, padded[..., k:k + n])
    return xp.moveaxis(out, -1, axis) if axis != -1 else out


def _smooth(x, b, zi, xp):
    """``(lfilter([b], [1, b - 1], x, zi=zi, axis=-1), zf)``: ``y[t] = b x[t] + z[t - 1]``,
    ``z[t] = (1 - b) y[t]``, ``z[-1] = zi``; so ``y`` is the zero-state response plus
    ``zi a ** t``, and ``zf = a y[-1]``."""
    n = x.shape[-1]
    a = 1.0 - b
    y = _blocked_scan(x, b, xp) + zi * _powers(a, 0, n, x, xp)
    return y, a * y[..., n - 1:n]


def _powers(a, first, count, x, xp):
    """``a ** (first + i)`` for ``i < count`` along the last axis (``a`` a float, or per-band
    values of shape ``(bands, 1)``), in ``x``'s dtype and on its device."""
    exponents = xp.arange(first, first + count, dtype=x.dtype, device=_backend.device_of(x))
    return a ** exponents  # a per-band (bands, 1) array gives (bands, count)


def _blocked_scan(x, b, xp):
    """The zero-state response ``y[t] = sum_k<=t b a ** (t - k) x[k]`` along the last axis, as
    two triangular matrix products (see the module notes)."""
    n = x.shape[-1]
    blocks = -(-n // _BLOCK)
    lead = tuple(x.shape[:-1])
    xb = xp.reshape(pad(x, 0, blocks * _BLOCK - n, xp=xp), lead + (blocks, _BLOCK))
    a = 1.0 - b
    per_band = not isinstance(b, float)  # then (bands, 1): matrices get a leading band axis
    scan = (b[..., None] if per_band else b) * _triangle(a, 0, _BLOCK, x, xp)
    within = _times(xb, scan, xp)  # (..., blocks, L): each block's zero-state response
    if blocks == 1:
        return within[..., 0, :n]
    # the smoothed value entering block k: c[k] = sum_{j<k} (a ** L) ** (k - 1 - j) r[j],
    # r[j] the last output of block j's zero-state response; it reaches frame i of block k
    # as a ** (i + 1)
    last = xp.matrix_transpose(within[..., _BLOCK - 1:_BLOCK])  # (..., 1, blocks)
    entering = xp.matrix_transpose(_times(last, _triangle(a ** _BLOCK, -1, blocks, x, xp), xp))
    decay = _powers(a[..., None] if per_band else a, 1, _BLOCK, x, xp)  # (L,) or (bands, 1, L)
    y = within + entering * decay
    return xp.reshape(y, lead + (blocks * _BLOCK,))[..., :n]


def _times(v, M, xp):
    """``v @ M``: one large GEMM for a shared 2-d ``M``, a batched product for per-band
    ``(bands, k, m)`` matrices."""
    return _backend.matmul_last(v, M, xp) if M.ndim == 2 else v @ M


def _triangle(rate, shift, size, x, xp):
    """``(..., size, size)``: ``rate ** (k - j + shift)`` at row j, column k where that
    exponent is >= 0, else 0, on ``x``'s device in its dtype. A float ``rate`` gives a cached
    host constant; per-band rates ``(bands, 1)`` are built in ``x``'s namespace so that
    gradients reach them."""
    if isinstance(rate, float):
        return _constants.place(_triangle_host, (rate, shift, size), xp=xp,
                                device=_backend.device_of(x), dtype=x.dtype)
    k = xp.arange(size, dtype=x.dtype, device=_backend.device_of(x))
    gap = k[None, :] - k[:, None] + shift
    inside = gap >= 0
    weights = rate[..., None] ** xp.where(inside, gap, xp.zeros_like(gap))
    return xp.where(inside, weights, xp.zeros_like(weights))


@functools.lru_cache(maxsize=32)
def _triangle_host(rate: float, shift: int, size: int) -> np.ndarray:
    k = np.arange(size)
    gap = k[None, :] - k[:, None] + shift
    out = np.where(gap >= 0, rate ** np.maximum(gap, 0), 0.0)
    out.flags.writeable = False
    return out


# --- local contrast normalisation ------------------------------------------------------------

@functools.lru_cache(maxsize=32)
def _gaussian(size: int, std: float) -> np.ndarray:
    """scipy.signal.windows.gaussian(size, std, sym=True), normalised to unit sum."""
    n = np.arange(size) - (size - 1) / 2.0
    w = np.exp(-0.5 * (n / std) ** 2)
    w = w / w.sum()
    w.flags.writeable = False
    return w


def _smooth_2d(S, weights, xp):
    """The 'same'-size correlation of the last two axes with the separable kernel
    ``outer(weights[0], weights[1])``, symmetric edges (mirrored, the edge repeated)."""
    for axis, w in ((-1, weights[1]), (-2, weights[0])):
        moved = xp.matrix_transpose(S) if axis == -2 else S
        half = (len(w) - 1) // 2
        n = moved.shape[-1]
        padded = pad(moved, half, half, mode="symmetric", xp=xp)
        out = float(w[0]) * padded[..., 0:n]
        for k in range(1, len(w)):
            out = out + float(w[k]) * padded[..., k:k + n]
        S = xp.matrix_transpose(out) if axis == -2 else out
    return S


def lcn(S, /, *, kernel_size=(7, 7), sigma=None, eps: float = 1e-8):
    """Local contrast normalisation over (frequency, time), per example (Jarrett et al. 2009).

    With ``k`` the outer product of two Gaussian windows (``scipy.signal.windows.gaussian(
    kernel_size[i], std=sigma[i], sym=True)``) normalised to sum to 1 and ``*`` the 'same'-size
    2-D correlation with symmetric edges (mirrored, the edge sample repeated):
    ``V = S - k * S``, ``s = sqrt(k * V ** 2)``, and the output is ``V / max(s, c, eps)``,
    where ``c`` is the mean of ``s`` over the example's last two axes, so near-silent regions
    are not amplified. Statistics are taken per example (every leading index on its own), never
    across a batch.

    Parameters
    ----------
    S : array, shape ``(..., freq, frames)``, real
        A spectrogram (magnitude, power or decibels).
    kernel_size : int or (int, int), odd
        Extent of the neighbourhood in bins and frames. Default (7, 7).
    sigma : float, (float, float) or None
        Standard deviations of the Gaussians; None (default) is ``kernel_size / 4``.
    eps : float > 0
        Lower bound of the divisor. Default 1e-8.

    Returns
    -------
    array, the shape, namespace, device and dtype of ``S``

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> C = np.abs(af.cqt(np.random.default_rng(0).standard_normal(22050), sr=22050))
    >>> N = af.lcn(C, kernel_size=(5, 9))
    >>> N.shape, N.dtype
    ((84, 44), dtype('float64'))
    """
    xp, S = _checks.real_array(S)
    if S.ndim < 2:
        raise ParameterError(f"S must have (freq, frames) axes. Received: shape {tuple(S.shape)}")
    weights = lcn_weights(kernel_size, sigma)
    for w, axis_size, what in zip(weights, S.shape[-2:], ("freq", "frames"), strict=True):
        if len(w) // 2 > axis_size:
            raise ParameterError(
                f"kernel_size {len(w)} reaches further than the {axis_size} {what} of S "
                f"(half-width {len(w) // 2}). Received: kernel_size={kernel_size!r}, S of shape "
                f"{tuple(S.shape)}"
            )
    eps = positive_float(eps, "eps")
    V = S - _smooth_2d(S, weights, xp)
    local = xp.sqrt(_smooth_2d(V * V, weights, xp))
    floor = xp.mean(local, axis=(-2, -1), keepdims=True)
    return V / xp.maximum(xp.maximum(local, floor), xp.asarray(eps, dtype=S.dtype,
                                                                 device=_backend.device_of(S)))


def lcn_weights(kernel_size=(7, 7), sigma=None) -> tuple:
    """The checked ``(frequency, time)`` Gaussian windows of :func:`lcn`, each normalised to
    unit sum (their outer product is the kernel, which then sums to 1)."""
    sizes = _pair(kernel_size, "kernel_size")
    if any(size % 2 == 0 for size in sizes):
        raise ParameterError(f"kernel_size entries must be odd (an even size has no centre). "
                             f"Received: kernel_size={kernel_size!r}")
    if sigma is None:
        stds = (sizes[0] / 4.0, sizes[1] / 4.0)
    else:
        stds = tuple(positive_float(s, "sigma") for s in _pair(sigma, "sigma", integer=False))
    return _gaussian(sizes[0], stds[0]), _gaussian(sizes[1], stds[1])


def _pair(value, name, *, integer=True):
    values = value if isinstance(value, (tuple, list)) else (value, value)
    if len(values) != 2:
        raise ParameterError(f"{name} must be one value or a (freq, frames) pair. Received: "
                             f"{name}={value!r}")
    if integer:
        return tuple(positive_int(v, name) for v in values)
    return tuple(values)


# --- standardisation -------------------------------------------------------------------------

def standardize(S, /, *, axis=(-2, -1), mean=None, std=None, eps: float = 1e-10):
    """``(S - mean) / (std + eps)``, the statistics per example over ``axis`` or given.

    Parameters
    ----------
    S : array, real
    axis : int or tuple of int
        The axes the mean and the population standard deviation (ddof=0) are taken over, each
        leading index on its own; default ``(-2, -1)``, (frequency, time) of each example.
    mean, std : array, float or None
        Dataset statistics broadcastable to ``S`` instead (both or either; a missing one is
        computed over ``axis``).
    eps : float >= 0
        Added to the standard deviation. Default 1e-10.

    Returns
    -------
    array, the shape, namespace, device and dtype of ``S``

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> Z = af.standardize(np.arange(12.0).reshape(2, 2, 3))
    >>> np.round(Z.mean(axis=(-2, -1)), 12), np.round(Z.std(axis=(-2, -1)), 6)
    (array([0., 0.]), array([1., 1.]))
    """
    xp, S = _checks.real_array(S)
    axes = (axis,) if isinstance(axis, numbers.Integral) else tuple(axis)
    for a in axes:
        _axis(a, S.ndim, "axis")
    eps = positive_float(eps, "eps", allow_zero=True)
    if std is None:  # the population standard deviation of S itself over axes
        centred = S - xp.mean(S, axis=axes, keepdims=True)
        std = xp.sqrt(xp.mean(centred * centred, axis=axes, keepdims=True))
    elif not isinstance(std, numbers.Real):
        std = _constants.like(std, S, xp)
    if mean is None:
        mean = xp.mean(S, axis=axes, keepdims=True)
    elif not isinstance(mean, numbers.Real):
        mean = _constants.like(mean, S, xp)
    return (S - mean) / (std + eps)

