import numpy as np
import pytest

from audiofront import _backend
from helpers import BACKENDS, KERAS_REPORTS, LEFT_OUT, REQUIRED, load


def pytest_report_header(config):
    ran = ", ".join(b.name for b in BACKENDS) or "none"
    lines = [f"audiofront backends under test: {ran}"]
    if LEFT_OUT:
        lines.append("left out: " + "; ".join(f"{k} ({v})" for k, v in LEFT_OUT.items()))
    if REQUIRED:
        lines.append("required (a missing one fails): " + ", ".join(sorted(REQUIRED)))
    return lines


def pytest_terminal_summary(terminalreporter):
    # the header is hidden by -q (as .ci/run uses): say what ran at the end too
    terminalreporter.section("what ran")
    for line in pytest_report_header(None):
        terminalreporter.write_line(line)
    if not KERAS_REPORTS:
        return
    terminalreporter.write_line("Keras backends (one subprocess each):")
    for backend, counts, skips in KERAS_REPORTS:
        told = ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "no summary"
        terminalreporter.write_line(f"{backend}: {told}")
        by_reason: dict = {}
        for n, reason in skips:
            by_reason[reason] = by_reason.get(reason, 0) + n
        for reason, n in by_reason.items():
            terminalreporter.write_line(f"    skipped {n}: {reason}")


@pytest.fixture(params=BACKENDS, ids=[b.name for b in BACKENDS])
def xp(request):
    """A Backend: ``xp.xp`` is the namespace, ``xp.asarray`` puts NumPy data on its device.

    The '-portable' variants switch audiofront's fast paths off, so both paths are tested.
    """
    backend = request.param
    if backend.portable:
        with _backend.portable():
            yield backend
    else:
        yield backend


@pytest.fixture(scope="session")
def recordings():
    from helpers import RECORDINGS

    return {name: load(name) for name in RECORDINGS}


@pytest.fixture
def rng():
    return np.random.default_rng(20261121)


# Scripts, not tests: tests/peer runs peers' own suites with a stand-in nnAudio package
# (collecting it would put the stand-in before the real nnAudio), and tests/reference writes
# the fixtures (make_kapre02.py switches this process to the legacy tf.keras when imported,
# which broke kapre 0.4's getters in the same session; the tests run it in a subprocess).
collect_ignore = ["peer", "reference"]
