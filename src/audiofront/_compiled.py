"""Eager JAX calls of the feature pipelines, run under ``jax.jit``.

Eager JAX runs a pipeline operation by operation and materialises each whole intermediate (for
the 16 x 10 s mel: a 56 MB framed copy, its spectrum, its power), which made
``af.melspectrogram`` 4.6-5.7x slower than the NumPy path on the CPU, where the same function
under ``jax.jit`` is 1.2x. So a function decorated with :func:`jax_compiled` and called with
concrete JAX arrays runs as a cached ``jax.jit`` of itself, compiled on the first call with
given parameters and array shapes, dtypes and devices. That costs nothing eager JAX would not
pay: its own first call of a shape compiles each primitive for that shape, and took 1.3-2.0 s
for that mel where the whole pipeline's compile takes 0.34-0.39 s; and every call of a
signature runs the same executable, so equal inputs give equal bits. What the Python code does
besides computing (a warning about empty mel bands, say) happens while it is traced: once per
signature, not at every call.

Everything else is the plain call: NumPy, torch and the rest; JAX tracers (the caller's own
``jit`` / ``grad`` / ``vmap``); calls nested in a decorated call; parameters that cannot be
static (an unhashable value); and a function whose trace needs concrete values
(``check_finite=True``), which is remembered and run eagerly from then on.
``jax.disable_jit()`` turns the compiling off as it does for any ``jax.jit``. The numbers are
those of the function under ``jax.jit``: tests/test_compiled.py holds them to the plain eager
call's within the float32 / float64 bounds.
"""

from __future__ import annotations

import functools
import sys
import threading

import numpy as np

from . import _constants

__all__ = ["jax_compiled", "plain"]


class _Nesting(threading.local):
    inside = False  # True while a decorated function runs: nested calls are the plain ones


_NESTING = _Nesting()
_COMPILED = _constants.Lru(64)  # (function, static parameters) -> its jax.jit
_EAGER = _constants.Lru(64)  # (function, static parameters) whose trace needs concrete values


def jax_compiled(fn):
    """Decorate an array function (arrays in, an array or a tuple of arrays out) so that eager
    JAX calls of it run under a cached ``jax.jit`` (see the module docstring)."""

    @functools.wraps(fn)
    def call(*args, **kwargs):
        if _NESTING.inside or not _concrete_jax(args, kwargs):
            return fn(*args, **kwargs)
        return _compiled_call(fn, args, kwargs)

    return call


def plain(fn):
    """``fn`` without the compiling: for loops whose calls change shape at every step (a
    stream's chunks), where each new shape would be a compile."""
    fn = getattr(fn, "__wrapped__", fn)

    @functools.wraps(fn)
    def call(*args, **kwargs):
        return _nested(fn, args, kwargs)

    return call


def _concrete_jax(args, kwargs) -> bool:
    """Whether a concrete JAX array is among the arguments and no tracer is."""
    found = False
    for value in (*args, *kwargs.values()):
        if type(value).__module__.startswith("jax"):
            jax = sys.modules["jax"]
            if isinstance(value, jax.core.Tracer):
                return False
            found = found or isinstance(value, jax.Array)
    return found


def _is_array(value) -> bool:
    """Arrays are traced; everything else, NumPy scalars included, is a static parameter."""
    return isinstance(value, np.ndarray) or type(value).__module__.startswith("jax")


def _nested(fn, args, kwargs):
    if _NESTING.inside:
        return fn(*args, **kwargs)
    _NESTING.inside = True
    try:
        return fn(*args, **kwargs)
    finally:
        _NESTING.inside = False


def _compiled_call(fn, args, kwargs):
    arrays = tuple(i for i, a in enumerate(args) if _is_array(a))
    named = tuple(sorted(k for k, v in kwargs.items() if _is_array(v)))
    static = (fn, arrays, named,
              tuple((i, type(a), a) for i, a in enumerate(args) if i not in arrays),
              tuple(sorted((k, type(v), v) for k, v in kwargs.items() if k not in named)))
    try:
        hash(static)
    except TypeError:  # e.g. a list among the parameters: nothing to key a compile on
        return _nested(fn, args, kwargs)
    if _EAGER.get(static):
        return _nested(fn, args, kwargs)
    positional = tuple(args[i] for i in arrays)
    keywords = {k: kwargs[k] for k in named}
    compiled = _COMPILED.get(static)
    if compiled is None:
        compiled = _COMPILED.put(static, _jit(fn, args, kwargs, arrays, named))
    jax = sys.modules["jax"]
    try:
        return _nested(compiled, (positional, keywords), {})
    except jax.errors.JAXTypeError:  # the trace needed a concrete value: stay eager
        _EAGER.put(static, True)
        return _nested(fn, args, kwargs)


def _jit(fn, args, kwargs, arrays, named):
    """``jax.jit`` of ``fn`` over its array arguments (positions ``arrays``, keywords
    ``named``), the others bound as they are."""
    jax = sys.modules["jax"]
    # only the static parameters are kept: the cache must not hold on to this call's arrays
    template = [None if i in arrays else a for i, a in enumerate(args)]
    bound = {k: v for k, v in kwargs.items() if k not in named}

    def run(positional, keywords):
        given = iter(positional)
        full = [next(given) if i in arrays else a for i, a in enumerate(template)]
        return fn(*full, **bound, **keywords)

    return jax.jit(run)
