"""Which array library a call is talking to, and the operations whose best form depends on it.

Everything here takes an array-API namespace ``xp`` and offers a portable implementation in the
standard; some functions also have a fast path for one backend (strided framing views on NumPy /
CuPy, ``unfold`` on torch). ``portable()`` switches the fast paths off so the tests can run both.
Frameworks are never imported here at module level. Constants (host-built arrays placed in a
namespace, and user-supplied ones matched to the input) are _constants' business, and how a
call's work is split (FFT worker threads, blocks of frames, rows under jit) is _blocks'; how to
make a constant that outlives a trace is asked here (``concrete``).
"""

from __future__ import annotations

import contextlib
import functools

import array_api_compat
import numpy as np


def _is_tensor(kind) -> bool:
    """Whether ``kind`` is torch.Tensor, without importing torch."""
    return kind.__name__ == "Tensor" and kind.__module__ == "torch"


def array_namespace(*arrays):
    """The array-API namespace of ``arrays`` (array-api-compat's, or audiofront's small one
    over TensorFlow, which array-api-compat does not cover yet)."""
    if len(arrays) == 1:  # the common cases, without array-api-compat's dispatch
        kind = type(arrays[0])
        if kind is np.ndarray:
            return _numpy_namespace()
        if _is_tensor(kind):
            return _torch_namespace()
    try:
        return array_api_compat.array_namespace(*arrays)
    except TypeError:
        if any(type(a).__module__.startswith("tensorflow") for a in arrays):
            from .adapters import _tensorflow

            return _tensorflow
        raise


@functools.cache
def _numpy_namespace():
    return array_api_compat.array_namespace(np.empty(0))


@functools.cache
def _torch_namespace():
    import torch  # imported already: a torch.Tensor was given

    return array_api_compat.array_namespace(torch.empty(0))


def device_of(x):
    """The device of ``x`` (None for TensorFlow tensors, whose placement TensorFlow manages)."""
    kind = type(x)
    if kind is np.ndarray:
        return "cpu"  # array-api-compat's answer for NumPy, without its dispatch
    if _is_tensor(kind):
        return x.device  # what array-api-compat returns, without its dispatch
    if kind.__module__.startswith("tensorflow"):
        return None
    return array_api_compat.device(x)


def pad_constant(x, widths, xp, value: float = 0.0):
    """Pad with a constant, ``widths`` a ``(before, after)`` pair per axis."""
    if library(xp) == "tensorflow":  # array-api-extra cannot pad TensorFlow tensors
        return xp.pad(x, widths, value)
    import array_api_extra as xpx

    return xpx.pad(x, widths, constant_values=value, xp=xp)

_FAST_PATHS = True


@contextlib.contextmanager
def portable():
    """Within this block every function uses the array-API standard path only."""
    global _FAST_PATHS
    saved, _FAST_PATHS = _FAST_PATHS, False
    try:
        yield
    finally:
        _FAST_PATHS = saved


def fast_path(xp) -> str:
    """The library whose fast path to take for ``xp``: :func:`library`, or 'other' inside
    :func:`portable` (the standard path). Only speed may depend on this; what correctness
    needs on one library (TensorFlow's workarounds) asks :func:`library`."""
    return library(xp) if _FAST_PATHS else "other"


def library(xp) -> str:
    """'numpy', 'torch', 'cupy', 'jax', 'tensorflow' or 'other' for a namespace (no framework
    import); remembered per namespace module (asked several times a call)."""
    name = _LIBRARIES.get(xp.__name__)
    if name is None:
        name = _LIBRARIES[xp.__name__] = _library(xp)
    return name


_LIBRARIES: dict = {}


def _library(xp) -> str:
    if array_api_compat.is_numpy_namespace(xp):
        return "numpy"
    if array_api_compat.is_torch_namespace(xp):
        return "torch"
    if array_api_compat.is_cupy_namespace(xp):
        return "cupy"
    if array_api_compat.is_jax_namespace(xp):
        return "jax"
    if xp.__name__ == "audiofront.adapters._tensorflow":
        return "tensorflow"
    return "other"


def dtype_kind(xp, dtype) -> str:
    """'real', 'complex', or 'other' (integer, boolean) for a dtype of namespace ``xp``."""
    if xp is _numpy_namespace() and isinstance(dtype, np.dtype):  # NumPy's own test (JAX's
        # bfloat16 is a NumPy dtype of kind 'V', so other namespaces ask isdtype)
        return {"c": "complex", "f": "real"}.get(dtype.kind, "other")
    if xp.__name__ == "array_api_compat.torch":  # what array-api-compat's isdtype asks torch
        return "complex" if dtype.is_complex else "real" if dtype.is_floating_point else "other"
    if xp.isdtype(dtype, "complex floating"):
        return "complex"
    if xp.isdtype(dtype, "real floating"):
        return "real"
    return "other"


def to_host(x) -> np.ndarray:
    """A NumPy array holding ``x`` (an array of any namespace, on any device, or numbers and
    lists): for the data-dependent host steps (a histogram, a median of a selection) and for
    host constants built from a caller's values."""
    if isinstance(x, np.ndarray):
        return x
    try:
        name = library(array_namespace(x))
    except TypeError:  # not an array: a number, a list, a tuple
        return np.asarray(x)
    if name == "torch":
        return x.detach().cpu().numpy()
    if name == "cupy":
        return x.get()
    if name == "tensorflow":
        return x.numpy()
    try:
        return np.from_dlpack(x)
    except (BufferError, TypeError, RuntimeError, ValueError):  # e.g. another device
        return np.asarray(x.to_device(array_namespace(x).__array_namespace_info__()
                                      .default_device()))


def complex_dtype(xp, real_dtype):
    """complex64 for float32, complex128 for float64."""
    return xp.complex128 if real_dtype == xp.float64 else xp.complex64


def real_dtype(xp, complex_dtype_):
    """float32 for complex64, float64 for complex128."""
    return xp.float64 if complex_dtype_ == xp.complex128 else xp.float32


# --- spectra ---------------------------------------------------------------------------------

def abs_squared(z, xp):
    """``|z| ** 2`` of a complex array, as a real array.

    ``re ** 2 + im ** 2``. On torch, for a few frames (a stream's step), the (..., 2) real
    view of ``z`` squared in one pass and its halves added (8.3 against 11.4 us for
    (16, 2, 201): the ``.real`` and ``.imag`` views cost a microsecond each); for larger
    arrays ``re ** 2`` with ``im ** 2`` added in place, one full-size temporary fewer: the
    16 x 10 s mel then ran in 9.5-12.6 ms with no page faults in three processes, where the
    squared real view (a temporary as large as ``z``) page-faulted 5,000-19,000 times a call
    and took 20-26 ms. Both give the bits of ``re ** 2 + im ** 2``. NumPy computes ``abs``
    then squares in place, twice as fast there because its real / imaginary views are
    strided. On TensorFlow ``** 2`` is a general power (``re ** 2 + im ** 2``: 105 ms for a
    16 x 10 s STFT on 2 cores) and a product is the square (``re * re + im * im``: 18 ms).
    """
    path = fast_path(xp)
    if path == "numpy":
        out = np.abs(z)
        return np.multiply(out, out, out=out)
    if path == "tensorflow":
        re, im = xp.real(z), xp.imag(z)
        return re * re + im * im
    if path == "torch":  # square() is pow(2) without the Python-level __pow__ of a Tensor
        size = z.numel()  # symbolic under torch.export's dynamic shapes: no guard on it
        if isinstance(size, int) and size <= _SMALL_SQUARE:
            import torch  # imported already: z is a tensor

            return torch.add(*torch.view_as_real(z.resolve_conj()).square().unbind(-1))
        return z.real.square().add_(z.imag.square())  # add_ to a fresh square: autograd-safe
    return xp.real(z) ** 2 + xp.imag(z) ** 2


_SMALL_SQUARE = 2 ** 16  # elements: see abs_squared


# --- framing ---------------------------------------------------------------------------------

def frames(x, frame_length: int, hop_length: int, n_frames: int, xp):
    """``(..., n_frames, frame_length)`` frames of the last axis of ``x``.

    A zero-copy view on NumPy, CuPy (strides) and torch (``unfold``); ``tf.signal.frame`` on
    TensorFlow; a gather elsewhere.
    The caller has checked that ``(n_frames - 1) * hop_length + frame_length <= x.shape[-1]``.
    """
    name = fast_path(xp)
    if name in ("numpy", "cupy"):
        lib = np if name == "numpy" else _import("cupy")
        shape = tuple(x.shape[:-1]) + (n_frames, frame_length)
        strides = tuple(x.strides[:-1]) + (hop_length * x.strides[-1], x.strides[-1])
        if name == "numpy":
            return np.lib.stride_tricks.as_strided(x, shape, strides, writeable=False)
        return lib.lib.stride_tricks.as_strided(x, shape, strides)
    if name == "torch":
        x = x.narrow(-1, 0, (n_frames - 1) * hop_length + frame_length)
        return x.unfold(-1, frame_length, hop_length)
    if name == "tensorflow":  # the gather below costs 3x more there (measured on the mel layer)
        import tensorflow as tf

        return tf.signal.frame(x[..., :(n_frames - 1) * hop_length + frame_length], frame_length,
                               hop_length, axis=-1)
    dev = device_of(x)
    index_dtype = xp.__array_namespace_info__().default_dtypes(device=dev)["indexing"]
    starts = xp.arange(n_frames, dtype=index_dtype, device=dev) * hop_length
    offsets = xp.arange(frame_length, dtype=index_dtype, device=dev)
    index = xp.reshape(starts[:, None] + offsets[None, :], (-1,))
    gathered = xp.take(x, index, axis=x.ndim - 1)
    return xp.reshape(gathered, tuple(x.shape[:-1]) + (n_frames, frame_length))


def floor(x, low: float, xp):
    """``clip(x, min=low)``: ``np.maximum`` on NumPy and ``clamp`` on torch (array-api-compat's
    clip costs ~20 us a call on NumPy, the whole of a stream step's decibel conversion)."""
    path = fast_path(xp)
    if path == "numpy":
        return np.maximum(x, low)
    if path == "torch":
        return x.clamp(min=low)
    return xp.clip(x, min=low)


def prefers_block_sparse(xp, rows: int | None = None) -> bool:
    """Whether to apply sparse filterbanks block by block rather than as one dense product.

    On the CPU with NumPy the dense product of a mel filterbank costs about as much as the
    FFT, and 8-band blocks skip ~90% of it; GPUs prefer one large product. A product of few
    ``rows`` (a stream's step: a frame or two per channel) is quicker dense, the per-block
    calls costing more than the multiplications they skip. JAX on the CPU gains too under
    ``jax.jit`` (the 16 x 10 s mel: 47-60 against 58-64 ms, the same process each time).
    """
    path = fast_path(xp)
    return (path == "numpy" or (path == "jax" and _jax_on_cpu())) and (
        rows is None or rows >= _BLOCK_SPARSE_ROWS)


@functools.cache
def _jax_on_cpu() -> bool:
    import jax  # imported already: a JAX array was given

    return jax.default_backend() == "cpu"


_BLOCK_SPARSE_ROWS = 256


def prefers_kernel_groups(xp, x) -> bool:
    """Whether to multiply CQT frames by each octave's kernels apart (only the taps where
    they are non-zero: a seventh of the dense matrix from C1) rather than by one dense matrix:
    on NumPy and on torch's CPU, where it was measured faster; GPUs keep the dense product
    until measured there."""
    return fast_path(xp) == "numpy" or _torch_on_cpu(xp, x)


def _torch_on_cpu(xp, x) -> bool:
    return fast_path(xp) == "torch" and x.device.type == "cpu"


def matmul_last(a, b, xp):
    """``a @ b`` for ``a`` of shape (..., m, k) and a 2-d ``b``, as one large GEMM.

    Folding the leading axes into the row axis lets BLAS see one (N, k) x (k, n) product
    instead of a loop of small ones.
    """
    lead = tuple(a.shape[:-1])
    # always on TensorFlow, whose batched product of a rank-4 by a rank-2 tensor crashed
    # (oneDNN); a speed path on NumPy and CuPy. torch's matmul folds the leading axes itself:
    # folding them here first cost 10 against 7 us for a stream step's (16, 2, 201) product
    if len(lead) > 1 and fast_path(xp) in ("numpy", "cupy"):  # the arrays' own reshape
        return (a.reshape(-1, a.shape[-1]) @ b).reshape(lead + (b.shape[-1],))
    if len(lead) > 1 and library(xp) == "tensorflow":
        flat = xp.reshape(a, (-1, a.shape[-1])) @ b
        return xp.reshape(flat, lead + (b.shape[-1],))
    return a @ b


def framed_products(x, parts, hop: int, n_frames: int, xp):
    """``[frames(x[..., start:], len, hop, n_frames) @ W for start, W in parts]``: each
    ``(..., n_frames, W.shape[1])``, ``W`` of shape ``(len, m)``.

    On torch on the CPU, a strided ``conv1d`` (the frames are never copied out: their overlap
    makes a framed view unusable by BLAS, so a matrix product would copy them first; for the
    16 x 10 s CQT from C1, 51 ms against 67 ms). Elsewhere the frames times the matrix.
    """
    if _torch_on_cpu(xp, x):
        import torch

        lead, out = tuple(x.shape[:-1]), []
        flat = x.reshape(-1, 1, x.shape[-1])
        for start, W in parts:
            length = (n_frames - 1) * hop + W.shape[0]
            y = torch.nn.functional.conv1d(flat[..., start:start + length],
                                           W.T.unsqueeze(1), stride=hop)
            out.append(y.transpose(1, 2).reshape(lead + (n_frames, W.shape[1])))
        return out
    return [matmul_last(frames(x[..., start:], W.shape[0], hop, n_frames, xp), W, xp)
            for start, W in parts]


def concrete(xp):
    """A context in which new arrays are concrete values, not traced ones.

    Under ``jax.jit`` even a constant made from NumPy data would be a tracer, which must not
    outlive the trace in the cache; ``ensure_compile_time_eval`` makes it a real array. Inside
    a ``tf.function`` a new tensor belongs to that graph, and another graph cannot use it
    ("out of scope"); ``tf.init_scope`` makes it an eager tensor that any graph may capture.
    """
    if array_api_compat.is_jax_namespace(xp):
        import jax

        return jax.ensure_compile_time_eval()
    if library(xp) == "tensorflow":
        import tensorflow as tf

        return tf.init_scope()
    return contextlib.nullcontext()


def _import(name):
    import importlib

    return importlib.import_module(name)
