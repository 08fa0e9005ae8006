"""kapre 0.1/0.2's ``kapre.utils``: ``AmplitudeToDB``, ``Normalization2D`` and ``Delta``, with
kapre 0.2.0's signatures and numbers, on kapre 0.2's layout ``(batch, freq, time, ch)``
(``channels_last``) / ``(batch, ch, freq, time)``."""

from __future__ import annotations

import keras

from ...adapters._keras import Elementwise
from ..._checks import ParameterError, one_of
from . import time_frequency
from ._legacy import resolve_format
from .backend_keras import amplitude_to_decibel

__all__ = ["AmplitudeToDB", "Normalization2D", "Delta"]

register = keras.saving.register_keras_serializable(package="audiofront.kapre02")


@register
class AmplitudeToDB(Elementwise):
    """kapre 0.2's ``AmplitudeToDB``: :func:`~audiofront.compat.kapre.backend_keras.
    amplitude_to_decibel`, ``10 log10(max(x, amin))`` relative to each example's maximum,
    floored at ``-top_db`` (kapre#121, #143: 10 log10 whatever the input is)."""

    def __init__(self, amin=1e-10, top_db=80.0, **kwargs):
        super().__init__(**kwargs)
        self.amin, self.top_db = amin, top_db

    def call(self, x):
        return amplitude_to_decibel(x, amin=self.amin, dynamic_range=self.top_db)

    def _config(self):
        return {"amin": self.amin, "top_db": self.top_db}


_AXES = {"channels_first": ("data_sample", "channel", "freq", "time"),
         "channels_last": ("data_sample", "freq", "time", "channel")}


@register
class Normalization2D(Elementwise):
    """kapre 0.2's ``Normalization2D``: ``(x - mean) / (std + eps)``, the statistics taken over
    every axis of the 4-d input but one, exactly as kapre 0.2 reduces.

    ``str_axis`` names the axis kept: 'data_sample' (statistics per example), 'channel',
    'freq' or 'time' (per channel, bin or frame, over the batch and the other two axes), or
    'batch' (one mean and std over everything); or ``int_axis`` gives its position (0-3, or -1
    for 'batch') when ``str_axis`` is None. ``std`` is the population standard deviation.
    Statistics over the batch axis make a prediction depend on the other examples in the batch
    (kapre's behaviour); :class:`audiofront.adapters.keras.Standardize` is per example.
    """

    def __init__(self, str_axis=None, int_axis=None, image_data_format="default", eps=1e-10,
                 **kwargs):
        super().__init__(**kwargs)
        if str_axis is None and int_axis is None:
            raise ParameterError("In Normalization2D, int_axis or str_axis must be given. "
                                 "Received: str_axis=None, int_axis=None")
        self.image_data_format = resolve_format(image_data_format)
        self.str_axis, self.eps = str_axis, eps
        if str_axis is not None:
            one_of(str_axis, "str_axis", ("batch",) + _AXES["channels_last"])
            int_axis = -1 if str_axis == "batch" else _AXES[self.image_data_format].index(str_axis)
        if int_axis not in (-1, 0, 1, 2, 3):
            raise ParameterError(f"int_axis must be -1, 0, 1, 2 or 3. Received: int_axis={int_axis!r}")
        self.int_axis = int_axis

    def call(self, x):
        axes = tuple(a for a in range(4) if a != self.int_axis)
        centred = x - keras.ops.mean(x, axis=axes, keepdims=True)
        std = keras.ops.sqrt(keras.ops.mean(centred * centred, axis=axes, keepdims=True))
        return centred / (std + self.eps)

    def _config(self):
        return {"int_axis": self.int_axis, "str_axis": self.str_axis,
                "image_data_format": self.image_data_format, "eps": self.eps}


@register
class Delta(time_frequency.Delta):
    """kapre 0.2's ``Delta``: the local slope along the time axis of ``(batch, freq, time,
    ch)`` (or channels first) over ``win_length`` frames, :func:`audiofront.delta` with
    ``order=1``; ``mode`` 'symmetric', 'reflect' or 'constant' pads the edges as kapre. The
    0.3/0.4 layer in kapre 0.2's ``(freq, time)`` order, with kapre 0.2's checks."""

    frames_first = False

    def __init__(self, win_length=5, mode="symmetric", data_format="default", **kwargs):
        one_of(str(mode).lower(), "mode", tuple(self._KAPRE_MODES))
        if win_length < 3:
            raise ParameterError(f"win_length must be >= 3. Received: win_length={win_length!r}")
        super().__init__(win_length=win_length, mode=mode, data_format=data_format, **kwargs)
