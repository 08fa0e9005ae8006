"""Streaming Keras 3 layers: :mod:`audiofront.streaming` with the state outside the layer.

A layer is called on ``[chunk, *state]`` and returns ``[frames, *state]``: audio
``(batch, time)`` in, frames ``(batch, freq, k)`` out (the core's layout), the state a list
of tensors from ``init_state(like)``; ``flush(state)`` gives the end. With fixed shapes (a
stream past its ``prime_length``, chunks of whole hops) a model of the layer converts to
TFLite and runs chunk by chunk with the state fed back; ``method='dft'`` (the default here)
keeps complex numbers out of the graph. The layer holds the offline layer's weights (window,
DFT basis, filterbank: trainable if asked); ``get_config`` holds the constructor arguments.

>>> import keras, numpy as np
>>> from audiofront.adapters.keras.streaming import MelSpectrogram
>>> layer = MelSpectrogram(sr=16000, n_fft=400, hop_length=160, n_mels=40)
>>> state = layer.init_state(np.zeros((2, 0), np.float32))
>>> frames, *state = layer([np.zeros((2, 320), np.float32), *state])
>>> tuple(frames.shape), layer.latency
((2, 40, 1), 200)
"""

from __future__ import annotations

import keras

from ... import streaming as core
from .._keras import Layer, value
from . import LogFrequencySpectrogram as _LogFrequency, MelSpectrogram as _Mel, \
    Spectrogram as _Spectrogram

__all__ = ["Spectrogram", "MelSpectrogram", "LogFrequencySpectrogram"]

register = keras.saving.register_keras_serializable(package="audiofront.streaming")


class _Stream(core.HoldsSpec, Layer):
    """The stream of an offline spectral layer, whose weights it holds and passes to the core."""

    offline = None  # the offline layer class
    function = None  # the streaming constructor
    basis = None  # the core's name for the filterbank

    def __init__(self, *, method="dft", name=None, dtype=None, trainable=True, **params):
        super().__init__(name=name, dtype=dtype, trainable=trainable)
        self.params = dict(params, method=method)
        self.features = type(self).offline(data_format="channels_first", **self.params)
        f = self.features
        settings = {"n_fft": f.n_fft, "hop_length": f.hop_length, "win_length": f.win_length,
                    "window": f.window, "center": f.center, "pad_mode": f.pad_mode,
                    "method": f.method, "power": f.power, **getattr(f, "_fb", {})}
        self.spec = type(self).function(**settings)

    def build(self, input_shape):
        self.features.build(input_shape[0])

    def _constants(self) -> dict:
        if not self.features.built:
            self.features.build(None)
        out = {} if self.features.method == "fft" else {"dft_basis": value(self.features.dft_basis)}
        if self.basis is not None:
            out[self.basis] = value(self.features.filterbank)
        return out

    def init_state(self, like) -> list:
        """The initial state for a stream like ``like`` (its dtype and batch shape, e.g.
        ``x[:, :0]``), as a list of the backend's tensors."""
        like = keras.ops.convert_to_tensor(like)
        return list(self.spec.init(like).flat())

    def call(self, inputs):
        chunk, *state = inputs
        frames, state = self.spec.step(self.spec.unflat(state), chunk, **self._constants())
        return [frames, *state.flat()]

    def flush(self, state):
        """The last frames, with the offline end padding."""
        state = [keras.ops.convert_to_tensor(s) for s in state]
        return self.spec.flush(self.spec.unflat(state), **self._constants())

    def compute_output_shape(self, input_shape):
        chunk, *state = input_shape
        held = state[0][-1] + chunk[-1]  # the samples not yet framed, and the chunk
        n_fft, hop = self.features.n_fft, self.features.hop_length
        frames = max(0, (held - n_fft) // hop + 1)
        bins = self.features.compute_output_shape((None, n_fft))[1]
        return [(chunk[0], bins, frames), *(tuple(s[:-1]) + (held - frames * hop,) for s in state)]

    def _config(self):
        return dict(self.params)


@register
class Spectrogram(_Stream):
    """Streaming :class:`audiofront.adapters.keras.Spectrogram` (its keyword parameters)."""

    offline, function = _Spectrogram, core.spectrogram


@register
class MelSpectrogram(_Stream):
    """Streaming :class:`audiofront.adapters.keras.MelSpectrogram` (its keyword parameters)."""

    offline, function, basis = _Mel, core.melspectrogram, "mel_basis"


@register
class LogFrequencySpectrogram(_Stream):
    """Streaming :class:`audiofront.adapters.keras.LogFrequencySpectrogram` (its keyword
    parameters)."""

    offline, function, basis = _LogFrequency, core.log_frequency_spectrogram, "log_basis"
