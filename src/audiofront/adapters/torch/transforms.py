"""The torch modules that act on spectrograms or samples one value at a time or per band:
deltas, decibels, mu-law, filterbanks, augmentation and normalisation."""

from __future__ import annotations

import math

import torch
from torch import nn

import audiofront as af
from ... import _checks, normalization
from ..._checks import ParameterError, one_of
from ._base import XP, _in_float32, _Module


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
