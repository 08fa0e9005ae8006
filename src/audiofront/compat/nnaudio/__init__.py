"""nnAudio's API over audiofront: ``from audiofront.compat.nnaudio import features`` (nnAudio
0.3) or ``... import Spectrogram`` (0.2); the modules are torch modules built from
:mod:`audiofront.adapters.torch`, with nnAudio's names, signatures and output formats."""

from . import Spectrogram, features  # noqa: F401

__all__ = ["features", "Spectrogram"]
