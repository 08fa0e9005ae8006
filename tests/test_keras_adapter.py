"""Runs tests/keras_backend/test_layers.py once per Keras backend, each in its own process (Keras
picks its backend from KERAS_BACKEND when first imported), and brings each run's summary back:
its counts and skip reasons are printed at the end of this session's report.

A skip inside a child whose reason does not start with "N/A:" (a case that does not apply to
that backend) means a dependency was missing; with AUDIOFRONT_REQUIRE set (as in CI) that fails
the parent, so a comparison the README claims cannot silently not run."""

import os
import re
import subprocess
import sys

import pytest

from helpers import KERAS_REPORTS, REQUIRED, optional

HERE = os.path.dirname(os.path.abspath(__file__))
BACKENDS = {"torch": "torch", "jax": "jax", "tensorflow": "tensorflow"}
_COUNTS = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)")
_SKIP = re.compile(r"^SKIPPED \[(\d+)\] [^:]+:\d+: (.*)$", re.M)


def summary(output: str) -> tuple[dict, list[tuple[int, str]]]:
    """({outcome: count}, [(count, skip reason)]) from a ``pytest -q -rs`` run's output."""
    lines = [line for line in output.splitlines() if " in " in line and _COUNTS.search(line)]
    counts = {kind.rstrip("s") if kind.startswith("error") else kind: int(n)
              for n, kind in _COUNTS.findall(lines[-1])} if lines else {}
    return counts, [(int(n), reason.strip()) for n, reason in _SKIP.findall(output)]


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_keras_layers_on_backend(backend):
    optional("keras", reason="keras is not installed")
    optional(BACKENDS[backend], reason=f"{backend} is not installed")
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3",
               AUDIOFRONT_KERAS_CASES="1", AUDIOFRONT_TEST_BACKENDS="numpy",
               PYTHONPATH=os.pathsep.join([HERE, os.environ.get("PYTHONPATH", "")]))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         os.path.join(HERE, "keras_backend")],
        env=env, cwd=os.path.dirname(HERE), capture_output=True, text=True)
    counts, skips = summary(result.stdout)
    KERAS_REPORTS.append((backend, counts, skips))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert counts.get("passed", 0) > 0, f"the {backend} run passed nothing: {result.stdout[-2000:]}"
    missing = [(n, reason) for n, reason in skips if not reason.startswith("N/A:")]
    if REQUIRED:
        assert not missing, f"on {backend}, cases skipped for a missing dependency: {missing}"
