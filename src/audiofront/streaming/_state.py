"""The state every stream carries, and what every streaming spec shares."""

from __future__ import annotations

import sys

from .. import _backend, _checks
from .._checks import ParameterError

#: Arguments of the offline functions that are arrays: they go to ``step`` / ``flush``, not
#: into a spec (which must stay hashable).
CONSTANTS = ("mel_basis", "log_basis", "dft_basis")


class State:
    """The state of a stream: ``spec`` (the spec that made it) and ``arrays`` (a tuple of
    arrays, or of the states of a chain's stages)."""

    __slots__ = ("spec", "arrays")

    def __init__(self, spec, arrays: tuple):
        self.spec, self.arrays = spec, tuple(arrays)

    def __reduce__(self):
        return State, (self.spec, self.arrays)

    def flat(self) -> tuple:
        """The arrays of this state (and of a chain's stages, in order), as one flat tuple:
        the inputs and outputs of an exported model. :meth:`Spec.unflat` undoes it."""
        return tuple(a for part in self.arrays
                     for a in (part.flat() if isinstance(part, State) else (part,)))

    def __repr__(self):
        shapes = ", ".join(repr(getattr(a, "shape", a)) for a in self.arrays)
        return f"State({type(self.spec).__name__}, [{shapes}])"


_PYTREE = []


def register_pytree():
    """Make :class:`State` a JAX pytree (the spec as static data), once jax is imported."""
    jax = sys.modules.get("jax")
    if jax is not None and not _PYTREE:
        jax.tree_util.register_pytree_node(
            State, lambda s: (s.arrays, s.spec), lambda spec, arrays: State(spec, tuple(arrays)))
        _PYTREE.append(True)


def same_device(a, b) -> bool:
    try:
        first, second = _backend.device_of(a), _backend.device_of(b)
    except Exception:  # a traced array has no device to compare
        return True
    return first == second or str(first) == str(second)  # equal objects: no str() needed


def empty_like(x, n_bins, dtype=None):
    """An empty ``(..., n_bins, 0)`` array beside ``x``."""
    xp = _backend.array_namespace(x)
    return xp.zeros(tuple(x.shape[:-1]) + (n_bins, 0), dtype=x.dtype if dtype is None else dtype,
                    device=_backend.device_of(x))


class Spec:
    """What every streaming spec offers; see the module docstring."""

    #: How far the output lags the input, in the input's units (samples for a spec fed audio,
    #: frames for one fed frames).
    latency: int = 0
    #: Input after which the state keeps its shape for chunks of whole hops.
    prime_length: int = 0

    def init(self, like, /) -> State:
        raise NotImplementedError

    def unflat(self, arrays, /) -> State:
        """The state whose :meth:`State.flat` is ``arrays`` (an exported model's state
        outputs, say)."""
        arrays = tuple(arrays)
        if len(arrays) != self.n_arrays:
            raise ParameterError(f"This spec's state holds {self.n_arrays} arrays. Received: "
                                 f"{len(arrays)}")
        return State(self, arrays)

    #: How many arrays :meth:`State.flat` gives for this spec's state.
    n_arrays = 1

    def step(self, state, chunk, /, **constants):
        raise NotImplementedError

    def flush(self, state, /, **constants):
        """The frames held back for the end (None for a spec that holds none back)."""
        raise NotImplementedError

    def output_like(self, like, /):
        """An empty output ``(..., bins, 0)`` of the input ``like``: the ``like`` of the next
        stage of a chain."""
        raise NotImplementedError

    def _own(self, state) -> tuple:
        """``state.arrays`` after checking that ``state`` is this spec's."""
        if not isinstance(state, State):
            raise TypeError(f"state must be the State that init() or step() returned. Received: "
                            f"{type(state).__name__}")
        # identity first: comparing two specs' parameters costs a step a microsecond
        if state.spec is not self and state.spec != self:
            raise ParameterError(f"state was made by another spec: {state.spec!r}; this spec is "
                                 f"{self!r}. Received: a state of other parameters")
        return state.arrays

    def _checked(self, state, chunk, name="chunk"):
        """``(xp, chunk, arrays)`` after checking that ``state`` is this spec's and ``chunk``
        matches it."""
        ref = self._own(state)[0]
        if type(chunk) is type(ref) and chunk.dtype == ref.dtype and chunk.ndim == ref.ndim:
            # the state's array type, dtype and rank, which init() checked: a real float array
            # of the state's library
            xp = _backend.array_namespace(chunk)
        else:
            xp, chunk = _checks.float_signal(chunk, name)
            if _backend.library(xp) != _backend.library(_backend.array_namespace(ref)):
                raise TypeError(f"{name} is a {type(chunk).__module__} array; the state holds "
                                f"{type(ref).__module__} arrays. Received: "
                                f"{type(chunk).__name__}")
        if chunk.dtype != ref.dtype:
            raise ParameterError(f"{name} must have the state's dtype {ref.dtype}. Received: "
                                 f"dtype {chunk.dtype}")
        if not same_device(chunk, ref):
            raise ParameterError(f"{name} must be on the state's device "
                                 f"{_backend.device_of(ref)}. Received: device "
                                 f"{_backend.device_of(chunk)}")
        if tuple(chunk.shape[:-1]) != tuple(ref.shape[:-1]):
            raise ParameterError(f"{name} must have the leading shape {tuple(ref.shape[:-1])} "
                                 f"(batch / channels) of the stream. Received: shape "
                                 f"{tuple(chunk.shape)}")
        return xp, chunk, state.arrays


def frozen(params: dict, what: str) -> tuple:
    """``params`` as sorted, hashable items, or an error naming the first array."""
    items = tuple(sorted(params.items()))
    for name, value in items:
        try:
            hash(value)
        except TypeError:
            raise ParameterError(
                f"A streaming spec holds parameters only (it must be hashable, static under "
                f"jit); pass arrays such as a window or a filterbank through the adapters, or "
                f"{', '.join(CONSTANTS)} to step() and flush(). Received: {name} of type "
                f"{type(value).__name__} for {what}") from None
    return items


def no_whole_signal(params, what):
    """Refuse a callable ``ref`` and a ``top_db`` floor: they need the whole signal."""
    if callable(params.get("ref")):
        raise ParameterError(
            f"{what} cannot use a callable ref in a stream: it needs the whole signal. Pass a "
            f"fixed number (e.g. ref=1.0). Received: ref={params['ref']!r}")
    if params.get("top_db") is not None:
        raise ParameterError(
            f"{what} cannot use a top_db floor in a stream: it is relative to the whole "
            f"signal's maximum. Pass top_db=None. Received: top_db={params['top_db']!r}")


class HoldsSpec:
    """Mixed into the adapters' streaming modules and layers, which hold a spec as ``spec``."""

    @property
    def latency(self) -> int:
        """The spec's :attr:`Spec.latency`."""
        return self.spec.latency

    @property
    def prime_length(self) -> int:
        """The spec's :attr:`Spec.prime_length`."""
        return self.spec.prime_length
