"""Bad input gets an error that names the argument and echoes the value received."""

import numpy as np
import pytest

import audiofront as af

Y = np.zeros(4096, np.float32)


@pytest.mark.parametrize("func", [af.stft, af.spectrogram, af.melspectrogram,
                                  af.log_frequency_spectrogram, af.mfcc])
@pytest.mark.parametrize("y,exc,match", [
    (np.zeros(4096, np.int16), TypeError, "int16.*astype"),
    (np.zeros(4096, np.complex64), TypeError, "complex"),
    (np.float32(0.0), af.ParameterError, "0-d"),
    ([0.0] * 4096, TypeError, "must be an array.*list"),
])
def test_bad_audio(func, y, exc, match):
    with pytest.raises(exc, match=match):
        func(np.asarray(y) if match == "0-d" else y)


@pytest.mark.parametrize("kwargs,match", [
    ({"n_fft": 0}, "n_fft=0"),
    ({"n_fft": -4}, "n_fft=-4"),
    ({"n_fft": 512.0}, "n_fft=512.0"),
    ({"hop_length": 0}, "hop_length=0"),
    ({"win_length": 0}, "win_length=0"),
    ({"n_fft": 512, "win_length": 1024}, "win_length=1024"),
    ({"window": "hannn"}, "window='hannn'"),
    ({"pad_mode": "mirror"}, "pad_mode='mirror'"),
    ({"center": False, "pad_mode": "nope"}, "pad_mode='nope'"),
    ({"method": "fast"}, "method='fast'"),
    ({"n_fft": 8192, "center": False}, "fewer than n_fft=8192"),
])
def test_bad_stft_parameters(kwargs, match):
    with pytest.raises(af.ParameterError, match=match):
        af.stft(Y, **kwargs)


@pytest.mark.parametrize("kwargs,match", [
    ({"sr": 0}, "sr=0"),
    ({"sr": -22050}, "sr=-22050"),
    ({"fmin": 5000.0, "fmax": 4000.0}, "fmin=5000.0"),
    ({"fmax": 12000.0}, "fmax=12000.0"),
    ({"fmin": -1.0}, "fmin=-1.0"),
    ({"n_mels": 0}, "n_mels=0"),
    ({"norm": "area"}, "norm='area'"),
    ({"power": 0}, "power=0"),
])
def test_bad_mel_parameters(kwargs, match):
    with pytest.raises(af.ParameterError, match=match):
        af.melspectrogram(Y, **kwargs)


def test_bad_log_filterbank_range():
    with pytest.raises(af.ParameterError, match="Nyquist"):
        af.log_filterbank(sr=8000, n_bins=120)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_check_finite(bad):
    y = Y.copy()
    y[100] = bad
    with pytest.raises(af.ParameterError, match="NaN or infinite"):
        af.melspectrogram(y, check_finite=True)
    af.stft(y)  # unchecked by default: no sync, no error


def test_istft_errors():
    S = af.stft(Y, n_fft=512)
    with pytest.raises(TypeError, match="complex"):
        af.istft(np.abs(S))
    with pytest.raises(af.ParameterError, match="n_fft=1024"):
        af.istft(S, n_fft=1024)
    with pytest.raises(af.ParameterError, match="length=0"):
        af.istft(S, length=0)


def test_delta_errors():
    data = np.zeros((20, 5))
    with pytest.raises(af.ParameterError, match="width=4"):
        af.delta(data, width=4, axis=0)
    with pytest.raises(af.ParameterError, match="needs at least width=9"):
        af.delta(data)
    with pytest.raises(af.ParameterError, match="mode='bogus'"):
        af.delta(data, mode="bogus")
    with pytest.raises(af.ParameterError, match="axis=5"):
        af.delta(data, axis=5)


def test_mfcc_errors():
    with pytest.raises(af.ParameterError, match=r"n_mfcc must be <= n_mels=128\. Received: n_mfcc=200"):
        af.mfcc(Y, n_mfcc=200)
    with pytest.raises(af.ParameterError, match="lifter=-1"):
        af.mfcc(Y, lifter=-1)


def test_basis_shape_errors():
    # (n_fft, 2 * n_freqs) for any n_freqs is a basis (a DFT at other frequencies)
    for shape in [(512, 7), (500, 514), (512,)]:
        with pytest.raises(af.ParameterError, match="dft_basis must have shape"):
            af.stft(Y, n_fft=512, method="dft", dft_basis=np.zeros(shape))
    with pytest.raises(af.ParameterError, match="filterbank"):
        af.melspectrogram(Y, n_fft=512, mel_basis=np.zeros((40, 100)))
    with pytest.raises(af.ParameterError, match="window array"):
        af.stft(Y, n_fft=512, window=np.ones(100))
