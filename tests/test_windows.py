import numpy as np
import pytest
import scipy.signal

import audiofront as af
from helpers import assert_like


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


@pytest.mark.parametrize("bad", ["hannn", ("gaussian", 3), 3.0])
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
