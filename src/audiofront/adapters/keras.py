"""audiofront as Keras 3 layers, with kapre's names and layouts.

Each layer calls the core with the Keras backend's own arrays (array-api-compat's torch
namespace, or jax.numpy), creates its constants (window, DFT basis, filterbank) in ``build``
with ``add_weight`` so that ``trainable=True`` learns them, keeps only its constructor
arguments in ``get_config``, and computes its output shape from the core's frame count.

Layout, as kapre: audio input ``(batch, time, channels)`` (``channels_last``, the default) or
``(batch, channels, time)``; spectral output ``(batch, frames, freq, channels)`` or
``(batch, channels, frames, freq)``.

Backends: torch and jax. The TensorFlow backend needs an array-API namespace over TensorFlow
that does not exist yet; on it the layers raise a clear error (see the open issue).
"""

from __future__ import annotations

import keras
import numpy as np

import audiofront as af
from .. import _checks
from .._checks import ParameterError, one_of
from ..framing import frame_count

__all__ = ["Frame", "STFT", "InverseSTFT", "Magnitude", "Phase", "MagnitudeToDecibel",
           "PowerToDB", "AmplitudeToDB", "ApplyFilterbank", "MelSpectrogram",
           "LogFrequencySpectrogram", "ConcatenateFrequencyMap", "Delta", "MuLawEncoding",
           "MuLawDecoding", "get_stft_magnitude_layer", "get_melspectrogram_layer",
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
        self.n_fft, self.hop_length, self.win_length = _checks.hop_and_window(
            n_fft, hop_length, win_length)
        self.window_name = window_name
        self.pad_begin, self.pad_end = bool(pad_begin), bool(pad_end)
        self.center, self.pad_mode = bool(center), pad_mode
        self.method = one_of(method, "method", ("fft", "dft"))
        if trainable_kernel and method != "dft":
            raise ParameterError("trainable_kernel=True needs method='dft'. Received: "
                                 f"method={method!r}")
        self.trainable_kernel = bool(trainable_kernel)
        af.get_window(window_name or "hann", self.win_length)  # validate now

    def build(self, input_shape):
        window = self.window_name or "hann"
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
    """An STFT layer followed by a filterbank it holds (and may learn)."""

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

    def call(self, x):
        xp = _xp()
        M = af.melspectrogram(self._padded(self._audio(x, xp), xp), power=self.power,
                              mel_basis=_value(self.filterbank), **self._stft_kwargs())
        return self._spectra(M, xp)

    def _config(self):
        return {"sample_rate": self.sample_rate, "n_mels": self.n_mels,
                "mel_f_min": self.mel_f_min, "mel_f_max": self.mel_f_max,
                "mel_htk": self.mel_htk, "mel_norm": self.mel_norm, "power": self.power,
                "trainable_fb": self.trainable_fb, **super()._config()}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class LogFrequencySpectrogram(_FilteredLayer):
    """kapre's log-frequency spectrogram in one layer: ``(batch, frames, log_n_bins, ch)``."""

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

    def call(self, x):
        xp = _xp()
        L = af.log_frequency_spectrogram(self._padded(self._audio(x, xp), xp), power=self.power,
                                         log_basis=_value(self.filterbank), **self._stft_kwargs())
        return self._spectra(L, xp)

    def _config(self):
        return {"sample_rate": self.sample_rate, "log_n_bins": self.log_n_bins,
                "log_f_min": self.log_f_min, "log_bins_per_octave": self.log_bins_per_octave,
                "log_spread": self.log_spread, "power": self.power,
                "trainable_fb": self.trainable_fb, **super()._config()}


class _Elementwise(_Layer):
    """A layer whose output has the input's shape."""

    def compute_output_shape(self, input_shape):
        return input_shape


@keras.saving.register_keras_serializable(package=_PACKAGE)
class Magnitude(_Elementwise):
    """``|S|`` of a complex spectrum (kapre's ``Magnitude``)."""

    def call(self, x):
        return af.magnitude(x)

    def compute_output_spec(self, x):
        return keras.KerasTensor(x.shape, dtype="float32")


@keras.saving.register_keras_serializable(package=_PACKAGE)
class Phase(_Elementwise):
    """The angle of a complex spectrum in radians (kapre's ``Phase``)."""

    def call(self, x):
        return af.phase(x)

    def compute_output_spec(self, x):
        return keras.KerasTensor(x.shape, dtype="float32")


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
        xp = _xp()
        log = 10.0 * xp.log10(xp.clip(x, min=self.amin))
        log = log - 10.0 * float(np.log10(max(self.amin, self.ref_value)))
        axes = tuple(range(1, x.ndim))
        return xp.maximum(log, xp.max(log, axis=axes, keepdims=True) - self.dynamic_range)

    def _config(self):
        return {"ref_value": self.ref_value, "amin": self.amin,
                "dynamic_range": self.dynamic_range}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class PowerToDB(_Elementwise):
    """librosa's ``power_to_db`` with the floor per example (over frames and frequency)."""

    def __init__(self, *, ref=1.0, amin=1e-10, top_db=80.0, **kwargs):
        super().__init__(**kwargs)
        self.ref, self.amin, self.top_db = ref, amin, top_db

    def _convert(self, x):
        return af.power_to_db(x, ref=self.ref, amin=self.amin, top_db=self.top_db)

    def call(self, x):
        # the core floors over the last two axes: put (frames, freq) there
        channels_last = x.ndim == 4
        xp = _xp()
        S = xp.moveaxis(x, -1, 1) if channels_last else x
        out = self._convert(S)
        return xp.moveaxis(out, 1, -1) if channels_last else out

    def _config(self):
        return {"ref": self.ref, "amin": self.amin, "top_db": self.top_db}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class AmplitudeToDB(PowerToDB):
    """librosa's ``amplitude_to_db`` (20 log10; ``amin`` 1e-5), floor per example."""

    def __init__(self, *, ref=1.0, amin=1e-5, top_db=80.0, **kwargs):
        super().__init__(ref=ref, amin=amin, top_db=top_db, **kwargs)

    def _convert(self, x):
        return af.amplitude_to_db(x, ref=self.ref, amin=self.amin, top_db=self.top_db)


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
        xp = _xp()
        S = xp.moveaxis(x, -1, 1) if self._last else x  # (batch, ch, frames, freq)
        out = xp.moveaxis(af.apply_filterbank(xp.moveaxis(S, -1, -2), filterbank=_value(self.filterbank)), -1, -2)
        return xp.moveaxis(out, 1, -1) if self._last else out

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
        xp = _xp()
        y = xp.moveaxis(x, -1, 1) if self._last else x
        frames = af.frame(y, frame_length=self.frame_length, hop_length=self.hop_length,
                          pad_end=self.pad_end, pad_value=self.pad_value)
        return xp.moveaxis(frames, 1, -1) if self._last else frames

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
    """librosa's ``delta`` along the frames axis of ``(batch, frames, freq, ch)`` (kapre's
    ``Delta`` computes a different, shorter filter; this one is librosa's)."""

    def __init__(self, win_length=9, order=1, mode="interp", data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.win_length, self.order, self.mode = win_length, order, mode
        self.data_format = data_format
        self._last = _last(data_format)
        af.delta(np.zeros(win_length), width=win_length, order=order, mode=mode)

    def call(self, x):
        return af.delta(x, width=self.win_length, order=self.order, mode=self.mode,
                        axis=1 if self._last else 2)

    def _config(self):
        return {"win_length": self.win_length, "order": self.order, "mode": self.mode,
                "data_format": self.data_format}


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

    def call(self, x):
        return af.mu_law_decode(x, quantization_channels=self.quantization_channels)

    def compute_output_spec(self, x):
        return keras.KerasTensor(x.shape, dtype="float32")

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
                     win_length=self.win_length, window=self.forward_window_name or "hann",
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
        xp = _xp()
        S = xp.moveaxis(x, -1, 1) if self._last else x  # (batch, ch, frames, freq)
        n_freq = S.shape[-1]
        ramp = xp.asarray(np.linspace(0.0, 1.0, n_freq), dtype=S.dtype)
        fmap = xp.broadcast_to(ramp, tuple(S.shape[:1]) + (1,) + tuple(S.shape[2:]))
        out = xp.concat([S, fmap], axis=1)
        return xp.moveaxis(out, 1, -1) if self._last else out

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        axis = 3 if self._last else 1
        shape[axis] = None if shape[axis] is None else shape[axis] + 1
        return tuple(shape)

    def _config(self):
        return {"data_format": self.data_format}


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
    """An (STFT, InverseSTFT) pair whose composition gives the waveform back (centred frames,
    weighted overlap-add); with ``stft_input_shape`` the inverse returns exactly that length."""
    length = stft_input_shape[0 if waveform_data_format != "channels_first" else 1] \
        if stft_input_shape is not None else None
    stft = STFT(n_fft=n_fft, win_length=win_length, hop_length=hop_length,
                window_name=forward_window_name, center=True,
                input_data_format=waveform_data_format, output_data_format=stft_data_format,
                name=stft_name)
    istft = InverseSTFT(n_fft=n_fft, win_length=win_length, hop_length=hop_length,
                        forward_window_name=forward_window_name, center=True, length=length,
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
