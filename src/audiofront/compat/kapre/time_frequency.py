"""kapre's ``kapre.time_frequency``: the 0.3/0.4 layers (kapre 0.4.1's signatures, layouts and
numbers) and the 0.1/0.2 ``Spectrogram`` / ``Melspectrogram`` (kapre 0.2.0's).

kapre 0.3/0.4 layout: audio ``(batch, time, ch)`` (``channels_last``) or ``(batch, ch, time)``;
spectra ``(batch, frames, freq, ch)`` or ``(batch, ch, frames, freq)``. Each layer is
audiofront's own layer (:mod:`audiofront.adapters.keras`) with kapre's names, defaults and
``(frames, freq)`` order.
"""

from __future__ import annotations

import keras

import audiofront as af
from ...adapters import keras as native
import numpy as np

from ...adapters._keras import (ComplexSTFT, Elementwise, Layer, channels_last, constant,
                                in_core_layout, xp)
from ..._checks import one_of
from . import backend
from ._legacy import Melspectrogram, Spectrogram

__all__ = ["STFT", "InverseSTFT", "Magnitude", "Phase", "MagnitudeToDecibel", "ApplyFilterbank",
           "Delta", "ConcatenateFrequencyMap", "Spectrogram", "Melspectrogram"]

register = keras.saving.register_keras_serializable(package="audiofront.kapre")


class KapreAudio:
    """kapre 0.3/0.4's formats: ``input_data_format`` / ``output_data_format`` and the
    ``(frames, freq)`` order (mixed in before an audio layer base)."""

    frames_first = True

    def __init__(self, *args, input_data_format="default", output_data_format="default",
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.input_data_format, self.output_data_format = input_data_format, output_data_format
        self._in_last = channels_last(input_data_format)
        self._out_last = channels_last(output_data_format)

    def _formats(self):
        return {"input_data_format": self.input_data_format,
                "output_data_format": self.output_data_format}


class KapreSTFTGeometry(KapreAudio):
    """kapre's STFT arguments (``window_name``, ``pad_begin``, ``pad_end``; frames from sample
    0) as the native geometry, plus audiofront's ``center`` / ``pad_mode`` / ``method``."""

    def __init__(self, *, n_fft=2048, win_length=None, hop_length=None, window_name=None,
                 pad_begin=False, pad_end=False, center=False, pad_mode="constant",
                 method="fft", trainable_kernel=False, **kwargs):
        super().__init__(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                         window=backend.window_name(window_name), center=center,
                         pad_mode=pad_mode, method=method, trainable_stft=trainable_kernel,
                         **kwargs)
        self.window_name = window_name
        self._pad_begin, self._pad_end = bool(pad_begin), bool(pad_end)

    def _config(self):
        return {"n_fft": self.n_fft, "win_length": self.win_length, "hop_length": self.hop_length,
                "window_name": self.window_name, "pad_begin": self._pad_begin,
                "pad_end": self._pad_end, "center": self.center, "pad_mode": self.pad_mode,
                "method": self.method, "trainable_kernel": self.trainable_stft,
                **self._formats()}


@register
class STFT(KapreSTFTGeometry, ComplexSTFT):
    """kapre's ``STFT``: ``(batch, time, ch) -> (batch, frames, 1 + n_fft // 2, ch)``
    complex64. Frames start at sample 0 (``center=False``), kapre's default; ``pad_begin``
    pads ``win_length - hop_length`` zeros first, ``pad_end`` enough for a last whole frame."""


@register
class InverseSTFT(native.InverseSTFT):
    """kapre's ``InverseSTFT``: ``(batch, frames, freq, ch)`` complex (or channels first) to
    ``(batch, time, ch)``, :func:`audiofront.istft`. ``length`` fixes the output length."""

    frames_first = True

    def __init__(self, n_fft=2048, win_length=None, hop_length=None, forward_window_name=None,
                 center=True, length=None, input_data_format="default",
                 output_data_format="default", **kwargs):
        super().__init__(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                         window=backend.window_name(forward_window_name), center=center,
                         length=length, data_format=input_data_format, **kwargs)
        self.forward_window_name = forward_window_name
        self.input_data_format, self.output_data_format = input_data_format, output_data_format
        self._out_last = channels_last(output_data_format)

    def _config(self):
        return {"n_fft": self.n_fft, "win_length": self.win_length, "hop_length": self.hop_length,
                "forward_window_name": self.forward_window_name, "center": self.center,
                "length": self.length, "input_data_format": self.input_data_format,
                "output_data_format": self.output_data_format}


@register
class Magnitude(Elementwise):
    """``|S|`` of a complex spectrum (kapre's ``Magnitude``), float32."""

    output_dtype = "float32"

    def call(self, x):
        return af.magnitude(x)


@register
class Phase(Elementwise):
    """The angle of a complex spectrum in radians (kapre's ``Phase``), float32."""

    output_dtype = "float32"

    def call(self, x):
        return af.phase(x)


@register
class MagnitudeToDecibel(Elementwise):
    """kapre's decibel layer, :func:`audiofront.compat.kapre.backend.magnitude_to_decibel`:
    ``10 log10(max(x, amin) / ref_value)``, floored ``dynamic_range`` dB below each example's
    maximum. It takes 10 log10 of whatever comes in (kapre#121, #143): on a magnitude input the
    result is half the true decibels. For new models use
    :class:`audiofront.adapters.keras.AmplitudeToDB` on magnitudes or ``PowerToDB`` on powers."""

    def __init__(self, ref_value=1.0, amin=1e-5, dynamic_range=80.0, **kwargs):
        super().__init__(**kwargs)
        self.ref_value, self.amin, self.dynamic_range = ref_value, amin, dynamic_range

    def call(self, x):
        return backend.per_example_db(x, ref=self.ref_value, amin=self.amin,
                                      top_db=self.dynamic_range)

    def _config(self):
        return {"ref_value": self.ref_value, "amin": self.amin,
                "dynamic_range": self.dynamic_range}


@register
class ApplyFilterbank(native.ApplyFilterbank):
    """kapre's ``ApplyFilterbank``: ``type='mel'`` or ``'log'`` with ``filterbank_kwargs`` in
    kapre's names (``sample_rate``, ``n_freq``, ``n_mels`` / ``n_bins``, ``f_min``, ``f_max``,
    ...; audiofront's ``sr``, ``n_fft``, ``fmin`` ... are accepted too), along the frequency
    axis of ``(batch, frames, freq, ch)`` (or ``(batch, ch, frames, freq)``)."""

    frames_first = True

    def __init__(self, type="mel", filterbank_kwargs=None, data_format="default",
                 trainable_fb=False, **kwargs):
        super().__init__(one_of(type, "type", ("mel", "log")),
                         filterbank_kwargs=filterbank_kwargs, trainable_filterbank=trainable_fb,
                         data_format=data_format, **kwargs)
        self.type = type

    def _filterbank(self):
        build = backend.mel_matrix if self.kind == "mel" else backend.log_matrix
        return build(self.filterbank_kwargs)

    def _config(self):
        return {"type": self.type, "filterbank_kwargs": self.filterbank_kwargs,
                "data_format": self.data_format, "trainable_fb": self.trainable_fb}


@register
class Delta(native.Delta):
    """kapre's ``Delta``: the local slope along the frames axis of ``(batch, frames, freq, ch)``
    over ``win_length`` frames, ``sum_n n (x[t + n] - x[t - n]) / (2 sum_n n^2)``, which is
    :func:`audiofront.delta` with ``order=1``. ``mode`` pads the edges as kapre does
    ('symmetric', 'reflect', 'constant'); librosa's 'interp' (and scipy's other modes) are
    accepted too."""

    frames_first = True
    _KAPRE_MODES = {"symmetric": "symmetric", "reflect": "mirror", "constant": "constant"}

    def __init__(self, win_length=5, mode="symmetric", data_format="default", **kwargs):
        super().__init__(width=win_length, order=1,
                         mode=self._KAPRE_MODES.get(str(mode).lower(), mode),
                         data_format=data_format, **kwargs)
        self.win_length, self.kapre_mode = win_length, mode

    def _config(self):
        return {"win_length": self.win_length, "mode": self.kapre_mode,
                "data_format": self.data_format}


@register
class ConcatenateFrequencyMap(Layer):
    """kapre's ``ConcatenateFrequencyMap``: one more channel holding each bin's position on the
    frequency axis, 0 to 1 (frequency-aware convolutions)."""

    frames_first = True

    def __init__(self, data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format
        self._last = channels_last(data_format)

    def call(self, x):
        def with_map(S):  # (batch, ch, freq, frames)
            namespace = xp()
            ramp = constant(_unit_ramp, (S.shape[-2],), S)[:, None]
            fmap = namespace.broadcast_to(ramp, tuple(S.shape[:1]) + (1,) + tuple(S.shape[2:]))
            return namespace.concat([S, fmap], axis=1)

        return in_core_layout(with_map, x, last=self._last, frames_first=True)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        axis = 3 if self._last else 1
        shape[axis] = None if shape[axis] is None else shape[axis] + 1
        return tuple(shape)

    def _config(self):
        return {"data_format": self.data_format}



def _unit_ramp(n: int) -> np.ndarray:
    return np.linspace(0.0, 1.0, n)
