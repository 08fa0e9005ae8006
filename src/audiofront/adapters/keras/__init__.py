"""audiofront as Keras 3 layers: librosa's names, defaults and numbers, on the TensorFlow,
torch and JAX backends.

The layers mirror ``audiofront.adapters.torch`` (same names, same keyword parameters) and call
the core. Layout: ``data_format='channels_last'`` (Keras' default) takes audio ``(batch, time,
ch)`` and gives spectra ``(batch, freq, frames, ch)``, ready for ``Conv2D``; with
``'channels_first'`` the layout is the core's: ``(batch, ch, time)`` (or ``(batch, time)``) in,
``(batch, ch, freq, frames)`` out. The frequency axis comes before the frames axis, as in
librosa. kapre's layers (its names, layouts and numbers, every generation) are in
:mod:`audiofront.compat.kapre`.

>>> import keras
>>> from audiofront.adapters.keras import MelSpectrogram
>>> layer = MelSpectrogram(sr=16000, n_fft=512, n_mels=40)
>>> tuple(layer(keras.ops.zeros((2, 16000, 1))).shape)
(2, 40, 126, 1)
"""

from __future__ import annotations

import keras
import numpy as np

import audiofront as af
from ... import _checks, normalization
from ..._checks import one_of
from ...constantq import module_config
from ...framing import frame_count
from .._keras import (AudioLayer, Augmentation, ComplexSTFT, Elementwise, FilteredLayer, Layer,
                     STFTLayer, SpectralLayer, additive_noise, channels_last, in_core_layout,
                     spec_augment, value, weight, xp)

__all__ = ["Frame", "STFT", "InverseSTFT", "Spectrogram", "MelSpectrogram",
           "LogFrequencySpectrogram", "CQT", "MFCC", "Delta", "PowerToDB", "AmplitudeToDB",
           "MuLawEncoding", "MuLawDecoding", "ApplyFilterbank", "AdditiveNoise", "SpecAugment",
           "PCEN", "LCN", "Standardize"]

register = keras.saving.register_keras_serializable(package="audiofront")


class _Formatted:
    """One ``data_format`` for the input and the output (mixed in before a layer base)."""

    def __init__(self, *args, data_format="default", **kwargs):
        super().__init__(*args, **kwargs)
        self.data_format = data_format
        self._in_last = self._out_last = channels_last(data_format)

    def _config(self):
        return {"data_format": self.data_format}


def _stft_args(n_fft, hop_length, win_length, window, center, pad_mode, method, trainable):
    return {"n_fft": n_fft, "hop_length": hop_length, "win_length": win_length,
            "window": window, "center": center, "pad_mode": pad_mode, "method": method,
            "trainable_stft": trainable}


class _NativeSTFT(_Formatted, STFTLayer):
    def _config(self):
        return {"n_fft": self.n_fft, "hop_length": self.hop_length, "win_length": self.win_length,
                "window": self.window, "center": self.center, "pad_mode": self.pad_mode,
                "method": self.method, **super()._config()}


@register
class STFT(_NativeSTFT, ComplexSTFT):
    """Complex STFT, :func:`audiofront.stft`: ``(batch, time, ch) -> (batch, 1 + n_fft // 2,
    frames, ch)`` complex64 (or channels first). ``trainable_stft=True`` learns the windowed
    DFT basis (``method='dft'``, the default then; ``trainable`` is Keras' own flag)."""

    def __init__(self, *, n_fft=2048, hop_length=None, win_length=None, window="hann",
                 center=True, pad_mode="constant", method=None, trainable_stft=False, **kwargs):
        super().__init__(**_stft_args(n_fft, hop_length, win_length, window, center, pad_mode,
                                      method, trainable_stft), **kwargs)

    def _config(self):
        return {"trainable_stft": self.trainable_stft, **super()._config()}


@register
class Spectrogram(_NativeSTFT):
    """``|STFT| ** power`` (2 by default), :func:`audiofront.spectrogram`: ``(batch, 1 + n_fft
    // 2, frames, ch)`` float32."""

    def __init__(self, *, n_fft=2048, hop_length=None, win_length=None, window="hann",
                 center=True, pad_mode="constant", power=2.0, method=None,
                 trainable_stft=False, **kwargs):
        super().__init__(**_stft_args(n_fft, hop_length, win_length, window, center, pad_mode,
                                      method, trainable_stft), **kwargs)
        self.power = _checks.positive_float(power, "power")

    def call(self, x):
        namespace = xp()
        S = af.spectrogram(self._prepared(x, namespace), power=self.power, **self._stft_kwargs())
        return self._spectra(S, namespace)

    def compute_output_shape(self, input_shape):
        return self._shape(input_shape, self.n_fft // 2 + 1, self._frames)

    def _config(self):
        return {"power": self.power, "trainable_stft": self.trainable_stft, **super()._config()}


class _NativeFiltered(_NativeSTFT, FilteredLayer):
    """A power spectrogram through a filterbank; ``_fb`` holds the builder's arguments."""

    build_filterbank = None

    def _filterbank(self):
        return type(self).build_filterbank(n_fft=self.n_fft, **self._fb)

    def _config(self):
        return {**self._fb, "power": self.power, "trainable_stft": self.trainable_stft,
                "trainable_filterbank": self.trainable_fb, **super()._config()}


@register
class MelSpectrogram(_NativeFiltered):
    """Mel spectrogram, :func:`audiofront.melspectrogram`: ``(batch, time, ch) -> (batch,
    n_mels, frames, ch)``. ``trainable_stft`` learns the DFT basis (``method='dft'``),
    ``trainable_filterbank`` the mel filters."""

    build_filterbank = af.mel_filterbank

    def __init__(self, *, sr=22050, n_fft=2048, hop_length=None, win_length=None,
                 window="hann", center=True, pad_mode="constant", power=2.0, n_mels=128,
                 fmin=0.0, fmax=None, htk=False, norm="slaney", method=None,
                 trainable_stft=False, trainable_filterbank=False, **kwargs):
        super().__init__(**_stft_args(n_fft, hop_length, win_length, window, center, pad_mode,
                                      method, trainable_stft), **kwargs)
        self._fb = {"sr": sr, "n_mels": n_mels, "fmin": fmin, "fmax": fmax, "htk": htk,
                    "norm": norm}
        self.power = _checks.positive_float(power, "power")
        self.trainable_fb = bool(trainable_filterbank)
        self._filterbank()  # validate now


@register
class LogFrequencySpectrogram(_NativeFiltered):
    """Log-frequency spectrogram (kapre's log filterbank on the power spectrogram),
    :func:`audiofront.log_frequency_spectrogram`: ``(batch, n_bins, frames, ch)``."""

    build_filterbank = af.log_filterbank

    def __init__(self, *, sr=22050, n_fft=2048, hop_length=None, win_length=None,
                 window="hann", center=True, pad_mode="constant", power=2.0, n_bins=84,
                 bins_per_octave=12, fmin=None, spread=0.125, method=None,
                 trainable_stft=False, trainable_filterbank=False, **kwargs):
        super().__init__(**_stft_args(n_fft, hop_length, win_length, window, center, pad_mode,
                                      method, trainable_stft), **kwargs)
        self._fb = {"sr": sr, "n_bins": n_bins, "bins_per_octave": bins_per_octave,
                    "fmin": fmin, "spread": spread}
        self.power = _checks.positive_float(power, "power")
        self.trainable_fb = bool(trainable_filterbank)
        self._filterbank()


@register
class InverseSTFT(Layer):
    """Inverse STFT, :func:`audiofront.istft`: complex ``(batch, freq, frames, ch)`` (or
    channels first) to ``(batch, time, ch)``. ``length`` fixes the output length; without it
    the output has the length the frame count implies."""

    def __init__(self, *, n_fft=2048, hop_length=None, win_length=None, window="hann",
                 center=True, length=None, data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.n_fft, self.hop_length, self.win_length = _checks.hop_and_window(
            n_fft, hop_length, win_length)
        self.window = tuple(window) if isinstance(window, list) else window
        self.center, self.length, self.data_format = bool(center), length, data_format
        self._in_last = self._out_last = channels_last(data_format)

    def call(self, S):
        namespace = xp()
        S = namespace.moveaxis(S, -1, 1) if self._in_last else S  # (batch, ch, ..., ...)
        if self.frames_first:
            S = namespace.moveaxis(S, -1, -2)
        y = af.istft(S, n_fft=self.n_fft, hop_length=self.hop_length,
                     win_length=self.win_length, window=self.window, center=self.center,
                     length=self.length)
        return namespace.moveaxis(y, 1, -1) if self._out_last else y

    def compute_output_shape(self, input_shape):
        ch = input_shape[3] if self._in_last else input_shape[1]
        frames = input_shape[-2 if self._in_last else -1] if not self.frames_first else \
            input_shape[1 if self._in_last else 2]
        if self.length is not None:
            time = self.length
        elif frames is None:
            time = None
        else:
            time = self.n_fft + self.hop_length * (frames - 1) - (
                2 * (self.n_fft // 2) if self.center else 0)
        return (input_shape[0], time, ch) if self._out_last else (input_shape[0], ch, time)

    def compute_output_spec(self, S):
        return keras.KerasTensor(self.compute_output_shape(S.shape), dtype="float32")

    def _config(self):
        return {"n_fft": self.n_fft, "hop_length": self.hop_length, "win_length": self.win_length,
                "window": self.window, "center": self.center, "length": self.length,
                "data_format": self.data_format}


@register
class CQT(_Formatted, AudioLayer):
    """Constant-Q (or, with ``gamma``, variable-Q) transform, :func:`audiofront.cqt`:
    ``(batch, time, ch) -> (batch, n_bins, frames, ch)``, complex, or ``|C| ** power`` with
    ``output='magnitude'``. The kernels are built and cached by the core; with
    ``trainable_kernels=True`` the layer learns them (the 'direct' algorithm's matrix,
    :func:`audiofront.cqt_direct_basis`, as the weight ``direct_basis``). ``kernels='brown'``
    is Brown's design (nnAudio's CQT1992v2)."""

    def __init__(self, *, sr=22050, hop_length=512, fmin=None, n_bins=84, bins_per_octave=12,
                 tuning=0.0, filter_scale=1.0, norm=1, sparsity=0.0, window="hann", scale=True,
                 pad_mode="constant", gamma=0.0, algorithm="auto", kernels="librosa",
                 trainable_kernels=False, output="complex", power=1.0, **kwargs):
        super().__init__(**kwargs)
        self.cqt_config, self._design = module_config(
            {"sr": sr, "hop_length": hop_length, "fmin": fmin, "n_bins": n_bins,
             "bins_per_octave": bins_per_octave, "tuning": tuning, "filter_scale": filter_scale,
             "norm": norm, "sparsity": sparsity, "window": window, "scale": scale,
             "pad_mode": pad_mode, "gamma": gamma, "algorithm": algorithm, "kernels": kernels},
            trainable=trainable_kernels)
        self.trainable_kernels = bool(trainable_kernels)
        self.output_kind = one_of(output, "output", ("complex", "magnitude"))  # Keras has .output
        self.power = _checks.positive_float(power, "power")

    def build(self, input_shape):
        self.direct_basis = None
        if self._design is not None:
            self.direct_basis = weight(self, "direct_basis",
                                       af.cqt_direct_basis(**self._design), True)

    def call(self, x):
        namespace = xp()
        C = af.vqt(self._audio(x, namespace), **self.cqt_config,
                   direct_basis=value(self.direct_basis))
        if self.output_kind == "magnitude":
            C = namespace.abs(C) if self.power == 1.0 else namespace.abs(C) ** self.power
        return self._spectra(C, namespace)

    def compute_output_shape(self, input_shape):
        config = self.cqt_config

        def frames(n):
            return af.cqt_frame_count(n, sr=config["sr"], hop_length=config["hop_length"],
                                      fmin=config["fmin"], n_bins=config["n_bins"],
                                      bins_per_octave=config["bins_per_octave"],
                                      filter_scale=config["filter_scale"],
                                      window=config["window"], gamma=config["gamma"],
                                      kernels=config["kernels"])

        return self._shape(input_shape, config["n_bins"], frames)

    def compute_output_spec(self, x):
        dtype = "complex64" if self.output_kind == "complex" else "float32"
        return keras.KerasTensor(self.compute_output_shape(x.shape), dtype=dtype)

    def _config(self):
        return {**self.cqt_config, "trainable_kernels": self.trainable_kernels,
                "output": self.output_kind, "power": self.power, **super()._config()}


@register
class MFCC(Layer):
    """MFCCs, :func:`audiofront.mfcc`: ``(batch, time, ch) -> (batch, n_mfcc, frames, ch)``.

    ``melspectrogram_kwargs`` go to the inner :class:`MelSpectrogram` (``n_fft``, ``n_mels``,
    ``hop_length``, trainable flags, ``data_format``...).
    """

    def __init__(self, *, sr=22050, n_mfcc=20, norm="ortho", lifter=0.0, ref=1.0, amin=1e-10,
                 top_db=80.0, data_format="default", melspectrogram_kwargs=None, **kwargs):
        base = {k: kwargs.pop(k) for k in ("name", "dtype", "trainable") if k in kwargs}
        super().__init__(**base)
        self.melspectrogram_kwargs = {**(melspectrogram_kwargs or {}), **kwargs}
        self.melspectrogram = MelSpectrogram(sr=sr, data_format=data_format,
                                             **self.melspectrogram_kwargs)
        self.to_db = PowerToDB(ref=ref, amin=amin, top_db=top_db, data_format=data_format)
        af.mfcc_basis(n_mfcc, self.melspectrogram._fb["n_mels"], norm=norm,
                      lifter=lifter)  # validate now
        self.sr, self.n_mfcc, self.norm, self.lifter = sr, n_mfcc, norm, lifter
        self.ref, self.amin, self.top_db, self.data_format = ref, amin, top_db, data_format
        self._last = channels_last(data_format)

    def build(self, input_shape):
        self.melspectrogram.build(input_shape)

    def call(self, x):
        def cepstra(S):
            return af.logmel_to_mfcc(S, n_mfcc=self.n_mfcc, norm=self.norm, lifter=self.lifter)

        return in_core_layout(cepstra, self.to_db(self.melspectrogram(x)), last=self._last)

    def compute_output_shape(self, input_shape):
        shape = list(self.melspectrogram.compute_output_shape(input_shape))
        shape[1 if self._last else -2] = self.n_mfcc
        return tuple(shape)

    def _config(self):
        return {"sr": self.sr, "n_mfcc": self.n_mfcc, "norm": self.norm, "lifter": self.lifter,
                "ref": self.ref, "amin": self.amin, "top_db": self.top_db,
                "data_format": self.data_format,
                "melspectrogram_kwargs": self.melspectrogram_kwargs}


@register
class Frame(Layer):
    """Overlapping frames, :func:`audiofront.frame`: ``(batch, time, ch) -> (batch, frames,
    frame_length, ch)``, or channels first ``(batch, ch, time) -> (batch, ch, frames,
    frame_length)``; ``pad_end`` pads the last frame with ``pad_value``."""

    def __init__(self, *, frame_length, hop_length, pad_end=False, pad_value=0.0,
                 data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.frame_length = _checks.positive_int(frame_length, "frame_length")
        self.hop_length = _checks.positive_int(hop_length, "hop_length")
        self.pad_end, self.pad_value = bool(pad_end), float(pad_value)
        self.data_format = data_format
        self._last = channels_last(data_format)

    def call(self, x):
        return in_core_layout(
            lambda y: af.frame(y, frame_length=self.frame_length, hop_length=self.hop_length,
                               pad_end=self.pad_end, pad_value=self.pad_value),
            x, last=self._last, spectral=False)

    def compute_output_shape(self, input_shape):
        time = input_shape[1] if self._last else input_shape[-1]
        n = None if time is None else frame_count(time, frame_length=self.frame_length,
                                                  hop_length=self.hop_length, pad_end=self.pad_end)
        if self._last:
            return (input_shape[0], n, self.frame_length, input_shape[2])
        return (*input_shape[:-1], n, self.frame_length)

    def _config(self):
        return {"frame_length": self.frame_length, "hop_length": self.hop_length,
                "pad_end": self.pad_end, "pad_value": self.pad_value,
                "data_format": self.data_format}


@register
class Delta(SpectralLayer):
    """Savitzky-Golay derivative along the frames axis, :func:`audiofront.delta` (librosa's):
    ``(batch, freq, frames, ch)`` (or channels first) in, the same shape out."""

    def __init__(self, *, width=9, order=1, mode="interp", **kwargs):
        super().__init__(**kwargs)
        self.width, self.order, self.mode = width, order, mode
        af.delta(np.zeros(max(int(width), 1)), width=width, order=order, mode=mode)  # validate

    def _core(self, S):
        return af.delta(S, width=self.width, order=self.order, mode=self.mode, axis=-1)

    def _config(self):
        return {"width": self.width, "order": self.order, "mode": self.mode,
                **super()._config()}


@register
class PowerToDB(SpectralLayer):
    """:func:`audiofront.power_to_db` on ``(batch, freq, frames, ch)`` (or channels first),
    ``top_db`` and ``ref='max'`` taken per example and channel."""

    def __init__(self, *, ref=1.0, amin=1e-10, top_db=80.0, **kwargs):
        super().__init__(**kwargs)
        self.ref, self.amin, self.top_db = ref, amin, top_db
        self._core(np.ones((1, 1)))  # validate now

    def _core(self, S):
        return af.power_to_db(S, ref=self.ref, amin=self.amin, top_db=self.top_db)

    def _config(self):
        return {"ref": self.ref, "amin": self.amin, "top_db": self.top_db, **super()._config()}


@register
class AmplitudeToDB(PowerToDB):
    """:func:`audiofront.amplitude_to_db` (``20 log10``; ``amin`` 1e-5), per example."""

    def __init__(self, *, ref=1.0, amin=1e-5, top_db=80.0, **kwargs):
        super().__init__(ref=ref, amin=amin, top_db=top_db, **kwargs)

    def _core(self, S):
        return af.amplitude_to_db(S, ref=self.ref, amin=self.amin, top_db=self.top_db)


@register
class MuLawEncoding(Elementwise):
    """Audio in [-1, 1] to integer codes 0 .. quantization_channels - 1."""

    def __init__(self, *, quantization_channels=256, **kwargs):
        super().__init__(**kwargs)
        self.quantization_channels = quantization_channels

    def call(self, x):
        return af.mu_law_encode(x, quantization_channels=self.quantization_channels)

    def compute_output_spec(self, x):
        return keras.KerasTensor(x.shape, dtype="int64" if keras.backend.backend() == "torch"
                                 else "int32")

    def _config(self):
        return {"quantization_channels": self.quantization_channels}


@register
class MuLawDecoding(MuLawEncoding):
    """Integer codes back to float32 audio in [-1, 1]."""

    def call(self, x):
        return af.mu_law_decode(x, quantization_channels=self.quantization_channels)

    def compute_output_spec(self, x):
        return keras.KerasTensor(x.shape, dtype="float32")


@register
class ApplyFilterbank(SpectralLayer):
    """A filterbank over the frequency axis: ``(batch, n_freq, frames, ch) -> (batch, n_bands,
    frames, ch)`` (or channels first).

    ``kind`` 'mel' or 'log' builds it with :func:`audiofront.mel_filterbank` /
    :func:`audiofront.log_filterbank` from ``filterbank_kwargs`` (``sr``, ``n_fft``, ...);
    ``trainable_filterbank`` learns it.
    """

    def __init__(self, kind="mel", *, filterbank_kwargs=None, trainable_filterbank=False,
                 **kwargs):
        super().__init__(**kwargs)
        self.kind = one_of(kind, "kind", ("mel", "log"))
        self.filterbank_kwargs = dict(filterbank_kwargs or {})
        self.trainable_fb = bool(trainable_filterbank)
        self._filterbank()  # validate now

    def _filterbank(self):
        build = af.mel_filterbank if self.kind == "mel" else af.log_filterbank
        return build(**self.filterbank_kwargs)

    def build(self, input_shape):
        self.filterbank = weight(self, "filterbank", self._filterbank(), self.trainable_fb)

    def _core(self, S):
        return af.apply_filterbank(S, filterbank=value(self.filterbank))

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        if self.frames_first:  # kapre's (frames, freq)
            freq_axis = 2 if self._last else -1
        else:
            freq_axis = 1 if self._last else -2
        shape[freq_axis] = self._filterbank().shape[0]
        return tuple(shape)

    def _config(self):
        return {"kind": self.kind, "filterbank_kwargs": self.filterbank_kwargs,
                "trainable_filterbank": self.trainable_fb, **super()._config()}


@register
class AdditiveNoise(Augmentation):
    """White Gaussian noise of variance ``power`` while training (``training=True``); with
    ``random_gain`` each example's noise power is scaled by a fresh uniform draw in [0, 1)."""

    def __init__(self, *, power=0.1, random_gain=False, **kwargs):
        super().__init__(**kwargs)
        self.power = _checks.positive_float(power, "power", allow_zero=True)
        self.random_gain = bool(random_gain)

    def _augment(self, x):
        return additive_noise(x, power=self.power, random_gain=self.random_gain,
                              seed=self.seed_generator)

    def _config(self):
        return {"power": self.power, "random_gain": self.random_gain, **super()._config()}


@register
class SpecAugment(Augmentation):
    """Frequency and time masks (Park et al. 2019) while training, on ``(batch, freq, frames,
    ch)`` (or channels first): each example gets ``n_freq_masks`` stripes of 0 ..
    ``freq_mask_param`` bins and ``n_time_masks`` of 0 .. ``time_mask_param`` frames, set to
    ``mask_value``."""

    def __init__(self, *, freq_mask_param=0, time_mask_param=0, n_freq_masks=1, n_time_masks=1,
                 mask_value=0.0, data_format="default", **kwargs):
        super().__init__(**kwargs)
        (self.freq_mask_param, self.time_mask_param, self.n_freq_masks, self.n_time_masks,
         self.mask_value) = _checks.mask_config(
            freq_mask_param=freq_mask_param, time_mask_param=time_mask_param,
            n_freq_masks=n_freq_masks, n_time_masks=n_time_masks, mask_value=mask_value)
        self.data_format = data_format
        self._last = channels_last(data_format)

    def _augment(self, x):
        return in_core_layout(lambda S: spec_augment(self, S), x, last=self._last,
                              frames_first=self.frames_first)

    def _config(self):
        return {"freq_mask_param": self.freq_mask_param, "time_mask_param": self.time_mask_param,
                "n_freq_masks": self.n_freq_masks, "n_time_masks": self.n_time_masks,
                "mask_value": self.mask_value, "data_format": self.data_format,
                **super()._config()}


@register
class PCEN(SpectralLayer):
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
        bands = self.n_bands or input_shape[1 if self._last else -2]
        raw = normalization.pcen_unconstrained(self._fixed, bands)
        self._raw = {name: weight(self, f"pcen_{name}", np.asarray(v), trainable=True)
                     for name, v in raw.items()}

    def _core(self, S):
        params = normalization.pcen_constrained(
            {name: value(w) for name, w in self._raw.items()}, xp()) if self._raw else self._fixed
        return af.pcen(S, eps=self.eps, max_size=self.max_size, **params)

    def _config(self):
        return {"sr": self.sr, "hop_length": self.hop_length, "gain": self.gain,
                "bias": self.bias, "power": self.power, "time_constant": self.time_constant,
                "eps": self.eps, "b": self.b, "max_size": self.max_size,
                "n_bands": self.n_bands, **super()._config()}


@register
class LCN(SpectralLayer):
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


@register
class Standardize(SpectralLayer):
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
