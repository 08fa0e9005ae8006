"""librosa 0.11's API over audiofront: change ``import librosa`` to
``import audiofront.compat.librosa as librosa`` and keep your code.

Every function here has librosa's signature (names, order, kinds and defaults) and librosa's
numbers, and runs on NumPy, CuPy, torch and JAX arrays (audiofront's core does the work; this
package only translates). The layout is librosa's: ``librosa.X`` (also as ``core.X``),
``feature``, ``filters`` and ``util``. What audiofront cannot honour raises a ParameterError
that names the argument; ``res_type`` (the resampler of librosa's multirate CQT, which
audiofront replaces by its own decimation) is accepted and ignored. Importing this package
does not import librosa.

Numbers differ from librosa's in two documented places (the README's "Differences from
librosa"): float32 STFTs are computed in float32 arithmetic (librosa's numpy.fft computes
float32 input in double precision), within 2e-7 of the maximum; the multirate CQT family uses
audiofront's decimation filter instead of soxr, within the core's documented agreement.
"""

from __future__ import annotations

import audiofront as _af

from ... import ParameterError
from . import feature, filters, util
from ._translate import default_float as _default_float, in_precision as _in_precision, into as _into
from ._translate import whole_array as _whole_array

__all__ = [
    "ParameterError", "stft", "istft", "griffinlim", "magphase", "cqt", "vqt", "pseudo_cqt",
    "power_to_db", "amplitude_to_db", "db_to_power", "db_to_amplitude", "mu_compress",
    "mu_expand", "hz_to_mel", "mel_to_hz", "mel_frequencies", "fft_frequencies",
    "cqt_frequencies", "interval_frequencies", "pythagorean_intervals", "plimit_intervals",
    "note_to_hz", "hz_to_note", "note_to_midi", "midi_to_hz", "midi_to_note", "hz_to_midi",
    "estimate_tuning", "pitch_tuning", "piptrack", "pcen", "feature", "filters", "util",
]


# --- spectra -----------------------------------------------------------------------------

def stft(y, *, n_fft=2048, hop_length=None, win_length=None, window="hann", center=True,
         dtype=None, pad_mode="constant", out=None):
    """librosa.stft: :func:`audiofront.stft`. ``dtype`` (complex64 / complex128) sets the
    precision computed in; ``out`` may have more frames than needed (the view of the written
    frames is returned), as librosa."""
    S = _af.stft(_in_precision(y, dtype), n_fft=n_fft, hop_length=hop_length,
                 win_length=win_length, window=window, center=center, pad_mode=pad_mode)
    return _into(out, S, grow_last=True)


def istft(stft_matrix, *, hop_length=None, win_length=None, n_fft=None, window="hann",
          center=True, dtype=None, length=None, out=None):
    """librosa.istft: :func:`audiofront.istft`. ``dtype`` (float32 / float64) sets the
    precision; ``out`` must have the result's shape."""
    y = _af.istft(_in_precision(stft_matrix, dtype, complex_result=False), n_fft=n_fft,
                  hop_length=hop_length, win_length=win_length, window=window, center=center,
                  length=length)
    return _into(out, y, grow_last=False)


def griffinlim(S, *, n_iter=32, hop_length=None, win_length=None, n_fft=None, window="hann",
               center=True, dtype=None, length=None, pad_mode="constant", momentum=0.99,
               init="random", random_state=None):
    """librosa.griffinlim: :func:`audiofront.griffinlim` (``dtype``, float32 / float64, sets
    the precision)."""
    return _af.griffinlim(_in_precision(S, dtype, complex_result=False), n_iter=n_iter,
                          hop_length=hop_length, win_length=win_length, n_fft=n_fft,
                          window=window, center=center, length=length, pad_mode=pad_mode,
                          momentum=momentum, init=init, random_state=random_state)


def magphase(D, *, power=1):
    """librosa.magphase: :func:`audiofront.magphase`."""
    return _af.magphase(D, power=power)


# --- constant-Q --------------------------------------------------------------------------

def cqt(y, *, sr=22050, hop_length=512, fmin=None, n_bins=84, bins_per_octave=12, tuning=0.0,
        filter_scale=1, norm=1, sparsity=0.01, window="hann", scale=True, pad_mode="constant",
        res_type="soxr_hq", dtype=None):
    """librosa.cqt: :func:`audiofront.cqt` (``res_type`` is ignored; ``dtype`` sets the
    precision)."""
    return _af.cqt(_in_precision(y, dtype), sr=sr, hop_length=hop_length, fmin=fmin,
                   n_bins=n_bins, bins_per_octave=bins_per_octave, tuning=tuning,
                   filter_scale=filter_scale, norm=norm, sparsity=sparsity, window=window,
                   scale=scale, pad_mode=pad_mode)


def vqt(y, *, sr=22050, hop_length=512, fmin=None, n_bins=84, intervals="equal", gamma=None,
        bins_per_octave=12, tuning=0.0, filter_scale=1, norm=1, sparsity=0.01, window="hann",
        scale=True, pad_mode="constant", res_type="soxr_hq", dtype=None):
    """librosa.vqt: :func:`audiofront.vqt` (``res_type`` is ignored; ``dtype`` sets the
    precision)."""
    return _af.vqt(_in_precision(y, dtype), sr=sr, hop_length=hop_length, fmin=fmin,
                   n_bins=n_bins, intervals=intervals, gamma=gamma,
                   bins_per_octave=bins_per_octave, tuning=tuning, filter_scale=filter_scale,
                   norm=norm, sparsity=sparsity, window=window, scale=scale, pad_mode=pad_mode)


def pseudo_cqt(y, *, sr=22050, hop_length=512, fmin=None, n_bins=84, bins_per_octave=12,
               tuning=0.0, filter_scale=1, norm=1, sparsity=0.01, window="hann", scale=True,
               pad_mode="constant", dtype=None):
    """librosa.pseudo_cqt: :func:`audiofront.pseudo_cqt` (``dtype`` sets the precision)."""
    return _af.pseudo_cqt(_in_precision(y, dtype), sr=sr, hop_length=hop_length, fmin=fmin,
                          n_bins=n_bins, bins_per_octave=bins_per_octave, tuning=tuning,
                          filter_scale=filter_scale, norm=norm, sparsity=sparsity,
                          window=window, scale=scale, pad_mode=pad_mode)


# --- scaling and companding --------------------------------------------------------------

def power_to_db(S, *, ref=1.0, amin=1e-10, top_db=80.0):
    """librosa.power_to_db: :func:`audiofront.power_to_db`, with ``top_db`` and a callable
    ``ref`` over the whole array, as librosa (the core takes them per example)."""
    return _whole_array(_af.power_to_db, S, ref=ref, amin=amin, top_db=top_db)


def amplitude_to_db(S, *, ref=1.0, amin=1e-05, top_db=80.0):
    """librosa.amplitude_to_db: :func:`audiofront.amplitude_to_db`, with ``top_db`` and a
    callable ``ref`` over the whole array, as librosa."""
    return _whole_array(_af.amplitude_to_db, S, ref=ref, amin=amin, top_db=top_db)


def db_to_power(S_db, *, ref=1.0):
    """librosa.db_to_power: :func:`audiofront.db_to_power`."""
    return _af.db_to_power(S_db, ref=ref)


def db_to_amplitude(S_db, *, ref=1.0):
    """librosa.db_to_amplitude: :func:`audiofront.db_to_amplitude`."""
    return _af.db_to_amplitude(S_db, ref=ref)


def mu_compress(x, *, mu=255, quantize=True):
    """librosa.mu_compress: :func:`audiofront.mu_compress`."""
    return _af.mu_compress(x, mu=mu, quantize=quantize)


def mu_expand(x, *, mu=255.0, quantize=True):
    """librosa.mu_expand: :func:`audiofront.mu_expand`; integer codes come back in the
    namespace's default floating dtype (float64 for NumPy), as librosa (the core's default
    for codes is float32)."""
    return _af.mu_expand(x, mu=mu, quantize=quantize, dtype=_default_float(x))


def pcen(S, *, sr=22050, hop_length=512, gain=0.98, bias=2, power=0.5, time_constant=0.4,
         eps=1e-06, b=None, max_size=1, ref=None, axis=-1, max_axis=None, zi=None,
         return_zf=False):
    """librosa.pcen: :func:`audiofront.pcen`."""
    return _af.pcen(S, sr=sr, hop_length=hop_length, gain=gain, bias=bias, power=power,
                    time_constant=time_constant, eps=eps, b=b, max_size=max_size, ref=ref,
                    axis=axis, max_axis=max_axis, zi=zi, return_zf=return_zf)


# --- frequencies and notes ---------------------------------------------------------------

def hz_to_mel(frequencies, *, htk=False):
    """librosa.hz_to_mel: :func:`audiofront.hz_to_mel`."""
    return _af.hz_to_mel(frequencies, htk=htk)


def mel_to_hz(mels, *, htk=False):
    """librosa.mel_to_hz: :func:`audiofront.mel_to_hz`."""
    return _af.mel_to_hz(mels, htk=htk)


def mel_frequencies(n_mels=128, *, fmin=0.0, fmax=11025.0, htk=False):
    """librosa.mel_frequencies: :func:`audiofront.mel_frequencies`."""
    return _af.mel_frequencies(n_mels, fmin=fmin, fmax=fmax, htk=htk)


def fft_frequencies(*, sr=22050, n_fft=2048):
    """librosa.fft_frequencies: :func:`audiofront.fft_frequencies`."""
    return _af.fft_frequencies(sr=sr, n_fft=n_fft)


def cqt_frequencies(n_bins, *, fmin, bins_per_octave=12, tuning=0.0):
    """librosa.cqt_frequencies: :func:`audiofront.cqt_frequencies`."""
    return _af.cqt_frequencies(n_bins, fmin=fmin, bins_per_octave=bins_per_octave,
                               tuning=tuning)


def interval_frequencies(n_bins, *, fmin, intervals, bins_per_octave=12, tuning=0.0,
                         sort=True):
    """librosa.interval_frequencies: :func:`audiofront.interval_frequencies`."""
    return _af.interval_frequencies(n_bins, fmin=fmin, intervals=intervals,
                                    bins_per_octave=bins_per_octave, tuning=tuning, sort=sort)


def pythagorean_intervals(*, bins_per_octave=12, sort=True, return_factors=False):
    """librosa.pythagorean_intervals: :func:`audiofront.pythagorean_intervals`."""
    return _af.pythagorean_intervals(bins_per_octave=bins_per_octave, sort=sort,
                                     return_factors=return_factors)


def plimit_intervals(*, primes, bins_per_octave=12, sort=True, return_factors=False):
    """librosa.plimit_intervals: :func:`audiofront.plimit_intervals`."""
    return _af.plimit_intervals(primes=primes, bins_per_octave=bins_per_octave, sort=sort,
                                return_factors=return_factors)


def note_to_hz(note, **kwargs):
    """librosa.note_to_hz: :func:`audiofront.note_to_hz`."""
    return _af.note_to_hz(note, **kwargs)


def hz_to_note(frequencies, **kwargs):
    """librosa.hz_to_note: :func:`audiofront.hz_to_note`."""
    return _af.hz_to_note(frequencies, **kwargs)


def note_to_midi(note, *, round_midi=True):
    """librosa.note_to_midi: :func:`audiofront.note_to_midi`."""
    return _af.note_to_midi(note, round_midi=round_midi)


def midi_to_hz(notes):
    """librosa.midi_to_hz: :func:`audiofront.midi_to_hz`."""
    return _af.midi_to_hz(notes)


def midi_to_note(midi, *, octave=True, cents=False, key="C:maj", unicode=True):
    """librosa.midi_to_note: :func:`audiofront.midi_to_note`."""
    return _af.midi_to_note(midi, octave=octave, cents=cents, key=key, unicode=unicode)


def hz_to_midi(frequencies):
    """librosa.hz_to_midi: :func:`audiofront.hz_to_midi`."""
    return _af.hz_to_midi(frequencies)


# --- tuning ------------------------------------------------------------------------------

def estimate_tuning(*, y=None, sr=22050, S=None, n_fft=2048, resolution=0.01,
                    bins_per_octave=12, **kwargs):
    """librosa.estimate_tuning: :func:`audiofront.estimate_tuning`."""
    return _af.estimate_tuning(y, S=S, sr=sr, n_fft=n_fft, resolution=resolution,
                               bins_per_octave=bins_per_octave, **kwargs)


def pitch_tuning(frequencies, *, resolution=0.01, bins_per_octave=12):
    """librosa.pitch_tuning: :func:`audiofront.pitch_tuning`."""
    return _af.pitch_tuning(frequencies, resolution=resolution, bins_per_octave=bins_per_octave)


def piptrack(*, y=None, sr=22050, S=None, n_fft=2048, hop_length=None, fmin=150.0,
             fmax=4000.0, threshold=0.1, win_length=None, window="hann", center=True,
             pad_mode="constant", ref=None):
    """librosa.piptrack: :func:`audiofront.piptrack`."""
    return _af.piptrack(y, S=S, sr=sr, n_fft=n_fft, hop_length=hop_length, fmin=fmin,
                        fmax=fmax, threshold=threshold, win_length=win_length, window=window,
                        center=center, pad_mode=pad_mode, ref=ref)


from . import core  # noqa: E402  (librosa.core.X is librosa.X; core imports the names above)
