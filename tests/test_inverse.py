"""Back from mel spectrograms and MFCCs (audiofront.inverse): librosa's numbers for the NNLS
inverse, the inverse DCT and their compositions with Griffin-Lim, on every backend."""

import librosa
import numpy as np
import pytest

import audiofront as af
import audiofront.compat.librosa as L
from helpers import assert_like, load, to_numpy, tolerance_check


@pytest.fixture(scope="module")
def music():
    return load("music_vibeace_22k_mono.flac", seconds=3.0)


@pytest.fixture(scope="module")
def mels(music):
    y, sr = music
    return {np.dtype(dt): librosa.feature.melspectrogram(y=y.astype(dt), sr=sr)
            for dt in (np.float32, np.float64)}


@pytest.mark.parametrize("shape", [(24, 50), (2, 16, 1500), (16, 4500)],
                         ids=["one-block", "batch-two-blocks", "three-blocks"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_nnls_is_librosas(shape, dtype, rng):
    # librosa solves 256 KiB of the target at a time: the last two shapes take 2 and 3 blocks
    m = shape[-2]
    A = rng.random((m, 3 * m)).astype(dtype)
    B = (A @ rng.random(shape[:-2] + (3 * m, shape[-1])) - 0.1).astype(dtype)
    expected = librosa.util.nnls(A, B)
    out = af.nnls(A, B)
    assert out.dtype == expected.dtype == dtype and out.shape == expected.shape
    assert out.min() >= 0
    tolerance_check(out, expected, 1e-9 if dtype == np.float64 else 1e-5, f"nnls {shape}")


def test_nnls_of_one_column_is_exact(rng):
    A, b = rng.random((12, 20)), rng.random(12) - 0.3
    out = af.nnls(A, b)
    tolerance_check(out, librosa.util.nnls(A, b), 1e-12, "1-d")
    # the Karush-Kuhn-Tucker conditions of the exact solution
    grad = A.T @ (A @ out - b)
    assert out.min() >= 0 and np.all(grad[out > 0] == pytest.approx(0, abs=1e-10))
    assert np.all(grad[out == 0] >= -1e-10)


@pytest.mark.parametrize("params", [
    dict(), dict(power=1.0), dict(fmax=8000.0, htk=True), dict(n_fft=1024),
], ids=["defaults", "magnitude", "htk-8k", "n_fft-1024"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_mel_to_stft_is_librosas(music, params, dtype):
    y, sr = music
    y = y[: sr].astype(dtype)
    mel = {k: v for k, v in params.items() if k in ("fmax", "htk", "norm")}
    M = librosa.feature.melspectrogram(y=y, sr=sr, n_fft=params.get("n_fft", 2048),
                                       power=params.get("power", 2.0), n_mels=64, **mel)
    expected = librosa.feature.inverse.mel_to_stft(M, sr=sr, **params)
    out = af.mel_to_stft(M, sr=sr, **params)
    assert out.dtype == expected.dtype == dtype
    tolerance_check(out, expected, 1e-8 if dtype == np.float64 else 1e-5, f"{params}")
    tolerance_check(L.feature.inverse.mel_to_stft(M, sr=sr, **params), expected,
                    1e-8 if dtype == np.float64 else 1e-5, f"compat {params}")


def test_mel_to_stft_with_a_basis(mels):
    M = mels[np.dtype(np.float64)][:, :30]
    basis = af.mel_filterbank(sr=22050, n_fft=2048, n_mels=128)
    tolerance_check(af.mel_to_stft(M, mel_basis=basis), af.mel_to_stft(M), 1e-12, "basis")


def test_mel_to_stft_on_backends(xp, mels):
    for dtype, M in mels.items():
        M = M[:, :40]
        expected = af.mel_to_stft(M)  # the solve runs on the host: the same numbers
        out = af.mel_to_stft(xp.asarray(M))
        got = assert_like(out, xp, dtype=getattr(xp.xp, dtype.name), shape=(1025, 40))
        tolerance_check(got, expected, 1e-12 if dtype == np.float64 else 1e-6, f"{xp} {dtype}")


def test_mel_to_audio_is_nnls_then_griffinlim(xp, mels):
    M = mels[np.dtype(np.float64)][:, :24]
    kw = dict(n_iter=6, init=None, length=12000)
    expected = librosa.griffinlim(librosa.feature.inverse.mel_to_stft(M), **kw)
    out = af.mel_to_audio(xp.asarray(M), **kw)
    tolerance_check(assert_like(out, xp, dtype=xp.xp.float64, shape=(12000,)), expected, 1e-8,
                    f"{xp}")
    # librosa's own mel_to_audio starts from random phases: compare what does not depend on them
    theirs = librosa.feature.inverse.mel_to_audio(M, n_iter=6, length=12000)
    ours = L.feature.inverse.mel_to_audio(M, n_iter=6, length=12000)
    assert ours.dtype == theirs.dtype == np.float32 and ours.shape == theirs.shape


def test_mel_to_audio_sounds_like_the_original(music):
    y, sr = music
    M = af.melspectrogram(y, sr=sr)
    y_hat = af.mel_to_audio(M, sr=sr, length=len(y), init=None, n_iter=32)
    M_hat = af.melspectrogram(y_hat, sr=sr)
    # log-mel distance of the resynthesis, over bands within 60 dB of the peak
    loud = af.power_to_db(M, ref=float(M.max())) > -60
    gap = np.abs(af.power_to_db(M_hat) - af.power_to_db(M))[loud]
    assert np.median(gap) < 1.5, np.median(gap)


@pytest.mark.parametrize("params", [
    dict(), dict(lifter=22), dict(dct_type=3, norm=None), dict(dct_type=1, norm=None),
    dict(n_mels=64, ref=2.0),
], ids=["defaults", "lifter", "type3-unnormalised", "type1", "64-bands-ref"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_mfcc_to_mel_is_librosas(music, params, dtype):
    y, sr = music
    forward = {k: v for k, v in params.items() if k in ("lifter", "dct_type", "norm")}
    mfcc = librosa.feature.mfcc(y=y.astype(dtype), sr=sr, n_mels=params.get("n_mels", 128),
                                **forward)
    # float32: against librosa's float64 inverse of the same coefficients, which the float32
    # result rounds (up to 1e-6 of the maximum for the unnormalised DCT-I's 128-term sums,
    # where librosa's own float32 result is 1.2e-6 away)
    expected = librosa.feature.inverse.mfcc_to_mel(mfcc.astype(np.float64), **params)
    out = af.mfcc_to_mel(mfcc, **params)
    assert out.dtype == librosa.feature.inverse.mfcc_to_mel(mfcc, **params).dtype == dtype
    tolerance_check(out, expected, 1e-12 if dtype == np.float64 else 2e-6, f"{params}")
    np.testing.assert_array_equal(L.feature.inverse.mfcc_to_mel(mfcc, **params), out)


def test_mfcc_inverses_on_backends(xp, music):
    y, sr = music
    mfcc = librosa.feature.mfcc(y=y[:sr], sr=sr, lifter=10)
    expected = librosa.feature.inverse.mfcc_to_mel(mfcc, lifter=10)
    out = af.mfcc_to_mel(xp.asarray(mfcc), lifter=10)
    tolerance_check(assert_like(out, xp, dtype=xp.xp.float64), expected, 1e-12, f"{xp}")
    kw = dict(n_iter=3, init=None)
    audio = af.mfcc_to_audio(xp.asarray(mfcc[:, :10]), lifter=10, **kw)
    reference = librosa.griffinlim(librosa.feature.inverse.mel_to_stft(
        librosa.feature.inverse.mfcc_to_mel(mfcc[:, :10], lifter=10)), **kw)
    tolerance_check(to_numpy(audio), reference, 1e-8, f"mfcc_to_audio {xp}")


def test_inverse_errors(mels):
    M = mels[np.dtype(np.float64)][:, :10]
    with pytest.raises(af.ParameterError, match="Received: A of shape"):
        af.nnls(np.ones((5, 3)), np.ones((4, 2)))
    with pytest.raises(af.ParameterError, match="Received: mel_basis of shape"):
        af.mel_to_stft(M, mel_basis=np.ones((64, 1025)))
    with pytest.raises(af.ParameterError, match=r"filterbank of shape \(128, 1025\)"):
        af.mel_to_stft(M, n_fft=1024, mel_basis=af.mel_filterbank(n_mels=128))
    with pytest.raises(af.ParameterError, match="Received: power=0"):
        af.mel_to_stft(M, power=0)
    with pytest.raises(af.ParameterError, match="Received: lifter=-1"):
        af.mfcc_to_mel(np.ones((20, 3)), lifter=-1)
    with pytest.raises(af.ParameterError, match="n_mfcc"):
        af.mfcc_to_mel(np.ones((20, 3)), n_mels=10)
    with pytest.raises(TypeError, match="Received|unexpected keyword arguments \\['n_mels'\\]"):
        L.feature.inverse.mel_to_stft(M, n_mels=128)
    with pytest.raises(TypeError, match="complex"):
        af.mel_to_stft(M.astype(np.complex128))
