"""The test harness itself: an asked-for backend that cannot run is an error, and the Keras
subprocess summary is read correctly (CI's report must say what really ran)."""

import pytest

import helpers
from test_keras_adapter import summary


def _fake_candidates():
    yield "numpy", "numpy", lambda: (np_namespace(), None)
    yield "gpu-only", "numpy", _no_gpu


def np_namespace():
    import array_api_compat
    import numpy as np

    return array_api_compat.array_namespace(np.empty(0))


def _no_gpu():
    raise helpers.NotAvailable("no GPU here")


def test_unknown_or_unusable_backends_asked_for_are_errors(monkeypatch):
    monkeypatch.setattr(helpers, "_candidates", _fake_candidates)
    monkeypatch.setenv("AUDIOFRONT_TEST_BACKENDS", "numpy,bogus")
    with pytest.raises(RuntimeError, match=r"unknown backends \['bogus'\]"):
        helpers.available_backends()
    monkeypatch.setenv("AUDIOFRONT_TEST_BACKENDS", "gpu-only")
    with pytest.raises(RuntimeError, match="'gpu-only' was asked for but cannot run: no GPU"):
        helpers.available_backends()
    monkeypatch.delenv("AUDIOFRONT_TEST_BACKENDS")  # the default set shrinks, and says why
    found, left_out = helpers.available_backends()
    assert [b.name for b in found] == ["numpy", "numpy-portable"]
    assert left_out == {"gpu-only": "no GPU here"}


def test_a_broken_backend_import_is_an_error(monkeypatch):
    def broken():
        raise ImportError("libfoo.so: cannot open shared object file")

    monkeypatch.setattr(helpers, "_candidates", lambda: iter([("numpy", "numpy", broken)]))
    monkeypatch.delenv("AUDIOFRONT_TEST_BACKENDS", raising=False)
    with pytest.raises(ImportError, match="libfoo"):
        helpers.available_backends()


def test_required_modules_fail_instead_of_skipping(monkeypatch):
    monkeypatch.setattr(helpers, "REQUIRED", {"audiofront_no_such_module"})
    with pytest.raises(ModuleNotFoundError):
        helpers.optional("audiofront_no_such_module")
    monkeypatch.setattr(helpers, "REQUIRED", set())
    with pytest.raises(pytest.skip.Exception):
        helpers.optional("audiofront_no_such_module")


def test_keras_child_summary_is_parsed():
    output = """....s..F
SKIPPED [6] tests/keras_backend/test_layers.py:188: N/A: kapre runs on TensorFlow
SKIPPED [1] tests/keras_backend/test_layers.py:265: could not import 'kapre': No module named 'kapre'
1 failed, 68 passed, 7 skipped, 3 warnings in 61.20s (0:01:01)
"""
    counts, skips = summary(output)
    assert counts == {"failed": 1, "passed": 68, "skipped": 7}
    assert skips == [(6, "N/A: kapre runs on TensorFlow"),
                     (1, "could not import 'kapre': No module named 'kapre'")]


def test_portable_switches_fast_paths_not_library_workarounds():
    """Inside portable() the fast paths are off, but which library an array belongs to is
    still known (TensorFlow's correctness workarounds depend on it)."""
    from audiofront import _backend

    ns = np_namespace()
    assert (_backend.library(ns), _backend.fast_path(ns)) == ("numpy", "numpy")
    with _backend.portable():
        assert (_backend.library(ns), _backend.fast_path(ns)) == ("numpy", "other")
