"""kapre's API on audiofront: replace ``kapre`` by ``audiofront.compat.kapre`` in the imports.

Every generation, on the TensorFlow, torch and JAX Keras backends:

- kapre 0.3/0.4 (kapre 0.4.1's numbers): ``time_frequency`` (``STFT``, ``InverseSTFT``,
  ``Magnitude``, ``Phase``, ``MagnitudeToDecibel``, ``ApplyFilterbank``, ``Delta``,
  ``ConcatenateFrequencyMap``), ``signal``, ``composed``, ``augmentation`` (``SpecAugment``,
  ``ChannelSwap``), ``backend``; the top-level names are kapre 0.4.1's.
- kapre 0.1/0.2 (kapre 0.2.0's numbers): ``time_frequency.Spectrogram`` / ``Melspectrogram``,
  ``utils`` (``AmplitudeToDB``, ``Normalization2D``, ``Delta``; ``delta.Delta`` where kapre's
  README puts it), ``filterbank.Filterbank``,
  ``augmentation.AdditiveNoise``, ``backend_keras.amplitude_to_decibel``; models saved by
  kapre 0.2 as ``.h5`` load with :func:`load_legacy_model`.

The layers are audiofront's own (:mod:`audiofront.adapters.keras`) with kapre's names,
defaults and layouts; kapre's known quirks are kept where a trained model depends on them, and
said in each docstring.
"""

from . import augmentation, backend, backend_keras, composed, filterbank, signal, time_frequency
from . import delta, utils
from ._saving import load_legacy_model
from .augmentation import ChannelSwap, SpecAugment
from .composed import (get_frequency_aware_conv2d, get_log_frequency_spectrogram_layer,
                       get_melspectrogram_layer, get_perfectly_reconstructing_stft_istft,
                       get_stft_mag_phase, get_stft_magnitude_layer)
from .signal import Energy, Frame, LogmelToMFCC, MuLawDecoding, MuLawEncoding
from .time_frequency import (STFT, ApplyFilterbank, ConcatenateFrequencyMap, Delta, InverseSTFT,
                             Magnitude, MagnitudeToDecibel, Phase)

__all__ = ["Frame", "Energy", "MuLawEncoding", "MuLawDecoding", "LogmelToMFCC", "STFT",
           "InverseSTFT", "Magnitude", "Phase", "MagnitudeToDecibel", "ApplyFilterbank",
           "Delta", "ConcatenateFrequencyMap", "SpecAugment", "ChannelSwap",
           "get_stft_magnitude_layer", "get_melspectrogram_layer",
           "get_log_frequency_spectrogram_layer", "get_perfectly_reconstructing_stft_istft",
           "get_stft_mag_phase", "get_frequency_aware_conv2d", "load_legacy_model"]
