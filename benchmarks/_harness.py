"""What the benchmark scripts share: interleaved timing with medians, version strings, and
benchmarks/RESULTS.md, made of sections (one per script and device) that each run replaces."""

from __future__ import annotations

import datetime
import os
import re
import sys
import time

import numpy as np

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS.md")
HEADER = """# Benchmark results

Written by the scripts in this folder (`python benchmarks/<script>.py`); each run replaces its
own section. The machines are shared and noisy: compare rows of one table (same run), not
tables taken on different days.
"""


def write_section(title: str, body: str) -> None:
    text = open(RESULTS).read() if os.path.exists(RESULTS) else HEADER
    stamp = datetime.date.today().isoformat()
    section = f"## {title}\n\n_Run {stamp}._\n\n{body.rstrip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text)
    else:
        text = text.rstrip() + "\n\n" + section
    with open(RESULTS, "w") as f:
        f.write(text.rstrip() + "\n")


def sync(device):
    """Wait for the GPU's queued work (torch's and CuPy's streams) on a CUDA device."""
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()
        if "cupy" in sys.modules:
            sys.modules["cupy"].cuda.Device().synchronize()


def device_label(device: str) -> str:
    """'cpu', or 'cuda: <the GPU's name>' for a section title."""
    if not device.startswith("cuda"):
        return device
    import torch

    return f"cuda: {torch.cuda.get_device_name()}"


def time_all(impls, rounds: int, device: str):
    """Median and best seconds per (implementation, op), in a shuffled order each round."""
    keys = [(name, op) for name, ops in impls.items() for op in ops]
    times = {key: [] for key in keys}
    for name, op in keys:  # warm-up: imports, caches, kernel selection
        impls[name][op]()
    order = np.random.default_rng(0)
    for _ in range(rounds):
        for i in order.permutation(len(keys)):
            name, op = keys[i]
            sync(device)
            start = time.perf_counter()
            impls[name][op]()
            sync(device)
            times[(name, op)].append(time.perf_counter() - start)
    return {key: (float(np.median(v)), float(np.min(v))) for key, v in times.items()}


def versions(*modules: str) -> str:
    """'numpy 2.4.6, torch ...' for the modules that import (audiofront always last)."""
    found = {}
    for mod in modules + ("audiofront",):
        try:
            found[mod] = __import__(mod).__version__
        except Exception:
            pass
    return ", ".join(f"{k} {v}" for k, v in found.items())


def table(medians, op: str, audio_seconds: float, reference: str, memory=None) -> list[str]:
    """Markdown rows for one operation, fastest first: median (best) ms, throughput in x real
    time, the ratio to ``reference``'s throughput, and peak MB where ``memory(name)`` knows it."""
    ref = medians.get((reference, op))
    lines = [f"**{op}**", "",
             f"| implementation | median ms (best) | x real time | vs {reference} | peak MB |",
             "|---|---:|---:|---:|---:|"]
    rows = sorted(((name, m) for (name, o), m in medians.items() if o == op), key=lambda r: r[1][0])
    for name, (med, best) in rows:
        ratio = f"{ref[0] / med:.2f}x" if ref else "-"
        mem = memory(name) if memory else None
        mem_s = f"{mem:.0f}" if mem is not None else "-"
        lines.append(f"| {name} | {med * 1e3:.1f} ({best * 1e3:.1f}) | {audio_seconds / med:,.0f} "
                     f"| {ratio} | {mem_s} |")
    return lines + [""]


def report(title: str, lines: list[str], write: bool = True) -> None:
    """Print the section and, unless told not to, put it into RESULTS.md."""
    text = "\n".join(lines)
    print(text)
    if write:
        write_section(title, text)
