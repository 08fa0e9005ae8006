"""``librosa.feature``: mel spectrogram, MFCC, deltas and the CQT chromagram; ``inverse``,
back from mel spectrograms and MFCCs."""

from __future__ import annotations

import array_api_compat
import numpy as np

import audiofront as _af

from .... import ParameterError
from .. import filters
from . import inverse

__all__ = ["melspectrogram", "mfcc", "delta", "chroma_cqt", "inverse"]

_MEL = ("n_mels", "fmin", "fmax", "htk", "norm", "dtype")


def melspectrogram(*, y=None, sr=22050, S=None, n_fft=2048, hop_length=512, win_length=None,
                   window="hann", center=True, pad_mode="constant", power=2.0, **kwargs):
    """librosa.feature.melspectrogram: :func:`audiofront.melspectrogram`; ``**kwargs`` are
    :func:`filters.mel`'s.

    librosa builds the filterbank in ``dtype`` (float32 by default) whatever the input's
    precision; for float64 input that rounding is reproduced (a float32 filterbank applied in
    float64), and ``dtype=np.float64`` with float32 input computes in float64, as librosa."""
    unknown = sorted(set(kwargs) - set(_MEL))
    if unknown:
        raise TypeError(f"melspectrogram() got unexpected keyword arguments {unknown}; the "
                        f"keyword arguments are librosa.filters.mel's: {list(_MEL)}")
    dtype = np.dtype(kwargs.pop("dtype", np.float32))
    data = y if S is None else S
    if data is None:
        raise ParameterError("Pass y (audio) or S= (a power spectrogram). Received: neither")
    xp = array_api_compat.array_namespace(data)
    precision = 8 if data.dtype == xp.float64 else 4
    mel_basis = None
    if dtype.itemsize > precision:  # librosa's result is then in the filterbank's precision
        data = xp.astype(data, xp.float64)
    elif dtype.itemsize < precision:  # float64 input, float32 filterbank
        n = n_fft if S is None else 2 * (S.shape[-2] - 1)
        mel_basis = filters.mel(sr=sr, n_fft=n, dtype=dtype, **kwargs)
    common = dict(sr=sr, mel_basis=mel_basis, **kwargs)
    if S is not None:
        return _af.melspectrogram(S=data, **common)
    return _af.melspectrogram(data, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                              window=window, center=center, pad_mode=pad_mode, power=power,
                              **common)


def mfcc(*, y=None, sr=22050, S=None, n_mfcc=20, dct_type=2, norm="ortho", lifter=0,
         mel_norm="slaney", **kwargs):
    """librosa.feature.mfcc: the DCT of ``S`` (a log-power mel spectrogram), or of
    ``power_to_db(melspectrogram(y=y, sr=sr, norm=mel_norm, **kwargs))`` with its ``top_db``
    floor over the whole array, as librosa (:func:`audiofront.mfcc` floors each example).
    ``y`` is ignored when ``S`` is given, as librosa."""
    if S is None:
        from .. import power_to_db  # librosa's: floored over the whole array

        S = power_to_db(melspectrogram(y=y, sr=sr, norm=mel_norm, **kwargs))
    return _af.mfcc(S=S, n_mfcc=n_mfcc, dct_type=dct_type, norm=norm, lifter=lifter)


def delta(data, *, width=9, order=1, axis=-1, mode="interp", **kwargs):
    """librosa.feature.delta: :func:`audiofront.delta`. Of scipy's savgol_filter options in
    ``**kwargs``, ``cval=0`` (the padding value of mode 'constant') is the one honoured."""
    cval = kwargs.pop("cval", 0.0)
    if kwargs or cval != 0:
        extra = {**kwargs, **({"cval": cval} if cval != 0 else {})}
        raise ParameterError(f"delta takes no savgol_filter options but cval=0. Received: {extra}")
    return _af.delta(data, width=width, order=order, axis=axis, mode=mode)


def chroma_cqt(*, y=None, sr=22050, C=None, hop_length=512, fmin=None, norm=np.inf,
               threshold=0.0, tuning=None, n_chroma=12, n_octaves=7, window=None,
               bins_per_octave=36, cqt_mode="full"):
    """librosa.feature.chroma_cqt: :func:`audiofront.chroma_cqt` on librosa's CQT (its default
    sparsity 0.01), or on ``C`` (a complex ``C`` is taken as its magnitude). ``cqt_mode``
    'hybrid' and a chroma ``window`` are not offered."""
    if cqt_mode != "full":
        raise ParameterError(f"cqt_mode must be 'full' (audiofront has no hybrid CQT). "
                             f"Received: cqt_mode={cqt_mode!r}")
    if window is not None:
        raise ParameterError(f"window (a smoothing of the chroma map) is not offered; pass None. "
                             f"Received: window={window!r}")
    if bins_per_octave is None:
        bins_per_octave = n_chroma
    if C is None:
        if y is None:
            raise ParameterError("Pass y (audio) or C= (a constant-Q transform). Received: neither")
        from .. import cqt

        C = cqt(y, sr=sr, hop_length=hop_length, fmin=fmin, n_bins=n_octaves * bins_per_octave,
                bins_per_octave=bins_per_octave, tuning=tuning)
    return _af.chroma_cqt(C=C, sr=sr, hop_length=hop_length, fmin=fmin, n_chroma=n_chroma,
                          n_octaves=n_octaves, bins_per_octave=bins_per_octave, norm=norm,
                          threshold=threshold)
