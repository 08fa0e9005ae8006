"""Shared test helpers: backends, conversion to NumPy, the namespace/device/dtype contract."""

from __future__ import annotations

import importlib
import importlib.util
import os
import pathlib

import array_api_compat
import numpy as np
import pytest

DATA = pathlib.Path(__file__).parent / "data"

RECORDINGS = {  # name -> sample rate; first channel, first 10 s is what the tests use
    "speech_libri_5703_16k_mono.flac": 16000,
    "music_vibeace_22k_mono.flac": 22050,
    "music_trumpet_44k_stereo.wav": 44100,
    "env_robin_44k_stereo.flac": 44100,
    "speech_digit7_jackson_8k_mono.wav": 8000,
}


def load(name: str, seconds: float = 10.0) -> tuple[np.ndarray, int]:
    """(first channel, first ``seconds`` s) of a test recording as float64, and its rate."""
    import soundfile

    y, sr = soundfile.read(DATA / name, dtype="float64", always_2d=True)
    return np.ascontiguousarray(y[: int(seconds * sr), 0]), sr


class Backend:
    """One array backend under test: its namespace, the device arrays go to, and converters."""

    def __init__(self, name, xp, device=None, portable=False):
        self.name, self.xp, self.device, self.portable = name, xp, device, portable

    def __repr__(self):
        return self.name

    def asarray(self, a):
        a = np.asarray(a)
        if self.name.startswith("jax"):
            return self.xp.asarray(a)  # jax places on its default device
        return self.xp.asarray(a, device=self.device)

    @property
    def float64(self):
        return self.xp.float64


def to_numpy(x) -> np.ndarray:
    """Any backend's array as a NumPy array (copied to the host)."""
    if isinstance(x, np.ndarray):
        return x
    mod = type(x).__module__
    if mod.startswith("torch"):
        return x.detach().cpu().numpy()
    if mod.startswith("cupy"):
        return x.get()
    if mod.startswith("array_api_strict"):
        import array_api_strict as xs

        return np.asarray(xs.asarray(x, device=xs.Device("CPU_DEVICE")))
    return np.asarray(x)


def assert_like(out, backend: Backend, *, dtype, shape=None):
    """The output's namespace, device, dtype (and shape) are the input's."""
    assert array_api_compat.array_namespace(out).__name__ == backend.xp.__name__
    assert out.dtype == dtype, (out.dtype, dtype)
    if backend.device is not None:
        assert str(array_api_compat.device(out)) == str(backend.device)
    if shape is not None:
        assert tuple(out.shape) == tuple(shape)
    return to_numpy(out)


# Optional dependencies whose tests must run, not skip: a comma-separated list of module names
# (.ci/run sets it to everything the README says is tested). A missing one then fails its tests.
REQUIRED = {m.strip() for m in os.environ.get("AUDIOFRONT_REQUIRE", "").split(",") if m.strip()}


def optional(module: str, reason: str | None = None):
    """``pytest.importorskip(module)``, except that a module named in AUDIOFRONT_REQUIRE must
    import: its absence fails the test instead of skipping it."""
    if module.split(".")[0] in REQUIRED:
        return importlib.import_module(module)
    return pytest.importorskip(module, reason=reason)


# (backend, {outcome: count}, [(count, skip reason)]) of each Keras backend's subprocess run,
# filled by tests/test_keras_adapter.py and printed by conftest.py at the end of the session
KERAS_REPORTS: list = []


class NotAvailable(Exception):
    """A backend that cannot run here for a reason that is not a fault (no GPU, not installed)."""


def _candidates():
    """(name, module it needs, maker) for every backend the suite knows."""
    yield "numpy", "numpy", lambda: (array_api_compat.array_namespace(np.empty(0)), None)
    yield "array_api_strict", "array_api_strict", lambda: _strict()
    yield "torch", "torch", lambda: (_compat_of("torch", lambda t: t.zeros(1)), _torch_device("cpu"))
    yield "torch-cuda", "torch", lambda: _cuda()
    yield "jax", "jax", lambda: _jax()
    yield "cupy", "cupy", lambda: _cupy()


def _compat_of(module, make):
    mod = importlib.import_module(module)
    return array_api_compat.array_namespace(make(mod))


def _torch_device(kind):
    import torch

    return torch.device(kind)


def _strict():
    import array_api_strict as xs

    return xs, xs.Device("device1")  # a non-default device: proves device propagation


def _cuda():
    import torch

    if not torch.cuda.is_available():
        raise NotAvailable("torch has no CUDA device here")
    return array_api_compat.array_namespace(torch.zeros(1)), torch.device("cuda")


def _jax():
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    return jnp, None


def _cupy():
    import cupy

    try:
        cupy.zeros(1)
    except Exception as exc:  # cupy installs without a GPU, and fails on first use
        raise NotAvailable(f"cupy has no GPU here ({type(exc).__name__})") from exc
    return array_api_compat.array_namespace(cupy.zeros(1)), None


def available_backends() -> tuple[list[Backend], dict[str, str]]:
    """(the backends to test, {backend left out: why}).

    ``AUDIOFRONT_TEST_BACKENDS`` (comma-separated names) asks for backends: an unknown name, or
    one that cannot run here, is an error, never a silent skip. Without it the default set
    shrinks to what runs here: a backend whose package is not installed (and not named in
    AUDIOFRONT_REQUIRE) or that needs a GPU this machine lacks is left out; a package that is
    installed but fails to import is an error.
    """
    wanted = os.environ.get("AUDIOFRONT_TEST_BACKENDS")
    wanted = None if not wanted else {w.strip() for w in wanted.split(",") if w.strip()}
    known = [name for name, _, _ in _candidates()]
    if wanted is not None and wanted - set(known):
        raise RuntimeError(f"AUDIOFRONT_TEST_BACKENDS names unknown backends "
                           f"{sorted(wanted - set(known))}; known: {known}")
    found, missing = [], {}
    for name, module, make in _candidates():
        if wanted is not None and name not in wanted:
            continue
        needs_gpu = name in ("torch-cuda", "cupy")
        must_run = wanted is not None or (module in REQUIRED and not needs_gpu)
        try:  # any other exception (a broken install) propagates: an error, not a skip
            if importlib.util.find_spec(module) is None:
                raise NotAvailable(f"{module} is not installed")
            xp, device = make()
        except NotAvailable as exc:
            if must_run:
                raise RuntimeError(f"backend {name!r} was asked for but cannot run: {exc}") from exc
            missing[name] = str(exc)
            continue
        found.append(Backend(name, xp, device))
        if name in ("numpy", "torch"):  # the standard path beside the fast path
            found.append(Backend(name + "-portable", xp, device, portable=True))
    return found, missing


BACKENDS, LEFT_OUT = available_backends()


def tolerance_check(actual, expected, rel, what=""):
    """max |actual - expected| <= rel * max |expected|."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    if expected.size == 0:
        return
    scale = np.max(np.abs(expected))
    err = np.max(np.abs(actual - expected))
    assert err <= rel * scale, f"{what}: max error {err:.3e} > {rel:g} x {scale:.3e}"


needs_numpy = pytest.mark.skipif(not any(b.name == "numpy" for b in BACKENDS),
                                 reason="numpy backend deselected")
