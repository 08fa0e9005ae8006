"""Decibel scaling, librosa's definitions, with data-dependent parts taken per example.

librosa applies ``top_db`` and a callable ``ref`` to the whole array it is given; for a batch
that lets one loud clip set the floor of every other clip (kapre#46, torchaudio#994). Here both
are taken over the last two axes (frequency, time) of each example, which is the same thing
for a single spectrogram.
"""

from __future__ import annotations

import numpy as np

from . import _backend, _checks
from ._checks import ParameterError, positive_float

__all__ = ["power_to_db", "amplitude_to_db", "db_to_power", "db_to_amplitude"]


def _values(S, name, *, complex_hint=None):
    """``(xp, S, scalar)`` for the values a conversion takes, as librosa takes them: arrays of
    any namespace (integer and boolean ones in its default floating dtype), Python and NumPy
    numbers and lists (float64 NumPy; ``scalar`` then says to return a NumPy scalar, as
    librosa does). Complex input: with ``complex_hint`` (the call to make instead), librosa's
    warning and its magnitude; otherwise the TypeError of a real array."""
    S, scalar = _checks.numbers_as_array(S)
    xp = _checks.namespace(S, name)
    kind = _backend.dtype_kind(xp, S.dtype)
    if kind == "complex" and complex_hint is not None:
        _checks.user_warning(
            f"{complex_hint[0]} was called on complex input so phase information will be "
            f"discarded. To suppress this warning, call {complex_hint[1]} instead.")
        S = xp.abs(S)
    elif kind == "other":  # integer or boolean
        S = xp.astype(S, xp.__array_namespace_info__().default_dtypes(
            device=_backend.device_of(S))["real floating"])
    xp, S = _checks.real_array(S, name)
    return xp, S, scalar and S.ndim == 0


def _out(result, scalar):
    return result[()] if scalar else result


def _example_axes(S):
    return tuple(range(-min(2, S.ndim), 0))


def _reference(S, ref, xp):
    """|ref| as a number, or ``ref(S)`` per example (keepdims) for a callable."""
    by_max = (isinstance(ref, str) and ref == "max") or (
        callable(ref) and (ref in (np.max, np.amax) or getattr(ref, "__name__", None) in ("max", "amax")))
    if by_max or callable(ref):
        axes = _example_axes(S)
        if by_max:
            return xp.max(S, axis=axes, keepdims=True) if axes else S
        return xp.abs(ref(S, axis=axes, keepdims=True))
    if isinstance(ref, bool) or not isinstance(ref, (int, float, np.floating, np.integer)):
        raise ParameterError(f"ref must be a number, 'max', or a callable such as np.max. Received: ref={ref!r}")
    return abs(float(ref))


def _top_db(top_db):
    return None if top_db is None else positive_float(top_db, "top_db", allow_zero=True)


def power_to_db(S, /, *, ref=1.0, amin: float = 1e-10, top_db: float | None = 80.0):
    """Power spectrogram to decibels: ``10 log10(max(S, amin) / max(ref, amin))``.

    Parameters
    ----------
    S : array, shape ``(..., freq, frames)``, or a number
        Power values (e.g. ``|STFT| ** 2`` or a mel spectrogram). Integer and boolean arrays
        are computed in their namespace's default floating dtype; numbers and lists in
        float64 NumPy (a number gives a NumPy scalar, as librosa). Complex input is taken as
        its magnitude, with librosa's warning.
    ref : float, 'max' or callable
        The value that maps to 0 dB. A number (default 1.0), ``'max'`` (each example's
        maximum), or a callable that finds it from each example: it is called as
        ``ref(S, axis=(-2, -1), keepdims=True)``; ``np.max`` (or any function named ``max``)
        means ``'max'`` and is computed with the input's own namespace, so ``ref=np.max``
        works on torch and CuPy arrays too.
    amin : float > 0
        Floor applied to ``S`` and ``ref`` before the logarithm. Default 1e-10.
    top_db : float >= 0 or None
        Clip each example to ``top_db`` below its own maximum (over its last two axes). Default
        80.0; None disables.

    Returns
    -------
    array, same shape, namespace, device and dtype as ``S``

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> af.power_to_db(np.array([[1.0, 0.1, 1e-12]]))
    array([[  0., -10., -80.]])
    """
    xp, S, scalar = _values(S, "S", complex_hint=("power_to_db", "power_to_db(np.abs(D)**2)"))
    return _out(decibels(S, _reference(S, ref, xp), positive_float(amin, "amin"), _top_db(top_db),
                    xp), scalar)


def decibels(S, ref_value, amin, top_db, xp):
    """``10 log10(max(S, amin)) - 10 log10(max(ref, amin))``, floored per example, for a
    real array ``S`` and checked arguments (``ref_value`` a float or per-example array): what
    :func:`power_to_db` computes once it has checked them (a stream resolves them once)."""
    # array * number: torch's number * array goes through a Python-level __rmul__
    log_spec = xp.log10(_backend.floor(S, amin, xp)) * 10.0
    if isinstance(ref_value, float):
        offset = 10.0 * float(np.log10(max(amin, ref_value)))
        log_spec = log_spec - offset if offset else log_spec  # ref=1: nothing to subtract
    else:
        log_spec = log_spec - 10.0 * xp.log10(xp.clip(ref_value, min=amin))
    if top_db is not None and S.ndim:
        peak = xp.max(log_spec, axis=_example_axes(S), keepdims=True)
        log_spec = xp.maximum(log_spec, peak - top_db)
    return log_spec


def amplitude_to_db(S, /, *, ref=1.0, amin: float = 1e-5, top_db: float | None = 80.0):
    """Amplitude (magnitude) spectrogram to decibels: ``20 log10(max(S, amin) / max(ref, amin))``.

    Equal to ``power_to_db(S ** 2, ref=ref ** 2, amin=amin ** 2, top_db=top_db)``, librosa's
    definition; a complex ``S`` is taken as its magnitude with librosa's warning (pass
    :func:`magnitude` of a complex STFT to avoid it). ``ref``, ``amin`` and ``top_db`` are as
    in :func:`power_to_db`, with ``amin`` defaulting to 1e-5.

    Returns
    -------
    array, same shape, namespace, device and dtype as ``S``
    """
    xp, S, scalar = _values(S, "S", complex_hint=("amplitude_to_db", "amplitude_to_db(np.abs(S))"))
    magnitude = xp.abs(S)
    ref_value = _reference(magnitude, ref, xp)
    amin = positive_float(amin, "amin")
    return _out(decibels(magnitude * magnitude, ref_value * ref_value, amin * amin, _top_db(top_db),
                    xp), scalar)


def db_to_power(S_db, /, *, ref: float = 1.0):
    """Decibels to power: ``ref * 10 ** (S_db / 10)``, the inverse of :func:`power_to_db`
    (up to its clipping). Same shape, namespace, device and dtype as ``S_db``."""
    xp, S_db, scalar = _values(S_db, "S_db")
    return _out(ref * 10.0 ** (S_db / 10.0), scalar)


def db_to_amplitude(S_db, /, *, ref: float = 1.0):
    """Decibels to amplitude: ``ref * 10 ** (S_db / 20)``, the inverse of
    :func:`amplitude_to_db` (up to its clipping)."""
    xp, S_db, scalar = _values(S_db, "S_db")
    return _out(ref * 10.0 ** (S_db / 20.0), scalar)
