"""nnAudio's conventions in the adapters' terms: its input shapes, output formats, STFT grids
and complex layout."""

from __future__ import annotations

import torch

import audiofront as af
from ... import ParameterError

OUTPUT_FORMATS = ("Magnitude", "Complex", "Phase")
FREQ_SCALES = ("no", "linear", "log", "log2")


def as_batch(x):
    """nnAudio's inputs ``(len,)``, ``(batch, len)`` or ``(batch, 1, len)`` as ``(batch, len)``."""
    if x.ndim == 1:
        return x[None]
    if x.ndim == 2:
        return x
    if x.ndim == 3 and x.shape[1] == 1:
        return x[:, 0]
    raise ParameterError(f"The input must have shape (len,), (batch, len) or (batch, 1, len). "
                         f"Received: shape {tuple(x.shape)}")


def checked_format(value):
    if value not in OUTPUT_FORMATS:
        raise ParameterError(f"output_format must be one of {OUTPUT_FORMATS}. "
                             f"Received: output_format={value!r}")
    return value


def formatted(S, fmt, *, trainable, unit_phase=False):
    """A complex ``(batch, freq, frames)`` transform in nnAudio's ``output_format``:
    'Magnitude' (``sqrt(re^2 + im^2)``, plus 1e-8 inside the root when trainable, as nnAudio,
    so that its gradient at 0 is finite), 'Complex' (``(..., 2)``: real, imaginary) or 'Phase':
    radians for the STFT, ``(..., 2)`` (cos, sin) of them for the CQTs (``unit_phase``), as
    nnAudio's modules return them."""
    checked_format(fmt)
    if fmt == "Complex":
        return torch.stack((S.real, S.imag), -1)
    if fmt == "Phase":
        angle = torch.atan2(S.imag + 0.0, S.real)
        return torch.stack((torch.cos(angle), torch.sin(angle)), -1) if unit_phase else angle
    return torch.sqrt(S.real ** 2 + S.imag ** 2 + 1e-8) if trainable else S.abs()


def grid(freq_scale, freq_bins, fmin, fmax, sr):
    """The STFT's frequencies in Hz for nnAudio's ``freq_scale`` (None: the FFT bins)."""
    if freq_scale not in FREQ_SCALES:
        raise ParameterError(f"freq_scale must be one of {FREQ_SCALES}. "
                             f"Received: freq_scale={freq_scale!r}")
    if freq_scale == "no":
        if freq_bins is not None:
            raise ParameterError(
                f"freq_bins applies to freq_scale='linear', 'log' or 'log2'; with 'no' the STFT "
                f"has the n_fft // 2 + 1 FFT bins (nnAudio would keep the lowest freq_bins of "
                f"them). Received: freq_bins={freq_bins}, freq_scale='no'")
        return None
    if fmax > sr / 2:
        raise ParameterError(f"fmax must be <= sr / 2 = {sr / 2} (the Nyquist frequency). "
                             f"Received: fmax={fmax}, sr={sr}")
    return af.frequency_grid(freq_bins, fmin=fmin, fmax=fmax, scale=freq_scale)


def complex_spectrum(X, onesided, n_fft):
    """nnAudio's ``(batch, freq, frames, 2)`` as a complex ``(batch, 1 + n_fft // 2, frames)``
    (a two-sided input, ``onesided=False``, keeps its non-negative half)."""
    if X.ndim != 4 or X.shape[-1] != 2:
        raise ParameterError(f"The inverse STFT takes a (batch, freq_bins, frames, 2) tensor "
                             f"(output_format='Complex'). Received: shape {tuple(X.shape)}")
    S = torch.complex(X[..., 0], X[..., 1])
    want = n_fft // 2 + 1 if onesided else n_fft
    if S.shape[1] != want:
        raise ParameterError(f"With onesided={onesided} the input must have {want} frequency "
                             f"bins for n_fft={n_fft}. Received: {S.shape[1]}")
    return S[:, :n_fft // 2 + 1]
