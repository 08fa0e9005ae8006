"""kapre 0.1/0.2's ``Spectrogram`` and ``Melspectrogram``, with kapre 0.2.0's signatures,
layouts and numbers (served from :mod:`audiofront.compat.kapre.time_frequency`).

kapre 0.2 layout: audio ``(batch, ch, time)`` whatever the image data format; spectra ``(batch,
freq, frames, ch)`` (``channels_last``) or ``(batch, ch, freq, frames)`` (``channels_first``).

kapre 0.2 computes the STFT as two strided convolutions of the signal with windowed cos / sin
kernels (periodic Hann, ``n_dft`` taps, stride ``n_hop``) and TensorFlow's 'same' / 'valid'
convolution padding: 'valid' frames start at sample 0 and stop before the end, 'same' gives
``ceil(time / n_hop)`` frames with ``max(0, (frames - 1) n_hop + n_dft - time)`` zeros split
as ``total // 2`` before and the rest after. These layers hold the same kernels, in kapre's
shapes and order (``real_kernels``, ``imag_kernels`` ``(n_dft, 1, 1, n_freq)``, then
``freq2mel`` ``(n_freq, n_mels)``), so a kapre 0.2 model's saved weights load into them, and
compute the same products through :func:`audiofront.spectrogram` with ``method='dft'``.

One difference, deliberate: on TensorFlow 2, kapre 0.2 leaves every kernel trainable whatever
``trainable_kernel`` / ``trainable_fb`` say (it appends its variables to the weight lists, a
no-op there, and Keras tracks them as trainable). Here those flags mean what kapre documents.
"""

from __future__ import annotations

import keras
import numpy as np

import audiofront as af
from ...adapters._keras import FORMATS, AudioLayer, value, weight, xp
from ..._checks import ParameterError, one_of
from .backend_keras import amplitude_to_decibel

__all__ = ["Spectrogram", "Melspectrogram"]

register = keras.saving.register_keras_serializable(package="audiofront.kapre02")


def resolve_format(data_format):
    """kapre 0.2's ``image_data_format``, 'default' resolved to Keras' setting now (kapre
    stores the resolved value in its config)."""
    one_of(data_format, "image_data_format", FORMATS)
    return keras.config.image_data_format() if data_format == "default" else data_format


def _compressed(x, power):
    """kapre 0.2's ``sqrt(x) ** power`` for a power other than 2 (``x`` a power). tf.keras 2's
    ``K.sqrt`` clips negative input to 0 first, which matters once a learned filterbank has
    negative weights (a mel power below 0 gives 0, not NaN)."""
    if float(power) == 2.0:
        return x
    namespace = xp()
    root = namespace.sqrt(namespace.maximum(x, 0.0))
    return root if float(power) == 1.0 else root ** float(power)


@register
class Spectrogram(AudioLayer):
    """kapre 0.1/0.2's ``Spectrogram``: ``(batch, ch, time) -> (batch, 1 + n_dft // 2, frames,
    ch)`` (``channels_last``) or ``(batch, ch, 1 + n_dft // 2, frames)``, float32.

    Parameters (kapre 0.2.0's)
    --------------------------
    n_dft : int, a power of 2 > 1. Default 512.
    n_hop : int or None. Default ``n_dft // 2``.
    padding : 'same' (``ceil(time / n_hop)`` frames) or 'valid'. Default 'same'.
    power_spectrogram : float. 2 gives the power spectrogram, 1 the magnitude. Default 2.
    return_decibel_spectrogram : bool. kapre 0.2's decibels (each example's maximum at 0 dB,
        80 dB range, 10 log10 of the output whatever ``power_spectrogram`` is). Default False.
    trainable_kernel : bool. Learn the DFT kernels. Default False.
    image_data_format : 'default', 'channels_first' or 'channels_last'.
    """

    _in_last = False

    def __init__(self, n_dft=512, n_hop=None, padding="same", power_spectrogram=2.0,
                 return_decibel_spectrogram=False, trainable_kernel=False,
                 image_data_format="default", **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n_dft, (int, np.integer)) or n_dft < 2 or n_dft & (n_dft - 1):
            raise ParameterError(
                f"n_dft must be a power of 2 greater than 1 (kapre 0.2's rule). "
                f"Received: n_dft={n_dft!r}"
            )
        self.n_dft, self.n_hop = int(n_dft), int(n_dft) // 2 if n_hop is None else n_hop
        if not isinstance(self.n_hop, (int, np.integer)) or self.n_hop < 1:
            raise ParameterError(f"n_hop must be a positive integer. Received: n_hop={n_hop!r}")
        self.padding = one_of(padding, "padding", ("same", "valid"))
        self.power_spectrogram = float(power_spectrogram)
        self.return_decibel_spectrogram = bool(return_decibel_spectrogram)
        self.trainable_kernel = bool(trainable_kernel)
        self.image_data_format = resolve_format(image_data_format)
        self._out_last = self.image_data_format == "channels_last"
        self.n_freq = self.n_dft // 2 + 1

    def build(self, input_shape):
        basis = af.dft_basis(n_fft=self.n_dft)  # (n_dft, 2 n_freq): cos columns, then -sin
        shape = (self.n_dft, 1, 1, self.n_freq)
        self.real_kernels = weight(self, "real_kernels", basis[:, :self.n_freq].reshape(shape),
                                   self.trainable_kernel)
        self.imag_kernels = weight(self, "imag_kernels", basis[:, self.n_freq:].reshape(shape),
                                   self.trainable_kernel)

    def _padding(self, time):
        """(before, after) zeros of TensorFlow's convolution padding for ``time`` samples."""
        if self.padding == "valid":
            if time < self.n_dft:
                raise ParameterError(
                    f"With padding='valid' the input must hold at least n_dft={self.n_dft} "
                    f"samples. Received: {time} samples"
                )
            return 0, 0
        total = max(0, (self._frames(time) - 1) * self.n_hop + self.n_dft - time)
        return total // 2, total - total // 2

    def _frames(self, time):
        if self.padding == "same":
            return -(-time // self.n_hop)
        return (time - self.n_dft) // self.n_hop + 1

    def _power(self, x):
        """The power spectrogram ``(batch, ch, n_freq, frames)`` of ``(batch, ch, time)``
        audio, as kapre's convolutions compute it."""
        namespace = xp()
        before, after = self._padding(x.shape[-1])
        y = af.framing.pad(x, before, after, xp=namespace) if before or after else x
        real = namespace.reshape(value(self.real_kernels), (self.n_dft, self.n_freq))
        imag = namespace.reshape(value(self.imag_kernels), (self.n_dft, self.n_freq))
        return af.spectrogram(y, n_fft=self.n_dft, hop_length=self.n_hop, center=False,
                              method="dft", dft_basis=namespace.concat([real, imag], axis=1),
                              power=2.0)

    def _spectrogram(self, x):
        S = _compressed(self._power(x), self.power_spectrogram)
        return amplitude_to_decibel(S) if self.return_decibel_spectrogram else S

    def call(self, x):
        return self._spectra(self._spectrogram(x), xp())

    def compute_output_shape(self, input_shape):
        if input_shape[-1] is not None:
            self._padding(input_shape[-1])  # the 'valid' length check
        return self._shape(input_shape, self._bands(), self._frames)

    def _bands(self):
        return self.n_freq

    def get_config(self):
        return {**super().get_config(), "n_dft": self.n_dft, "n_hop": self.n_hop,
                "padding": self.padding, "power_spectrogram": self.power_spectrogram,
                "return_decibel_spectrogram": self.return_decibel_spectrogram,
                "trainable_kernel": self.trainable_kernel,
                "image_data_format": self.image_data_format}


@register
class Melspectrogram(Spectrogram):
    """kapre 0.1/0.2's ``Melspectrogram``: ``(batch, ch, time) -> (batch, n_mels, frames, ch)``
    (``channels_last``) or ``(batch, ch, n_mels, frames)``, float32.

    The power spectrogram through librosa's mel filterbank (``sr``, ``n_mels``, ``fmin``,
    ``fmax``, ``htk``, ``norm``), then ``sqrt(.) ** power_melgram``: the default
    ``power_melgram=1.0`` gives the square root of the mel power (kapre's "amplitude"
    melgram). ``return_decibel_melgram`` applies kapre 0.2's decibels to that (10 log10 of
    the square root: half the decibels of the mel power, as kapre). ``trainable_fb`` learns the
    filterbank; the :class:`Spectrogram` arguments (``n_dft``, ``n_hop``, ``padding``,
    ``trainable_kernel``, ``image_data_format``) pass through ``kwargs``.
    """

    def __init__(self, sr=22050, n_mels=128, fmin=0.0, fmax=None, power_melgram=1.0,
                 return_decibel_melgram=False, trainable_fb=False, htk=False, norm="slaney",
                 **kwargs):
        if float(kwargs.get("power_spectrogram", 2.0)) != 2.0:
            raise ParameterError(
                f"In Melspectrogram, power_spectrogram must be 2.0 (kapre 0.2's rule). "
                f"Received: power_spectrogram={kwargs['power_spectrogram']!r}"
            )
        super().__init__(**kwargs)
        self.sr, self.n_mels, self.fmin = int(sr), n_mels, fmin
        self.fmax = float(sr) / 2 if fmax is None else fmax
        self.power_melgram = power_melgram
        self.return_decibel_melgram = bool(return_decibel_melgram)
        self.trainable_fb, self.htk, self.norm = bool(trainable_fb), htk, norm
        self._mel_basis()  # validate now

    def _mel_basis(self):
        return af.mel_filterbank(sr=self.sr, n_fft=self.n_dft, n_mels=self.n_mels,
                                 fmin=self.fmin, fmax=self.fmax, htk=self.htk, norm=self.norm)

    def build(self, input_shape):
        super().build(input_shape)
        self.freq2mel = weight(self, "freq2mel", self._mel_basis().T, self.trainable_fb)

    def call(self, x):
        namespace = xp()
        fb = namespace.matrix_transpose(value(self.freq2mel))
        M = af.apply_filterbank(self._spectrogram(x), filterbank=fb)
        M = _compressed(M, self.power_melgram)
        if self.return_decibel_melgram:
            M = amplitude_to_decibel(M)
        return self._spectra(M, namespace)

    def _bands(self):
        return self.n_mels

    def get_config(self):
        return {**super().get_config(), "sr": self.sr, "n_mels": self.n_mels,
                "fmin": self.fmin, "fmax": self.fmax, "trainable_fb": self.trainable_fb,
                "power_melgram": self.power_melgram,
                "return_decibel_melgram": self.return_decibel_melgram, "htk": self.htk,
                "norm": self.norm}
