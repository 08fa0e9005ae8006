"""The part of the array API standard that audiofront's core uses, over TensorFlow.

array-api-compat has no TensorFlow namespace yet; this one is kept to what the core calls
(and grows only with it). When a maintained namespace exists, it replaces this file. Shapes
may hold None (an unknown batch size inside ``tf.function``): ``reshape`` and
``broadcast_to`` resolve them at run time.
"""

from __future__ import annotations

import builtins
import types

import numpy as np
import tensorflow as tf

float32, float64 = tf.float32, tf.float64
complex64, complex128 = tf.complex64, tf.complex128
int32, int64, bool = tf.int32, tf.int64, tf.bool  # noqa: A001 - the standard's names


def isdtype(dtype, kind) -> bool:
    dtype = tf.as_dtype(dtype)
    return {"real floating": dtype.is_floating, "complex floating": dtype.is_complex,
            "integral": dtype.is_integer, "bool": dtype == tf.bool}[kind]


class _Info:
    def default_dtypes(self, *, device=None):
        return {"real floating": tf.float32, "complex floating": tf.complex64,
                "integral": tf.int64, "indexing": tf.int64}


def __array_namespace_info__():
    return _Info()


def finfo(dtype):
    info = np.finfo(tf.as_dtype(dtype).as_numpy_dtype)
    return types.SimpleNamespace(eps=float(info.eps), smallest_normal=float(info.tiny),
                                 max=float(info.max), min=float(info.min))


def asarray(obj, /, *, dtype=None, device=None, copy=None):
    out = tf.convert_to_tensor(obj)
    return out if dtype is None else tf.cast(out, dtype)


def astype(x, dtype, /, *, copy=True, device=None):
    return tf.cast(x, dtype)


def _static(shape, x=None):
    """A shape for tf with None replaced by the run-time size (of x, axis by axis)."""
    if builtins.all(s is not None for s in shape):
        return tuple(shape)
    dynamic = tf.shape(x) if x is not None else None
    return [dynamic[i] if s is None else s for i, s in enumerate(shape)]


def reshape(x, /, shape, *, copy=None):
    shape = list(shape)
    if shape.count(None) == 1:
        shape[shape.index(None)] = -1
    return tf.reshape(x, _static(shape, x) if None in shape else shape)


def broadcast_to(x, /, shape):
    shape = list(shape)
    if None in shape:
        lead = tf.shape(x)
        shape = [lead[i] if s is None else s for i, s in enumerate(shape)]
    return tf.broadcast_to(x, shape)


def matrix_transpose(x, /):
    return tf.linalg.matrix_transpose(x)


def concat(arrays, /, *, axis=0):
    return tf.concat(list(arrays), axis=axis)


def permute_dims(x, /, axes):
    return tf.transpose(x, perm=list(axes))


def moveaxis(x, source, destination, /):
    return tf.experimental.numpy.moveaxis(x, source, destination)


def flip(x, /, *, axis=None):
    return tf.reverse(x, [axis] if isinstance(axis, int) else list(axis))


def take(x, indices, /, *, axis=None):
    return tf.gather(x, indices, axis=axis)


def arange(start, /, stop=None, step=1, *, dtype=None, device=None):
    if stop is None:
        start, stop = 0, start
    return tf.range(start, stop, step, dtype=dtype or tf.int64)


def where(condition, x1, x2, /):
    return tf.where(condition, x1, x2)


def clip(x, /, min=None, max=None):  # noqa: A002 - the standard's names
    if min is not None:
        x = tf.maximum(x, tf.cast(min, x.dtype))
    if max is not None:
        x = tf.minimum(x, tf.cast(max, x.dtype))
    return x


def max(x, /, *, axis=None, keepdims=False):  # noqa: A001
    return tf.reduce_max(x, axis=axis, keepdims=keepdims)


def mean(x, /, *, axis=None, keepdims=False):
    return tf.reduce_mean(x, axis=axis, keepdims=keepdims)


def sum(x, /, *, axis=None, dtype=None, keepdims=False):  # noqa: A001
    return tf.reduce_sum(x, axis=axis, keepdims=keepdims)


def all(x, /, *, axis=None, keepdims=False):  # noqa: A001
    return tf.reduce_all(x, axis=axis, keepdims=keepdims)


def searchsorted(x1, x2, /, *, side="left", sorter=None):
    return tf.searchsorted(x1, x2, side=side, out_type=tf.int64)


def zeros(shape, *, dtype=None, device=None):
    return tf.zeros(shape, dtype=dtype or tf.float32)


def full(shape, fill_value, *, dtype=None, device=None):
    return tf.fill(shape, tf.constant(fill_value, dtype=dtype or tf.float32))


def zeros_like(x, /, *, dtype=None, device=None):
    return tf.zeros_like(x, dtype=dtype)


def ones_like(x, /, *, dtype=None, device=None):
    return tf.ones_like(x, dtype=dtype)


def pad(x, widths, value=0.0):
    """Constant padding (``[(before, after), ...]`` per axis); used by ``_backend.pad_constant``."""
    return tf.pad(x, widths, constant_values=value)


abs = tf.abs  # noqa: A001
log, log10, log1p = tf.math.log, tf.experimental.numpy.log10, tf.math.log1p
exp, expm1, sqrt, sign, floor = tf.exp, tf.math.expm1, tf.sqrt, tf.sign, tf.floor
maximum, isfinite, atan2 = tf.maximum, tf.math.is_finite, tf.math.atan2
real, imag = tf.math.real, tf.math.imag


class fft:  # noqa: N801 - the standard's extension module name
    """The standard's ``fft`` extension, last axis only (all the core needs)."""

    @staticmethod
    def rfft(x, /, *, n=None, axis=-1, norm="backward"):
        return tf.signal.rfft(x, fft_length=[n if n is not None else x.shape[-1]])

    @staticmethod
    def irfft(x, /, *, n=None, axis=-1, norm="backward"):
        return tf.signal.irfft(x, fft_length=[n if n is not None else 2 * (x.shape[-1] - 1)])
