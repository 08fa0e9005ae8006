"""kapre 0.1/0.2's ``kapre.backend_keras``: ``amplitude_to_decibel``, the decibels of its
``Spectrogram`` / ``Melspectrogram`` / ``AmplitudeToDB``."""

from __future__ import annotations

from .backend import per_example_db

__all__ = ["amplitude_to_decibel"]


def amplitude_to_decibel(x, amin=1e-10, dynamic_range=80.0):
    """kapre 0.2's decibels: ``10 log10(max(x, amin))`` minus its maximum over every axis but
    the batch axis, floored at ``-dynamic_range``; so each example's maximum is 0 dB.

    It takes 10 log10 whatever the input is (kapre#121, #143: kapre 0.2's
    ``Melspectrogram`` default ``power_melgram=1.0`` feeds it magnitudes, which gives half the
    true decibels); kept as kapre computes it. For new models use
    :class:`audiofront.adapters.keras.AmplitudeToDB` / ``PowerToDB``.
    """
    return per_example_db(x, ref="max", amin=amin, top_db=dynamic_range)
