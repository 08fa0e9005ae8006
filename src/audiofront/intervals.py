"""Interval sets for variable-Q transforms: equal temperament, Pythagorean tuning and p-limit
just intonation, with librosa's definitions and numbers.

An interval set is one octave of frequency ratios in ``[1, 2)``; :func:`interval_frequencies`
repeats it octave by octave above ``fmin``. Just-intonation sets are grown by James Tenney's
"crystal growth" in harmonic space: starting from the unison, each step adds the candidate
ratio (a neighbour, by one prime factor up or down, of a ratio already chosen) whose summed
harmonic distance to the chosen ratios is smallest. The harmonic distance of two ratios is
``sum_p |e_p(a) - e_p(b)| log2(p)`` over the odd primes ``p`` (``e_p``: the exponent of ``p``;
octaves are free), the log of numerator times denominator of ``a / b`` without its factors of
two (Tenney, "On 'Crystal Growth' in harmonic space", Contemporary Music Review 27(1), 2008).

Every result here is a host constant: a float64 NumPy array.
"""

from __future__ import annotations

import functools

import numpy as np

from . import _backend
from ._checks import ParameterError, positive_int

__all__ = ["interval_frequencies", "pythagorean_intervals", "plimit_intervals", "INTERVAL_SETS"]

INTERVAL_SETS = ("equal", "pythagorean", "ji3", "ji5", "ji7")
_PRIMES = {"ji3": (3,), "ji5": (3, 5), "ji7": (3, 5, 7)}


def _into_octave(exponents: np.ndarray, logs: np.ndarray, sort: bool):
    """``(log2 ratios folded into [0, 1), powers of two removed, order)`` of ratios given by
    their odd-prime exponents (rows)."""
    log2 = exponents @ logs
    octaves = np.floor(log2)
    folded = log2 - octaves
    order = np.argsort(folded, kind="stable") if sort else np.arange(len(folded))
    return folded[order], octaves[order].astype(int), order


def _factors(exponents, octaves, order, primes, keep_zeros=False):
    """librosa's factored form: ``{2: p2, p: e_p, ...}`` per ratio; zero exponents are left
    out unless ``keep_zeros`` (librosa's Pythagorean form keeps both keys)."""
    out = []
    for row, p2 in zip(exponents[order], octaves):
        factors = {2: -int(p2)} if p2 != 0 or keep_zeros else {}
        factors.update({int(p): int(e) for p, e in zip(primes, row) if e != 0 or keep_zeros})
        out.append(factors)
    return out


def pythagorean_intervals(*, bins_per_octave: int = 12, sort: bool = True,
                          return_factors: bool = False):
    """Pythagorean tuning: ``bins_per_octave`` stacked just fifths ``(3/2) ** k``, folded into one
    octave.

    Parameters
    ----------
    bins_per_octave : int > 0
        Number of ratios (powers ``3 ** 0 .. 3 ** (bins_per_octave - 1)``). Default 12.
    sort : bool
        Ascending order (default); False keeps the circle-of-fifths order.
    return_factors : bool
        Return each ratio as ``{2: p2, 3: p3}`` (``2 ** p2 * 3 ** p3``) instead. Default False.

    Returns
    -------
    float64 NumPy array, shape ``(bins_per_octave,)``, values in ``[1, 2)`` (or a list of dicts)

    Examples
    --------
    >>> import audiofront as af
    >>> af.pythagorean_intervals(bins_per_octave=3).round(4)
    array([1.   , 1.125, 1.5  ])
    """
    n = positive_int(bins_per_octave, "bins_per_octave")
    exponents = np.arange(n, dtype=np.float64)[:, None]
    logs = np.log2(np.array([3.0]))
    folded, octaves, order = _into_octave(exponents, logs, sort)
    if return_factors:
        return _factors(exponents, octaves, order, (3,), keep_zeros=True)
    return 2.0 ** folded


@functools.lru_cache(maxsize=32)
def _crystal(primes: tuple, n: int) -> np.ndarray:
    """The first ``n`` ratios of Tenney's crystal growth over ``primes``, as exponent rows in
    the order they are chosen (float64, shape ``(n, len(primes))``).

    Candidates are kept in the order they are first reached (neighbours of each new ratio,
    each prime up then down); the first candidate of least total distance wins, and a total
    equal to it within ``np.isclose`` wins instead when its own height ``sum |e_p| log2 p`` is
    smaller (librosa's tie rule). Distances are rounded to 6 decimals and summed in the order
    the ratios were chosen, as librosa does."""
    logs = np.log2(np.array(primes, dtype=np.float64))
    steps = []
    for i in range(len(primes)):
        step = np.zeros(len(primes), dtype=np.int64)
        step[i] = 1
        steps += [step, -step]
    chosen = [np.zeros(len(primes), dtype=np.int64)]
    frontier = [s.copy() for s in steps]
    while len(chosen) < n:
        C = np.array(chosen)
        best, best_score = 0, np.inf
        for f, point in enumerate(frontier):
            # summed in the order chosen (not pairwise): exact ties are decided by rounding
            score = np.cumsum(np.round(np.abs(C - point) @ logs, 6))[-1]
            if score < best_score or (np.isclose(score, best_score)
                                      and np.abs(point) @ logs < np.abs(frontier[best]) @ logs):
                best, best_score = f, score
        new = frontier.pop(best)
        chosen.append(new)
        known = {tuple(p) for p in chosen} | {tuple(p) for p in frontier}
        for step in steps:
            if tuple(new + step) not in known:
                frontier.append(new + step)
                known.add(tuple(new + step))
    out = np.array(chosen, dtype=np.float64)
    out.flags.writeable = False
    return out


def plimit_intervals(*, primes, bins_per_octave: int = 12, sort: bool = True,
                     return_factors: bool = False):
    """p-limit just intonation: ``bins_per_octave`` ratios of the odd ``primes`` grown by
    Tenney's crystal growth (see the module notes), folded into one octave.

    Parameters
    ----------
    primes : int or sequence of odd primes
        The prime factors allowed, e.g. ``[3, 5]`` for 5-limit.
    bins_per_octave : int > 0
        Number of ratios. Default 12.
    sort : bool
        Ascending order (default); False keeps the order of growth.
    return_factors : bool
        Return each ratio as ``{2: p2, p: e_p, ...}`` instead (zero exponents left out).

    Returns
    -------
    float64 NumPy array, shape ``(bins_per_octave,)``, values in ``[1, 2)`` (or a list of dicts)

    Examples
    --------
    >>> import audiofront as af
    >>> af.plimit_intervals(primes=[3, 5], bins_per_octave=7).round(4)
    array([1.    , 1.125 , 1.25  , 1.3333, 1.5   , 1.6667, 1.875 ])
    """
    n = positive_int(bins_per_octave, "bins_per_octave")
    values = np.atleast_1d(np.asarray(primes))
    if values.ndim != 1 or values.size == 0 or not np.issubdtype(values.dtype, np.integer) \
            or np.any(values < 3) or np.any(values % 2 == 0):
        raise ParameterError(f"primes must be odd primes (integers >= 3). Received: primes={primes!r}")
    primes = tuple(int(p) for p in values)
    exponents = _crystal(primes, n)
    folded, octaves, order = _into_octave(exponents, np.log2(np.array(primes, dtype=np.float64)),
                                          sort)
    if return_factors:
        return _factors(exponents, octaves, order, primes)
    return 2.0 ** folded


def interval_ratios(intervals, bins_per_octave: int = 12, tuning: float = 0.0,
                    sort: bool = True) -> np.ndarray:
    """One octave of ratios: a named set of ``bins_per_octave`` ratios (see
    :data:`INTERVAL_SETS`; ``tuning``, in fractions of a bin, shifts 'equal' only; ``sort=False``
    keeps the set's order of construction) or the given ratios (in ``[1, 2)``), sorted."""
    if isinstance(intervals, str):
        if intervals not in INTERVAL_SETS:
            raise ParameterError(f"intervals must be one of {INTERVAL_SETS} or an array of ratios "
                                 f"in [1, 2). Received: intervals={intervals!r}")
        n = positive_int(bins_per_octave, "bins_per_octave")
        if intervals == "equal":
            return 2.0 ** ((float(tuning) + np.arange(n, dtype=np.float64)) / n)
        if intervals == "pythagorean":
            return pythagorean_intervals(bins_per_octave=n, sort=sort)
        return plimit_intervals(primes=_PRIMES[intervals], bins_per_octave=n, sort=sort)
    return np.sort(given_ratios(intervals))


def given_ratios(intervals) -> np.ndarray:
    """A caller's ratios (an array of any namespace, or a list), checked to be a 1-d array
    of values in ``[1, 2)``, as float64 NumPy in the caller's order."""
    try:
        ratios = np.asarray(_backend.to_host(intervals), dtype=np.float64)
    except (TypeError, ValueError):
        ratios = np.zeros((0, 0))
    if ratios.ndim != 1 or ratios.size == 0 or not np.all((ratios >= 1) & (ratios < 2)):
        raise ParameterError(f"intervals must be a name or a 1-d array of ratios in [1, 2). "
                             f"Received: intervals={intervals!r}")
    return ratios


def interval_frequencies(n_bins: int, *, fmin, intervals, bins_per_octave: int = 12,
                         tuning: float = 0.0, sort: bool = True) -> np.ndarray:
    """Frequencies from an interval set repeated octave by octave: ``fmin * 2 ** o * r`` for
    octaves ``o = 0, 1, ...`` and ratios ``r``, the first ``n_bins`` of them.

    Parameters
    ----------
    n_bins : int > 0
        Number of frequencies.
    fmin : float > 0
        The lowest frequency (Hz), ratio 1 of octave 0.
    intervals : {'equal', 'pythagorean', 'ji3', 'ji5', 'ji7'} or array of ratios in [1, 2)
        The set: equal temperament, Pythagorean tuning, or 3-, 5- or 7-limit just intonation
        of ``bins_per_octave`` ratios; an array gives the ratios themselves (and
        ``bins_per_octave`` is its length).
    bins_per_octave : int > 0
        Ratios per octave for a named set. Default 12.
    tuning : float
        Shift of the 'equal' set in fractions of a bin. Default 0; the other sets ignore it.
    sort : bool
        Ascending frequencies (default); False keeps each octave in the set's own order (the
        given order of an array, the order of construction of a named set).

    Returns
    -------
    float64 NumPy array, shape ``(n_bins,)``

    Examples
    --------
    >>> import audiofront as af
    >>> af.interval_frequencies(4, fmin=55, intervals=[1, 4 / 3, 3 / 2]).round(3)
    array([ 55.   ,  73.333,  82.5  , 110.   ])
    """
    n_bins = positive_int(n_bins, "n_bins")
    if isinstance(intervals, str):
        ratios = interval_ratios(intervals, bins_per_octave, tuning, sort)
    else:
        ratios = given_ratios(intervals)  # kept in the caller's order
    n_octaves = -(-n_bins // len(ratios))
    out = np.outer(2.0 ** np.arange(n_octaves), ratios).ravel()[:n_bins]
    return float(fmin) * (np.sort(out) if sort else out)
