"""Constant-Q kernel design: the bins' frequencies and bandwidths (librosa's, or Brown's one
Q for every bin), the kernels, and the real matrices the transforms of :mod:`.constantq`
multiply frames by. Everything here is a cached host constant built from hashable arguments
(see :func:`validated`).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from . import _checks
from ._checks import ParameterError, positive_float, positive_int
from .filterbanks import C1_HZ, check_norm, normalize_rows
from .intervals import given_ratios, interval_frequencies, interval_ratios
from .notes import note_to_hz
from .windows import named, window_host

__all__ = ["fmin_hz", "cqt_frequencies", "Design", "make_design", "kernel_bank", "sparsify",
           "octave_matrix", "octave_basis", "tap_plan", "tap_group", "frame_count", "interval_set", "validated", "KERNELS"]

# Equivalent noise bandwidths (in bins) librosa uses for its window names; other windows
# (kaiser) get n * sum(w^2) / sum(w)^2 with n = 1000, as librosa computes them.
_WINDOW_BANDWIDTH = {"hann": 1.50018310546875, "hamming": 1.3629455320350348,
                     "blackman": 1.7269681554262326, "bartlett": 1.3334961334912805,
                     "ones": 1.0}

def fmin_hz(fmin) -> float:
    """``fmin`` in Hz: None is C1, a note name is converted, a number checked > 0."""
    if fmin is None:
        return C1_HZ
    if isinstance(fmin, str):
        return note_to_hz(fmin)
    return positive_float(fmin, "fmin")


def cqt_frequencies(n_bins: int = 84, *, fmin=None, bins_per_octave: int = 12,
                    tuning: float = 0.0) -> np.ndarray:
    """Centre frequencies (Hz) of the CQT bins: ``fmin * 2 ** ((k + tuning) / bins_per_octave)``.

    ``fmin`` is in Hz or a note name; default C1 (32.70 Hz). ``tuning`` is in fractions of a
    bin. Returns a float64 NumPy array of ``n_bins`` values.
    """
    n_bins = positive_int(n_bins, "n_bins")
    bins_per_octave = positive_int(bins_per_octave, "bins_per_octave")
    fmin = fmin_hz(fmin) * 2.0 ** (float(tuning) / bins_per_octave)
    return fmin * 2.0 ** (np.arange(n_bins) / bins_per_octave)


# --- kernels ---------------------------------------------------------------------------------

def _alpha(freqs: np.ndarray, bins_per_octave: int) -> np.ndarray:
    """Relative bandwidth of each bin from the local spacing of the frequencies (librosa's)."""
    if len(freqs) == 1:
        r = 2.0 ** (2.0 / bins_per_octave)
        return np.array([(r - 1) / (r + 1)])
    log_f = np.log2(freqs)
    bpo = np.empty_like(freqs)
    bpo[0] = 1 / (log_f[1] - log_f[0])
    bpo[-1] = 1 / (log_f[-1] - log_f[-2])
    bpo[1:-1] = 2 / (log_f[2:] - log_f[:-2])
    return (2.0 ** (2 / bpo) - 1) / (2.0 ** (2 / bpo) + 1)


def _bandwidth(name: str, beta: float) -> float:
    if name in _WINDOW_BANDWIDTH:
        return _WINDOW_BANDWIDTH[name]
    w = window_host(name, 1000, True, beta)
    return 1000 * np.sum(w ** 2) / np.sum(w) ** 2


class Design:
    """Every number the transform needs, derived once from hashable parameters."""

    def __init__(self, sr, hop_length, fmin, n_bins, bins_per_octave, tuning, filter_scale,
                 norm, sparsity, window, gamma, intervals="equal", kernels="librosa"):
        self.args = (sr, hop_length, fmin, n_bins, bins_per_octave, tuning, filter_scale, norm,
                     sparsity, window, gamma, intervals, kernels)
        self.kernels = kernels
        self.sr, self.hop_length = sr, hop_length
        self.n_bins, self.bins_per_octave = n_bins, bins_per_octave
        self.filter_scale, self.norm, self.sparsity = filter_scale, norm, sparsity
        self.window, self.beta = window
        if intervals == "equal":
            self.freqs = cqt_frequencies(n_bins, fmin=fmin, bins_per_octave=bins_per_octave,
                                         tuning=tuning)
        else:  # a named set, or a tuple of ratios (bins_per_octave is then its length)
            self.freqs = interval_frequencies(
                n_bins, fmin=fmin * 2.0 ** (tuning / bins_per_octave), intervals=intervals,
                bins_per_octave=bins_per_octave)
        if kernels == "brown":  # one Q for every bin, from the spacing of the equal-tempered grid
            self.alpha = np.full(n_bins, 2.0 ** (1.0 / bins_per_octave) - 1.0)
        else:
            self.alpha = _alpha(self.freqs, bins_per_octave)
        self.gamma = self.alpha * 24.7 / 0.108 if gamma is None else np.full(n_bins, gamma)
        self.Q = filter_scale / self.alpha
        if kernels == "brown":  # only the top bin must be below Nyquist (Brown's, nnAudio's)
            self.cutoff = float(self.freqs[-1])
        else:  # the top filter's band edge
            bw = _bandwidth(self.window, self.beta)
            self.cutoff = float(np.max(self.freqs * (1 + 0.5 * bw / self.Q) + 0.5 * self.gamma))
        if self.cutoff > sr / 2:
            raise ParameterError(
                f"The top CQT filter reaches {self.cutoff:.1f} Hz, above the Nyquist frequency "
                f"{sr / 2} Hz (top bin {self.freqs[-1]:.1f} Hz). Use fewer bins, a lower fmin or "
                f"a higher sample rate. Received: fmin={self.freqs[0]:.3f}, n_bins={n_bins}, "
                f"bins_per_octave={bins_per_octave}, sr={sr}"
            )

    def lengths(self, sr: float, bins=slice(None)) -> np.ndarray:
        """Kernel lengths in samples at rate ``sr`` (whole samples, rounded up, for 'brown')."""
        lengths = self.Q[bins] * sr / (self.freqs[bins] + self.gamma[bins] / self.alpha[bins])
        return np.ceil(lengths) if self.kernels == "brown" else lengths

    def octaves(self):
        """librosa's schedule: [(bins, decimation exponent, hop)] from the top octave down,
        after its early downsampling (while the hop stays even)."""
        n_octaves = math.ceil(self.n_bins / self.bins_per_octave)
        n_filters = min(self.bins_per_octave, self.n_bins)
        twos = (self.hop_length & -self.hop_length).bit_length() - 1
        early = max(0, math.ceil(math.log2(self.sr / 2 / self.cutoff)) - 1 - 1)
        early = min(early, max(0, twos - n_octaves + 1))
        out, power, hop = [], early, self.hop_length >> early
        for i in range(n_octaves):
            stop = self.n_bins - n_filters * i
            out.append((slice(max(0, stop - n_filters), stop), power, hop))
            if hop % 2 == 0:
                hop //= 2
                power += 1
        return out


@functools.lru_cache(maxsize=32)
def make_design(*args) -> Design:
    return Design(*args)


def kernel_bank(design: Design, sr: float, bins, pad_to: int | None = None):
    """The complex kernels (librosa's ``filters.wavelet``) of ``bins`` at rate ``sr``: each a
    window times a complex exponential at the bin frequency, unit ``norm``, centred in a
    power-of-two buffer (or ``pad_to`` samples)."""
    lengths = design.lengths(sr, bins)
    freqs = design.freqs[bins]
    size = pad_to or int(2.0 ** math.ceil(math.log2(max(lengths))))
    out = np.zeros((len(freqs), size), dtype=np.complex128)
    for row, (length, f) in enumerate(zip(lengths, freqs, strict=True)):
        t = np.arange(-length // 2, length // 2)
        kernel = np.exp(2j * np.pi * f * t / sr) * window_host(design.window, len(t), True, design.beta)
        if design.norm is not None:
            kernel = normalize_rows(kernel[None, :], design.norm)[0]
        left = (size - len(t)) // 2
        out[row, left:left + len(t)] = kernel
    return out, lengths


def sparsify(spectra: np.ndarray, quantile: float) -> np.ndarray:
    """Zero each row's smallest magnitudes that together hold at most ``quantile`` of its L1
    mass (librosa's ``sparsify_rows``)."""
    if quantile <= 0:
        return spectra
    mag = np.abs(spectra)
    order = np.argsort(mag, axis=1)
    cumulative = np.cumsum(np.take_along_axis(mag, order, axis=1), axis=1)
    cumulative /= np.sum(mag, axis=1, keepdims=True)
    out = spectra.copy()
    for row in range(len(out)):
        drop = order[row, : np.searchsorted(cumulative[row], quantile)]
        out[row, drop] = 0
    return out


@functools.lru_cache(maxsize=64)
def octave_matrix(design_args: tuple, octave: int, algorithm: str):
    """(half, hop, matrix): the kernels of one octave (all bins for 'direct') as a real
    ``(2 * half + 1, 2 * n_bins)`` matrix with ``frame @ matrix = [Re C | Im C]``.

    The response of bin k at frame t is librosa's, evaluated exactly: the convolution
    ``length_k * sum_j kernel_k[j] y[t * hop - j]`` (librosa multiplies the kernel's spectrum
    with the frame's, which is this convolution, but keeps only the spectrum's non-negative
    half). Frame t holds ``y[t * hop - half : t * hop + half + 1]``, so row m of the matrix is
    the kernel at ``j = half - m``, scaled by ``length_k`` and by the decimation factor that
    restores the amplitude of a decimated octave.
    """
    design = make_design(*design_args)
    if algorithm == "direct":
        bins, power, hop = slice(None), 0, design.hop_length
    else:
        bins, power, hop = design.octaves()[octave]
    kernels, lengths = kernel_bank(design, design.sr / 2 ** power, bins)
    if design.sparsity > 0:  # librosa drops the smallest spectral values
        spectra = sparsify(np.fft.fft(kernels, axis=1), design.sparsity)
        kernels = np.fft.ifft(spectra, axis=1)
    centre = kernels.shape[1] // 2
    used = np.flatnonzero(np.any(kernels != 0, axis=0))
    half = int(max(centre - used[0], used[-1] - centre))
    kernels = np.pad(kernels, ((0, 0), (0, max(0, centre + half + 1 - kernels.shape[1]))))
    taps = kernels[:, centre - half:centre + half + 1]
    # librosa convolves (row m <-> j = half - m); Brown's transform correlates with the
    # conjugate kernel (row m <-> sample m - half of the frame), as nnAudio's CQT1992v2
    taps = np.conj(taps) if design.kernels == "brown" else taps[:, ::-1]
    taps = taps * (lengths[:, None] * 2.0 ** power)
    matrix = np.concatenate([taps.real, taps.imag], axis=0).T
    matrix = np.ascontiguousarray(matrix)
    matrix.flags.writeable = False
    return half, hop, matrix


@functools.lru_cache(maxsize=64)
def tap_plan(design_args: tuple, octave: int, algorithm: str):
    """Where the kernels of :func:`octave_matrix` are non-zero, by groups of bins: ``((b0, b1,
    lo, hi), ...)``, the taps of bins ``b0 .. b1`` lying in rows ``lo .. hi``. Kernel lengths
    fall with frequency (a factor of two an octave), so one group per octave multiplies about
    a seventh of the dense matrix for a CQT from C1. None when the groups would cover more than
    half of it."""
    design = make_design(*design_args)
    matrix = octave_matrix(design_args, octave, algorithm)[2]
    n_bins = matrix.shape[1] // 2
    used = (matrix[:, :n_bins] != 0) | (matrix[:, n_bins:] != 0)
    group = min(design.bins_per_octave, n_bins)
    plan, cost = [], 0
    for b0 in range(0, n_bins, group):
        b1 = min(n_bins, b0 + group)
        rows = np.flatnonzero(used[:, b0:b1].any(axis=1))
        lo, hi = (int(rows[0]), int(rows[-1]) + 1) if len(rows) else (0, 1)
        plan.append((b0, b1, lo, hi))
        cost += (hi - lo) * (b1 - b0)
    return tuple(plan) if cost <= 0.5 * matrix.shape[0] * n_bins else None


def tap_group(design_args, octave, algorithm, index):
    """The ``index``-th group of :func:`tap_plan` as one contiguous real matrix ``(hi - lo,
    2 (b1 - b0))``: ``[Re | Im]`` columns of its bins, its rows only."""
    b0, b1, lo, hi = tap_plan(design_args, octave, algorithm)[index]
    matrix = octave_matrix(design_args, octave, algorithm)[2]
    n_bins = matrix.shape[1] // 2
    return np.concatenate([matrix[lo:hi, b0:b1], matrix[lo:hi, n_bins + b0:n_bins + b1]], axis=1)


def octave_basis(design_args, octave, algorithm):
    return octave_matrix(design_args, octave, algorithm)[2]


def frame_count(design: Design, n_samples: int) -> int:
    """librosa's frame count for ``design``: the fewest over its octaves, each ``1 + n_i //
    hop_i`` for the octave's decimated length (``ceil`` at every halving) and hop. Both
    algorithms return this many frames."""
    if design.kernels == "brown":  # one rate: every hop, as a framed STFT
        return 1 + n_samples // design.hop_length
    counts = []
    for _bins, power, hop in design.octaves():
        n = n_samples
        for _ in range(power):
            n = (n + 1) // 2
        counts.append(1 + n // hop)
    return min(counts)


def interval_set(intervals, bins_per_octave):
    """``(intervals, bins_per_octave)`` hashable: a set name, or a tuple of the given ratios
    (whose count is then the bins per octave, as librosa's vqt)."""
    if isinstance(intervals, str):
        interval_ratios(intervals, bins_per_octave)  # checks the name
        return intervals, bins_per_octave
    ratios = given_ratios(intervals)
    return tuple(ratios.tolist()), len(ratios)


KERNELS = ("librosa", "brown")


def validated(sr, hop_length, fmin, n_bins, bins_per_octave, tuning, filter_scale, norm,
               sparsity, window, gamma, intervals="equal", kernels="librosa"):
    sr = positive_float(sr, "sr")
    hop_length = positive_int(hop_length, "hop_length")
    n_bins = positive_int(n_bins, "n_bins")
    bins_per_octave = positive_int(bins_per_octave, "bins_per_octave")
    intervals, bins_per_octave = interval_set(intervals, bins_per_octave)
    filter_scale = positive_float(filter_scale, "filter_scale")
    sparsity = positive_float(sparsity, "sparsity", allow_zero=True)
    if sparsity >= 1:
        raise ParameterError(f"sparsity must be in [0, 1). Received: sparsity={sparsity}")
    if gamma is not None:
        gamma = positive_float(gamma, "gamma", allow_zero=True)
    if isinstance(fmin, (int, float)) and not isinstance(fmin, bool) and fmin <= 0:
        raise ParameterError(f"fmin must be > 0 Hz. Received: fmin={fmin}")
    spec = named(window)
    if spec is None:
        raise ParameterError(f"window must be a name or a (name, beta) tuple. Received: window={window!r}")
    _checks.one_of(kernels, "kernels", KERNELS)
    return (sr, hop_length, fmin_hz(fmin), n_bins, bins_per_octave, float(tuning), filter_scale,
            check_norm(norm), sparsity, spec, gamma, intervals, kernels)
