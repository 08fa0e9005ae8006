"""Docstring fragments shared by functions with the same parameters, filled in by ``@fill``."""

from __future__ import annotations

import textwrap

_FRAGMENTS = {
    "stft_params": """\
n_fft : int > 0
    FFT size; the spectrum has ``1 + n_fft // 2`` bins. Default 2048.
hop_length : int > 0 or None
    Samples between frames. Default ``n_fft // 4``.
win_length : int in [1, n_fft] or None
    Window length; the window is centred in ``n_fft`` with zeros. Default ``n_fft``.
window : str, tuple or array
    A name for :func:`get_window` (periodic), ``('kaiser', beta)``, or an array of
    ``win_length`` (or ``n_fft``) samples. Default ``'hann'``.
center : bool
    True (default): pad ``n_fft // 2`` samples on both sides so that frame ``t`` is centred
    at sample ``t * hop_length``; ``1 + n // hop_length`` frames. False: frames start at
    sample 0; ``1 + (n - n_fft) // hop_length`` frames, and ``n >= n_fft`` is required.
pad_mode : str
    Centre padding: ``'constant'`` (zeros, default, as librosa >= 0.10), ``'reflect'``,
    ``'symmetric'``, ``'edge'`` or ``'wrap'``.
method : {'fft', 'dft'}
    ``'fft'`` (default): real FFT, the fastest. ``'dft'``: a real matrix product with the
    windowed cosine / sine basis (no complex dtype inside; trainable). Both agree to rounding
    error and both export to ONNX and TFLite, where ``'dft'`` is the faster for small
    ``n_fft`` (512) and ``'fft'`` from 1024 up (benchmarks/export.py).
dft_basis : array or None
    For ``method='dft'``: a precomputed basis from :func:`dft_basis`, shape
    ``(n_fft, 2 * n_freqs)``, e.g. a trainable parameter, or one evaluated at other frequencies
    (``dft_basis(frequencies=...)``: the output then has ``n_freqs`` bins). Default: the
    ``1 + n_fft // 2`` FFT bins, built and cached.
check_finite : bool
    Raise :class:`ParameterError` if the input holds NaN or inf (forces a device sync).
    Default False.""",
    "namespace_note": """\
The result is in the input's namespace (NumPy, CuPy, torch, JAX, ...), on its device. float32
input is computed in float32 and float64 in float64; float16 / bfloat16 are computed and
returned in float32.""",
}


def fill(func):
    """Replace ``{name}`` markers in ``func.__doc__`` by the fragments above, indented to fit."""
    doc = func.__doc__
    for name, text in _FRAGMENTS.items():
        marker = "{" + name + "}"
        while marker in doc:
            at = doc.index(marker)
            indent = doc[doc.rfind("\n", 0, at) + 1:at]
            body = textwrap.indent(text, indent)[len(indent):]
            doc = doc[:at] + body + doc[at + len(marker):]
    func.__doc__ = doc
    return func
