"""Importing audiofront imports no array framework, and the core traces under jax.jit."""

import subprocess
import sys

import numpy as np
import pytest

import audiofront as af
from helpers import optional, tolerance_check


def test_import_pulls_in_no_framework():
    code = ("import sys, audiofront, numpy as np; audiofront.melspectrogram(np.zeros(4096));"
            "heavy = [m for m in ('torch', 'jax', 'tensorflow', 'keras', 'cupy') if m in sys.modules];"
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    bare = subprocess.run([sys.executable, "-c", "import sys, audiofront; print('scipy' in sys.modules)"],
                          capture_output=True, text=True, check=True)
    assert bare.stdout.strip() == "False"  # scipy is imported when the NumPy FFT first needs it


def test_public_api_is_keyword_only():
    import inspect

    for name in af.__all__:
        obj = getattr(af, name)
        if not callable(obj) or isinstance(obj, type):
            continue
        params = list(inspect.signature(obj).parameters.values())
        kinds = {p.kind for p in params[1:]}
        assert inspect.Parameter.POSITIONAL_OR_KEYWORD not in kinds or name in (
            "get_window", "dct_matrix", "mfcc_basis", "mel_frequencies"), name  # sizes, like np.zeros(n)


def test_melspectrogram_under_jax_jit():
    jax = optional("jax")
    y = np.random.default_rng(0).standard_normal((2, 8000)).astype(np.float32)
    for method in ("fft", "dft"):
        f = jax.jit(lambda a, m=method: af.power_to_db(af.melspectrogram(a, sr=16000, n_fft=512, method=m)))
        tolerance_check(np.asarray(f(y)), af.power_to_db(af.melspectrogram(y, sr=16000, n_fft=512)),
                        1e-5)
    g = jax.jit(lambda S: af.istft(S, hop_length=128, length=8000))
    tolerance_check(np.asarray(g(af.stft(jax.numpy.asarray(y), n_fft=512, hop_length=128))), y, 1e-5)


@pytest.mark.filterwarnings("ignore:Dynamo detected a call to a `functools.lru_cache`")
def test_melspectrogram_under_torch_compile_dynamic_batch():
    torch = optional("torch")
    f = torch.compile(lambda a: af.melspectrogram(a, sr=16000, n_fft=512), dynamic=True)
    for batch in (2, 3):
        y = np.random.default_rng(batch).standard_normal((batch, 8000)).astype(np.float32)
        tolerance_check(f(torch.from_numpy(y)).numpy(), af.melspectrogram(y, sr=16000, n_fft=512), 1e-5)


def test_cqt_under_jax_jit():
    jax = optional("jax")
    y = np.random.default_rng(1).standard_normal((2, 11025)).astype(np.float32)
    for algorithm in ("direct", "multirate"):
        f = jax.jit(lambda a, alg=algorithm: af.cqt(a, fmin=110.0, n_bins=48, algorithm=alg))
        tolerance_check(np.asarray(f(y)), af.cqt(y, fmin=110.0, n_bins=48, algorithm=algorithm), 1e-5)


def test_public_signatures_have_no_private_switches():
    """A public function's signature is what its docs say: no ``_internal``-style switches."""
    import inspect

    for name in af.__all__:
        obj = getattr(af, name)
        if callable(obj) and not isinstance(obj, type):
            private = [p for p in inspect.signature(obj).parameters if p.startswith("_")]
            assert not private, (name, private)


def test_modules_do_not_import_each_others_private_names():
    """Shared internals have plain names (outside ``__all__``) or live in a private module
    (_backend, _checks, _docs); no module reaches into another's ``_name``."""
    import ast
    import pathlib

    root = pathlib.Path(af.__file__).parent
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                package = path.parents[node.level - 1].joinpath(*(node.module or "").split("."))
                if node.module and node.module.rsplit(".", 1)[-1].startswith("_"):
                    continue  # a private module's names are its package's to use
                private = [a.name for a in node.names if a.name.startswith("_") and a.name[:2] != "__"
                           and not (package / f"{a.name}.py").exists()]  # modules are fine
                assert not private, (str(path.relative_to(root)), node.module, private)
