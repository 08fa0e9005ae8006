"""nnAudio's constant-Q modules: Brown's kernels (one Q for every bin, whole-sample lengths),
nnAudio's normalisations and output formats, over :class:`audiofront.adapters.torch.CQT`."""

from __future__ import annotations

import math

import torch
from torch import nn

import audiofront as af
from ... import ParameterError, _checks
from ...adapters import torch as adapters
from ._translate import as_batch, checked_format, formatted

NORMALIZATIONS = ("librosa", "convolutional", "wrap")


def _n_bins(fmin, fmax, n_bins, bins_per_octave):
    """nnAudio's bin count: ``fmax``, when given, sets it (``ceil(bpo log2(fmax / fmin))``;
    nnAudio warns that ``n_bins`` is then ignored)."""
    if fmax is None:
        return n_bins
    if n_bins is not None:
        _checks.user_warning("If fmax is given, n_bins will be ignored")
    return int(math.ceil(bins_per_octave * math.log2(fmax / fmin)))


class _BrownCQT(nn.Module):
    """The shared body: the core's CQT with ``kernels='brown'`` ('librosa' normalisation:
    ``sqrt(length_k)`` times the correlation with the unit-norm kernel, as nnAudio)."""

    def _build(self, *, sr, hop_length, fmin, fmax, n_bins, bins_per_octave, filter_scale, norm,
               window, pad_mode, gamma, trainable, fmt):
        self.output_format = checked_format(fmt)
        self.trainable = bool(trainable)
        n_bins = _n_bins(fmin, fmax, n_bins, bins_per_octave)
        design = dict(sr=sr, fmin=fmin, n_bins=n_bins, bins_per_octave=bins_per_octave,
                      filter_scale=filter_scale, norm=norm, window=window, gamma=gamma,
                      kernels="brown")
        self.cqt = adapters.CQT(hop_length=hop_length, pad_mode=pad_mode, trainable=trainable,
                                algorithm="direct", **design)
        lengths = af.cqt_filterbank(**design)[1]
        self.register_buffer("lengths", torch.tensor(lengths, dtype=torch.float32),
                             persistent=False)
        self.frequencies = af.cqt_frequencies(n_bins, fmin=fmin, bins_per_octave=bins_per_octave)

    def forward(self, x, output_format=None, normalization_type="librosa"):
        if normalization_type not in NORMALIZATIONS:
            raise ParameterError(f"normalization_type must be one of {NORMALIZATIONS}. "
                                 f"Received: normalization_type={normalization_type!r}")
        C = self.cqt(as_batch(x))
        if normalization_type != "librosa":  # the plain correlation (times 2 for 'wrap')
            factor = 2.0 if normalization_type == "wrap" else 1.0
            C = C * (factor / torch.sqrt(self.lengths.to(C.real.dtype)))[:, None]
        return formatted(C, output_format or self.output_format, trainable=self.trainable,
                         unit_phase=True)


class CQT1992v2(_BrownCQT):
    """nnAudio's CQT1992v2: each frame (centred, reflect padding) against Brown's kernels,
    ``Q = filter_scale / (2 ** (1 / bins_per_octave) - 1)``, lengths ``ceil(Q sr / f)``;
    within 1e-5 of nnAudio 0.3.4 (its float32 kernels). ``trainable`` learns the kernels;
    ``center=False`` is not offered. For librosa's CQT use :class:`audiofront.adapters.torch.
    CQT` (or ``audiofront.cqt``)."""

    def __init__(self, sr=22050, hop_length=512, fmin=32.70, fmax=None, n_bins=84,
                 bins_per_octave=12, filter_scale=1, norm=1, window="hann", center=True,
                 pad_mode="reflect", trainable=False, output_format="Magnitude", verbose=True):
        super().__init__()
        if not center:
            raise ParameterError("center=False is not offered (frames are centred on the "
                                 "hops). Received: center=False")
        self._build(sr=sr, hop_length=hop_length, fmin=fmin, fmax=fmax, n_bins=n_bins,
                    bins_per_octave=bins_per_octave, filter_scale=filter_scale, norm=norm,
                    window=window, pad_mode=pad_mode, gamma=0.0, trainable=trainable,
                    fmt=output_format)


class CQT(CQT1992v2):
    """nnAudio's ``CQT``: :class:`CQT1992v2`."""


class VQT(_BrownCQT):
    """nnAudio's VQT: Brown's kernels widened by ``gamma`` Hz (lengths ``ceil(Q sr / (f +
    gamma / alpha))``), computed at the full rate, where nnAudio decimates octave by octave
    (``earlydownsample`` and ``norm`` are accepted; they only steer nnAudio's decimation)."""

    def __init__(self, sr=22050, hop_length=512, fmin=32.70, fmax=None, n_bins=84,
                 filter_scale=1, bins_per_octave=12, norm=True, basis_norm=1, gamma=0,
                 window="hann", pad_mode="reflect", earlydownsample=True, trainable=False,
                 output_format="Magnitude", verbose=True):
        super().__init__()
        self._build(sr=sr, hop_length=hop_length, fmin=fmin, fmax=fmax, n_bins=n_bins,
                    bins_per_octave=bins_per_octave, filter_scale=filter_scale, norm=basis_norm,
                    window=window, pad_mode=pad_mode, gamma=float(gamma), trainable=trainable,
                    fmt=output_format)


class CQT2010v2(VQT):
    """nnAudio's CQT2010v2: the constant-Q transform of :class:`CQT1992v2` (Brown's kernels),
    computed at the full rate where nnAudio decimates (its own 256-tap filter), so it differs
    from nnAudio's CQT2010v2 as much as nnAudio's two CQTs differ from each other (README,
    "Coming from nnAudio")."""

    def __init__(self, sr=22050, hop_length=512, fmin=32.70, fmax=None, n_bins=84,
                 filter_scale=1, bins_per_octave=12, norm=True, basis_norm=1, window="hann",
                 pad_mode="reflect", earlydownsample=True, trainable=False,
                 output_format="Magnitude", verbose=True):
        super().__init__(sr=sr, hop_length=hop_length, fmin=fmin, fmax=fmax, n_bins=n_bins,
                         filter_scale=filter_scale, bins_per_octave=bins_per_octave, norm=norm,
                         basis_norm=basis_norm, gamma=0, window=window, pad_mode=pad_mode,
                         earlydownsample=earlydownsample, trainable=trainable,
                         output_format=output_format)


def _no_trainable_stft(trainable_STFT):
    if trainable_STFT:
        raise ParameterError("nnAudio 0.2's CQT1992 / CQT2010 STFT is not part of this transform "
                             "(the kernels are applied to the frames directly): a trainable STFT "
                             "is not offered; trainable_CQT is. Received: trainable_STFT=True")


class CQT1992(CQT1992v2):
    """nnAudio 0.2's ``CQT1992`` (the same transform as :class:`CQT1992v2`)."""

    def __init__(self, sr=22050, hop_length=512, fmin=220, fmax=None, n_bins=84,
                 trainable_STFT=False, trainable_CQT=False, bins_per_octave=12, filter_scale=1,
                 output_format="Magnitude", norm=1, window="hann", center=True,
                 pad_mode="reflect"):
        _no_trainable_stft(trainable_STFT)
        super().__init__(sr=sr, hop_length=hop_length, fmin=fmin, fmax=fmax, n_bins=n_bins,
                         bins_per_octave=bins_per_octave, filter_scale=filter_scale, norm=norm,
                         window=window, center=center, pad_mode=pad_mode,
                         trainable=trainable_CQT, output_format=output_format)


class CQT2010(CQT2010v2):
    """nnAudio 0.2's ``CQT2010`` (the same transform as :class:`CQT2010v2`)."""

    def __init__(self, sr=22050, hop_length=512, fmin=32.70, fmax=None, n_bins=84,
                 bins_per_octave=12, norm=True, basis_norm=1, window="hann", pad_mode="reflect",
                 trainable_STFT=False, filter_scale=1, trainable_CQT=False,
                 output_format="Magnitude", earlydownsample=True, verbose=True):
        _no_trainable_stft(trainable_STFT)
        super().__init__(sr=sr, hop_length=hop_length, fmin=fmin, fmax=fmax, n_bins=n_bins,
                         filter_scale=filter_scale, bins_per_octave=bins_per_octave, norm=norm,
                         basis_norm=basis_norm, window=window, pad_mode=pad_mode,
                         earlydownsample=earlydownsample, trainable=trainable_CQT,
                         output_format=output_format)
