"""What every torch module shares: float32 for half-precision input, constants as buffers or
parameters, the layout swap, and the STFT geometry."""

from __future__ import annotations

import functools

import array_api_compat
import torch
from torch import nn

import audiofront as af
from ... import _checks
from ..._checks import ParameterError, one_of


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
                 trainable, layout, frequencies=None, sr=22050.0, trainable_window=False):
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
        self._constant("window", w, trainable_window)
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
