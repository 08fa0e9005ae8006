"""kapre's ``kapre.composed`` (0.3/0.4): the getters that build kapre's usual front ends as
one Keras model, with kapre 0.4.1's signatures and numbers.

The mel and log-frequency getters use one fused layer each (STFT, magnitude and filterbank in
one call, audiofront's :class:`~audiofront.adapters.keras.MelSpectrogram` in kapre's layout),
where kapre chains ``STFT``, ``Magnitude`` and ``ApplyFilterbank``: the same numbers without
the complex intermediate.
"""

from __future__ import annotations

import keras

from ...adapters import keras as native
from ..._checks import ParameterError
from .time_frequency import (STFT, ConcatenateFrequencyMap, InverseSTFT, KapreSTFTGeometry,
                             Magnitude, MagnitudeToDecibel, Phase)

__all__ = ["get_stft_magnitude_layer", "get_melspectrogram_layer",
           "get_log_frequency_spectrogram_layer", "get_perfectly_reconstructing_stft_istft",
           "get_stft_mag_phase", "get_frequency_aware_conv2d"]

register = keras.saving.register_keras_serializable(package="audiofront.kapre")


@register
class MelSpectrogram(KapreSTFTGeometry, native.MelSpectrogram):
    """The mel getter's layer: ``(batch, time, ch) -> (batch, frames, n_mels, ch)``, the mel
    filterbank on ``|STFT| ** power``, kapre's argument names."""

    def __init__(self, *, sample_rate=22050, n_mels=128, mel_f_min=0.0, mel_f_max=None,
                 mel_htk=False, mel_norm="slaney", power=2.0, trainable_fb=False, **kwargs):
        super().__init__(sr=sample_rate, n_mels=n_mels, fmin=mel_f_min, fmax=mel_f_max,
                         htk=mel_htk, norm=mel_norm, power=power,
                         trainable_filterbank=trainable_fb, **kwargs)

    def _config(self):
        fb = self._fb
        return {"sample_rate": fb["sr"], "n_mels": fb["n_mels"], "mel_f_min": fb["fmin"],
                "mel_f_max": fb["fmax"], "mel_htk": fb["htk"], "mel_norm": fb["norm"],
                "power": self.power, "trainable_fb": self.trainable_fb, **super()._config()}


@register
class LogFrequencySpectrogram(KapreSTFTGeometry, native.LogFrequencySpectrogram):
    """The log-frequency getter's layer: ``(batch, frames, log_n_bins, ch)``."""

    def __init__(self, *, sample_rate=22050, log_n_bins=84, log_f_min=None,
                 log_bins_per_octave=12, log_spread=0.125, power=2.0, trainable_fb=False,
                 **kwargs):
        super().__init__(sr=sample_rate, n_bins=log_n_bins, fmin=log_f_min,
                         bins_per_octave=log_bins_per_octave, spread=log_spread, power=power,
                         trainable_filterbank=trainable_fb, **kwargs)

    def _config(self):
        fb = self._fb
        return {"sample_rate": fb["sr"], "log_n_bins": fb["n_bins"], "log_f_min": fb["fmin"],
                "log_bins_per_octave": fb["bins_per_octave"], "log_spread": fb["spread"],
                "power": self.power, "trainable_fb": self.trainable_fb, **super()._config()}


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
