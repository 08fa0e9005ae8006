"""``librosa.feature.inverse``: mel spectrograms and MFCCs back to STFT magnitudes and audio."""

from __future__ import annotations

import numpy as np

import audiofront as _af

__all__ = ["mel_to_stft", "mel_to_audio", "mfcc_to_mel", "mfcc_to_audio"]

#: librosa passes these on to filters.mel (n_mels and dtype follow from M).
_MEL = ("fmin", "fmax", "htk", "norm")


def _filterbank(kwargs, function):
    unknown = sorted(set(kwargs) - set(_MEL))
    if unknown:
        raise TypeError(f"{function}() got unexpected keyword arguments {unknown}; its keyword "
                        f"arguments go to librosa.filters.mel: {list(_MEL)}")
    return kwargs


def mel_to_stft(M, *, sr=22050, n_fft=2048, power=2.0, **kwargs):
    """librosa.feature.inverse.mel_to_stft: :func:`audiofront.mel_to_stft` (``**kwargs``:
    the filterbank's ``fmin``, ``fmax``, ``htk``, ``norm``)."""
    return _af.mel_to_stft(M, sr=sr, n_fft=n_fft, power=power,
                           **_filterbank(kwargs, "mel_to_stft"))


def mel_to_audio(M, *, sr=22050, n_fft=2048, hop_length=None, win_length=None, window="hann",
                 center=True, pad_mode="constant", power=2.0, n_iter=32, length=None,
                 dtype=np.float32, **kwargs):
    """librosa.feature.inverse.mel_to_audio: :func:`mel_to_stft`, then librosa's Griffin-Lim
    (random initial phases; ``dtype`` sets its precision, as librosa's)."""
    from .. import griffinlim

    S = mel_to_stft(M, sr=sr, n_fft=n_fft, power=power, **kwargs)
    return griffinlim(S, n_iter=n_iter, hop_length=hop_length, win_length=win_length,
                      n_fft=n_fft, window=window, center=center, dtype=dtype, length=length,
                      pad_mode=pad_mode)


def mfcc_to_mel(mfcc, *, n_mels=128, dct_type=2, norm="ortho", ref=1.0, lifter=0):
    """librosa.feature.inverse.mfcc_to_mel: :func:`audiofront.mfcc_to_mel`."""
    return _af.mfcc_to_mel(mfcc, n_mels=n_mels, dct_type=dct_type, norm=norm, ref=ref,
                           lifter=lifter)


def mfcc_to_audio(mfcc, *, n_mels=128, dct_type=2, norm="ortho", ref=1.0, lifter=0, **kwargs):
    """librosa.feature.inverse.mfcc_to_audio: :func:`mfcc_to_mel`, then :func:`mel_to_audio`
    (``**kwargs``)."""
    M = mfcc_to_mel(mfcc, n_mels=n_mels, dct_type=dct_type, norm=norm, ref=ref, lifter=lifter)
    return mel_to_audio(M, **kwargs)
