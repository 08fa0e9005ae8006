"""kapre 0.1/0.2's layers (``audiofront.compat.kapre``) against kapre 0.2.0, run once per Keras
backend by tests/test_keras_adapter.py.

The reference outputs and the saved model were computed by kapre 0.2.0 itself
(``tests/reference/make_kapre02.py``); ``test_fixtures_are_what_kapre_computes`` reruns that
script where kapre 0.2.0 can be set up and checks the stored files against it.
"""

import importlib
import os
import subprocess
import sys

import numpy as np
import pytest

from helpers import optional

keras = optional("keras")
optional("h5py")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "reference"))

import kapre02_cases  # noqa: E402
from keras_helpers import as_numpy  # noqa: E402

REF = dict(np.load(kapre02_cases.FIXTURE))
CASES = kapre02_cases.cases()
REL = 1e-4  # of each output's largest magnitude: float32 rounding of the same products


def decibels(name):
    """Whether a case's output is kapre 0.2's decibels (each example's maximum at 0 dB)."""
    return "_db1_" in name or name.startswith("amplitude_to_db")


def compat(module, name):
    return getattr(importlib.import_module(f"audiofront.compat.kapre.{module}"), name)


def assert_close(got, want, what):
    assert got.shape == want.shape, (what, got.shape, want.shape)
    scale = float(np.abs(want).max())
    err = float(np.abs(got - want).max())
    assert err <= REL * scale, f"{what}: max error {err:.3g} > {REL} x {scale:.4g}"


@pytest.mark.parametrize("name", list(CASES))
def test_layer_reproduces_kapre_020(name):
    module, cls, args, kwargs, key = CASES[name]
    x = REF[f"input/{key}"]
    # as kapre 0.2 users build it: the first layer of a Sequential, given input_shape
    model = keras.Sequential([keras.Input(x.shape[1:]), compat(module, cls)(*args, **kwargs)])
    got, want = as_numpy(model.predict(x, batch_size=len(x), verbose=0)), REF[f"output/{name}"]
    if decibels(name):
        # compared as the ratio to each example's maximum, 10 ** (dB / 10), in [1e-8, 1]: kapre's
        # 80 dB range reaches 1e-8 of the maximum, where a float32 value is rounding noise (a
        # bin at 1e-7 of the maximum may differ by 0.08 dB between two float32 sums)
        got, want = 10.0 ** (got / 10.0), 10.0 ** (want / 10.0)
    assert_close(got, want, name)


def test_legacy_h5_model_loads_and_predicts_the_same(tmp_path):
    from audiofront.compat.kapre import load_legacy_model

    x = REF["input/stereo"]
    model = load_legacy_model(kapre02_cases.MODEL)
    assert_close(as_numpy(model.predict(x, batch_size=len(x), verbose=0)),
                 REF["output/legacy_model"], "legacy model")
    # compiled as saved: the loss and the optimizer with its settings
    assert model.loss == "mse" and isinstance(model.optimizer, keras.optimizers.Adam)
    assert abs(float(as_numpy(model.optimizer.learning_rate)) - 1e-3) < 1e-9
    model.fit(x, np.zeros((2, 3), np.float32), epochs=1, verbose=0)  # and it trains on
    # and saved again in Keras 3's format, it loads without custom_objects
    model.save(tmp_path / "m.keras")
    again = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(as_numpy(again.predict(x, batch_size=len(x), verbose=0)),
                                  as_numpy(model.predict(x, batch_size=len(x), verbose=0)))


def test_legacy_h5_model_loads_with_custom_objects_as_the_seed_readme():
    from audiofront.compat.kapre import time_frequency, utils

    # (compile=False: Keras 3 cannot read tf.keras 2's training config; load_legacy_model does)
    model = keras.models.load_model(
        kapre02_cases.MODEL, custom_objects={"Melspectrogram": time_frequency.Melspectrogram,
                                             "Normalization2D": utils.Normalization2D},
        compile=False)
    x = REF["input/stereo"]
    assert_close(as_numpy(model.predict(x, batch_size=len(x), verbose=0)),
                 REF["output/legacy_model"], "legacy model")


def test_seed_readme_model_trains_saves_and_loads(tmp_path):
    # the seed README's "Using Mel-spectrogram" example, only the imports changed
    from keras.models import Sequential

    from audiofront.compat.kapre.augmentation import AdditiveNoise
    from audiofront.compat.kapre.time_frequency import Melspectrogram
    from audiofront.compat.kapre.utils import Normalization2D

    input_shape = (6, 44100)
    sr = 44100
    model = Sequential()
    model.add(keras.Input(input_shape))
    model.add(Melspectrogram(n_dft=512, n_hop=256, input_shape=input_shape,
                             padding='same', sr=sr, n_mels=128,
                             fmin=0.0, fmax=sr / 2, power_melgram=1.0,
                             return_decibel_melgram=False, trainable_fb=False,
                             trainable_kernel=False,
                             name='trainable_stft'))
    model.add(AdditiveNoise(power=0.2))
    model.add(Normalization2D(str_axis='freq'))
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile('adam', 'categorical_crossentropy')
    x = np.repeat(REF["input/six"], 2, axis=0) * np.array([1.0, 0.5], np.float32)[:, None, None]
    y = np.eye(10, dtype=np.float32)[[1, 7]]
    model.fit(x, y, epochs=1, batch_size=2, verbose=0)
    before = as_numpy(model.predict(x, batch_size=2, verbose=0))
    # AdditiveNoise is off outside training: the mel layer gives kapre 0.2's numbers
    mel = keras.Model(model.inputs, model.get_layer("trainable_stft").output)
    assert_close(as_numpy(mel.predict(x[:1], verbose=0)), REF["output/readme_six_channels"],
                 "the README's Melspectrogram in a trained model")
    for path, objects in ((tmp_path / "m.keras", None),
                          (tmp_path / "temp_model.h5", {"Melspectrogram": Melspectrogram})):
        model.save(path)
        loaded = keras.models.load_model(path, custom_objects=objects)
        np.testing.assert_allclose(as_numpy(loaded.predict(x, batch_size=2, verbose=0)), before,
                                   rtol=1e-6, atol=1e-7)


def test_seed_readme_save_load_example(tmp_path):
    # the seed README's "To save/load models with kapre layers", only the imports changed
    import keras  # was: import tensorflow.keras as keras

    from audiofront.compat import kapre

    model = keras.models.Sequential()
    model.add(kapre.time_frequency.Melspectrogram(512, input_shape=(1, 44100)))
    model.summary()
    model.save(tmp_path / 'temp_model.h5')
    # Now saved, let's load it.
    model2 = keras.models.load_model(tmp_path / 'temp_model.h5',
      custom_objects={'Melspectrogram':kapre.time_frequency.Melspectrogram})
    model2.summary()
    x = REF["input/long_mono"]
    assert_close(as_numpy(model2.predict(x, verbose=0)), REF["output/readme_save_load"],
                 "the README's saved and loaded Melspectrogram(512)")
    from audiofront.compat.kapre.delta import Delta  # where that README documents Delta

    assert Delta is kapre.utils.Delta


@pytest.mark.parametrize("trainable", [True, False])
def test_trainable_flags_mean_what_kapre_documents(trainable):
    from audiofront.compat.kapre.time_frequency import Melspectrogram

    mel = Melspectrogram(n_dft=128, n_hop=64, sr=8000, n_mels=16, trainable_kernel=trainable,
                         trainable_fb=trainable, return_decibel_melgram=True)
    model = keras.Sequential([keras.Input((1, 2000)), mel, keras.layers.Flatten(),
                              keras.layers.Dense(1)])
    assert len(mel.trainable_weights) == (3 if trainable else 0)
    before = [as_numpy(w).copy() for w in mel.weights]
    model.compile("adam", "mse")
    x = np.random.default_rng(0).standard_normal((8, 1, 2000)).astype(np.float32)
    model.fit(x, np.ones((8, 1), np.float32), epochs=2, verbose=0)
    changed = [not np.array_equal(as_numpy(w), b) for w, b in zip(mel.weights, before)]
    assert changed == [trainable] * 3


def test_additive_noise_has_kapre_02s_standard_deviation():
    from audiofront.compat.kapre.augmentation import AdditiveNoise

    x = np.zeros((4, 200, 50), np.float32)
    noisy = as_numpy(AdditiveNoise(power=0.2, seed=3)(x, training=True))
    assert abs(noisy.std() - 0.2) < 0.005  # kapre 0.2: standard deviation `power`
    np.testing.assert_array_equal(as_numpy(AdditiveNoise(power=0.2)(x)), x)  # not training
    gained = as_numpy(AdditiveNoise(power=0.2, random_gain=True, seed=4)(x, training=True))
    assert 0 < gained.std() < 0.2


def test_legacy_arguments_are_checked():
    from audiofront import ParameterError
    from audiofront.compat.kapre import filterbank, time_frequency, utils

    for make, text in ((lambda: time_frequency.Spectrogram(n_dft=500), "n_dft=500"),
                       (lambda: time_frequency.Spectrogram(padding="full"), "padding"),
                       (lambda: time_frequency.Melspectrogram(power_spectrogram=1.0),
                        "power_spectrogram=1.0"),
                       (lambda: utils.Normalization2D(), "str_axis=None"),
                       (lambda: utils.Normalization2D(str_axis="rows"), "rows"),
                       (lambda: utils.Delta(win_length=1), "win_length=1"),
                       (lambda: filterbank.Filterbank(8, False, sr=8000, init="linear"),
                        "init='linear'")):
        with pytest.raises(ParameterError, match=text):
            make()
    layer = time_frequency.Spectrogram(n_dft=512, padding="valid")
    with pytest.raises(ParameterError, match="400 samples"):
        layer(np.zeros((1, 1, 400), np.float32))


def test_fixtures_are_what_kapre_computes(tmp_path):
    """Where kapre 0.2.0 can be set up (its unpacked sdist in AUDIOFRONT_KAPRE02, tf_keras
    installed), the stored reference is computed again by kapre and must be the same."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("N/A: kapre 0.2.0 runs on TensorFlow; checked in the tensorflow run")
    optional("tf_keras", reason="tf_keras (the legacy tf.keras kapre 0.2 runs on) is missing")
    if not os.environ.get("AUDIOFRONT_KAPRE02"):
        # not 'N/A': with AUDIOFRONT_REQUIRE set (CI) this skip fails the run
        pytest.skip("AUDIOFRONT_KAPRE02 (kapre 0.2.0's unpacked sdist) is not set")
    script = os.path.join(os.path.dirname(HERE), "reference", "make_kapre02.py")
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    subprocess.run([sys.executable, script, os.environ["AUDIOFRONT_KAPRE02"], str(tmp_path)],
                   check=True, env=env, capture_output=True)
    fresh = dict(np.load(tmp_path / "reference.npz"))
    assert sorted(fresh) == sorted(REF)
    for key, want in REF.items():
        if key != "versions":  # kapre's run is deterministic (seeded): the same numbers
            np.testing.assert_allclose(fresh[key], want, rtol=1e-5,
                                       atol=1e-6 * np.abs(want).max(), err_msg=key)
    from audiofront.compat.kapre import load_legacy_model

    x = REF["input/stereo"]
    assert_close(as_numpy(load_legacy_model(tmp_path / "legacy_model.h5").predict(x, verbose=0)),
                 REF["output/legacy_model"], "the freshly saved kapre model")
