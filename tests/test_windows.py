import numpy as np
import pytest
import scipy.signal

import audiofront as af
from helpers import assert_like, optional


@pytest.mark.parametrize("name,scipy_name", [("hann", "hann"), ("hamming", "hamming"),
                                             ("blackman", "blackman"), ("bartlett", "bartlett"),
                                             ("ones", "boxcar"), ("boxcar", "boxcar"),
                                             (("kaiser", 8.6), ("kaiser", 8.6))])
@pytest.mark.parametrize("n", [1, 2, 7, 64, 2048])
@pytest.mark.parametrize("periodic", [True, False])
def test_windows_match_scipy(name, scipy_name, n, periodic):
    expected = scipy.signal.get_window(scipy_name, n, fftbins=periodic)
    np.testing.assert_allclose(af.get_window(name, n, periodic=periodic), expected, rtol=0,
                               atol=1e-14)


def test_kaiser_beta_keyword():
    np.testing.assert_allclose(af.get_window("kaiser", 100, beta=5.0),
                               scipy.signal.get_window(("kaiser", 5.0), 100), atol=1e-14)


def test_window_on_backend(xp):
    w = af.get_window("hann", 16, xp=xp.xp, device=xp.device, dtype=xp.xp.float32)
    np.testing.assert_allclose(assert_like(w, xp, dtype=xp.xp.float32, shape=(16,)),
                               scipy.signal.get_window("hann", 16), atol=1e-7)


@pytest.mark.parametrize("bad", ["hannn", ("gaussian",), ("tukey", "x"), None, "3.0"])
def test_unknown_window(bad):
    with pytest.raises(af.ParameterError, match="window"):
        af.get_window(bad, 16)
    with pytest.raises(af.ParameterError, match="window"):
        af.stft(np.zeros(100), n_fft=16, window=bad)


def test_window_centred_in_n_fft():
    w = af.get_window("hann", 300, n_fft=512)
    assert w.shape == (512,)
    np.testing.assert_array_equal(w[106:406], af.get_window("hann", 300))
    assert not w[:106].any() and not w[406:].any()
    with pytest.raises(af.ParameterError, match="n_fft=200"):
        af.get_window("hann", 300, n_fft=200)


SCIPY_WINDOWS = ["blackmanharris", "nuttall", "flattop", "cosine", "parzen", "bohman",
                 "barthann", "lanczos", ("tukey", 0.25), ("gaussian", 7), ("general_gaussian", 1.5, 7),
                 ("chebwin", 80), ("exponential", None, 3.0), ("dpss", 3)]


@pytest.mark.parametrize("window", SCIPY_WINDOWS, ids=str)
@pytest.mark.parametrize("periodic", [True, False])
def test_every_scipy_window_by_name_or_tuple(window, periodic):
    for n in (1, 16, 1001):
        expected = scipy.signal.get_window(window, n, fftbins=periodic)
        np.testing.assert_allclose(af.get_window(window, n, periodic=periodic), expected,
                                   rtol=0, atol=1e-14 * max(1.0, np.abs(expected).max()))


def test_a_number_is_kaisers_beta_as_scipy():
    np.testing.assert_allclose(af.get_window(4.0, 32), scipy.signal.get_window(4.0, 32),
                               atol=1e-14)


def test_window_functions_and_arrays_as_librosa_takes_them():
    np.testing.assert_array_equal(af.get_window(np.ones, 16), np.ones(16))
    np.testing.assert_array_equal(af.get_window(scipy.signal.windows.hann, 16),
                                  scipy.signal.windows.hann(16))  # called as is: symmetric
    w = np.random.default_rng(0).uniform(size=32)
    np.testing.assert_array_equal(af.get_window(w, 32), w)
    with pytest.raises(af.ParameterError, match="n=8 samples.*shape \\(5,\\)"):
        af.get_window(np.ones(5), 8)
    with pytest.raises(af.ParameterError, match="must return n=8 samples"):
        af.get_window(lambda n: np.ones(n + 1), 8)


@pytest.mark.parametrize("window", ["blackmanharris", ("tukey", 0.25), ("gaussian", 300),
                                    np.ones, scipy.signal.windows.hann], ids=str)
def test_stft_with_any_window_matches_librosa(window):
    librosa = optional("librosa")
    y = np.random.default_rng(1).standard_normal((2, 8000))
    for win_length in (1024, 700):
        expected = librosa.stft(y, n_fft=1024, hop_length=256, win_length=win_length,
                                window=window)
        got = af.stft(y, n_fft=1024, hop_length=256, win_length=win_length, window=window)
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9 * np.abs(expected).max())


def test_scipy_window_on_backend(xp):
    y = xp.asarray(np.random.default_rng(2).standard_normal((2, 4000)).astype(np.float32))
    got = af.melspectrogram(y, sr=16000, n_fft=512, window="blackmanharris")
    expected = af.melspectrogram(np.asarray(np.random.default_rng(2).standard_normal((2, 4000)),
                                            dtype=np.float32), sr=16000, n_fft=512,
                                 window="blackmanharris")
    out = assert_like(got, xp, dtype=xp.xp.float32)
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-5 * np.abs(expected).max())
