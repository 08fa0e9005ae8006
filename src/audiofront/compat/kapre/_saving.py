"""Loading models that kapre 0.1/0.2 saved (``model.save('m.h5')`` with tf.keras 2)."""

from __future__ import annotations

import inspect
import json


def legacy_classes() -> dict:
    """kapre 0.2's layer class names -> the compat layers (what an ``.h5`` config names)."""
    from . import augmentation, filterbank, time_frequency, utils

    return {"Spectrogram": time_frequency.Spectrogram,
            "Melspectrogram": time_frequency.Melspectrogram,
            "AmplitudeToDB": utils.AmplitudeToDB, "Normalization2D": utils.Normalization2D,
            "Delta": utils.Delta, "Filterbank": filterbank.Filterbank,
            "AdditiveNoise": augmentation.AdditiveNoise}


def load_legacy_model(path, *, custom_objects=None, compile=True):  # noqa: A002
    """A model saved by kapre 0.1/0.2 with tf.keras 2 (``model.save('m.h5')``), as a Keras 3
    model of :mod:`audiofront.compat.kapre`'s layers with its saved weights.

    kapre 0.2's layer names are mapped to the compat layers (``custom_objects`` adds the
    model's own custom classes). Keras 3 reads such a file itself when the model was saved
    uncompiled (``keras.models.load_model(path, custom_objects=...)``, as kapre's README
    does), but not the training configuration tf.keras 2 stores for a compiled one (a loss
    saved as 'mse' fails to deserialize); so the model is loaded uncompiled and, with
    ``compile=True``, compiled again from that configuration: the same loss, metrics and
    optimizer settings. The optimizer's saved state (its moments) is not restored.

    Parameters
    ----------
    path : str or path-like
        The ``.h5`` file.
    custom_objects : dict, optional
        More classes or functions the model needs, by their saved names.
    compile : bool
        Compile the model as it was saved (default True).

    Returns
    -------
    keras.Model
    """
    import h5py
    import keras

    objects = {**legacy_classes(), **(custom_objects or {})}
    model = keras.models.load_model(path, custom_objects=objects, compile=False)
    if compile:
        with h5py.File(path, "r") as f:
            raw = f.attrs.get("training_config")
        if raw is not None:
            config = json.loads(raw.decode() if isinstance(raw, bytes) else raw)
            model.compile(optimizer=_optimizer(config.get("optimizer_config")),
                          loss=config.get("loss"), metrics=config.get("metrics"),
                          loss_weights=config.get("loss_weights"),
                          weighted_metrics=config.get("weighted_metrics"))
    return model



def _optimizer(config):
    """A Keras 3 optimizer from a tf.keras 2 optimizer config (the arguments Keras 3 takes)."""
    import keras

    if config is None:
        return "rmsprop"  # Keras' default
    name = config["class_name"].split(">")[-1]
    cls = keras.optimizers.get(name).__class__
    accepted = inspect.signature(cls.__init__).parameters
    return cls(**{k: v for k, v in config["config"].items() if k in accepted})
