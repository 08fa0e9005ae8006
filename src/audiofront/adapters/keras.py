"""audiofront as Keras 3 layers, with kapre's names and layouts.

Each layer calls the core with the Keras backend's own arrays (array-api-compat's torch
namespace, jax.numpy, or on TensorFlow the small namespace in ``_tensorflow.py``), creates its
constants (window, DFT basis, filterbank) in ``build`` with ``add_weight`` so that
``trainable=True`` learns them, keeps only its constructor arguments in ``get_config``, and
computes its output shape from the core's frame counts.

Layout, as kapre: audio input ``(batch, time, channels)`` (``channels_last``, the default) or
``(batch, channels, time)``; spectral output ``(batch, frames, freq, channels)`` or
``(batch, channels, frames, freq)``. ``_in_core_layout`` is the one place that maps these to
the core's ``(batch, channels, [freq, frames] | time)`` and back.

Backends: TensorFlow, torch and JAX (Keras 3's three).
"""

from __future__ import annotations

import math

import keras
import numpy as np

import audiofront as af
from .. import _backend, _checks, normalization
from .._checks import ParameterError, one_of
from ..framing import frame_count

__all__ = ["Frame", "STFT", "InverseSTFT", "Magnitude", "Phase", "MagnitudeToDecibel",
           "PowerToDB", "AmplitudeToDB", "ApplyFilterbank", "MelSpectrogram",
           "LogFrequencySpectrogram", "ConcatenateFrequencyMap", "Delta", "MuLawEncoding",
           "MuLawDecoding", "Energy", "LogmelToMFCC", "AdditiveNoise", "SpecAugment",
           "ChannelSwap", "Normalization2D", "CQT", "PCEN", "LCN", "Standardize",
           "get_stft_magnitude_layer", "get_melspectrogram_layer",
           "get_log_frequency_spectrogram_layer", "get_stft_mag_phase",
           "get_perfectly_reconstructing_stft_istft", "get_frequency_aware_conv2d"]

FORMATS = ("default", "channels_first", "channels_last")
_PACKAGE = "audiofront"


def _xp():
    """The array-API namespace of the running Keras backend."""
    name = keras.backend.backend()
    if name == "torch":
        import array_api_compat.torch as xp

        return xp
    if name == "jax":
        import jax.numpy as xp

        return xp
    if name == "tensorflow":
        from . import _tensorflow

        return _tensorflow
    raise NotImplementedError(
        f"audiofront's Keras layers run on the torch, jax and tensorflow Keras backends; "
        f"received the {name!r} backend."
    )


def _value(variable):
    """The backend tensor behind a Keras variable (a torch Parameter, a traced JAX array), so
    that gradients reach it; passing the Variable itself would be converted to a constant."""
    if variable is None:
        return None
    if keras.backend.backend() == "tensorflow":  # a read of the tf.Variable, still differentiable
        import tensorflow as tf

        return tf.identity(variable.value)
    return variable.value


def _last(data_format: str) -> bool:
    one_of(data_format, "data_format", FORMATS)
    return data_format != "channels_first"


# kapre's window names (tf.signal's periodic windows) -> the core's; None is kapre's default
_KAPRE_WINDOWS = {None: "hann", "hann_window": "hann", "hamming_window": "hamming"}


def _window(name):
    """The core window for a layer's ``window_name``: kapre's tf.signal names, or any name
    :func:`audiofront.get_window` knows."""
    return _KAPRE_WINDOWS.get(name, name)


def _in_core_layout(fn, x, *, channels_last: bool, spectral: bool = True):
    """``fn`` applied to ``x`` in the core's layout, its result returned in the layer's.

    Channels-last input has its channel axis moved to axis 1 (and the result's moved back);
    with ``spectral`` the layer's ``(frames, freq)`` axes are swapped to the core's ``(freq,
    frames)`` and back. ``fn`` may change the size of any axis.
    """
    xp = _xp()
    if spectral:
        inner = fn

        def fn(S):
            return xp.moveaxis(inner(xp.moveaxis(S, -1, -2)), -1, -2)

    if not channels_last:
        return fn(x)
    return xp.moveaxis(fn(xp.moveaxis(x, -1, 1)), 1, -1)


def _constant(build, args, like):
    """A host constant ``build(*args)`` on ``like``'s device in its dtype (cached there)."""
    return _backend.place(build, args, xp=_xp(), device=_backend.device_of(like),
                          dtype=like.dtype)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class _Layer(keras.layers.Layer):
    """Constructor arguments are the config; subclasses list them in ``_config``."""

    def get_config(self):
        return {**super().get_config(), **self._config()}

    def _config(self) -> dict:
        return {}


class _AudioLayer(_Layer):
    """Audio in ``(batch, time, ch)`` or ``(batch, ch, time)``; spectra out ``(batch, frames,
    freq, ch)`` or ``(batch, ch, frames, freq)``."""

    def __init__(self, *, input_data_format="default", output_data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.input_data_format = input_data_format
        self.output_data_format = output_data_format
        self._in_last = _last(input_data_format)
        self._out_last = _last(output_data_format)

    def _audio(self, x, xp):
        """``(batch, ch, time)`` from the input layout."""
        return xp.moveaxis(x, -1, -2) if self._in_last else x

    def _spectra(self, S, xp):
        """Core ``(batch, ch, freq, frames)`` to the output layout."""
        S = xp.moveaxis(S, -1, -2)  # (batch, ch, frames, freq)
        return xp.moveaxis(S, 1, -1) if self._out_last else S

    def _shape(self, input_shape, freq, frames_of):
        batch = input_shape[0]
        time, ch = (input_shape[1], input_shape[2]) if self._in_last else (input_shape[2], input_shape[1])
        frames = None if time is None else frames_of(time)
        return (batch, frames, freq, ch) if self._out_last else (batch, ch, frames, freq)

    def _config(self):
        return {"input_data_format": self.input_data_format,
                "output_data_format": self.output_data_format}


class _STFTLayer(_AudioLayer):
    """The STFT geometry (kapre's names: ``n_fft``, ``win_length``, ``hop_length``,
    ``window_name``, ``pad_begin``, ``pad_end``) plus audiofront's ``center`` / ``method``."""

    def __init__(self, *, n_fft=2048, win_length=None, hop_length=None, window_name=None,
                 pad_begin=False, pad_end=False, center=False, pad_mode="constant", method="fft",
                 trainable_kernel=False, **kwargs):
        super().__init__(**kwargs)
        self.n_fft, self.hop_length, self.win_length, self.method = _checks.stft_config(
            n_fft=n_fft, hop_length=hop_length, win_length=win_length, pad_mode=pad_mode,
            method=method, trainable=trainable_kernel)
        self.window_name = window_name
        self.pad_begin, self.pad_end = bool(pad_begin), bool(pad_end)
        self.center, self.pad_mode = bool(center), pad_mode
        self.trainable_kernel = bool(trainable_kernel)
        af.get_window(_window(window_name), self.win_length)  # validate now

    def build(self, input_shape):
        window = _window(self.window_name)
        w = af.get_window(window, self.win_length, n_fft=self.n_fft)
        self.window = self.add_weight(name="window", shape=w.shape, trainable=False,
                                      initializer=keras.initializers.Constant(w))
        self.dft_basis = None
        if self.method == "dft":
            basis = af.dft_basis(n_fft=self.n_fft, win_length=self.win_length, window=window)
            self.dft_basis = self.add_weight(name="dft_basis", shape=basis.shape,
                                             trainable=self.trainable_kernel,
                                             initializer=keras.initializers.Constant(basis))

    def _padded(self, y, xp):
        """kapre's begin / end padding (before any centring)."""
        if not (self.pad_begin or self.pad_end):
            return y
        before = self.win_length - self.hop_length if self.pad_begin else 0
        n = y.shape[-1] + before
        after = 0
        if self.pad_end:
            frames = (n + self.hop_length - 1) // self.hop_length
            after = max(0, (frames - 1) * self.hop_length + self.n_fft - n)
        return af.framing.pad(y, before, after, xp=xp)

    def _stft_kwargs(self):
        return {"n_fft": self.n_fft, "hop_length": self.hop_length, "win_length": self.win_length,
                "window": _value(self.window), "center": self.center, "pad_mode": self.pad_mode,
                "method": self.method, "dft_basis": _value(self.dft_basis)}

    def _frames(self, time):
        """Frames for ``time`` samples: the same padding arithmetic as ``_padded``."""
        n = time + (self.win_length - self.hop_length if self.pad_begin else 0)
        if self.pad_end:
            frames = (n + self.hop_length - 1) // self.hop_length
            n += max(0, (frames - 1) * self.hop_length + self.n_fft - n)
        return frame_count(n, frame_length=self.n_fft, hop_length=self.hop_length,
                           center=self.center)

    def _config(self):
        return {"n_fft": self.n_fft, "win_length": self.win_length, "hop_length": self.hop_length,
                "window_name": self.window_name, "pad_begin": self.pad_begin,
                "pad_end": self.pad_end, "center": self.center, "pad_mode": self.pad_mode,
                "method": self.method, "trainable_kernel": self.trainable_kernel,
                **super()._config()}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class STFT(_STFTLayer):
    """Complex STFT, kapre's ``STFT``: ``(batch, time, ch) -> (batch, frames, 1 + n_fft // 2,
    ch)`` complex64. Frames start at sample 0 (``center=False``), kapre's default."""

    def call(self, x):
        xp = _xp()
        S = af.stft(self._padded(self._audio(x, xp), xp), **self._stft_kwargs())
        return self._spectra(S, xp)

    def compute_output_shape(self, input_shape):
        return self._shape(input_shape, self.n_fft // 2 + 1, self._frames)

    def compute_output_spec(self, x):
        return keras.KerasTensor(self.compute_output_shape(x.shape), dtype="complex64")


class _FilteredLayer(_STFTLayer):
    """An STFT layer followed by a filterbank it holds (and may learn): ``compute`` is the
    core's feature function and ``basis`` the name of its filterbank argument."""

    compute = None
    basis = ""

    def call(self, x):
        xp = _xp()
        S = type(self).compute(self._padded(self._audio(x, xp), xp), power=self.power,
                               **{self.basis: _value(self.filterbank)}, **self._stft_kwargs())
        return self._spectra(S, xp)

    def build(self, input_shape):
        super().build(input_shape)
        fb = self._filterbank()
        self.filterbank = self.add_weight(name="filterbank", shape=fb.shape,
                                          trainable=self.trainable_fb,
                                          initializer=keras.initializers.Constant(fb))

    def compute_output_shape(self, input_shape):
        return self._shape(input_shape, self._filterbank().shape[0], self._frames)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class MelSpectrogram(_FilteredLayer):
    """Mel spectrogram in one layer: ``(batch, time, ch) -> (batch, frames, n_mels, ch)``.

    ``power`` 2 (default) gives power, 1 magnitude; ``trainable_kernel`` / ``trainable_fb``
    learn the DFT basis (``method='dft'``) and the filterbank.
    """

    compute, basis = af.melspectrogram, "mel_basis"

    def __init__(self, *, sample_rate=22050, n_mels=128, mel_f_min=0.0, mel_f_max=None,
                 mel_htk=False, mel_norm="slaney", power=2.0, trainable_fb=False, **kwargs):
        super().__init__(**kwargs)
        self.sample_rate, self.n_mels = sample_rate, n_mels
        self.mel_f_min, self.mel_f_max = mel_f_min, mel_f_max
        self.mel_htk, self.mel_norm = mel_htk, mel_norm
        self.power, self.trainable_fb = float(power), bool(trainable_fb)
        self._filterbank()  # validate now

    def _filterbank(self):
        return af.mel_filterbank(sr=self.sample_rate, n_fft=self.n_fft, n_mels=self.n_mels,
                                 fmin=self.mel_f_min, fmax=self.mel_f_max, htk=self.mel_htk,
                                 norm=self.mel_norm)

    def _config(self):
        return {"sample_rate": self.sample_rate, "n_mels": self.n_mels,
                "mel_f_min": self.mel_f_min, "mel_f_max": self.mel_f_max,
                "mel_htk": self.mel_htk, "mel_norm": self.mel_norm, "power": self.power,
                "trainable_fb": self.trainable_fb, **super()._config()}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class LogFrequencySpectrogram(_FilteredLayer):
    """kapre's log-frequency spectrogram in one layer: ``(batch, frames, log_n_bins, ch)``."""

    compute, basis = af.log_frequency_spectrogram, "log_basis"

    def __init__(self, *, sample_rate=22050, log_n_bins=84, log_f_min=None,
                 log_bins_per_octave=12, log_spread=0.125, power=2.0, trainable_fb=False,
                 **kwargs):
        super().__init__(**kwargs)
        self.sample_rate, self.log_n_bins, self.log_f_min = sample_rate, log_n_bins, log_f_min
        self.log_bins_per_octave, self.log_spread = log_bins_per_octave, log_spread
        self.power, self.trainable_fb = float(power), bool(trainable_fb)
        self._filterbank()

    def _filterbank(self):
        return af.log_filterbank(sr=self.sample_rate, n_fft=self.n_fft, n_bins=self.log_n_bins,
                                 bins_per_octave=self.log_bins_per_octave, fmin=self.log_f_min,
                                 spread=self.log_spread)

    def _config(self):
        return {"sample_rate": self.sample_rate, "log_n_bins": self.log_n_bins,
                "log_f_min": self.log_f_min, "log_bins_per_octave": self.log_bins_per_octave,
                "log_spread": self.log_spread, "power": self.power,
                "trainable_fb": self.trainable_fb, **super()._config()}


class _Elementwise(_Layer):
    """A layer whose output has the input's shape (and ``output_dtype`` when it is set)."""

    output_dtype = None

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, x):
        if self.output_dtype is None:
            return super().compute_output_spec(x)
        return keras.KerasTensor(x.shape, dtype=self.output_dtype)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class Magnitude(_Elementwise):
    """``|S|`` of a complex spectrum (kapre's ``Magnitude``)."""

    output_dtype = "float32"

    def call(self, x):
        return af.magnitude(x)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class Phase(_Elementwise):
    """The angle of a complex spectrum in radians (kapre's ``Phase``)."""

    output_dtype = "float32"

    def call(self, x):
        return af.phase(x)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class MagnitudeToDecibel(_Elementwise):
    """kapre's decibel layer: ``10 log10(max(x, amin))`` relative to ``ref_value``, floored
    ``dynamic_range`` dB below each example's maximum. It takes 10 log10 of whatever comes in:
    on a magnitude (power 1) input use :class:`AmplitudeToDB` for true decibels (kapre#121,
    #143); on a power input this and :class:`PowerToDB` agree."""

    def __init__(self, *, ref_value=1.0, amin=1e-5, dynamic_range=80.0, **kwargs):
        super().__init__(**kwargs)
        self.ref_value, self.amin, self.dynamic_range = ref_value, amin, dynamic_range

    def call(self, x):
        # the core's power_to_db, its floor taken over every axis but the batch (kapre's)
        xp = _xp()
        rest = tuple(x.shape[1:])
        flat = xp.reshape(x, (-1, 1, math.prod(rest)))
        db = af.power_to_db(flat, ref=self.ref_value, amin=self.amin, top_db=self.dynamic_range)
        return xp.reshape(db, (-1,) + rest)

    def _config(self):
        return {"ref_value": self.ref_value, "amin": self.amin,
                "dynamic_range": self.dynamic_range}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class PowerToDB(_Elementwise):
    """librosa's ``power_to_db`` on ``(batch, frames, freq, ch)`` (or, with
    ``data_format='channels_first'``, ``(batch, ch, frames, freq)``), with ``top_db`` and
    ``ref='max'`` taken per example and channel over its frames and frequencies."""

    def __init__(self, *, ref=1.0, amin=1e-10, top_db=80.0, data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.ref, self.amin, self.top_db = ref, amin, top_db
        self.data_format = data_format
        self._last = _last(data_format)
        self._convert(np.ones((1, 1)))  # validate now

    def _convert(self, S):
        return af.power_to_db(S, ref=self.ref, amin=self.amin, top_db=self.top_db)

    def call(self, x):
        return _in_core_layout(self._convert, x, channels_last=self._last)

    def _config(self):
        return {"ref": self.ref, "amin": self.amin, "top_db": self.top_db,
                "data_format": self.data_format}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class AmplitudeToDB(PowerToDB):
    """librosa's ``amplitude_to_db`` (20 log10; ``amin`` 1e-5), floor per example."""

    def __init__(self, *, ref=1.0, amin=1e-5, top_db=80.0, **kwargs):
        super().__init__(ref=ref, amin=amin, top_db=top_db, **kwargs)

    def _convert(self, S):
        return af.amplitude_to_db(S, ref=self.ref, amin=self.amin, top_db=self.top_db)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class ApplyFilterbank(_Layer):
    """kapre's ``ApplyFilterbank``: ``type='mel'`` or ``'log'`` with ``filterbank_kwargs`` for
    :func:`audiofront.mel_filterbank` / :func:`audiofront.log_filterbank`, applied along the
    frequency axis of ``(batch, frames, freq, ch)`` (or ``(batch, ch, frames, freq)``)."""

    def __init__(self, type="mel", filterbank_kwargs=None, data_format="default",
                 trainable_fb=False, **kwargs):
        super().__init__(**kwargs)
        self.type = one_of(type, "type", ("mel", "log"))
        self.filterbank_kwargs = dict(filterbank_kwargs or {})
        self.data_format, self.trainable_fb = data_format, bool(trainable_fb)
        self._last = _last(data_format)
        self._weights()

    def _weights(self):
        kwargs = dict(self.filterbank_kwargs)
        if "sample_rate" in kwargs:
            kwargs["sr"] = kwargs.pop("sample_rate")
        build = af.mel_filterbank if self.type == "mel" else af.log_filterbank
        return build(**kwargs)

    def build(self, input_shape):
        fb = self._weights()
        self.filterbank = self.add_weight(name="filterbank", shape=fb.shape,
                                          trainable=self.trainable_fb,
                                          initializer=keras.initializers.Constant(fb))

    def call(self, x):
        fb = _value(self.filterbank)
        return _in_core_layout(lambda S: af.apply_filterbank(S, filterbank=fb), x,
                               channels_last=self._last)

    def compute_output_shape(self, input_shape):
        bands = self._weights().shape[0]
        shape = list(input_shape)
        shape[2 if self._last else 3] = bands
        return tuple(shape)

    def _config(self):
        return {"type": self.type, "filterbank_kwargs": self.filterbank_kwargs,
                "data_format": self.data_format, "trainable_fb": self.trainable_fb}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class Frame(_Layer):
    """kapre's ``Frame``: ``(batch, time, ch) -> (batch, frames, frame_length, ch)``."""

    def __init__(self, frame_length, hop_length, pad_end=False, pad_value=0.0,
                 data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.frame_length = _checks.positive_int(frame_length, "frame_length")
        self.hop_length = _checks.positive_int(hop_length, "hop_length")
        self.pad_end, self.pad_value = bool(pad_end), float(pad_value)
        self.data_format = data_format
        self._last = _last(data_format)

    def call(self, x):
        return _in_core_layout(
            lambda y: af.frame(y, frame_length=self.frame_length, hop_length=self.hop_length,
                               pad_end=self.pad_end, pad_value=self.pad_value),
            x, channels_last=self._last, spectral=False)

    def compute_output_shape(self, input_shape):
        time = input_shape[1] if self._last else input_shape[2]
        n = None if time is None else frame_count(time, frame_length=self.frame_length,
                                                  hop_length=self.hop_length, pad_end=self.pad_end)
        if self._last:
            return (input_shape[0], n, self.frame_length, input_shape[2])
        return (input_shape[0], input_shape[1], n, self.frame_length)

    def _config(self):
        return {"frame_length": self.frame_length, "hop_length": self.hop_length,
                "pad_end": self.pad_end, "pad_value": self.pad_value,
                "data_format": self.data_format}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class Delta(_Elementwise):
    """kapre's ``Delta``: the local slope along the frames axis of ``(batch, frames, freq, ch)``
    over ``win_length`` frames, ``sum_n n (x[t + n] - x[t - n]) / (2 sum_n n^2)``, which is
    :func:`audiofront.delta` with ``order=1``. ``mode`` pads the edges as kapre does
    ('symmetric', 'reflect', 'constant'); librosa's 'interp' (and scipy's other modes) are
    accepted too."""

    _KAPRE_MODES = {"symmetric": "symmetric", "reflect": "mirror", "constant": "constant"}

    def __init__(self, win_length=5, mode="symmetric", data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.win_length, self.mode, self.data_format = win_length, mode, data_format
        self._mode = self._KAPRE_MODES.get(str(mode).lower(), mode)
        self._last = _last(data_format)
        af.delta(np.zeros(win_length), width=win_length, mode=self._mode)  # validate now

    def call(self, x):
        return af.delta(x, width=self.win_length, order=1, mode=self._mode,
                        axis=1 if self._last else 2)

    def _config(self):
        return {"win_length": self.win_length, "mode": self.mode, "data_format": self.data_format}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class MuLawEncoding(_Elementwise):
    """Audio in [-1, 1] to integer codes 0 .. quantization_channels - 1."""

    def __init__(self, quantization_channels=256, **kwargs):
        super().__init__(**kwargs)
        self.quantization_channels = quantization_channels

    def call(self, x):
        return af.mu_law_encode(x, quantization_channels=self.quantization_channels)

    def compute_output_spec(self, x):
        return keras.KerasTensor(x.shape, dtype="int64" if keras.backend.backend() == "torch"
                                 else "int32")

    def _config(self):
        return {"quantization_channels": self.quantization_channels}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class MuLawDecoding(_Elementwise):
    """Integer codes back to float32 audio in [-1, 1]."""

    def __init__(self, quantization_channels=256, **kwargs):
        super().__init__(**kwargs)
        self.quantization_channels = quantization_channels

    output_dtype = "float32"

    def call(self, x):
        return af.mu_law_decode(x, quantization_channels=self.quantization_channels)

    def _config(self):
        return {"quantization_channels": self.quantization_channels}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class InverseSTFT(_Layer):
    """Inverse STFT, :func:`audiofront.istft`: ``(batch, frames, freq, ch)`` complex (or
    channels-first) to ``(batch, time, ch)``. ``length`` fixes the output length; without it
    the output has the length the frame count implies."""

    def __init__(self, n_fft=2048, win_length=None, hop_length=None, forward_window_name=None,
                 center=True, length=None, input_data_format="default",
                 output_data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.n_fft, self.hop_length, self.win_length = _checks.hop_and_window(
            n_fft, hop_length, win_length)
        self.forward_window_name, self.center, self.length = forward_window_name, bool(center), length
        self.input_data_format, self.output_data_format = input_data_format, output_data_format
        self._in_last, self._out_last = _last(input_data_format), _last(output_data_format)

    def call(self, S):
        xp = _xp()
        S = xp.moveaxis(S, -1, 1) if self._in_last else S  # (batch, ch, frames, freq)
        y = af.istft(xp.moveaxis(S, -1, -2), n_fft=self.n_fft, hop_length=self.hop_length,
                     win_length=self.win_length, window=_window(self.forward_window_name),
                     center=self.center, length=self.length)
        return xp.moveaxis(y, 1, -1) if self._out_last else y

    def compute_output_shape(self, input_shape):
        frames = input_shape[1] if self._in_last else input_shape[2]
        ch = input_shape[3] if self._in_last else input_shape[1]
        if self.length is not None:
            time = self.length
        elif frames is None:
            time = None
        else:
            time = self.n_fft + self.hop_length * (frames - 1) - (2 * (self.n_fft // 2) if self.center else 0)
        return (input_shape[0], time, ch) if self._out_last else (input_shape[0], ch, time)

    def compute_output_spec(self, S):
        return keras.KerasTensor(self.compute_output_shape(S.shape), dtype="float32")

    def _config(self):
        return {"n_fft": self.n_fft, "win_length": self.win_length, "hop_length": self.hop_length,
                "forward_window_name": self.forward_window_name, "center": self.center,
                "length": self.length, "input_data_format": self.input_data_format,
                "output_data_format": self.output_data_format}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class ConcatenateFrequencyMap(_Layer):
    """kapre's ``ConcatenateFrequencyMap``: one more channel holding each bin's position on the
    frequency axis, 0 to 1 (frequency-aware convolutions)."""

    def __init__(self, data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format
        self._last = _last(data_format)

    def call(self, x):
        def with_map(S):  # (batch, ch, freq, frames)
            xp = _xp()
            ramp = _constant(_unit_ramp, (S.shape[-2],), S)[:, None]
            fmap = xp.broadcast_to(ramp, tuple(S.shape[:1]) + (1,) + tuple(S.shape[2:]))
            return xp.concat([S, fmap], axis=1)

        return _in_core_layout(with_map, x, channels_last=self._last)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        axis = 3 if self._last else 1
        shape[axis] = None if shape[axis] is None else shape[axis] + 1
        return tuple(shape)

    def _config(self):
        return {"data_format": self.data_format}


def _unit_ramp(n: int) -> np.ndarray:
    return np.linspace(0.0, 1.0, n)


# --- kapre 0.3's composed getters, same signatures ----------------------------------------

def _spectral_getter(layers, *, input_shape, return_decibel, db_amin, db_ref_value,
                     db_dynamic_range, name):
    """``layers`` (then kapre's decibels when asked) as one Sequential model."""
    head = [keras.Input(input_shape)] if input_shape is not None else []
    tail = [MagnitudeToDecibel(ref_value=db_ref_value, amin=db_amin,
                               dynamic_range=db_dynamic_range)] if return_decibel else []
    return keras.Sequential(head + list(layers) + tail, name=name)


def get_stft_magnitude_layer(input_shape=None, n_fft=2048, win_length=None, hop_length=None,
                             window_name=None, pad_begin=False, pad_end=False,
                             return_decibel=False, db_amin=1e-05, db_ref_value=1.0,
                             db_dynamic_range=80.0, input_data_format="default",
                             output_data_format="default", name="stft_magnitude"):
    """kapre's STFT magnitude (optionally 10 log10 of it, kapre's decibels) as one model."""
    stft = STFT(n_fft=n_fft, win_length=win_length, hop_length=hop_length,
                window_name=window_name, pad_begin=pad_begin, pad_end=pad_end,
                input_data_format=input_data_format, output_data_format=output_data_format)
    return _spectral_getter([stft, Magnitude()], input_shape=input_shape,
                            return_decibel=return_decibel, db_amin=db_amin,
                            db_ref_value=db_ref_value, db_dynamic_range=db_dynamic_range, name=name)


def get_melspectrogram_layer(input_shape=None, n_fft=2048, win_length=None, hop_length=None,
                             window_name=None, pad_begin=False, pad_end=False,
                             sample_rate=22050, n_mels=128, mel_f_min=0.0, mel_f_max=None,
                             mel_htk=False, mel_norm="slaney", return_decibel=False,
                             db_amin=1e-05, db_ref_value=1.0, db_dynamic_range=80.0,
                             input_data_format="default", output_data_format="default",
                             name="melspectrogram"):
    """kapre's mel spectrogram: the mel filterbank on the STFT magnitude (power 1), then,
    with ``return_decibel``, kapre's 10 log10 with a per-example dynamic range."""
    mel = MelSpectrogram(n_fft=n_fft, win_length=win_length, hop_length=hop_length,
                         window_name=window_name, pad_begin=pad_begin, pad_end=pad_end,
                         sample_rate=sample_rate, n_mels=n_mels, mel_f_min=mel_f_min,
                         mel_f_max=mel_f_max, mel_htk=mel_htk, mel_norm=mel_norm, power=1.0,
                         input_data_format=input_data_format,
                         output_data_format=output_data_format)
    return _spectral_getter([mel], input_shape=input_shape, return_decibel=return_decibel,
                            db_amin=db_amin, db_ref_value=db_ref_value,
                            db_dynamic_range=db_dynamic_range, name=name)


def get_log_frequency_spectrogram_layer(input_shape=None, n_fft=2048, win_length=None,
                                        hop_length=None, window_name=None, pad_begin=False,
                                        pad_end=False, sample_rate=22050, log_n_bins=84,
                                        log_f_min=None, log_bins_per_octave=12, log_spread=0.125,
                                        return_decibel=False, db_amin=1e-05, db_ref_value=1.0,
                                        db_dynamic_range=80.0, input_data_format="default",
                                        output_data_format="default",
                                        name="log_frequency_spectrogram"):
    """kapre's log-frequency spectrogram: the log filterbank on the STFT magnitude."""
    log = LogFrequencySpectrogram(n_fft=n_fft, win_length=win_length, hop_length=hop_length,
                                  window_name=window_name, pad_begin=pad_begin, pad_end=pad_end,
                                  sample_rate=sample_rate, log_n_bins=log_n_bins,
                                  log_f_min=log_f_min, log_bins_per_octave=log_bins_per_octave,
                                  log_spread=log_spread, power=1.0,
                                  input_data_format=input_data_format,
                                  output_data_format=output_data_format)
    return _spectral_getter([log], input_shape=input_shape, return_decibel=return_decibel,
                            db_amin=db_amin, db_ref_value=db_ref_value,
                            db_dynamic_range=db_dynamic_range, name=name)


def get_stft_mag_phase(input_shape, n_fft=2048, win_length=None, hop_length=None,
                       window_name=None, pad_begin=False, pad_end=False, return_decibel=False,
                       db_amin=1e-05, db_ref_value=1.0, db_dynamic_range=80.0,
                       input_data_format="default", output_data_format="default",
                       name="stft_mag_phase"):
    """kapre's magnitude (or its decibels) and phase, concatenated on the channel axis."""
    inp = keras.Input(input_shape)
    S = STFT(n_fft=n_fft, win_length=win_length, hop_length=hop_length, window_name=window_name,
             pad_begin=pad_begin, pad_end=pad_end, input_data_format=input_data_format,
             output_data_format=output_data_format)(inp)
    mag = Magnitude()(S)
    if return_decibel:
        mag = MagnitudeToDecibel(ref_value=db_ref_value, amin=db_amin,
                                 dynamic_range=db_dynamic_range)(mag)
    axis = 1 if output_data_format == "channels_first" else -1
    out = keras.layers.Concatenate(axis=axis)([mag, Phase()(S)])
    return keras.Model(inp, out, name=name)


def get_perfectly_reconstructing_stft_istft(stft_input_shape=None, istft_input_shape=None,
                                            n_fft=2048, win_length=None, hop_length=None,
                                            forward_window_name=None,
                                            waveform_data_format="default",
                                            stft_data_format="default", stft_name="stft",
                                            istft_name="istft"):
    """kapre's (STFT, InverseSTFT) pair, whose composition gives the waveform back delayed.

    As kapre (0.3 and 0.4): the STFT pads ``win_length - hop_length`` zeros before the signal
    and enough after it for a last whole frame (``pad_begin``, ``pad_end``), and the inverse
    overlap-adds every frame (``(frames - 1) * hop_length + n_fft`` samples). So the output
    holds those ``win_length - hop_length`` leading samples, then the waveform, then the end
    padding: trim ``output[:, win_length - hop_length:][:, :n]`` as kapre's users do. The
    window-to-hop ratio must be a power of 2 (kapre's rule for a perfect pair).

    Inside the trimmed part the waveform is exact; in the padding the two differ: the inverse
    here divides by the true window envelope (librosa's istft), kapre's by its steady-state
    value, so in the first samples, where the envelope is nearly 0, ours amplifies rounding
    (up to ~1e-2) where kapre's attenuates it.
    """
    win_length = n_fft if win_length is None else win_length
    hop_length = win_length // 4 if hop_length is None else hop_length
    ratio = win_length / hop_length if hop_length else 0
    if ratio < 1 or ratio != int(ratio) or int(ratio) & (int(ratio) - 1):
        raise ParameterError(
            f"A perfectly reconstructing pair needs win_length / hop_length to be a power of 2. "
            f"Received: win_length={win_length}, hop_length={hop_length}"
        )
    stft = STFT(n_fft=n_fft, win_length=win_length, hop_length=hop_length,
                window_name=forward_window_name, pad_begin=True, pad_end=True,
                input_data_format=waveform_data_format, output_data_format=stft_data_format,
                name=stft_name)
    istft = InverseSTFT(n_fft=n_fft, win_length=win_length, hop_length=hop_length,
                        forward_window_name=forward_window_name, center=False,
                        input_data_format=stft_data_format,
                        output_data_format=waveform_data_format, name=istft_name)
    if stft_input_shape is not None:
        stft = keras.Sequential([keras.Input(stft_input_shape), stft], name=stft_name)
    if istft_input_shape is not None:
        istft = keras.Sequential([keras.Input(istft_input_shape), istft], name=istft_name)
    return stft, istft


def get_frequency_aware_conv2d(data_format="default", freq_aware_name="frequency_aware_conv2d",
                               *args, **kwargs):
    """kapre's frequency-aware Conv2D: :class:`ConcatenateFrequencyMap` then ``Conv2D(*args,
    **kwargs)``."""
    conv_format = "channels_first" if data_format == "channels_first" else "channels_last"
    return keras.Sequential([ConcatenateFrequencyMap(data_format=data_format),
                             keras.layers.Conv2D(*args, data_format=conv_format, **kwargs)],
                            name=freq_aware_name)


# --- more kapre layers ---------------------------------------------------------------------

@keras.saving.register_keras_serializable(package=_PACKAGE)
class Energy(_Layer):
    """kapre's ``Energy``: the energy of each frame, per ``ref_duration`` seconds:
    ``(batch, time, ch) -> (batch, frames, ch)``."""

    def __init__(self, sample_rate=22050, ref_duration=0.1, frame_length=2205, hop_length=1102,
                 pad_end=False, pad_value=0.0, data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.sample_rate, self.ref_duration = sample_rate, ref_duration
        self.frame = Frame(frame_length, hop_length, pad_end=pad_end, pad_value=pad_value,
                           data_format=data_format)

    def call(self, x):
        xp = _xp()
        frames = self.frame(x)  # (batch, frames, frame_length, ch) or (batch, ch, frames, length)
        axis = 2 if self.frame._last else 3
        scale = self.ref_duration * self.sample_rate / self.frame.frame_length
        return xp.sum(frames * frames, axis=axis) * scale

    def compute_output_shape(self, input_shape):
        shape = list(self.frame.compute_output_shape(input_shape))
        del shape[2 if self.frame._last else 3]
        return tuple(shape)

    def _config(self):
        return {"sample_rate": self.sample_rate, "ref_duration": self.ref_duration,
                "frame_length": self.frame.frame_length, "hop_length": self.frame.hop_length,
                "pad_end": self.frame.pad_end, "pad_value": self.frame.pad_value,
                "data_format": self.frame.data_format}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class LogmelToMFCC(_Layer):
    """kapre's ``LogmelToMFCC``: ``(batch, frames, n_mels, ch) -> (batch, frames, n_mfccs,
    ch)``, TensorFlow's MFCC scaling (``audiofront.mfcc`` gives librosa's)."""

    def __init__(self, n_mfccs=20, data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.n_mfccs, self.data_format = n_mfccs, data_format
        self._last = _last(data_format)

    def call(self, x):
        def mfcc(S):  # (batch, ch, mels, frames)
            # TensorFlow's mfccs_from_log_mel_spectrograms (kapre's): the unnormalised DCT-II
            # over 1 / sqrt(2 n_mels), orthonormal but for coefficient 0, sqrt(2) x librosa's
            scale = 1.0 / float(np.sqrt(2.0 * S.shape[-2]))
            return af.logmel_to_mfcc(S, n_mfcc=self.n_mfccs, norm=None) * scale

        return _in_core_layout(mfcc, x, channels_last=self._last)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        shape[2 if self._last else 3] = self.n_mfccs
        return tuple(shape)

    def _config(self):
        return {"n_mfccs": self.n_mfccs, "data_format": self.data_format}


class _Augmentation(_Elementwise):
    """Active only in training (``training=True``); fresh randomness every call."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, x, training=None):
        return self._augment(x) if training else x

    def _config(self):
        return {"seed": self.seed}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class AdditiveNoise(_Augmentation):
    """kapre's ``AdditiveNoise``: white Gaussian noise of variance ``power`` (its power scaled
    by a fresh uniform draw per example with ``random_gain``)."""

    def __init__(self, power=0.1, random_gain=False, noise_type="white", **kwargs):
        super().__init__(**kwargs)
        one_of(noise_type, "noise_type", ("white",))
        self.power, self.random_gain, self.noise_type = power, bool(random_gain), noise_type

    def _augment(self, x):
        noise = keras.random.normal(keras.ops.shape(x), stddev=float(np.sqrt(self.power)),
                                    dtype=x.dtype, seed=self.seed_generator)
        if self.random_gain:
            shape = (keras.ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
            noise = noise * keras.ops.sqrt(keras.random.uniform(shape, dtype=x.dtype,
                                                                seed=self.seed_generator))
        return x + noise

    def _config(self):
        return {"power": self.power, "random_gain": self.random_gain,
                "noise_type": self.noise_type, **super()._config()}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class SpecAugment(_Augmentation):
    """Frequency and time masks (Park et al. 2019) on ``(batch, frames, freq, ch)``: each
    example gets ``n_freq_masks`` stripes of 0 .. ``freq_mask_param`` bins and
    ``n_time_masks`` of 0 .. ``time_mask_param`` frames, set to ``mask_value``."""

    def __init__(self, freq_mask_param=0, time_mask_param=0, n_freq_masks=1, n_time_masks=1,
                 mask_value=0.0, data_format="default", **kwargs):
        super().__init__(**kwargs)
        (self.freq_mask_param, self.time_mask_param, self.n_freq_masks, self.n_time_masks,
         self.mask_value) = _checks.mask_config(
            freq_mask_param=freq_mask_param, time_mask_param=time_mask_param,
            n_freq_masks=n_freq_masks, n_time_masks=n_time_masks, mask_value=mask_value)
        self.data_format = data_format
        self._last = _last(data_format)

    def _augment(self, x):
        return _in_core_layout(self._masked, x, channels_last=self._last)

    def _masked(self, S):  # (batch, ch, freq, frames)
        lead = tuple(keras.ops.shape(S)[:2])
        for axis, param, count in ((-2, self.freq_mask_param, self.n_freq_masks),
                                   (-1, self.time_mask_param, self.n_time_masks)):
            size = S.shape[axis]
            for _ in range(count if param else 0):
                width = keras.random.randint(lead, 0, min(param, size) + 1, seed=self.seed_generator)
                room = keras.ops.cast(size - width + 1, "float32")
                start = keras.ops.cast(keras.random.uniform(lead, seed=self.seed_generator) * room,
                                       "int32")
                S = af.mask_stripes(S, start=keras.ops.cast(start, "int64"),
                                    width=keras.ops.cast(width, "int64"), axis=axis,
                                    value=self.mask_value)
        return S

    def _config(self):
        return {"freq_mask_param": self.freq_mask_param, "time_mask_param": self.time_mask_param,
                "n_freq_masks": self.n_freq_masks, "n_time_masks": self.n_time_masks,
                "mask_value": self.mask_value, "data_format": self.data_format,
                **super()._config()}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class ChannelSwap(_Augmentation):
    """kapre's ``ChannelSwap``: a fresh random permutation of the channels every batch."""

    def __init__(self, data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format
        self._last = _last(data_format)

    def _augment(self, x):
        axis = len(x.shape) - 1 if self._last else 1
        order = keras.random.shuffle(keras.ops.arange(x.shape[axis]), seed=self.seed_generator)
        return keras.ops.take(x, order, axis=axis)

    def _config(self):
        return {"data_format": self.data_format, **super()._config()}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class Normalization2D(_Elementwise):
    """kapre's ``Normalization2D``: ``(x - mean) / (std + eps)`` with the statistics taken
    over every axis but ``str_axis`` ('data_sample': per example; 'freq', 'time', 'channel':
    per bin, frame or channel over the batch; 'batch': over everything)."""

    def __init__(self, str_axis="data_sample", eps=1e-10, data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.str_axis = one_of(str_axis, "str_axis", ("data_sample", "freq", "time", "channel",
                                                      "batch"))
        self.eps, self.data_format = eps, data_format
        self._last = _last(data_format)

    def call(self, x):
        positions = {"data_sample": 0, "time": 1, "freq": 2, "channel": 3} if self._last else \
            {"data_sample": 0, "channel": 1, "time": 2, "freq": 3}
        keep = positions.get(self.str_axis)
        axes = tuple(a for a in range(4) if a != keep)
        centred = x - keras.ops.mean(x, axis=axes, keepdims=True)
        std = keras.ops.sqrt(keras.ops.mean(centred * centred, axis=axes, keepdims=True))
        return centred / (std + self.eps)

    def _config(self):
        return {"str_axis": self.str_axis, "eps": self.eps, "data_format": self.data_format}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class CQT(_AudioLayer):
    """Constant-Q transform, :func:`audiofront.cqt`: ``(batch, time, ch) -> (batch, frames,
    n_bins, ch)``, complex, or ``|C|`` with ``output_format='magnitude'`` (nnAudio's name)."""

    def __init__(self, sample_rate=22050, hop_length=512, fmin=None, n_bins=84,
                 bins_per_octave=12, algorithm="auto", output_format="complex", **kwargs):
        super().__init__(**kwargs)
        self.sample_rate, self.hop_length, self.fmin = sample_rate, hop_length, fmin
        self.n_bins, self.bins_per_octave, self.algorithm = n_bins, bins_per_octave, algorithm
        self.output_format = one_of(output_format, "output_format", ("complex", "magnitude"))
        af.cqt(np.zeros(4 * hop_length, np.float32), **self._cqt_kwargs())  # validate now

    def _cqt_kwargs(self):
        return {"sr": self.sample_rate, "hop_length": self.hop_length, "fmin": self.fmin,
                "n_bins": self.n_bins, "bins_per_octave": self.bins_per_octave,
                "algorithm": self.algorithm}

    def call(self, x):
        xp = _xp()
        C = af.cqt(self._audio(x, xp), **self._cqt_kwargs())
        if self.output_format == "magnitude":
            C = xp.abs(C)
        return self._spectra(C, xp)

    def compute_output_shape(self, input_shape):
        def frames(n):
            return af.cqt_frame_count(n, sr=self.sample_rate, hop_length=self.hop_length,
                                      fmin=self.fmin, n_bins=self.n_bins,
                                      bins_per_octave=self.bins_per_octave)

        return self._shape(input_shape, self.n_bins, frames)

    def compute_output_spec(self, x):
        dtype = "complex64" if self.output_format == "complex" else "float32"
        return keras.KerasTensor(self.compute_output_shape(x.shape), dtype=dtype)

    def _config(self):
        return {"sample_rate": self.sample_rate, "hop_length": self.hop_length,
                "fmin": self.fmin, "n_bins": self.n_bins,
                "bins_per_octave": self.bins_per_octave, "algorithm": self.algorithm,
                "output_format": self.output_format, **super()._config()}


# --- normalisation ---------------------------------------------------------------------------

class _SpectralNorm(_Elementwise):
    """A normalisation of ``(batch, frames, freq, ch)`` (or ``data_format='channels_first'``,
    ``(batch, ch, frames, freq)``) through a core function on ``(..., freq, frames)``."""

    def __init__(self, *, data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format
        self._last = _last(data_format)

    def call(self, x):
        return _in_core_layout(self._core, x, channels_last=self._last)

    def _config(self):
        return {"data_format": self.data_format}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class PCEN(_SpectralNorm):
    """Per-channel energy normalisation, :func:`audiofront.pcen`, per example and channel.

    With ``trainable=True`` the layer learns one gain, bias, power and smoothing coefficient
    ``b`` per band (LEAF), as weights holding the logs of gain, bias and power and the logit of
    b (the parametrisation keeps them in range); ``n_bands`` defaults to the input's number of
    frequency bins. With ``trainable=False`` (default) the parameters are fixed numbers.
    """

    def __init__(self, *, sr=22050, hop_length=512, gain=0.98, bias=2.0, power=0.5,
                 time_constant=0.4, eps=1e-6, b=None, max_size=1, n_bands=None,
                 trainable=False, **kwargs):
        super().__init__(trainable=trainable, **kwargs)
        self.sr, self.hop_length, self.time_constant = sr, hop_length, time_constant
        self.gain, self.bias, self.power, self.b = gain, bias, power, b
        self.eps, self.max_size, self.n_bands = eps, max_size, n_bands
        self._fixed = normalization.pcen_settings(
            sr=sr, hop_length=hop_length, gain=gain, bias=bias, power=power,
            time_constant=time_constant, eps=eps, b=b, max_size=max_size, trainable=trainable)
        self._raw = {}

    def build(self, input_shape):
        if not self.trainable:
            return
        bands = self.n_bands or input_shape[2 if self._last else 3]
        raw = normalization.pcen_unconstrained(self._fixed, bands)
        self._raw = {name: self.add_weight(name=f"pcen_{name}", shape=(bands,), trainable=True,
                                           initializer=keras.initializers.Constant(value))
                     for name, value in raw.items()}

    def _core(self, S):
        params = normalization.pcen_constrained(
            {name: _value(w) for name, w in self._raw.items()}, _xp()) if self._raw else self._fixed
        return af.pcen(S, eps=self.eps, max_size=self.max_size, **params)

    def _config(self):
        return {"sr": self.sr, "hop_length": self.hop_length, "gain": self.gain,
                "bias": self.bias, "power": self.power, "time_constant": self.time_constant,
                "eps": self.eps, "b": self.b, "max_size": self.max_size,
                "n_bands": self.n_bands, **super()._config()}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class LCN(_SpectralNorm):
    """Local contrast normalisation over (frequency, time), :func:`audiofront.lcn`."""

    def __init__(self, *, kernel_size=(7, 7), sigma=None, eps=1e-8, **kwargs):
        super().__init__(**kwargs)
        # tuples, as a saved config's lists come back
        self.kernel_size = tuple(kernel_size) if isinstance(kernel_size, list) else kernel_size
        self.sigma = tuple(sigma) if isinstance(sigma, list) else sigma
        self.eps = _checks.positive_float(eps, "eps")
        normalization.lcn_weights(self.kernel_size, self.sigma)  # validate now

    def _core(self, S):
        return af.lcn(S, kernel_size=self.kernel_size, sigma=self.sigma, eps=self.eps)

    def _config(self):
        return {"kernel_size": self.kernel_size, "sigma": self.sigma, "eps": self.eps,
                **super()._config()}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class Standardize(_SpectralNorm):
    """``(S - mean) / (std + eps)`` per example and channel over (frequency, time),
    :func:`audiofront.standardize`: the batch-independent counterpart of kapre's
    ``Normalization2D``."""

    def __init__(self, *, eps=1e-10, **kwargs):
        super().__init__(**kwargs)
        self.eps = _checks.positive_float(eps, "eps", allow_zero=True)

    def _core(self, S):
        return af.standardize(S, eps=self.eps)

    def _config(self):
        return {"eps": self.eps, **super()._config()}
