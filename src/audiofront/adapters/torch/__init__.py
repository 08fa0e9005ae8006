"""audiofront as ``torch.nn`` modules.

Each module holds its constants (window, DFT basis, filterbank) as non-persistent buffers, or
as ``nn.Parameter`` when asked to learn them, and its ``forward`` calls the core function with
them. So ``.to(device)``, ``.double()``, autograd, ``torch.compile`` and export all work, and
the numbers are the core's. Inputs are ``(..., time)``; spectral outputs ``(..., freq,
frames)``, or ``(..., frames, freq)`` with ``layout='time_freq'``. float16 / bfloat16 input is
computed in float32 and returned in its own dtype (complex outputs stay complex64).

>>> import torch
>>> from audiofront.adapters.torch import MelSpectrogram
>>> MelSpectrogram(sr=16000, n_fft=512, n_mels=40)(torch.zeros(2, 16000)).shape
torch.Size([2, 40, 126])
"""

from .spectral import (CFP, CQT, MFCC, STFT, Frame, Gammatonegram, InverseSTFT,
                       LogFrequencySpectrogram, MelSpectrogram, Spectrogram)
from .transforms import (LCN, PCEN, AdditiveNoise, AmplitudeToDB, ApplyFilterbank, Delta,
                         MuLawDecoding, MuLawEncoding, PowerToDB, SpecAugment, Standardize)
from . import streaming

__all__ = ["Frame", "STFT", "InverseSTFT", "Spectrogram", "MelSpectrogram",
           "LogFrequencySpectrogram", "Gammatonegram", "CQT", "CFP", "MFCC", "Delta", "PowerToDB",
           "AmplitudeToDB", "MuLawEncoding", "MuLawDecoding", "ApplyFilterbank", "AdditiveNoise", "SpecAugment",
           "PCEN", "LCN", "Standardize", "streaming"]
