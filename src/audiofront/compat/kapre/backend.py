"""kapre's ``kapre.backend`` helpers with kapre 0.4's names and shapes (filterbanks are
``(n_freq, n_bands)``, kapre's orientation; audiofront's own builders return ``(n_bands,
n_freq)``)."""

from __future__ import annotations

import math

import keras

import audiofront as af
from ...adapters import _keras
from ..._checks import ParameterError

_CH_FIRST_STR, _CH_LAST_STR, _CH_DEFAULT_STR = "channels_first", "channels_last", "default"

# kapre's window names (tf.signal's periodic windows) -> audiofront's
WINDOWS = {None: "hann", "hann_window": "hann", "hamming_window": "hamming"}


def window_name(name):
    """The core window for kapre's ``window_name`` (kapre's names, or any name
    :func:`audiofront.get_window` knows)."""
    return WINDOWS.get(name, name)


def get_window_fn(window_name=None):
    """``f(n)``: the periodic window of ``n`` samples as a backend tensor (float32); kapre's
    names 'hann_window' (None) and 'hamming_window', or any name audiofront knows."""
    core = WINDOWS.get(window_name, window_name)
    af.get_window(core, 4)  # validate now

    def window_fn(window_length, dtype="float32"):
        return keras.ops.convert_to_tensor(af.get_window(core, int(window_length)), dtype=dtype)

    return window_fn


def _core_names(core, sample_rate, n_freq):
    """kapre's ``sample_rate`` / ``n_freq`` as the core's ``sr`` / ``n_fft`` in ``core``."""
    if sample_rate is not None:
        core.setdefault("sr", sample_rate)
    if n_freq is not None:
        core.setdefault("n_fft", 2 * (n_freq - 1))
    return core


def _mel_kwargs(sample_rate=None, n_freq=None, n_mels=128, f_min=0.0, f_max=None, htk=False,
                norm="slaney", **core):
    """kapre's filterbank_mel arguments (or the core's, as audiofront's own layers took them
    before) as :func:`audiofront.mel_filterbank`'s."""
    core = _core_names(core, sample_rate, n_freq)
    core.setdefault("n_mels", n_mels)
    core.setdefault("fmin", f_min)
    core.setdefault("fmax", f_max)
    return {"htk": htk, "norm": norm, **core}


def _log_kwargs(sample_rate=None, n_freq=None, n_bins=84, bins_per_octave=12, f_min=None,
                spread=0.125, **core):
    """kapre's filterbank_log arguments as :func:`audiofront.log_filterbank`'s."""
    core = _core_names(core, sample_rate, n_freq)
    core.setdefault("fmin", f_min)
    return {"n_bins": n_bins, "bins_per_octave": bins_per_octave, "spread": spread, **core}


def mel_matrix(kwargs):
    """The ``(n_mels, n_freq)`` host filterbank for kapre-style ``kwargs``."""
    return af.mel_filterbank(**_mel_kwargs(**kwargs))


def log_matrix(kwargs):
    """The ``(n_bins, n_freq)`` host filterbank for kapre-style ``kwargs``."""
    return af.log_filterbank(**_log_kwargs(**kwargs))


def filterbank_mel(sample_rate, n_freq, n_mels=128, f_min=0.0, f_max=None, htk=False,
                   norm="slaney"):
    """librosa's mel filterbank, ``(n_freq, n_mels)`` float32 tensor (kapre's orientation)."""
    return keras.ops.convert_to_tensor(mel_matrix(dict(
        sample_rate=sample_rate, n_freq=n_freq, n_mels=n_mels, f_min=f_min, f_max=f_max,
        htk=htk, norm=norm)).T, dtype="float32")


def filterbank_log(sample_rate, n_freq, n_bins=84, bins_per_octave=12, f_min=None,
                   spread=0.125):
    """kapre's log-normal log-frequency filterbank, ``(n_freq, n_bins)`` float32 tensor."""
    return keras.ops.convert_to_tensor(log_matrix(dict(
        sample_rate=sample_rate, n_freq=n_freq, n_bins=n_bins, bins_per_octave=bins_per_octave,
        f_min=f_min, spread=spread)).T, dtype="float32")


def magnitude_to_decibel(x, ref_value=1.0, amin=1e-5, dynamic_range=80.0):
    """kapre's decibels: ``10 log10(max(x, amin) / ref_value)``, floored ``dynamic_range``
    below each example's maximum (over every axis but the first). This is librosa's
    ``power_to_db`` whatever the input is (kapre#121, #143: on a magnitude it gives half the
    true decibels); kept as kapre computes it."""
    return per_example_db(keras.ops.convert_to_tensor(x), ref=ref_value, amin=amin,
                          top_db=dynamic_range)


def per_example_db(x, *, ref, amin, top_db):
    """:func:`audiofront.power_to_db` with ``ref='max'`` and ``top_db`` taken over every axis
    of ``x`` but the first (kapre's per-example decibels)."""
    namespace = _keras.xp()
    rest = tuple(x.shape[1:])
    flat = namespace.reshape(x, (-1, 1, math.prod(rest)))
    db = af.power_to_db(flat, ref=ref, amin=amin, top_db=top_db)
    return namespace.reshape(db, (-1,) + rest)


def mu_law_encoding(signal, quantization_channels):
    """kapre's mu-law encoding: audio in [-1, 1] to integer codes."""
    return af.mu_law_encode(keras.ops.convert_to_tensor(signal),
                            quantization_channels=quantization_channels)


def mu_law_decoding(signal_mu, quantization_channels):
    """kapre's mu-law decoding: integer codes back to audio in [-1, 1]."""
    return af.mu_law_decode(keras.ops.convert_to_tensor(signal_mu),
                            quantization_channels=quantization_channels)


def validate_data_format_str(data_format):
    """kapre's check of a data-format string."""
    if data_format not in (_CH_DEFAULT_STR, _CH_FIRST_STR, _CH_LAST_STR):
        raise ParameterError(
            f"data_format must be one of 'default', 'channels_first', 'channels_last'. "
            f"Received: data_format={data_format!r}"
        )
