"""Gammatone filters (against nnAudio's fft2gammatonemx, Ellis's construction) and the
STFT on a frequency grid (against the DFT written out), every backend."""

import numpy as np
import pytest

import audiofront as af
from helpers import assert_like, optional, tolerance_check


@pytest.mark.parametrize("sr,n_fft,n_bins,fmin,fmax", [
    (22050, 2048, 64, 0.0, None), (16000, 512, 32, 20.0, 7000.0), (44100, 4096, 128, 50.0, None),
])
def test_gammatone_filterbank_is_ellis_construction(sr, n_fft, n_bins, fmin, fmax):
    lib = optional("nnAudio.librosa_functions")
    expected, centres = lib.fft2gammatonemx(sr=sr, n_fft=n_fft, n_bins=n_bins, fmin=fmin,
                                            fmax=sr / 2 if fmax is None else fmax,
                                            maxlen=n_fft // 2 + 1)  # float32 weights
    actual = af.gammatone_filterbank(sr=sr, n_fft=n_fft, n_bins=n_bins, fmin=fmin, fmax=fmax)
    assert actual.dtype == np.float64 and actual.shape == (n_bins, 1 + n_fft // 2)
    tolerance_check(actual, expected, 2e-7, "gammatone weights")
    np.testing.assert_allclose(af.erb_frequencies(n_bins, fmin=fmin, fmax=sr / 2 if fmax is None
                                                  else fmax), centres, rtol=1e-12)
    peaks = np.argmax(actual, axis=1) * sr / n_fft  # each filter peaks near its centre
    assert np.all(np.abs(peaks - centres) <= max(sr / n_fft, 0) + 0.15 * centres + 30)


def test_gammatonegram_on_backends(xp, rng):
    y = rng.standard_normal((2, 16000))
    fb = af.gammatone_filterbank(sr=16000, n_fft=512, n_bins=32)
    expected = fb @ af.spectrogram(y, n_fft=512, hop_length=160)
    out = af.gammatonegram(xp.asarray(y.astype(np.float32)), sr=16000, n_fft=512,
                           hop_length=160, n_bins=32)
    tolerance_check(assert_like(out, xp, dtype=xp.xp.float32, shape=expected.shape), expected, 1e-5)
    out64 = af.gammatonegram(xp.asarray(y), sr=16000, n_fft=512, hop_length=160, n_bins=32)
    tolerance_check(assert_like(out64, xp, dtype=xp.float64), expected, 1e-12)


def test_gammatone_errors():
    with pytest.raises(af.ParameterError, match="Received: fmax=9000"):
        af.gammatone_filterbank(sr=16000, fmax=9000)
    with pytest.raises(af.ParameterError, match="Received: fmin=500"):
        af.gammatone_filterbank(sr=16000, fmin=500, fmax=400)


def _dft_definition(y, frequencies, sr, n_fft, hop, window, pad_mode):
    padded = np.pad(y, (n_fft // 2, n_fft // 2), mode=pad_mode)
    n_frames = 1 + len(y) // hop
    frames = np.stack([padded[t * hop:t * hop + n_fft] for t in range(n_frames)])
    n = np.arange(n_fft)
    basis = window[:, None] * np.exp(-2j * np.pi * np.outer(n, frequencies) / sr)
    return (frames @ basis).T


@pytest.mark.parametrize("scale", ["linear", "log", "log2"])
def test_stft_on_a_frequency_grid_is_the_dft(scale, rng):
    y = rng.standard_normal(6000)
    grid = af.frequency_grid(90, fmin=40.0, fmax=7000.0, scale=scale)
    basis = af.dft_basis(n_fft=1024, frequencies=grid, sr=16000)
    S = af.stft(y, n_fft=1024, hop_length=256, pad_mode="reflect", method="dft", dft_basis=basis)
    expected = _dft_definition(y, grid, 16000, 1024, 256, af.get_window("hann", 1024), "reflect")
    tolerance_check(S, expected, 1e-12, f"grid stft {scale}")
    k = np.arange(90)
    want = {"linear": 40.0 + k * (6960.0 / 90), "log": 40.0 * (7000.0 / 40.0) ** (k / 90),
            "log2": 40.0 * (7000.0 / 40.0) ** (k / 90)}[scale]
    np.testing.assert_allclose(grid, want, rtol=1e-12)


def test_grid_stft_on_backends(xp, rng):
    y = rng.standard_normal((2, 4000))
    grid = af.frequency_grid(50, fmin=100.0, fmax=4000.0, scale="log")
    expected = af.stft(y, n_fft=512, method="dft", dft_basis=af.dft_basis(n_fft=512, frequencies=grid,
                                                                          sr=8000))
    basis = af.dft_basis(n_fft=512, frequencies=grid, sr=8000, xp=xp.xp, device=xp.device,
                         dtype=xp.xp.float32)
    out = af.stft(xp.asarray(y.astype(np.float32)), n_fft=512, method="dft", dft_basis=basis)
    tolerance_check(assert_like(out, xp, dtype=xp.xp.complex64, shape=expected.shape), expected, 1e-5)


def test_grid_errors(rng):
    with pytest.raises(af.ParameterError, match="frequencies must be a 1-d array of Hz"):
        af.dft_basis(n_fft=256, frequencies=[100.0, 9000.0], sr=16000)
    with pytest.raises(af.ParameterError, match="Received: scale='mel'"):
        af.frequency_grid(10, scale="mel")
    with pytest.raises(af.ParameterError, match="dft_basis must have shape"):
        af.stft(rng.standard_normal(4000), n_fft=256, method="dft", dft_basis=np.ones((256, 7)))
