"""melspectrogram, log-frequency spectrogram, MFCC and delta against librosa and by backend."""

import librosa
import numpy as np
import pytest

import audiofront as af
from helpers import RECORDINGS, assert_like, load, to_numpy, tolerance_check


def _librosa_mel(y, sr, **kw):
    """librosa's melspectrogram with a float64 filterbank (its default basis is float32)."""
    fb_keys = ("n_mels", "fmin", "fmax", "htk", "norm")
    fb = librosa.filters.mel(sr=sr, n_fft=kw.get("n_fft", 2048), dtype=np.float64,
                             **{k: kw.pop(k) for k in fb_keys if k in kw})
    power = kw.pop("power", 2.0)
    S = np.abs(librosa.stft(y, **kw)) ** power
    return fb @ S


@pytest.mark.parametrize("name", RECORDINGS)
@pytest.mark.parametrize("params", [
    {},
    {"n_fft": 1024, "hop_length": 256, "n_mels": 64, "fmin": 30.0, "htk": True, "norm": None},
    {"n_fft": 512, "hop_length": 160, "win_length": 400, "n_mels": 40, "power": 1.0,
     "center": False},
])
def test_melspectrogram_matches_librosa(recordings, name, params):
    y, sr = recordings[name]
    expected = _librosa_mel(y, sr, **dict(params))
    for method in ("fft", "dft"):
        actual = af.melspectrogram(y, sr=sr, method=method, **params)
        tolerance_check(actual, expected, 1e-9, f"{name} mel {method}")


@pytest.mark.parametrize("name", RECORDINGS)
def test_mfcc_matches_librosa(recordings, name):
    y, sr = recordings[name]
    n_mels = 40 if sr < 16000 else 128
    mel = _librosa_mel(y, sr, n_mels=n_mels)
    expected = librosa.feature.mfcc(S=librosa.power_to_db(mel), n_mfcc=20)
    actual = af.mfcc(y, sr=sr, n_mfcc=20, n_mels=n_mels)
    tolerance_check(actual, expected, 1e-9, f"{name} mfcc")
    lifted = librosa.feature.mfcc(S=librosa.power_to_db(mel), n_mfcc=13, lifter=22)
    tolerance_check(af.mfcc(y, sr=sr, n_mfcc=13, lifter=22, n_mels=n_mels), lifted, 1e-9)


@pytest.mark.parametrize("dct_type", [1, 2, 3])
@pytest.mark.parametrize("norm", ["ortho", None])
def test_mfcc_dct_types_match_librosa(recordings, dct_type, norm):
    y, sr = recordings["speech_libri_5703_16k_mono.flac"]
    S_db = librosa.power_to_db(_librosa_mel(y, sr, n_mels=64))
    expected = librosa.feature.mfcc(S=S_db, n_mfcc=13, dct_type=dct_type, norm=norm, lifter=22)
    actual = af.mfcc(S=S_db, n_mfcc=13, dct_type=dct_type, norm=norm, lifter=22)
    tolerance_check(actual, expected, 1e-9, f"mfcc dct_type={dct_type} norm={norm}")
    basis = af.mfcc_basis(13, 64, dct_type=dct_type, norm=norm, lifter=22)
    tolerance_check(basis @ S_db, expected, 1e-9, "mfcc_basis")
    with pytest.raises(af.ParameterError, match="Received: dct_type=4"):
        af.mfcc(S=S_db, dct_type=4)


@pytest.mark.parametrize("name", RECORDINGS)
@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("width", [9, 5, 3])
def test_delta_matches_librosa(recordings, name, order, width):
    y, sr = recordings[name]
    feats = af.mfcc(y, sr=sr, n_mels=40)
    expected = librosa.feature.delta(feats, width=width, order=order)
    tolerance_check(af.delta(feats, width=width, order=order), expected, 1e-9, "delta")


@pytest.mark.parametrize("mode", ["interp", "nearest", "mirror", "constant", "wrap"])
@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_delta_modes_and_axes(mode, axis):
    data = np.random.default_rng(3).standard_normal((12, 15, 11))
    expected = librosa.feature.delta(data, width=5, order=2, axis=axis, mode=mode)
    tolerance_check(af.delta(data, width=5, order=2, axis=axis, mode=mode), expected, 1e-12)


def test_log_frequency_spectrogram_definition(recordings):
    y, sr = recordings["music_vibeace_22k_mono.flac"]
    power = np.abs(librosa.stft(y, n_fft=2048, hop_length=512)) ** 2
    expected = af.log_filterbank(sr=sr, n_fft=2048) @ power
    actual = af.log_frequency_spectrogram(y, sr=sr, n_fft=2048, hop_length=512)
    tolerance_check(actual, expected, 1e-9, "log-frequency")


def test_apply_filterbank():
    S = np.random.default_rng(0).random((2, 1025, 30))
    fb = af.mel_filterbank()
    tolerance_check(af.apply_filterbank(S, filterbank=fb), fb @ S, 1e-12)


# --- every backend ---------------------------------------------------------------------------

@pytest.fixture
def batch(rng):
    return rng.standard_normal((2, 2, 11025)).astype(np.float32)


@pytest.mark.parametrize("method", ["fft", "dft"])
def test_melspectrogram_backends(xp, batch, method):
    expected = af.melspectrogram(batch, sr=22050, n_mels=64, method=method)
    out = af.melspectrogram(xp.asarray(batch), sr=22050, n_mels=64, method=method)
    tolerance_check(assert_like(out, xp, dtype=xp.xp.float32, shape=expected.shape), expected, 1e-5)


def test_other_features_backends(xp, batch):
    cases = [
        (lambda y: af.log_frequency_spectrogram(y, sr=22050, n_fft=1024), {}),
        (lambda y: af.mfcc(y, sr=22050, n_mfcc=13, lifter=22), {}),
        (lambda y: af.delta(af.mfcc(y, sr=22050), order=2), {}),
        (lambda y: af.delta(af.mfcc(y, sr=22050), mode="mirror", axis=-2), {}),
    ]
    for f, _ in cases:
        expected = f(batch)
        out = f(xp.asarray(batch))
        tolerance_check(assert_like(out, xp, dtype=xp.xp.float32, shape=expected.shape),
                        expected, 1e-5)


def test_features_float64_on_backend(xp, recordings):
    y, sr = recordings["speech_libri_5703_16k_mono.flac"]
    y = y[:sr * 2]
    expected = _librosa_mel(y, sr, n_mels=64)
    out = af.melspectrogram(xp.asarray(y), sr=sr, n_mels=64)
    tolerance_check(assert_like(out, xp, dtype=xp.xp.float64), expected, 1e-9)


def test_trainable_style_constants_are_used(xp, batch):
    """Passing the filterbank / basis as arrays of the input's namespace gives the same result."""
    fb = af.mel_filterbank(sr=22050, n_mels=32, xp=xp.xp, device=xp.device, dtype=xp.xp.float32)
    basis = af.dft_basis(n_fft=2048, xp=xp.xp, device=xp.device, dtype=xp.xp.float32)
    out = af.melspectrogram(xp.asarray(batch), method="dft", mel_basis=fb, dft_basis=basis)
    tolerance_check(to_numpy(out), af.melspectrogram(batch, n_mels=32), 1e-5)


@pytest.mark.parametrize("feature", [
    lambda y, sr: af.melspectrogram(y, sr=sr),
    lambda y, sr: af.log_frequency_spectrogram(y, sr=sr, fmin=60.0, n_bins=72),
    lambda y, sr: af.mfcc(y, sr=sr),
    lambda y, sr: af.delta(af.mfcc(y, sr=sr)),
], ids=["mel", "logfreq", "mfcc", "delta"])
def test_float32_within_1e4_of_float64(recordings, feature):
    y, sr = recordings["music_vibeace_22k_mono.flac"]
    out64 = feature(y, sr)
    out32 = feature(y.astype(np.float32), sr)
    assert out32.dtype == np.float32 and out64.dtype == np.float64
    tolerance_check(out32, out64, 1e-4, "float32 vs float64")


def test_half_precision_is_computed_in_float32(rng):
    y = rng.standard_normal((2, 4000)).astype(np.float16)
    out = af.melspectrogram(y, sr=16000, n_fft=512)
    assert out.dtype == np.float32
    tolerance_check(out, af.melspectrogram(y.astype(np.float32), sr=16000, n_fft=512), 1e-6)


def test_constants_are_built_once_and_placed_once(xp, batch):
    from audiofront import _constants, filterbanks

    filterbanks._mel_host.cache_clear()
    af.melspectrogram(xp.asarray(batch), n_mels=48)
    af.melspectrogram(xp.asarray(batch[..., :-1]), n_mels=48)  # another shape: JAX traces again
    info = filterbanks._mel_host.cache_info()
    assert info.misses == 1 and info.hits >= 1
    args = (22050.0, 2048, 48, 0.0, 11025.0, False, "slaney")
    placed = _constants.place(filterbanks._mel_weights, args, xp=xp.xp, device=xp.device,
                              dtype=xp.xp.float32)
    again = _constants.place(filterbanks._mel_weights, args, xp=xp.xp, device=xp.device,
                             dtype=xp.xp.float32)
    assert placed is again


def test_precomputed_inputs_as_librosa():
    y, _ = load("music_vibeace_22k_mono.flac", seconds=3.0)
    y = y.astype(np.float64)
    S = np.abs(librosa.stft(y, n_fft=1024)) ** 2
    expected = librosa.feature.melspectrogram(S=S, sr=22050, n_mels=64)
    tolerance_check(af.melspectrogram(S=S, sr=22050, n_mels=64), expected, 1e-7, "mel of S")
    log_mel = librosa.power_to_db(expected)
    tolerance_check(af.mfcc(S=log_mel, n_mfcc=13), librosa.feature.mfcc(S=log_mel, n_mfcc=13),
                    1e-12, "mfcc of S")
    C = librosa.cqt(y, sr=22050, n_bins=72, bins_per_octave=12)
    expected = librosa.feature.chroma_cqt(C=np.abs(C), sr=22050, bins_per_octave=12)
    tolerance_check(af.chroma_cqt(C=np.abs(C), bins_per_octave=12), expected, 1e-12, "chroma")
    tolerance_check(af.chroma_cqt(C=C, bins_per_octave=12), expected, 1e-12, "complex C")
    for call in (lambda: af.melspectrogram(), lambda: af.melspectrogram(y, S=S),
                 lambda: af.mfcc(y, S=log_mel), lambda: af.chroma_cqt()):
        with pytest.raises(af.ParameterError, match="exactly one of y"):
            call()


def test_precomputed_spectrogram_on_backend(xp):
    S = np.random.default_rng(4).uniform(size=(2, 513, 20)).astype(np.float32)
    got = af.melspectrogram(S=xp.asarray(S), sr=16000, n_mels=40)
    tolerance_check(assert_like(got, xp, dtype=xp.xp.float32), af.melspectrogram(S=S, sr=16000,
                                                                                  n_mels=40), 1e-5)
