"""Eager JAX calls run under a cached jax.jit (audiofront._compiled):
the same numbers as the eager call, the same errors, and the plain call wherever compiling
cannot apply (tracers, NumPy, nested calls, unhashable or value-dependent parameters)."""

import gc
import weakref

import numpy as np
import pytest

import audiofront as af
from audiofront._compiled import jax_compiled, plain
from helpers import optional, tolerance_check

jax = optional("jax")
jnp = jax.numpy


def _spy():
    """A decorated function that records whether each run saw tracers or concrete arrays."""
    seen = []

    @jax_compiled
    def double(x, /, *, scale=2.0, tag=None):
        seen.append("traced" if isinstance(x, jax.core.Tracer) else type(x).__name__)
        return x * scale

    return double, seen


def test_a_signature_compiles_once():
    double, seen = _spy()
    x = jnp.arange(4.0)
    for _ in range(4):
        np.testing.assert_array_equal(np.asarray(double(x)), 2.0 * np.arange(4.0))
    assert seen == ["traced"]  # one trace; its compile serves every call
    double(jnp.arange(5.0))  # a new shape: jax.jit traces again
    double(x, scale=3.0)  # a new static parameter: a new jit
    double(x, scale=3.0)
    assert seen == ["traced"] * 3


def test_repeated_calls_give_equal_bits():
    y = jnp.asarray(np.random.default_rng(5).standard_normal((2, 9000)).astype(np.float32))
    first = np.asarray(af.melspectrogram(y, sr=16000, n_fft=512))
    for _ in range(2):
        np.testing.assert_array_equal(np.asarray(af.melspectrogram(y, sr=16000, n_fft=512)), first)


def test_plain_calls_where_compiling_does_not_apply():
    double, seen = _spy()
    x = jnp.arange(3.0)
    for _ in range(2):
        double(np.arange(3.0))  # NumPy
        double(x, tag=["a list"])  # an unhashable parameter
        jax.jit(double)(x)  # the caller's own jit: its tracer, no second jit inside
    # the caller's jit traced once (and reused its trace the second time); ours never ran
    assert seen == ["ndarray", "ArrayImpl", "traced", "ndarray", "ArrayImpl"]
    with jax.disable_jit():
        for _ in range(3):
            double(x)
    assert seen[5:] == ["ArrayImpl"] * 3


def test_nested_decorated_calls_are_plain():
    double, seen = _spy()

    @jax_compiled
    def outer(x, /):
        return double(x) + 1.0

    x = jnp.ones(3)
    outer(x), outer(x)  # the inner call is traced inside the outer one, not compiled on its own
    assert seen == ["traced"]
    plain(double)(x), plain(double)(x)
    assert seen == ["traced", "ArrayImpl", "ArrayImpl"]


def test_a_trace_that_needs_values_stays_eager():
    calls = []

    @jax_compiled
    def positive_sum(x, /):
        calls.append(type(x).__name__)
        if bool(x.sum() > 0):  # needs a concrete value
            return x
        raise af.ParameterError(f"sum must be positive. Received: {float(x.sum())}")

    x = jnp.arange(3.0)
    for _ in range(4):
        np.testing.assert_array_equal(np.asarray(positive_sum(x)), np.arange(3.0))
    assert len(calls) == 5  # the failed trace, then eager four times
    with pytest.raises(af.ParameterError, match="Received: -3.0"):
        positive_sum(-x)


def test_the_cache_holds_no_arrays_of_a_call():
    double, _ = _spy()
    x = jnp.arange(6.0)
    double(x), double(x)
    ref = weakref.ref(x)
    del x
    gc.collect()
    assert ref() is None


@pytest.mark.parametrize("dtype, bound", [("float32", 1e-6), ("float64", 1e-12)])
def test_features_compiled_equal_eager(dtype, bound):
    """Each decorated feature: the compiled call against the plain eager one."""
    y = jnp.asarray(np.random.default_rng(3).standard_normal((2, 6000)).astype(dtype))
    calls = {
        "stft": lambda: af.stft(y, n_fft=512, hop_length=128),
        "spectrogram": lambda: af.spectrogram(y, n_fft=400, hop_length=160, win_length=300),
        "melspectrogram": lambda: af.melspectrogram(y, sr=16000, n_fft=512, n_mels=40),
        "log_frequency_spectrogram": lambda: af.log_frequency_spectrogram(y, sr=16000, n_fft=1024),
        "mfcc": lambda: af.mfcc(y, sr=16000, n_mfcc=13, n_fft=512),
        "gammatonegram": lambda: af.gammatonegram(y, sr=16000, n_fft=512, n_bins=32),
        "cqt": lambda: af.cqt(y, sr=16000, fmin=110.0, n_bins=36),
        "vqt": lambda: af.vqt(y, sr=16000, fmin=110.0, n_bins=36, gamma=10.0),
        "pseudo_cqt": lambda: af.pseudo_cqt(y, sr=16000, fmin=110.0, n_bins=36),
        "istft": lambda: af.istft(jnp.asarray(np.asarray(af.stft(np.asarray(y), n_fft=512))),
                                  length=6000),
    }
    for name, call in calls.items():
        compiled = np.asarray(call())
        with jax.disable_jit():
            eager = np.asarray(call())
        assert compiled.dtype == eager.dtype, name
        tolerance_check(compiled, eager, bound, name)


def test_errors_are_the_same_compiled():
    y = jnp.zeros(4096)
    for _ in range(3):
        with pytest.raises(af.ParameterError, match="Received: fmax=6000.0"):
            af.melspectrogram(y, sr=8000, fmax=6000.0, n_fft=512)
    bad = y.at[7].set(jnp.nan)
    for _ in range(3):
        with pytest.raises(af.ParameterError, match="check_finite"):
            af.spectrogram(bad, n_fft=512, check_finite=True)


def test_warnings_point_at_the_users_call():
    """Warned while traced (once per signature), at the user's line, not inside jax."""
    with pytest.warns(UserWarning, match="mel bands are empty") as record:
        af.melspectrogram(jnp.zeros(512), sr=8000, n_fft=64, n_mels=128)
    assert record[0].filename == __file__
