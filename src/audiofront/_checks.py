"""ParameterError and the argument checks that every public function shares.

Messages name the argument and echo the value received ("Received: n_fft=0"), so a user
can see at once which call went wrong and why.
"""

from __future__ import annotations

import numbers
import os
import sys
import warnings

import numpy as np

from . import _backend

__all__ = ["ParameterError"]


class ParameterError(ValueError):
    """A configuration argument is out of range or inconsistent with the input."""


_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def user_warning(message: str) -> None:
    """``warnings.warn(message, UserWarning)`` attributed to the user's line: the first frame
    outside audiofront, however many of its frames (a decorator, a compat layer, a shared
    helper) and, for a compiled eager JAX call, of jax's tracing machinery lie between."""
    frame, level = sys._getframe(1), 2
    while frame is not None and (frame.f_code.co_filename.startswith(_PACKAGE)
                                 or frame.f_globals.get("__name__", "").startswith("jax")):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, UserWarning, stacklevel=level)


def positive_int(value, name: str, *, allow_zero: bool = False) -> int:
    """Return ``value`` as an ``int`` if it is an integer > 0 (or >= 0), else raise
    ParameterError."""
    if type(value) is int and value >= (0 if allow_zero else 1):  # the common case, quickly
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < (
            0 if allow_zero else 1):
        kind = "a non-negative" if allow_zero else "a positive"
        raise ParameterError(f"{name} must be {kind} integer. Received: {name}={value!r}")
    return int(value)


_INF = float("inf")


def positive_float(value, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a ``float`` if it is a finite real > 0 (or >= 0), else raise."""
    if type(value) is float and (0.0 <= value < _INF if allow_zero else 0.0 < value < _INF):
        return value  # the common case, without the numbers.Real check
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value
    ok = ok and (value >= 0 if allow_zero else value > 0) and value != float("inf")
    if not ok:
        bound = ">= 0" if allow_zero else "> 0"
        raise ParameterError(f"{name} must be a finite number {bound}. Received: {name}={value!r}")
    return float(value)


def one_of(value, name: str, options) -> str:
    """Raise ParameterError unless ``value`` is one of ``options``."""
    if value not in options:
        raise ParameterError(
            f"{name} must be one of {', '.join(repr(o) for o in options)}. Received: {name}={value!r}"
        )
    return value


def hop_and_window(n_fft, hop_length, win_length) -> tuple[int, int, int]:
    """Validate the STFT geometry and fill librosa's defaults (hop n_fft//4, window n_fft)."""
    n_fft = positive_int(n_fft, "n_fft")
    hop_length = n_fft // 4 if hop_length is None else positive_int(hop_length, "hop_length")
    if hop_length == 0:  # n_fft < 4 and no hop given
        raise ParameterError(f"hop_length defaults to n_fft // 4, which is 0 for n_fft={n_fft}; pass hop_length.")
    win_length = n_fft if win_length is None else positive_int(win_length, "win_length")
    if win_length > n_fft:
        raise ParameterError(
            f"win_length must be <= n_fft={n_fft}. Received: win_length={win_length}"
        )
    return n_fft, hop_length, win_length


def stft_config(*, n_fft, hop_length, win_length, pad_mode, method, trainable):
    """The STFT settings an adapter holds, checked once for every framework: ``(n_fft,
    hop_length, win_length, method)``; ``method=None`` means 'dft' when the basis is trainable
    (a learnable basis needs the matrix form), else 'fft'."""
    from .framing import PAD_MODES  # framing imports this module

    if method is None:
        method = "dft" if trainable else "fft"
    one_of(method, "method", ("fft", "dft"))
    if trainable and method != "dft":
        raise ParameterError(
            f"A trainable STFT needs method='dft' (a learnable basis). Received: method={method!r}"
        )
    one_of(pad_mode, "pad_mode", PAD_MODES)
    return (*hop_and_window(n_fft, hop_length, win_length), method)


def mask_config(*, freq_mask_param, time_mask_param, n_freq_masks, n_time_masks, mask_value):
    """SpecAugment's settings, checked once for every framework: four non-negative integers
    and a float."""
    return (positive_int(freq_mask_param, "freq_mask_param", allow_zero=True),
            positive_int(time_mask_param, "time_mask_param", allow_zero=True),
            positive_int(n_freq_masks, "n_freq_masks", allow_zero=True),
            positive_int(n_time_masks, "n_time_masks", allow_zero=True),
            float(mask_value))


def float_signal(y, name: str = "y", *, min_ndim: int = 1):
    """Return ``(xp, y)`` for a real floating-point array, or raise.

    Integer and boolean arrays raise TypeError with the conversion to use; complex arrays raise
    TypeError; arrays with fewer than ``min_ndim`` axes raise ParameterError. Half precision
    (float16, bfloat16) is promoted to float32, the precision the transforms compute in.
    """
    xp = namespace(y, name)
    kind = _backend.dtype_kind(xp, y.dtype)
    if kind == "complex":
        raise TypeError(
            f"{name} must be real-valued audio; received a complex array ({y.dtype}). "
            f"Pass the real part, or a magnitude, explicitly."
        )
    if kind != "real":
        raise TypeError(
            f"{name} must be a floating-point array; received dtype {y.dtype}. Convert integer "
            f"PCM first, e.g. y.astype(np.float32) / 32768 for int16 (torch: y.float() / 32768)."
        )
    if y.ndim < min_ndim:
        raise ParameterError(
            f"{name} must have at least {min_ndim} axis (time last); received a {y.ndim}-d array "
            f"of shape {tuple(y.shape)}."
        )
    if y.dtype not in (xp.float32, xp.float64):
        y = xp.astype(y, xp.float32)
    return xp, y


def complex_spectrum(S, name: str = "S", *, min_ndim: int = 2):
    """Return ``(xp, S)`` for a complex array of at least ``min_ndim`` axes, or raise."""
    xp = namespace(S, name)
    if _backend.dtype_kind(xp, S.dtype) != "complex":
        raise TypeError(f"{name} must be a complex STFT matrix; received dtype {S.dtype}.")
    if S.ndim < min_ndim:
        raise ParameterError(
            f"{name} must have at least {min_ndim} axes (..., freq, frames); received shape "
            f"{tuple(S.shape)}."
        )
    return xp, S


def one_input(y, other, other_name: str, what: str) -> None:
    """Raise unless exactly one of the audio ``y`` and the precomputed ``other`` is given."""
    if (y is None) == (other is None):
        raise ParameterError(
            f"Pass exactly one of y (audio) or {other_name}= ({what}). Received: "
            f"y={'None' if y is None else 'an array'}, "
            f"{other_name}={'None' if other is None else 'an array'}"
        )


def numbers_as_array(x):
    """``(x, scalar)``: Python / NumPy numbers and lists as float64 (complex128) NumPy arrays,
    as librosa takes them (``scalar`` says to return a NumPy scalar); arrays unchanged."""
    scalar = isinstance(x, (numbers.Number, np.generic)) and not hasattr(x, "__array_namespace__")
    if scalar or isinstance(x, (list, tuple)):
        x = np.asarray(x)
        x = x.astype(np.complex128 if np.iscomplexobj(x) else np.float64)
    return x, scalar and x.ndim == 0


def real_array(S, name: str = "S"):
    """Return ``(xp, S)`` for a real floating-point array (spectrograms, dB values)."""
    return float_signal(S, name, min_ndim=0)


def finite(x, xp, name: str = "y") -> None:
    """Raise ParameterError if ``x`` holds NaN or infinity (forces a device sync)."""
    if not bool(xp.all(xp.isfinite(x))):
        raise ParameterError(f"{name} contains NaN or infinite values (check_finite=True).")


def namespace(x, name):
    try:
        return _backend.array_namespace(x)
    except TypeError:
        raise TypeError(
            f"{name} must be an array (NumPy, CuPy, PyTorch, JAX or another array-API array); "
            f"received {type(x).__name__}."
        ) from None
