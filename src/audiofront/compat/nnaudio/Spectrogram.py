"""nnAudio 0.2's ``nnAudio.Spectrogram``: the modules of :mod:`.features`, and the 0.2
constant-Q names ``CQT1992`` / ``CQT2010``."""

from ._constantq import CQT1992, CQT2010
from .features import *  # noqa: F401,F403
from .features import __all__ as _features

__all__ = [*_features, "CQT1992", "CQT2010"]
