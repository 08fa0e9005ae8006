"""The NumPy path's threads (``_blocks.map_frames``): blocks of frames shared among a thread per
core give one thread's numbers (up to the rounding BLAS's own thread settings move), leave
BLAS's thread count as they found it, follow ``OMP_NUM_THREADS``, and calls from several
threads at once give what one call gives."""

import os
import threading

import numpy as np
import pytest
import threadpoolctl

import audiofront as af
from audiofront import _backend, _blocks

MEL = dict(sr=22050, n_fft=1024, hop_length=256, n_mels=64)


@pytest.fixture(scope="module")
def batch():
    # 8 x 4 s: 345 frames a clip at hop 256, two blocks of at most 256 frames each
    return np.random.default_rng(7).standard_normal((8, 4 * 22050)).astype(np.float32)


def _blas_threads():
    return [lib["num_threads"] for lib in threadpoolctl.threadpool_info()
            if lib["user_api"] == "blas"]


def test_threads_change_no_number_and_restore_blas(batch, monkeypatch):
    af.melspectrogram(batch[:1], **MEL)  # loads every BLAS the call uses
    before = _blas_threads()
    threaded = af.melspectrogram(batch, **MEL)
    assert _blas_threads() == before  # held to one thread during the call only
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert _blocks.thread_count() == 1
    # one thread (BLAS on one too, as inside the threads, and at its default): the same numbers
    # up to the rounding of BLAS's products, which its own thread settings can move (OpenBLAS:
    # 2.7e-7 of the maximum here; a wrongly written block would be off by its whole size)
    scale = float(np.abs(threaded).max())
    with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
        single = af.melspectrogram(batch, **MEL)
    np.testing.assert_allclose(single, threaded, rtol=0, atol=1e-6 * scale)
    np.testing.assert_allclose(af.melspectrogram(batch, **MEL), threaded, rtol=0, atol=1e-6 * scale)
    with _backend.portable():  # the standard path, one call on the whole array
        portable = af.melspectrogram(batch, **MEL)
    np.testing.assert_allclose(threaded, portable, rtol=0, atol=1e-6 * scale)


def test_concurrent_calls_give_one_calls_numbers(batch):
    results, errors = {}, []

    def work(i):
        try:
            results[i] = (af.melspectrogram(batch, **MEL),
                          af.stft(batch[:2], n_fft=512, hop_length=128))
        except Exception as exc:  # reported below, with the thread's number
            errors.append((i, exc))

    mel, spectra = af.melspectrogram(batch, **MEL), af.stft(batch[:2], n_fft=512, hop_length=128)
    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors and len(results) == 4
    # one call at a time takes the threads (and holds BLAS to one), the others run their blocks
    # themselves: equal up to BLAS's rounding, as above; a block written into the wrong call's
    # output, or twice, would be off by its whole size
    for got_mel, got_stft in results.values():
        np.testing.assert_allclose(got_mel, mel, rtol=0, atol=1e-6 * float(np.abs(mel).max()))
        np.testing.assert_allclose(got_stft, spectra, rtol=0,
                                   atol=1e-6 * float(np.abs(spectra).max()))


def test_workers_follow_omp_num_threads(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert _blocks.thread_count() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "64")
    assert _blocks.thread_count() == (os.cpu_count() or 1)
    monkeypatch.setenv("OMP_NUM_THREADS", "")
    assert _blocks.thread_count() == (os.cpu_count() or 1)
