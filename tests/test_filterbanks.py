"""Filterbank builders against librosa, scipy and brute-force definitions."""

import warnings

import librosa
import numpy as np
import pytest
import scipy.fft
from hypothesis import given, settings, strategies as st

import audiofront as af
from helpers import assert_like


@pytest.mark.parametrize("htk", [False, True])
@pytest.mark.parametrize("norm", [None, "slaney", 1, 2, np.inf])
@pytest.mark.parametrize("sr,n_fft,n_mels,fmin,fmax", [
    (22050, 2048, 128, 0.0, None),
    (16000, 512, 40, 20.0, 7600.0),
    (44100, 4096, 256, 30.0, 16000.0),
    (8000, 255, 20, 0.0, 4000.0),
])
def test_mel_filterbank_matches_librosa(htk, norm, sr, n_fft, n_mels, fmin, fmax):
    expected = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax,
                                   htk=htk, norm=norm, dtype=np.float64)
    actual = af.mel_filterbank(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk,
                               norm=norm)
    assert actual.shape == (n_mels, 1 + n_fft // 2) and actual.dtype == np.float64
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-12)
    # float32: librosa's default, rounded as librosa rounds it (twice), bit for bit
    expected32 = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax,
                                     htk=htk, norm=norm)
    np.testing.assert_array_equal(af.mel_filterbank(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin,
                                                    fmax=fmax, htk=htk, norm=norm,
                                                    dtype=np.float32), expected32)


@settings(max_examples=80, deadline=None)
@given(sr=st.sampled_from([8000, 11025, 16000, 22050, 44100, 48000]),
       n_fft=st.integers(64, 4096), n_mels=st.integers(1, 96),
       fmin_frac=st.floats(0.0, 0.4), fmax_frac=st.floats(0.5, 1.0), htk=st.booleans(),
       norm=st.sampled_from([None, "slaney", 1.0, 2.0, 3.0]))
def test_mel_filterbank_hypothesis(sr, n_fft, n_mels, fmin_frac, fmax_frac, htk, norm):
    fmin, fmax = fmin_frac * sr / 2, fmax_frac * sr / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # empty bands: both libraries warn, checked elsewhere
        expected = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax,
                                       htk=htk, norm=norm, dtype=np.float64)
        actual = af.mel_filterbank(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax,
                                   htk=htk, norm=norm)
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-12)


def test_empty_mel_bands_warn_every_time():
    for _ in range(2):  # the host builder is cached; the warning must not be
        with pytest.warns(UserWarning, match="mel bands are empty") as record:
            af.mel_filterbank(sr=8000, n_fft=64, n_mels=128)
        assert record[0].filename == __file__  # it points at the user's call
    with pytest.warns(UserWarning, match="mel bands are empty") as record:
        af.melspectrogram(np.zeros(512), sr=8000, n_fft=64, n_mels=128)
    assert record[0].filename == __file__


@pytest.mark.parametrize("htk", [False, True])
def test_mel_scale_conversions(htk):
    hz = np.array([0.0, 20.0, 440.0, 999.0, 1000.0, 1001.0, 8000.0, 22050.0])
    np.testing.assert_allclose(af.hz_to_mel(hz, htk=htk), librosa.hz_to_mel(hz, htk=htk), rtol=1e-14)
    mels = librosa.hz_to_mel(hz, htk=htk)
    np.testing.assert_allclose(af.mel_to_hz(mels, htk=htk), librosa.mel_to_hz(mels, htk=htk),
                               rtol=1e-13)
    assert isinstance(af.hz_to_mel(440.0, htk=htk), float)
    np.testing.assert_allclose(af.mel_frequencies(40, fmin=30.0, fmax=8000.0, htk=htk),
                               librosa.mel_frequencies(40, fmin=30.0, fmax=8000.0, htk=htk),
                               rtol=1e-13)
    np.testing.assert_allclose(af.fft_frequencies(sr=16000, n_fft=511),
                               librosa.fft_frequencies(sr=16000, n_fft=511))


def test_mel_conversions_on_backends(xp):
    hz = xp.asarray(np.array([100.0, 1000.0, 5000.0], dtype=np.float32))
    mels = af.hz_to_mel(hz)
    out = assert_like(mels, xp, dtype=xp.xp.float32, shape=(3,))
    np.testing.assert_allclose(out, librosa.hz_to_mel([100.0, 1000.0, 5000.0]), rtol=1e-6)
    back = assert_like(af.mel_to_hz(mels, htk=False), xp, dtype=xp.xp.float32)
    np.testing.assert_allclose(back, [100.0, 1000.0, 5000.0], rtol=1e-5)


def _kapre_log_filterbank(sr, n_fft, n_bins, bins_per_octave, fmin, spread):
    """kapre.backend.filterbank_log's definition, written out loop by loop."""
    n_freq = n_fft // 2 + 1
    sigma = spread / bins_per_octave
    log_freqs = np.log2(np.linspace(0, sr / 2, n_freq)[1:])
    basis = np.zeros((n_bins, n_freq))
    for i in range(n_bins):
        c = fmin * 2.0 ** (i / bins_per_octave)
        basis[i, 1:] = np.exp(-0.5 * ((log_freqs - np.log2(c)) / sigma) ** 2 - np.log2(sigma) - log_freqs)
        basis[i] /= np.sum(np.abs(basis[i]))
    return basis


@pytest.mark.parametrize("sr,n_fft,n_bins,bpo,fmin,spread", [
    (22050, 2048, 84, 12, 440.0 * 2 ** (-45 / 12), 0.125),
    (16000, 1024, 48, 12, 100.0, 0.25),
    (44100, 4096, 120, 24, 50.0, 0.125),
])
def test_log_filterbank_matches_kapre_definition(sr, n_fft, n_bins, bpo, fmin, spread):
    expected = _kapre_log_filterbank(sr, n_fft, n_bins, bpo, fmin, spread)
    actual = af.log_filterbank(sr=sr, n_fft=n_fft, n_bins=n_bins, bins_per_octave=bpo,
                               fmin=fmin, spread=spread)
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(actual.sum(axis=1), 1.0, rtol=1e-12)


def test_log_filterbank_default_fmin_is_c1():
    np.testing.assert_allclose(af.log_filterbank(),
                               af.log_filterbank(fmin=librosa.note_to_hz("C1")), rtol=1e-12)


@pytest.mark.parametrize("n_out,n_in", [(20, 128), (13, 40), (40, 40)])
@pytest.mark.parametrize("norm", ["ortho", None])
def test_dct_matrix_matches_scipy(n_out, n_in, norm):
    x = np.random.default_rng(0).standard_normal((n_in, 7))
    expected = scipy.fft.dct(x, type=2, norm=norm, axis=0)[:n_out]
    np.testing.assert_allclose(af.dct_matrix(n_out, n_in, norm=norm) @ x, expected, rtol=1e-12,
                               atol=1e-12)


def test_float32_mel_filterbank_on_backends_is_librosas(xp):
    expected = librosa.filters.mel(sr=16000, n_fft=512, n_mels=40)
    out = af.mel_filterbank(sr=16000, n_fft=512, n_mels=40, xp=xp.xp, device=xp.device,
                            dtype=xp.xp.float32)
    np.testing.assert_array_equal(assert_like(out, xp, dtype=xp.xp.float32), expected)


def test_builders_place_on_backend(xp):
    for build in (lambda **k: af.mel_filterbank(sr=16000, n_fft=512, n_mels=40, **k),
                  lambda **k: af.log_filterbank(sr=16000, n_fft=512, n_bins=48, fmin=60.0, **k),
                  lambda **k: af.dct_matrix(13, 40, **k),
                  lambda **k: af.get_window("hann", 512, **k),
                  lambda **k: af.dft_basis(n_fft=64, **k)):
        host = build()
        out = build(xp=xp.xp, device=xp.device, dtype=xp.xp.float32)
        np.testing.assert_allclose(assert_like(out, xp, dtype=xp.xp.float32, shape=host.shape),
                                   host, rtol=1e-6, atol=1e-7)


def test_public_builders_return_fresh_arrays():
    a = af.mel_filterbank(sr=16000, n_fft=512, n_mels=40)
    a[:] = 0
    assert af.mel_filterbank(sr=16000, n_fft=512, n_mels=40).max() > 0
