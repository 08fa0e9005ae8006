"""audiofront's own Keras layers (``audiofront.adapters.keras``: librosa's names, defaults and
numbers, ``(freq, frames)`` order) against the core, run once per Keras backend by
tests/test_keras_adapter.py."""

import importlib

import numpy as np
import pytest

from helpers import optional

keras = optional("keras")

import audiofront as af  # noqa: E402
from audiofront.adapters import keras as afk  # noqa: E402
from helpers import tolerance_check  # noqa: E402
from keras_helpers import as_numpy, check_chain, recordings  # noqa: E402


@pytest.fixture(scope="module")
def audio():
    """(batch 2, channels 2, time) from real recordings, float32: the core's layout."""
    return recordings()


def layout(a, fmt):
    """The core's (batch, ch, ...) array in a layer's data_format."""
    return np.moveaxis(a, 1, -1) if fmt == "channels_last" else a


SPECTRAL = {  # name -> (layer, the core's function of (batch, ch, time))
    "STFT": (lambda **k: afk.STFT(n_fft=512, hop_length=128, **k),
             lambda y: af.stft(y, n_fft=512, hop_length=128)),
    "STFT-dft-window": (lambda **k: afk.STFT(n_fft=512, win_length=400, hop_length=160,
                                             window="hamming", method="dft", center=False, **k),
                        lambda y: af.stft(y, n_fft=512, win_length=400, hop_length=160,
                                          window="hamming", center=False)),
    "Spectrogram": (lambda **k: afk.Spectrogram(n_fft=400, hop_length=160, power=1.0, **k),
                    lambda y: af.spectrogram(y, n_fft=400, hop_length=160, power=1.0)),
    "MelSpectrogram": (lambda **k: afk.MelSpectrogram(sr=16000, n_fft=512, n_mels=40, **k),
                       lambda y: af.melspectrogram(y, sr=16000, n_fft=512, n_mels=40)),
    "MelSpectrogram-htk-reflect": (
        lambda **k: afk.MelSpectrogram(sr=16000, n_fft=1024, hop_length=256, n_mels=64, htk=True,
                                       fmin=50.0, fmax=7000.0, pad_mode="reflect", **k),
        lambda y: af.melspectrogram(y, sr=16000, n_fft=1024, hop_length=256, n_mels=64, htk=True,
                                    fmin=50.0, fmax=7000.0, pad_mode="reflect")),
    "LogFrequencySpectrogram": (
        lambda **k: afk.LogFrequencySpectrogram(sr=16000, n_fft=1024, fmin=60.0, **k),
        lambda y: af.log_frequency_spectrogram(y, sr=16000, n_fft=1024, fmin=60.0)),
    "CQT": (lambda **k: afk.CQT(sr=16000, fmin=65.0, n_bins=60, hop_length=256,
                                output="magnitude", **k),
            lambda y: np.abs(af.cqt(y, sr=16000, fmin=65.0, n_bins=60, hop_length=256))),
    "MFCC": (lambda **k: afk.MFCC(sr=16000, n_mfcc=13, n_fft=512, n_mels=40, **k),
             lambda y: af.mfcc(y, sr=16000, n_mfcc=13, n_fft=512, n_mels=40)),
}


@pytest.mark.parametrize("fmt", ["channels_last", "channels_first"])
@pytest.mark.parametrize("name", SPECTRAL)
def test_audio_layers_match_the_core(audio, name, fmt):
    make, core = SPECTRAL[name]
    x = layout(audio, fmt)
    expected = layout(core(audio), fmt)
    seq = keras.Sequential([keras.Input(x.shape[1:]), make(data_format=fmt)])
    inp = keras.Input((None, 2) if fmt == "channels_last" else (2, None))
    fun = keras.Model(inp, make(data_format=fmt)(inp))
    for model in (seq, fun):
        tolerance_check(as_numpy(model(x)), expected, 1e-5, name)
    assert tuple(seq.output_shape[1:]) == expected.shape[1:]


def test_channels_first_takes_the_cores_layout_of_any_rank(audio):
    mel = afk.MelSpectrogram(sr=16000, n_fft=512, n_mels=40, data_format="channels_first")
    expected = af.melspectrogram(audio[:, 0], sr=16000, n_fft=512, n_mels=40)
    tolerance_check(as_numpy(mel(audio[:, 0])), expected, 1e-5, "(batch, time)")


@pytest.mark.parametrize("fmt", ["channels_last", "channels_first"])
def test_spectral_layers_match_the_core(audio, fmt):
    M = af.melspectrogram(audio, sr=16000, n_fft=512)
    x = layout(M, fmt)
    logM = np.log1p(M * 2 ** 20)
    cases = [
        (afk.PowerToDB(ref="max", top_db=60.0, data_format=fmt), M,
         af.power_to_db(M, ref="max", top_db=60.0)),
        (afk.AmplitudeToDB(data_format=fmt), M, af.amplitude_to_db(M)),
        (afk.Delta(width=7, order=2, data_format=fmt), logM, af.delta(logM, width=7, order=2)),
        (afk.ApplyFilterbank("log", filterbank_kwargs={"sr": 16000, "n_fft": 254, "n_bins": 40,
                                                       "fmin": 80.0}, data_format=fmt),
         M, af.apply_filterbank(M, filterbank=af.log_filterbank(sr=16000, n_fft=254, n_bins=40,
                                                                fmin=80.0))),
        (afk.PCEN(sr=16000, hop_length=512, data_format=fmt), M * 2 ** 31,
         af.pcen(M * 2 ** 31, sr=16000, hop_length=512)),
        (afk.PCEN(sr=16000, max_size=3, gain=0.8, data_format=fmt), M * 2 ** 31,
         af.pcen(M * 2 ** 31, sr=16000, max_size=3, gain=0.8)),
        (afk.PCEN(sr=16000, trainable=True, data_format=fmt), M * 2 ** 31,
         af.pcen(M * 2 ** 31, sr=16000)),
        (afk.LCN(kernel_size=(5, 7), data_format=fmt), logM, af.lcn(logM, kernel_size=(5, 7))),
        (afk.Standardize(data_format=fmt), logM, af.standardize(logM)),
    ]
    for layer, inp, expected in cases:
        tolerance_check(as_numpy(layer(layout(inp, fmt))), layout(expected, fmt), 1e-5,
                        type(layer).__name__)
    assert x.shape  # the mel input itself was laid out


def test_frame_mu_law_and_inverse_stft(audio):
    x = layout(audio, "channels_last")
    frames = as_numpy(afk.Frame(frame_length=400, hop_length=160, pad_end=True)(x))
    np.testing.assert_array_equal(
        frames, np.moveaxis(af.frame(audio, frame_length=400, hop_length=160, pad_end=True), 1, -1))
    codes = afk.MuLawEncoding()(x)
    np.testing.assert_array_equal(as_numpy(codes), af.mu_law_encode(x))
    tolerance_check(as_numpy(afk.MuLawDecoding()(codes)), af.mu_law_decode(af.mu_law_encode(x)),
                    1e-6)
    S = afk.STFT(n_fft=512, hop_length=128)(x)
    back = as_numpy(afk.InverseSTFT(n_fft=512, hop_length=128, length=16000)(S))
    tolerance_check(back, x, 1e-5, "stft -> istft")


def test_augmentations(audio):
    x = layout(audio, "channels_last")
    noise = afk.AdditiveNoise(power=0.01, seed=1)
    np.testing.assert_array_equal(as_numpy(noise(x)), x)  # inference: identity
    added = as_numpy(noise(x, training=True)) - x
    assert abs(added.var() - 0.01) < 1e-3  # variance `power`, as the torch module
    S = np.abs(as_numpy(afk.Spectrogram(n_fft=256)(x))) + 1.0  # (batch, freq, frames, ch)
    aug = afk.SpecAugment(freq_mask_param=10, time_mask_param=8, n_freq_masks=2, seed=2)
    masked = as_numpy(aug(S, training=True))
    zero = masked == 0
    assert zero.any()
    bins, frames = zero.all(axis=2, keepdims=True), zero.all(axis=1, keepdims=True)
    assert np.array_equal(zero, zero & (bins | frames))  # whole bins and whole frames


def test_trainable_constants_learn_and_a_model_trains():
    rng = np.random.default_rng(0)
    sr, n = 8000, 4000
    t = np.arange(n) / sr
    x = np.concatenate([np.sin(2 * np.pi * rng.uniform(300, 2000, (32, 1)) * t) * 0.5,
                        rng.standard_normal((32, n)) * 0.3])[..., None].astype(np.float32)
    y = np.concatenate([np.zeros(32), np.ones(32)]).astype("int32")
    mel = afk.MelSpectrogram(sr=sr, n_fft=256, hop_length=128, n_mels=32, trainable_stft=True,
                             trainable_filterbank=True)
    model = keras.Sequential([keras.Input((n, 1)), mel, afk.PowerToDB(ref="max"),
                              keras.layers.Conv2D(8, 3, activation="relu"),
                              keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(2)])
    before = [as_numpy(w).copy() for w in (mel.dft_basis, mel.filterbank)]
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    losses = model.fit(x, y, epochs=25, batch_size=16, verbose=0, shuffle=True).history["loss"]
    assert losses[-1] < 0.5 * losses[0], losses[::5]
    for w, b in zip((mel.dft_basis, mel.filterbank), before, strict=True):
        assert not np.array_equal(as_numpy(w), b)


def test_trainable_cqt_kernels_learn(audio):
    """trainable_kernels: the direct basis as a weight, equal to the core's transform before
    training and moved by one step."""
    cqt = afk.CQT(sr=16000, fmin=110.0, n_bins=24, hop_length=256, trainable_kernels=True,
                  output="magnitude", data_format="channels_first")
    x = audio[:, :, :8000]
    expected = np.abs(af.cqt(x, sr=16000, fmin=110.0, n_bins=24, hop_length=256,
                             algorithm="direct"))  # trainable kernels are the direct ones
    tolerance_check(as_numpy(cqt(x)), expected, 1e-5, "trainable CQT before training")
    assert [w.name for w in cqt.trainable_weights] == ["direct_basis"]
    before = as_numpy(cqt.direct_basis).copy()
    model = keras.Sequential([keras.Input((2, 8000)), cqt, keras.layers.Flatten(),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(1e-2), loss="mse")
    model.fit(x, np.ones((len(x), 1), np.float32), epochs=1, verbose=0)
    assert not np.array_equal(as_numpy(cqt.direct_basis), before)
    brown = afk.CQT(sr=16000, fmin=110.0, n_bins=24, hop_length=256, kernels="brown",
                    pad_mode="reflect", data_format="channels_first")
    tolerance_check(as_numpy(brown(x)), af.cqt(x, sr=16000, fmin=110.0, n_bins=24,
                                              hop_length=256, kernels="brown",
                                              pad_mode="reflect"), 1e-5, "brown")


def test_trainable_pcen_learns_one_value_per_band_under_fit():
    rng = np.random.default_rng(1)
    x = (rng.uniform(0, 1, (16, 12, 20, 1)) * np.linspace(1, 50, 12)[:, None, None]).astype(
        np.float32)  # (batch, freq 12, frames 20, ch)
    y = rng.standard_normal((16, 1)).astype(np.float32)
    pcen = afk.PCEN(sr=8000, hop_length=128, trainable=True)
    model = keras.Sequential([keras.Input((12, 20, 1)), pcen, keras.layers.Flatten(),
                              keras.layers.Dense(1)])
    before = {name: as_numpy(w).copy() for name, w in pcen._raw.items()}
    assert len(pcen.trainable_weights) == 4 and before["gain"].shape == (12,)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    for name, w in pcen._raw.items():
        assert not np.array_equal(as_numpy(w), before[name]), name


def _chains():
    return {
        "spectra": ((None, 2), [afk.STFT(n_fft=256, center=False)]),
        "mel, dB, deltas": ((None, 2), [afk.MelSpectrogram(n_fft=512, n_mels=40), afk.PowerToDB(),
                                        afk.Delta()]),
        "spectrogram and filters": ((None, 1), [afk.Spectrogram(n_fft=512, power=1.0),
                                                afk.ApplyFilterbank("mel", filterbank_kwargs={
                                                    "sr": 22050, "n_fft": 512, "n_mels": 24}),
                                                afk.AmplitudeToDB()]),
        "log-frequency": ((None, 1), [afk.LogFrequencySpectrogram(n_fft=1024, fmin=60.0)]),
        "CQT": ((None, 2), [afk.CQT(fmin=110.0, n_bins=36, output="magnitude")]),
        "trainable CQT": ((None, 2), [afk.CQT(fmin=110.0, n_bins=24, trainable_kernels=True,
                                              output="magnitude")]),
        "MFCC": ((None, 2), [afk.MFCC(n_mfcc=13, n_fft=512, n_mels=40)]),
        "frames and mu-law": ((None, 2), [afk.MuLawEncoding(), afk.MuLawDecoding(),
                                          afk.Frame(frame_length=400, hop_length=160)]),
        "normalisations and augmentations": (
            (None, 2), [afk.MelSpectrogram(n_fft=512, n_mels=40), afk.PCEN(max_size=3),
                        afk.PCEN(trainable=True), afk.LCN(kernel_size=(3, 5)), afk.Standardize(),
                        afk.AdditiveNoise(), afk.SpecAugment(freq_mask_param=4)]),
        "inverse": ((4095, 2), [afk.STFT(n_fft=256), afk.InverseSTFT(n_fft=256, length=4095)]),
    }


@pytest.mark.parametrize("name", list(_chains()))
@pytest.mark.parametrize("n", [4000, 4095])
def test_every_layer_shapes_saves_and_loads(name, n, tmp_path):
    check_chain(*_chains()[name], n, tmp_path / "model.keras")


def test_every_layer_class_is_registered_under_its_own_name():
    """Native and compat layers share class names (Delta, STFT, ...): each must deserialise as
    itself, not as a namesake registered later."""
    modules = ["audiofront.adapters.keras"] + [
        f"audiofront.compat.kapre.{m}" for m in ("time_frequency", "signal", "augmentation",
                                                 "composed", "utils", "filterbank")]
    seen = 0
    for module in map(importlib.import_module, modules):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, keras.layers.Layer) and \
                    value.__module__ == module.__name__ and not value.__name__.startswith("_"):
                name = keras.saving.get_registered_name(value)
                assert keras.saving.get_registered_object(name) is value, name
                seen += 1
    assert seen > 40


def test_arguments_are_checked():
    for make, text in ((lambda: afk.STFT(n_fft=512, pad_mode="bogus"), "pad_mode='bogus'"),
                       (lambda: afk.STFT(n_fft=512, method="fft", trainable_stft=True),
                        "needs method='dft'"),
                       (lambda: afk.MelSpectrogram(power=-1), "power"),
                       (lambda: afk.SpecAugment(freq_mask_param=-1), "freq_mask_param=-1"),
                       (lambda: afk.PowerToDB(top_db=-1), "top_db=-1"),
                       (lambda: afk.CQT(output="phase"), "output"),
                       (lambda: afk.ApplyFilterbank("bark"), "kind"),
                       (lambda: afk.STFT(data_format="NCHW"), "data_format")):
        with pytest.raises(af.ParameterError, match=text):
            make()
