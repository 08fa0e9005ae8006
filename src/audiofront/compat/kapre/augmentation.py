"""kapre's ``kapre.augmentation``: 0.3/0.4's ``SpecAugment`` and ``ChannelSwap`` and 0.1/0.2's
``AdditiveNoise``. Each is active only when called with ``training=True``."""

from __future__ import annotations

import keras

from ...adapters import keras as native
from ...adapters._keras import Augmentation, channels_last
from ..._checks import one_of

__all__ = ["SpecAugment", "ChannelSwap", "AdditiveNoise"]

register = keras.saving.register_keras_serializable(package="audiofront.kapre")


@register
class SpecAugment(native.SpecAugment):
    """kapre's ``SpecAugment`` on ``(batch, frames, freq, ch)`` (or channels first): each
    example gets ``n_freq_masks`` stripes of 0 .. ``freq_mask_param`` bins and
    ``n_time_masks`` of 0 .. ``time_mask_param`` frames, set to ``mask_value``."""

    frames_first = True

    def __init__(self, freq_mask_param=0, time_mask_param=0, n_freq_masks=1, n_time_masks=1,
                 mask_value=0.0, data_format="default", **kwargs):
        super().__init__(freq_mask_param=freq_mask_param, time_mask_param=time_mask_param,
                         n_freq_masks=n_freq_masks, n_time_masks=n_time_masks,
                         mask_value=mask_value, data_format=data_format, **kwargs)


@register
class ChannelSwap(Augmentation):
    """kapre's ``ChannelSwap``: a fresh random permutation of the channels every batch."""

    def __init__(self, data_format="default", **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format
        self._last = channels_last(data_format)

    def _augment(self, x):
        axis = len(x.shape) - 1 if self._last else 1
        order = keras.random.shuffle(keras.ops.arange(x.shape[axis]), seed=self.seed_generator)
        return keras.ops.take(x, order, axis=axis)

    def _config(self):
        return {"data_format": self.data_format, **super()._config()}


@keras.saving.register_keras_serializable(package="audiofront.kapre02")
class AdditiveNoise(native.AdditiveNoise):
    """kapre 0.2's ``AdditiveNoise``: white Gaussian noise added while training.

    kapre 0.2 documents ``power`` as "the power of noise, std if it's white noise" and draws
    its noise with standard deviation ``power`` (``random_gain``: a standard deviation drawn
    uniformly from ``[0, power)`` once per call); this layer does the same, so a migrated model
    trains on the noise level it was tuned for. ``noise_level`` is accepted as another name
    for that standard deviation. Only ``noise_type='white'`` exists, as in kapre.
    """

    def __init__(self, power=0.1, random_gain=False, noise_type="white", noise_level=None,
                 **kwargs):
        std = float(power if noise_level is None else noise_level)
        super().__init__(power=std * std, random_gain=False, **kwargs)
        self.noise_type = one_of(noise_type, "noise_type", ("white",))
        self.noise_std, self.kapre_power, self.noise_level = std, power, noise_level
        self.kapre_random_gain = bool(random_gain)

    def _augment(self, x):
        std = self.noise_std
        if self.kapre_random_gain:  # one gain for the whole batch, as kapre 0.2
            std = keras.random.uniform((), 0.0, std, seed=self.seed_generator)
        noise = keras.random.normal(keras.ops.shape(x), dtype=x.dtype, seed=self.seed_generator)
        return x + noise * keras.ops.cast(std, x.dtype)

    def _config(self):
        return {"power": self.kapre_power, "random_gain": self.kapre_random_gain,
                "noise_type": self.noise_type, "noise_level": self.noise_level,
                "seed": self.seed}
