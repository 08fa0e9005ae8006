"""Mu-law: the integer-code convention (written out here) and librosa's compress / expand."""

import librosa
import numpy as np
import pytest

import audiofront as af
from helpers import assert_like


def _encode_reference(x, q):
    mu = q - 1.0
    f = np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)
    return ((f + 1) / 2 * mu + 0.5).astype(np.int64)


def _decode_reference(c, q):
    mu = q - 1.0
    x = c / mu * 2 - 1.0
    return np.sign(x) * (np.exp(np.abs(x) * np.log1p(mu)) - 1.0) / mu


@pytest.mark.parametrize("q", [256, 16, 2])
def test_mu_law_encode_decode(q, recordings):
    y, _ = recordings["speech_libri_5703_16k_mono.flac"]
    y = y / np.abs(y).max()
    codes = af.mu_law_encode(y, quantization_channels=q)
    np.testing.assert_array_equal(codes, _encode_reference(y, q))
    assert codes.min() >= 0 and codes.max() <= q - 1
    decoded = af.mu_law_decode(codes, quantization_channels=q, dtype=np.float64)
    np.testing.assert_allclose(decoded, _decode_reference(codes, q), rtol=1e-12, atol=1e-15)
    if q == 256:
        assert np.abs(decoded - y).max() < 0.05


def test_mu_law_clips_out_of_range():
    codes = af.mu_law_encode(np.array([-3.0, -1.0, 1.0, 7.0]))
    np.testing.assert_array_equal(codes, [0, 0, 255, 255])


@pytest.mark.parametrize("mu", [255, 15])
@pytest.mark.parametrize("quantize", [True, False])
def test_mu_compress_expand_match_librosa(mu, quantize):
    x = np.linspace(-1, 1, 2001)
    expected = librosa.mu_compress(x, mu=mu, quantize=quantize)
    actual = af.mu_compress(x, mu=mu, quantize=quantize)
    if quantize:
        np.testing.assert_array_equal(actual, expected)
    else:
        np.testing.assert_allclose(actual, expected, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(af.mu_expand(expected, mu=mu, quantize=quantize, dtype=np.float64),
                               librosa.mu_expand(expected, mu=mu, quantize=quantize),
                               rtol=1e-12, atol=1e-14)


def test_companding_backends(xp, rng):
    x = rng.uniform(-1, 1, (3, 500)).astype(np.float32)
    codes = af.mu_law_encode(xp.asarray(x))
    int_dtype = xp.xp.__array_namespace_info__().default_dtypes()["integral"]
    got = assert_like(codes, xp, dtype=int_dtype, shape=x.shape)
    np.testing.assert_array_equal(got, af.mu_law_encode(x))
    dec = af.mu_law_decode(codes)
    np.testing.assert_allclose(assert_like(dec, xp, dtype=xp.xp.float32, shape=x.shape),
                               af.mu_law_decode(af.mu_law_encode(x)), rtol=1e-6, atol=1e-7)
    comp = af.mu_compress(xp.asarray(x))
    np.testing.assert_array_equal(assert_like(comp, xp, dtype=int_dtype), af.mu_compress(x))
    cont = af.mu_compress(xp.asarray(x), quantize=False)
    np.testing.assert_allclose(assert_like(cont, xp, dtype=xp.xp.float32),
                               af.mu_compress(x, quantize=False), rtol=1e-6, atol=1e-7)
    exp = af.mu_expand(cont, quantize=False)
    np.testing.assert_allclose(assert_like(exp, xp, dtype=xp.xp.float32), x, rtol=1e-4, atol=1e-6)


def test_companding_errors():
    with pytest.raises(af.ParameterError, match="quantization_channels=1"):
        af.mu_law_encode(np.zeros(3), quantization_channels=1)
    with pytest.raises(af.ParameterError, match="mu=0"):
        af.mu_compress(np.zeros(3), mu=0)
    with pytest.raises(TypeError, match="floating-point"):
        af.mu_law_encode(np.zeros(3, np.int16))


def test_mu_compress_refuses_values_outside_one_as_librosa():
    with pytest.raises(af.ParameterError, match=r"range \[-1, \+1\].*from -0.5 to 2"):
        af.mu_compress(np.array([2.0, -0.5]))
    with pytest.raises(af.ParameterError, match=r"range \[-1, \+1\]"):
        af.mu_compress(np.array([-1.5]), quantize=False)
    np.testing.assert_array_equal(af.mu_compress(np.array([1.0, -1.0])), [127, -128])
    with pytest.raises(af.ParameterError, match=r"range \[-1, \+1\].*from -2 to 1"):
        af.mu_expand(np.linspace(-2, 1, 5), quantize=False)
    with pytest.raises(af.ParameterError, match=r"range \[-1, \+1\]"):
        af.mu_expand(np.array([300]))  # a code beyond mu
