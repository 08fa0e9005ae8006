"""What the per-backend Keras tests share (imported after Keras picked its backend)."""

import keras
import numpy as np

from helpers import load


def as_numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def recordings() -> np.ndarray:
    """(batch 2, channels 2, time 16000) from real recordings, float32: the core's layout."""
    speech, _ = load("speech_libri_5703_16k_mono.flac", seconds=1.0)
    music, _ = load("music_vibeace_22k_mono.flac", seconds=1.0)
    n = 16000
    y = np.stack([np.stack([speech[:n], music[:n]]), np.stack([music[:n], speech[:n]])])
    return (0.5 * y).astype(np.float32)


def check_chain(shape, layers, n, path):
    """A Sequential of ``layers`` on ``(2, n) + shape[1:]`` input: the output shape each layer
    predicts is the real one, and the model saved to ``path`` loads back (no custom_objects)
    and computes the same."""
    import pytest

    if shape[0] is not None and shape[0] != n:
        pytest.skip("N/A: the chain takes one fixed length")
    x = np.random.default_rng(n).uniform(-0.9, 0.9, (2, n) + tuple(shape[1:])).astype(np.float32)
    model = keras.Sequential([keras.Input(shape)] + layers)
    out = as_numpy(model(x))
    predicted = (2,) + tuple(x.shape[1:])
    for layer in layers:
        predicted = tuple(layer.compute_output_shape(predicted))
    assert predicted == out.shape, (predicted, out.shape)
    model.save(path)
    np.testing.assert_array_equal(as_numpy(keras.models.load_model(path)(x)), out)
