"""Runs tests/keras_backend/test_layers.py once per Keras backend, each in its own process (Keras picks its
backend from KERAS_BACKEND when first imported)."""

import importlib.util
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
BACKENDS = {"torch": "torch", "jax": "jax", "tensorflow": "tensorflow"}


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_keras_layers_on_backend(backend):
    if importlib.util.find_spec("keras") is None:
        pytest.skip("keras is not installed")
    if importlib.util.find_spec(BACKENDS[backend]) is None:
        pytest.skip(f"{backend} is not installed")
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3",
               AUDIOFRONT_KERAS_CASES="1", AUDIOFRONT_TEST_BACKENDS="numpy",
               PYTHONPATH=os.pathsep.join([HERE, os.environ.get("PYTHONPATH", "")]))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         os.path.join(HERE, "keras_backend", "test_layers.py")],
        env=env, cwd=os.path.dirname(HERE), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
