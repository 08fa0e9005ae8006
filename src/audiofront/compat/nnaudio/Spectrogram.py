"""nnAudio 0.2's ``nnAudio.Spectrogram``: the same modules as :mod:`.features`."""

from .features import *  # noqa: F401,F403
from .features import __all__  # noqa: F401
