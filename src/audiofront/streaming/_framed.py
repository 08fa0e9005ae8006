"""Audio in, frames out: the streaming form of the STFT-based features."""

from __future__ import annotations

import dataclasses

import numpy as np

from .. import _backend, _checks, _constants, features, filterbanks, spectral
from .._checks import ParameterError
from .._compiled import plain
from ..framing import frame_count
from ._state import Spec, State, empty_like, register_pytree


@dataclasses.dataclass(frozen=True)
class Framed(Spec):
    """The streaming form of an STFT-based offline function (``stft``, ``melspectrogram`` ...):
    the samples not yet framed are the state; each step frames what is complete and hands it to
    the offline function with ``center=False``, and ``flush`` adds the offline end padding."""

    function: str
    params: tuple

    def __hash__(self):  # the parameters hashed once: a step looks its resolved form up by it
        return self._hash

    def __post_init__(self):
        object.__setattr__(self, "_hash", hash((self.function, self.params)))
        p = dict(self.params)
        n_fft, hop, win = _checks.hop_and_window(p["n_fft"], p["hop_length"], p["win_length"])
        if p["center"] and p["pad_mode"] != "constant":
            raise ParameterError(
                f"A stream can pad its start with zeros only (pad_mode='constant'): "
                f"pad_mode={p['pad_mode']!r} mirrors or repeats samples from the signal's ends, "
                f"which a stream has only once it is over. Use pad_mode='constant' or "
                f"center=False. Received: pad_mode={p['pad_mode']!r}")
        object.__setattr__(self, "_n_fft", n_fft)
        object.__setattr__(self, "_hop", hop)
        object.__setattr__(self, "_win", win)
        object.__setattr__(self, "_lead", n_fft // 2 if p["center"] else 0)
        object.__setattr__(self, "_kwargs", dict(p, center=False))  # what every step passes
        # whether a step can run the resolved form (see _resolved) when given no constants
        object.__setattr__(self, "_resolvable",
                           self.function in RESOLVED and not p["check_finite"])
        # one frame of silence checks every parameter with the offline function's errors and
        # gives the number of bins of the output
        probe = self._apply(np.zeros(n_fft), {}, 1)
        object.__setattr__(self, "_bins", probe.shape[-2])

    @property
    def latency(self) -> int:
        """Samples past a frame's time stamp (its centre with ``center=True``, else its first
        sample) before it is emitted: ``n_fft - n_fft // 2`` centred (``n_fft // 2`` for even
        ``n_fft``), ``n_fft`` otherwise."""
        return self._n_fft - self._lead

    @property
    def prime_length(self) -> int:
        """Samples after which every chunk of ``m * hop_length`` samples gives ``m`` frames
        and leaves the state's shape unchanged (no frame is complete before)."""
        return (-(-self.latency // self._hop) - 1) * self._hop

    @property
    def hop_length(self) -> int:
        return self._hop

    def _apply(self, x, constants, k):
        """The offline function of the ``k`` frames ``x`` holds (``k >= 1``)."""
        if constants or not self._resolvable:
            return OFFLINE[self.function](x, **self._kwargs, **constants)
        return _resolved(self, x)(x, k)

    def _n_bins(self, constants) -> int:
        if "mel_basis" in constants or "log_basis" in constants:
            return (constants.get("mel_basis") if "mel_basis" in constants
                    else constants["log_basis"]).shape[0]
        if "dft_basis" in constants and self.function in ("stft", "spectrogram"):
            return constants["dft_basis"].shape[1] // 2
        return self._bins

    def _out_dtype(self, x):
        xp = _backend.array_namespace(x)
        return _backend.complex_dtype(xp, x.dtype) if self.function == "stft" else x.dtype

    def output_like(self, like, /):
        return empty_like(like, self._bins, self._out_dtype(like))

    def init(self, like, /) -> State:
        xp, like = _checks.float_signal(like, "like")
        register_pytree()
        shape = tuple(like.shape[:-1]) + (self._lead,)
        return State(self, (xp.zeros(shape, dtype=like.dtype, device=_backend.device_of(like)),))

    def _frames(self, x, constants):
        """Every complete frame of ``x`` and the samples left for the next one."""
        k = frame_count(x.shape[-1], frame_length=self._n_fft, hop_length=self._hop)
        if k == 0:
            out = empty_like(x, self._n_bins(constants), self._out_dtype(x))
        else:
            out = self._apply(x, constants, k)  # k frames: the samples after them are too few
        return out, x[..., k * self._hop:]

    def step(self, state, chunk, /, **constants):
        """``(frames, state)``: the frames ``chunk`` completes, ``(..., bins, k)`` with
        ``k >= 0``, and the state after it."""
        xp, chunk, (buffer,) = self._checked(state, chunk)
        out, rest = self._frames(xp.concat([buffer, chunk], axis=-1), constants)
        return out, State(self, (rest,))

    def flush(self, state, /, **constants):
        """The last frames: those the offline call's end padding (``center=True``) completes;
        none with ``center=False``, where the offline call keeps whole frames only."""
        (buffer,) = self._own(state)
        xp = _backend.array_namespace(buffer)
        if self._lead:
            buffer = _backend.pad_constant(
                buffer, [(0, 0)] * (buffer.ndim - 1) + [(0, self._lead)], xp)
        return self._frames(buffer, constants)[0]


def _resolved(spec, x):
    """The offline function of ``spec`` for frames of ``x``'s namespace, dtype and device,
    with its parameters resolved once (they were checked when the spec was made): the same
    framing, transform and filterbank code as the offline call, without its per-call checks
    and constant lookups, which cost a step of two frames more than its arithmetic."""
    xp = _backend.array_namespace(x)
    device = _backend.device_of(x)
    key = (spec, *_constants.where_key(xp, device, x.dtype))
    hit = _RESOLVED.get(key)
    if hit is not None:
        return hit
    p, where = spec._kwargs, dict(xp=xp, device=device, dtype=x.dtype)
    transform = spectral.frame_transform(x, xp, n_fft=spec._n_fft, win_length=spec._win,
                                         window=p["window"], method=p["method"], dft_basis=None)
    if spec.function == "stft":
        def then(spectrum):
            return spectral.as_complex(spectrum, xp)
    elif spec.function == "spectrogram":
        then = spectral.power_then(xp, p["power"])
    elif spec.function == "melspectrogram":
        then = spectral.power_then(xp, p["power"], *filterbanks.mel_constant(
            sr=p["sr"], n_fft=spec._n_fft, n_mels=p["n_mels"], fmin=p["fmin"], fmax=p["fmax"],
            htk=p["htk"], norm=p["norm"], **where))
    else:  # log_frequency_spectrogram
        then = spectral.power_then(xp, p["power"], *filterbanks.log_constant(
            sr=p["sr"], n_fft=spec._n_fft, n_bins=p["n_bins"],
            bins_per_octave=p["bins_per_octave"], fmin=p["fmin"], spread=p["spread"], **where))

    def apply(y, k):
        return xp.matrix_transpose(spectral.framed_spectra(
            y, xp, n_fft=spec._n_fft, hop_length=spec._hop, n_frames=k, transform=transform,
            then=then))

    return _RESOLVED.put(key, apply)


_RESOLVED = _constants.Lru(64)
RESOLVED = ("stft", "spectrogram", "melspectrogram", "log_frequency_spectrogram")

# the plain offline functions: a stream's chunks change shape from step to step, and each new
# shape would be a compile of the eager-JAX jit (see _compiled)
OFFLINE = {"stft": plain(spectral.stft), "spectrogram": plain(spectral.spectrogram),
           "melspectrogram": plain(features.melspectrogram),
           "log_frequency_spectrogram": plain(features.log_frequency_spectrogram),
           "mfcc": plain(features.mfcc)}
