"""audiofront: audio front-end DSP written once against the Python array API.

Every function takes NumPy, CuPy, PyTorch or JAX arrays (anything array-api-compat knows) and
returns results of the same kind, on the same device, in the same floating dtype, with
librosa's parameters, defaults and numbers. Importing audiofront imports no array framework.
"""

from ._checks import ParameterError
from .periodicity import cfp, cfp_frequencies
from .chroma import chroma_cqt
from .constantq import (cqt, cqt_direct_basis, cqt_filterbank, cqt_frame_count, cqt_frequencies,
                        pseudo_cqt, vqt)
from .companding import mu_compress, mu_expand, mu_law_decode, mu_law_encode
from .augment import mask_stripes
from .intervals import interval_frequencies, plimit_intervals, pythagorean_intervals
from .features import (apply_filterbank, delta, log_frequency_spectrogram, logmel_to_mfcc,
                       melspectrogram, mfcc, mfcc_basis)
from .filterbanks import (dct_matrix, fft_frequencies, frequency_grid, hz_to_mel,
                          log_filterbank, mel_filterbank, mel_frequencies, mel_to_hz)
from .featurefile import FeatureFile
from .gammatone import erb_frequencies, gammatone_filterbank, gammatonegram
from .framing import frame, frame_count, overlap_add
from .notes import hz_to_midi, hz_to_note, midi_to_hz, midi_to_note, note_to_hz, note_to_midi
from .normalization import lcn, pcen, pcen_smoothing_coefficient, standardize
from .reconstruction import griffinlim
from .inverse import mel_to_audio, mel_to_stft, mfcc_to_audio, mfcc_to_mel, nnls
from .scaling import amplitude_to_db, db_to_amplitude, db_to_power, power_to_db
from .inverse_stft import idft_basis, istft
from .spectral import dft_basis, magnitude, magphase, phase, spectrogram, stft
from .tuning import estimate_tuning, piptrack, pitch_tuning
from .windows import get_window
from . import streaming

__version__ = "0.1.0"

__all__ = [
    "ParameterError", "FeatureFile",
    "frame", "frame_count", "overlap_add",
    "get_window",
    "stft", "istft", "griffinlim", "mel_to_stft", "mel_to_audio", "mfcc_to_mel", "mfcc_to_audio",
    "nnls", "spectrogram", "magnitude", "phase", "magphase", "dft_basis", "idft_basis",
    "hz_to_mel", "mel_to_hz", "mel_frequencies", "fft_frequencies", "frequency_grid",
    "mel_filterbank",
    "log_filterbank", "dct_matrix",
    "melspectrogram", "log_frequency_spectrogram", "gammatone_filterbank", "gammatonegram",
    "erb_frequencies", "apply_filterbank", "mfcc",
    "logmel_to_mfcc", "mfcc_basis", "delta", "mask_stripes",
    "power_to_db", "amplitude_to_db", "db_to_power", "db_to_amplitude",
    "mu_law_encode", "mu_law_decode", "mu_compress", "mu_expand",
    "cqt", "vqt", "cqt_frequencies", "interval_frequencies", "pythagorean_intervals",
    "plimit_intervals", "cqt_frame_count", "cqt_filterbank", "cqt_direct_basis", "chroma_cqt",
    "pseudo_cqt", "cfp", "cfp_frequencies",
    "note_to_hz", "note_to_midi", "midi_to_hz", "hz_to_midi", "midi_to_note", "hz_to_note",
    "estimate_tuning", "pitch_tuning", "piptrack",
    "pcen", "pcen_smoothing_coefficient", "lcn", "standardize",
]
