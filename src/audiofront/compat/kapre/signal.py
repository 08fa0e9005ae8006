"""kapre's ``kapre.signal`` (0.3/0.4): ``Frame``, ``Energy``, ``MuLawEncoding``,
``MuLawDecoding``, ``LogmelToMFCC``, with kapre 0.4.1's signatures, layouts and numbers."""

from __future__ import annotations

import keras
import numpy as np

import audiofront as af
from ...adapters import keras as native
from ...adapters._keras import Layer, channels_last, in_core_layout, xp

__all__ = ["Frame", "Energy", "MuLawEncoding", "MuLawDecoding", "LogmelToMFCC"]

register = keras.saving.register_keras_serializable(package="audiofront.kapre")


@register
class Frame(native.Frame):
    """kapre's ``Frame``: ``(batch, time, ch) -> (batch, frames, frame_length, ch)`` (or
    ``(batch, ch, time) -> (batch, ch, frames, frame_length)``)."""

    def __init__(self, frame_length, hop_length, pad_end=False, pad_value=0.0,
                 data_format="default", **kwargs):
        super().__init__(frame_length=frame_length, hop_length=hop_length, pad_end=pad_end,
                         pad_value=pad_value, data_format=data_format, **kwargs)


@register
class Energy(Layer):
    """kapre's ``Energy``: the energy of each frame, per ``ref_duration`` seconds:
    ``(batch, time, ch) -> (batch, frames, ch)``."""

    def __init__(self, sample_rate=22050, ref_duration=0.1, frame_length=2205, hop_length=1102,
                 pad_end=False, pad_value=0.0, data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.sample_rate, self.ref_duration = sample_rate, ref_duration
        self.frame = Frame(frame_length, hop_length, pad_end=pad_end, pad_value=pad_value,
                           data_format=data_format)

    def build(self, input_shape):
        self.frame.build(input_shape)

    def call(self, x):
        frames = self.frame(x)  # (batch, frames, frame_length, ch) or (batch, ch, frames, length)
        axis = 2 if self.frame._last else 3
        scale = self.ref_duration * self.sample_rate / self.frame.frame_length
        return xp().sum(frames * frames, axis=axis) * scale

    def compute_output_shape(self, input_shape):
        shape = list(self.frame.compute_output_shape(input_shape))
        del shape[2 if self.frame._last else 3]
        return tuple(shape)

    def _config(self):
        return {"sample_rate": self.sample_rate, "ref_duration": self.ref_duration,
                "frame_length": self.frame.frame_length, "hop_length": self.frame.hop_length,
                "pad_end": self.frame.pad_end, "pad_value": self.frame.pad_value,
                "data_format": self.frame.data_format}


@register
class MuLawEncoding(native.MuLawEncoding):
    """kapre's ``MuLawEncoding``: audio in [-1, 1] to codes 0 .. quantization_channels - 1."""

    def __init__(self, quantization_channels=256, **kwargs):
        super().__init__(quantization_channels=quantization_channels, **kwargs)


@register
class MuLawDecoding(native.MuLawDecoding):
    """kapre's ``MuLawDecoding``: codes back to float32 audio in [-1, 1]."""

    def __init__(self, quantization_channels=256, **kwargs):
        super().__init__(quantization_channels=quantization_channels, **kwargs)


@register
class LogmelToMFCC(Layer):
    """kapre's ``LogmelToMFCC``: ``(batch, frames, n_mels, ch) -> (batch, frames, n_mfccs,
    ch)``, TensorFlow's MFCC scaling (``audiofront.mfcc`` gives librosa's)."""

    frames_first = True

    def __init__(self, n_mfccs=20, data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.n_mfccs, self.data_format = n_mfccs, data_format
        self._last = channels_last(data_format)

    def call(self, x):
        def mfcc(S):  # (batch, ch, mels, frames)
            # TensorFlow's mfccs_from_log_mel_spectrograms (kapre's): the unnormalised DCT-II
            # over sqrt(2 n_mels), orthonormal but for coefficient 0, sqrt(2) x librosa's
            scale = 1.0 / float(np.sqrt(2.0 * S.shape[-2]))
            return af.logmel_to_mfcc(S, n_mfcc=self.n_mfccs, norm=None) * scale

        return in_core_layout(mfcc, x, last=self._last, frames_first=True)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        shape[2 if self._last else 3] = self.n_mfccs
        return tuple(shape)

    def _config(self):
        return {"n_mfccs": self.n_mfccs, "data_format": self.data_format}
