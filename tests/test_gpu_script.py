"""benchmarks/gpu.py, the one script a session with a GPU runs, works before anyone has a GPU:
its check mode runs every step on the CPU at tiny sizes (the CUDA parts skipped) and writes
nothing."""

import os
import subprocess
import sys

from helpers import optional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_gpu_script_runs_every_step_in_check_mode():
    optional("torch")
    optional("soundfile")
    results = os.path.join(ROOT, "benchmarks", "RESULTS.md")
    before = open(results).read()
    done = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "gpu.py"), "--check"],
                          capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    for step in ("tests", "core", "cqt", "torch adapter", "throughput", "extraction"):
        assert f"== {step}: ok" in done.stdout, done.stdout
    assert "6 of 6 steps ok" in done.stdout
    assert open(results).read() == before  # a check run writes no results
