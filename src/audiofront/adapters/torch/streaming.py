"""Streaming torch modules: :mod:`audiofront.streaming` with the state outside the module.

``forward(chunk, state) -> (frames, state)``, the state a tuple of tensors from
``init_state(like)``, and ``flush(state)`` for the end. Holding no state of their own, the
modules export: to ONNX with the state among the inputs and outputs (``method='dft'`` keeps
complex numbers out of the graph), at the fixed shapes of a stream past its
``prime_length`` (see :mod:`audiofront.streaming`).

The named modules hold the offline module's tensors (window, DFT basis, filterbank; trainable
if asked), so ``.to(device)`` and training work as for :mod:`audiofront.adapters.torch`;
``then=`` appends frame-level streaming specs (``power_to_db``, ``delta``, ``pcen``).

>>> import torch
>>> from audiofront import streaming
>>> from audiofront.adapters.torch.streaming import MelSpectrogram
>>> m = MelSpectrogram(sr=16000, n_fft=400, hop_length=160, n_mels=40,
...                    then=[streaming.power_to_db()])
>>> state = m.init_state(torch.zeros(2, 0))
>>> frames, state = m(torch.zeros(2, 320), state)
>>> frames.shape, m.latency
(torch.Size([2, 40, 1]), 200)
"""

from __future__ import annotations

from torch import nn

from ... import streaming as core
from ..._checks import ParameterError, one_of
from ._base import LAYOUTS
from . import spectral

__all__ = ["Stream", "Spectrogram", "MelSpectrogram", "LogFrequencySpectrogram"]


class Stream(core.HoldsSpec, nn.Module):
    """A streaming spec (or :func:`audiofront.streaming.chain`) as a module with external
    state.

    Parameters
    ----------
    spec : audiofront.streaming.Spec
    layout : {'freq_time', 'time_freq'}
        Output ``(..., freq, k)`` (default) or ``(..., k, freq)``.
    """

    def __init__(self, spec, *, layout: str = "freq_time"):
        super().__init__()
        if not isinstance(spec, core.Spec):
            raise TypeError(f"spec must be an audiofront.streaming spec. Received: "
                            f"{type(spec).__name__}")
        self.spec = spec
        self.layout = one_of(layout, "layout", LAYOUTS)

    def constants(self) -> dict:
        """The tensors handed to the spec's ``step`` (none: the core builds and caches them)."""
        return {}

    def init_state(self, like) -> tuple:
        """The initial state, a tuple of tensors, for a stream like ``like`` (its dtype,
        device and leading shape, e.g. ``x[..., :0]``)."""
        return self.spec.init(like).flat()

    def _out(self, frames):
        return frames.transpose(-1, -2) if self.layout == "time_freq" else frames

    def forward(self, chunk, state):
        """``(frames, state)``: the frames ``chunk`` completes, ``(..., freq, k)``."""
        frames, state = self.spec.step(self.spec.unflat(state), chunk, **self.constants())
        return self._out(frames), state.flat()

    def flush(self, state):
        """The last frames, with the offline end padding."""
        return self._out(self.spec.flush(self.spec.unflat(state), **self.constants()))

    def extra_repr(self) -> str:
        return repr(self.spec)


class _Offline(Stream):
    """The stream of one of :mod:`audiofront.adapters.torch`'s spectral modules, whose tensors
    it holds and passes as the core's constants."""

    offline = None  # the offline module class
    function = None  # the streaming constructor
    basis = None  # the name of its filterbank

    def __init__(self, *, then=(), layout: str = "freq_time", **params):
        module = type(self).offline(**params)
        if module.window_spec == "array":
            raise ParameterError("A streaming module needs a named window (its spec must be "
                                 "hashable). Received: window as an array")
        settings = {"n_fft": module.n_fft, "hop_length": module.hop_length,
                    "win_length": module.win_length, "window": module.window_spec,
                    "center": module.center, "pad_mode": module.pad_mode,
                    "method": module.method, "power": module.power,
                    **getattr(module, "filterbank_config", {})}
        first = type(self).function(**settings)
        super().__init__(core.chain(first, *then) if then else first, layout=layout)
        self.module = module

    def constants(self) -> dict:
        out = {} if self.module.method == "fft" else {"dft_basis": self.module.dft_basis}
        if self.basis is not None:
            out[self.basis] = getattr(self.module, self.basis)
        return out


class Spectrogram(_Offline):
    """Streaming :class:`audiofront.adapters.torch.Spectrogram` (same parameters, and
    ``then=`` frame-level specs)."""

    offline, function = spectral.Spectrogram, core.spectrogram


class MelSpectrogram(_Offline):
    """Streaming :class:`audiofront.adapters.torch.MelSpectrogram` (same parameters, and
    ``then=`` frame-level specs)."""

    offline, function, basis = spectral.MelSpectrogram, core.melspectrogram, "mel_basis"


class LogFrequencySpectrogram(_Offline):
    """Streaming :class:`audiofront.adapters.torch.LogFrequencySpectrogram` (same parameters,
    and ``then=`` frame-level specs)."""

    offline = spectral.LogFrequencySpectrogram
    function, basis = core.log_frequency_spectrogram, "log_basis"
