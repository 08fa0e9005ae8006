"""nnAudio 0.3's ``nnAudio.features``: torch modules with nnAudio's names, signatures,
defaults, input shapes and output formats, built from :mod:`audiofront.adapters.torch`.

Inputs are ``(len,)``, ``(batch, len)`` or ``(batch, 1, len)``; outputs ``(batch, freq,
frames)`` (``(..., 2)`` for ``output_format='Complex'``). ``verbose`` is accepted and prints
nothing. Where nnAudio accepts an argument that it then ignores, the default is accepted and
anything else is a ParameterError; where its numbers differ from librosa's the docstring says
which this module gives.
"""

from __future__ import annotations


import torch
from torch import nn

import audiofront as af
from ... import ParameterError, _checks
from ...adapters import torch as adapters
from ._constantq import CQT, CQT1992v2, CQT2010v2, VQT
from ._translate import as_batch, checked_format, complex_spectrum, formatted, grid

__all__ = ["STFT", "iSTFT", "MelSpectrogram", "MFCC", "Gammatonegram", "Griffin_Lim", "CQT1992v2",
           "CQT2010v2", "CQT", "VQT", "CFP", "Combined_Frequency_Periodicity"]


def _no_extras(kwargs, where):
    if kwargs:
        raise TypeError(f"{where} got unexpected keyword arguments {sorted(kwargs)}")


def _mel_norm(norm):
    """nnAudio's mel ``norm``: 1 is Slaney's area normalisation, None none."""
    if norm == 1:
        return "slaney"
    if norm is None:
        return None
    raise ParameterError(f"norm must be 1 (Slaney's) or None. Received: norm={norm!r}")


class STFT(nn.Module):
    """nnAudio's STFT: ``freq_scale='no'`` the FFT bins, 'linear' / 'log' / 'log2' the DFT at
    ``freq_bins`` frequencies from ``fmin`` towards ``fmax`` (:func:`audiofront.frequency_grid`).
    ``forward(x, output_format=None)``; ``inverse(X, onesided=True, length=None)`` with
    ``iSTFT=True``. librosa's numbers (reflect padding by default, as nnAudio)."""

    def __init__(self, n_fft=2048, win_length=None, freq_bins=None, hop_length=None,
                 window="hann", freq_scale="no", center=True, pad_mode="reflect", iSTFT=False,
                 fmin=50, fmax=6000, sr=22050, trainable=False, output_format="Complex",
                 verbose=True):
        super().__init__()
        win_length = n_fft if win_length is None else win_length
        hop_length = win_length // 4 if hop_length is None else hop_length
        self.output_format = checked_format(output_format)
        self.trainable, self.n_fft = bool(trainable), n_fft
        frequencies = grid(freq_scale, freq_bins, fmin, fmax, sr)
        self.stft = adapters.STFT(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                                  window=window, center=center, pad_mode=pad_mode,
                                  trainable=trainable, frequencies=frequencies, sr=sr)
        self.bins2freq = (af.fft_frequencies(sr=sr, n_fft=n_fft) if frequencies is None
                          else frequencies).tolist()
        self.istft = None
        if iSTFT:
            if frequencies is not None:
                raise ParameterError(f"iSTFT=True needs the FFT bins (freq_scale='no'). "
                                     f"Received: freq_scale={freq_scale!r}")
            self.istft = adapters.InverseSTFT(n_fft=n_fft, hop_length=hop_length,
                                              win_length=win_length, window=window,
                                              center=center)

    def forward(self, x, output_format=None):
        S = self.stft(as_batch(x))
        return formatted(S, output_format or self.output_format, trainable=self.trainable)

    def inverse(self, X, onesided=True, length=None, refresh_win=True):
        if self.istft is None:
            raise ParameterError("inverse() needs the module built with iSTFT=True. "
                                 "Received: iSTFT=False")
        return self.istft(complex_spectrum(X, onesided, self.n_fft), length=length)


class iSTFT(nn.Module):  # noqa: N801 (nnAudio's name)
    """nnAudio's inverse STFT of a ``(batch, freq, frames, 2)`` spectrum:
    ``forward(X, onesided=False, length=None)`` (two-sided input by default, as nnAudio).
    ``freq_bins`` is ignored, as nnAudio does. ``trainable_kernels`` learns the inverse DFT
    basis (the one-sided :func:`audiofront.idft_basis`, where nnAudio learns two-sided cos /
    sin kernels: the same transform at the start), ``trainable_window`` the window."""

    def __init__(self, n_fft=2048, win_length=None, freq_bins=None, hop_length=None,
                 window="hann", freq_scale="no", center=True, fmin=50, fmax=6000, sr=22050,
                 trainable_kernels=False, trainable_window=False, verbose=True,
                 refresh_win=True):
        super().__init__()
        if freq_scale != "no":
            raise ParameterError(f"The inverse STFT needs the FFT bins (freq_scale='no'). "
                                 f"Received: freq_scale={freq_scale!r}")
        win_length = n_fft if win_length is None else win_length
        hop_length = win_length // 4 if hop_length is None else hop_length
        self.n_fft = n_fft
        self.istft = adapters.InverseSTFT(n_fft=n_fft, hop_length=hop_length,
                                          win_length=win_length, window=window, center=center,
                                          trainable=trainable_kernels,
                                          trainable_window=trainable_window)

    def forward(self, X, onesided=False, length=None, refresh_win=None):
        return self.istft(complex_spectrum(X, onesided, self.n_fft), length=length)


class MelSpectrogram(nn.Module):
    """nnAudio's mel spectrogram (librosa's numbers, reflect padding): ``|STFT| ** power``
    through the mel filters; ``norm=1`` is Slaney's normalisation (nnAudio's default)."""

    def __init__(self, sr=22050, n_fft=2048, win_length=None, n_mels=128, hop_length=512,
                 window="hann", center=True, pad_mode="reflect", power=2.0, htk=False,
                 fmin=0.0, fmax=None, norm=1, trainable_mel=False, trainable_STFT=False,
                 verbose=True, **kwargs):
        super().__init__()
        _no_extras(kwargs, "MelSpectrogram")
        self.mel = adapters.MelSpectrogram(
            sr=sr, n_fft=n_fft, hop_length=hop_length, win_length=win_length, window=window,
            center=center, pad_mode=pad_mode, power=power, n_mels=n_mels, fmin=fmin,
            fmax=fmax, htk=htk, norm=_mel_norm(norm), trainable_stft=trainable_STFT,
            trainable_filterbank=trainable_mel)

    def forward(self, x):
        return self.mel(as_batch(x))


class MFCC(nn.Module):
    """nnAudio's MFCC: decibels of :class:`MelSpectrogram` (``**kwargs``), floored ``top_db``
    below each example's maximum, then the orthonormal DCT-II (nnAudio always uses 'ortho': any
    other ``norm`` warns and is not used)."""

    def __init__(self, sr=22050, n_mfcc=20, norm="ortho", verbose=True, ref=1.0, amin=1e-10,
                 top_db=80.0, **kwargs):
        super().__init__()
        if norm != "ortho":
            _checks.user_warning(f"nnAudio's MFCC computes the orthonormal DCT whatever norm "
                                 f"says; so does this one. Received: norm={norm!r}")
        self.melspec_layer = MelSpectrogram(sr=sr, **kwargs)
        self.to_db = adapters.PowerToDB(ref=ref, amin=amin, top_db=top_db)
        self.n_mfcc = n_mfcc
        af.mfcc_basis(n_mfcc, self.melspec_layer.mel.mel_basis.shape[0])  # checks n_mfcc

    def forward(self, x):
        return af.logmel_to_mfcc(self.to_db(self.melspec_layer(x)), n_mfcc=self.n_mfcc)


class Gammatonegram(nn.Module):
    """nnAudio's gammatonegram: ``|STFT| ** power`` through :func:`audiofront.
    gammatone_filterbank` scaled by ``1 / n_fft`` (nnAudio's scale). nnAudio ignores ``htk``
    and ``norm``; only their defaults are accepted."""

    def __init__(self, sr=22050, n_fft=2048, win_length=None, n_bins=64, hop_length=512,
                 window="hann", center=True, pad_mode="reflect", power=2.0, htk=False,
                 fmin=0.0, fmax=None, norm=1, trainable_bins=False, trainable_STFT=False,
                 verbose=True, **kwargs):
        super().__init__()
        _no_extras(kwargs, "Gammatonegram")
        if htk or norm != 1:
            raise ParameterError(f"htk and norm have no effect on nnAudio's gammatone filters; "
                                 f"leave them at False and 1. Received: htk={htk}, norm={norm}")
        self.gammatone = adapters.Gammatonegram(
            sr=sr, n_fft=n_fft, hop_length=hop_length, win_length=win_length, window=window,
            center=center, pad_mode=pad_mode, power=power, n_bins=n_bins, fmin=fmin, fmax=fmax,
            trainable_stft=trainable_STFT, trainable_filterbank=trainable_bins)
        with torch.no_grad():
            self.gammatone.gammatone_basis.mul_(1.0 / n_fft)

    def forward(self, x):
        return self.gammatone(as_batch(x))


class Griffin_Lim(nn.Module):  # noqa: N801 (nnAudio's name)
    """nnAudio's Griffin-Lim module: :func:`audiofront.griffinlim` (librosa's fast algorithm,
    random initial phases) on ``(batch, freq, frames)`` magnitudes. ``device`` is accepted;
    the output is on the input's device."""

    def __init__(self, n_fft, n_iter=32, hop_length=None, win_length=None, window="hann",
                 center=True, pad_mode="reflect", momentum=0.99, device="cpu"):
        super().__init__()
        self.config = dict(n_fft=n_fft, n_iter=n_iter,
                           hop_length=n_fft // 4 if hop_length is None else hop_length,
                           win_length=win_length, window=window, center=center,
                           pad_mode=pad_mode, momentum=momentum)

    def forward(self, S):
        if S.ndim != 3:
            raise ParameterError(f"Griffin_Lim takes (batch, freq_bins, frames) magnitudes. "
                                 f"Received: shape {tuple(S.shape)}")
        return af.griffinlim(S, init="random", **self.config)


class Combined_Frequency_Periodicity(nn.Module):  # noqa: N801 (nnAudio's name)
    """nnAudio's CFP with its parts: ``forward(x) -> (Z, tfrL0, tfrLF, tfrLQ)``, each
    ``(batch, n_bands, frames - 2)`` (nnAudio drops the first and last frames here), from
    :func:`audiofront.cfp` (``fr`` is ``freq_resolution``, ``fs`` the sample rate,
    ``NumPerOct`` the bands per octave). The representation is ill-conditioned at zero (a
    power 0.24 of the spectrum, then of its cepstrum): float32 results differ from float64,
    and so from nnAudio's, by up to about 1e-2 of the maximum; in float64 they are nnAudio's."""


    def __init__(self, fr=2, fs=16000, hop_length=320, window_size=2049, fc=80, tc=1 / 1000,
                 g=[0.24, 0.6, 1], NumPerOct=48):  # noqa: B006 (nnAudio's default)
        super().__init__()
        self.cfp = adapters.CFP(sr=fs, hop_length=hop_length, window_size=window_size,
                                freq_resolution=fr, fc=fc, tc=tc, g=g,
                                bins_per_octave=NumPerOct, return_all=True)

    def forward(self, x):
        parts = self.cfp(as_batch(x))
        return tuple(p[..., 1:-1] for p in parts)


class CFP(Combined_Frequency_Periodicity):
    """nnAudio's ``CFP``: ``forward(x) -> Z``, ``(batch, n_bands, frames)`` (every frame)."""

    def forward(self, x):
        return self.cfp(as_batch(x))[0]
