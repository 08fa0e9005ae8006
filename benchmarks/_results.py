"""benchmarks/RESULTS.md is made of sections, one per benchmark script and device; each run
replaces its own section and leaves the others alone."""

from __future__ import annotations

import datetime
import os
import re

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
