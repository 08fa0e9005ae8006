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

from __future__ import annotations

import functools
import math
import warnings

import array_api_compat
import torch
from torch import nn

import audiofront as af
from .. import _checks, normalization
from .._checks import ParameterError, one_of
from ..constantq import module_config
from ..framing import PAD_MODES

__all__ = ["Frame", "STFT", "InverseSTFT", "Spectrogram", "MelSpectrogram",
           "LogFrequencySpectrogram", "Gammatonegram", "CQT", "CFP", "MFCC", "Delta", "PowerToDB",
           "AmplitudeToDB", "MuLawEncoding", "MuLawDecoding", "ApplyFilterbank", "AdditiveNoise", "SpecAugment",
           "PCEN", "LCN", "Standardize"]

XP = array_api_compat.array_namespace(torch.empty(0))
LAYOUTS = ("freq_time", "time_freq")
_LOW_PRECISION = (torch.float16, torch.bfloat16)


def _in_float32(forward):
    """Run ``forward`` in float32 for half-precision input; cast real outputs back."""

    @functools.wraps(forward)
    def wrapper(self, x, *args, **kwargs):
        low = isinstance(x, torch.Tensor) and x.dtype in _LOW_PRECISION
        out = forward(self, x.float() if low else x, *args, **kwargs)
        if low and out.is_floating_point():
            out = out.to(x.dtype)
        return out

    return wrapper


class _Module(nn.Module):
    """Holds constants and reorders the last two axes for ``layout='time_freq'``."""

    def __init__(self, layout: str = "freq_time"):
        super().__init__()
        self.layout = one_of(layout, "layout", LAYOUTS)

    def _constant(self, name: str, value, trainable: bool = False):
        if value is not None and trainable:
            setattr(self, name, nn.Parameter(value))
        else:
            self.register_buffer(name, value, persistent=False)

    def _out(self, S):
        return S.transpose(-1, -2) if self.layout == "time_freq" else S

    _in = _out  # the same swap, undone

    def extra_repr(self) -> str:
        return ", ".join(f"{k}={v!r}" for k, v in self._config().items())

    def _config(self) -> dict:
        return {"layout": self.layout} if self.layout != "freq_time" else {}


class _STFTModule(_Module):
    """The STFT geometry and its constants, shared by every spectral module."""

    def __init__(self, *, n_fft, hop_length, win_length, window, center, pad_mode, method,
                 trainable, layout, frequencies=None, sr=22050.0):
        super().__init__(layout)
        if frequencies is not None:  # a DFT at other frequencies: the matrix form
            if method == "fft":
                raise ParameterError("An STFT at given frequencies needs method='dft'. "
                                     "Received: method='fft'")
            method = "dft"
        n_fft, hop_length, win_length, method = _checks.stft_config(
            n_fft=n_fft, hop_length=hop_length, win_length=win_length, pad_mode=pad_mode,
            method=method, trainable=trainable)
        self.n_fft, self.hop_length, self.win_length = n_fft, hop_length, win_length
        self.center, self.pad_mode, self.method = bool(center), pad_mode, method
        self.window_spec = window if isinstance(window, (str, tuple)) else "array"
        if isinstance(window, (str, tuple)):
            w = af.get_window(window, win_length, n_fft=n_fft, xp=XP, dtype=torch.float32)
        else:
            w = torch.as_tensor(window, dtype=torch.float32).clone()
        self._constant("window", w)
        basis = None
        if method == "dft":
            basis = af.dft_basis(n_fft=n_fft, win_length=win_length, window=window,
                                 frequencies=frequencies, sr=sr, xp=XP, dtype=torch.float32)
        self._constant("dft_basis", basis, trainable)

    def _stft_kwargs(self) -> dict:
        return {"n_fft": self.n_fft, "hop_length": self.hop_length, "win_length": self.win_length,
                "window": self.window, "center": self.center, "pad_mode": self.pad_mode,
                "method": self.method, "dft_basis": self.dft_basis}

    def _config(self):
        return {"n_fft": self.n_fft, "hop_length": self.hop_length, "win_length": self.win_length,
                "window": self.window_spec, "center": self.center, "pad_mode": self.pad_mode,
                "method": self.method, **super()._config()}


class Frame(_Module):
    """Overlapping frames of the last axis: ``(..., time) -> (..., n_frames, frame_length)``.

    See :func:`audiofront.frame`.
    """

    def __init__(self, *, frame_length: int, hop_length: int, pad_end: bool = False):
        super().__init__()
        self.frame_length = _checks.positive_int(frame_length, "frame_length")
        self.hop_length = _checks.positive_int(hop_length, "hop_length")
        self.pad_end = bool(pad_end)

    def forward(self, x):
        return af.frame(x, frame_length=self.frame_length, hop_length=self.hop_length,
                        pad_end=self.pad_end)


class STFT(_STFTModule):
    """Complex STFT ``(..., time) -> (..., 1 + n_fft // 2, frames)``, :func:`audiofront.stft`.

    Parameters are the core's (librosa's names and defaults). ``trainable=True`` learns the
    windowed DFT basis (``method='dft'``, the default then). ``frequencies`` (Hz, at rate
    ``sr``) evaluates the DFT there instead of at the FFT bins (:func:`audiofront.dft_basis`;
    e.g. nnAudio's log grid, :func:`audiofront.frequency_grid`): ``(..., n_freqs, frames)``.
    """

    def __init__(self, *, n_fft: int = 2048, hop_length: int | None = None,
                 win_length: int | None = None, window="hann", center: bool = True,
                 pad_mode: str = "constant", method: str | None = None, trainable: bool = False,
                 frequencies=None, sr: float = 22050, layout: str = "freq_time"):
        super().__init__(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                         window=window, center=center, pad_mode=pad_mode, method=method,
                         trainable=trainable, layout=layout, frequencies=frequencies, sr=sr)

    @_in_float32
    def forward(self, x):
        return self._out(af.stft(x, **self._stft_kwargs()))


class Spectrogram(_STFTModule):
    """``|STFT| ** power`` (2 by default), :func:`audiofront.spectrogram`; ``frequencies``
    as for :class:`STFT`."""

    def __init__(self, *, n_fft: int = 2048, hop_length: int | None = None,
                 win_length: int | None = None, window="hann", center: bool = True,
                 pad_mode: str = "constant", power: float = 2.0, method: str | None = None,
                 trainable: bool = False, frequencies=None, sr: float = 22050,
                 layout: str = "freq_time"):
        super().__init__(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                         window=window, center=center, pad_mode=pad_mode, method=method,
                         trainable=trainable, layout=layout, frequencies=frequencies, sr=sr)
        self.power = _checks.positive_float(power, "power")

    @_in_float32
    def forward(self, x):
        return self._out(af.spectrogram(x, power=self.power, **self._stft_kwargs()))


class InverseSTFT(_STFTModule):
    """Inverse STFT ``(..., 1 + n_fft // 2, frames) -> (..., time)``, :func:`audiofront.istft`.

    ``forward(S, length=None)``; ``length`` trims or pads to exactly that many samples.
    """

    def __init__(self, *, n_fft: int = 2048, hop_length: int | None = None,
                 win_length: int | None = None, window="hann", center: bool = True,
                 layout: str = "freq_time"):
        super().__init__(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                         window=window, center=center, pad_mode="constant", method="fft",
                         trainable=False, layout=layout)

    def forward(self, S, length: int | None = None):
        return af.istft(self._in(S), n_fft=self.n_fft, hop_length=self.hop_length,
                        win_length=self.win_length, window=self.window, center=self.center,
                        length=length)


class _FilteredSpectrogram(_STFTModule):
    """A power spectrogram through a filterbank that the module holds (and may learn)."""

    build = None  # the core's filterbank builder
    compute = None  # the core's feature function
    basis = ""  # the name of its filterbank argument, and of the module's tensor

    def _filterbank(self, power, trainable, **config):
        self.power = _checks.positive_float(power, "power")
        self.filterbank_config = config
        fb = type(self).build(n_fft=self.n_fft, xp=XP, dtype=torch.float32, **config)
        self._constant(self.basis, fb, trainable)

    @_in_float32
    def forward(self, x):
        return self._out(type(self).compute(x, power=self.power, **{self.basis: getattr(self, self.basis)},
                                            **self._stft_kwargs()))

    def _config(self):
        return {**self.filterbank_config, "power": self.power, **super()._config()}


class MelSpectrogram(_FilteredSpectrogram):
    """Mel spectrogram ``(..., time) -> (..., n_mels, frames)``, :func:`audiofront.melspectrogram`.

    ``trainable_stft`` learns the DFT basis (``method='dft'``); ``trainable_filterbank``
    learns the mel filters (nnAudio's ``trainable_STFT`` / ``trainable_mel``).
    """

    build, compute, basis = af.mel_filterbank, af.melspectrogram, "mel_basis"

    def __init__(self, *, sr: float = 22050, n_fft: int = 2048, hop_length: int | None = None,
                 win_length: int | None = None, window="hann", center: bool = True,
                 pad_mode: str = "constant", power: float = 2.0, n_mels: int = 128,
                 fmin: float = 0.0, fmax: float | None = None, htk: bool = False, norm="slaney",
                 method: str | None = None, trainable_stft: bool = False,
                 trainable_filterbank: bool = False, layout: str = "freq_time"):
        super().__init__(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                         window=window, center=center, pad_mode=pad_mode, method=method,
                         trainable=trainable_stft, layout=layout)
        self._filterbank(power, trainable_filterbank, sr=sr, n_mels=n_mels, fmin=fmin,
                         fmax=fmax, htk=htk, norm=norm)


class LogFrequencySpectrogram(_FilteredSpectrogram):
    """Log-frequency spectrogram ``(..., time) -> (..., n_bins, frames)``, kapre's log
    filterbank on the power spectrogram (:func:`audiofront.log_frequency_spectrogram`)."""

    build, compute, basis = af.log_filterbank, af.log_frequency_spectrogram, "log_basis"

    def __init__(self, *, sr: float = 22050, n_fft: int = 2048, hop_length: int | None = None,
                 win_length: int | None = None, window="hann", center: bool = True,
                 pad_mode: str = "constant", power: float = 2.0, n_bins: int = 84,
                 bins_per_octave: int = 12, fmin: float | None = None, spread: float = 0.125,
                 method: str | None = None, trainable_stft: bool = False,
                 trainable_filterbank: bool = False, layout: str = "freq_time"):
        super().__init__(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                         window=window, center=center, pad_mode=pad_mode, method=method,
                         trainable=trainable_stft, layout=layout)
        self._filterbank(power, trainable_filterbank, sr=sr, n_bins=n_bins,
                         bins_per_octave=bins_per_octave, fmin=fmin, spread=spread)


class Gammatonegram(_FilteredSpectrogram):
    """Gammatone spectrogram ``(..., time) -> (..., n_bins, frames)``,
    :func:`audiofront.gammatonegram` (``trainable_filterbank``: nnAudio's ``trainable_bins``)."""

    build, compute, basis = af.gammatone_filterbank, af.gammatonegram, "gammatone_basis"

    def __init__(self, *, sr: float = 22050, n_fft: int = 2048, hop_length: int | None = None,
                 win_length: int | None = None, window="hann", center: bool = True,
                 pad_mode: str = "constant", power: float = 2.0, n_bins: int = 64,
                 fmin: float = 20.0, fmax: float | None = None, width: float = 1.0,
                 method: str | None = None, trainable_stft: bool = False,
                 trainable_filterbank: bool = False, layout: str = "freq_time"):
        super().__init__(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                         window=window, center=center, pad_mode=pad_mode, method=method,
                         trainable=trainable_stft, layout=layout)
        self._filterbank(power, trainable_filterbank, sr=sr, n_bins=n_bins, fmin=fmin,
                         fmax=fmax, width=width)


class CQT(_Module):
    """Constant-Q (or, with ``gamma``, variable-Q) transform, :func:`audiofront.cqt`.

    ``(..., time) -> (..., n_bins, frames)``: complex, or ``|C| ** power`` with
    ``output='magnitude'``. The kernels are built and cached by the core per device and dtype;
    ``trainable=True`` learns them instead (the 'direct' algorithm's matrix,
    :func:`audiofront.cqt_direct_basis`, as the parameter ``direct_basis``: nnAudio's
    trainable CQT). ``kernels='brown'`` is Brown's design (nnAudio's CQT1992v2).
    """

    def __init__(self, *, sr: float = 22050, hop_length: int = 512, fmin=None, n_bins: int = 84,
                 bins_per_octave: int = 12, tuning: float = 0.0, filter_scale: float = 1.0,
                 norm=1, sparsity: float = 0.0, window="hann", scale: bool = True,
                 pad_mode: str = "constant", gamma: float = 0.0, algorithm: str = "auto",
                 kernels: str = "librosa", trainable: bool = False, output: str = "complex",
                 power: float = 1.0, layout: str = "freq_time"):
        super().__init__(layout)
        self.config, design = module_config(
            {"sr": sr, "hop_length": hop_length, "fmin": fmin, "n_bins": n_bins,
             "bins_per_octave": bins_per_octave, "tuning": tuning, "filter_scale": filter_scale,
             "norm": norm, "sparsity": sparsity, "window": window, "scale": scale,
             "pad_mode": pad_mode, "gamma": gamma, "algorithm": algorithm, "kernels": kernels},
            trainable=trainable)
        self.output = one_of(output, "output", ("complex", "magnitude"))
        self.power = _checks.positive_float(power, "power")
        self.trainable = bool(trainable)
        basis = None if design is None else af.cqt_direct_basis(**design, xp=XP,
                                                                dtype=torch.float32)
        self._constant("direct_basis", basis, trainable)

    @_in_float32
    def forward(self, x):
        C = af.vqt(x, **self.config, direct_basis=self.direct_basis)
        if self.output == "magnitude":
            C = C.abs() if self.power == 1.0 else C.abs() ** self.power
        return self._out(C)

    def _config(self):
        return {**self.config, "trainable": self.trainable, "output": self.output,
                **super()._config()}


class CFP(_Module):
    """Combined frequency and periodicity, :func:`audiofront.cfp`: ``(..., time) -> (...,
    n_bands, frames)``, or with ``return_all=True`` the tuple ``(Z, tfrL0, tfrLF, tfrLQ)``.
    The constants are the core's (cached per device and dtype)."""

    def __init__(self, *, sr: float = 16000, hop_length: int = 320, window_size: int = 2049,
                 freq_resolution: float = 2.0, fc: float = 80.0, tc: float = 0.001,
                 g=(0.24, 0.6, 1.0), bins_per_octave: int = 48, pad_mode: str = "constant",
                 return_all: bool = False, layout: str = "freq_time"):
        super().__init__(layout)
        self.config = {"sr": sr, "hop_length": hop_length, "window_size": window_size,
                       "freq_resolution": freq_resolution, "fc": fc, "tc": tc,
                       "g": tuple(float(v) for v in g), "bins_per_octave": bins_per_octave,
                       "pad_mode": pad_mode}
        self.return_all = bool(return_all)
        one_of(pad_mode, "pad_mode", PAD_MODES)  # then the rest, on a short signal:
        with warnings.catch_warnings():  # n_fft is far longer, which warns
            warnings.simplefilter("ignore", UserWarning)
            af.cfp(torch.zeros(hop_length), **{**self.config, "pad_mode": "constant"})

    @_in_float32
    def forward(self, x):
        out = tuple(self._out(part) for part in af.cfp(x, **self.config))
        return out if self.return_all else out[0]

    def _config(self):
        return {**self.config, "return_all": self.return_all, **super()._config()}


class MFCC(_Module):
    """MFCCs ``(..., time) -> (..., n_mfcc, frames)``, :func:`audiofront.mfcc`.

    ``melspectrogram_kwargs`` go to the inner :class:`MelSpectrogram` (``n_fft``, ``n_mels``,
    ``hop_length``, trainable flags ...).
    """

    def __init__(self, *, sr: float = 22050, n_mfcc: int = 20, norm: str | None = "ortho",
                 lifter: float = 0.0, ref: float = 1.0, amin: float = 1e-10,
                 top_db: float | None = 80.0, layout: str = "freq_time", **melspectrogram_kwargs):
        super().__init__(layout)
        self.melspectrogram = MelSpectrogram(sr=sr, **melspectrogram_kwargs)
        self.to_db = PowerToDB(ref=ref, amin=amin, top_db=top_db)
        af.mfcc_basis(n_mfcc, self.melspectrogram.mel_basis.shape[0], norm=norm,
                      lifter=lifter)  # validate now
        self.n_mfcc, self.norm, self.lifter = n_mfcc, norm, lifter

    @_in_float32
    def forward(self, x):
        return self._out(af.logmel_to_mfcc(self.to_db(self.melspectrogram(x)), n_mfcc=self.n_mfcc,
                                           norm=self.norm, lifter=self.lifter))


class Delta(_Module):
    """Savitzky-Golay derivative along time, :func:`audiofront.delta` (librosa's)."""

    def __init__(self, *, width: int = 9, order: int = 1, mode: str = "interp",
                 layout: str = "freq_time"):
        super().__init__(layout)
        self.width, self.order, self.mode = width, order, mode
        af.delta(torch.zeros(width), width=width, order=order, mode=mode)  # validate now

    @_in_float32
    def forward(self, x):
        axis = -1 if self.layout == "freq_time" else -2
        return af.delta(x, width=self.width, order=self.order, mode=self.mode, axis=axis)


class PowerToDB(_Module):
    """:func:`audiofront.power_to_db`: ``top_db`` and ``ref='max'`` per example."""

    def __init__(self, *, ref=1.0, amin: float = 1e-10, top_db: float | None = 80.0):
        super().__init__()
        self.ref, self.amin, self.top_db = ref, amin, top_db
        self._convert(torch.ones(1, 1))  # validate now

    def _convert(self, x):
        return af.power_to_db(x, ref=self.ref, amin=self.amin, top_db=self.top_db)

    @_in_float32
    def forward(self, x):
        return self._convert(x)


class AmplitudeToDB(PowerToDB):
    """:func:`audiofront.amplitude_to_db` (``20 log10``; ``amin`` 1e-5), per example."""

    def __init__(self, *, ref=1.0, amin: float = 1e-5, top_db: float | None = 80.0):
        super().__init__(ref=ref, amin=amin, top_db=top_db)

    def _convert(self, x):
        return af.amplitude_to_db(x, ref=self.ref, amin=self.amin, top_db=self.top_db)


class MuLawEncoding(_Module):
    """Audio in ``[-1, 1]`` to integer codes ``0 .. quantization_channels - 1`` (int64)."""

    def __init__(self, *, quantization_channels: int = 256):
        super().__init__()
        self.quantization_channels = quantization_channels

    def forward(self, x):
        return af.mu_law_encode(x, quantization_channels=self.quantization_channels)


class MuLawDecoding(_Module):
    """Integer codes back to float32 audio in ``[-1, 1]``."""

    def __init__(self, *, quantization_channels: int = 256):
        super().__init__()
        self.quantization_channels = quantization_channels

    def forward(self, codes):
        return af.mu_law_decode(codes, quantization_channels=self.quantization_channels)


class ApplyFilterbank(_Module):
    """A filterbank over the frequency axis: ``(..., n_freq, frames) -> (..., n_bands, frames)``.

    Parameters
    ----------
    kind : {'mel', 'log'} or None
        Build the filterbank with :func:`audiofront.mel_filterbank` or
        :func:`audiofront.log_filterbank` from ``filterbank_kwargs`` (``sr``, ``n_fft``, ...).
    filterbank : tensor ``(n_bands, n_freq)`` or None
        Use this one instead.
    trainable : bool
        Learn the filterbank.
    """

    def __init__(self, kind: str | None = "mel", *, filterbank=None, trainable: bool = False,
                 layout: str = "freq_time", **filterbank_kwargs):
        super().__init__(layout)
        if filterbank is None:
            one_of(kind, "kind", ("mel", "log"))
            build = af.mel_filterbank if kind == "mel" else af.log_filterbank
            filterbank = build(xp=XP, dtype=torch.float32, **filterbank_kwargs)
        else:
            filterbank = torch.as_tensor(filterbank, dtype=torch.float32).clone()
        self._constant("filterbank", filterbank, trainable)

    @_in_float32
    def forward(self, S):
        return self._out(af.apply_filterbank(self._in(S), filterbank=self.filterbank))


class AdditiveNoise(_Module):
    """Add white Gaussian noise of variance ``power`` while training; identity in ``eval()``.

    With ``random_gain=True`` each example's noise power is scaled by a fresh uniform draw in
    ``[0, 1)`` (kapre's option).
    """

    def __init__(self, *, power: float = 0.1, random_gain: bool = False):
        super().__init__()
        self.power = _checks.positive_float(power, "power", allow_zero=True)
        self.random_gain = bool(random_gain)

    def forward(self, x):
        if not self.training or self.power == 0:
            return x
        noise = torch.randn_like(x) * math.sqrt(self.power)
        if self.random_gain:
            gain = torch.rand(x.shape[:1] + (1,) * (x.ndim - 1), device=x.device, dtype=x.dtype)
            noise = noise * gain.sqrt()
        return x + noise


class SpecAugment(_Module):
    """Frequency and time masks (Park et al. 2019) while training; identity in ``eval()``.

    Each example gets ``n_freq_masks`` stripes of ``0 .. freq_mask_param`` bins and
    ``n_time_masks`` stripes of ``0 .. time_mask_param`` frames, at uniformly drawn positions,
    set to ``mask_value``. Input ``(..., freq, frames)`` (or ``time_freq`` layout).
    """

    def __init__(self, *, freq_mask_param: int = 0, time_mask_param: int = 0,
                 n_freq_masks: int = 1, n_time_masks: int = 1, mask_value: float = 0.0,
                 layout: str = "freq_time"):
        super().__init__(layout)
        (self.freq_mask_param, self.time_mask_param, self.n_freq_masks, self.n_time_masks,
         self.mask_value) = _checks.mask_config(
            freq_mask_param=freq_mask_param, time_mask_param=time_mask_param,
            n_freq_masks=n_freq_masks, n_time_masks=n_time_masks, mask_value=mask_value)

    def forward(self, S):
        if not self.training:
            return S
        S = self._in(S)
        for axis, param, count in ((-2, self.freq_mask_param, self.n_freq_masks),
                                   (-1, self.time_mask_param, self.n_time_masks)):
            size = S.shape[axis]
            for _ in range(count if param else 0):
                width = torch.randint(0, min(param, size) + 1, S.shape[:-2], device=S.device)
                start = (torch.rand(S.shape[:-2], device=S.device) * (size - width + 1)).long()
                S = af.mask_stripes(S, start=start, width=width, axis=axis, value=self.mask_value)
        return self._out(S)


class PCEN(_Module):
    """Per-channel energy normalisation, :func:`audiofront.pcen`: ``(..., freq, frames)`` (or
    ``layout='time_freq'``) in, the same shape out.

    With ``trainable=True`` it learns one gain, bias, power and smoothing coefficient ``b`` per
    band (LEAF's trainable PCEN; ``n_bands`` is then required), held as the logs of gain, bias
    and power and the logit of b, so every step keeps them in librosa's valid ranges. Otherwise
    the parameters are fixed numbers and ``max_size`` may be > 1.
    """

    def __init__(self, *, sr: float = 22050, hop_length: int = 512, gain: float = 0.98,
                 bias: float = 2.0, power: float = 0.5, time_constant: float = 0.4,
                 eps: float = 1e-6, b: float | None = None, max_size: int = 1,
                 trainable: bool = False, n_bands: int | None = None,
                 layout: str = "freq_time"):
        super().__init__(layout)
        self.fixed = normalization.pcen_settings(
            sr=sr, hop_length=hop_length, gain=gain, bias=bias, power=power,
            time_constant=time_constant, eps=eps, b=b, max_size=max_size, trainable=trainable)
        self.eps, self.max_size, self.trainable = eps, max_size, bool(trainable)
        if self.trainable:
            if n_bands is None:
                raise ParameterError("A trainable PCEN learns one value per band: pass n_bands. "
                                     "Received: n_bands=None")
            raw = normalization.pcen_unconstrained(self.fixed, n_bands)
            self.raw = nn.ParameterDict({k: nn.Parameter(torch.as_tensor(v, dtype=torch.float32))
                                         for k, v in raw.items()})
        self.n_bands = n_bands

    def pcen_kwargs(self) -> dict:
        """The gain, bias, power and b in use (tensors when trainable)."""
        return normalization.pcen_constrained(dict(self.raw), XP) if self.trainable else self.fixed

    @_in_float32
    def forward(self, S):
        return self._out(af.pcen(self._in(S), eps=self.eps, max_size=self.max_size,
                                 **self.pcen_kwargs()))

    def _config(self):
        return {**self.fixed, "eps": self.eps, "max_size": self.max_size,
                "trainable": self.trainable, "n_bands": self.n_bands, **super()._config()}


class LCN(_Module):
    """Local contrast normalisation over (frequency, time), :func:`audiofront.lcn`."""

    def __init__(self, *, kernel_size=(7, 7), sigma=None, eps: float = 1e-8,
                 layout: str = "freq_time"):
        super().__init__(layout)
        self.kernel_size, self.sigma = kernel_size, sigma
        self.eps = _checks.positive_float(eps, "eps")
        normalization.lcn_weights(kernel_size, sigma)  # validate now

    @_in_float32
    def forward(self, S):
        return self._out(af.lcn(self._in(S), kernel_size=self.kernel_size, sigma=self.sigma,
                                eps=self.eps))

    def _config(self):
        return {"kernel_size": self.kernel_size, "sigma": self.sigma, "eps": self.eps,
                **super()._config()}


class Standardize(_Module):
    """``(S - mean) / (std + eps)`` per example over (frequency, time), or with dataset
    statistics: :func:`audiofront.standardize`. ``mean`` / ``std`` given as tensors are held
    as buffers (they follow ``.to(device)``)."""

    def __init__(self, *, mean=None, std=None, eps: float = 1e-10, layout: str = "freq_time"):
        super().__init__(layout)
        self.eps = _checks.positive_float(eps, "eps", allow_zero=True)
        for name, value in (("mean", mean), ("std", std)):
            tensor = None if value is None else torch.as_tensor(value, dtype=torch.float32)
            self.register_buffer(name, tensor, persistent=tensor is not None)

    @_in_float32
    def forward(self, S):
        return self._out(af.standardize(self._in(S), mean=self.mean, std=self.std, eps=self.eps))

    def _config(self):
        return {"eps": self.eps, **super()._config()}

