"""Constants in the caller's namespace: host-built arrays placed once per (builder, arguments,
namespace, device, dtype) and memoised, user-supplied ones matched to the input, and the small
LRU memo they (and the compiled and streaming caches) share."""

from __future__ import annotations

import functools
from collections import OrderedDict

import array_api_compat
import numpy as np

from ._backend import array_namespace, concrete, device_of


class Lru:
    """A bounded memo, least recently used out first: ``get(key)`` (None when absent) and
    ``put(key, value)``."""

    def __init__(self, size: int):
        self._items, self._size = OrderedDict(), size

    def get(self, key):
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
        return hit

    def put(self, key, value):
        self._items[key] = value
        if len(self._items) > self._size:
            self._items.popitem(last=False)
        return value


def where_key(xp, device, dtype) -> tuple:
    """A hashable key for (namespace, device, dtype): NumPy dtypes as they are (their str()
    costs more than the lookup), other dtypes and devices by name."""
    return xp.__name__, str(device), dtype if isinstance(dtype, np.dtype) else str(dtype)


_PLACED = Lru(128)


def place(build, args: tuple, *, xp=None, device=None, dtype=None, cache: bool = True):
    """The array ``build(*args)`` (a cached float64 NumPy builder) in namespace ``xp``.

    With ``xp=None`` a fresh NumPy array is returned (float64 unless ``dtype`` says otherwise).
    Otherwise the host array is converted to ``xp`` on ``device`` in ``dtype`` (the namespace's
    default floating dtype when None). With ``cache=True`` the converted array is memoised per
    (builder, args, namespace, device, dtype) and shared: callers must not modify it in place.
    """
    if xp is None:
        dtype = np.dtype(np.float64 if dtype is None else dtype)
        return np.array(_host(build, args, dtype), dtype=dtype)
    if cache and array_api_compat.is_torch_namespace(xp):
        return _torch_constant()(build, args, xp, device, dtype)
    return _place(build, args, xp, device, dtype, cache)


def _place(build, args, xp, device, dtype, cache):
    if dtype is None:
        dtype = xp.__array_namespace_info__().default_dtypes(device=device)["real floating"]
    key = (build.__module__, build.__qualname__, args, *where_key(xp, device, dtype))
    if cache:
        hit = _PLACED.get(key)
        if hit is not None:
            return hit
    host_dtype = np.float32 if _is_float32(dtype) else np.float64
    with concrete(xp):
        out = xp.asarray(np.array(_host(build, args, host_dtype), dtype=host_dtype), dtype=dtype,
                         device=device)
    return _PLACED.put(key, out) if cache else out


def _is_float32(dtype) -> bool:
    """Whether any namespace's dtype (torch.float32, the np.float32 class, 'float32') is float32."""
    if str(dtype).endswith("float32"):
        return True
    try:
        return np.dtype(dtype) == np.float32
    except TypeError:
        return False


def _host(build, args, dtype):
    """``build(*args)`` for a constant wanted in ``dtype``: a builder with a ``float32``
    attribute has its own float32 construction (e.g. the mel filterbank, which librosa rounds
    in two steps); the others are float64 and rounded once."""
    special = getattr(build, "float32", None)
    return (special if special is not None and _is_float32(dtype) else build)(*args)


@functools.lru_cache(maxsize=1)
def _torch_constant():
    """``_place`` as torch.compile should see it: a constant, evaluated once while tracing
    rather than traced into (the host builders are NumPy code)."""
    import torch

    @torch.compiler.assume_constant_result
    def constant(build, args, xp, device, dtype):
        return _place(build, args, xp, device, dtype, True)

    return constant


def like(constant, x, xp):
    """A user-supplied constant (window, basis) in ``x``'s namespace, dtype and device.

    An array of ``x``'s own namespace is used as it is where it already matches (so a
    trainable tensor keeps its gradient: a cast or a device move is differentiable too);
    anything else (a list, a NumPy array beside torch input) is converted.
    """
    if type(x) is np.ndarray and type(constant) is np.ndarray and constant.dtype == x.dtype:
        return constant  # the common case, without the namespace and device lookups
    try:
        same = array_namespace(constant).__name__ == xp.__name__
    except TypeError:
        same = False
    dev = device_of(x)
    if not same:
        return xp.asarray(np.asarray(constant), dtype=x.dtype, device=dev)
    if dev is not None and str(device_of(constant)) != str(dev):
        constant = array_api_compat.to_device(constant, dev)
    return constant if constant.dtype == x.dtype else xp.astype(constant, x.dtype)
