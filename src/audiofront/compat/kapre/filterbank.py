"""kapre 0.1/0.2's ``kapre.filterbank.Filterbank``, with kapre 0.2.0's signature and numbers."""

from __future__ import annotations

import keras

import audiofront as af
from ...adapters import keras as native
from ..._checks import ParameterError, one_of
from ._legacy import resolve_format

__all__ = ["Filterbank"]

register = keras.saving.register_keras_serializable(package="audiofront.kapre02")


@register
class Filterbank(native.ApplyFilterbank):
    """kapre 0.2's ``Filterbank``: ``n_fbs`` mel (``init='mel'``: librosa's Slaney filters
    between ``fmin`` and ``fmax``) or log-frequency (``init='log'``: kapre's log-normal filters,
    ``bins_per_octave`` from ``fmin``) filters over the frequency axis of ``(batch, freq, time,
    ch)`` (``channels_last``) or ``(batch, ch, freq, time)``; the filterbank is built for the
    input's number of bins when the layer is built, and learned with ``trainable_fb``.

    kapre 0.2 also lists ``init='linear'`` and ``'uni_random'`` but never builds them (the
    layer fails when built); here they are refused at construction.
    """

    def __init__(self, n_fbs, trainable_fb, sr=None, init="mel", fmin=0.0, fmax=None,
                 bins_per_octave=12, image_data_format="default", **kwargs):
        one_of(init, "init", ("mel", "log", "linear", "uni_random"))
        if init not in ("mel", "log"):
            raise ParameterError(f"kapre 0.2's Filterbank builds only init='mel' or 'log'. "
                                 f"Received: init={init!r}")
        if sr is None:
            raise ParameterError(f"Filterbank(init={init!r}) needs sr. Received: sr=None")
        fmt = resolve_format(image_data_format)
        super().__init__(init, filterbank_kwargs={}, trainable_filterbank=trainable_fb,
                         data_format=fmt,
                         **kwargs)
        self.n_fbs, self.sr, self.init, self.fmin = n_fbs, sr, init, fmin
        self.fmax = sr / 2.0 if fmax is None else fmax
        self.bins_per_octave, self.image_data_format = bins_per_octave, fmt
        self.n_freq = None

    def _filterbank(self):
        if getattr(self, "n_freq", None) is None:  # not built yet: nothing to check before the input is known
            return None
        n_fft = 2 * (self.n_freq - 1)
        if self.init == "mel":
            return af.mel_filterbank(sr=self.sr, n_fft=n_fft, n_mels=self.n_fbs,
                                     fmin=self.fmin, fmax=self.fmax)
        return af.log_filterbank(sr=self.sr, n_fft=n_fft, n_bins=self.n_fbs,
                                 bins_per_octave=self.bins_per_octave, fmin=self.fmin)

    def build(self, input_shape):
        self.n_freq = input_shape[1 if self._last else 2]
        super().build(input_shape)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        shape[1 if self._last else 2] = self.n_fbs
        return tuple(shape)

    def _config(self):
        return {"n_fbs": self.n_fbs, "sr": self.sr, "init": self.init, "fmin": self.fmin,
                "fmax": self.fmax, "bins_per_octave": self.bins_per_octave,
                "trainable_fb": self.trainable_fb, "image_data_format": self.image_data_format}
