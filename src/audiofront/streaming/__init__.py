"""Streaming forms of the core features: the offline frames, computed chunk by chunk.

Each constructor here is named like the offline function it streams and takes the same keyword
parameters; it returns a *spec*, an immutable, hashable description (static under
``jax.jit``) with three pure functions of an explicit *state*::

    spec = streaming.melspectrogram(sr=16000, n_fft=400, hop_length=160, n_mels=80)
    state = spec.init(y[..., :0])             # namespace, dtype, device, leading shape of y
    for chunk in chunks:                      # any lengths, 0 and 1 sample included
        frames, state = spec.step(state, chunk)   # (..., n_mels, k): every complete frame
    last = spec.flush(state)                  # the frames the offline end padding gives

Concatenating every output along the last axis gives the offline call on the whole signal:
the same frame count and the same values to rounding error. That equality is what the tests
check, for random signals cut at random places.

The state is a :class:`State`: the spec that made it and a tuple of arrays (the samples not yet
framed, a filter memory, the frames a delta still needs). It is a pytree under ``jax.jit`` and
``jax.lax.scan``, a plain object under ``torch.compile``, and pickles, so a stream can be saved
and resumed. A spec refuses a state made by another spec, and a chunk whose namespace, dtype,
device or leading shape differs from the state's.

Shapes. The number of frames a step emits and the length of the state follow from the shapes
alone (never from values), so a step traces once per shape under ``jax.jit``. The state grows
during the first :attr:`Spec.prime_length` samples (no frame is complete yet) and then keeps
its shape for every chunk whose length is a multiple of ``hop_length``, each such chunk giving
``chunk // hop_length`` frames: that is the form ``lax.scan`` and an exported model with fixed
shapes need (step the first ``prime_length`` samples, then scan).

What cannot stream. ``center=True`` pads with zeros only: the other pad modes mirror or
repeat samples from the end of the signal (or, for 'wrap', both ends), which a stream does not
have until it is over, so they are refused when the spec is made. A whole-signal quantity (a
callable ``ref`` such as ``np.max``, a ``top_db`` floor relative to the maximum) is refused
too: pass a fixed ``ref`` and ``top_db=None`` (the defaults here). ``delta(mode='wrap')`` needs
the end of the stream at its start and is refused.

The constant-Q transform does not stream here. A multirate CQT could: one decimator state per
octave (the anti-aliasing filter's memory and the unconsumed samples at that octave's rate),
each octave framed as the STFT here is, and a latency of half the longest (lowest) kernel,
several seconds for a low ``fmin``, which is why it is not offered yet.
"""

from __future__ import annotations

import dataclasses
import inspect

from .. import _backend, features, normalization, scaling, spectral
from .._checks import ParameterError
from ._frames import Decibels, Delta, Pcen
from ._framed import Framed
from ._state import CONSTANTS, HoldsSpec, Spec, State, frozen, no_whole_signal

__all__ = ["stft", "spectrogram", "melspectrogram", "log_frequency_spectrogram", "mfcc",
           "power_to_db", "amplitude_to_db", "delta", "pcen", "chain", "State", "Spec", "HoldsSpec"]


def _signature_of(*functions, drop=(), overrides=None):
    """The keyword-only parameters of ``functions`` (the first one's first), less ``drop``."""
    seen, params = set(), []
    for fn in functions:
        for p in inspect.signature(fn).parameters.values():
            if p.kind is p.KEYWORD_ONLY and p.name not in seen and p.name not in drop:
                default = (overrides or {}).get(p.name, p.default)
                params.append(p.replace(default=default))
                seen.add(p.name)
    return inspect.Signature(params)


_EXAMPLE = """
Examples
--------
>>> import numpy as np, audiofront as af
>>> y = np.random.default_rng(0).standard_normal(22050)
>>> spec = af.streaming.{name}(n_fft=1024, hop_length=256)
>>> state, parts = spec.init(y[:0]), []
>>> for chunk in np.array_split(y, 7):
...     frames, state = spec.step(state, chunk)
...     parts.append(frames)
>>> out = np.concatenate(parts + [spec.flush(state)], axis=-1)
>>> bool(np.allclose(out, af.{name}(y, n_fft=1024, hop_length=256{extra})))
True
"""


def _streaming_form(name, cls, *offline, drop=(), overrides=None):
    """The constructor of ``cls`` specs for the offline function ``name``: ``offline``'s
    keyword parameters (the first function's first) less ``drop``, defaults ``overrides``."""
    signature = _signature_of(*offline, drop=drop, overrides=overrides)

    def constructor(**params):
        bound = signature.bind(**params)
        bound.apply_defaults()
        no_whole_signal(bound.arguments, f"streaming.{name}")
        return cls(name, frozen(bound.arguments, f"streaming.{name}"))

    fed = ("audio ``(..., n)``; the arrays the offline function can take "
           f"({', '.join(CONSTANTS)}) go to ``step`` and ``flush``, and ``center=True`` needs "
           "``pad_mode='constant'``" if cls is Framed else
           "frames ``(..., bands, k)``, along the last (time) axis")
    constructor.__signature__ = signature
    constructor.__name__ = constructor.__qualname__ = name
    constructor.__doc__ = (
        f"The streaming form of :func:`audiofront.{name}`: a :class:`{cls.__name__}` spec.\n\n"
        f"Takes the offline function's keyword parameters and defaults"
        f"{' (but top_db=None)' if overrides else ''}. It is fed {fed}.\n")
    if cls is Framed:
        constructor.__doc__ += _EXAMPLE.format(name=name, extra=", top_db=None" if overrides else "")
    return constructor


_FRAMED_DROP = CONSTANTS + ("S",)
stft = _streaming_form("stft", Framed, spectral.stft, drop=_FRAMED_DROP)
spectrogram = _streaming_form("spectrogram", Framed, spectral.spectrogram, drop=_FRAMED_DROP)
melspectrogram = _streaming_form("melspectrogram", Framed, features.melspectrogram,
                                 drop=_FRAMED_DROP)
log_frequency_spectrogram = _streaming_form("log_frequency_spectrogram", Framed,
                                            features.log_frequency_spectrogram, drop=_FRAMED_DROP)
mfcc = _streaming_form("mfcc", Framed, features.mfcc, features.melspectrogram, drop=_FRAMED_DROP,
                       overrides={"top_db": None})
power_to_db = _streaming_form("power_to_db", Decibels, scaling.power_to_db,
                              overrides={"top_db": None})
amplitude_to_db = _streaming_form("amplitude_to_db", Decibels, scaling.amplitude_to_db,
                                  overrides={"top_db": None})
delta = _streaming_form("delta", Delta, features.delta, drop=("axis",))
pcen = _streaming_form("pcen", Pcen, normalization.pcen,
                       drop=("ref", "axis", "max_axis", "zi", "return_zf"))


# --- pipelines -------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Chain(Spec):
    """Specs applied one after the other; the state is the tuple of their states."""

    specs: tuple

    @property
    def latency(self) -> int:
        first, hop = self.specs[0], getattr(self.specs[0], "hop_length", 1)
        return first.latency + hop * sum(s.latency for s in self.specs[1:])

    @property
    def prime_length(self) -> int:
        first, hop = self.specs[0], getattr(self.specs[0], "hop_length", 1)
        return first.prime_length + hop * sum(s.prime_length for s in self.specs[1:])

    @property
    def n_arrays(self) -> int:
        return sum(s.n_arrays for s in self.specs)

    def unflat(self, arrays, /) -> State:
        arrays, parts = tuple(arrays), []
        if len(arrays) != self.n_arrays:
            raise ParameterError(f"This chain's state holds {self.n_arrays} arrays. Received: "
                                 f"{len(arrays)}")
        for spec in self.specs:
            parts.append(spec.unflat(arrays[:spec.n_arrays]))
            arrays = arrays[spec.n_arrays:]
        return State(self, tuple(parts))

    def output_like(self, like, /):
        for spec in self.specs:
            like = spec.output_like(like)
        return like

    def init(self, like, /) -> State:
        states = []
        for spec in self.specs:
            states.append(spec.init(like))
            like = spec.output_like(like)
        return State(self, tuple(states))

    def step(self, state, chunk, /, **constants):
        states = self._own(state)
        chunk, first = self.specs[0].step(states[0], chunk, **constants)
        after = [first]
        for spec, own in zip(self.specs[1:], states[1:]):
            chunk, own = spec.step(own, chunk)
            after.append(own)
        return chunk, State(self, tuple(after))

    def flush(self, state, /, **constants):
        states, out = self._own(state), None
        for i, spec in enumerate(self.specs):
            parts, own = [], states[i]
            if out is not None:  # what the earlier stages flushed goes through this one first
                head, own = spec.step(own, out)
                parts.append(head)
            last = spec.flush(own, **(constants if i == 0 else {}))
            parts += [] if last is None else [last]
            out = (None if not parts else parts[0] if len(parts) == 1
                   else _backend.array_namespace(parts[0]).concat(parts, axis=-1))
        return out


def chain(*specs) -> Chain:
    """Streaming specs one after the other (e.g. ``melspectrogram``, ``power_to_db``,
    ``delta``): the output equals the offline composition. The constants given to ``step``
    and ``flush`` go to the first spec."""
    if not specs or not all(isinstance(s, Spec) for s in specs):
        raise ParameterError(f"chain takes one or more streaming specs. Received: "
                             f"{[type(s).__name__ for s in specs]}")
    if any(isinstance(s, Framed) for s in specs[1:]):
        raise ParameterError("Only the first spec of a chain may take audio; the others take "
                             "frames. Received: a Framed spec after the first position")
    return Chain(tuple(specs))
