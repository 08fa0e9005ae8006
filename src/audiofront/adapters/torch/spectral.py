"""The spectral torch modules: frames, STFT and its inverse, filtered spectrograms, CQT, CFP,
MFCC."""

from __future__ import annotations

import warnings

import torch

import audiofront as af
from ... import _checks
from ..._checks import one_of
from ...constantq import module_config
from ...framing import PAD_MODES
from ._base import XP, _in_float32, _Module, _STFTModule
from .transforms import PowerToDB


class Frame(_Module):
    """Overlapping frames of the last axis: ``(..., time) -> (..., n_frames, frame_length)``.

    See :func:`audiofront.frame`.
    """

    def __init__(self, *, frame_length: int, hop_length: int, pad_end: bool = False):
        super().__init__()
        self.frame_length = _checks.positive_int(frame_length, "frame_length")
        self.hop_length = _checks.positive_int(hop_length, "hop_length")
        self.pad_end = bool(pad_end)

    def forward(self, x):
        return af.frame(x, frame_length=self.frame_length, hop_length=self.hop_length,
                        pad_end=self.pad_end)


class STFT(_STFTModule):
    """Complex STFT ``(..., time) -> (..., 1 + n_fft // 2, frames)``, :func:`audiofront.stft`.

    Parameters are the core's (librosa's names and defaults). ``trainable=True`` learns the
    windowed DFT basis (``method='dft'``, the default then). ``frequencies`` (Hz, at rate
    ``sr``) evaluates the DFT there instead of at the FFT bins (:func:`audiofront.dft_basis`;
    e.g. nnAudio's log grid, :func:`audiofront.frequency_grid`): ``(..., n_freqs, frames)``.
    """

    def __init__(self, *, n_fft: int = 2048, hop_length: int | None = None,
                 win_length: int | None = None, window="hann", center: bool = True,
                 pad_mode: str = "constant", method: str | None = None, trainable: bool = False,
                 frequencies=None, sr: float = 22050, layout: str = "freq_time"):
        super().__init__(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                         window=window, center=center, pad_mode=pad_mode, method=method,
                         trainable=trainable, layout=layout, frequencies=frequencies, sr=sr)

    @_in_float32
    def forward(self, x):
        return self._out(af.stft(x, **self._stft_kwargs()))


class Spectrogram(_STFTModule):
    """``|STFT| ** power`` (2 by default), :func:`audiofront.spectrogram`; ``frequencies``
    as for :class:`STFT`."""

    def __init__(self, *, n_fft: int = 2048, hop_length: int | None = None,
                 win_length: int | None = None, window="hann", center: bool = True,
                 pad_mode: str = "constant", power: float = 2.0, method: str | None = None,
                 trainable: bool = False, frequencies=None, sr: float = 22050,
                 layout: str = "freq_time"):
        super().__init__(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                         window=window, center=center, pad_mode=pad_mode, method=method,
                         trainable=trainable, layout=layout, frequencies=frequencies, sr=sr)
        self.power = _checks.positive_float(power, "power")

    @_in_float32
    def forward(self, x):
        return self._out(af.spectrogram(x, power=self.power, **self._stft_kwargs()))


class InverseSTFT(_STFTModule):
    """Inverse STFT ``(..., 1 + n_fft // 2, frames) -> (..., time)``, :func:`audiofront.istft`.

    ``forward(S, length=None)``; ``length`` trims or pads to exactly that many samples.
    ``trainable=True`` learns the inverse DFT basis (``method='dft'``, the default then;
    :func:`audiofront.idft_basis`), ``trainable_window=True`` the synthesis window (the
    overlap-added squared window that normalises the output follows it).
    """

    def __init__(self, *, n_fft: int = 2048, hop_length: int | None = None,
                 win_length: int | None = None, window="hann", center: bool = True,
                 method: str | None = None, trainable: bool = False,
                 trainable_window: bool = False, layout: str = "freq_time"):
        super().__init__(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                         window=window, center=center, pad_mode="constant", method="fft",
                         trainable=False, layout=layout, trainable_window=trainable_window)
        self.method = _checks.stft_config(n_fft=n_fft, hop_length=hop_length,
                                          win_length=win_length, pad_mode="constant",
                                          method=method, trainable=trainable)[3]
        self.trainable, self.trainable_window = bool(trainable), bool(trainable_window)
        basis = af.idft_basis(n_fft=self.n_fft, xp=XP, dtype=torch.float32) \
            if self.method == "dft" else None
        self._constant("idft_basis", basis, trainable)

    def forward(self, S, length: int | None = None):
        return af.istft(self._in(S), n_fft=self.n_fft, hop_length=self.hop_length,
                        win_length=self.win_length, window=self.window, center=self.center,
                        length=length, method=self.method, idft_basis=self.idft_basis)

    def _config(self):
        config = super()._config()
        del config["pad_mode"]
        return {**config, **({"trainable": True} if self.trainable else {}),
                **({"trainable_window": True} if self.trainable_window else {})}


class _FilteredSpectrogram(_STFTModule):
    """A power spectrogram through a filterbank that the module holds (and may learn)."""

    build = None  # the core's filterbank builder
    compute = None  # the core's feature function
    basis = ""  # the name of its filterbank argument, and of the module's tensor

    def _filterbank(self, power, trainable, **config):
        self.power = _checks.positive_float(power, "power")
        self.filterbank_config = config
        fb = type(self).build(n_fft=self.n_fft, xp=XP, dtype=torch.float32, **config)
        self._constant(self.basis, fb, trainable)

    @_in_float32
    def forward(self, x):
        return self._out(type(self).compute(x, power=self.power, **{self.basis: getattr(self, self.basis)},
                                            **self._stft_kwargs()))

    def _config(self):
        return {**self.filterbank_config, "power": self.power, **super()._config()}


class MelSpectrogram(_FilteredSpectrogram):
    """Mel spectrogram ``(..., time) -> (..., n_mels, frames)``, :func:`audiofront.melspectrogram`.

    ``trainable_stft`` learns the DFT basis (``method='dft'``); ``trainable_filterbank``
    learns the mel filters (nnAudio's ``trainable_STFT`` / ``trainable_mel``).
    """

    build, compute, basis = af.mel_filterbank, af.melspectrogram, "mel_basis"

    def __init__(self, *, sr: float = 22050, n_fft: int = 2048, hop_length: int | None = None,
                 win_length: int | None = None, window="hann", center: bool = True,
                 pad_mode: str = "constant", power: float = 2.0, n_mels: int = 128,
                 fmin: float = 0.0, fmax: float | None = None, htk: bool = False, norm="slaney",
                 method: str | None = None, trainable_stft: bool = False,
                 trainable_filterbank: bool = False, layout: str = "freq_time"):
        super().__init__(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                         window=window, center=center, pad_mode=pad_mode, method=method,
                         trainable=trainable_stft, layout=layout)
        self._filterbank(power, trainable_filterbank, sr=sr, n_mels=n_mels, fmin=fmin,
                         fmax=fmax, htk=htk, norm=norm)


class LogFrequencySpectrogram(_FilteredSpectrogram):
    """Log-frequency spectrogram ``(..., time) -> (..., n_bins, frames)``, kapre's log
    filterbank on the power spectrogram (:func:`audiofront.log_frequency_spectrogram`)."""

    build, compute, basis = af.log_filterbank, af.log_frequency_spectrogram, "log_basis"

    def __init__(self, *, sr: float = 22050, n_fft: int = 2048, hop_length: int | None = None,
                 win_length: int | None = None, window="hann", center: bool = True,
                 pad_mode: str = "constant", power: float = 2.0, n_bins: int = 84,
                 bins_per_octave: int = 12, fmin: float | None = None, spread: float = 0.125,
                 method: str | None = None, trainable_stft: bool = False,
                 trainable_filterbank: bool = False, layout: str = "freq_time"):
        super().__init__(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                         window=window, center=center, pad_mode=pad_mode, method=method,
                         trainable=trainable_stft, layout=layout)
        self._filterbank(power, trainable_filterbank, sr=sr, n_bins=n_bins,
                         bins_per_octave=bins_per_octave, fmin=fmin, spread=spread)


class Gammatonegram(_FilteredSpectrogram):
    """Gammatone spectrogram ``(..., time) -> (..., n_bins, frames)``,
    :func:`audiofront.gammatonegram` (``trainable_filterbank``: nnAudio's ``trainable_bins``)."""

    build, compute, basis = af.gammatone_filterbank, af.gammatonegram, "gammatone_basis"

    def __init__(self, *, sr: float = 22050, n_fft: int = 2048, hop_length: int | None = None,
                 win_length: int | None = None, window="hann", center: bool = True,
                 pad_mode: str = "constant", power: float = 2.0, n_bins: int = 64,
                 fmin: float = 20.0, fmax: float | None = None, width: float = 1.0,
                 method: str | None = None, trainable_stft: bool = False,
                 trainable_filterbank: bool = False, layout: str = "freq_time"):
        super().__init__(n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                         window=window, center=center, pad_mode=pad_mode, method=method,
                         trainable=trainable_stft, layout=layout)
        self._filterbank(power, trainable_filterbank, sr=sr, n_bins=n_bins, fmin=fmin,
                         fmax=fmax, width=width)


class CQT(_Module):
    """Constant-Q (or, with ``gamma``, variable-Q) transform, :func:`audiofront.cqt`.

    ``(..., time) -> (..., n_bins, frames)``: complex, or ``|C| ** power`` with
    ``output='magnitude'``. The kernels are built and cached by the core per device and dtype;
    ``trainable=True`` learns them instead (the 'direct' algorithm's matrix,
    :func:`audiofront.cqt_direct_basis`, as the parameter ``direct_basis``: nnAudio's
    trainable CQT). ``kernels='brown'`` is Brown's design (nnAudio's CQT1992v2).
    """

    def __init__(self, *, sr: float = 22050, hop_length: int = 512, fmin=None, n_bins: int = 84,
                 bins_per_octave: int = 12, tuning: float = 0.0, filter_scale: float = 1.0,
                 norm=1, sparsity: float = 0.0, window="hann", scale: bool = True,
                 pad_mode: str = "constant", gamma: float = 0.0, algorithm: str = "auto",
                 kernels: str = "librosa", trainable: bool = False, output: str = "complex",
                 power: float = 1.0, layout: str = "freq_time"):
        super().__init__(layout)
        self.config, design = module_config(
            {"sr": sr, "hop_length": hop_length, "fmin": fmin, "n_bins": n_bins,
             "bins_per_octave": bins_per_octave, "tuning": tuning, "filter_scale": filter_scale,
             "norm": norm, "sparsity": sparsity, "window": window, "scale": scale,
             "pad_mode": pad_mode, "gamma": gamma, "algorithm": algorithm, "kernels": kernels},
            trainable=trainable)
        self.output = one_of(output, "output", ("complex", "magnitude"))
        self.power = _checks.positive_float(power, "power")
        self.trainable = bool(trainable)
        basis = None if design is None else af.cqt_direct_basis(**design, xp=XP,
                                                                dtype=torch.float32)
        self._constant("direct_basis", basis, trainable)

    @_in_float32
    def forward(self, x):
        C = af.vqt(x, **self.config, direct_basis=self.direct_basis)
        if self.output == "magnitude":
            C = C.abs() if self.power == 1.0 else C.abs() ** self.power
        return self._out(C)

    def _config(self):
        return {**self.config, "trainable": self.trainable, "output": self.output,
                **super()._config()}


class CFP(_Module):
    """Combined frequency and periodicity, :func:`audiofront.cfp`: ``(..., time) -> (...,
    n_bands, frames)``, or with ``return_all=True`` the tuple ``(Z, tfrL0, tfrLF, tfrLQ)``.
    The constants are the core's (cached per device and dtype)."""

    def __init__(self, *, sr: float = 16000, hop_length: int = 320, window_size: int = 2049,
                 freq_resolution: float = 2.0, fc: float = 80.0, tc: float = 0.001,
                 g=(0.24, 0.6, 1.0), bins_per_octave: int = 48, pad_mode: str = "constant",
                 return_all: bool = False, layout: str = "freq_time"):
        super().__init__(layout)
        self.config = {"sr": sr, "hop_length": hop_length, "window_size": window_size,
                       "freq_resolution": freq_resolution, "fc": fc, "tc": tc,
                       "g": tuple(float(v) for v in g), "bins_per_octave": bins_per_octave,
                       "pad_mode": pad_mode}
        self.return_all = bool(return_all)
        one_of(pad_mode, "pad_mode", PAD_MODES)  # then the rest, on a short signal:
        with warnings.catch_warnings():  # n_fft is far longer, which warns
            warnings.simplefilter("ignore", UserWarning)
            af.cfp(torch.zeros(hop_length), **{**self.config, "pad_mode": "constant"})

    @_in_float32
    def forward(self, x):
        out = tuple(self._out(part) for part in af.cfp(x, **self.config))
        return out if self.return_all else out[0]

    def _config(self):
        return {**self.config, "return_all": self.return_all, **super()._config()}


class MFCC(_Module):
    """MFCCs ``(..., time) -> (..., n_mfcc, frames)``, :func:`audiofront.mfcc`.

    ``melspectrogram_kwargs`` go to the inner :class:`MelSpectrogram` (``n_fft``, ``n_mels``,
    ``hop_length``, trainable flags ...).
    """

    def __init__(self, *, sr: float = 22050, n_mfcc: int = 20, norm: str | None = "ortho",
                 lifter: float = 0.0, ref: float = 1.0, amin: float = 1e-10,
                 top_db: float | None = 80.0, layout: str = "freq_time", **melspectrogram_kwargs):
        super().__init__(layout)
        self.melspectrogram = MelSpectrogram(sr=sr, **melspectrogram_kwargs)
        self.to_db = PowerToDB(ref=ref, amin=amin, top_db=top_db)
        af.mfcc_basis(n_mfcc, self.melspectrogram.mel_basis.shape[0], norm=norm,
                      lifter=lifter)  # validate now
        self.n_mfcc, self.norm, self.lifter = n_mfcc, norm, lifter

    @_in_float32
    def forward(self, x):
        return self._out(af.logmel_to_mfcc(self.to_db(self.melspectrogram(x)), n_mfcc=self.n_mfcc,
                                           norm=self.norm, lifter=self.lifter))
