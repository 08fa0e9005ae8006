"""Frames in, frames out: decibels, deltas and PCEN along the time axis of a stream."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from .. import _backend, _checks, features, normalization, scaling
from .._checks import ParameterError
from ._state import Spec, State, register_pytree


@dataclasses.dataclass(frozen=True)
class Decibels(Spec):
    """``power_to_db`` / ``amplitude_to_db`` with a fixed ``ref`` and no floor: frame by frame,
    with an empty state, and nothing held back for ``flush`` (which returns None)."""

    n_arrays = 0

    function: str
    params: tuple

    def __post_init__(self):
        p = dict(self.params)
        offline = functools.partial(DECIBELS[self.function], **p)
        offline(np.ones((1, 1)))  # the offline checks
        if self.function == "power_to_db":  # its arguments resolved once (they are checked)
            call = functools.partial(scaling.decibels, ref_value=abs(float(p["ref"])),
                                     amin=float(p["amin"]), top_db=None)
        else:
            call = functools.partial(_offline, offline)
        object.__setattr__(self, "_call", call)  # (S, xp=...) -> dB

    def output_like(self, like, /):
        return like

    def init(self, like, /) -> State:
        _checks.real_array(like, "like")
        register_pytree()
        return State(self, ())

    def step(self, state, chunk, /):
        self._own(state)
        xp, chunk = _checks.real_array(chunk, "chunk")
        return self._call(chunk, xp=xp), state

    def flush(self, state, /):
        self._own(state)
        return None


@dataclasses.dataclass(frozen=True)
class Delta(Spec):
    """``delta`` along time: the state holds the last ``width`` frames (fewer until that many
    have arrived), enough for the filter and for the edge values ``flush`` computes.

    Until ``width`` frames have arrived nothing is emitted (the edge values need them); after
    that each step emits one value per new frame, ``width // 2`` frames behind."""

    function: str
    params: tuple

    def __post_init__(self):
        p = dict(self.params)
        if p["mode"] == "wrap":
            raise ParameterError("delta(mode='wrap') cannot stream: its first values need the "
                                 "stream's last frames. Use mode='interp' (the default) or "
                                 "another mode. Received: mode='wrap'")
        features.delta(np.zeros(p["width"]), **p)  # the offline checks
        object.__setattr__(self, "_width", p["width"])

    @property
    def latency(self) -> int:
        return self._width // 2

    @property
    def prime_length(self) -> int:
        return self._width

    def output_like(self, like, /):
        return like

    def init(self, like, /) -> State:
        _, like = _checks.real_array(like, "like")
        register_pytree()
        return State(self, (like[..., :0],))

    def step(self, state, chunk, /):
        xp, chunk, (held,) = self._checked(state, chunk)
        if chunk.shape[-1] == 0:
            return chunk, state
        x = xp.concat([held, chunk], axis=-1)
        n, width = x.shape[-1], self._width
        if n < width:
            return x[..., :0], State(self, (x,))
        # the offline delta of what is held; its last width // 2 values wait for more frames,
        # and once primed the first width // 2 + 1 were emitted by earlier steps
        start = 0 if held.shape[-1] < width else width // 2 + 1
        out = features.delta(x, **dict(self.params))[..., start:n - width // 2]
        return out, State(self, (x[..., n - width:],))

    def flush(self, state, /):
        (held,) = self._own(state)
        start = self._width // 2 + 1 if held.shape[-1] == self._width else 0
        return features.delta(held, **dict(self.params))[..., start:]


@dataclasses.dataclass(frozen=True)
class Pcen(Spec):
    """``pcen`` along time: the state is the smoother's memory, ``(..., bands, 1)``, initially
    librosa's steady state for an input of 1 (as the offline call)."""

    function: str
    params: tuple

    def __post_init__(self):
        normalization.pcen(np.ones((2, 3)), **dict(self.params))  # the offline checks

    def output_like(self, like, /):
        return like

    def _b(self) -> float:
        p = dict(self.params)
        if p["b"] is not None:
            return float(p["b"])
        return normalization.pcen_smoothing_coefficient(
            sr=p["sr"], hop_length=p["hop_length"], time_constant=p["time_constant"])

    def init(self, like, /) -> State:
        xp, like = _checks.real_array(like, "like")
        if like.ndim < 2:
            raise ParameterError(f"like must be a spectrogram (..., bands, frames). Received: "
                                 f"shape {tuple(like.shape)}")
        register_pytree()
        shape = tuple(like.shape[:-1]) + (1,)
        zi = xp.full(shape, 1.0 - self._b(), dtype=like.dtype, device=_backend.device_of(like))
        return State(self, (zi,))

    def step(self, state, chunk, /):
        xp, chunk, (zi,) = self._checked(state, chunk)
        if chunk.shape[-1] == 0:
            return chunk, state
        out, zf = normalization.pcen(chunk, zi=zi, return_zf=True, **dict(self.params))
        return out, State(self, (zf,))

    def flush(self, state, /):
        return self._own(state)[0][..., :0]


DECIBELS = {"power_to_db": scaling.power_to_db, "amplitude_to_db": scaling.amplitude_to_db}


def _offline(function, S, *, xp):
    return function(S)
