"""audiofront.adapters.keras.streaming: external-state layers equal the offline features, on
every Keras backend; on TensorFlow a model of one step converts to TFLite and streams there."""

import numpy as np
import pytest

from helpers import optional

keras = optional("keras")

import audiofront as af  # noqa: E402
from audiofront.adapters.keras import streaming as afks  # noqa: E402
from helpers import tolerance_check  # noqa: E402
from keras_helpers import as_numpy  # noqa: E402

MEL = dict(sr=16000, n_fft=400, hop_length=160, n_mels=40)


def _signal(batch=2, n=6000):
    return (np.random.default_rng(0).standard_normal((batch, n)) * 0.3).astype(np.float32)


def _stream(layer, y, size):
    state, parts = layer.init_state(y[:, :0]), []
    for a in range(0, y.shape[-1], size):
        frames, *state = layer([y[:, a:a + size], *state])
        parts.append(as_numpy(frames))
    parts.append(as_numpy(layer.flush(state)))
    return np.concatenate(parts, -1)


@pytest.mark.parametrize("name,params,offline", [
    ("MelSpectrogram", MEL, lambda y: af.melspectrogram(y, **MEL)),
    ("Spectrogram", dict(n_fft=256, hop_length=100, power=1.0),
     lambda y: af.spectrogram(y, n_fft=256, hop_length=100, power=1.0)),
    ("LogFrequencySpectrogram", dict(sr=16000, n_fft=1024, hop_length=256, n_bins=48, fmin=100.0),
     lambda y: af.log_frequency_spectrogram(y, sr=16000, n_fft=1024, hop_length=256, n_bins=48,
                                            fmin=100.0)),
])
@pytest.mark.parametrize("method", ["dft", "fft"])
def test_stream_layers_equal_the_offline_features(name, params, offline, method):
    """Against the NumPy core, with the 1e-5 float32 bound of every cross-framework adapter
    test: a 1024-term float32 product (method 'dft') rounds differently for the frame or two
    of a step than for a whole clip in torch's sgemm (2.1e-6 of the maximum here, the NumPy
    offline call being itself 1.0e-6 from float64); tests/test_streaming.py holds the stream
    to the offline call on one backend at 1e-6."""
    y = _signal()
    layer = getattr(afks, name)(**params, method=method)
    tolerance_check(_stream(layer, y, 333), offline(y), 1e-5, f"{name} {method}")
    again = type(layer).from_config(layer.get_config())
    assert again.get_config() == layer.get_config()
    tolerance_check(_stream(again, y, 1000), offline(y), 1e-5, "from_config")


def test_tflite_stream_of_a_primed_step():
    if keras.backend.backend() != "tensorflow":
        pytest.skip("N/A: TensorFlow only")
    import tensorflow as tf

    y = _signal(batch=1)
    layer = afks.MelSpectrogram(**MEL)
    head, *state = layer([y[:, :layer.prime_length], *layer.init_state(y[:, :0])])
    chunk = 320  # 20 ms: whole hops, so the state keeps its shape
    inputs = [keras.Input((chunk,), batch_size=1), keras.Input((state[0].shape[-1],), batch_size=1)]
    model = keras.Model(inputs, layer(inputs))
    interpreter = tf.lite.Interpreter(
        model_content=tf.lite.TFLiteConverter.from_keras_model(model).convert())
    interpreter.allocate_tensors()
    by_width = {tuple(d["shape"]): d["index"] for d in interpreter.get_input_details()}
    outs = {len(d["shape"]): d["index"] for d in interpreter.get_output_details()}
    buffer, parts, at = np.asarray(state[0]), [as_numpy(head)], layer.prime_length
    while at + chunk <= y.shape[-1]:
        interpreter.set_tensor(by_width[(1, chunk)], y[:, at:at + chunk])
        interpreter.set_tensor(by_width[(1, buffer.shape[-1])], buffer)
        interpreter.invoke()
        parts.append(interpreter.get_tensor(outs[3]))
        buffer = interpreter.get_tensor(outs[2])
        at += chunk
    frames, *state = layer([y[:, at:], buffer])
    parts += [as_numpy(frames), as_numpy(layer.flush(state))]
    tolerance_check(np.concatenate(parts, -1), af.melspectrogram(y, **MEL), 1e-5, "tflite stream")
