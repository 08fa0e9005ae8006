"""Griffin-Lim: librosa's numbers (float64, deterministic and seeded), every backend."""

import librosa
import numpy as np
import pytest

import audiofront as af
from helpers import assert_like, load, tolerance_check


@pytest.fixture(scope="module")
def magnitudes():
    y, sr = load("music_vibeace_22k_mono.flac", seconds=3.0)
    return y, np.abs(librosa.stft(y))


@pytest.mark.parametrize("params", [
    dict(init=None),
    dict(init="random", random_state=0),
    dict(init=None, momentum=0.0, n_iter=10),
    dict(init=None, pad_mode="reflect", window="hamming", length=66150),
    dict(init="random", random_state=np.random.RandomState(3), n_iter=5),
], ids=["zero-phase", "seeded", "no-momentum", "reflect-hamming-length", "randomstate"])
def test_griffinlim_is_librosas(magnitudes, params):
    _, S = magnitudes
    expected = librosa.griffinlim(S, **params)
    if isinstance(params.get("random_state"), np.random.RandomState):
        params = {**params, "random_state": np.random.RandomState(3)}  # the same draws again
    tolerance_check(af.griffinlim(S, **params), expected, 1e-9, f"griffinlim {params}")


def test_griffinlim_other_geometry(rng):
    y = rng.standard_normal(8000)
    S = np.abs(librosa.stft(y, n_fft=512, hop_length=100, win_length=400, center=False))
    kw = dict(n_fft=512, hop_length=100, win_length=400, center=False, init=None, n_iter=12)
    tolerance_check(af.griffinlim(S, **kw), librosa.griffinlim(S, **kw), 1e-9, "geometry")
    batch = np.stack([S, 0.5 * S])  # leading axes are batch
    out = af.griffinlim(batch, **kw)
    tolerance_check(out[1], librosa.griffinlim(0.5 * S, **kw), 1e-9, "batch")


def test_griffinlim_on_backends(xp, magnitudes):
    _, S = magnitudes
    S = S[:, :40]
    expected = librosa.griffinlim(S, init=None, n_iter=8)
    out = af.griffinlim(xp.asarray(S), init=None, n_iter=8)
    tolerance_check(assert_like(out, xp, dtype=xp.float64), expected, 1e-9, f"{xp} float64")
    out32 = af.griffinlim(xp.asarray(S.astype(np.float32)), init="random", random_state=1, n_iter=8)
    expected32 = librosa.griffinlim(S, init="random", random_state=1, n_iter=8)
    tolerance_check(assert_like(out32, xp, dtype=xp.xp.float32), expected32, 1e-4, f"{xp} float32")


def test_griffinlim_errors(magnitudes):
    _, S = magnitudes
    with pytest.raises(af.ParameterError, match="Received: init='zeros'"):
        af.griffinlim(S, init="zeros")
    with pytest.raises(af.ParameterError, match="Received: momentum=-1"):
        af.griffinlim(S, momentum=-1)
    with pytest.raises(af.ParameterError, match="Received: random_state='seed'"):
        af.griffinlim(S, random_state="seed")
    with pytest.warns(UserWarning, match="momentum=1.5 > 1 can be unstable") as record:
        af.griffinlim(S[:, :8], momentum=1.5, n_iter=1)
    assert record[0].filename == __file__
    M = af.melspectrogram(S=S[:, :8] ** 2, sr=22050, n_mels=32)
    with pytest.warns(UserWarning, match="momentum=1.5 > 1 can be unstable") as record:
        af.mel_to_audio(M, n_fft=2 * (S.shape[0] - 1), momentum=1.5, n_iter=1)
    assert record[0].filename == __file__  # at the user's call, not inside mel_to_audio
    with pytest.raises(TypeError):
        af.griffinlim(librosa.stft(np.ones(4096)))  # complex: pass the magnitudes
