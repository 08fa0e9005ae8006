from audiofront.compat.nnaudio.Spectrogram import *  # noqa: F401,F403
from audiofront.compat.nnaudio.Spectrogram import __all__ as _served

# nnAudio's own Spectrogram module hands numpy out through ``import *`` (it has no __all__),
# and its tests use that ``np``; the stand-in does the same for them.
import numpy as np  # noqa: E402,F401

__all__ = [*_served, "np"]
