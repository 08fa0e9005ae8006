"""Tuning estimation, librosa's method: quadratically interpolated spectral peaks
(:func:`piptrack`), the strongest half of them folded onto one semitone, and the histogram's
mode (:func:`pitch_tuning`, :func:`estimate_tuning`).

The peak picking is array-API code on any backend (no loop over frames); the histogram of the
selected peaks, a data-dependent set, is taken on the host.
"""

from __future__ import annotations


import numpy as np

from . import _backend, _checks
from ._checks import positive_float, positive_int
from .spectral import spectrogram

__all__ = ["piptrack", "pitch_tuning", "estimate_tuning"]


def piptrack(y=None, /, *, S=None, sr: float = 22050, n_fft: int = 2048,
             hop_length: int | None = None, fmin: float = 150.0, fmax: float = 4000.0,
             threshold: float = 0.1, win_length: int | None = None, window="hann",
             center: bool = True, pad_mode: str = "constant", ref=None):
    """Pitches and magnitudes of the spectral peaks in each frame (librosa's ``piptrack``).

    A bin is a peak when its magnitude is a local maximum along frequency, above ``threshold``
    times ``ref`` (default: the frame's maximum) and its frequency in ``[fmin, fmax)``; its
    pitch is refined by a parabola through it and its two neighbours.

    Parameters
    ----------
    y : array ``(..., n)`` or None
        Audio; or pass ``S``, a magnitude spectrogram ``(..., 1 + n_fft // 2, frames)``.
    sr, n_fft, hop_length, win_length, window, center, pad_mode
        The STFT, as :func:`stft` (``n_fft`` follows from ``S`` when it is given).
    fmin, fmax : float
        The band searched, Hz (defaults 150 and 4000; ``fmax`` at most ``sr / 2``).
    threshold : float in [0, 1]
        Peaks below ``threshold * ref`` are ignored. Default 0.1.
    ref : float, callable or None
        A number, or a callable of the frame's magnitudes (``ref(S, axis=-2, keepdims=True)``);
        None (default) is the frame's maximum.

    Returns
    -------
    pitches, magnitudes : arrays, the shape of the spectrogram
        Hz and interpolated magnitude at each peak, 0 elsewhere; the namespace, device and
        dtype of the input.
    """
    _checks.one_input(y, S, "S", "a magnitude spectrogram")
    if S is None:
        xp, y = _checks.float_signal(y)
        S = spectrogram(y, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                        window=window, center=center, pad_mode=pad_mode, power=1.0)
    else:
        xp, S = _checks.float_signal(S, "S", min_ndim=2)
        n_fft = 2 * (S.shape[-2] - 1)
    fmin = max(positive_float(fmin, "fmin", allow_zero=True), 0.0)
    fmax = min(positive_float(fmax, "fmax"), sr / 2.0)
    threshold = positive_float(threshold, "threshold", allow_zero=True)
    # the parabola through (k - 1, k, k + 1): its vertex offset and height correction
    below, centre, above = S[..., :-2, :], S[..., 1:-1, :], S[..., 2:, :]
    slope = 0.5 * (above - below)
    curvature = 2.0 * centre - above - below
    tiny = xp.finfo(S.dtype).smallest_normal
    offset = slope / (curvature + xp.astype(xp.abs(curvature) < tiny, S.dtype))
    zero_row = xp.zeros_like(S[..., :1, :])
    slope = xp.concat([zero_row, slope, zero_row], axis=-2)
    offset = xp.concat([zero_row, offset, zero_row], axis=-2)
    if ref is None:
        level = xp.max(S, axis=-2, keepdims=True)
    elif callable(ref):
        level = ref(S, axis=-2, keepdims=True)
    else:
        level = positive_float(ref, "ref", allow_zero=True)
    candidates = S * xp.astype(S > threshold * level, S.dtype)
    # a local maximum along frequency: above the bin below, not below the bin above (edges
    # compared with themselves)
    padded = xp.concat([candidates[..., :1, :], candidates, candidates[..., -1:, :]], axis=-2)
    peak = (candidates > padded[..., :-2, :]) & (candidates >= padded[..., 2:, :])
    bins = xp.arange(S.shape[-2], dtype=S.dtype, device=_backend.device_of(S))
    freqs = bins * (sr / n_fft)
    band = (freqs >= fmin) & (freqs < fmax)
    peak = peak & band[:, None]
    pitches = xp.where(peak, (bins[:, None] + offset) * (sr / n_fft), xp.zeros_like(S))
    magnitudes = xp.where(peak, S + 0.5 * slope * offset, xp.zeros_like(S))
    return pitches, magnitudes


def pitch_tuning(frequencies, /, *, resolution: float = 0.01, bins_per_octave: int = 12):
    """The tuning deviation, in fractions of a bin, that best explains ``frequencies`` (Hz):
    each folded onto one bin (``bins_per_octave * log2(f / 27.5) mod 1``, in [-0.5, 0.5)), the
    mode of their histogram at ``resolution``. Frequencies <= 0 are ignored; with none left,
    librosa's warning and 0.0. Returns a float (a NumPy float64, as librosa)."""
    resolution = positive_float(resolution, "resolution")
    bins_per_octave = positive_int(bins_per_octave, "bins_per_octave")
    f = np.asarray(_backend.to_host(frequencies), dtype=np.float64).reshape(-1)
    f = f[f > 0]
    if not f.size:
        _checks.user_warning("Trying to estimate tuning from empty frequency set.")
        return 0.0
    residual = np.mod(bins_per_octave * np.log2(f / (440.0 / 16)), 1.0)
    residual[residual >= 0.5] -= 1.0
    edges = np.linspace(-0.5, 0.5, int(np.ceil(1.0 / resolution)) + 1)
    counts, edges = np.histogram(residual, edges)
    return edges[np.argmax(counts)]


def estimate_tuning(y=None, /, *, S=None, sr: float = 22050, n_fft: int = 2048,
                    resolution: float = 0.01, bins_per_octave: int = 12, **piptrack_params):
    """The tuning of a recording in fractions of a bin (librosa's ``estimate_tuning``): the
    :func:`pitch_tuning` of the :func:`piptrack` peaks at least as strong as their median.

    ``y`` (audio of any backend, every channel together) or ``S`` (a magnitude spectrogram);
    ``piptrack_params`` go to :func:`piptrack` (``hop_length``, ``fmin``, ``threshold`` ...).

    Examples
    --------
    >>> import numpy as np, audiofront as af
    >>> t = np.arange(22050) / 22050
    >>> y = np.sin(2 * np.pi * 440 * 2 ** (0.3 / 12) * t)  # 30 cents sharp
    >>> round(float(af.estimate_tuning(y, sr=22050)), 2)
    0.31
    """
    pitches, magnitudes = piptrack(y, S=S, sr=sr, n_fft=n_fft, **piptrack_params)
    pitches = np.asarray(_backend.to_host(pitches), dtype=np.float64)
    magnitudes = np.asarray(_backend.to_host(magnitudes), dtype=np.float64)
    voiced = pitches > 0
    floor = np.median(magnitudes[voiced]) if voiced.any() else 0.0
    return pitch_tuning(pitches[(magnitudes >= floor) & voiced], resolution=resolution,
                        bins_per_octave=bins_per_octave)
