"""How one call's work is split: the NumPy FFT over worker threads, frames in blocks (shared
among a thread per core on NumPy, in turn on eager torch's CPU), signals one at a time under
``jax.jit``. Only speed depends on it: every path gives the numbers of one call on the whole
array (up to the rounding of another batch size)."""

from __future__ import annotations

import functools
import os
import threading

import numpy as np

from ._backend import device_of, fast_path


def thread_count() -> int:
    """Threads for the work of one call: a core each, or ``OMP_NUM_THREADS`` when it is set
    (as in extraction's worker processes, one thread each)."""
    cores = os.cpu_count() or 1
    limit = os.environ.get("OMP_NUM_THREADS", "")
    return max(1, min(cores, int(limit))) if limit.isdigit() else cores


def rfft(x, n: int, xp):
    """Real FFT over the last axis; scipy.fft with all cores for NumPy input (one for a few
    frames, a stream's step, where starting the threads costs more than they save: 31 us
    against 87 us for 32 frames of 400 samples on two cores)."""
    if fast_path(xp) == "numpy":
        import scipy.fft

        workers = thread_count() if x.size >= _THREADED_FFT_SIZE and not _ONE_FFT_WORKER.active \
            else 1
        return scipy.fft.rfft(x, n=n, axis=-1, workers=workers)
    return xp.fft.rfft(x, n=n, axis=-1)


_THREADED_FFT_SIZE = 2 ** 16


def irfft(X, n: int, xp):
    """Inverse of :func:`rfft` over the last axis, output length ``n``."""
    if fast_path(xp) == "numpy":
        import scipy.fft

        return scipy.fft.irfft(X, n=n, axis=-1, workers=thread_count())
    return xp.fft.irfft(X, n=n, axis=-1)


def map_frames(fn, frames, xp, block: int = 256):
    """``fn(frames)`` for a per-frame function ``fn``: ``(..., T, L) -> (..., T, K)``.

    On NumPy, and on eager torch on the CPU, the frames go through ``fn`` in blocks of
    ``block`` frames written into one output: the window-multiplied copy, the spectrum and the
    power of a block stay in cache, and no full-size temporaries are allocated (each would cost
    page faults whenever the allocator maps it afresh). On NumPy the blocks are shared among a
    thread per core (NumPy and scipy.fft release the GIL), each block's FFT on one worker: for
    the 16 x 10 s mel, 35 ms of FFT and power on one core against 50 ms with two FFT workers
    per block. torch runs its blocks in turn, each operation on its own threads: the 16 x 10 s
    mel took 11.2-11.7 ms with no page faults, one call on the whole array 21-53 ms with
    12,500-15,700 faults a call in the same processes (9.4-12 ms in processes where the
    allocator kept its memory). Elsewhere (GPUs, compilers, tracing, autograd), one call on
    the whole array, which is what they want.
    """
    n = frames.shape[-2]
    path = fast_path(xp)
    # the size last: under torch.jit.trace it is a traced value
    if not (path == "numpy" or (path == "torch" and _eager_torch_cpu(frames))) or n <= block:
        return fn(frames)
    lead = tuple(frames.shape[:-2])
    where = [index + (slice(start, start + block),)
             for index in np.ndindex(*lead) for start in range(0, n, block)]
    first = fn(frames[where[0]])  # its dtype and width; its FFT on every worker
    out = xp.empty(lead + (n,) + tuple(first.shape[1:]), dtype=first.dtype,
                   device=device_of(first))
    out[where[0]] = first

    def run(chunk):
        before, _ONE_FFT_WORKER.active = _ONE_FFT_WORKER.active, True
        try:
            for at in chunk:
                out[at] = fn(frames[at])
        finally:
            _ONE_FFT_WORKER.active = before

    rest, threads = where[1:], min(thread_count(), len(where) - 1)
    # one threaded call at a time (another thread's call, or one from inside the pool, runs
    # its blocks itself); BLAS on one thread meanwhile: its own threads, spinning between the
    # small filterbank products, took the cores from the FFTs (46 against 27 ms for the mel)
    if path == "numpy" and threads > 1 and not _ONE_FFT_WORKER.active \
            and _THREADED.acquire(blocking=False):
        try:
            with _blas_controller().limit(limits=1, user_api="blas"):
                list(_pool(os.getpid()).map(run, [rest[i::threads] for i in range(threads)]))
        finally:
            _THREADED.release()
    else:
        run(rest)
    return out


def _eager_torch_cpu(x) -> bool:
    """Whether ``x`` is a plain CPU tensor outside any tracing, compiling, ``torch.func``
    transform or recording for autograd: where a Python loop over blocks, writing each into
    one output, runs as written (under ``torch.func.vmap`` the writes of batched blocks into
    an unbatched output fail; traced, the loop would be unrolled into the graph)."""
    import torch  # imported already: x is a tensor

    # torch's own test for torch.func transforms (private; where it is missing, assume one)
    transforms = getattr(torch._C, "_are_functorch_transforms_active", None)
    return (type(x) is torch.Tensor and x.device.type == "cpu"
            and not (x.requires_grad and torch.is_grad_enabled())
            and transforms is not None and not transforms()
            and not torch.compiler.is_compiling() and not torch.jit.is_tracing())


def map_rows(fn, x, xp):
    """``fn(x)`` for a function of signals ``(..., n) -> (..., ...)`` that treats each row on
    its own. Under ``jax.jit`` a ``lax.map`` over the rows, so that a row's frames, spectrum and
    power are all XLA holds at once (the 16 x 10 s mel: 40 against 60 ms on two cores, where
    the framed copy of the whole batch alone is 56 MB); elsewhere one call."""
    if fast_path(xp) != "jax" or x.ndim < 2 or not _traced(x):
        return fn(x)
    import jax

    rows = jax.lax.map(fn, xp.reshape(x, (-1, x.shape[-1])))
    return xp.reshape(rows, tuple(x.shape[:-1]) + tuple(rows.shape[1:]))


def _traced(x) -> bool:
    import jax  # imported already: a JAX array was given

    return isinstance(x, jax.core.Tracer)


class _FrameThread(threading.local):
    active = False  # True in map_frames' threads: the FFT runs on one worker


_ONE_FFT_WORKER = _FrameThread()
_THREADED = threading.Lock()


@functools.cache
def _blas_controller():
    import threadpoolctl

    return threadpoolctl.ThreadpoolController()


@functools.cache
def _pool(pid: int):
    """The frame threads of process ``pid`` (a forked child starts its own: it inherits no
    threads)."""
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(thread_count(), thread_name_prefix="audiofront-frames")
