"""Constant-Q and variable-Q transforms, chroma from them, and the pseudo-CQT.

The transform is librosa's (its kernels, frequencies, frame counts and scaling), computed two
ways, both in array-API code with no loop over frames or bins:

- ``'direct'``: the definition. Frames as long as the longest kernel, centred on the hops,
  times one real matrix holding every kernel's taps (real and imaginary parts): the
  time-domain inner product of each frame with each kernel (Brown and Puckette 1992 evaluate
  it through spectra; librosa keeps only the non-negative half of each kernel's spectrum,
  whose negative half is small but not zero, up to 3e-4 of the peak, which moves librosa's
  numbers from the definition by that much).
- ``'multirate'``: octave by octave from the top (Schoerkhuber and Klapuri 2010, as librosa):
  the top octave's short kernels at the full rate, then a low-pass FIR and decimation by 2 for
  the next octave, while the hop stays even; each octave is the same frames-times-kernels
  product at its own rate. The decimation filter is a 65-tap Kaiser-windowed half-band sinc,
  applied as a block-Toeplitz matrix product, so it runs wherever the arrays live.

Both return librosa's frame count (:func:`cqt_frame_count`), which depends on the octave
schedule, not only on ``n // hop_length``. ``kernels='brown'`` swaps in Brown's design (one Q
for every bin, whole-sample lengths, the frame correlated with the conjugate kernel, ``1 + n //
hop_length`` frames: nnAudio's CQT1992v2), 'direct' only; ``direct_basis`` takes the direct
matrix from the caller (trainable kernels). The kernel design lives in
:mod:`.constantq_kernels`.

Host builders (kernels, their spectra, the decimation filter, the chroma map) are cached
float64 NumPy, placed on the caller's namespace / device / dtype once.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from . import _backend, _blocks, _checks, _constants
from . import constantq_kernels as kern
from ._checks import ParameterError, positive_int
from ._compiled import jax_compiled
from .constantq_kernels import cqt_frequencies  # public here too
from .framing import PAD_MODES, pad
from .tuning import estimate_tuning
from .spectral import as_complex, spectrogram_frames

__all__ = ["cqt", "vqt", "cqt_frequencies", "cqt_filterbank", "cqt_direct_basis", "pseudo_cqt",
           "cqt_frame_count"]

ALGORITHMS = ("auto", "direct", "multirate")

# --- decimation ------------------------------------------------------------------------------

_FIR_HALF = 32  # the low-pass has 2 * 32 + 1 taps
_BLOCK = 32  # outputs per block row of the block-Toeplitz product


@functools.lru_cache(maxsize=4)
def _lowpass(half: int = _FIR_HALF) -> np.ndarray:
    """Low-pass for decimation by 2: a Kaiser-windowed sinc (beta 8: about -80 dB in the stop
    band), cut off at a quarter of the sampling rate, unit gain at DC; zero phase. A half-band
    filter: the taps at even distances from the centre are exactly 0."""
    n = np.arange(-half, half + 1)
    h = 0.5 * np.sinc(0.5 * n) * np.kaiser(2 * half + 1, 8.0)
    h[(n % 2 == 0) & (n != 0)] = 0.0
    return h / h.sum()


@functools.lru_cache(maxsize=4)
def _decimation_matrix(half: int = _FIR_HALF, block: int = _BLOCK) -> np.ndarray:
    """``(2 * block, block)``: the odd-phase taps as a block-Toeplitz matrix.

    Decimated output m is ``h[0] x[2m] + sum_i g[i] odd[m + i]`` with ``odd[q] =
    x_padded[2q + 1]`` (the signal padded by ``half``) and ``g`` the taps at odd distances
    from the centre (the others are zero). Cut ``odd`` into rows of ``block`` samples: the
    outputs of row b need rows b and b + 1, ``[row_b | row_b+1] @ matrix``.
    """
    h = _lowpass(half)
    g = h[1::2]  # taps at s = 2i + 1, i = 0 .. half - 1
    out = np.zeros((2 * block, block))
    for r in range(block):
        out[r:r + len(g), r] = g
    out.flags.writeable = False
    return out


def _decimate(y, xp):
    """Low-pass then keep every other sample: ``(..., n) -> (..., ceil(n / 2))``, as one
    matrix product per block pair (a block-Toeplitz form of the half-band FIR), which every
    backend runs well."""
    n = y.shape[-1]
    n_out = (n + 1) // 2  # positive floor divisions only: torch.compile traces n symbolically
    rows = (n_out + _BLOCK - 1) // _BLOCK + 1
    padded = pad(y, _FIR_HALF, 2 * _BLOCK * rows - n - _FIR_HALF, xp=xp)
    odd = xp.reshape(padded[..., 1::2], tuple(y.shape[:-1]) + (rows, _BLOCK))
    A = _constants.place(_decimation_matrix, (), xp=xp, device=_backend.device_of(y), dtype=y.dtype)
    # both products over every row (a contiguous reshape, no copy), then shifted and added
    out = (_backend.matmul_last(odd, A[:_BLOCK, :], xp)[..., :-1, :]
           + _backend.matmul_last(odd, A[_BLOCK:, :], xp)[..., 1:, :])
    out = xp.reshape(out, tuple(y.shape[:-1]) + ((rows - 1) * _BLOCK,))[..., :n_out]
    return out + float(_lowpass()[_FIR_HALF]) * y[..., 0:n:2]


# --- the transforms --------------------------------------------------------------------------

def cqt_frame_count(n_samples: int, /, *, sr: float = 22050, hop_length: int = 512, fmin=None,
                    n_bins: int = 84, bins_per_octave: int = 12, tuning: float = 0.0,
                    filter_scale: float = 1.0, window="hann", gamma: float | None = 0.0,
                    intervals="equal", kernels: str = "librosa") -> int:
    """Frames of a CQT (``gamma=0``, the default) or VQT of ``n_samples`` samples.

    The count librosa's multirate transform gives, which :func:`cqt` and :func:`vqt` return
    with either algorithm: each octave is framed with ``1 + n_i // hop_i`` frames at its own
    decimated length ``n_i`` and hop ``hop_i``, and the fewest are kept. It can exceed
    ``1 + n_samples // hop_length`` (e.g. 2 frames for 511 samples at hop 512, 48 bins from
    65 Hz at 22050 Hz), so it depends on every parameter that sets the octave schedule; the
    parameters are :func:`vqt`'s.

    Examples
    --------
    >>> import audiofront as af
    >>> af.cqt_frame_count(511, sr=22050, hop_length=512, n_bins=48, fmin=65.0)
    2
    >>> af.cqt_frame_count(22050, sr=22050, hop_length=512)
    44
    """
    n_samples = positive_int(n_samples, "n_samples", allow_zero=True)
    args = kern.validated(sr, hop_length, fmin, n_bins, bins_per_octave, tuning, filter_scale, 1,
                      0.0, window, gamma, intervals, kernels)
    return kern.frame_count(kern.make_design(*args), n_samples)


def _octave(y, xp, design_args, octave, algorithm, pad_mode, n_frames, basis=None):
    """The complex response ``(..., n_frames, bins)`` of one octave (or all bins, 'direct').

    Frame t is centred on sample ``t * hop``; the signal is padded by half a kernel on the left
    and on the right by enough for ``n_frames`` frames (at least half a kernel). ``basis``: the
    caller's matrix instead of the design's (``direct_basis``, e.g. trainable).
    """
    half, hop, matrix = kern.octave_matrix(design_args, octave, algorithm)
    if basis is not None:
        W = _constants.like(basis, y, xp)
        if tuple(W.shape) != matrix.shape:
            raise ParameterError(f"direct_basis must have shape {matrix.shape} for these "
                                 f"parameters (cqt_direct_basis builds it). Received: "
                                 f"direct_basis of shape {tuple(W.shape)}")
    n_bins = matrix.shape[1] // 2
    right = max(half + 1, (n_frames - 1) * hop + half + 1 - y.shape[-1])
    padded = pad(y, half, right, mode=pad_mode, xp=xp)
    # NumPy and torch on the CPU gain from the groups (NumPy: 182 against 217 ms for a 16 x 10 s
    # CQT from C1; torch: 51 against 184 ms), the GPUs take one dense product until measured
    plan = kern.tap_plan(design_args, octave, algorithm) \
        if basis is None and _backend.prefers_kernel_groups(xp, y) else None
    if plan is None:  # one dense product (a caller's basis may be non-zero anywhere)
        if basis is None:
            W = _constants.place(kern.octave_basis, (design_args, octave, algorithm), xp=xp,
                                 device=_backend.device_of(y), dtype=y.dtype)

        def response(block):
            out = _backend.matmul_last(block, W, xp)
            return as_complex((out[..., :n_bins], out[..., n_bins:]), xp)

        return _blocks.map_frames(response, _backend.frames(padded, 2 * half + 1, hop,
                                                            n_frames, xp), xp)
    # each group of bins against the rows where its kernels are: the same sums
    where = dict(xp=xp, device=_backend.device_of(y), dtype=y.dtype)
    groups = [(lo, hi, b1 - b0, _constants.place(kern.tap_group,
                                                 (design_args, octave, algorithm, i), **where))
              for i, (b0, b1, lo, hi) in enumerate(plan)]

    def joined(parts):
        re = xp.concat([p[..., :w] for p, (_, _, w, _) in zip(parts, groups)], axis=-1)
        im = xp.concat([p[..., w:] for p, (_, _, w, _) in zip(parts, groups)], axis=-1)
        return as_complex((re, im), xp)

    if _backend.fast_path(xp) != "numpy":  # straight from the signal (torch: no frame copies)
        return joined(_backend.framed_products(padded, [(lo, Wg) for lo, _, _, Wg in groups],
                                               hop, n_frames, xp))
    return _blocks.map_frames(  # NumPy: blocks of frames that stay in cache
        lambda block: joined([_backend.matmul_last(block[..., lo:hi], Wg, xp)
                              for lo, hi, _, Wg in groups]),
        _backend.frames(padded, 2 * half + 1, hop, n_frames, xp), xp)


def _flops(design: kern.Design, n_samples: int, algorithm: str) -> float:
    """Multiply-adds of the kernel products and the decimation, for ``algorithm='auto'``."""
    args = design.args
    if algorithm == "direct":
        half, hop, matrix = kern.octave_matrix(args, 0, "direct")
        return (1 + n_samples / hop) * (2 * half + 1) * matrix.shape[1]
    total = 0.0
    for i, (_bins, power, _hop) in enumerate(design.octaves()):
        half, hop, matrix = kern.octave_matrix(args, i, "multirate")
        total += (1 + n_samples / 2 ** power / hop) * (2 * half + 1) * matrix.shape[1]
        if power:
            total += n_samples / 2 ** power * 2 * _BLOCK  # the decimation that led here
    return total


@jax_compiled
def vqt(y, /, *, sr: float = 22050, hop_length: int = 512, fmin=None, n_bins: int = 84,
        gamma: float | None = None, bins_per_octave: int = 12, tuning: float = 0.0,
        filter_scale: float = 1.0, norm=1, sparsity: float = 0.0, window="hann",
        scale: bool = True, pad_mode: str = "constant", algorithm: str = "auto",
        intervals="equal", kernels: str = "librosa", direct_basis=None):
    """Variable-Q transform, librosa's definition: constant-Q bandwidths widened by ``gamma``
    Hz at low frequencies; ``gamma=0`` is the CQT.

    Parameters
    ----------
    y : array, shape ``(..., n)``, float32 or float64
        Audio, time last; leading axes are batch / channels.
    sr : float > 0
        Sample rate (Hz). Default 22050.
    hop_length : int > 0
        Samples between frames. Default 512. The multirate algorithm halves it once per octave
        while it is even (as librosa), so a hop with many factors of two lets it decimate
        further and run faster.
    fmin : float > 0, str or None
        Lowest bin's frequency in Hz or as a note name ('C1'). Default C1 (32.70 Hz).
    n_bins : int > 0
        Number of bins. Default 84 (7 octaves of 12).
    gamma : float >= 0 or None
        Bandwidth offset in Hz; None (default) uses the ERB-derived ``24.7 * alpha / 0.108``
        (librosa's); 0 gives the CQT.
    bins_per_octave : int > 0
        Default 12.
    tuning : float or None
        Offset of ``fmin`` in fractions of a bin. Default 0; None estimates it from ``y``
        (:func:`estimate_tuning`, every channel together), as librosa.
    filter_scale : float > 0
        Scales the kernel lengths (the Q factor). Default 1.
    norm : float, None
        Kernel normalisation p-norm. Default 1 (librosa's).
    sparsity : float in [0, 1)
        Drop each kernel's smallest spectral values holding this fraction of its L1 mass.
        Default 0 (exact); librosa's default is 0.01.
    window : str or (str, float)
        Kernel window. Default 'hann'.
    scale : bool
        Divide each bin by the square root of its kernel length (librosa's default True).
    pad_mode : str
        Centre padding: 'constant' (default), 'reflect', 'symmetric', 'edge' or 'wrap'.
    algorithm : {'auto', 'direct', 'multirate'}
        'direct' is exact (the definition; see the module notes); 'multirate' decimates octave
        by octave and is far cheaper for low ``fmin``. 'auto' (default) counts the
        multiply-adds of both (the kernel-matrix products on the frames, plus the decimation
        filtering) for this signal length and takes the cheaper. The output shape is the same
        for all three.
    intervals : {'equal', 'pythagorean', 'ji3', 'ji5', 'ji7'} or array of ratios in [1, 2)
        The bins' frequencies within each octave (see :mod:`audiofront.intervals`): equal
        temperament (default), Pythagorean tuning, 3-, 5- or 7-limit just intonation of
        ``bins_per_octave`` ratios, or the given ratios (``bins_per_octave`` is then their
        count), repeated octave by octave above ``fmin``, as librosa.
    kernels : {'librosa', 'brown'}
        'librosa' (default): librosa's kernels (the relative bandwidth of each bin from its
        neighbours' spacing, fractional lengths) and frame count. 'brown': Brown's (1991)
        original design, nnAudio's ``CQT1992v2``: one ``Q = filter_scale / (2 ** (1 /
        bins_per_octave) - 1)`` for every bin, whole-sample lengths ``ceil(Q sr / f_k)``, each
        frame correlated with the conjugate kernel, ``1 + n // hop_length`` frames, and only the
        top bin checked against Nyquist; 'direct' algorithm only.
    direct_basis : array or None
        For the 'direct' algorithm (then the default): the kernels as the real matrix
        :func:`cqt_direct_basis` builds for the same parameters, e.g. a trainable one.

    Returns
    -------
    array, shape ``(..., n_bins, n_frames)``, complex64 for float32 input, complex128 for
    float64; in the input's namespace, on its device. ``n_frames`` is librosa's count (see
    :func:`cqt_frame_count`).

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> sr = 22050
    >>> y = np.sin(2 * np.pi * 440 * np.arange(sr) / sr)
    >>> C = af.cqt(y, sr=sr)
    >>> C.shape, int(np.abs(C[:, 20]).argmax()) == 45  # A4 is 45 semitones above C1
    ((84, 44), True)
    """
    xp, y = _checks.float_signal(y)
    if tuning is None:  # librosa's: estimated from the signal, at the set's bins per octave
        tuning = estimate_tuning(y, sr=sr, bins_per_octave=kern.interval_set(
            intervals, positive_int(bins_per_octave, "bins_per_octave"))[1])
    args = kern.validated(sr, hop_length, fmin, n_bins, bins_per_octave, tuning, filter_scale,
                      norm, sparsity, window, gamma, intervals, kernels)
    _checks.one_of(pad_mode, "pad_mode", PAD_MODES)
    _checks.one_of(algorithm, "algorithm", ALGORITHMS)
    design = kern.make_design(*args)
    if kernels == "brown" or direct_basis is not None:
        if algorithm == "multirate":
            raise ParameterError("kernels='brown' and direct_basis are computed at one rate: "
                                 "algorithm 'direct' (or 'auto'). Received: algorithm='multirate'")
        algorithm = "direct"
    if algorithm == "auto":
        algorithm = min(("multirate", "direct"), key=lambda a: _flops(design, y.shape[-1], a))
    n_frames = kern.frame_count(design, y.shape[-1])
    if algorithm == "direct":
        C = _octave(y, xp, args, 0, "direct", pad_mode, n_frames, direct_basis)
    else:
        parts, signal, power = [], y, design.octaves()[0][1]
        for _ in range(power):  # librosa's early downsampling
            signal = _decimate(signal, xp)
        for i, (_bins, octave_power, _hop) in enumerate(design.octaves()):
            while power < octave_power:
                signal = _decimate(signal, xp)
                power += 1
            parts.append(_octave(signal, xp, args, i, "multirate", pad_mode, n_frames))
        C = xp.concat(parts[::-1], axis=-1)
    C = xp.matrix_transpose(C)
    if scale:
        lengths = _constants.place(_sqrt_lengths, (args,), xp=xp, device=_backend.device_of(y),
                                   dtype=y.dtype)
        C = C / xp.astype(lengths[:, None], C.dtype)  # complex / complex: no mixed-kind promotion
    return C


@functools.lru_cache(maxsize=32)
def _sqrt_lengths(args):
    out = np.sqrt(kern.make_design(*args).lengths(args[0]))
    out.flags.writeable = False
    return out


@jax_compiled
def cqt(y, /, *, sr: float = 22050, hop_length: int = 512, fmin=None, n_bins: int = 84,
        bins_per_octave: int = 12, tuning: float = 0.0, filter_scale: float = 1.0, norm=1,
        sparsity: float = 0.0, window="hann", scale: bool = True, pad_mode: str = "constant",
        algorithm: str = "auto", kernels: str = "librosa", direct_basis=None):
    """Constant-Q transform, librosa's definition: :func:`vqt` with ``gamma=0``.

    Parameters are :func:`vqt`'s (``kernels='brown'``: Brown's design, nnAudio's CQT1992v2).
    Returns a complex ``(..., n_bins, n_frames)`` array.

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> y = np.random.default_rng(0).standard_normal((2, 22050 * 2)).astype(np.float32)
    >>> C = af.cqt(y, sr=22050, fmin="C3", n_bins=96, bins_per_octave=24, hop_length=1024)
    >>> C.shape, C.dtype
    ((2, 96, 44), dtype('complex64'))
    """
    return vqt(y, sr=sr, hop_length=hop_length, fmin=fmin, n_bins=n_bins, gamma=0.0,
               bins_per_octave=bins_per_octave, tuning=tuning, filter_scale=filter_scale,
               norm=norm, sparsity=sparsity, window=window, scale=scale, pad_mode=pad_mode,
               algorithm=algorithm, kernels=kernels, direct_basis=direct_basis)


def cqt_filterbank(*, sr: float = 22050, fmin=None, n_bins: int = 84, bins_per_octave: int = 12,
                   tuning: float = 0.0, filter_scale: float = 1.0, norm=1, window="hann",
                   gamma: float = 0.0, intervals="equal", kernels: str = "librosa", xp=None,
                   device=None, dtype=None):
    """The CQT (or VQT) kernels at rate ``sr``, librosa's ``filters.wavelet``.

    Returns
    -------
    kernels : array, shape ``(n_bins, n)``, complex
        Kernel ``k`` is the window times ``exp(2j pi f_k t / sr)`` over its length, with unit
        ``norm``, centred in ``n`` samples (the next power of two above the longest).
        complex128 NumPy unless ``xp`` / ``dtype`` (complex) say otherwise.
    lengths : float64 NumPy array, shape ``(n_bins,)``
        The (fractional) kernel lengths in samples.
    """
    args = kern.validated(sr, 512, fmin, n_bins, bins_per_octave, tuning, filter_scale, norm, 0.0,
                      window, gamma, intervals, kernels)
    design = kern.make_design(*args)
    kernels, lengths = kern.kernel_bank(design, design.sr, slice(None))
    if xp is None:
        return (kernels if dtype is None else kernels.astype(dtype)), lengths
    return xp.asarray(kernels, dtype=dtype, device=device), lengths


def cqt_direct_basis(*, sr: float = 22050, hop_length: int = 512, fmin=None, n_bins: int = 84,
                     bins_per_octave: int = 12, tuning: float = 0.0, filter_scale: float = 1.0,
                     norm=1, sparsity: float = 0.0, window="hann", gamma: float | None = 0.0,
                     intervals="equal", kernels: str = "librosa", xp=None, device=None,
                     dtype=None):
    """The matrix that the 'direct' transform multiplies each frame by: ``frame @ basis`` is
    ``[Re C | Im C]`` (before the ``scale`` division) for frames of ``2 half + 1`` samples
    centred on the hops. Pass it back as ``vqt(..., direct_basis=basis)``, e.g. as a trainable
    parameter (nnAudio's trainable CQT kernels). Parameters are :func:`vqt`'s (``gamma=0``:
    the CQT).

    Returns
    -------
    array, shape ``(2 half + 1, 2 n_bins)``; float64 NumPy unless ``xp`` / ``dtype`` say
    otherwise. A fresh array.
    """
    args = kern.validated(sr, hop_length, fmin, n_bins, bins_per_octave, tuning, filter_scale, norm,
                      sparsity, window, gamma, intervals, kernels)
    return _constants.place(kern.octave_basis, (args, 0, "direct"), xp=xp, device=device,
                            dtype=dtype, cache=False)


def module_config(config: dict, *, trainable: bool) -> tuple[dict, dict | None]:
    """For the adapters' CQT modules: ``config`` (:func:`vqt`'s keyword arguments) checked
    now, with algorithm 'direct' when the kernels are ``trainable``, and the keyword
    arguments of :func:`cqt_direct_basis` for the kernels to learn (None unless trainable).
    The host kernels are built here, once."""
    if trainable:
        if config.get("algorithm", "auto") == "multirate":
            raise ParameterError("Trainable CQT kernels are the 'direct' algorithm's. "
                                 "Received: algorithm='multirate'")
        config = {**config, "algorithm": "direct"}
    _checks.one_of(config.get("pad_mode", "constant"), "pad_mode", PAD_MODES)
    hop = positive_int(config.get("hop_length", 512), "hop_length")
    vqt(np.zeros(4 * hop, np.float32), **{**config, "pad_mode": "constant"})  # short: no reflect
    if not trainable:
        return config, None
    return config, {k: v for k, v in config.items() if k not in ("scale", "pad_mode", "algorithm")}


# --- pseudo-CQT ----------------------------------------------------------------------------

@functools.lru_cache(maxsize=32)
def _pseudo_basis(args):
    """(n_fft, |kernel spectra| over the non-negative frequencies), librosa's pseudo-CQT."""
    design = kern.make_design(*args)
    kernels, lengths = kern.kernel_bank(design, design.sr, slice(None))
    hop = design.hop_length
    n_fft = max(kernels.shape[1], 2 ** (1 + math.ceil(math.log2(hop))))
    if n_fft > kernels.shape[1]:
        kernels, lengths = kern.kernel_bank(design, design.sr, slice(None), pad_to=n_fft)
    spectra = np.fft.fft(kernels * (lengths[:, None] / n_fft), axis=1)[:, :n_fft // 2 + 1]
    basis = np.abs(kern.sparsify(spectra, design.sparsity))
    basis.flags.writeable = False
    return n_fft, basis


def _pseudo_matrix(args):
    return _pseudo_basis(args)[1]


@jax_compiled
def pseudo_cqt(y, /, *, sr: float = 22050, hop_length: int = 512, fmin=None, n_bins: int = 84,
               bins_per_octave: int = 12, tuning: float = 0.0, filter_scale: float = 1.0,
               norm=1, sparsity: float = 0.0, window="hann", scale: bool = True,
               pad_mode: str = "constant"):
    """CQT magnitudes from one STFT, librosa's ``pseudo_cqt``: the magnitudes of the kernels'
    spectra applied to a Hann-window STFT magnitude. Cheaper, coarser at low frequencies.

    Parameters are :func:`cqt`'s. Returns a real ``(..., n_bins, n_frames)`` array with
    ``1 + n // hop_length`` frames.
    """
    xp, y = _checks.float_signal(y)
    if tuning is None:  # librosa's: estimated from the signal
        tuning = estimate_tuning(y, sr=sr, bins_per_octave=bins_per_octave)
    args = kern.validated(sr, hop_length, fmin, n_bins, bins_per_octave, tuning, filter_scale,
                      norm, sparsity, window, 0.0)
    n_fft, _ = _pseudo_basis(args)
    basis = _constants.place(_pseudo_matrix, (args,), xp=xp, device=_backend.device_of(y),
                             dtype=y.dtype)
    C = spectrogram_frames(y, xp, power=1.0, filterbank=basis, n_fft=n_fft,
                           hop_length=args[1], win_length=None, window="hann", center=True,
                           pad_mode=pad_mode, method="fft", dft_basis=None, check_finite=False)
    C = xp.matrix_transpose(C)
    if scale:
        return C / math.sqrt(n_fft)
    lengths = _constants.place(_pseudo_lengths, (args, n_fft), xp=xp, device=_backend.device_of(y),
                               dtype=y.dtype)
    return C * lengths[:, None]


@functools.lru_cache(maxsize=32)
def _pseudo_lengths(args, n_fft):
    out = np.sqrt(kern.make_design(*args).lengths(args[0]) / n_fft)
    out.flags.writeable = False
    return out
