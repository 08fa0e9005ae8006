"""The Keras glue shared by audiofront's own layers (``adapters.keras``) and kapre's
(``compat.kapre``): the backend's array namespace, the layouts, and the layer bases.

A layer calls the core with the Keras backend's own arrays (array-api-compat's torch namespace,
jax.numpy, or on TensorFlow the small namespace in ``_tensorflow.py``), creates its constants
(window, DFT basis, filterbank) in ``build`` with ``add_weight`` so that a trainable one is
learned, keeps only its constructor arguments in ``get_config``, and computes its output shape
from the core's frame counts.

Layouts. The core works on ``(batch, ch, time)`` audio and ``(batch, ch, freq, frames)``
spectra. A layer's ``channels_last`` format moves the channel axis last; its class attribute
``frames_first`` (kapre's order) swaps the two spectral axes to ``(frames, freq)``.
``in_core_layout`` is the one place that maps a layer's layout to the core's and back.
"""

from __future__ import annotations

import keras
import numpy as np

import audiofront as af
from .. import _backend, _checks, _constants
from .._checks import one_of
from ..framing import frame_count
from ..spectral import spectrogram_frames

FORMATS = ("default", "channels_first", "channels_last")


def xp():
    """The array-API namespace of the running Keras backend."""
    name = keras.backend.backend()
    if name == "torch":
        import array_api_compat.torch as namespace

        return namespace
    if name == "jax":
        import jax.numpy as namespace

        return namespace
    if name == "tensorflow":
        from . import _tensorflow

        return _tensorflow
    raise NotImplementedError(
        f"audiofront's Keras layers run on the torch, jax and tensorflow Keras backends; "
        f"received the {name!r} backend."
    )


def value(variable):
    """The backend tensor behind a Keras variable (a torch Parameter, a traced JAX array), so
    that gradients reach it; passing the Variable itself would be converted to a constant."""
    if variable is None:
        return None
    if keras.backend.backend() == "tensorflow":  # a read of the tf.Variable, still differentiable
        import tensorflow as tf

        return tf.identity(variable.value)
    return variable.value


def channels_last(data_format: str) -> bool:
    """Whether ``data_format`` ('default' is Keras' ``image_data_format``) puts channels last."""
    one_of(data_format, "data_format", FORMATS)
    if data_format == "default":
        return keras.config.image_data_format() != "channels_first"
    return data_format == "channels_last"


def in_core_layout(fn, x, *, last: bool, frames_first: bool = False, spectral: bool = True):
    """``fn`` applied to ``x`` in the core's layout, its result returned in the layer's.

    Channels-last input (``last``) has its channel axis moved to axis 1 (and the result's moved
    back); with ``spectral and frames_first`` the layer's ``(frames, freq)`` axes are swapped to
    the core's ``(freq, frames)`` and back. ``fn`` may change the size of any axis.
    """
    namespace = xp()
    if spectral and frames_first:
        inner = fn

        def fn(S):
            return namespace.moveaxis(inner(namespace.moveaxis(S, -1, -2)), -1, -2)

    if not last:
        return fn(x)
    return namespace.moveaxis(fn(namespace.moveaxis(x, -1, 1)), 1, -1)


def constant(build, args, like):
    """A host constant ``build(*args)`` on ``like``'s device in its dtype (cached there)."""
    return _constants.place(build, args, xp=xp(), device=_backend.device_of(like),
                            dtype=like.dtype)


def weight(layer, name, array, trainable=False):
    """``array`` as a weight of ``layer`` (learned when ``trainable``)."""
    return layer.add_weight(name=name, shape=array.shape, trainable=trainable,
                            initializer=keras.initializers.Constant(array))


class Layer(keras.layers.Layer):
    """Constructor arguments are the config; subclasses list them in ``_config``."""

    frames_first = False  # kapre's (frames, freq) order of the spectral axes

    def get_config(self):
        return {**super().get_config(), **self._config()}

    def _config(self) -> dict:
        return {}


class Elementwise(Layer):
    """A layer whose output has the input's shape (and ``output_dtype`` when it is set)."""

    output_dtype = None

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, x):
        if self.output_dtype is None:
            return super().compute_output_spec(x)
        return keras.KerasTensor(x.shape, dtype=self.output_dtype)


class SpectralLayer(Elementwise):
    """A core function of ``(..., freq, frames)`` (``_core``) on the layer's spectral layout
    ``data_format``, output shaped like the input."""

    def __init__(self, *, data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format
        self._last = channels_last(data_format)

    def call(self, x):
        return in_core_layout(self._core, x, last=self._last, frames_first=self.frames_first)

    def _config(self):
        return {"data_format": self.data_format}


class Augmentation(Elementwise):
    """Active only in training (``training=True``); fresh randomness every call."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, x, training=None):
        return self._augment(x) if training else x

    def _config(self):
        return {"seed": self.seed}


def additive_noise(x, *, power, random_gain, seed):
    """``x`` plus white Gaussian noise of variance ``power`` (scaled by a fresh uniform draw in
    [0, 1) per example with ``random_gain``)."""
    noise = keras.random.normal(keras.ops.shape(x), stddev=float(np.sqrt(power)), dtype=x.dtype,
                                seed=seed)
    if random_gain:
        shape = (keras.ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
        noise = noise * keras.ops.sqrt(keras.random.uniform(shape, dtype=x.dtype, seed=seed))
    return x + noise


def spec_augment(layer, S):
    """``layer``'s SpecAugment masks on core-layout ``(batch, ch, freq, frames)`` spectra."""
    lead = tuple(keras.ops.shape(S)[:2])
    for axis, param, count in ((-2, layer.freq_mask_param, layer.n_freq_masks),
                               (-1, layer.time_mask_param, layer.n_time_masks)):
        size = S.shape[axis]
        for _ in range(count if param else 0):
            width = keras.random.randint(lead, 0, min(param, size) + 1, seed=layer.seed_generator)
            room = keras.ops.cast(size - width + 1, "float32")
            start = keras.ops.cast(keras.random.uniform(lead, seed=layer.seed_generator) * room,
                                   "int32")
            S = af.mask_stripes(S, start=keras.ops.cast(start, "int64"),
                                width=keras.ops.cast(width, "int64"), axis=axis,
                                value=layer.mask_value)
    return S


class AudioLayer(Layer):
    """Audio in, spectra out: ``(batch, time, ch)`` / ``(batch, ch, time)`` in, the core's
    ``(batch, ch, freq, frames)`` out, channels moved last with ``_out_last`` and the spectral
    axes swapped with ``frames_first``. ``_in_last`` / ``_out_last`` are set by subclasses."""

    _in_last = _out_last = True

    def _audio(self, x, namespace):
        """``(batch, ch, time)`` from the input layout."""
        return namespace.moveaxis(x, -1, -2) if self._in_last else x

    def _spectra(self, S, namespace):
        """Core ``(batch, ch, freq, frames)`` to the output layout."""
        if self.frames_first:
            S = namespace.moveaxis(S, -1, -2)
        return namespace.moveaxis(S, 1, -1) if self._out_last else S

    def _shape(self, input_shape, freq, frames_of):
        batch = input_shape[0]
        time, ch = ((input_shape[1], tuple(input_shape[2:])) if self._in_last
                    else (input_shape[-1], tuple(input_shape[1:-1])))
        frames = None if time is None else frames_of(time)
        inner = (frames, freq) if self.frames_first else (freq, frames)
        return (batch, *inner, *ch) if self._out_last else (batch, *ch, *inner)


class STFTLayer(AudioLayer):
    """The STFT geometry (librosa's names) and its constants, for every STFT-based layer.

    ``_pad_begin`` / ``_pad_end`` (kapre's padding, before any centring) are set by the kapre
    layers only.
    """

    _pad_begin = _pad_end = False

    def __init__(self, *, n_fft, hop_length, win_length, window, center, pad_mode, method,
                 trainable_stft, **kwargs):
        super().__init__(**kwargs)
        self.n_fft, self.hop_length, self.win_length, self.method = _checks.stft_config(
            n_fft=n_fft, hop_length=hop_length, win_length=win_length, pad_mode=pad_mode,
            method=method, trainable=trainable_stft)
        self.window = tuple(window) if isinstance(window, list) else window  # a saved tuple
        self.center, self.pad_mode = bool(center), pad_mode
        self.trainable_stft = bool(trainable_stft)
        af.get_window(self.window, self.win_length)  # validate now

    def build(self, input_shape):
        w = af.get_window(self.window, self.win_length, n_fft=self.n_fft)
        self.window_weight = weight(self, "window", w)
        self.dft_basis = None
        if self.method == "dft":
            basis = af.dft_basis(n_fft=self.n_fft, win_length=self.win_length,
                                 window=self.window)
            self.dft_basis = weight(self, "dft_basis", basis, self.trainable_stft)

    def _extra_padding(self, n):
        """kapre's (before, after) padding for ``n`` samples."""
        before = self.win_length - self.hop_length if self._pad_begin else 0
        after = 0
        if self._pad_end:
            frames = (n + before + self.hop_length - 1) // self.hop_length
            after = max(0, (frames - 1) * self.hop_length + self.n_fft - n - before)
        return before, after

    def _prepared(self, x, namespace):
        """``(batch, ch, time)`` audio with kapre's padding, if any."""
        y = self._audio(x, namespace)
        before, after = self._extra_padding(y.shape[-1])
        return af.framing.pad(y, before, after, xp=namespace) if before or after else y

    def _stft_kwargs(self):
        return {"n_fft": self.n_fft, "hop_length": self.hop_length, "win_length": self.win_length,
                "window": value(self.window_weight), "center": self.center,
                "pad_mode": self.pad_mode, "method": self.method,
                "dft_basis": value(self.dft_basis)}

    def _frames(self, time):
        return frame_count(time + sum(self._extra_padding(time)), frame_length=self.n_fft,
                           hop_length=self.hop_length, center=self.center)


class FilteredLayer(STFTLayer):
    """An STFT layer followed by a filterbank it holds (and may learn): ``|STFT| ** power``
    through the ``_filterbank()`` the subclass builds.

    The core computes frames-major ``(batch, ch, frames, bands)``; the output layout is one
    permutation of that (a copy on TensorFlow, where each transpose is one)."""

    def call(self, x):
        namespace = xp()
        S = spectrogram_frames(self._prepared(x, namespace), namespace, power=self.power,
                               filterbank=value(self.filterbank), check_finite=False,
                               **self._stft_kwargs())
        if S.ndim != 4:  # channels-first input without a channel axis
            return S if self.frames_first else namespace.matrix_transpose(S)
        order = {(True, True): (0, 2, 3, 1), (True, False): None,
                 (False, True): (0, 3, 2, 1), (False, False): (0, 1, 3, 2)}[
            (self.frames_first, self._out_last)]
        return S if order is None else namespace.permute_dims(S, order)

    def build(self, input_shape):
        super().build(input_shape)
        self.filterbank = weight(self, "filterbank", self._filterbank(), self.trainable_fb)

    def compute_output_shape(self, input_shape):
        return self._shape(input_shape, self._filterbank().shape[0], self._frames)


class ComplexSTFT(STFTLayer):
    """The complex STFT, complex64 out."""

    def call(self, x):
        namespace = xp()
        S = af.stft(self._prepared(x, namespace), **self._stft_kwargs())
        return self._spectra(S, namespace)

    def compute_output_shape(self, input_shape):
        return self._shape(input_shape, self.n_fft // 2 + 1, self._frames)

    def compute_output_spec(self, x):
        return keras.KerasTensor(self.compute_output_shape(x.shape), dtype="complex64")
